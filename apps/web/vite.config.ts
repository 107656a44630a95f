import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { defineConfig, defaultClientConditions, type Plugin } from 'vite';

// tfjs-backend-wasm fetches its binaries at run time; the page serves them from `wasm/` next to itself.
function copyWasmBinaries(): Plugin {
  return {
    name: 'ncf-copy-tfjs-wasm',
    apply: 'build',
    writeBundle(options) {
      const fromCore = createRequire(createRequire(import.meta.url).resolve('@ncf/core/package.json'));
      const dir = path.dirname(fromCore.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
      const out = path.join(options.dir ?? 'dist', 'wasm');
      mkdirSync(out, { recursive: true });
      for (const f of readdirSync(path.join(dir, 'dist'))) {
        if (f.endsWith('.wasm')) copyFileSync(path.join(dir, 'dist', f), path.join(out, f));
      }
    },
  };
}

export default defineConfig({
  // Relative URLs: the same build works at `/` (ncf serve --web) and in any folder (ncf export-web).
  base: './',
  resolve: { conditions: ['@ncf/source', ...defaultClientConditions] },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  plugins: [copyWasmBinaries()],
});
