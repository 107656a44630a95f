import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * BatchMatMul for `wasm` whose transposed paths (the backward pass of every dense layer) run at ~2 GFLOP/s
 * there while the plain product runs at 6–14: transpose the operand first with the native Transpose
 * kernel, then call the stock kernel's plain path.
 */
export function transposeThenMatMul(stockMatMul: KernelFunc, stockTranspose: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs } = args;
    const backend = args.backend as KernelBackend;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return stockMatMul(args);
    let a = inputs.a as TensorInfo;
    let b = inputs.b as TensorInfo;
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
