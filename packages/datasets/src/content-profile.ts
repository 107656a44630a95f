import type { FeatureMatrix } from '@ncf/core/base';
import { ConfigError, DataError } from '@ncf/core/base';
import type { Interactions } from './interactions.js';

/** Options of {@link centredRatings} and {@link userProfiles}. */
export interface CentringOptions {
  /**
   * Pseudo-count `k` pulling each user's mean toward the scale midpoint:
   * `r̄_u = (Σ_i r_ui + k·mid) / (n_u + k)`. 0 gives the plain mean. Default 5.
   */
  readonly shrinkage?: number;
  /** The midpoint; default the middle of `ratingRange`. */
  readonly midpoint?: number;
  /** Rating scale; default the observed `[min, max]`. */
  readonly ratingRange?: readonly [number, number];
}

/** Defaults of {@link CentringOptions}. */
export const CENTRING_DEFAULTS = { shrinkage: 5 } as const;

/**
 * Each interaction's rating minus its user's shrunk mean (see {@link CentringOptions}); `1` for every
 * interaction when there are no ratings (implicit feedback carries no preference strength to centre).
 */
export function centredRatings(interactions: Interactions, options: CentringOptions = {}): Float32Array {
  const n = interactions.length;
  const r = interactions.ratings;
  if (!r) return new Float32Array(n).fill(1);
  const k = options.shrinkage ?? CENTRING_DEFAULTS.shrinkage;
  if (!(k >= 0) || !Number.isFinite(k))
    throw new ConfigError(`shrinkage must be a finite number ≥ 0, got ${k}`, 'shrinkage');
  let mid = options.midpoint;
  if (mid === undefined) {
    let lo = options.ratingRange?.[0];
    let hi = options.ratingRange?.[1];
    if (lo === undefined || hi === undefined) {
      lo = Infinity;
      hi = -Infinity;
      for (let j = 0; j < n; j++) {
        if (r[j]! < lo) lo = r[j]!;
        if (r[j]! > hi) hi = r[j]!;
      }
    }
    mid = n === 0 ? 0 : (lo + hi) / 2;
  }
  const sum = new Float64Array(interactions.numUsers);
  const cnt = new Float64Array(interactions.numUsers);
  for (let j = 0; j < n; j++) {
    const u = interactions.users[j]!;
    sum[u]! += r[j]!;
    cnt[u]! += 1;
  }
  const mean = new Float64Array(interactions.numUsers);
  for (let u = 0; u < mean.length; u++) mean[u] = (sum[u]! + k * mid) / (cnt[u]! + k || 1);
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) out[j] = r[j]! - mean[interactions.users[j]!]!;
  return out;
}

/**
 * Content-based user profiles as in the seed project: the item profile is the item's feature vector; the
 * user profile is `(1/n_u) Σ_{i rated by u} (r_ui − r̄_u)·x_i` with `r̄_u` shrunk toward the scale midpoint
 * ({@link CentringOptions}). Users without interactions get a zero row. Columns keep the item feature names.
 */
export function userProfiles(
  interactions: Interactions,
  itemFeatures: FeatureMatrix,
  options: CentringOptions = {},
): FeatureMatrix {
  if (itemFeatures.rows !== interactions.numItems) {
    throw new DataError(
      `item features have ${itemFeatures.rows} rows; expected ${interactions.numItems} (one per item)`,
    );
  }
  const dim = itemFeatures.dim;
  const x = itemFeatures.values;
  const w = centredRatings(interactions, options);
  const values = new Float32Array(interactions.numUsers * dim);
  const acc = new Float64Array(interactions.numUsers * dim);
  const cnt = new Float64Array(interactions.numUsers);
  for (let j = 0; j < interactions.length; j++) {
    const u = interactions.users[j]!;
    const i = interactions.items[j]!;
    const wj = w[j]!;
    cnt[u]! += 1;
    const ub = u * dim;
    const ib = i * dim;
    for (let d = 0; d < dim; d++) acc[ub + d]! += wj * x[ib + d]!;
  }
  for (let u = 0; u < interactions.numUsers; u++) {
    const c = cnt[u]!;
    if (c === 0) continue;
    for (let d = 0; d < dim; d++) values[u * dim + d] = acc[u * dim + d]! / c;
  }
  return { names: itemFeatures.names.slice(), rows: interactions.numUsers, dim, values };
}

/** Item profiles: the item feature matrix itself (kept as a function so the pairing with users is explicit). */
export function itemProfiles(itemFeatures: FeatureMatrix): FeatureMatrix {
  return itemFeatures;
}
