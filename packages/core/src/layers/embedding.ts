import type { ModelVariable } from '../model.js';
import type { Rng } from '../rng.js';
import { glorotUniform, normalValues, zeroValues } from './initializers.js';
import { createModelVariable } from './model-variable.js';

/** How an embedding table starts: N(0, std²) (`std` 0 gives zeros), or Glorot-uniform over `[rows, dim]`. */
export type EmbeddingInit = 'normal' | 'glorot-uniform' | 'zeros';

/** Options of {@link createEmbedding}. */
export interface EmbeddingOptions {
  /** Default `normal`. */
  readonly init?: EmbeddingInit;
  /** Standard deviation of the `normal` init; 0 gives zeros (bias tables). Default 0.01 (the NCF paper). */
  readonly std?: number;
  /**
   * Whether the table is read through `LossContext.lookup` with sparse row updates (default true). Models that
   * read every row each step (full-graph propagation) use a dense table: sparse bookkeeping buys nothing there.
   */
  readonly sparse?: boolean;
  /** Whether the optimizer's L2 penalty applies. Default true. */
  readonly regularize?: boolean;
  /** Default true. */
  readonly trainable?: boolean;
}

/** The initial values of a `rows × dim` table under `options` (draws from `rng` unless they are zeros). */
export function embeddingValues(
  rows: number,
  dim: number,
  rng: Rng,
  options: EmbeddingOptions = {},
): Float32Array {
  const init = options.init ?? 'normal';
  if (init === 'glorot-uniform') return glorotUniform(rows, dim, rng);
  const std = options.std ?? 0.01;
  return init === 'zeros' || std === 0 ? zeroValues(rows * dim) : normalValues(rows * dim, std, rng);
}

/**
 * An embedding table `rows × dim` as a {@link ModelVariable}, sparse by default: models read it only through
 * `LossContext.lookup` in `loss()`, so the optimizer touches only the rows a batch used. Initialised
 * N(0, 0.01²) by default, as He et al. ("Neural Collaborative Filtering", WWW 2017) do.
 */
export function createEmbedding(
  name: string,
  rows: number,
  dim: number,
  rng: Rng,
  options: EmbeddingOptions = {},
): ModelVariable {
  return createModelVariable(name, embeddingValues(rows, dim, rng, options), [rows, dim], {
    sparse: options.sparse ?? true,
    regularize: options.regularize ?? true,
    trainable: options.trainable ?? true,
  });
}
