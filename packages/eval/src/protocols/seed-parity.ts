import { DataError } from '@ncf/core/base';
import type { EvalData } from '../eval-data.js';
import { MetricAccumulator } from '../metric-accumulator.js';
import { adjustedNdcg, gainOf, gradedNdcg, type GainKind } from '../metrics/ndcg.js';
import type { Scorer } from '../scorer.js';
import { userItemsFromPairs } from '../user-items.js';
import { batchDone, type ProtocolContext, type ProtocolOutput } from './protocol-context.js';

/** Options of the seed-parity protocol. */
export interface SeedParityOptions {
  /** Users with fewer held-out rated items are skipped (and counted in the notes). */
  readonly minItems?: number;
  /** How a rating becomes a gain. */
  readonly gain?: GainKind;
}

/** Defaults of {@link SeedParityOptions}: users with ≥ 2 held-out items, linear gain (gain = rating). */
export const SEED_PARITY_DEFAULTS = {
  minItems: 2,
  gain: 'linear',
} as const satisfies Required<SeedParityOptions>;

/**
 * Seed-parity protocol (the seed project's evaluation, kept so its numbers can be compared): for each user,
 * only the user's own held-out rated items are ranked by the model; relevance is graded (the rating). Reports
 * `ndcg@K` (ideal DCG over the user's items) and `adjusted-ndcg@K`, the min-max normalised DCG
 * `(DCG − worst) / (ideal − worst)` ({@link adjustedNdcg}); users whose held-out ratings are all equal have
 * no adjusted value and are left out of its mean. Ties: among equal scores the lower rating ranks first,
 * then item id (pessimistic).
 */
export async function runSeedParity(
  scorer: Scorer,
  data: EvalData,
  ctx: ProtocolContext,
  options: SeedParityOptions = {},
): Promise<ProtocolOutput> {
  const opts = { ...SEED_PARITY_DEFAULTS, ...options };
  const { numUsers, numItems, test } = data;
  if (!test.ratings) throw new DataError('seed parity needs held-out ratings; the split has none');
  const held = userItemsFromPairs(numUsers, test.users, test.items, test.ratings, numItems);
  const values = held.values as Float32Array;
  const users: number[] = [];
  let skipped = 0;
  for (let u = 0; u < numUsers; u++) {
    const n = (held.offsets[u + 1] as number) - (held.offsets[u] as number);
    if (n >= opts.minItems) users.push(u);
    else if (n > 0) skipped++;
  }
  const ks = ctx.ks;
  const names = ks.flatMap((k) => [`ndcg@${k}`, `adjusted-ndcg@${k}`]);
  const acc = new MetricAccumulator(names, ctx.groups);
  const out = new Float64Array(names.length);
  const batch = Math.max(1, ctx.batchSize ?? 1024);
  for (let start = 0; start < users.length; start += batch) {
    const ub = users.slice(start, start + batch);
    let pairs = 0;
    for (const u of ub) pairs += (held.offsets[u + 1] as number) - (held.offsets[u] as number);
    const us = new Int32Array(pairs);
    const is = new Int32Array(pairs);
    let at = 0;
    for (const u of ub) {
      const h0 = held.offsets[u] as number;
      const h1 = held.offsets[u + 1] as number;
      us.fill(u, at, at + h1 - h0);
      is.set(held.items.subarray(h0, h1), at);
      at += h1 - h0;
    }
    const scores = scorer.score(us, is);
    if (scores.length !== pairs)
      throw new DataError(`model returned ${scores.length} scores for ${pairs} pairs`);
    at = 0;
    for (const u of ub) {
      const h0 = held.offsets[u] as number;
      const n = (held.offsets[u + 1] as number) - h0;
      const order = Array.from({ length: n }, (_, i) => i);
      order.sort((a, b) => {
        const sa = scores[at + a] as number;
        const sb = scores[at + b] as number;
        if (sa !== sb) return sb - sa;
        const ra = values[h0 + a] as number;
        const rb = values[h0 + b] as number;
        if (ra !== rb) return ra - rb;
        return (held.items[h0 + a] as number) - (held.items[h0 + b] as number);
      });
      for (let i = 0; i < n; i++) {
        if ((scores[at + i] as number) !== (scores[at + i] as number)) {
          throw new DataError(`score of user ${u} item ${held.items[h0 + i]} is NaN`);
        }
      }
      const gains = Float64Array.from(order, (i) => gainOf(values[h0 + i] as number, opts.gain));
      const ideal = Float64Array.from(gains).sort().reverse();
      let c = 0;
      for (const k of ks) {
        out[c++] = gradedNdcg(gains, ideal, k);
        out[c++] = adjustedNdcg(gains, k);
      }
      acc.add(u, out);
      at += n;
    }
    await batchDone(ctx, Math.min(start + batch, users.length), users.length, 'users');
  }
  const notes: string[] = [];
  if (skipped > 0) notes.push(`${skipped} users with fewer than ${opts.minItems} held-out items skipped`);
  const k0 = ks[0] as number;
  const undefinedAdjusted = acc.count() - acc.definedCount(`adjusted-ndcg@${k0}`);
  if (undefinedAdjusted > 0)
    notes.push(`${undefinedAdjusted} users with all-equal ratings have no adjusted NDCG`);
  return {
    accumulator: acc,
    extra: {},
    users: users.length,
    unitLabel: 'users',
    protocolText: `seed parity (each user's own held-out rated items ranked, graded ${opts.gain} gain)`,
    negativesText: 'none (only the user’s held-out items)',
    maskedText: 'nothing',
    notes,
  };
}
