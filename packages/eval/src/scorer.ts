/**
 * What the evaluator needs of a model: the scoring half of core's `Recommender` contract. Every
 * Recommender is a Scorer; so are the baselines of this package ({@link popularityScorer},
 * {@link randomScorer}) and any plain object with these methods.
 */
export interface Scorer {
  /** Shown in reports, e.g. `ncf/neumf` or `baseline/popularity`. */
  readonly kind?: string;
  /** Scores of aligned pairs `(users[i], items[i])`. */
  score(users: Int32Array, items: Int32Array): Float32Array;
  /** Scores of every item for each user: `users.length × numItems`, row-major. Preferred when present. */
  scoreAll?(users: Int32Array): Float32Array;
}
