import { util, type KernelBackend, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernelsFor } from '../simd/simd-kernels.js';
import { allocOutput, liveInt32, liveValues, wasmWords } from './memory.js';

/**
 * GatherV2 (batchDims 0) as row copies: `out[o, j, :] = x[o, indices[j], :]`. Out-of-range indices throw,
 * as tfjs's cpu reference does. Returns undefined for cases it does not handle (batchDims ≠ 0, other
 * dtypes) so the caller can fall back to the stock kernel.
 */
export function gatherV2Fast(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const { inputs, attrs } = args;
  const backend = args.backend as KernelBackend;
  const x = inputs.x as TensorInfo;
  const indices = inputs.indices as TensorInfo;
  const { axis, batchDims } = attrs as { axis: number; batchDims: number };
  if ((batchDims ?? 0) !== 0) return undefined;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return undefined;
  if (indices.dtype !== 'int32' && indices.dtype !== 'float32') return undefined;
  const ax = util.parseAxisParam(axis, x.shape)[0]!;
  const outer = x.shape.slice(0, ax).reduce((a, b) => a * b, 1);
  const n = x.shape[ax]!;
  const inner = x.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const m = indices.shape.reduce((a, b) => a * b, 1);
  const outShape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
  const out = allocOutput(backend, outShape, x.dtype);
  if (outer * m * inner === 0) return out;
  const idx = liveInt32(indices, backend);
  for (let j = 0; j < m; j++) {
    const id = idx[j]!;
    if (!(id >= 0 && id < n)) {
      backend.disposeData(out.dataId);
      throw new Error(`GatherV2: the index value ${id} is not in [0, ${n - 1}]`);
    }
  }
  copyRowsByIndex(backend, x, out, idx, outer, n, inner);
  return out;
}

/**
 * `out[o, j, :] = x[o, idx[j], :]` for `o < outer`, rows of `inner` values, `x` having `n` rows per outer
 * index. Indices must already be checked. On wasm rows move with `copyWithin` inside the heap; elsewhere with
 * element loops (short rows) or `set` (long rows). Shared by GatherV2 and the train step's `NcfGatherRows`.
 */
export function copyRowsByIndex(
  backend: KernelBackend,
  x: TensorInfo,
  out: TensorInfo,
  idx: Int32Array,
  outer: number,
  n: number,
  inner: number,
): void {
  const m = idx.length;
  const simd = x.dtype === 'float32' || x.dtype === 'int32' ? simdKernelsFor(backend) : undefined;
  if (simd !== undefined) {
    // wasm: one SIMD kernel call moves every row (no per-row JavaScript).
    const ids = simd.writeInt32(0, idx);
    const src = simd.offsetOf(x);
    const dst = simd.offsetOf(out);
    for (let o = 0; o < outer; o++)
      simd.gatherRows(src + 4 * o * n * inner, dst + 4 * o * m * inner, ids, m, inner);
    return;
  }
  const ws = inner >= 8 ? wasmWords(x, backend) : undefined;
  const wd = ws ? wasmWords(out, backend) : undefined;
  if (ws && wd) {
    // wasm: rows move with memmove inside the heap.
    const heap = ws.heap;
    for (let o = 0; o < outer; o++) {
      const so = ws.offset + o * n * inner;
      const dO = wd.offset + o * m * inner;
      for (let j = 0; j < m; j++) {
        const s = so + idx[j]! * inner;
        heap.copyWithin(dO + j * inner, s, s + inner);
      }
    }
    return;
  }
  const src = liveValues(x, backend)!;
  const dst = liveValues(out, backend)!;
  for (let o = 0; o < outer; o++) {
    const so = o * n * inner;
    const dO = o * m * inner;
    if (inner === 1) {
      for (let j = 0; j < m; j++) dst[dO + j] = src[so + idx[j]!]!;
    } else if (inner <= 64) {
      // Short rows (embedding sizes): an element loop beats creating a subarray view per row.
      for (let j = 0; j < m; j++) {
        const s = so + idx[j]! * inner;
        const d = dO + j * inner;
        for (let c = 0; c < inner; c++) dst[d + c] = src[s + c]!;
      }
    } else {
      for (let j = 0; j < m; j++) {
        const s = so + idx[j]! * inner;
        dst.set(src.subarray(s, s + inner), dO + j * inner);
      }
    }
  }
}
