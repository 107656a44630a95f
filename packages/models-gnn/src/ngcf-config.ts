import {
  requireBoolean,
  requireChoice,
  requireInt,
  requireIntArray,
  requireNumber,
  resolveConfig,
} from '@ncf/core';

/** Registry kind of NGCF. */
export const NGCF_KIND = 'gnn/ngcf';

/**
 * Which propagation matrix NGCF uses (Wang et al., SIGIR 2019):
 * - `paper` (eq. 7): `L = D^-1/2 A D^-1/2` and `E' = σ((L + I) E W1 + b1 + (L E ⊙ E) W2 + b2)` — the graph's
 *   symmetric normalisation as `@ncf/datasets` builds it.
 * - `code` (the authors' released code, `adj_type 'norm'`): `L = D^-1 (A + I)` for both terms,
 *   `E' = σ(L E W1 + b1 + (L E ⊙ E) W2 + b2)`; the row weights `1/(deg + 1)` come from the given graph's
 *   structure (an unweighted user–item graph, as NGCF assumes).
 */
export type NgcfAdjacency = 'paper' | 'code';

/** The adjacencies a config may name. */
export const NGCF_ADJACENCIES: readonly NgcfAdjacency[] = ['paper', 'code'];

/** Configuration of {@link ngcfFactory}. Every field is serialised into model files. */
export interface NgcfConfig {
  /** Size `d` of the ego (layer-0) embeddings. Default 64 (the paper). */
  readonly embeddingSize: number;
  /** Output size of each propagation layer; its length is the number of layers `L`. Default `[64, 64, 64]`. */
  readonly layerSizes: readonly number[];
  /** Default `paper`. */
  readonly adjacency: NgcfAdjacency;
  /** Slope of the LeakyReLU on each layer's pre-activation. Default 0.2 (the paper). */
  readonly leakySlope: number;
  /** Dropout on each layer's output during training (the paper's message dropout). Default 0.1. */
  readonly messageDropout: number;
  /**
   * Fraction of the adjacency's non-zeros dropped per training step, the rest rescaled by `1/(1 − p)` (the
   * released code's node dropout). Default 0 (off, as in the paper's best runs).
   */
  readonly nodeDropout: number;
  /**
   * L2-normalise each layer's output (per row) before it joins the concatenation, as both released
   * implementations do (the paper does not say so). The unnormalised output feeds the next layer. Default true.
   */
  readonly layerL2: boolean;
  /**
   * L2 coefficient `λ` on the batch's layer-0 embeddings: `λ (‖e_u‖² + ‖e_i‖² + ‖e_j‖²) / (2·batch)`, as
   * LightGCN's code. Default 1e-5 (the paper's NGCF setting). Leave the optimizer's own `l2` at 0.
   */
  readonly l2: number;
}

/** Defaults of {@link NgcfConfig}: the paper's 64-dimensional embeddings and three layers of 64. */
export const NGCF_DEFAULTS: Readonly<NgcfConfig> = Object.freeze({
  embeddingSize: 64,
  layerSizes: Object.freeze([64, 64, 64]),
  adjacency: 'paper',
  leakySlope: 0.2,
  messageDropout: 0.1,
  nodeDropout: 0,
  layerL2: true,
  l2: 1e-5,
});

/**
 * Fills `config` with {@link NGCF_DEFAULTS} and checks every field (core's `resolveConfig`); throws
 * ConfigError naming the field. The result is frozen.
 */
export function resolveNgcfConfig(config: Partial<NgcfConfig> = {}): Readonly<NgcfConfig> {
  return resolveConfig(NGCF_KIND, NGCF_DEFAULTS, config, (c) => {
    requireInt(c.embeddingSize, 'embeddingSize', { min: 1 });
    const sizes = requireIntArray(c.layerSizes, 'layerSizes', { min: 1, maxLength: 16 });
    requireChoice(c.adjacency, 'adjacency', NGCF_ADJACENCIES);
    requireNumber(c.leakySlope, 'leakySlope', { min: 0, max: 1 });
    requireNumber(c.messageDropout, 'messageDropout', { min: 0, max: 1, maxExclusive: true });
    requireNumber(c.nodeDropout, 'nodeDropout', { min: 0, max: 1, maxExclusive: true });
    requireBoolean(c.layerL2, 'layerL2');
    requireNumber(c.l2, 'l2', { min: 0 });
    return { ...c, layerSizes: sizes };
  });
}

/** Width of NGCF's final (concatenated) embedding: `d + Σ layerSizes`. */
export function ngcfOutputSize(config: Pick<NgcfConfig, 'embeddingSize' | 'layerSizes'>): number {
  return config.layerSizes.reduce((a, b) => a + b, config.embeddingSize);
}
