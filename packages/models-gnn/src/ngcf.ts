import {
  ConfigError,
  NcfError,
  checkDataSpec,
  createModelVariable,
  createRng,
  defineDataSpec,
  dropout,
  glorotUniform,
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
  Rng,
  SaveOptions,
  Scalar,
  Tensor2D,
  UserHistory,
} from '@ncf/core';
import { checkGraph } from './check-graph.js';
import { checkPairwiseBatch } from './check-ids.js';
import { createSparseOperator, graphMatrix } from './csr-matmul.js';
import { graphOperator } from './graph-conv.js';
import type { WeightedCsr, SparseOperator } from './csr-matmul.js';
import { dotScoreAll, dotScores } from './dot-scores.js';
import type { NodeTable } from './dot-scores.js';
import { foldInNode, nodeDegrees, scoreHistoryByPropagation } from './inductive.js';
import { createEmbeddingCache } from './embedding-cache.js';
import type { EmbeddingCache } from './embedding-cache.js';
import { NGCF_DEFAULTS, NGCF_KIND, ngcfOutputSize, resolveNgcfConfig } from './ngcf-config.js';
import type { NgcfConfig } from './ngcf-config.js';

/**
 * NGCF's data needs, the same for every config: pairwise (user, positive, negative) triples for BPR and the
 * symmetric-normalised user–item graph.
 */
export const NGCF_DATA_SPEC: DataSpec = defineDataSpec({ batch: 'pairwise', inputs: ['graph'] });

/** One propagation layer's weights: `W1, W2` `[in, out]`, `b1, b2` `[1, out]`. */
interface NgcfLayer {
  readonly w1: ModelVariable;
  readonly b1: ModelVariable;
  readonly w2: ModelVariable;
  readonly b2: ModelVariable;
}

/**
 * Added to each squared row norm in the layer L2 normalisation so an all-zero row stays zero (PyTorch's
 * `F.normalize` clamps the norm at 1e-12 instead; a sum is used because the gradient of `tf.maximum` fails
 * under the @ncf cpu kernel layer).
 */
const SQUARED_NORM_EPS = 1e-24;

/** `x` with every row scaled to unit L2 norm: `x / sqrt(‖x‖² + 1e-24)`. */
function l2NormalizeRows(x: Tensor2D): Tensor2D {
  return tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), 1, true), SQUARED_NORM_EPS))) as Tensor2D;
}

/** Item ids shifted to graph node ids (items follow the users). */
function offsetIds(ids: Int32Array, offset: number): Int32Array {
  const out = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = ids[i]! + offset;
  return out;
}

/**
 * The released code's `D^-1 (A + I)` without its diagonal: the graph's structure with every entry of row `r`
 * set to `1/(deg_r + 1)`, plus the diagonal `1/(deg_r + 1)` per node (applied as a row scaling). The graph's
 * own values are ignored: NGCF's adjacency is unweighted.
 */
function codeAdjacency(m: WeightedCsr): { matrix: WeightedCsr; self: Float32Array } {
  const values = new Float32Array(m.values.length);
  const self = new Float32Array(m.numRows);
  for (let r = 0; r < m.numRows; r++) {
    const w = 1 / (m.offsets[r + 1]! - m.offsets[r]! + 1);
    values.fill(w, m.offsets[r]!, m.offsets[r + 1]!);
    self[r] = w;
  }
  return { matrix: { ...m, values }, self };
}

