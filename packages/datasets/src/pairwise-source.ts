import type { BatchSource, GraphBatch, PairwiseBatch, Rng } from '@ncf/core/base';
import type { Interactions } from './interactions.js';
import type { NegativeSampler } from './negative-sampler.js';
import { uniformNegativeSampler } from './negative-sampler.js';
import { checkBatchSize, gather, permutation } from './epoch.js';

/** Options of {@link pairwiseSource} and {@link graphSource}. */
export interface PairwiseSourceOptions {
  /** Negative sampler; default exact uniform over items the user has not interacted with. */
  readonly sampler?: NegativeSampler;
  /** Shuffle each epoch. Default true. */
  readonly shuffle?: boolean;
}

function triples<K extends 'pairwise' | 'graph'>(
  kind: K,
  interactions: Interactions,
  options: PairwiseSourceOptions,
): BatchSource<K extends 'pairwise' ? PairwiseBatch : GraphBatch> {
  let sampler = options.sampler;
  const shuffle = options.shuffle ?? true;
  const n = interactions.length;
  return {
    kind,
    size: n,
    *batches(batchSize: number, rng: Rng) {
      checkBatchSize(batchSize);
      sampler ??= uniformNegativeSampler(interactions);
      const negatives = new Int32Array(n);
      sampler.sampleMany(interactions.users, negatives, rng);
      const perm = permutation(n, shuffle ? rng : undefined);
      for (let a = 0; a < n; a += batchSize) {
        const b = Math.min(n, a + batchSize);
        yield {
          kind,
          users: gather(interactions.users, perm, a, b),
          positives: gather(interactions.items, perm, a, b),
          negatives: gather(negatives, perm, a, b),
        } as K extends 'pairwise' ? PairwiseBatch : GraphBatch;
      }
    },
  } as BatchSource<K extends 'pairwise' ? PairwiseBatch : GraphBatch>;
}

/**
 * (user, positive, negative) triples for pairwise losses such as BPR (Rendle et al., 2009): every interaction
 * once per epoch with a freshly sampled negative, in a seeded order.
 */
export function pairwiseSource(
  interactions: Interactions,
  options: PairwiseSourceOptions = {},
): BatchSource<PairwiseBatch> {
  return triples('pairwise', interactions, options);
}

/** The same triples as {@link pairwiseSource}, labelled for graph models (the graph is given at creation). */
export function graphSource(
  interactions: Interactions,
  options: PairwiseSourceOptions = {},
): BatchSource<GraphBatch> {
  return triples('graph', interactions, options);
}
