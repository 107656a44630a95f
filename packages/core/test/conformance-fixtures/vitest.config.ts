import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../../../vitest.shared.js';

/** Runs the deliberately broken models through the conformance suite (spawned by conformance-kit.test.ts). */
export default defineConfig({
  ...sharedConfig,
  test: {
    ...sharedConfig.test,
    include: ['test/conformance-fixtures/*.conformance.ts'],
    reporters: ['default'],
  },
});
