import {
  ConfigError,
  DataError,
  MissingDataInputError,
  NcfError,
  checkDataSpec,
  createDense,
  createModelVariable,
  createRng,
  datasetInput,
  defineDataSpec,
  dropout,
  glorotUniform,
  requireBackend,
  rowDot,
  saveModel,
  tf,
  uniformValues,
} from '@ncf/core';
import type {
  Batch,
  CreateOptions,
  DataSpec,
  DatasetInfo,
  DenseLayer,
  GraphInfo,
  LossContext,
  ModelFactory,
  ModelVariable,
  Recommender,
  Rng,
  SaveOptions,
  Scalar,
  Tensor2D,
} from '@ncf/core';
import { checkGraph } from './check-graph.js';
import { checkIds } from './check-ids.js';
import { graphMatrix } from './csr-matmul.js';
import type { SparseOperator } from './csr-matmul.js';
import { dotScoreAll, dotScores } from './dot-scores.js';
import { createEmbeddingCache } from './embedding-cache.js';
import type { EmbeddingCache } from './embedding-cache.js';
import {
  GRAPH_NCF_DEFAULTS,
  GRAPH_NCF_GRAPH_INPUT,
  GRAPH_NCF_KIND,
  resolveGraphNcfConfig,
} from './graph-ncf-config.js';
import type { GraphNcfConfig } from './graph-ncf-config.js';
import { createMaskedAdjacency } from './masked-adjacency.js';
import type { MaskedAdjacency } from './masked-adjacency.js';

/** A learned message transform `x ↦ x W + b` (`W` `[d, d]`, `b` `[d]`). */
interface Transform {
  readonly kernel: ModelVariable;
  readonly bias: ModelVariable;
}

const asTensor = (v: ModelVariable): Tensor2D => v.variable as unknown as Tensor2D;

/**
 * Graph NCF's data needs for `config` — the one place they are decided: pointwise batches with rating labels
 * for `mse`, pairwise triples for `bpr`, and always the dataset input {@link GRAPH_NCF_GRAPH_INPUT} (the
 * signed centred rating graph, which `@ncf/datasets`' `datasetInfoFor` builds from the training ratings).
 * @throws ConfigError for a bad config.
 */
export function graphNcfDataSpec(config?: Partial<GraphNcfConfig>): DataSpec {
  const c = resolveGraphNcfConfig(config);
  return defineDataSpec(
    c.loss === 'mse'
      ? { batch: 'pointwise', labels: 'rating', inputs: [GRAPH_NCF_GRAPH_INPUT] }
      : { batch: 'pairwise', inputs: [GRAPH_NCF_GRAPH_INPUT] },
  );
}

/**
 * The centred graph of `info` (dataset input {@link GRAPH_NCF_GRAPH_INPUT}, a CSR with values), checked as an
 * unnormalised graph over `numUsers + numItems` nodes.
 * @throws MissingDataInputError when absent; DataError when malformed or not a weighted CSR.
 */
export function graphNcfGraph(info: DatasetInfo): GraphInfo {
  const input = datasetInput(info, GRAPH_NCF_GRAPH_INPUT);
  if (input === undefined) {
    throw new MissingDataInputError(
      GRAPH_NCF_GRAPH_INPUT,
      `${GRAPH_NCF_KIND} needs the dataset input '${GRAPH_NCF_GRAPH_INPUT}' (signed centred rating edges); ` +
        "build the dataset info with @ncf/datasets' datasetInfoFor(graphNcfFactory.dataSpec(config), train)",
    );
  }
  if (input.type !== 'csr' || input.values === undefined) {
    throw new DataError(
      `${GRAPH_NCF_KIND}: dataset input '${GRAPH_NCF_GRAPH_INPUT}' must be a CSR with values, got a '${input.type}' input${input.type === 'csr' ? ' without values' : ''}`,
    );
  }
  const graph: GraphInfo = {
    numRows: input.numRows,
    numCols: input.numCols,
    offsets: input.offsets,
    indices: input.indices,
    values: input.values,
    normalization: 'none',
  };
  return checkGraph({ ...info, graph }, GRAPH_NCF_KIND, 'none');
}

