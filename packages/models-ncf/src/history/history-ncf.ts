import {
  ConfigError,
  DataError,
  NcfError,
  applyDense,
  createDense,
  createEmbedding,
  createTower,
  denseVariables,
  segmentWeightedSum,
  tf,
} from '@ncf/core';
import type {
  Batch,
  DataSpec,
  DatasetInfo,
  DenseLayer,
  FeatureMatrix,
  LossContext,
  ModelVariable,
  Recommender,
  Rng,
  SaveOptions,
  Scalar,
  Tensor1D,
  Tensor2D,
  UserHistory,
} from '@ncf/core';
import { bprLoss, meanSquaredError, sigmoidCrossEntropy } from '../layers/losses.js';
import { towerWithOutput } from '../layers/tower.js';
import { checkIndices, inferencePass } from '../ncf-model.js';
import type { ForwardPass } from '../ncf-model.js';
import { saveNcfModel } from '../save.js';
import {
  centreValues,
  checkRawHistory,
  centringOf,
  knownHistories,
  prepareSegments,
  repeatSegment,
  segmentsLeavingTargetOut,
  segmentsOfUsers,
  uniqueRows,
} from './segments.js';
import type { Centring, HistorySegments } from './segments.js';
import { featureClasses } from './feature-classes.js';
import type { FeatureClasses } from './feature-classes.js';
import { historyNcfDataSpec } from './history-config.js';
import type { HistoryNcfConfig } from './history-config.js';

/** A user given only by history (core's `UserHistory`): dense item indices and RAW values. */
export type UserHistoryInput = UserHistory;

/** Upper bound on the (sample, history item) pairs of one scoring pass. */
export const HISTORY_SCORE_CHUNK_PAIRS = 1 << 18;

/** What a forward pass computed for a chunk of samples (tensors live in the caller's tidy scope). */
export interface HistoryForward {
  readonly scores: Tensor1D;
  /** Per history entry (after masking/capping), the weight it got in the user profile. */
  readonly weights: Tensor1D;
  readonly segments: HistorySegments;
}

function featureRows(features: FeatureMatrix, ids: Int32Array): Tensor2D {
  const { dim, values } = features;
  const out = new Float32Array(ids.length * dim);
  for (let r = 0; r < ids.length; r++) out.set(values.subarray(ids[r]! * dim, (ids[r]! + 1) * dim), r * dim);
  return tf.tensor2d(out, [ids.length, dim]);
}

/**
 * Shared implementation of the history models (Content NCF, Attention NCF). Item `i` is represented by
 * `e_i = x_i W_item` (its features through a learned projection), an id embedding `q_i`, or their sum
 * (`itemInput`). A user is the weighted sum of what they rated, `u = (Σ_j w_j x_j) W_user + Σ_j w_j y_j`
 * (feature and id parts as configured) plus an optional user id embedding (hybrid); the weights `w_j` are the
 * centred ratings times the model's aggregation (`1/|N(u)|` for Content NCF, attention for Attention NCF).
 * `[e_c; u]` goes through a ReLU tower with dropout and a linear output (the NCF framework of He et al.,
 * WWW 2017, §3.1). Because a user is a function of their history, a user never seen in training is scored
 * from `(item, rating)` pairs alone ({@link scoreHistory}), and an item with features but no training
 * interactions from its features.
 */
export abstract class HistoryNcfModel<C extends HistoryNcfConfig> implements Recommender<C> {
  readonly kind: string;
  readonly config: Readonly<C>;
  readonly info: DatasetInfo;
  readonly dataSpec: DataSpec;
  readonly centring: Centring;
  protected readonly features: FeatureMatrix | undefined;
  protected readonly itemProjection: DenseLayer | undefined;
  protected readonly itemTable: ModelVariable | undefined;
  protected readonly userProjection: DenseLayer | undefined;
  protected readonly historyTable: ModelVariable | undefined;
  protected readonly userTable: ModelVariable | undefined;
  protected readonly tower: readonly DenseLayer[];
  protected readonly output: DenseLayer;
  #variables: ModelVariable[] = [];
  #disposed = false;
  #classes: FeatureClasses | undefined;

