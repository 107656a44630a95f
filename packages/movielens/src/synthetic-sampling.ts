// The seeded draws of the synthetic MovieLens generator: latent vectors and weighted choices.
import type { Rng } from '@ncf/core';

/** Scales `v` to unit length in place (a zero vector stays zero). */
export function unit(v: Float64Array): Float64Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  for (let k = 0; k < v.length; k++) v[k] = (v[k] as number) / n;
  return v;
}

/** `d` independent normal draws times `scale`. */
export function gaussianVector(rng: Rng, d: number, scale = 1): Float64Array {
  const v = new Float64Array(d);
  for (let k = 0; k < d; k++) v[k] = rng.normal() * scale;
  return v;
}

/** Index of the first cumulative weight > u·total (binary search). */
export function drawCumulative(cum: Float64Array, rng: Rng): number {
  const total = cum[cum.length - 1] as number;
  const u = rng.next() * total;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid] as number) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Running sums of `weights` (for {@link drawCumulative}). */
export function cumulative(weights: ArrayLike<number>): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  for (let k = 0; k < weights.length; k++) c[k] = s += weights[k] as number;
  return c;
}
