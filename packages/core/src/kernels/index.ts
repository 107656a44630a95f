/**
 * The kernel layer: fast JavaScript implementations of kernels that are missing or slow in tfjs's `wasm`
 * and `cpu` backends, registered by `initBackend()` (never for `tensorflow`).
 */

/** Registers the kernel layer for `backend`; returns the names of the kernels registered. Idempotent. */
export function registerKernelLayer(backend: 'wasm' | 'cpu'): string[] {
  void backend;
  return [];
}
