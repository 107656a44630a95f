/**
 * Assembles the SIMD kernels' WebAssembly text (wabt, SIMD enabled; `threads` also enables shared memories,
 * which the compute pool's module imports) into a module's bytes.
 */
export function assembleSimdKernels(wat: string, options?: { threads?: boolean }): Promise<Uint8Array>;
/**
 * The generated TypeScript module holding `bytes` as base64 in the constant `name` (default
 * `SIMD_KERNELS_BASE64`), its header naming `source` (default `kernels.wat`).
 */
export function renderBinaryModule(bytes: Uint8Array, source?: string, name?: string): string;
/**
 * The compute pool's module source: `kernels.wat` with its memory import made shared, plus the functions of
 * `pool-kernels.wat`.
 */
export function poolModuleSource(kernelsWat: string, poolWat: string): string;
