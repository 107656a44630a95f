import type { ModelVariable, Rng } from '@ncf/core';
import { normalValues } from './init.js';
import { createModelVariable } from './variables.js';

/** Options of {@link createEmbedding}. */
export interface EmbeddingOptions {
  /** Standard deviation of the N(0, std²) initialisation; 0 gives zeros (for bias tables). Default 0.01 (the NCF paper). */
  readonly std?: number;
  /** Whether the optimizer's L2 penalty applies. Default true. */
  readonly regularize?: boolean;
  readonly trainable?: boolean;
}

/**
 * An embedding table `rows × dim` as a sparse {@link ModelVariable}: models read it only through
 * `LossContext.lookup` in `loss()`, so the optimizer touches only the rows a batch used (He et al., WWW 2017
 * initialise it N(0, 0.01)).
 */
export function createEmbedding(
  name: string,
  rows: number,
  dim: number,
  rng: Rng,
  options: EmbeddingOptions = {},
): ModelVariable {
  const std = options.std ?? 0.01;
  const values = std === 0 ? new Float32Array(rows * dim) : normalValues(rows * dim, std, rng);
  return createModelVariable(name, values, [rows, dim], {
    sparse: true,
    regularize: options.regularize ?? true,
    trainable: options.trainable ?? true,
  });
}
