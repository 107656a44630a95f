import { DataError } from '@ncf/core/base';
import type { EvalData } from '../eval-data.js';
import { MetricAccumulator } from '../metric-accumulator.js';
import { aucFromCounts } from '../metrics/auc.js';
import { CoverageCounter } from '../metrics/coverage.js';
import { gainOf, type GainKind } from '../metrics/ndcg.js';
import { rankingMetricNames, writeRankingMetrics } from '../ranking-metrics.js';
import type { Scorer } from '../scorer.js';
import { MARK_EXCLUDED, MARK_RELEVANT, createTopKWorkspace, selectTopK } from '../top-k.js';
import { userItemsFromPairs } from '../user-items.js';
import { batchDone, type ProtocolContext, type ProtocolOutput } from './protocol-context.js';

/** Options of the full-ranking protocol. */
export interface FullRankingOptions {
  /** Graded NDCG with the held-out ratings as relevance (HR, recall... stay binary). */
  readonly graded?: boolean;
  /** How graded relevance becomes gain. */
  readonly gain?: GainKind;
  /** Also compute per-user AUC over all unmasked items (costs one more pass per relevant item). */
  readonly auc?: boolean;
  /**
   * Target `batch × numItems` scores per model call (sets the automatic batch size, between 8 and 1,024
   * users). Small enough that a batch's scores stay in cache while they are ranked.
   */
  readonly scoreBudget?: number;
}

/** Defaults of {@link FullRankingOptions}: binary relevance, no AUC, about 2^18 scores (1 MiB) per batch. */
export const FULL_RANKING_DEFAULTS = {
  graded: false,
  gain: 'linear',
  auc: false,
  scoreBudget: 1 << 18,
} as const satisfies Required<FullRankingOptions>;

/** Largest automatic user batch. */
const MAX_AUTO_BATCH = 1024;
/** Smallest automatic user batch (per-call overhead dominates below it on very large catalogs). */
const MIN_AUTO_BATCH = 8;

/**
 * Full-ranking protocol: for every user with held-out items, every item is scored (`scoreAll` once per user
 * batch when the model has it, else `score` on all pairs); the user's `exclude` items are masked; the top-K
 * is found by partial selection ({@link selectTopK}) with the pessimistic tie rule. Metrics average over
 * users. Memory is `O(batch × numItems)`, never `O(users × numItems)`.
 */
export async function runFullRanking(
  scorer: Scorer,
  data: EvalData,
  ctx: ProtocolContext,
  options: FullRankingOptions = {},
): Promise<ProtocolOutput> {
  const opts = { ...FULL_RANKING_DEFAULTS, ...options };
  const { numUsers, numItems, test, exclude } = data;
  if (opts.graded && !test.ratings) throw new DataError('graded NDCG needs test ratings; the split has none');
  const held = userItemsFromPairs(
    numUsers,
    test.users,
    test.items,
    opts.graded ? test.ratings : undefined,
    numItems,
  );
  const users: number[] = [];
  for (let u = 0; u < numUsers; u++)
    if ((held.offsets[u + 1] as number) > (held.offsets[u] as number)) users.push(u);
  const ks = ctx.ks;
  const maxK = ks[ks.length - 1] as number;
  const names = rankingMetricNames(ks);
  if (opts.auc) names.push('auc');
  const acc = new MetricAccumulator(names, ctx.groups);
  const values = new Float64Array(names.length);
  const coverage = new CoverageCounter(numItems);
  const groupCoverage = ctx.groups?.names.map(() => new CoverageCounter(numItems));
  const ws = createTopKWorkspace(maxK);
  const marks = new Uint8Array(numItems);
  const relevance = new Float64Array(maxK);
  const gains = opts.graded ? new Float64Array(maxK) : undefined;
  let ideal: Float64Array | undefined;
  const batch = Math.max(
    1,
    ctx.batchSize ??
      Math.min(
        MAX_AUTO_BATCH,
        Math.max(MIN_AUTO_BATCH, Math.floor(opts.scoreBudget / Math.max(1, numItems))),
      ),
  );
  const pairUsers = scorer.scoreAll ? undefined : new Int32Array(Math.min(batch, users.length) * numItems);
  const pairItems = scorer.scoreAll ? undefined : new Int32Array(Math.min(batch, users.length) * numItems);
  let masked = 0;
  const exOffsets = exclude?.offsets;
  const exItems = exclude?.items ?? new Int32Array(0);
  for (let start = 0; start < users.length; start += batch) {
    const ub = Int32Array.from(users.slice(start, start + batch));
    const scores = scoreBatch(scorer, ub, numItems, pairUsers, pairItems);
    for (let b = 0; b < ub.length; b++) {
      const u = ub[b] as number;
      const h0 = held.offsets[u] as number;
      const h1 = held.offsets[u + 1] as number;
      let numRelevant = 0;
      for (let p = h0; p < h1; p++) {
        const it = held.items[p] as number;
        if (marks[it] !== MARK_RELEVANT) {
          marks[it] = MARK_RELEVANT;
          numRelevant++;
        }
      }
      // Masked items stay masked even when also held out (they count as relevant but cannot be ranked),
      // as in the peer.
      const e0 = exOffsets ? (exOffsets[u] as number) : 0;
      const e1 = exOffsets ? (exOffsets[u + 1] as number) : 0;
      for (let p = e0; p < e1; p++) marks[exItems[p] as number] = MARK_EXCLUDED;
      masked += e1 - e0;
      const row = b * numItems;
      const count = selectTopK(scores, row, numItems, marks, maxK, ws);
      relevance.fill(0);
      for (let r = 0; r < count; r++) relevance[r] = ws.relevant[r] as number;
      if (gains && held.values) {
        gains.fill(0);
        for (let r = 0; r < count; r++) {
          if (ws.relevant[r] === 0) continue;
          const it = ws.items[r] as number;
          for (let p = h0; p < h1; p++) {
            if (held.items[p] === it) {
              gains[r] = gainOf(held.values[p] as number, opts.gain);
              break;
            }
          }
        }
        ideal = idealGains(held.values, held.items, h0, h1, opts.gain);
      }
      writeRankingMetrics(relevance, numRelevant, ks, values, gains, ideal);
      if (opts.auc) values[names.length - 1] = fullAuc(scores, row, numItems, marks, held.items, h0, h1);
      acc.add(u, values);
      coverage.add(ws.items, count);
      const g = ctx.groups?.ofUser[u];
      if (groupCoverage && g !== undefined && g >= 0) groupCoverage[g]?.add(ws.items, count);
      for (let p = h0; p < h1; p++) marks[held.items[p] as number] = 0;
      for (let p = e0; p < e1; p++) marks[exItems[p] as number] = 0;
    }
    await batchDone(ctx, Math.min(start + batch, users.length), users.length, 'users');
  }
  const extra: Record<string, number> = {};
  for (const k of ks) extra[`coverage@${k}`] = coverage.coverage(k);
  const groupExtra = groupCoverage?.map((c) =>
    Object.fromEntries(ks.map((k) => [`coverage@${k}`, c.coverage(k)])),
  );
  return {
    accumulator: acc,
    extra,
    ...(groupExtra ? { groupExtra } : {}),
    users: users.length,
    unitLabel: 'users',
    protocolText: `full ranking (all ${numItems} items scored${opts.graded ? `, graded NDCG (${opts.gain} gain)` : ''})`,
    negativesText: 'all unmasked items',
    maskedText: exclude
      ? `${data.excludeLabel ?? 'train'} (${masked} items over evaluated users)`
      : 'nothing',
    notes: [],
  };
}