  protected constructor(kind: string, info: DatasetInfo, config: C, rng: Rng) {
    this.kind = kind;
    this.info = info;
    this.config = Object.freeze({ ...config });
    this.dataSpec = historyNcfDataSpec(config);
    this.centring = centringOf(info, config.shrinkage);
    const d = config.dim;
    const useFeatures = config.itemInput !== 'id';
    const useIds = config.itemInput !== 'features';
    if (useFeatures) {
      const f = info.itemFeatures;
      if (!f || f.rows !== info.numItems || f.dim < 1 || f.values.length !== f.rows * f.dim) {
        throw new ConfigError(
          `${kind}: itemInput '${config.itemInput}' needs info.itemFeatures with ${info.numItems} rows of dim ≥ 1` +
            (f ? `, got ${f.rows} × ${f.dim}` : ', which this dataset does not have (use itemInput: id)'),
          'itemInput',
        );
      }
      this.features = f;
      const init = { init: 'fan-in-uniform', activation: 'linear' } as const;
      this.itemProjection = createDense(`${kind}/item_projection`, f.dim, d, rng, init);
      this.userProjection = createDense(`${kind}/user_projection`, f.dim, d, rng, init);
    }
    if (useIds) {
      this.itemTable = createEmbedding(`${kind}/item_embedding`, info.numItems, d, rng, {
        std: config.initStd,
      });
      this.historyTable = createEmbedding(`${kind}/history_embedding`, info.numItems, d, rng, {
        std: config.initStd,
      });
    }
    if (config.userId) {
      this.userTable = createEmbedding(`${kind}/user_embedding`, info.numUsers, d, rng, {
        std: config.initStd,
      });
    }
    this.tower = createTower(`${kind}/mlp`, config.layers, rng);
    this.output = createDense(`${kind}/out`, config.layers[config.layers.length - 1]!, 1, rng, {
      init: 'lecun-uniform',
      activation: 'linear',
    });
  }

