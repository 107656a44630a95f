import type { BatchSource, PairwiseBatch, Rng } from '@ncf/core/base';
import type { Interactions } from './interactions.js';
import type { NegativeSampler } from './negative-sampler.js';
import { uniformNegativeSampler } from './negative-sampler.js';
import { checkBatchSize, gather, permutation } from './epoch.js';

/** Options of {@link pairwiseSource}. */
export interface PairwiseSourceOptions {
  /** Negative sampler; default exact uniform over items the user has not interacted with. */
  readonly sampler?: NegativeSampler;
  /** Shuffle each epoch. Default true. */
  readonly shuffle?: boolean;
}

/**
 * (user, positive, negative) triples for pairwise losses such as BPR (Rendle et al., 2009): every interaction
 * once per epoch with a freshly sampled negative, in a seeded order. Graph models (LightGCN) consume the same
 * triples; their graph comes with the dataset info.
 */
export function pairwiseSource(
  interactions: Interactions,
  options: PairwiseSourceOptions = {},
): BatchSource<PairwiseBatch> {
  let sampler = options.sampler;
  const shuffle = options.shuffle ?? true;
  const n = interactions.length;
  return {
    kind: 'pairwise',
    size: n,
    *batches(batchSize: number, rng: Rng): Iterable<PairwiseBatch> {
      checkBatchSize(batchSize);
      sampler ??= uniformNegativeSampler(interactions);
      const negatives = new Int32Array(n);
      sampler.sampleMany(interactions.users, negatives, rng);
      const perm = permutation(n, shuffle ? rng : undefined);
      for (let a = 0; a < n; a += batchSize) {
        const b = Math.min(n, a + batchSize);
        yield {
          kind: 'pairwise',
          users: gather(interactions.users, perm, a, b),
          positives: gather(interactions.items, perm, a, b),
          negatives: gather(negatives, perm, a, b),
        };
      }
    },
  };
}
