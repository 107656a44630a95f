import {
  ConfigError,
  DataError,
  NcfError,
  createEmbedding,
  checkDataSpec,
  createRng,
  defineDataSpec,
  requireBackend,
  rowDot,
  saveModel,
  tf,
} from '@ncf/core';
import type {
  Batch,
  CreateOptions,
  DataSpec,
  DatasetInfo,
  GraphInfo,
  ItemFactors,
  LossContext,
  ModelFactory,
  ModelVariable,
  Recommender,
  SaveOptions,
  Scalar,
  Tensor2D,
  UserHistory,
} from '@ncf/core';
import { checkGraph } from './check-graph.js';
import { checkIds, checkPairwiseBatch } from './check-ids.js';
import { createEmbeddingCache } from './embedding-cache.js';
import type { EmbeddingCache } from './embedding-cache.js';
import { createLgConv } from './graph-conv.js';
import type { GraphConv } from './graph-conv.js';
import { combineLayers } from './layer-combination.js';
import {
  LIGHTGCN_DEFAULTS,
  LIGHTGCN_KIND,
  LIGHTGCN_TRAINING_DEFAULTS,
  resolveLightGcnConfig,
} from './lightgcn-config.js';
import type { LightGcnConfig } from './lightgcn-config.js';
import { resolveLayerWeights } from './propagate.js';
import { foldInNode, nodeDegrees, scoreHistoryByPropagation } from './inductive.js';
import type { NodeTable } from './dot-scores.js';

/**
 * LightGCN's data needs, the same for every config: pairwise (user, positive, negative) triples for BPR and
 * the symmetric-normalised user–item graph.
 */
export const LIGHTGCN_DATA_SPEC: DataSpec = defineDataSpec({ batch: 'pairwise', inputs: ['graph'] });

/** Seed used when `create()` is given none. */
const DEFAULT_SEED = 0;

/** Item ids shifted to graph node ids (items follow the users). */
function offsetIds(ids: Int32Array, offset: number): Int32Array {
  const out = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = ids[i]! + offset;
  return out;
}

/**
 * A LightGCN model (He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for
 * Recommendation", SIGIR 2020). One embedding table over users and items is propagated over the
 * normalised bipartite graph without transforms or non-linearities; the final representation is the
 * weighted sum of the layers, and a pair scores `e_u · e_i`. Trained with BPR on (user, positive, negative)
 * pairwise batches. Create it through {@link lightgcnFactory}.
 *
 * Composed from this package's graph layer: ego embeddings → `L` × {@link createLgConv} (PyG's `LGConv`) →
 * {@link combineLayers}. Scoring reads the propagated embeddings from an {@link EmbeddingCache} that recomputes
 * when the optimizer (or `assign()`) changed the table, so no training hook is needed.
 */
export class LightGcnModel implements Recommender<LightGcnConfig> {
  readonly kind = LIGHTGCN_KIND;
  readonly dataSpec = LIGHTGCN_DATA_SPEC;
  readonly config: Readonly<LightGcnConfig>;
  readonly info: DatasetInfo;
  readonly #table: ModelVariable;
  readonly #conv: GraphConv;
  readonly #layerWeights: readonly number[];
  readonly #final: EmbeddingCache;
  /** Training degree of every node, for inductive scoring. */
  readonly #degrees: Int32Array;
  #disposed = false;