/**
 * NGCF, Neural Graph Collaborative Filtering (Wang, He, Wang, Feng & Chua, SIGIR 2019), as the authors'
 * code: ego embeddings `E⁽⁰⁾` (Xavier-uniform) propagated by `L` layers
 * `E⁽ˡ⁺¹⁾ = LeakyReLU((L + I) E⁽ˡ⁾ W1 + b1 + (L E⁽ˡ⁾ ⊙ E⁽ˡ⁾) W2 + b2)` (eq. 7; `code` adjacency: see
 * {@link NgcfAdjacency}), message dropout on each layer's output, optional node dropout on the adjacency; the
 * final embedding is the concatenation `[E⁽⁰⁾, n(E⁽¹⁾), …, n(E⁽ᴸ⁾)]` with `n` the row L2 normalisation of the
 * released code, and a pair scores `e_u · e_i`. Trained with BPR plus L2 on the batch's ego embeddings.
 *
 * Scoring propagates once (no dropout) and caches the final embeddings in an {@link EmbeddingCache} that
 * recomputes when any weight changed; `scoreAll` is one matrix product. Create it with {@link ngcfFactory}.
 */
export class NgcfModel implements Recommender<NgcfConfig> {
  readonly kind = NGCF_KIND;
  readonly dataSpec = NGCF_DATA_SPEC;
  readonly config: Readonly<NgcfConfig>;
  readonly info: DatasetInfo;
  readonly #ego: ModelVariable;
  readonly #layers: readonly NgcfLayer[];
  readonly #matrix: WeightedCsr;
  /** `code` adjacency: the self-loop weight `1/(deg + 1)` of every node. */
  readonly #self: Float32Array | undefined;
  readonly #op: SparseOperator;
  readonly #final: EmbeddingCache;
  /** Training degree of every node, for inductive scoring. */
  readonly #degrees: Int32Array;
  #disposed = false;