/**
 * Graph NCF as the seed repository built it (`GraphNCF` with `LightGCNConv`, `hetero=True`): node embeddings
 * from ids (a one-hot Linear layer per node type: an embedding row plus a per-type bias), `L` propagation
 * steps over the signed centred rating graph (`@ncf/datasets`' `centredGraph`)
 * `h'_i = Σ_u w_ui / sqrt(deg_u deg_i) · Drop(W_ui h_u + b_ui)`, `h'_u = Σ_i w_iu / sqrt(deg_u deg_i) ·
 * Drop(W_iu h_i + b_iu)` with one transform per direction shared by every step (no self loop, no
 * non-linearity), the mean of `h⁽⁰⁾..h⁽ᴸ⁾`, and an MLP on `[z_i ; z_u]` (or a dot product). Training removes
 * the batch's own edges (target masking), drops a fraction of the others (message dropout) and recomputes the
 * degrees over what is left; MSE (summed over the batch, as the seed) on ratings or BPR on implicit triples.
 * Create it with {@link graphNcfFactory}.
 */
export class GraphNcfModel implements Recommender<GraphNcfConfig> {
  readonly kind = GRAPH_NCF_KIND;
  readonly dataSpec: DataSpec;
  readonly config: Readonly<GraphNcfConfig>;
  readonly info: DatasetInfo;
  readonly #table: ModelVariable;
  readonly #userBias: ModelVariable;
  readonly #itemBias: ModelVariable;
  readonly #intoItems: Transform;
  readonly #intoUsers: Transform;
  readonly #mlp: readonly DenseLayer[];
  readonly #adjacency: MaskedAdjacency;
  readonly #final: EmbeddingCache;
  #disposed = false;

  /** Use {@link graphNcfFactory}`.create()`; this constructor trusts its (checked) arguments. */
  constructor(info: DatasetInfo, graph: GraphInfo, config: Readonly<GraphNcfConfig>, seed: number) {
    this.info = info;
    this.config = config;
    this.dataSpec = graphNcfDataSpec(config);
    this.#adjacency = createMaskedAdjacency(graphMatrix(graph), info.numUsers);
    const rng = createRng(seed);
    const { numUsers: U, numItems: I } = info;
    const d = config.embeddingSize;
    const flags = { sparse: false, regularize: true, trainable: true };
    // PyTorch's nn.Linear(n, d) on one-hot ids: weight and bias uniform in ±1/sqrt(n).
    const table = new Float32Array((U + I) * d);
    table.set(uniformValues(U * d, 1 / Math.sqrt(U), rng), 0);
    table.set(uniformValues(I * d, 1 / Math.sqrt(I), rng), U * d);
    this.#table = createModelVariable('embedding', table, [U + I, d], flags);
    this.#userBias = createModelVariable('user-bias', uniformValues(d, 1 / Math.sqrt(U), rng), [1, d], flags);
    this.#itemBias = createModelVariable('item-bias', uniformValues(d, 1 / Math.sqrt(I), rng), [1, d], flags);
    const transform = (name: string): Transform => ({
      kernel: createModelVariable(`${name}/kernel`, glorotUniform(d, d, rng), [d, d], flags),
      bias: createModelVariable(`${name}/bias`, uniformValues(d, 1 / Math.sqrt(d), rng), [1, d], {
        ...flags,
        regularize: false,
      }),
    });
    this.#intoItems = transform('w-ui');
    this.#intoUsers = transform('w-iu');
    const widths = [2 * d, ...config.mlpLayers, 1];
    this.#mlp =
      config.head === 'mlp'
        ? widths.slice(1).map((out, l) =>
            createDense(`mlp/${l}`, widths[l]!, out, rng, {
              init: 'fan-in-uniform',
              activation: l === widths.length - 2 ? 'linear' : 'relu',
              regularize: true,
            }),
          )
        : [];
    const sources = [this.#table, this.#userBias, this.#itemBias, ...this.#transformVariables()];
    this.#final = createEmbeddingCache(
      sources.map((v) => v.variable),
      () => this.#embed(this.#adjacency.full(), undefined),
    );
  }

  /**
   * Training loss of one batch on embeddings propagated over the graph without the batch's own edges (when
   * `targetMask`) and with `messageDropout` of the others dropped: `Σ_b (ŷ_b − r_b)²` for `mse` (pointwise
   * rating batches), `mean(softplus(ŷ_uj − ŷ_ui))` for `bpr` (triples).
   */
  loss(batch: Batch, ctx: LossContext): Scalar {
    this.#alive();
    const { numUsers, numItems } = this.info;
    const training = ctx.training;
    const rng = training ? ctx.rng : undefined;
    if (this.config.loss === 'mse') {
      if (batch.kind !== 'pointwise') {
        throw new DataError(
          `${GRAPH_NCF_KIND} with loss 'mse' trains on 'pointwise' rating batches, got '${batch.kind}'`,
        );
      }
      const { users, items, labels } = batch;
      this.#checkBatch(users, items, labels.length);
      const op = this.#trainingOperator(users, items, rng);
      return tf.tidy(() => {
        const z = this.#embed(op, rng);
        const pred = this.#predict(z, users, items, rng);
        return tf.sum(tf.square(tf.sub(pred, tf.tensor1d(labels)))) as Scalar;
      });
    }
    if (batch.kind !== 'pairwise') {
      throw new DataError(
        `${GRAPH_NCF_KIND} with loss 'bpr' trains on (user, positive, negative) triples, got '${batch.kind}'`,
      );
    }
    const { users, positives, negatives } = batch;
    this.#checkBatch(users, positives, negatives.length);
    checkIds(negatives, numItems, 'batch.negatives');
    void numUsers;
    const op = this.#trainingOperator(users, positives, rng);
    return tf.tidy(() => {
      const z = this.#embed(op, rng);
      const pos = this.#predict(z, users, positives, rng);
      const neg = this.#predict(z, users, negatives, rng);
      return tf.mean(tf.softplus(tf.sub(neg, pos))) as Scalar;
    });
  }

