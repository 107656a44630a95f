import { broadcast_util, type KernelBackend, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { allocOutput } from './memory.js';

/**
 * BatchMatMul for `wasm` whose transposed paths (the backward pass of every dense layer) run at ~2 GFLOP/s
 * there while the plain product runs at 6–14: transpose the operand first with the native Transpose
 * kernel, then call the stock kernel's plain path. A product over an empty shared dimension is zeros (the stock
 * kernel returned uninitialised memory).
 */
export function transposeThenMatMul(stockMatMul: KernelFunc, stockTranspose: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs } = args;
    const backend = args.backend as KernelBackend;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    let a = inputs.a as TensorInfo;
    let b = inputs.b as TensorInfo;
    const ra = a.shape.length;
    const rb = b.shape.length;
    if (ra >= 2 && rb >= 2 && (transposeA ? a.shape[ra - 2] : a.shape[ra - 1]) === 0) {
      // Empty shared dimension: the product is zeros (stock wasm returns uninitialised memory).
      const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
      const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
      return allocOutput(backend, [...outer, m, n], 'float32', true);
    }
    if (!transposeA && !transposeB) return stockMatMul(args);
    const temps: TensorInfo[] = [];
    const swapLast = (t: TensorInfo): TensorInfo => {
      const r = t.shape.length;
      const perm = Array.from({ length: r }, (_, i) => i);
      perm[r - 2] = r - 1;
      perm[r - 1] = r - 2;
      const out = stockTranspose({ inputs: { x: t }, backend, attrs: { perm } }) as TensorInfo;
      temps.push(out);
      return out;
    };
    if (transposeA) a = swapLast(a);
    if (transposeB) b = swapLast(b);
    try {
      return stockMatMul({
        inputs: { a, b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}
