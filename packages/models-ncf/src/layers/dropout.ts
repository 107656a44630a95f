import { tf } from '@ncf/core';
import type { Rng, Tensor2D } from '@ncf/core';

/**
 * Inverted dropout (Srivastava et al., JMLR 2014) with a mask drawn from core's seeded {@link Rng}, so a
 * training run is reproducible on every backend. Identity when `rate` is 0 or outside training.
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
