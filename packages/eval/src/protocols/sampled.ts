import { DataError } from '@ncf/core/base';
import type { EvalData } from '../eval-data.js';
import { MetricAccumulator } from '../metric-accumulator.js';
import { aucFromCounts } from '../metrics/auc.js';
import { sampleNegatives, type NegativeLists } from '../negatives.js';
import { rankingMetricNames, writeRankingMetrics } from '../ranking-metrics.js';
import type { Scorer } from '../scorer.js';
import { userItemsFromPairs } from '../user-items.js';
import { batchDone, type ProtocolContext, type ProtocolOutput } from './protocol-context.js';

/** Options of the sampled protocol. */
export interface SampledOptions {
  /** Negatives per held-out item when they are drawn (ignored when the data carries fixed negatives). */
  readonly negatives?: number;
  /** Seed of the negative sampler. */
  readonly seed?: number;
  /** Held-out rows per model call. */
  readonly rowBatch?: number;
  /**
   * Clean fixed negative lists before ranking: drop repeated items and the list's own positive. Off by
   * default so published files (the NCF paper's `test.negative`) are ranked exactly as given, as the peer does.
   */
  readonly dedupe?: boolean;
}

/** Defaults of {@link SampledOptions}: 99 negatives (the NCF paper's protocol), seed 42, 1024 rows per call. */
export const SAMPLED_DEFAULTS = {
  negatives: 99,
  seed: 42,
  rowBatch: 1024,
  dedupe: false,
} as const satisfies Required<SampledOptions>;

/**
 * Sampled protocol (paper-compatible, labelled "SAMPLED" in every report): each held-out `(user, item)` is
 * ranked among its negatives only — the fixed list of `data.negatives` when present (e.g. the NCF paper's
 * `test.negative`, duplicates kept as given), else `negatives` distinct items drawn with `seed` among the
 * items the user has not interacted with. The positive's 0-based rank is the number of negatives scoring
 * ≥ it (ties count against the positive, as in the peer). Metrics average over held-out rows.
 * Sampled metrics can reverse model orderings relative to full ranking (Krichene & Rendle, KDD 2020).
 */
export async function runSampled(
  scorer: Scorer,
  data: EvalData,
  ctx: ProtocolContext,
  options: SampledOptions = {},
): Promise<ProtocolOutput> {
  const opts = { ...SAMPLED_DEFAULTS, ...options };
  const { numUsers, numItems, test } = data;
  const rows = test.users.length;
  const fixed = data.negatives && opts.dedupe ? dedupeNegatives(data.negatives) : data.negatives;
  const lists = alignNegatives(
    fixed ??
      sampleNegatives(
        numItems,
        test,
        data.exclude,
        userItemsFromPairs(numUsers, test.users, test.items, undefined, numItems),
        {
          count: opts.negatives,
          seed: opts.seed,
        },
      ),
    test.users,
    test.items,
    numItems,
  );
  const { negatives } = lists;
  const ks = ctx.ks;
  const maxK = ks[ks.length - 1] as number;
  const names = [...rankingMetricNames(ks), 'auc'];
  const acc = new MetricAccumulator(names, ctx.groups);
  const values = new Float64Array(names.length);
  const relevance = new Float64Array(maxK);
  const batch = Math.max(1, ctx.batchSize ?? opts.rowBatch);
  const distinctUsers = new Uint8Array(numUsers);
  let users = 0;
  let minN = Number.POSITIVE_INFINITY;
  let maxN = 0;
  for (let start = 0; start < rows; start += batch) {
    const end = Math.min(rows, start + batch);
    let pairs = 0;
    for (let r = start; r < end; r++) {
      const l = lists.row[r] as number;
      pairs += 1 + (negatives.offsets[l + 1] as number) - (negatives.offsets[l] as number);
    }
    const us = new Int32Array(pairs);
    const is = new Int32Array(pairs);
    let at = 0;
    for (let r = start; r < end; r++) {
      const l = lists.row[r] as number;
      const u = test.users[r] as number;
      const n0 = negatives.offsets[l] as number;
      const n1 = negatives.offsets[l + 1] as number;
      us.fill(u, at, at + 1 + n1 - n0);
      is[at] = test.items[r] as number;
      is.set(negatives.items.subarray(n0, n1), at + 1);
      at += 1 + n1 - n0;
    }
    const scores = scorer.score(us, is);
    if (scores.length !== pairs)
      throw new DataError(`model returned ${scores.length} scores for ${pairs} pairs`);
    at = 0;
    for (let r = start; r < end; r++) {
      const l = lists.row[r] as number;
      const n = (negatives.offsets[l + 1] as number) - (negatives.offsets[l] as number);
      minN = Math.min(minN, n);
      maxN = Math.max(maxN, n);
      const pos = scores[at] as number;
      if (pos !== pos) throw new DataError(`score of user ${test.users[r]} item ${test.items[r]} is NaN`);
      let above = 0;
      let ties = 0;
      let below = 0;
      for (let q = 1; q <= n; q++) {
        const s = scores[at + q] as number;
        if (s > pos) above++;
        else if (s === pos) ties++;
        else if (s < pos) below++;
        else throw new DataError(`score of user ${test.users[r]} negative ${is[at + q]} is NaN`);
      }
      at += 1 + n;
      const rank = above + ties; // pessimistic: every negative scoring ≥ the positive ranks above it
      relevance.fill(0);
      if (rank < maxK) relevance[rank] = 1;
      writeRankingMetrics(relevance, 1, ks, values);
      values[names.length - 1] = aucFromCounts(below, ties, n);
      const u = test.users[r] as number;
      if (distinctUsers[u] === 0) {
        distinctUsers[u] = 1;
        users++;
      }
      acc.add(u, values);
    }
    await batchDone(ctx, end, rows, 'rows');
  }
  const dupNote =
    negatives.duplicates > 0
      ? [`negatives contain ${negatives.duplicates} repeated items (kept as given)`]
      : [];
  const nText = minN === maxN ? `${maxN}` : `${minN}–${maxN}`;
  return {
    accumulator: acc,
    extra: {},
    users,
    unitLabel: 'rows',
    protocolText: `SAMPLED: 1 positive + ${nText} negatives (not comparable with full ranking)`,
    negativesText: `${negatives.source}${negatives.duplicates > 0 ? `, ${negatives.duplicates} duplicates` : ''}`,
    maskedText: data.negatives
      ? 'by the fixed negatives file'
      : `negatives avoid ${data.excludeLabel ?? 'train'} and test items`,
    notes: dupNote,
  };
}