  /** Predictions for aligned pairs from the cached full-graph embeddings (no dropout). */
  score(users: Int32Array, items: Int32Array): Float32Array {
    this.#alive();
    if (this.config.head === 'dot') return dotScores(this.#nodeTable(), users, items);
    if (users.length !== items.length) {
      throw new DataError(`score: users has ${users.length} entries but items has ${items.length}`);
    }
    checkIds(users, this.info.numUsers, 'users');
    checkIds(items, this.info.numItems, 'items');
    if (users.length === 0) return new Float32Array(0);
    const z = this.finalEmbeddings();
    const out = tf.tidy(() => {
      const zt = tf.tensor2d(z, [this.info.numUsers + this.info.numItems, this.config.embeddingSize]);
      return this.#predict(zt, users, items, undefined);
    });
    try {
      return out.dataSync() as Float32Array;
    } finally {
      out.dispose();
    }
  }

  /** Predictions of every item for each user (`users.length × numItems`, row-major). */
  scoreAll(users: Int32Array): Float32Array {
    this.#alive();
    if (this.config.head === 'dot') return dotScoreAll(this.#nodeTable(), users);
    checkIds(users, this.info.numUsers, 'users');
    const I = this.info.numItems;
    const out = new Float32Array(users.length * I);
    const items = Int32Array.from({ length: I }, (_, i) => i);
    for (let b = 0; b < users.length; b++) {
      out.set(this.score(new Int32Array(I).fill(users[b]!), items), b * I);
    }
    return out;
  }

  /** Final node embeddings `[numUsers + numItems, d]` (users first), full graph, cached until weights change. */
  finalEmbeddings(): Float32Array {
    this.#alive();
    return this.#final.values();
  }

  /** How many times the final embeddings were computed for scoring. */
  get propagations(): number {
    return this.#final.computations;
  }

  variables(): readonly ModelVariable[] {
    return [
      this.#table,
      this.#userBias,
      this.#itemBias,
      ...this.#transformVariables(),
      ...this.#mlp.flatMap((l) => [l.kernel, l.bias]),
    ];
  }

  /** Writes `model.json` (config, dataset info with its centred graph) and the weights, atomically. */
  save(dir: string, options?: SaveOptions): Promise<void> {
    this.#alive();
    return saveModel(this, dir, options);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#final.invalidate();
    for (const v of this.variables()) v.variable.dispose();
  }

  #transformVariables(): ModelVariable[] {
    return [this.#intoItems.kernel, this.#intoItems.bias, this.#intoUsers.kernel, this.#intoUsers.bias];
  }

  #nodeTable(): { values: Float32Array; numUsers: number; numItems: number; dim: number } {
    const { numUsers, numItems } = this.info;
    return { values: this.finalEmbeddings(), numUsers, numItems, dim: this.config.embeddingSize };
  }

  #checkBatch(users: Int32Array, items: Int32Array, third: number): void {
    const n = users.length;
    if (n === 0) throw new DataError(`${GRAPH_NCF_KIND}: empty batch`);
    if (items.length !== n || third !== n) {
      throw new DataError(
        `${GRAPH_NCF_KIND}: batch arrays differ in length (${n}, ${items.length}, ${third})`,
      );
    }
    checkIds(users, this.info.numUsers, 'batch.users');
    checkIds(items, this.info.numItems, 'batch.items');
  }

