import type { NegativeLists } from './negatives.js';
import type { UserItems } from './user-items.js';

/** Held-out interactions: aligned dense user and item indices, with ratings for graded/rating protocols. */
export interface HeldOut {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings?: Float32Array;
}

/**
 * What the evaluator evaluates on: the held-out part of a split plus what to mask. Plain typed arrays, so
 * it can be built from `@ncf/datasets` splits ({@link evalDataFromSplit}) or from anything else.
 */
export interface EvalData {
  /** Name of the split shown in every report line, e.g. `ml-100k-loo test`. */
  readonly name?: string;
  readonly numUsers: number;
  readonly numItems: number;
  /** The held-out interactions being predicted. */
  readonly test: HeldOut;
  /**
   * Each user's items that must not be ranked (training, and validation when evaluating on test). Masked in
   * full ranking and never drawn as sampled negatives.
   */
  readonly exclude?: UserItems;
  /** What `exclude` holds, for reports (default `train`). */
  readonly excludeLabel?: string;
  /** Fixed negatives for the sampled protocol (e.g. the NCF paper's `test.negative`). */
  readonly negatives?: NegativeLists;
}
