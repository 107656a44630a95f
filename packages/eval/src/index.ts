/**
 * \@ncf/eval — recommender metrics, evaluation protocols (full ranking, sampled, rating prediction, seed
 * parity, per-group), the evaluator, reports and baselines. Pure functions over typed arrays: no tfjs.
 */
export * from './metrics/hit-rate.js';
export * from './metrics/ndcg.js';
export * from './metrics/reciprocal-rank.js';
export * from './metrics/recall.js';
export * from './metrics/precision.js';
export * from './metrics/average-precision.js';
export * from './metrics/auc.js';
export * from './metrics/coverage.js';
export * from './metrics/rating-error.js';
export * from './ranking-metrics.js';
export * from './top-k.js';
export * from './user-items.js';
export * from './negatives.js';
export * from './groups.js';
export * from './metric-accumulator.js';
export * from './scorer.js';
export * from './eval-data.js';
export * from './eval-data-from-split.js';
export * from './eval-result.js';
export * from './protocols/protocol-context.js';
export * from './protocols/full-ranking.js';
export * from './protocols/sampled.js';
export * from './protocols/rating.js';
export * from './protocols/seed-parity.js';
export * from './evaluate.js';
export * from './report.js';
export * from './baselines/popularity.js';
export * from './baselines/random.js';