  /** Use {@link lightgcnFactory}`.create()`; this constructor trusts its (checked) arguments. */
  constructor(info: DatasetInfo, graph: GraphInfo, config: LightGcnConfig, seed: number) {
    this.info = info;
    this.config = config;
    this.#conv = createLgConv(graph, { method: config.propagation });
    this.#degrees = nodeDegrees(graph);
    this.#layerWeights = resolveLayerWeights(config.layers, config.layerWeights);
    // One table over users then items. Dense: every step propagates (reads) every row. `normal` is the
    // authors' PyTorch init, `xavier` their TensorFlow one (Glorot over the [nodes, d] table).
    this.#table = createEmbedding('embedding', this.#conv.numNodes, config.embeddingSize, createRng(seed), {
      init: config.init === 'xavier' ? 'glorot-uniform' : 'normal',
      std: config.initStd,
      sparse: false,
      regularize: false,
    });
    const table = this.#table.variable;
    this.#final = createEmbeddingCache([table], () => this.#propagate(table as unknown as Tensor2D));
  }

  /**
   * BPR loss of a pairwise batch on freshly propagated embeddings, plus the paper code's L2 on the batch's
   * ego embeddings: `mean(softplus(ŷ_uj − ŷ_ui)) + λ·(‖e⁰_u‖² + ‖e⁰_i‖² + ‖e⁰_j‖²)/(2B)`.
   * Each call propagates the whole graph: O(layers × edges × d).
   */
  loss(batch: Batch, _ctx: LossContext): Scalar {
    this.#alive();
    const { users, positives, negatives } = checkPairwiseBatch(LIGHTGCN_KIND, batch, this.info);
    const { numUsers } = this.info;
    const n = users.length;
    return tf.tidy(() => {
      const ego = this.#table.variable as unknown as Tensor2D;
      const final = this.#propagate(ego);
      const u = tf.tensor1d(users, 'int32');
      const p = tf.tensor1d(offsetIds(positives, numUsers), 'int32');
      const q = tf.tensor1d(offsetIds(negatives, numUsers), 'int32');
      const eu = tf.gather(final, u) as Tensor2D;
      const diff = rowDot(eu, tf.sub(tf.gather(final, q), tf.gather(final, p)) as Tensor2D);
      const bpr = tf.mean(tf.softplus(diff));
      if (this.config.l2 === 0) return bpr as Scalar;
      const idx = tf.concat([u, p, q]);
      const reg = tf.mul(tf.sum(tf.square(tf.gather(ego, idx))), this.config.l2 / (2 * n));
      return tf.add(bpr, reg) as Scalar;
    });
  }

  /** Scores of aligned pairs `(users[i], items[i])` from the (cached) propagated embeddings. */
  score(users: Int32Array, items: Int32Array): Float32Array {
    this.#alive();
    if (users.length !== items.length) {
      throw new DataError(`score: users has ${users.length} entries but items has ${items.length}`);
    }
    checkIds(users, this.info.numUsers, 'users');
    checkIds(items, this.info.numItems, 'items');
    const final = this.finalEmbeddings();
    const d = this.config.embeddingSize;
    const itemBase = this.info.numUsers * d;
    const out = new Float32Array(users.length);
    for (let b = 0; b < users.length; b++) {
      const uo = users[b]! * d;
      const io = itemBase + items[b]! * d;
      let s = 0;
      for (let k = 0; k < d; k++) s += final[uo + k]! * final[io + k]!;
      out[b] = s;
    }
    return out;
  }

  /** Scores of every item for each user (`users.length × numItems`, row-major): one matrix product. */
  scoreAll(users: Int32Array): Float32Array {
    this.#alive();
    checkIds(users, this.info.numUsers, 'users');
    const final = this.finalEmbeddings();
    const { numUsers, numItems } = this.info;
    const d = this.config.embeddingSize;
    const rows = new Float32Array(users.length * d);
    for (let b = 0; b < users.length; b++)
      rows.set(final.subarray(users[b]! * d, (users[b]! + 1) * d), b * d);
    const items = final.subarray(numUsers * d, (numUsers + numItems) * d);
    const scores = tf.tidy(() =>
      tf.matMul(tf.tensor2d(rows, [users.length, d]), tf.tensor2d(items, [numItems, d]), false, true),
    );
    try {
      return scores.dataSync() as Float32Array;
    } finally {
      scores.dispose();
    }
  }

  /**
   * The item side of `ŷ_ui = e_u · e_i` for fold-in: the propagated item embeddings (a copy), no biases,
   * `logit` output (BPR scores). A folded-in user is solved in the final-embedding space against frozen
   * item embeddings; it does not enter the graph, so it does not change any other score.
   */
  itemFactors(): ItemFactors {
    const final = this.finalEmbeddings();
    const d = this.config.embeddingSize;
    const { numUsers, numItems } = this.info;
    return {
      dim: d,
      vectors: final.slice(numUsers * d, (numUsers + numItems) * d),
      userBias: false,
      output: 'logit',
    };
  }

  /**
   * The propagated (final) embeddings `[numUsers + numItems, d]`, users first, row-major. Computed once and
   * cached until the table changes: an optimizer step (it bumps the table's weights version) or an
   * `assign()` (`fit()` restoring the best weights, `loadModel`) makes the next call recompute.
   */
  finalEmbeddings(): Float32Array {
    this.#alive();
    return this.#final.values();
  }

  /**
   * Inductive scores for a user given only by `history` (dense items; values ignored, the graph is
   * unweighted): one propagation step over the trained final item embeddings, normalised as the graph's user
   * rows are (see `foldInNode`); no retraining. Scores `items` (default every item, in index order).
   */
  scoreHistory(history: UserHistory, items?: Int32Array): Float32Array {
    this.#alive();
    return scoreHistoryByPropagation(this.#nodeTable(), this.#degrees, history, items);
  }

  /**
   * The final embedding of an item that was not in training, from the users who interacted with it (one
   * propagation step over their trained final embeddings); score it against a user by dot product.
   */
  foldInItem(users: Int32Array): Float32Array {
    this.#alive();
    return foldInNode(this.#nodeTable(), this.#degrees, users, 'user', 'users');
  }

  #nodeTable(): NodeTable {
    const { numUsers, numItems } = this.info;
    return { values: this.finalEmbeddings(), numUsers, numItems, dim: this.config.embeddingSize };
  }

  /** How many times the propagated embeddings were computed for scoring (diagnostics and tests). */
  get propagations(): number {
    return this.#final.computations;
  }

  /**
   * Drops the cached propagated embeddings. Optimizer steps and `assign()` are detected by themselves; call it
   * (or core's `bumpWeightsVersion`) only after writing the table's memory in place yourself.
   */
  invalidate(): void {
    this.#final.invalidate();
  }

  variables(): readonly ModelVariable[] {
    return [this.#table];
  }

  /** Writes `model.json` (config, dataset info including the graph) and the embedding table, atomically. */
  save(dir: string, options?: SaveOptions): Promise<void> {
    this.#alive();
    return saveModel(this, dir, options);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.invalidate();
    this.#table.variable.dispose();
  }

  /** Ego embeddings → `L` graph layers → layer combination; differentiable, the caller owns the result. */
  #propagate(ego: Tensor2D): Tensor2D {
    return combineLayers(ego, this.#conv, this.#layerWeights);
  }

  #alive(): void {
    if (this.#disposed) throw new NcfError('DISPOSED', `${LIGHTGCN_KIND}: the model was disposed`);
  }
}

/** The factory type of LightGCN: a {@link ModelFactory} whose `create` returns the concrete model. */
export interface LightGcnFactory extends ModelFactory<LightGcnConfig> {
  create(info: DatasetInfo, config?: Partial<LightGcnConfig>, options?: CreateOptions): LightGcnModel;
}

/**
 * Factory of {@link LightGcnModel} (kind `gnn/lightgcn`; He et al., SIGIR 2020). Needs `DatasetInfo.graph`,
 * the symmetric-normalised user–item graph that `@ncf/datasets` builds; consumes pairwise batches
 * ({@link LIGHTGCN_DATA_SPEC}, whatever the config).
 */
export const lightgcnFactory: LightGcnFactory = {
  kind: LIGHTGCN_KIND,
  description:
    'LightGCN: embeddings propagated over the normalised user–item graph, layer mean, dot product, BPR ' +
    '(He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for Recommendation", SIGIR 2020)',
  defaults: LIGHTGCN_DEFAULTS,
  trainingDefaults: LIGHTGCN_TRAINING_DEFAULTS,
  dataSpec(config?: Partial<LightGcnConfig>): DataSpec {
    resolveLightGcnConfig(config);
    return LIGHTGCN_DATA_SPEC;
  },
  create(info: DatasetInfo, config?: Partial<LightGcnConfig>, options?: CreateOptions): LightGcnModel {
    requireBackend();
    const resolved = resolveLightGcnConfig(config);
    checkDataSpec(LIGHTGCN_DATA_SPEC, info);
    if (!(
      Number.isInteger(info.numUsers) &&
      info.numUsers > 0 &&
      Number.isInteger(info.numItems) &&
      info.numItems > 0
    )) {
      throw new ConfigError(
        `${LIGHTGCN_KIND} needs positive integer numUsers and numItems, got ${info.numUsers} and ${info.numItems}`,
        'info',
      );
    }
    const graph = checkGraph(info, LIGHTGCN_KIND);
    return new LightGcnModel(info, graph, resolved, options?.seed ?? DEFAULT_SEED);
  },
};
