/** Assembles the SIMD kernels' WebAssembly text (wabt, SIMD enabled) into a module's bytes. */
export function assembleSimdKernels(wat: string): Promise<Uint8Array>;
/** The generated TypeScript module (`kernels-binary.ts`) holding `bytes` as base64. */
export function renderBinaryModule(bytes: Uint8Array): string;
