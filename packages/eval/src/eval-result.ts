/** The protocols {@link evaluate} runs. */
export type ProtocolName = 'full' | 'sampled' | 'rating' | 'seed-parity';

/** Progress of an evaluation, emitted after each batch. */
export interface EvalProgress {
  readonly done: number;
  readonly total: number;
  /** What `done`/`total` count. */
  readonly unit: 'users' | 'rows';
}

/** Metrics of one user group. */
export interface GroupResult {
  /** Units (users, or test rows for sampled/rating) averaged over. */
  readonly count: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * What {@link evaluate} returns: the numbers and, always next to them, the one-line protocol description
 * (split, protocol, negatives, K, users evaluated, items masked) that every printer shows.
 */
export interface EvalResult {
  readonly protocol: ProtocolName;
  /** True for the sampled protocol: its numbers are not comparable with full-ranking numbers. */
  readonly sampled: boolean;
  /** One line: split · protocol · negatives · K · users · masked. */
  readonly description: string;
  /** Split name. */
  readonly split: string;
  /** Model kind (or `model` when unknown). */
  readonly model: string;
  /** Cut-offs (empty for rating prediction). */
  readonly k: readonly number[];
  /** Metric means, e.g. `hr@10`, `ndcg@10`, `rmse`. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Distinct users evaluated. */
  readonly users: number;
  /** Units the metrics average over: users (full, seed-parity) or held-out rows (sampled, rating). */
  readonly units: number;
  readonly unitLabel: 'users' | 'rows';
  /** Where negatives came from (sampled) or `all items` (full). */
  readonly negatives: string;
  /** What was masked, e.g. `train (99057 interactions)`. */
  readonly masked: string;
  /** Per user group, when groups were given. */
  readonly groups?: Readonly<Record<string, GroupResult>>;
  /** Caveats (skipped users, duplicate negatives, ...). */
  readonly notes: readonly string[];
  readonly seconds: number;
}