/** Scores of every item for the users of `ub`: `scoreAll` when present, else `score` over every pair. */
function scoreBatch(
  scorer: Scorer,
  ub: Int32Array,
  numItems: number,
  pairUsers: Int32Array | undefined,
  pairItems: Int32Array | undefined,
): Float32Array {
  let scores: Float32Array;
  if (scorer.scoreAll) {
    scores = scorer.scoreAll(ub);
  } else {
    const n = ub.length * numItems;
    const us = (pairUsers as Int32Array).subarray(0, n);
    const is = (pairItems as Int32Array).subarray(0, n);
    for (let b = 0; b < ub.length; b++) {
      us.fill(ub[b] as number, b * numItems, (b + 1) * numItems);
      for (let i = 0; i < numItems; i++) is[b * numItems + i] = i;
    }
    scores = scorer.score(us, is);
  }
  if (scores.length !== ub.length * numItems) {
    throw new DataError(
      `model returned ${scores.length} scores for ${ub.length} users × ${numItems} items; expected ${ub.length * numItems}`,
    );
  }
  return scores;
}

/** Gains of the user's held-out entries `[h0, h1)`, one per distinct item, in decreasing order. */
function idealGains(
  values: Float32Array,
  items: Int32Array,
  h0: number,
  h1: number,
  kind: GainKind,
): Float64Array {
  const seen = new Set<number>();
  const out: number[] = [];
  for (let p = h0; p < h1; p++) {
    const it = items[p] as number;
    if (seen.has(it)) continue;
    seen.add(it);
    out.push(gainOf(values[p] as number, kind));
  }
  return Float64Array.from(out).sort().reverse();
}

/** Mean over the user's rankable relevant items of the AUC against every unmasked non-relevant item. */
function fullAuc(
  scores: Float32Array,
  row: number,
  numItems: number,
  marks: Uint8Array,
  items: Int32Array,
  h0: number,
  h1: number,
): number {
  let sum = 0;
  let n = 0;
  let negatives = 0;
  for (let j = 0; j < numItems; j++) if (marks[j] === 0) negatives++;
  for (let p = h0; p < h1; p++) {
    const it = items[p] as number;
    if (marks[it] !== MARK_RELEVANT) continue;
    marks[it] = MARK_RELEVANT + 1; // visit each distinct item once
    const s = scores[row + it] as number;
    let below = 0;
    let ties = 0;
    for (let j = 0; j < numItems; j++) {
      if (marks[j] !== 0) continue;
      const t = scores[row + j] as number;
      if (t < s) below++;
      else if (t === s) ties++;
    }
    sum += aucFromCounts(below, ties, negatives);
    n++;
  }
  for (let p = h0; p < h1; p++)
    if (marks[items[p] as number] === MARK_RELEVANT + 1) marks[items[p] as number] = MARK_RELEVANT;
  return n > 0 ? sum / n : Number.NaN;
}
