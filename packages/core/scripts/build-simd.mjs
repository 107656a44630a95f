// Assembles src/simd/kernels.wat into src/simd/kernels-binary.ts and src/pool/pool-kernels.wat (shared memory)
// into src/pool/pool-kernels-binary.ts (the modules' bytes, base64) with wabt.
// `pnpm --filter @ncf/core build:simd` after editing a .wat; tests check each pair stays in step.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assembleSimdKernels, renderBinaryModule } from './simd-assembler.mjs';

const modules = [
  {
    wat: '../src/simd/kernels.wat',
    out: '../src/simd/kernels-binary.ts',
    source: 'kernels.wat',
    name: 'SIMD_KERNELS_BASE64',
    threads: false,
  },
  {
    wat: '../src/pool/pool-kernels.wat',
    out: '../src/pool/pool-kernels-binary.ts',
    source: 'pool-kernels.wat',
    name: 'POOL_KERNELS_BASE64',
    threads: true,
  },
];
for (const m of modules) {
  const src = fileURLToPath(new URL(m.wat, import.meta.url));
  const out = fileURLToPath(new URL(m.out, import.meta.url));
  const bytes = await assembleSimdKernels(readFileSync(src, 'utf8'), { threads: m.threads });
  writeFileSync(out, renderBinaryModule(bytes, m.source, m.name));
  console.log(`wrote ${out} (${bytes.length} bytes of WebAssembly)`);
}
