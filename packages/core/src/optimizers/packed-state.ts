// Lazy Adam's interleaved per-row state `[m(dim) | v(dim) | last]` of a sparse table: where it lives (a
// JavaScript array or the wasm heap) and the conversions to and from separate `m`, `v`, `last` slots.
import type { SimdKernels } from '../simd/simd-kernels.js';

/** Interleaved Adam state of one sparse table: in a JavaScript array, or in the wasm heap at `heap.ptr`. */
export interface PackedState {
  readonly dim: number;
  /** Number of floats: rows × (2·dim + 1). */
  readonly length: number;
  readonly values?: Float32Array;
  readonly heap?: { readonly simd: SimdKernels; readonly ptr: number };
}

/** Wraps `values` as state: kept as is without `simd`, else copied into a fresh block of its heap. */
export function placePacked(values: Float32Array, dim: number, simd: SimdKernels | undefined): PackedState {
  if (simd === undefined) return { dim, length: values.length, values };
  const ptr = simd.malloc(values.byteLength);
  new Float32Array(simd.memory.buffer, ptr, values.length).set(values);
  return { dim, length: values.length, heap: { simd, ptr } };
}

/** A view of the state's values (for heap state: valid until the next heap allocation). */
export function packedValues(p: PackedState): Float32Array {
  if (p.values !== undefined) return p.values;
  const { simd, ptr } = p.heap!;
  return new Float32Array(simd.memory.buffer, ptr, p.length);
}

/** Frees the heap block of heap state (JavaScript state needs nothing). */
export function releasePacked(p: PackedState): void {
  if (p.heap !== undefined) p.heap.simd.free(p.heap.ptr);
}

/** Moves a variable's interleaved state back to separate slots (for a dense update or getState). */
export function unpack(p: PackedState): Record<string, Float32Array> {
  const values = packedValues(p);
  const dim = p.dim;
  const stride = 2 * dim + 1;
  const numRows = values.length / stride;
  const m = new Float32Array(numRows * dim);
  const v = new Float32Array(numRows * dim);
  const last = new Float32Array(numRows);
  for (let r = 0; r < numRows; r++) {
    const o = r * stride;
    m.set(values.subarray(o, o + dim), r * dim);
    v.set(values.subarray(o + dim, o + 2 * dim), r * dim);
    last[r] = values[o + 2 * dim]!;
  }
  return { m, v, last };
}
