import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { NcfError } from './errors.js';
import { kernelsRegistered } from './kernels/index.js';
import { ROW_DOT, ROW_DOT_GRAD } from './kernels/row-dot.js';

/**
 * Row-wise dot product of two `[n, d]` matrices, `out[i] = Σ_k a[i,k]·b[i,k]`: the score of matrix
 * factorisation (Koren et al. 2009; Rendle et al. 2020) and of BPR's pairs (Rendle et al. 2009),
 * differentiable in both inputs. Its gradient is computed directly (`da = dy·b`, `db = dy·a`), not
 * through tfjs's Sum gradient, which builds `ones(a.shape)` in JavaScript: forward and backward at batch 1024 ×
 * 192 factors take ~1.8 ms on `wasm` against ~4.5 ms for `sum(mul(a, b), 1)`. On `cpu` both directions are one
 * JavaScript kernel each (~12× faster than the composite there).
 */
export function rowDot(a: Tensor2D, b: Tensor2D): Tensor1D {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) {
    throw new NcfError(
      'SHAPE_MISMATCH',
      `rowDot: expected two matrices of one shape, got [${a.shape.join(',')}] and [${b.shape.join(',')}]`,
    );
  }
  const fused = kernelsRegistered(ROW_DOT, ROW_DOT_GRAD) && a.dtype === 'float32' && b.dtype === 'float32';
  const n = a.shape[0];
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const x = args[0] as Tensor;
    const y = args[1] as Tensor;
    const save = args[2] as GradSaveFunc;
    save([x, y]);
    return {
      value: fused
        ? (tf.engine().runKernel(ROW_DOT, { a: x, b: y }) as Tensor1D)
        : tf.tidy(() => tf.sum(tf.mul(x, y), 1)),
      // The direct gradient (dy broadcast over each row times the other input): tfjs's Sum gradient would
      // first build ones(a.shape) in JavaScript and multiply it in.
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) =>
        fused
          ? (tf
              .engine()
              .runKernel(ROW_DOT_GRAD, { dy: dy as Tensor, a: saved[0]!, b: saved[1]! }) as Tensor[])
          : tf.tidy(() => {
              const g = tf.reshape(dy as Tensor, [n, 1]);
              return [tf.mul(g, saved[1]!), tf.mul(g, saved[0]!)];
            }),
    };
  });
  return op(a, b) as Tensor1D;
}
