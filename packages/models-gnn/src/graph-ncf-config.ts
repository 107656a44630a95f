import {
  requireBoolean,
  requireChoice,
  requireInt,
  requireIntArray,
  requireNumber,
  resolveConfig,
} from '@ncf/core';

/** Registry kind of Graph NCF. */
export const GRAPH_NCF_KIND = 'gnn/graph-ncf';

/** Name of the dataset input Graph NCF reads: `@ncf/datasets`' `centredGraph` of the training ratings. */
export const GRAPH_NCF_GRAPH_INPUT = 'centredGraph';

/** How Graph NCF scores a pair from the final embeddings. */
export type GraphNcfHead = 'mlp' | 'dot';

/** Graph NCF's training loss: squared error on ratings or BPR on implicit (user, positive, negative) triples. */
export type GraphNcfLoss = 'mse' | 'bpr';

/** The heads a config may name. */
export const GRAPH_NCF_HEADS: readonly GraphNcfHead[] = ['mlp', 'dot'];

/** The losses a config may name. */
export const GRAPH_NCF_LOSSES: readonly GraphNcfLoss[] = ['mse', 'bpr'];

/** Configuration of {@link graphNcfFactory}. Every field is serialised into model files. */
export interface GraphNcfConfig {
  /** Node embedding size `d`. Default 64. */
  readonly embeddingSize: number;
  /** Propagation steps, all through the same two transforms. Default 2. */
  readonly layers: number;
  /** `mlp` (default): MLP on `[z_i ; z_u]`; `dot`: `z_u · z_i`. */
  readonly head: GraphNcfHead;
  /** Hidden widths of the MLP head (ReLU, then dropout). Default `[256, 128]`. */
  readonly mlpLayers: readonly number[];
  /** Dropout after each hidden MLP layer during training. Default 0.2. */
  readonly mlpDropout: number;
  /** Dropout on the transformed node features during training (the seed's `dropout / 2`). Default 0.1. */
  readonly featureDropout: number;
  /** Fraction of the graph's (undirected) rating edges dropped per training step. Default 0.1. */
  readonly messageDropout: number;
  /** Remove the batch's own (user, item) edges, both directions, from the graph it is trained on. Default true. */
  readonly targetMask: boolean;
  /** Default `mse` (rating labels); `bpr` trains on pairwise triples. */
  readonly loss: GraphNcfLoss;
}

/** Defaults of {@link GraphNcfConfig}: the peer's (and the seed's `run_experiments.py`) settings. */
export const GRAPH_NCF_DEFAULTS: Readonly<GraphNcfConfig> = Object.freeze({
  embeddingSize: 64,
  layers: 2,
  head: 'mlp',
  mlpLayers: Object.freeze([256, 128]),
  mlpDropout: 0.2,
  featureDropout: 0.1,
  messageDropout: 0.1,
  targetMask: true,
  loss: 'mse',
});

/**
 * Fills `config` with {@link GRAPH_NCF_DEFAULTS} and checks every field (core's `resolveConfig`); throws
 * ConfigError naming the field. The result is frozen.
 */
export function resolveGraphNcfConfig(config: Partial<GraphNcfConfig> = {}): Readonly<GraphNcfConfig> {
  return resolveConfig(GRAPH_NCF_KIND, GRAPH_NCF_DEFAULTS, config, (c) => {
    requireInt(c.embeddingSize, 'embeddingSize', { min: 1 });
    requireInt(c.layers, 'layers', { min: 0, max: 16 });
    requireChoice(c.head, 'head', GRAPH_NCF_HEADS);
    const mlp = requireIntArray(c.mlpLayers, 'mlpLayers', { min: 1, maxLength: 16 });
    for (const [field, v] of [
      ['mlpDropout', c.mlpDropout],
      ['featureDropout', c.featureDropout],
      ['messageDropout', c.messageDropout],
    ] as const) {
      requireNumber(v, field, { min: 0, max: 1, maxExclusive: true });
    }
    requireBoolean(c.targetMask, 'targetMask');
    requireChoice(c.loss, 'loss', GRAPH_NCF_LOSSES);
    return { ...c, mlpLayers: mlp };
  });
}
