import { averagePrecision } from './metrics/average-precision.js';
import { hitRate } from './metrics/hit-rate.js';
import { gradedNdcg, ndcg } from './metrics/ndcg.js';
import { precision } from './metrics/precision.js';
import { recall } from './metrics/recall.js';
import { reciprocalRank } from './metrics/reciprocal-rank.js';

/** The per-user top-K metrics every ranking protocol reports, in report order. */
export const RANKING_METRICS = ['hr', 'ndcg', 'mrr', 'recall', 'precision', 'map'] as const;

/** Metric names `hr@10`, `ndcg@10`, ... for each cut-off in `ks`. */
export function rankingMetricNames(ks: readonly number[]): string[] {
  const names: string[] = [];
  for (const k of ks) for (const m of RANKING_METRICS) names.push(`${m}@${k}`);
  return names;
}

/**
 * Writes the {@link RANKING_METRICS} of one ranked list for every `k` of `ks` into `out` (in
 * {@link rankingMetricNames} order). `relevance` holds 0/1 per rank; when `gains` and `idealGains` are given,
 * NDCG is graded (gains of the ranked items, and every relevant item's gain in decreasing order).
 */
export function writeRankingMetrics(
  relevance: ArrayLike<number>,
  numRelevant: number,
  ks: readonly number[],
  out: Float64Array,
  gains?: ArrayLike<number>,
  idealGains?: ArrayLike<number>,
): void {
  let at = 0;
  for (const k of ks) {
    out[at++] = hitRate(relevance, k);
    out[at++] = gains && idealGains ? gradedNdcg(gains, idealGains, k) : ndcg(relevance, k, numRelevant);
    out[at++] = reciprocalRank(relevance, k);
    out[at++] = recall(relevance, k, numRelevant);
    out[at++] = precision(relevance, k);
    out[at++] = averagePrecision(relevance, k, numRelevant);
  }
}
