import { util, type KernelBackend, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernelsFor } from '../simd/simd-kernels.js';
import { allocOutput, liveValues, wasmWords } from './memory.js';

/**
 * Concat as row copies: for each outer index, the inputs' contiguous chunks one after another. Returns
 * undefined for dtypes it does not handle (string, complex) so the caller falls back to the stock kernel.
 */
export function concatFast(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const { inputs, attrs } = args;
  const backend = args.backend as KernelBackend;
  const xs = inputs as unknown as TensorInfo[];
  const first = xs[0];
  if (first === undefined) return undefined;
  const dtype = first.dtype;
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') return undefined;
  if (xs.some((t) => t.dtype !== dtype)) return undefined;
  const ax = util.parseAxisParam((attrs as { axis: number }).axis, first.shape)[0]!;
  const rank = first.shape.length;
  let along = 0;
  for (const t of xs) {
    if (t.shape.length !== rank) {
      throw new Error(
        `Error in concat${rank}D: rank of tensors[${xs.indexOf(t)}] must be the same as the rank of the rest (${rank})`,
      );
    }
    for (let d = 0; d < rank; d++) {
      if (d !== ax && t.shape[d] !== first.shape[d]) {
        throw new Error(
          `Error in concat${rank}D: Shape of tensors[${xs.indexOf(t)}] (${t.shape}) does not match the shape of the rest (${first.shape}) along the non-concatenated axis ${d}.`,
        );
      }
    }
    along += t.shape[ax]!;
  }
  const outShape = first.shape.slice();
  outShape[ax] = along;
  const outer = first.shape.slice(0, ax).reduce((a, b) => a * b, 1);
  const inner = first.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const out = allocOutput(backend, outShape, dtype);
  const rowOut = along * inner;
  if (outer * rowOut === 0) return out;
  const simd = outer > 1 && dtype !== 'bool' ? simdKernelsFor(backend) : undefined;
  if (simd !== undefined) {
    // wasm: each input's rows move in one SIMD kernel call.
    const dstPtr = simd.offsetOf(out);
    let at = 0;
    for (const t of xs) {
      const chunk = t.shape[ax]! * inner;
      if (chunk > 0) simd.copyRowsStrided(simd.offsetOf(t), chunk, dstPtr + 4 * at, rowOut, outer, chunk);
      at += chunk;
    }
    return out;
  }
  const dst = liveValues(out, backend)!;
  let offset = 0;
  for (const t of xs) {
    const chunk = t.shape[ax]! * inner;
    if (chunk === 0) continue;
    const ws = outer > 1 ? wasmWords(t, backend) : undefined;
    const wd = ws ? wasmWords(out, backend) : undefined;
    if (ws && wd) {
      // wasm: chunks move with memmove inside the heap.
      for (let o = 0; o < outer; o++) {
        const s = ws.offset + o * chunk;
        ws.heap.copyWithin(wd.offset + o * rowOut + offset, s, s + chunk);
      }
    } else {
      const src = liveValues(t, backend)!;
      if (outer === 1) dst.set(src.subarray(0, chunk), offset);
      else if (chunk <= 64) {
        // Short rows: an element loop beats a subarray view per row.
        for (let o = 0; o < outer; o++) {
          const s = o * chunk;
          const d = o * rowOut + offset;
          for (let c = 0; c < chunk; c++) dst[d + c] = src[s + c]!;
        }
      } else {
        for (let o = 0; o < outer; o++)
          dst.set(src.subarray(o * chunk, (o + 1) * chunk), o * rowOut + offset);
      }
    }
    offset += chunk;
  }
  return out;
}
