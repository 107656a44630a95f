import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';

/**
 * Inverted dropout (Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
 * JMLR 2014) with the mask drawn from core's seeded {@link Rng} (one draw per value, in index order), so a
 * training run is reproducible on every backend. Identity when `rate` is 0 or `rng` is undefined (inference).
 * Call it inside a tidy scope: the mask tensor is an intermediate.
 */
export function dropout(x: Tensor2D, rate: number, rng: Rng | undefined): Tensor2D {
  if (rate <= 0 || rng === undefined) return x;
  const n = x.size;
  const keep = 1 - rate;
  const scale = 1 / keep;
  const mask = new Float32Array(n);
  for (let i = 0; i < n; i++) mask[i] = rng.next() < keep ? scale : 0;
  return tf.mul(x, tf.tensor2d(mask, x.shape as [number, number]));
}
