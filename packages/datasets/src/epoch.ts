import type { Rng } from '@ncf/core/base';
import { ConfigError, shuffleInPlace } from '@ncf/core/base';

/** A seeded permutation of `0..n-1` (the identity without `rng`). */
export function permutation(n: number, rng: Rng | undefined): Int32Array {
  const perm = new Int32Array(n);
  for (let k = 0; k < n; k++) perm[k] = k;
  return rng ? shuffleInPlace(perm, rng) : perm;
}

/** Checks a batch size. */
export function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new ConfigError(`batchSize must be a positive integer, got ${batchSize}`, 'batchSize');
  }
}

/** Gathers `src[perm[a..b)]` into a new array of the same type. */
export function gather<T extends Int32Array | Float32Array>(
  src: T,
  perm: Int32Array,
  a: number,
  b: number,
): T {
  const out = new (src.constructor as new (n: number) => T)(b - a);
  for (let k = a; k < b; k++) out[k - a] = src[perm[k]!]!;
  return out;
}
