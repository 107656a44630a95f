import { ConfigError } from '@ncf/core';
import type { PropagationMethod } from './propagate.js';
import { resolveLayerWeights } from './propagate.js';

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

const KNOWN = new Set(Object.keys(LIGHTGCN_DEFAULTS));

/** Fills `config` with {@link LIGHTGCN_DEFAULTS} and checks every field; throws ConfigError naming the field. */
export function resolveLightGcnConfig(config: Partial<LightGcnConfig> = {}): LightGcnConfig {
  for (const key of Object.keys(config)) {
    if (!KNOWN.has(key)) {
      throw new ConfigError(
        `unknown gnn/lightgcn config field '${key}'; known: ${[...KNOWN].join(', ')}`,
        key,
      );
    }
  }
  const c: LightGcnConfig = { ...LIGHTGCN_DEFAULTS, ...config };
  if (!Number.isInteger(c.embeddingSize) || c.embeddingSize < 1) {
    throw new ConfigError(
      `embeddingSize must be a positive integer, got ${c.embeddingSize}`,
      'embeddingSize',
    );
  }
  const weights = resolveLayerWeights(c.layers, c.layerWeights);
  const layerWeights = c.layerWeights == null ? null : weights;
  if (!(Number.isFinite(c.l2) && c.l2 >= 0))
    throw new ConfigError(`l2 must be a finite number ≥ 0, got ${c.l2}`, 'l2');
  if (c.init !== 'normal' && c.init !== 'xavier') {
    throw new ConfigError(`init must be 'normal' or 'xavier', got '${String(c.init)}'`, 'init');
  }
  if (!(Number.isFinite(c.initStd) && c.initStd > 0)) {
    throw new ConfigError(`initStd must be a finite number > 0, got ${c.initStd}`, 'initStd');
  }
  if (c.propagation !== 'csr' && c.propagation !== 'segment-sum') {
    throw new ConfigError(
      `propagation must be 'csr' or 'segment-sum', got '${String(c.propagation)}'`,
      'propagation',
    );
  }
  return Object.freeze({ ...c, layerWeights: layerWeights && Object.freeze(layerWeights) });
}
