import { DataError, defineDataSpec, type BatchSource, type DataSpec } from '@ncf/core/base';
import type { CentringOptions } from './content-profile.js';
import type { Interactions } from './interactions.js';
import type { NegativeSampler } from './negative-sampler.js';
import { pairwiseSource } from './pairwise-source.js';
import { pointwiseSource } from './pointwise-source.js';
import { userHistorySource } from './user-history-source.js';

/** Options of {@link batchSourceFor}; each applies to the batch kinds that have it, the others ignore it. */
export interface BatchSourceForOptions {
  /** Sampled negatives per positive for implicit labels (pointwise, user-history). Default 4. */
  readonly negatives?: number;
  /** Negative sampler (implicit labels and pairwise). Default exact uniform over the user's unseen items. */
  readonly sampler?: NegativeSampler;
  /** Shuffle each epoch (seeded by fit()'s rng). Default true. */
  readonly shuffle?: boolean;
  /** User-history batches: remove the target item from its own history. Default true. */
  readonly maskTarget?: boolean;
  /** User-history batches: how history values are centred. */
  readonly centring?: CentringOptions;
}

/**
 * The batch source a model's {@link DataSpec} asks for, built from the training interactions: pointwise
 * examples with implicit labels (1 plus `negatives` sampled 0s per positive, He et al. 2017 §3.1.1) or rating
 * labels; pairwise (user, positive, sampled negative) triples (BPR, and graph models); or pointwise targets
 * with each user's history. The one place that maps a spec to batches: the CLI, the benchmarks and tests call
 * it instead of reading a model's config.
 * @throws ConfigError for a malformed spec or bad options.
 * @throws DataError when the spec asks for rating labels and `train` has no ratings.
 */
export function batchSourceFor(
  spec: DataSpec,
  train: Interactions,
  options: BatchSourceForOptions = {},
): BatchSource {
  const s = defineDataSpec(spec);
  if (s.labels === 'rating' && !train.ratings) {
    throw new DataError(
      `the model trains on ${s.batch} batches with rating labels, but the training interactions have no ` +
        'ratings; load rated data or choose a loss with implicit labels',
    );
  }
  const common = {
    ...(options.sampler ? { sampler: options.sampler } : {}),
    ...(options.shuffle !== undefined ? { shuffle: options.shuffle } : {}),
  };
  const negatives =
    s.labels === 'implicit' && options.negatives !== undefined ? { negatives: options.negatives } : {};
  switch (s.batch) {
    case 'pointwise':
      return pointwiseSource(train, { labels: s.labels!, ...negatives, ...common });
    case 'pairwise':
      return pairwiseSource(train, common);
    case 'user-history':
      return userHistorySource(train, {
        labels: s.labels!,
        ...negatives,
        ...common,
        ...(options.maskTarget !== undefined ? { maskTarget: options.maskTarget } : {}),
        ...(options.centring ? { centring: options.centring } : {}),
      });
  }
}