  /** Use {@link ngcfFactory}`.create()`; this constructor trusts its (checked) arguments. */
  constructor(info: DatasetInfo, graph: GraphInfo, config: Readonly<NgcfConfig>, seed: number) {
    this.info = info;
    this.config = config;
    const base = graphMatrix(graph);
    if (config.adjacency === 'code') {
      const { matrix, self } = codeAdjacency(base);
      this.#matrix = matrix;
      this.#self = self;
    } else {
      this.#matrix = base;
      this.#self = undefined;
    }
    // The paper's adjacency is the graph itself: share its cached operator with every other layer and model.
    this.#op = this.#self ? createSparseOperator(this.#matrix) : graphOperator(graph);
    this.#degrees = nodeDegrees(graph);
    const rng = createRng(seed);
    const nodes = base.numRows;
    const d = config.embeddingSize;
    const flags = { sparse: false, regularize: false, trainable: true };
    // Xavier-uniform everywhere, biases included, as the released code (its bias is a [1, out] matrix).
    this.#ego = createModelVariable('embedding', glorotUniform(nodes, d, rng), [nodes, d], flags);
    const layers: NgcfLayer[] = [];
    let width = d;
    config.layerSizes.forEach((out, k) => {
      const w = (name: string): ModelVariable =>
        createModelVariable(`layer${k}/${name}`, glorotUniform(width, out, rng), [width, out], flags);
      const b = (name: string): ModelVariable =>
        createModelVariable(`layer${k}/${name}`, glorotUniform(1, out, rng), [1, out], flags);
      layers.push({ w1: w('w1'), b1: b('b1'), w2: w('w2'), b2: b('b2') });
      width = out;
    });
    this.#layers = layers;
    this.#final = createEmbeddingCache(
      this.variables().map((v) => v.variable),
      () => this.#propagate(undefined),
    );
  }

  /**
   * BPR on freshly propagated embeddings (message and node dropout on, drawn from `ctx.rng`) plus L2 on the
   * batch's ego embeddings: `mean(softplus(ŷ_uj − ŷ_ui)) + λ (‖e⁰_u‖² + ‖e⁰_i‖² + ‖e⁰_j‖²) / (2B)`.
   * Each call propagates the whole graph: O(L × (edges × d + nodes × d²)).
   */
  loss(batch: Batch, ctx: LossContext): Scalar {
    this.#alive();
    const { users, positives, negatives } = checkPairwiseBatch(NGCF_KIND, batch, this.info);
    const { numUsers } = this.info;
    const n = users.length;
    return tf.tidy(() => {
      const final = this.#propagate(ctx.training ? ctx.rng : undefined);
      const u = tf.tensor1d(users, 'int32');
      const p = tf.tensor1d(offsetIds(positives, numUsers), 'int32');
      const q = tf.tensor1d(offsetIds(negatives, numUsers), 'int32');
      const eu = tf.gather(final, u) as Tensor2D;
      const diff = rowDot(eu, tf.sub(tf.gather(final, q), tf.gather(final, p)) as Tensor2D);
      const bpr = tf.mean(tf.softplus(diff));
      if (this.config.l2 === 0) return bpr as Scalar;
      const ego = this.#ego.variable as unknown as Tensor2D;
      const reg = tf.mul(tf.sum(tf.square(tf.gather(ego, tf.concat([u, p, q])))), this.config.l2 / (2 * n));
      return tf.add(bpr, reg) as Scalar;
    });
  }

  /** Scores of aligned pairs `(users[i], items[i])` from the cached final embeddings. */
  score(users: Int32Array, items: Int32Array): Float32Array {
    this.#alive();
    return dotScores(this.#table(), users, items);
  }

  /** Scores of every item for each user (`users.length × numItems`, row-major): one matrix product. */
  scoreAll(users: Int32Array): Float32Array {
    this.#alive();
    return dotScoreAll(this.#table(), users);
  }

  /**
   * The final embeddings `[numUsers + numItems, d + Σ layerSizes]` (users first, row-major), propagated
   * without dropout and cached until a weight changes.
   */
  finalEmbeddings(): Float32Array {
    this.#alive();
    return this.#final.values();
  }

  /**
   * The item side of `ŷ_ui = z_u · z_i` for fold-in: the final (concatenated) item embeddings (a copy), no
   * biases, `logit` output (BPR scores).
   */
  itemFactors(): ItemFactors {
    this.#alive();
    const t = this.#table();
    return {
      dim: t.dim,
      vectors: t.values.slice(t.numUsers * t.dim, (t.numUsers + t.numItems) * t.dim),
      userBias: false,
      output: 'logit',
    };
  }

  /**
   * Inductive scores for a user given only by `history` (dense items; values ignored, the graph is
   * unweighted): one propagation step over the trained final item embeddings, normalised as the graph's user
   * rows are (see `foldInNode`); no retraining. Scores `items` (default every item, in index order).
   */
  scoreHistory(history: UserHistory, items?: Int32Array): Float32Array {
    this.#alive();
    return scoreHistoryByPropagation(this.#table(), this.#degrees, history, items);
  }

  /**
   * The final embedding of an item that was not in training, from the users who interacted with it (one
   * propagation step over their trained final embeddings); score it against a user by dot product.
   */
  foldInItem(users: Int32Array): Float32Array {
    this.#alive();
    return foldInNode(this.#table(), this.#degrees, users, 'user', 'users');
  }

  /** How many times the final embeddings were computed for scoring (diagnostics and tests). */
  get propagations(): number {
    return this.#final.computations;
  }

  /** Drops the cached final embeddings (only needed after writing weight memory in place yourself). */
  invalidate(): void {
    this.#final.invalidate();
  }

  variables(): readonly ModelVariable[] {
    return [this.#ego, ...this.#layers.flatMap((l) => [l.w1, l.b1, l.w2, l.b2])];
  }

  /** Writes `model.json` (config, dataset info including the graph) and the weights, atomically. */
  save(dir: string, options?: SaveOptions): Promise<void> {
    this.#alive();
    return saveModel(this, dir, options);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.invalidate();
    for (const v of this.variables()) v.variable.dispose();
  }

  #table(): NodeTable {
    const { numUsers, numItems } = this.info;
    return { values: this.finalEmbeddings(), numUsers, numItems, dim: ngcfOutputSize(this.config) };
  }

  /** The adjacency operator of one forward: node dropout draws a fresh mask when training. */
  #operator(rng: Rng | undefined): SparseOperator {
    const p = this.config.nodeDropout;
    if (rng === undefined || p === 0) return this.#op;
    const src = this.#matrix.values;
    const values = new Float32Array(src.length);
    const scale = 1 / (1 - p);
    for (let e = 0; e < src.length; e++) values[e] = rng.next() < p ? 0 : src[e]! * scale;
    return createSparseOperator({ ...this.#matrix, values });
  }

  /**
   * Ego embeddings → `L` NGCF layers → concatenation; differentiable, the caller owns the result (call it in a
   * tidy scope). `rng` given: training forward (message and node dropout drawn from it).
   */
  #propagate(rng: Rng | undefined): Tensor2D {
    const op = this.#operator(rng);
    const { leakySlope, messageDropout, layerL2 } = this.config;
    const self = this.#self ? tf.tensor2d(this.#self, [this.#self.length, 1]) : undefined;
    let ego = this.#ego.variable as unknown as Tensor2D;
    const outs: Tensor2D[] = [ego];
    for (const layer of this.#layers) {
      let side = op(ego);
      // code: (D^-1 (A + I)) E = D^-1 A E + diag(1/(deg + 1)) E; paper: the self term joins the W1 part only.
      if (self) side = tf.add(side, tf.mul(ego, self));
      const first = self ? side : tf.add(side, ego);
      const pre = tf.add(
        tf.add(tf.matMul(first, layer.w1.variable as unknown as Tensor2D), layer.b1.variable),
        tf.add(tf.matMul(tf.mul(side, ego), layer.w2.variable as unknown as Tensor2D), layer.b2.variable),
      ) as Tensor2D;
      ego = tf.leakyRelu(pre, leakySlope);
      if (rng !== undefined) ego = dropout(ego, messageDropout, rng);
      outs.push(layerL2 ? l2NormalizeRows(ego) : ego);
    }
    return outs.length === 1 ? tf.clone(outs[0]!) : (tf.concat(outs, 1) as Tensor2D);
  }

  #alive(): void {
    if (this.#disposed) throw new NcfError('DISPOSED', `${NGCF_KIND}: the model was disposed`);
  }
}

/** The factory type of NGCF: a {@link ModelFactory} whose `create` returns the concrete model. */
export interface NgcfFactory extends ModelFactory<NgcfConfig> {
  create(info: DatasetInfo, config?: Partial<NgcfConfig>, options?: CreateOptions): NgcfModel;
}

/**
 * Factory of {@link NgcfModel} (kind `gnn/ngcf`; Wang et al., SIGIR 2019). Needs `DatasetInfo.graph`, the
 * symmetric-normalised user–item graph that `@ncf/datasets` builds; consumes (user, positive, negative) triples.
 */
export const ngcfFactory: NgcfFactory = {
  kind: NGCF_KIND,
  description:
    'NGCF: embeddings propagated with feature transforms and affinity terms, layers concatenated, dot ' +
    'product, BPR (Wang et al., "Neural Graph Collaborative Filtering", SIGIR 2019)',
  defaults: NGCF_DEFAULTS,
  dataSpec(config?: Partial<NgcfConfig>): DataSpec {
    resolveNgcfConfig(config);
    return NGCF_DATA_SPEC;
  },
  create(info: DatasetInfo, config?: Partial<NgcfConfig>, options?: CreateOptions): NgcfModel {
    requireBackend();
    const resolved = resolveNgcfConfig(config);
    checkDataSpec(NGCF_DATA_SPEC, info);
    if (!(
      Number.isInteger(info.numUsers) &&
      info.numUsers > 0 &&
      Number.isInteger(info.numItems) &&
      info.numItems > 0
    )) {
      throw new ConfigError(
        `${NGCF_KIND} needs positive integer numUsers and numItems, got ${info.numUsers} and ${info.numItems}`,
        'info',
      );
    }
    return new NgcfModel(info, checkGraph(info, NGCF_KIND), resolved, options?.seed ?? 0);
  },
};
