import type { Rng } from './rng.js';

/**
 * Batches are plain typed arrays produced by `@ncf/datasets`; a model declares which kind it consumes
 * (`DataSpec.batch`) and the training loop passes them through untouched. This is what lets one `fit()`
 * and one evaluator serve every model family.
 */

/** (user, item, label) triples: label is 0/1 for implicit feedback or a rating for explicit feedback. */
export interface PointwiseBatch {
  readonly kind: 'pointwise';
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly labels: Float32Array;
}

/**
 * (user, positive item, negative item) triples for pairwise losses such as BPR; graph models consume them
 * too (their graph comes with the dataset info at creation).
 */
export interface PairwiseBatch {
  readonly kind: 'pairwise';
  readonly users: Int32Array;
  readonly positives: Int32Array;
  readonly negatives: Int32Array;
}

/**
 * Pointwise targets plus each example's user history in CSR form (for profile and attention models):
 * the history of example `b` is `historyItems[offsets[b]..offsets[b+1])` with `historyValues` (e.g. centred
 * ratings) aligned to it. The target item is already removed from its own history when masking is on.
 */
export interface UserHistoryBatch {
  readonly kind: 'user-history';
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly labels: Float32Array;
  readonly offsets: Int32Array;
  readonly historyItems: Int32Array;
  readonly historyValues: Float32Array;
}

/** Any batch. */
export type Batch = PointwiseBatch | PairwiseBatch | UserHistoryBatch;

/** The kinds of batch a model can consume. */
export type BatchKind = Batch['kind'];

/** The batch type of a kind. */
export type BatchOf<K extends BatchKind> = Extract<Batch, { kind: K }>;

/**
 * A source of training batches, one epoch at a time. `@ncf/datasets` builds them from interactions;
 * `rng` drives shuffling and negative sampling, so an epoch is a pure function of the generator state.
 */
export interface BatchSource<B extends Batch = Batch> {
  readonly kind: B['kind'];
  /** Number of training examples in one epoch (for progress reporting). */
  readonly size: number;
  /** The batches of one epoch. */
  batches(batchSize: number, rng: Rng): Iterable<B>;
}

/** Number of examples in a batch. */
export function batchLength(batch: Batch): number {
  return batch.users.length;
}
