// Writes src/gradients/tfjs-gradients.ts (tfjs-core's gradient configs, see gradients-bundler.mjs).
// `pnpm --filter @ncf/core build:gradients` after changing the tfjs-core version; a test checks it is current.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderGradientsModule } from './gradients-bundler.mjs';

const out = fileURLToPath(new URL('../src/gradients/tfjs-gradients.ts', import.meta.url));
const text = await renderGradientsModule();
writeFileSync(out, text);
console.log(`wrote ${out} (${text.length} characters)`);
