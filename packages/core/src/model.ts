import type { Scalar, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { Batch } from './batch.js';
import type { DataSpec } from './data-spec.js';
import type { DatasetInfo } from './dataset-info.js';
import type { ItemFactors, UserHistory } from './item-factors.js';
import type { Rng } from './rng.js';

/**
 * The model contract every \@ncf model implements (models-ncf, models-gnn and third-party models alike):
 * a factory creates a {@link Recommender} from dataset info and a config; the recommender computes a
 * training loss for a batch, scores (user, item) pairs and optionally all items, lists its variables,
 * saves itself and is disposed.
 */

/** A trainable (or frozen) variable of a model. */
export interface ModelVariable {
  /** Unique within the model; the key in weight files. */
  readonly name: string;
  readonly variable: Variable;
  /**
   * An embedding table read through {@link LossContext.lookup}: the optimizer updates only the rows a
   * batch touched, so the cost of a step grows with the batch, not with the catalog.
   */
  readonly sparse: boolean;
  /** Whether the optimizer's L2 penalty applies to it. */
  readonly regularize: boolean;
  /** Whether the optimizer updates it at all (false for frozen/pretrained parts and constants). */
  readonly trainable: boolean;
}

/** What the training loop hands to {@link Recommender.loss}. */
export interface LossContext {
  /** True while training (dropout on), false for validation losses. */
  readonly training: boolean;
  /** Seeded generator for dropout masks and other training-time randomness. */
  readonly rng: Rng;
  /**
   * Rows `ids` of an embedding table, shape `[ids.length, dim]`. Use it for every read of a sparse table
   * inside `loss()`: in training it makes the gradient flow to the touched rows only.
   */
  lookup(table: ModelVariable, ids: Int32Array): Tensor2D;
}

/** Training metadata stored in model files. */
export interface TrainingMetadata {
  readonly epochs?: number;
  readonly seed?: number;
  readonly backend?: string;
  readonly finalLoss?: number;
  readonly metrics?: Readonly<Record<string, number>>;
  readonly [key: string]: unknown;
}

/** Options of {@link Recommender.save}. */
export interface SaveOptions {
  readonly training?: TrainingMetadata;
}

/** Optional hooks for models whose epoch differs (e.g. full-graph propagation in GNNs). */
export interface TrainingHooks {
  /** Before each epoch's first batch. */
  beforeEpoch?(epoch: number): void;
  /** After every optimizer step. (Caches derived from weights need no hook: compare `weightsStamp`.) */
  afterStep?(): void;
  /** After each epoch's last batch. */
  afterEpoch?(epoch: number): void;
}

/** A created model: scores users × items, trains through `fit()`, saves itself. */
export interface Recommender<C extends object = object> {
  /** Registry kind, e.g. `ncf/neumf`. */
  readonly kind: string;
  /** The complete config (defaults filled in). */
  readonly config: Readonly<C>;
  readonly info: DatasetInfo;
  /**
   * What this model consumes: the batches `loss()` takes and the dataset inputs it read at creation. Equal to
   * `factory.dataSpec(config)`; model files store it and loading checks it.
   */
  readonly dataSpec: DataSpec;
  /** Training loss of one batch, as a scalar tensor. Called by `fit()` inside a gradient tape. */
  loss(batch: Batch, ctx: LossContext): Scalar;
  /** Scores of aligned pairs `(users[i], items[i])`. */
  score(users: Int32Array, items: Int32Array): Float32Array;
  /** Scores of every item for each user: `users.length × numItems`, row-major. */
  scoreAll?(users: Int32Array): Float32Array;
  /**
   * Optional: scores of `items` (default: every item, in index order) for a user given only by history
   * (dense items + raw values). Models that centre ratings do it themselves, as their training batches did.
   */
  scoreHistory?(history: UserHistory, items?: Int32Array): Float32Array;
  /**
   * Optional (dot-product models: MF, GMF, LightGCN): the item side of the score, so that a new user's
   * vector can be solved by fold-in (`foldInUser`) and scored exactly as the model scores its own users.
   */
  itemFactors?(): ItemFactors;
  /** Every variable of the model, in a stable order. */
  variables(): readonly ModelVariable[];
  readonly hooks?: TrainingHooks;
  /** Writes `model.json` and weights to `dir` atomically. */
  save(dir: string, options?: SaveOptions): Promise<void>;
  /** Frees every tensor the model holds. */
  dispose(): void;
}

/** Options of {@link ModelFactory.create}. */
export interface CreateOptions {
  /** Seed of the weight initialisers. */
  readonly seed?: number;
}

/**
 * Training settings a model family recommends (those its paper or its own benchmarks use), for tools that
 * train it (the `ncf` CLI) to use unless the user says otherwise. Every field is optional: an absent one
 * means fit()'s default (`FIT_DEFAULTS`) or @ncf/datasets' default (4 negatives). They are advice, not
 * part of the model: fit() never reads them, and a model trained with other settings is as valid.
 */
export interface TrainingDefaults {
  /** Examples per optimizer step. */
  readonly batchSize?: number;
  /** The optimizer's learning rate. */
  readonly learningRate?: number;
  /** Passes over the training data. */
  readonly epochs?: number;
  /** Sampled negatives per positive, for implicit labels (ignored by pairwise and rating batches). */
  readonly negatives?: number;
}

/** Creates models of one kind. Registered in a {@link ModelRegistry} under `kind`. */
export interface ModelFactory<C extends object = object> {
  readonly kind: string;
  /** One line: what the model is and the paper it implements. */
  readonly description: string;
  readonly defaults: Readonly<C>;
  /**
   * The data a model of this config needs (batch kind, labels, inputs): a pure function of the config, so
   * callers build the right batches and dataset info without reading config fields. Missing fields take
   * {@link ModelFactory.defaults}; a bad config throws ConfigError, as `create` would.
   */
  dataSpec(config?: Partial<C>): DataSpec;
  /**
   * Optional: the training settings this family recommends ({@link TrainingDefaults}), e.g. LightGCN's batch
   * 2048 and learning rate 0.001 (He et al. 2020). Trainers use them where the user set nothing.
   */
  readonly trainingDefaults?: TrainingDefaults;
  /**
   * Creates a model; missing config fields take {@link ModelFactory.defaults}. Throws ConfigError on bad
   * values and a DataError (`MissingDataInputError`) when `info` lacks an input `dataSpec(config)` names.
   */
  create(info: DatasetInfo, config?: Partial<C>, options?: CreateOptions): Recommender<C>;
}
