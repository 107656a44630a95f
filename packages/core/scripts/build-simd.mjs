// Assembles the SIMD modules with wabt into TypeScript files holding their bytes (base64):
// - src/simd/kernels.wat → src/simd/kernels-binary.ts (on tfjs-wasm's heap);
// - kernels.wat with a shared memory + src/pool/pool-kernels.wat → src/pool/pool-kernels-binary.ts (the
//   compute pool's module, see `poolModuleSource`).
// `pnpm --filter @ncf/core build:simd` after editing a .wat; tests check each output stays in step.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assembleSimdKernels, poolModuleSource, renderBinaryModule } from './simd-assembler.mjs';

const read = (rel) => readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8');
const kernels = read('../src/simd/kernels.wat');
const modules = [
  {
    wat: kernels,
    out: '../src/simd/kernels-binary.ts',
    source: 'kernels.wat',
    name: 'SIMD_KERNELS_BASE64',
    threads: false,
  },
  {
    wat: poolModuleSource(kernels, read('../src/pool/pool-kernels.wat')),
    out: '../src/pool/pool-kernels-binary.ts',
    source: 'kernels.wat + pool-kernels.wat',
    name: 'POOL_KERNELS_BASE64',
    threads: true,
  },
];
for (const m of modules) {
  const out = fileURLToPath(new URL(m.out, import.meta.url));
  const bytes = await assembleSimdKernels(m.wat, { threads: m.threads });
  writeFileSync(out, renderBinaryModule(bytes, m.source, m.name));
  console.log(`wrote ${out} (${bytes.length} bytes of WebAssembly)`);
}
