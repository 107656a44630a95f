// Lazy Adam on the wasm heap: the calls into the SIMD kernels of `src/simd/kernels.wat` for an update and
// a catch-up of sparse rows, and the catch-up table's copy in the heap they read.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { SimdKernels } from '../simd/simd-kernels.js';
import { CATCH_UP_TABLE_SIZE, type AdamStep, type CatchUpTable } from './lazy-adam-catch-up.js';
import type { PackedState } from './packed-state.js';

/**
 * {@link adamRowsWithCatchUp} on the wasm heap, as two kernel calls: the per-row part (the gap since the row's
 * last step, its catch-up coefficients, the new last step; `adam_coefficients`, float64 like the JavaScript) and
 * the per-element part (`adam_rows`, SIMD, float32 arithmetic), both in `kernels.wat`.
 */
export function adamRowsSimd(
  simd: SimdKernels,
  variable: TensorInfo,
  grad: TensorInfo,
  state: PackedState,
  rows: Int32Array,
  dim: number,
  step: AdamStep,
): void {
  const { l2x2, alpha, invSqrtBc2, eps } = step;
  const { rowsPtr, coefPtr } = rowCoefficients(simd, state, rows, dim, step, 0);
  const { b1, b2 } = step.table!;
  const n = rows.length;
  simd.adamRows(
    simd.offsetOf(variable),
    simd.offsetOf(grad),
    state.heap!.ptr,
    rowsPtr,
    coefPtr,
    n,
    dim,
    l2x2,
    alpha,
    invSqrtBc2,
    eps,
    1 - b1,
    1 - b2,
  );
}

/**
 * Writes `rows` into scratch slot 0 and their `adam_coefficients` into slot 1: mode 0 for an update at step
 * `step.t`, mode 1 for a catch-up to the completed step `step.t`. Returns both pointers.
 */
function rowCoefficients(
  simd: SimdKernels,
  state: PackedState,
  rows: Int32Array,
  dim: number,
  step: AdamStep,
  mode: 0 | 1,
): { rowsPtr: number; coefPtr: number } {
  const table = step.table!;
  const n = rows.length;
  const rowsPtr = simd.writeInt32(0, rows);
  const tablePtr = heapTableFor(simd, table);
  const coefPtr = simd.scratch(1, 12 * n);
  simd.adamCoefficients(
    state.heap!.ptr,
    rowsPtr,
    coefPtr,
    n,
    dim,
    step.t,
    mode,
    tablePtr,
    CATCH_UP_TABLE_SIZE,
    table.c.length,
    step.lrs,
    table.b1,
    table.b2,
    table.cInf,
  );
  return { rowsPtr, coefPtr };
}

/** Lazy Adam's catch-up of `rows` to the completed step `t` on the wasm heap (`adam_catch_up`). */
export function catchUpRowsSimd(
  simd: SimdKernels,
  variable: TensorInfo,
  state: PackedState,
  rows: Int32Array,
  dim: number,
  step: AdamStep,
): void {
  const { rowsPtr, coefPtr } = rowCoefficients(simd, state, rows, dim, step, 1);
  simd.adamCatchUp(
    simd.offsetOf(variable),
    state.heap!.ptr,
    rowsPtr,
    coefPtr,
    rows.length,
    dim,
    step.invSqrtBc2,
    step.eps,
  );
}

/** The catch-up table copied into `simd`'s heap as float64 `[β1ᵏ… | β2ᵏ… | ρᵏ… | C…]` (once per table and heap). */
function heapTableFor(simd: SimdKernels, table: CatchUpTable): number {
  const have = table.heap;
  if (have !== undefined && have.simd === simd) return have.ptr;
  const size = 3 * CATCH_UP_TABLE_SIZE + table.c.length;
  const ptr = simd.malloc(8 * size);
  const view = new Float64Array(simd.memory.buffer, ptr, size);
  view.set(table.d1, 0);
  view.set(table.d2, CATCH_UP_TABLE_SIZE);
  view.set(table.rk, 2 * CATCH_UP_TABLE_SIZE);
  view.set(table.c, 3 * CATCH_UP_TABLE_SIZE);
  if (have !== undefined) have.simd.free(have.ptr);
  table.heap = { simd, ptr };
  return ptr;
}
