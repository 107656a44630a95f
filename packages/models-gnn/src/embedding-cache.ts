import { sameWeightsStamp, tf, weightsStamp } from '@ncf/core';
import type { Tensor2D, Variable, WeightsStamp } from '@ncf/core';

/**
 * Values derived from a model's weights (a graph model's propagated embeddings), computed once and reused
 * until the weights change: every read compares the weights' stamp (data ids and weights versions, see
 * `weightsStamp` in \@ncf/core) with the one they were computed at. The optimizer bumps the version on every
 * in-place write and `assign()` replaces the data id, so training steps, restored checkpoints and loaded
 * weights are all seen — no training hook has to remember to invalidate. Holds a `Float32Array`, no tensors.
 */
export interface EmbeddingCache {
  /** The cached values, recomputed first when the weights changed since the last computation. */
  values(): Float32Array;
  /** Drops the values; the next {@link EmbeddingCache.values} recomputes. */
  invalidate(): void;
  /** How many times the values were computed (for tests and diagnostics). */
  readonly computations: number;
}

/**
 * A cache of `compute()`'s values that depends on `sources`. `compute` returns a tensor (run inside a tidy
 * scope here, then read and disposed).
 */
export function createEmbeddingCache(sources: readonly Variable[], compute: () => Tensor2D): EmbeddingCache {
  let cached: Float32Array | undefined;
  let stamp: WeightsStamp | undefined;
  let computations = 0;
  return {
    values(): Float32Array {
      const now = weightsStamp(sources);
      if (cached === undefined || !sameWeightsStamp(stamp, now)) {
        const t = tf.tidy(compute);
        try {
          cached = t.dataSync() as Float32Array;
        } finally {
          t.dispose();
        }
        stamp = now;
        computations++;
      }
      return cached;
    },
    invalidate(): void {
      cached = undefined;
      stamp = undefined;
    },
    get computations(): number {
      return computations;
    },
  };
}
