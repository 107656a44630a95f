// Assembles src/simd/kernels.wat into src/simd/kernels-binary.ts (the module's bytes, base64) with wabt.
// `pnpm --filter @ncf/core build:simd` after editing the .wat; a test checks the two stay in step.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assembleSimdKernels, renderBinaryModule } from './simd-assembler.mjs';

const src = fileURLToPath(new URL('../src/simd/kernels.wat', import.meta.url));
const out = fileURLToPath(new URL('../src/simd/kernels-binary.ts', import.meta.url));
const bytes = await assembleSimdKernels(readFileSync(src, 'utf8'));
writeFileSync(out, renderBinaryModule(bytes));
console.log(`wrote ${out} (${bytes.length} bytes of WebAssembly)`);
