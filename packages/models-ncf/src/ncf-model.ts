import { ConfigError, DataError, NcfError, defineDataSpec, requireInt, requireIntArray, tf } from '@ncf/core';
import type {
  Batch,
  DataInputName,
  DataSpec,
  DatasetInfo,
  LossContext,
  ModelVariable,
  Recommender,
  Rng,
  SaveOptions,
  Scalar,
  Tensor1D,
  Tensor2D,
} from '@ncf/core';
import { bprLoss, meanSquaredError, sigmoidCrossEntropy } from './layers/losses.js';
import type { NcfLoss } from './layers/losses.js';
import { saveNcfModel } from './save.js';

/** What a forward pass may use: a way to read embedding rows, and training-time randomness. */
export interface ForwardPass {
  readonly training: boolean;
  /** Dropout masks; undefined at inference. */
  readonly rng: Rng | undefined;
  /** Rows `ids` of an embedding table (`ctx.lookup` in training, a plain gather at inference). */
  read(table: ModelVariable, ids: Int32Array): Tensor2D;
  /** Adds a regularisation term to the training loss (ignored at inference). */
  penalize(term: Scalar): void;
}

/** Config fields every model of this package has. */
export interface NcfLossConfig {
  /**
   * Training loss; it decides the model's data spec: `bpr` consumes pairwise batches, `bce` pointwise batches
   * with implicit labels (1 + sampled 0s), `mse` pointwise batches with rating labels.
   */
  readonly loss: NcfLoss;
}

/** Upper bound on the (user, item) pairs one scoring pass evaluates (bounds memory; ~a few MB per layer). */
export const SCORE_CHUNK_PAIRS = 1 << 16;

/**
 * The data spec of an NCF-family model with loss `loss` reading dataset inputs `inputs`: `bpr` → pairwise
 * batches (Rendle et al., 2009), `mse` → pointwise with rating labels, `bce` → pointwise with implicit labels
 * (He et al., 2017 §3.1.1).
 */
export function ncfDataSpec(loss: NcfLoss, inputs: readonly DataInputName[] = []): DataSpec {
  if (loss === 'bpr') return defineDataSpec({ batch: 'pairwise', inputs });
  return defineDataSpec({ batch: 'pointwise', labels: loss === 'mse' ? 'rating' : 'implicit', inputs });
}

function gatherRows(table: ModelVariable, ids: Int32Array): Tensor2D {
  return tf.gather(table.variable, tf.tensor1d(ids, 'int32')) as Tensor2D;
}

/** Throws DataError unless every id is an integer in `[0, n)`. */
export function checkIndices(ids: Int32Array, n: number, what: 'user' | 'item', field: string): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (v < 0 || v >= n) {
      throw new DataError(`${field}[${i}] = ${v} is not a dense ${what} index in [0, ${n})`);
    }
  }
}

/**
 * Shared implementation of the NCF-family models: the loss dispatch (pointwise `bce`/`mse`, pairwise `bpr`),
 * chunked scoring, variables, saving and disposal. A model supplies `forward` (one score per pair, as logits
 * for `bce`/`bpr` and predicted ratings for `mse`) and may override `scoreAll` with a faster product.
 */
export abstract class NcfModel<C extends NcfLossConfig> implements Recommender<C> {
  readonly kind: string;
  readonly config: Readonly<C>;
  readonly info: DatasetInfo;
  readonly dataSpec: DataSpec;
  readonly #variables: readonly ModelVariable[];
  #disposed = false;

  protected constructor(
    kind: string,
    info: DatasetInfo,
    config: C,
    variables: readonly ModelVariable[],
    dataSpec: DataSpec = ncfDataSpec(config.loss),
  ) {
    this.kind = kind;
    this.info = info;
    this.config = Object.freeze({ ...config });
    this.dataSpec = dataSpec;
    this.#variables = variables;
  }

  /** Scores of aligned pairs, shape `[users.length]`. Called inside a tidy scope. */
  protected abstract forward(users: Int32Array, items: Int32Array, pass: ForwardPass): Tensor1D;

  /** Training loss of one batch (see {@link NcfLoss}). */
  loss(batch: Batch, ctx: LossContext): Scalar {
    this.#checkAlive();
    const penalties: Scalar[] = [];
    const pass: ForwardPass = {
      training: ctx.training,
      rng: ctx.training ? ctx.rng : undefined,
      read: (table, ids) => ctx.lookup(table, ids),
      penalize: (term) => void penalties.push(term),
    };
    const withPenalties = (loss: Scalar): Scalar =>
      penalties.length === 0 ? loss : (tf.addN([loss, ...penalties]) as Scalar);
    const { numUsers, numItems } = this.info;
    if (this.config.loss === 'bpr') {
      if (batch.kind !== 'pairwise') {
        throw new DataError(
          `${this.kind} with loss 'bpr' consumes pairwise batches, got a ${batch.kind} batch`,
        );
      }
      const n = batch.users.length;
      checkIndices(batch.users, numUsers, 'user', 'batch.users');
      checkIndices(batch.positives, numItems, 'item', 'batch.positives');
      checkIndices(batch.negatives, numItems, 'item', 'batch.negatives');
      // One forward pass over positives and negatives together: half the kernels of two passes.
      const users = new Int32Array(2 * n);
      users.set(batch.users);
      users.set(batch.users, n);
      const items = new Int32Array(2 * n);
      items.set(batch.positives);
      items.set(batch.negatives, n);
      return tf.tidy(() => {
        const s = this.forward(users, items, pass);
        return withPenalties(bprLoss(tf.sub(tf.slice(s, 0, n), tf.slice(s, n, n))));
      });
    }
    if (batch.kind !== 'pointwise') {
      throw new DataError(
        `${this.kind} with loss '${this.config.loss}' consumes pointwise batches, got a ${batch.kind} batch`,
      );
    }
    checkIndices(batch.users, numUsers, 'user', 'batch.users');
    checkIndices(batch.items, numItems, 'item', 'batch.items');
    if (batch.labels.length !== batch.users.length || batch.items.length !== batch.users.length) {
      throw new DataError(
        `batch arrays differ in length: users ${batch.users.length}, items ${batch.items.length}, labels ${batch.labels.length}`,
      );
    }
    return tf.tidy(() => {
      const s = this.forward(batch.users, batch.items, pass);
      const y = tf.tensor1d(batch.labels, 'float32');
      return withPenalties(this.config.loss === 'mse' ? meanSquaredError(s, y) : sigmoidCrossEntropy(s, y));
    });
  }

