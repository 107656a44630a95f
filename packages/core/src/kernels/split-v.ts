import {
  backend_util,
  util,
  type KernelBackend,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { simdKernelsFor } from '../simd/simd-kernels.js';
import { allocOutput, liveValues, wasmWords } from './memory.js';

/**
 * SplitV (the gradient of concat) as row copies. Returns undefined for dtypes it does not handle so the
 * caller falls back to the stock kernel.
 */
export function splitVFast(args: Parameters<KernelFunc>[0]): TensorInfo[] | undefined {
  const { inputs, attrs } = args;
  const backend = args.backend as KernelBackend;
  const x = inputs.x as TensorInfo;
  const { numOrSizeSplits, axis } = attrs as { numOrSizeSplits: number | number[]; axis: number };
  if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return undefined;
  const ax = util.parseAxisParam(axis, x.shape)[0]!;
  const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, ax);
  const outer = x.shape.slice(0, ax).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const rowIn = x.shape[ax]! * inner;
  const outs = sizes.map((s) => {
    const shape = x.shape.slice();
    shape[ax] = s;
    return allocOutput(backend, shape, x.dtype as 'float32' | 'int32' | 'bool');
  });
  const simd = x.dtype !== 'bool' && outer > 0 ? simdKernelsFor(backend) : undefined;
  if (simd !== undefined) {
    // wasm: each output's rows move in one SIMD kernel call.
    const srcPtr = simd.offsetOf(x);
    let at = 0;
    sizes.forEach((s, i) => {
      const chunk = s * inner;
      if (chunk > 0)
        simd.copyRowsStrided(srcPtr + 4 * at, rowIn, simd.offsetOf(outs[i]!), chunk, outer, chunk);
      at += chunk;
    });
    return outs;
  }
  const src = liveValues(x, backend)!;
  let offset = 0;
  sizes.forEach((s, i) => {
    const chunk = s * inner;
    if (chunk > 0 && outer > 0) {
      const ws = wasmWords(x, backend);
      const wd = ws ? wasmWords(outs[i]!, backend) : undefined;
      if (ws && wd) {
        // wasm: chunks move with memmove inside the heap.
        for (let o = 0; o < outer; o++) {
          const so = ws.offset + o * rowIn + offset;
          ws.heap.copyWithin(wd.offset + o * chunk, so, so + chunk);
        }
      } else {
        const dst = liveValues(outs[i]!, backend)!;
        if (chunk <= 64) {
          // Short rows: an element loop beats a subarray view per row.
          for (let o = 0; o < outer; o++) {
            const so = o * rowIn + offset;
            const d = o * chunk;
            for (let c = 0; c < chunk; c++) dst[d + c] = src[so + c]!;
          }
        } else {
          for (let o = 0; o < outer; o++)
            dst.set(src.subarray(o * rowIn + offset, o * rowIn + offset + chunk), o * chunk);
        }
      }
    }
    offset += chunk;
  });
  return outs;
}
