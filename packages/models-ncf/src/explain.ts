import { ConfigError } from '@ncf/core';

/** Options of {@link explainFromWeights}. */
export interface ExplainOptions {
  /**
   * A history item is a reason when its share of the attention is at least `ratio / |N(u)|` (capped at 1):
   * `ratio` times the share every item would get under uniform attention. Default 1.5.
   */
  readonly ratio?: number;
  /** At most this many reasons, best first. Default 3. */
  readonly maxReasons?: number;
}

/** Defaults of {@link ExplainOptions}. */
export const EXPLAIN_DEFAULTS = { ratio: 1.5, maxReasons: 3 } as const;

/** One "because you rated X" reason. */
export interface ExplanationReason {
  /** The rated item (dense index). */
  readonly item: number;
  /** Its attention weight for the candidate. */
  readonly weight: number;
  /** Its share of the candidate's attention (weight / sum of the history's weights; = weight at β = 1). */
  readonly share: number;
}

/** A scored item with the rated items that drove its score. */
export interface Explanation {
  readonly item: number;
  readonly score: number;
  readonly reasons: ExplanationReason[];
}

/**
 * The threshold on an item's attention share for a history of `n` items: `min(1, ratio / n)`.
 *
 * Why not the seed's `1.5/|N(u)| + 0.025`: its additive 0.025 dominates long histories and breaks short
 * ones. With one rated item the seed's threshold is 1.525, above the largest possible weight (1), so a
 * single-item history is never explained; at 200 items it is 0.0325, 6.5 × the uniform share, which smooth
 * attention rarely reaches, so long histories are explained by nothing. A pure multiple of the uniform share
 * means the same thing at every length ("this item drew 50% more attention than an average rated item"),
 * and the cap at 1 makes a one-item history its own reason.
 */
export function explanationThreshold(n: number, ratio: number = EXPLAIN_DEFAULTS.ratio): number {
  return n <= 0 ? Infinity : Math.min(1, ratio / n);
}

/**
 * The reasons for one candidate from its attention weights over `history` (aligned): the items whose share
 * passes {@link explanationThreshold}, best first, at most `maxReasons`; ties by position in the history.
 */
export function explainFromWeights(
  history: Int32Array,
  weights: Float32Array,
  options: ExplainOptions = {},
): ExplanationReason[] {
  const ratio = options.ratio ?? EXPLAIN_DEFAULTS.ratio;
  const maxReasons = options.maxReasons ?? EXPLAIN_DEFAULTS.maxReasons;
  if (!(ratio > 0) || !Number.isFinite(ratio)) {
    throw new ConfigError(`explain ratio must be a finite number > 0, got ${ratio}`, 'ratio');
  }
  if (!Number.isInteger(maxReasons) || maxReasons < 1) {
    throw new ConfigError(`maxReasons must be an integer ≥ 1, got ${maxReasons}`, 'maxReasons');
  }
  const n = history.length;
  let total = 0;
  for (let j = 0; j < n; j++) total += weights[j]!;
  if (n === 0 || !(total > 0)) return [];
  const t = explanationThreshold(n, ratio);
  const out: ExplanationReason[] = [];
  for (let j = 0; j < n; j++) {
    const share = weights[j]! / total;
    // A tolerance of float32 rounding: a one-item history has share exactly 1 = the threshold.
    if (share >= t - 1e-6) out.push({ item: history[j]!, weight: weights[j]!, share });
  }
  out.sort((a, b) => b.share - a.share);
  return out.slice(0, maxReasons);
}
