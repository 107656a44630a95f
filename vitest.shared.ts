import { defineConfig } from 'vitest/config';

/** Conditions that make in-repo `@ncf/*` imports resolve to TypeScript sources (no build step needed). */
const conditions = ['@ncf/source', 'node', 'import', 'module', 'default'];

/** Shared vitest configuration of every package: sources resolved in-repo, a JSON report for `.ci/run`. */
export const sharedConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@ncf/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
