import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, Scalar, Tensor } from '@tensorflow/tfjs-core';
import { NcfError } from './errors.js';
import { kernelsRegistered } from './kernels/index.js';
import { SIGMOID_CROSS_ENTROPY, SIGMOID_CROSS_ENTROPY_GRAD } from './kernels/sigmoid-cross-entropy.js';

/** Whether the fused loss kernels are registered for the active backend (`wasm`/`cpu` after `initBackend`). */
export function hasFusedSigmoidCrossEntropy(): boolean {
  return kernelsRegistered(SIGMOID_CROSS_ENTROPY, SIGMOID_CROSS_ENTROPY_GRAD);
}

/**
 * Mean sigmoid cross-entropy of `logits` against `labels` in [0, 1], `mean(softplus(x) − x·y)` — the
 * log loss of the NCF paper (He et al., WWW 2017, eq. 7) computed stably from logits. Differentiable
 * w.r.t. `logits` only (labels are data). On `wasm` and `cpu` the loss is one kernel and its gradient
 * another; other backends compose tfjs ops.
 */
export function sigmoidCrossEntropyWithLogits(logits: Tensor, labels: Tensor): Scalar {
  if (logits.size !== labels.size) {
    throw new NcfError(
      'SHAPE_MISMATCH',
      `sigmoidCrossEntropyWithLogits: ${logits.size} logits but ${labels.size} labels`,
    );
  }
  if (!hasFusedSigmoidCrossEntropy() || logits.dtype !== 'float32' || labels.dtype !== 'float32') {
    return tf.tidy(() => tf.mean(tf.sub(tf.softplus(logits), tf.mul(logits, labels))));
  }
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const x = args[0] as Tensor;
    const save = args[1] as GradSaveFunc;
    const value = tf.engine().runKernel(SIGMOID_CROSS_ENTROPY, { logits: x, labels }) as Scalar;
    save([x, labels]);
    return {
      value,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) =>
        tf.engine().runKernel(SIGMOID_CROSS_ENTROPY_GRAD, {
          dy: dy as Tensor,
          logits: saved[0]!,
          labels: saved[1]!,
        }) as Tensor,
    };
  });
  return op(logits) as Scalar;
}