  /** The graph of one training forward: batch edges masked, message dropout drawn; the full graph in eval. */
  #trainingOperator(users: Int32Array, items: Int32Array, rng: Rng | undefined): SparseOperator {
    if (rng === undefined) return this.#adjacency.full();
    const mask = this.config.targetMask;
    return this.#adjacency.masked(
      mask ? users : undefined,
      mask ? items : undefined,
      this.config.messageDropout,
      rng,
    );
  }

  /** `mean(h⁽⁰⁾..h⁽ᴸ⁾)` over `op`; `rng` given: feature dropout on the messages. Caller owns the result. */
  #embed(op: SparseOperator, rng: Rng | undefined): Tensor2D {
    const { numUsers: U, numItems: I } = this.info;
    const d = this.config.embeddingSize;
    const table = asTensor(this.#table);
    let h = tf.concat([
      tf.add(tf.slice(table, [0, 0], [U, d]), asTensor(this.#userBias)),
      tf.add(tf.slice(table, [U, 0], [I, d]), asTensor(this.#itemBias)),
    ]) as Tensor2D;
    let acc = h;
    const steps = this.config.layers;
    for (let t = 0; t < steps; t++) {
      // Users send through W_ui (messages into items), items through W_iu (into users).
      const fromUsers = tf.add(
        tf.matMul(tf.slice(h, [0, 0], [U, d]), asTensor(this.#intoItems.kernel)),
        asTensor(this.#intoItems.bias),
      );
      const fromItems = tf.add(
        tf.matMul(tf.slice(h, [U, 0], [I, d]), asTensor(this.#intoUsers.kernel)),
        asTensor(this.#intoUsers.bias),
      );
      let messages = tf.concat([fromUsers, fromItems]) as Tensor2D;
      if (rng !== undefined) messages = dropout(messages, this.config.featureDropout, rng);
      h = op(messages);
      acc = tf.add(acc, h);
    }
    return steps === 0 ? tf.clone(acc) : (tf.div(acc, steps + 1) as Tensor2D);
  }

  /** `ŷ` of aligned pairs from node embeddings `z`; `rng` given: MLP dropout. */
  #predict(z: Tensor2D, users: Int32Array, items: Int32Array, rng: Rng | undefined): tf.Tensor1D {
    const zu = tf.gather(z, tf.tensor1d(users, 'int32')) as Tensor2D;
    const zi = tf.gather(
      z,
      tf.tensor1d(
        Int32Array.from(items, (i) => i + this.info.numUsers),
        'int32',
      ),
    ) as Tensor2D;
    if (this.config.head === 'dot') return rowDot(zu, zi);
    let x = tf.concat([zi, zu], 1) as Tensor2D;
    this.#mlp.forEach((layer, l) => {
      x = tf.add(tf.matMul(x, asTensor(layer.kernel)), layer.bias.variable) as Tensor2D;
      if (layer.activation === 'relu') {
        x = tf.relu(x);
        if (rng !== undefined && l < this.#mlp.length - 1) x = dropout(x, this.config.mlpDropout, rng);
      }
    });
    return tf.reshape(x, [users.length]) as tf.Tensor1D;
  }

  #alive(): void {
    if (this.#disposed) throw new NcfError('DISPOSED', `${GRAPH_NCF_KIND}: the model was disposed`);
  }
}

/** The factory type of Graph NCF. */
export interface GraphNcfFactory extends ModelFactory<GraphNcfConfig> {
  create(info: DatasetInfo, config?: Partial<GraphNcfConfig>, options?: CreateOptions): GraphNcfModel;
}

/**
 * Factory of {@link GraphNcfModel} (kind `gnn/graph-ncf`, the seed repository's GraphNCF). Needs the dataset
 * input `centredGraph` (`@ncf/datasets`' `centredGraph(train)`).
 */
export const graphNcfFactory: GraphNcfFactory = {
  kind: GRAPH_NCF_KIND,
  description:
    "Graph NCF (the seed's GraphNCF): signed centred-rating propagation with per-direction transforms, " +
    'layer mean, MLP head, MSE on ratings with target-edge masking',
  defaults: GRAPH_NCF_DEFAULTS,
  dataSpec: graphNcfDataSpec,
  create(info: DatasetInfo, config?: Partial<GraphNcfConfig>, options?: CreateOptions): GraphNcfModel {
    requireBackend();
    const resolved = resolveGraphNcfConfig(config);
    checkDataSpec(graphNcfDataSpec(resolved), info);
    if (!(
      Number.isInteger(info.numUsers) &&
      info.numUsers > 0 &&
      Number.isInteger(info.numItems) &&
      info.numItems > 0
    )) {
      throw new ConfigError(
        `${GRAPH_NCF_KIND} needs positive integer numUsers and numItems, got ${info.numUsers} and ${info.numItems}`,
        'info',
      );
    }
    return new GraphNcfModel(info, graphNcfGraph(info), resolved, options?.seed ?? 0);
  },
};