  /** Registers the variables (subclasses add theirs first, then call this once). */
  protected collectVariables(extra: readonly ModelVariable[]): void {
    const dense = [this.itemProjection, this.userProjection].filter((l): l is DenseLayer => !!l);
    const tables = [this.itemTable, this.historyTable, this.userTable].filter((t): t is ModelVariable => !!t);
    this.#variables = [
      ...denseVariables(dense),
      ...tables,
      ...extra,
      ...denseVariables(this.tower),
      ...denseVariables([this.output]),
    ];
  }

  /**
   * Per history entry, its weight in the user profile (`[P]`), given the candidates' representations `c`
   * (`[n, dim]`), the distinct items' representations `e` (`[m, dim]`) and each entry's row in `e`.
   */
  protected abstract historyWeights(
    c: Tensor2D,
    e: Tensor2D,
    histRows: Int32Array,
    seg: HistorySegments,
    pass: ForwardPass,
  ): Tensor1D;

  /** Item representations `[ids.length, dim]`. */
  protected itemRepresentations(ids: Int32Array, pass: ForwardPass): Tensor2D {
    const parts: Tensor2D[] = [];
    if (this.itemProjection) parts.push(applyDense(this.itemProjection, featureRows(this.features!, ids)));
    if (this.itemTable) parts.push(pass.read(this.itemTable, ids));
    return parts.length === 1 ? parts[0]! : (tf.add(parts[0]!, parts[1]!) as Tensor2D);
  }

  /** Scores of `candidates[b]` for history `b` (and known user `users[b]` when given). Inside a tidy scope. */
  protected forwardHistory(
    users: Int32Array | undefined,
    candidates: Int32Array,
    raw: HistorySegments,
    pass: ForwardPass,
  ): HistoryForward {
    const seg = prepareSegments(raw, candidates, {
      maskCandidate: pass.training,
      cap: this.config.historyCap,
      dropRate: pass.training ? this.config.messageDropout : 0,
      rng: pass.rng,
    });
    const { ids, rowsA, rowsB } = uniqueRows(candidates, seg.items, this.info.numItems);
    const e = this.itemRepresentations(ids, pass);
    const c = tf.gather(e, tf.tensor1d(rowsA, 'int32')) as Tensor2D;
    const w = this.historyWeights(c, e, rowsB, seg, pass);
    const parts: Tensor2D[] = [];
    if (this.userProjection) {
      const profile = segmentWeightedSum(w, featureRows(this.features!, ids), rowsB, seg.offsets);
      parts.push(applyDense(this.userProjection, profile));
    }
    if (this.historyTable) {
      parts.push(segmentWeightedSum(w, pass.read(this.historyTable, ids), rowsB, seg.offsets));
    }
    if (this.userTable && users) parts.push(pass.read(this.userTable, users));
    const u = parts.length === 1 ? parts[0]! : (tf.addN(parts) as Tensor2D);
    const x = tf.concat([c, u], 1);
    const s = towerWithOutput(this.tower, this.output, x, this.config.dropout, pass.rng);
    return { scores: tf.reshape(s, [candidates.length]) as Tensor1D, weights: w, segments: seg };
  }

  /** Training loss of one batch: user-history (or pointwise) batches for `mse`/`bce`, pairwise for `bpr`. */
  loss(batch: Batch, ctx: LossContext): Scalar {
    this.#checkAlive();
    const penalties: Scalar[] = [];
    const pass: ForwardPass = {
      training: ctx.training,
      rng: ctx.training ? ctx.rng : undefined,
      read: (table, ids) => ctx.lookup(table, ids),
      penalize: (term) => void penalties.push(term),
    };
    const { numUsers, numItems } = this.info;
    const finish = (l: Scalar): Scalar => (penalties.length ? (tf.addN([l, ...penalties]) as Scalar) : l);
    if (this.config.loss === 'bpr') {
      if (batch.kind !== 'pairwise') {
        throw new DataError(
          `${this.kind} with loss 'bpr' consumes pairwise batches, got a ${batch.kind} batch`,
        );
      }
      checkIndices(batch.users, numUsers, 'user', 'batch.users');
      checkIndices(batch.positives, numItems, 'item', 'batch.positives');
      checkIndices(batch.negatives, numItems, 'item', 'batch.negatives');
      const n = batch.users.length;
      const users = new Int32Array(2 * n);
      users.set(batch.users);
      users.set(batch.users, n);
      const items = new Int32Array(2 * n);
      items.set(batch.positives);
      items.set(batch.negatives, n);
      const seg = segmentsLeavingTargetOut(knownHistories(this.info, this.kind), users, items, this.centring);
      return tf.tidy(() => {
        const s = this.forwardHistory(users, items, seg, pass).scores;
        return finish(bprLoss(tf.sub(tf.slice(s, 0, n), tf.slice(s, n, n)) as Tensor1D));
      });
    }
    if (batch.kind !== 'user-history' && batch.kind !== 'pointwise') {
      throw new DataError(
        `${this.kind} with loss '${this.config.loss}' consumes user-history batches, got a ${batch.kind} batch`,
      );
    }
    checkIndices(batch.users, numUsers, 'user', 'batch.users');
    checkIndices(batch.items, numItems, 'item', 'batch.items');
    // Known histories (when the info has them) give leave-target-out centring; a batch's own histories are
    // used as given otherwise.
    const h = this.info.userHistories;
    const seg: HistorySegments = h
      ? segmentsLeavingTargetOut(
          knownHistories(this.info, this.kind),
          batch.users,
          batch.items,
          this.centring,
        )
      : batch.kind === 'user-history'
        ? { offsets: batch.offsets, items: batch.historyItems, values: batch.historyValues }
        : segmentsOfUsers(knownHistories(this.info, this.kind), batch.users, this.centring);
    if (seg.offsets.length !== batch.users.length + 1 || seg.items.length !== seg.values.length) {
      throw new DataError(
        `${this.kind}: batch history offsets (${seg.offsets.length}) must be users + 1 (${batch.users.length + 1}) and historyItems/historyValues equal in length (${seg.items.length}, ${seg.values.length})`,
      );
    }
    checkIndices(seg.items, numItems, 'item', 'batch.historyItems');
    return tf.tidy(() => {
      const s = this.forwardHistory(batch.users, batch.items, seg, pass).scores;
      const y = tf.tensor1d(batch.labels, 'float32');
      return finish(this.config.loss === 'mse' ? meanSquaredError(s, y) : sigmoidCrossEntropy(s, y));
    });
  }

  /** Scores `(users[b], items[b])` with each user's known history (`info.userHistories`). */
  score(users: Int32Array, items: Int32Array): Float32Array {
    this.#checkAlive();
    if (users.length !== items.length) {
      throw new DataError(
        `score(users, items) needs arrays of equal length, got ${users.length} and ${items.length}`,
      );
    }
    checkIndices(users, this.info.numUsers, 'user', 'users');
    checkIndices(items, this.info.numItems, 'item', 'items');
    const h = knownHistories(this.info, this.kind);
    const out = new Float32Array(users.length);
    let start = 0;
    while (start < users.length) {
      let end = start;
      let pairs = 0;
      while (end < users.length && (end === start || pairs < HISTORY_SCORE_CHUNK_PAIRS)) {
        pairs += h.offsets[users[end]! + 1]! - h.offsets[users[end]!]!;
        end++;
      }
      const u = users.subarray(start, end);
      const seg = segmentsOfUsers(h, u, this.centring);
      const t = tf.tidy(() => this.forwardHistory(u, items.subarray(start, end), seg, inferencePass).scores);
      out.set(t.dataSync() as Float32Array, start);
      t.dispose();
      start = end;
    }
    return out;
  }

  /** Scores of every item for each known user (`users.length × numItems`, row-major). */
  scoreAll(users: Int32Array): Float32Array {
    this.#checkAlive();
    checkIndices(users, this.info.numUsers, 'user', 'users');
    const h = knownHistories(this.info, this.kind);
    const n = this.info.numItems;
    const out = new Float32Array(users.length * n);
    for (let r = 0; r < users.length; r++) {
      const u = users[r]!;
      const a = h.offsets[u]!;
      const e = h.offsets[u + 1]!;
      const raw = h.values ? h.values.subarray(a, e) : new Float32Array(e - a).fill(1);
      out.set(this.#scoreCentred(u, h.indices.subarray(a, e), centreValues(raw, this.centring)), r * n);
    }
    return out;
  }

  /**
   * Scores for a user known only by history (no retraining, no user id): `items` (default every item, in
   * index order). `history.values` are RAW ratings on the model's scale (or 1s for implicit feedback); the
   * model centres them as its training batches were. Throws DataError naming the offending pair for unknown
   * item indices or ratings outside `info.ratingRange`. An empty history scores the "no preference" user
   * (a zero profile); callers that want a popularity fallback use `recommendForHistory`.
   */
  scoreHistory(history: UserHistoryInput, items?: Int32Array): Float32Array {
    this.#checkAlive();
    const centred = this.checkedHistory(history);
    if (items) checkIndices(items, this.info.numItems, 'item', 'items');
    return this.#scoreCentred(undefined, history.items, centred, items);
  }

  /** Validates a raw history (see {@link scoreHistory}) and returns its centred values. */
  protected checkedHistory(history: UserHistoryInput): Float32Array {
    return centreValues(checkRawHistory(this.info, history), this.centring);
  }

  /** Items with identical feature rows, when features are the only item input (see {@link featureClasses}). */
  #featureClasses(): FeatureClasses | undefined {
    if (this.config.itemInput !== 'features' || !this.features) return undefined;
    this.#classes ??= featureClasses(this.features);
    return this.#classes;
  }

  /** Scores of `items` (default all) for one centred history; `user` adds the user id embedding. */
  #scoreCentred(
    user: number | undefined,
    hist: Int32Array,
    centred: Float32Array,
    items?: Int32Array,
  ): Float32Array {
    const all = items ?? Int32Array.from({ length: this.info.numItems }, (_, i) => i);
    const classes = this.#featureClasses();
    if (classes && all.length > 1) {
      const slot = new Int32Array(classes.reps.length).fill(-1);
      const reps: number[] = [];
      for (const i of all) {
        const c = classes.classOf[i]!;
        if (slot[c]! < 0) {
          slot[c] = reps.length;
          reps.push(classes.reps[c]!);
        }
      }
      if (reps.length < all.length) {
        const s = this.#scoreDistinct(user, hist, centred, Int32Array.from(reps));
        return Float32Array.from(all, (i) => s[slot[classes.classOf[i]!]!]!);
      }
    }
    return this.#scoreDistinct(user, hist, centred, all);
  }

  #scoreDistinct(
    user: number | undefined,
    hist: Int32Array,
    centred: Float32Array,
    all: Int32Array,
  ): Float32Array {
    const out = new Float32Array(all.length);
    const perChunk = Math.max(1, Math.floor(HISTORY_SCORE_CHUNK_PAIRS / Math.max(1, hist.length)));
    for (let start = 0; start < all.length; start += perChunk) {
      const cand = all.subarray(start, Math.min(all.length, start + perChunk));
      const t = tf.tidy(() => this.scoreOneHistory(user, hist, centred, cand));
      out.set(t.dataSync() as Float32Array, start);
      t.dispose();
    }
    return out;
  }

  /** Scores `candidates` for one centred history at inference (Content NCF overrides: its profile is shared). */
  protected scoreOneHistory(
    user: number | undefined,
    hist: Int32Array,
    centred: Float32Array,
    candidates: Int32Array,
  ): Tensor1D {
    const seg = repeatSegment(hist, centred, candidates.length);
    const users = user === undefined ? undefined : new Int32Array(candidates.length).fill(user);
    return this.forwardHistory(users, candidates, seg, inferencePass).scores;
  }

  variables(): readonly ModelVariable[] {
    return this.#variables;
  }

  /** Writes `model.json` and weights to `dir` through \@ncf/core's model files. */
  async save(dir: string, options?: SaveOptions): Promise<void> {
    this.#checkAlive();
    await saveNcfModel(this, dir, options);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const v of this.#variables) v.variable.dispose();
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  protected checkAlive(): void {
    this.#checkAlive();
  }

  #checkAlive(): void {
    if (this.#disposed)
      throw new NcfError('DISPOSED', `${this.kind} model was disposed; create or load it again`);
  }
}
