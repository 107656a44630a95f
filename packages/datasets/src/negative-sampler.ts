import type { Rng } from '@ncf/core';
import { ConfigError, DataError, type Csr } from '@ncf/core/base';
import type { Interactions } from './interactions.js';
import { userItemsCsr } from './user-items-csr.js';

/** Draws negative items for users. */
export interface NegativeSampler {
  readonly numItems: number;
  /** One negative item for `user`. */
  sample(user: number, rng: Rng): number;
  /** `out[k]` = a negative for `users[k]`, for every k. */
  sampleMany(users: Int32Array, out: Int32Array, rng: Rng): void;
}

/**
 * Each user's distinct items as a users × items {@link Csr} without values (`indices[offsets[u]..offsets[u+1])`,
 * sorted, duplicates of a pair collapsed), for exact exclusion.
 */
export function seenItems(interactions: Interactions): Csr {
  const csr = userItemsCsr(interactions);
  const offsets = new Int32Array(csr.numRows + 1);
  const items = new Int32Array(csr.indices.length);
  let m = 0;
  for (let u = 0; u < csr.numRows; u++) {
    const end = csr.offsets[u + 1]!;
    for (let j = csr.offsets[u]!; j < end; j++) {
      const i = csr.indices[j]!;
      if (m === offsets[u] || items[m - 1] !== i) items[m++] = i;
    }
    offsets[u + 1] = m;
  }
  return { numRows: csr.numRows, numCols: csr.numCols, offsets, indices: items.slice(0, m) };
}

/**
 * Unbiased integer in `[0, bound)`: Lemire's multiply-shift with rejection (Lemire, 2019), exact in float64
 * while `bound < 2^21`, so the modulo runs only on the rare rejection path; larger bounds use `rng.int`.
 */
export function boundedInt(rng: Rng, bound: number): number {
  if (bound >= 2097152) return rng.int(bound);
  for (;;) {
    const m = rng.nextUint32() * bound; // < 2^53: exact
    const hi = Math.floor(m * 2.3283064365386963e-10); // m / 2^32, exact
    const lo = m - hi * 4294967296;
    if (lo >= bound || lo >= (4294967296 - bound) % bound) return hi;
  }
}

/**
 * Uniform negatives with exact exclusion of the user's items: draw `r` uniform in `[0, numItems − d_u)` and
 * return the `r`-th item the user has not seen, found by binary search over the user's sorted items
 * (`items[j] − j` is non-decreasing). One random number and O(log d_u) per sample, no rejection loop.
 */
export function uniformNegativeSampler(seen: Csr | Interactions): NegativeSampler {
  const s = 'offsets' in seen ? seen : seenItems(seen);
  const { offsets, indices: items, numCols: numItems } = s;
  const sample = (user: number, rng: Rng): number => {
    const a = offsets[user]!;
    const d = offsets[user + 1]! - a;
    const free = numItems - d;
    if (free <= 0) {
      throw new DataError(`user index ${user} has interacted with all ${numItems} items; no negative exists`);
    }
    const r = boundedInt(rng, free);
    // smallest j in [0, d] with items[a+j] − j > r; the answer is r + j
    let lo = 0;
    let hi = d;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (items[a + mid]! - mid > r) hi = mid;
      else lo = mid + 1;
    }
    return r + lo;
  };
  return {
    numItems,
    sample,
    sampleMany(users: Int32Array, out: Int32Array, rng: Rng): void {
      for (let k = 0; k < users.length; k++) out[k] = sample(users[k]!, rng);
    },
  };
}

/** Options of {@link popularityNegativeSampler}. */
export interface PopularitySamplerOptions {
  /** Sampling weight = count^exponent (word2vec uses 0.75). Default 1. */
  readonly exponent?: number;
  /** Reject items the user has seen (exact: falls back to uniform exclusion after `maxTries`). Default true. */
  readonly excludeSeen?: boolean;
  /** Rejections before falling back to the uniform sampler. Default 32. */
  readonly maxTries?: number;
}

/** Defaults of {@link PopularitySamplerOptions}. */
export const POPULARITY_SAMPLER_DEFAULTS = { exponent: 1, excludeSeen: true, maxTries: 32 } as const;

/** Walker/Vose alias table over non-negative weights: O(1) sampling. */
export interface AliasTable {
  readonly prob: Float64Array;
  readonly alias: Int32Array;
}

/** Builds a Vose alias table (Vose, 1991). Throws when all weights are zero. */
export function aliasTable(weights: ArrayLike<number>): AliasTable {
  const n = weights.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!(w >= 0) || !Number.isFinite(w))
      throw new ConfigError(`weight ${i} is ${w}; expected a finite number ≥ 0`);
    total += w;
  }
  if (!(total > 0)) throw new DataError('all sampling weights are zero');
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = new Float64Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < n; i++) {
    scaled[i] = (weights[i]! * n) / total;
    if (scaled[i]! < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns]!;
    const l = large[--nl]!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    if (scaled[l]! < 1) small[ns++] = l;
    else large[nl++] = l;
  }
  while (nl > 0) prob[large[--nl]!] = 1;
  while (ns > 0) prob[small[--ns]!] = 1;
  return { prob, alias };
}

/** Draws from an alias table. */
export function sampleAlias(table: AliasTable, rng: Rng): number {
  const i = boundedInt(rng, table.prob.length);
  return rng.next() < table.prob[i]! ? i : table.alias[i]!;
}

/**
 * Popularity-biased negatives: item `i` drawn with probability ∝ count_i^exponent through an alias table,
 * rejecting items the user has seen. After `maxTries` rejections it falls back to exact uniform exclusion, so
 * a sample is never a seen item (the distribution for very heavy users is then slightly flattened).
 */
export function popularityNegativeSampler(
  interactions: Interactions,
  options: PopularitySamplerOptions = {},
): NegativeSampler {
  const o = { ...POPULARITY_SAMPLER_DEFAULTS, ...options };
  const counts = new Float64Array(interactions.numItems);
  for (let k = 0; k < interactions.length; k++) counts[interactions.items[k]!]! += 1;
  const weights = o.exponent === 1 ? counts : counts.map((c) => Math.pow(c, o.exponent));
  const table = aliasTable(weights);
  const seen = seenItems(interactions);
  const uniform = uniformNegativeSampler(seen);
  const { offsets, indices: items } = seen;
  const has = (u: number, item: number): boolean => {
    let lo = offsets[u]!;
    let hi = offsets[u + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = items[mid]!;
      if (v === item) return true;
      if (v < item) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
  const sample = (user: number, rng: Rng): number => {
    if (!o.excludeSeen) return sampleAlias(table, rng);
    for (let t = 0; t < o.maxTries; t++) {
      const i = sampleAlias(table, rng);
      if (!has(user, i)) return i;
    }
    return uniform.sample(user, rng);
  };
  return {
    numItems: interactions.numItems,
    sample,
    sampleMany(users: Int32Array, out: Int32Array, rng: Rng): void {
      for (let k = 0; k < users.length; k++) out[k] = sample(users[k]!, rng);
    },
  };
}