  /** Scores of aligned pairs: logits for `bce`/`bpr` models (rank-equivalent to probabilities, no ties from saturation), ratings for `mse`. */
  score(users: Int32Array, items: Int32Array): Float32Array {
    this.#checkAlive();
    if (users.length !== items.length) {
      throw new DataError(
        `score(users, items) needs arrays of equal length, got ${users.length} and ${items.length}`,
      );
    }
    checkIndices(users, this.info.numUsers, 'user', 'users');
    checkIndices(items, this.info.numItems, 'item', 'items');
    const out = new Float32Array(users.length);
    for (let start = 0; start < users.length; start += SCORE_CHUNK_PAIRS) {
      const end = Math.min(users.length, start + SCORE_CHUNK_PAIRS);
      const u = users.subarray(start, end);
      const i = items.subarray(start, end);
      const t = tf.tidy(() => this.forward(u, i, inferencePass));
      out.set(t.dataSync() as Float32Array, start);
      t.dispose();
    }
    return out;
  }

  /** Scores of every item for each user (`users.length × numItems`, row-major). */
  scoreAll(users: Int32Array): Float32Array {
    this.#checkAlive();
    checkIndices(users, this.info.numUsers, 'user', 'users');
    const numItems = this.info.numItems;
    const out = new Float32Array(users.length * numItems);
    const chunk = Math.max(1, Math.floor(this.scoreAllChunkPairs() / numItems));
    for (let start = 0; start < users.length; start += chunk) {
      const u = users.subarray(start, Math.min(users.length, start + chunk));
      const t = tf.tidy(() => this.scoreAllChunk(u));
      out.set(t.dataSync() as Float32Array, start * numItems);
      t.dispose();
    }
    return out;
  }

  /** Pairs per {@link scoreAllChunk} call. */
  protected scoreAllChunkPairs(): number {
    return SCORE_CHUNK_PAIRS;
  }

  /** `[users.length, numItems]` scores of a chunk of users, called inside a tidy scope. Default: pairwise forward. */
  protected scoreAllChunk(users: Int32Array): Tensor2D {
    const numItems = this.info.numItems;
    const u = new Int32Array(users.length * numItems);
    const i = new Int32Array(users.length * numItems);
    for (let r = 0; r < users.length; r++) {
      u.fill(users[r]!, r * numItems, (r + 1) * numItems);
      for (let j = 0; j < numItems; j++) i[r * numItems + j] = j;
    }
    return tf.reshape(this.forward(u, i, inferencePass), [users.length, numItems]);
  }

  variables(): readonly ModelVariable[] {
    return this.#variables;
  }

  /** Writes `model.json` and weights to `dir` through @ncf/core's model files. */
  async save(dir: string, options?: SaveOptions): Promise<void> {
    this.#checkAlive();
    await saveNcfModel(this, dir, options);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const v of this.#variables) v.variable.dispose();
  }

  /** Whether {@link dispose} has run. */
  get disposed(): boolean {
    return this.#disposed;
  }

  #checkAlive(): void {
    if (this.#disposed)
      throw new NcfError('DISPOSED', `${this.kind} model was disposed; create or load it again`);
  }
}

/** The forward pass used for scoring: plain gathers, no dropout. */
export const inferencePass: ForwardPass = {
  training: false,
  rng: undefined,
  read: gatherRows,
  penalize: () => undefined,
};

/** Throws ConfigError unless `layers` is a tower spec: ≥ 2 positive integers, the first even (2 × embedding size). */
export function requireTower(value: unknown, field: string): number[] {
  if (!Array.isArray(value) || value.length < 2) {
    throw new ConfigError(
      `${field} must list at least two layer widths (input, then hidden layers), got ${JSON.stringify(value)}`,
      field,
    );
  }
  const widths = requireIntArray(value, field, { min: 1 });
  if (widths[0]! % 2 !== 0) {
    throw new ConfigError(
      `${field}[0] is the concatenated user+item embedding width and must be even, got ${widths[0]}`,
      field,
    );
  }
  return widths;
}

/** Checks the dataset sizes a model is created for. */
export function checkInfo(info: DatasetInfo, kind: string): void {
  requireInt(info.numUsers, `${kind}: info.numUsers`, { min: 1 });
  requireInt(info.numItems, `${kind}: info.numItems`, { min: 1 });
}