/**
 * Removes repeated items and the list's own positive from every list of `lists`. The result's `source` says
 * how many entries were dropped; `duplicates` becomes 0.
 */
export function dedupeNegatives(lists: NegativeLists): NegativeLists {
  const n = lists.users.length;
  const offsets = new Int32Array(n + 1);
  const items = new Int32Array(lists.items.length);
  const seen = new Set<number>();
  let at = 0;
  for (let l = 0; l < n; l++) {
    seen.clear();
    seen.add(lists.positives[l] as number);
    for (let q = lists.offsets[l] as number; q < (lists.offsets[l + 1] as number); q++) {
      const it = lists.items[q] as number;
      if (seen.has(it)) continue;
      seen.add(it);
      items[at++] = it;
    }
    offsets[l + 1] = at;
  }
  const dropped = lists.items.length - at;
  return {
    users: lists.users,
    positives: lists.positives,
    offsets,
    items: items.slice(0, at),
    source: `${lists.source} (deduplicated: ${dropped} repeated or positive entries dropped)`,
    duplicates: 0,
  };
}

/**
 * Finds for each held-out row its negatives list: by `(user, item)`, else the user's only list.
 * Throws DataError naming the row when none matches or an id is out of range.
 */
function alignNegatives(
  negatives: NegativeLists,
  users: Int32Array,
  items: Int32Array,
  numItems: number,
): { negatives: NegativeLists; row: Int32Array } {
  for (let q = 0; q < negatives.items.length; q++) {
    const it = negatives.items[q] as number;
    if (it < 0 || it >= numItems)
      throw new DataError(`${negatives.source}: negative item ${it} is outside [0, ${numItems})`);
  }
  const byPair = new Map<number, number>();
  const byUser = new Map<number, number>();
  for (let l = 0; l < negatives.users.length; l++) {
    const u = negatives.users[l] as number;
    byPair.set(u * numItems + (negatives.positives[l] as number), l);
    byUser.set(u, byUser.has(u) ? -1 : l);
  }
  const row = new Int32Array(users.length);
  for (let r = 0; r < users.length; r++) {
    const u = users[r] as number;
    const l = byPair.get(u * numItems + (items[r] as number)) ?? byUser.get(u) ?? -1;
    if (l < 0) {
      throw new DataError(
        `${negatives.source}: no negatives for held-out row ${r} (user ${u}, item ${items[r]}); expected a line '(${u},${items[r]})'`,
      );
    }
    row[r] = l;
  }
  return { negatives, row };
}
