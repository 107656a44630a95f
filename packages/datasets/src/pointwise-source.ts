import type { BatchSource, PointwiseBatch, Rng } from '@ncf/core/base';
import { ConfigError } from '@ncf/core/base';
import type { Interactions } from './interactions.js';
import type { NegativeSampler } from './negative-sampler.js';
import { uniformNegativeSampler } from './negative-sampler.js';
import { checkBatchSize, gather, permutation } from './epoch.js';

/** Options of {@link pointwiseSource}. */
export interface PointwiseSourceOptions {
  /**
   * `'implicit'`: label 1 for each interaction plus `negatives` sampled label-0 items per positive, fresh each
   * epoch (NCF's pointwise log loss, He et al., 2017 §3.1.1). `'rating'`: label = rating, no negatives.
   * Default: `'rating'` when the interactions have ratings, else `'implicit'`.
   */
  readonly labels?: 'implicit' | 'rating';
  /** Negatives per positive for implicit labels. Default 4 (the NCF paper's choice). */
  readonly negatives?: number;
  /** Negative sampler; default exact uniform over items the user has not interacted with. */
  readonly sampler?: NegativeSampler;
  /** Shuffle each epoch (seeded by the epoch's rng). Default true. */
  readonly shuffle?: boolean;
}

/** Defaults of {@link PointwiseSourceOptions}. */
export const POINTWISE_SOURCE_DEFAULTS = { negatives: 4, shuffle: true } as const;

/** One epoch's pointwise examples, unshuffled. */
export interface PointwiseExamples {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly labels: Float32Array;
}

/** Builds one epoch's examples: positives first, then `negatives` sampled items per positive. */
export function pointwiseExamples(
  interactions: Interactions,
  labels: 'implicit' | 'rating',
  negatives: number,
  sampler: NegativeSampler | undefined,
  rng: Rng,
): PointwiseExamples {
  const n = interactions.length;
  if (labels === 'rating') {
    if (!interactions.ratings)
      throw new ConfigError("labels 'rating' needs interactions with ratings", 'labels');
    return { users: interactions.users, items: interactions.items, labels: interactions.ratings };
  }
  const total = n * (1 + negatives);
  const users = new Int32Array(total);
  const items = new Int32Array(total);
  const lab = new Float32Array(total);
  users.set(interactions.users);
  items.set(interactions.items);
  lab.fill(1, 0, n);
  for (let r = 1; r <= negatives; r++) users.set(interactions.users, r * n);
  if (negatives > 0 && sampler) sampler.sampleMany(users.subarray(n), items.subarray(n), rng);
  return { users, items, labels: lab };
}

/**
 * A {@link BatchSource} of pointwise batches (core's `PointwiseBatch`). Each epoch draws new negatives and a
 * new order from the epoch's rng, so an epoch is a pure function of the generator state.
 */
export function pointwiseSource(
  interactions: Interactions,
  options: PointwiseSourceOptions = {},
): BatchSource<PointwiseBatch> {
  const labels = options.labels ?? (interactions.ratings ? 'rating' : 'implicit');
  const negatives = labels === 'rating' ? 0 : (options.negatives ?? POINTWISE_SOURCE_DEFAULTS.negatives);
  if (!Number.isInteger(negatives) || negatives < 0) {
    throw new ConfigError(`negatives must be an integer ≥ 0, got ${negatives}`, 'negatives');
  }
  if (labels === 'rating' && !interactions.ratings) {
    throw new ConfigError("labels 'rating' needs interactions with ratings", 'labels');
  }
  const shuffle = options.shuffle ?? POINTWISE_SOURCE_DEFAULTS.shuffle;
  let sampler = options.sampler;
  return {
    kind: 'pointwise',
    size: interactions.length * (1 + negatives),
    *batches(batchSize: number, rng: Rng): Iterable<PointwiseBatch> {
      checkBatchSize(batchSize);
      if (negatives > 0 && !sampler) sampler = uniformNegativeSampler(interactions);
      const ex = pointwiseExamples(interactions, labels, negatives, sampler, rng);
      const total = ex.users.length;
      const perm = permutation(total, shuffle ? rng : undefined);
      for (let a = 0; a < total; a += batchSize) {
        const b = Math.min(total, a + batchSize);
        yield {
          kind: 'pointwise',
          users: gather(ex.users, perm, a, b),
          items: gather(ex.items, perm, a, b),
          labels: gather(ex.labels, perm, a, b),
        };
      }
    },
  };
}
