import { sigmoidCrossEntropyWithLogits, tf } from '@ncf/core';
import type { Scalar, Tensor1D } from '@ncf/core';

/**
 * Training losses of the NCF family, each written with few kernels (a training step's cost on the JS
 * backends is dominated by the number of kernels, not their size).
 * - `bce`: sigmoid cross-entropy on 0/1 labels with sampled negatives (He et al., WWW 2017, eq. 7).
 * - `mse`: squared error on ratings (explicit feedback).
 * - `bpr`: Bayesian Personalised Ranking, `-ln σ(x_ui − x_uj)` (Rendle et al., UAI 2009), on pairwise batches.
 */
export type NcfLoss = 'bce' | 'mse' | 'bpr';

/** The losses a config may name. */
export const NCF_LOSSES: readonly NcfLoss[] = ['bce', 'mse', 'bpr'];

/** Mean sigmoid cross-entropy of `logits` against `labels` in [0, 1]: `softplus(x) − x·y` (numerically stable). */
export function sigmoidCrossEntropy(logits: Tensor1D, labels: Tensor1D): Scalar {
  return sigmoidCrossEntropyWithLogits(logits, labels);
}

/** Mean squared error. */
export function meanSquaredError(predictions: Tensor1D, targets: Tensor1D): Scalar {
  return tf.mean(tf.squaredDifference(predictions, targets));
}

/** Mean BPR loss of score differences `positive − negative`: `softplus(−d) = −ln σ(d)`. */
export function bprLoss(difference: Tensor1D): Scalar {
  return tf.mean(tf.softplus(tf.neg(difference)));
}
