import { requireChoice, requireInt, requireNumber, resolveConfig, type TrainingDefaults } from '@ncf/core';
import type { PropagationMethod } from './propagate.js';
import { PROPAGATION_METHODS, resolveLayerWeights } from './propagate.js';

/** Registry kind of LightGCN. */
export const LIGHTGCN_KIND = 'gnn/lightgcn';

/** How LightGCN's ego embeddings are initialised. */
export type LightGcnInit = 'normal' | 'xavier';

/** Configuration of {@link lightgcnFactory}. Every field is serialised into model files. */
export interface LightGcnConfig {
  /** Embedding size `d` of users and items. Default 64 (the paper's setting). */
  readonly embeddingSize: number;
  /** Number of propagation layers `L`. Default 3 (the paper's best on its datasets); 0 gives BPR-MF. */
  readonly layers: number;
  /** Layer-combination weights `α_0..α_L`; `null` (default) is the paper's uniform `1/(L+1)`. */
  readonly layerWeights: readonly number[] | null;
  /**
   * L2 coefficient `λ` on the batch's ego (layer-0) embeddings, as in the paper's code:
   * `λ · (‖e_u‖² + ‖e_i‖² + ‖e_j‖²) / (2·batch)`. Default 1e-4. It lives in the loss, so leave the optimizer's
   * own `l2` at 0 for this model (its embedding table is marked `regularize: false`).
   */
  readonly l2: number;
  /**
   * `normal` (default): N(0, `initStd`²) as in the authors' PyTorch code (LightGCN-PyTorch, std 0.1);
   * `xavier`: Glorot-uniform over the `[nodes, d]` table as in their TensorFlow code.
   */
  readonly init: LightGcnInit;
  /** Standard deviation of the `normal` initialiser. Default 0.1. */
  readonly initStd: number;
  /** How each layer's sparse product is computed (see `PropagationMethod`). Default `csr`. */
  readonly propagation: PropagationMethod;
}

/** Defaults of {@link LightGcnConfig}: the paper's 64 dimensions, 3 layers, uniform weights, λ = 1e-4. */
export const LIGHTGCN_DEFAULTS: Readonly<LightGcnConfig> = Object.freeze({
  embeddingSize: 64,
  layers: 3,
  layerWeights: null,
  l2: 1e-4,
  init: 'normal',
  initStd: 0.1,
  propagation: 'csr',
});

/** The initialisers a config may name. */
/**
 * The training settings of LightGCN's paper and of this package's benchmark (He et al., SIGIR 2020, §4.1.2:
 * Adam, learning rate 0.001, mini-batch 2048). Batches this large also amortise the graph propagation each
 * step runs, so an epoch at 2048 takes a fraction of one at fit()'s default 256.
 */
export const LIGHTGCN_TRAINING_DEFAULTS: TrainingDefaults = Object.freeze({
  batchSize: 2048,
  learningRate: 0.001,
});

export const LIGHTGCN_INITS: readonly LightGcnInit[] = ['normal', 'xavier'];

/**
 * Fills `config` with {@link LIGHTGCN_DEFAULTS} and checks every field (core's `resolveConfig`); throws
 * ConfigError naming the field. The result is frozen, `layerWeights` too.
 */
export function resolveLightGcnConfig(config: Partial<LightGcnConfig> = {}): Readonly<LightGcnConfig> {
  return resolveConfig(LIGHTGCN_KIND, LIGHTGCN_DEFAULTS, config, (c) => {
    requireInt(c.embeddingSize, 'embeddingSize', { min: 1 });
    const weights = resolveLayerWeights(c.layers, c.layerWeights);
    requireNumber(c.l2, 'l2', { min: 0 });
    requireChoice(c.init, 'init', LIGHTGCN_INITS);
    requireNumber(c.initStd, 'initStd', { min: 0, minExclusive: true });
    requireChoice(c.propagation, 'propagation', PROPAGATION_METHODS);
    return { ...c, layerWeights: c.layerWeights == null ? null : weights };
  });
}
