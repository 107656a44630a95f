import {
  ConfigError,
  type BatchSource,
  type Csr,
  type LabelKind,
  type Rng,
  type UserHistoryBatch,
} from '@ncf/core/base';
import type { CentringOptions } from './content-profile.js';
import { centredRatings } from './content-profile.js';
import type { Interactions } from './interactions.js';
import type { NegativeSampler } from './negative-sampler.js';
import { uniformNegativeSampler } from './negative-sampler.js';
import { pointwiseExamples } from './pointwise-source.js';
import { checkBatchSize, permutation } from './epoch.js';
import { userItemsCsr } from './user-items-csr.js';

/** Options of {@link userHistorySource}. */
export interface UserHistorySourceOptions {
  /** As in pointwise: `'rating'` labels (default with ratings) or `'implicit'` with sampled negatives. */
  readonly labels?: LabelKind;
  /** Negatives per positive for implicit labels. Default 4. */
  readonly negatives?: number;
  readonly sampler?: NegativeSampler;
  /** Remove the target item from its own history (no leakage of the label). Default true. */
  readonly maskTarget?: boolean;
  /** How history values are centred (see {@link centredRatings}); implicit data gets values of 1. */
  readonly centring?: CentringOptions;
  readonly shuffle?: boolean;
}

/** Defaults of {@link UserHistorySourceOptions}. */
export const USER_HISTORY_SOURCE_DEFAULTS = { negatives: 4, maskTarget: true, shuffle: true } as const;

/** A {@link Csr} that certainly has values. */
type ValuedCsr = Csr & { readonly values: Float32Array };

/**
 * Each user's rated items and centred ratings as a users × items {@link Csr} (items ascending), the values
 * user-history batches carry (see {@link centredRatings}; implicit data gets 1s).
 */
export function userHistories(interactions: Interactions, centring: CentringOptions = {}): ValuedCsr {
  const csr = userItemsCsr(interactions);
  const centred = centredRatings(interactions, centring);
  const values = new Float32Array(csr.rows.length);
  for (let k = 0; k < values.length; k++) values[k] = centred[csr.rows[k]!]!;
  return { numRows: csr.numRows, numCols: csr.numCols, offsets: csr.offsets, indices: csr.indices, values };
}

/**
 * Each user's items with their raw ratings (1s without ratings) as a users × items {@link Csr}, items
 * ascending: core's `DatasetInfo.userHistories` (models centre them themselves, as their batches do).
 */
export function userRatingHistories(interactions: Interactions): ValuedCsr {
  const csr = userItemsCsr(interactions);
  const r = interactions.ratings;
  const values = r
    ? Float32Array.from(csr.rows, (row) => r[row]!)
    : new Float32Array(csr.rows.length).fill(1);
  return { numRows: csr.numRows, numCols: csr.numCols, offsets: csr.offsets, indices: csr.indices, values };
}

/**
 * Batches for profile and attention models (core's `UserHistoryBatch`): pointwise targets plus each example's
 * user history (the user's training items and centred ratings) in CSR form, with the target item masked out
 * of its own history when `maskTarget` is on.
 */
export function userHistorySource(
  interactions: Interactions,
  options: UserHistorySourceOptions = {},
): BatchSource<UserHistoryBatch> {
  const labels = options.labels ?? (interactions.ratings ? 'rating' : 'implicit');
  const negatives = labels === 'rating' ? 0 : (options.negatives ?? USER_HISTORY_SOURCE_DEFAULTS.negatives);
  if (!Number.isInteger(negatives) || negatives < 0) {
    throw new ConfigError(`negatives must be an integer ≥ 0, got ${negatives}`, 'negatives');
  }
  if (labels === 'rating' && !interactions.ratings) {
    throw new ConfigError("labels 'rating' needs interactions with ratings", 'labels');
  }
  const maskTarget = options.maskTarget ?? USER_HISTORY_SOURCE_DEFAULTS.maskTarget;
  const shuffle = options.shuffle ?? USER_HISTORY_SOURCE_DEFAULTS.shuffle;
  const hist = userHistories(interactions, options.centring);
  let sampler = options.sampler;
  return {
    kind: 'user-history',
    size: interactions.length * (1 + negatives),
    *batches(batchSize: number, rng: Rng): Iterable<UserHistoryBatch> {
      checkBatchSize(batchSize);
      if (negatives > 0) sampler ??= uniformNegativeSampler(interactions);
      const ex = pointwiseExamples(interactions, labels, negatives, sampler, rng);
      const total = ex.users.length;
      const perm = permutation(total, shuffle ? rng : undefined);
      for (let a = 0; a < total; a += batchSize) {
        yield historyBatch(
          hist,
          ex.users,
          ex.items,
          ex.labels,
          perm,
          a,
          Math.min(total, a + batchSize),
          maskTarget,
        );
      }
    },
  };
}

/** Builds one user-history batch for examples `perm[a..b)`. Exported for evaluation-time scoring. */
export function historyBatch(
  hist: ValuedCsr,
  users: Int32Array,
  items: Int32Array,
  labels: Float32Array,
  perm: Int32Array | undefined,
  a: number,
  b: number,
  maskTarget: boolean,
): UserHistoryBatch {
  const m = b - a;
  const bu = new Int32Array(m);
  const bi = new Int32Array(m);
  const bl = new Float32Array(m);
  const offsets = new Int32Array(m + 1);
  let total = 0;
  for (let k = 0; k < m; k++) {
    const e = perm ? perm[a + k]! : a + k;
    const u = users[e]!;
    bu[k] = u;
    bi[k] = items[e]!;
    bl[k] = labels[e]!;
    total += hist.offsets[u + 1]! - hist.offsets[u]!;
  }
  let historyItems = new Int32Array(total);
  let historyValues = new Float32Array(total);
  let p = 0;
  for (let k = 0; k < m; k++) {
    const u = bu[k]!;
    const target = bi[k]!;
    const end = hist.offsets[u + 1]!;
    for (let j = hist.offsets[u]!; j < end; j++) {
      const it = hist.indices[j]!;
      if (maskTarget && it === target) continue;
      historyItems[p] = it;
      historyValues[p] = hist.values[j]!;
      p++;
    }
    offsets[k + 1] = p;
  }
  if (p < total) {
    historyItems = historyItems.slice(0, p);
    historyValues = historyValues.slice(0, p);
  }
  return { kind: 'user-history', users: bu, items: bi, labels: bl, offsets, historyItems, historyValues };
}
