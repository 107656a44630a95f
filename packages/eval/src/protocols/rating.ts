import { ConfigError, DataError } from '@ncf/core/base';
import type { EvalData } from '../eval-data.js';
import { MetricAccumulator } from '../metric-accumulator.js';
import type { Scorer } from '../scorer.js';
import { batchDone, type ProtocolContext, type ProtocolOutput } from './protocol-context.js';

/** Options of the rating-prediction protocol. */
export interface RatingOptions {
  /** Clip predictions into `[min, max]` (e.g. the rating scale) before measuring; no clipping by default. */
  readonly clip?: readonly [number, number];
  /** Held-out rows per model call. */
  readonly rowBatch?: number;
}

/** Defaults of {@link RatingOptions}: 8192 rows per call, no clipping. */
export const RATING_DEFAULTS = { rowBatch: 8192 } as const;

/**
 * Rating-prediction protocol: RMSE and MAE of `score(user, item)` against the held-out ratings, averaged over
 * held-out rows (RMSE is the root of the mean squared error over all rows, also per group).
 */
export async function runRating(
  scorer: Scorer,
  data: EvalData,
  ctx: ProtocolContext,
  options: RatingOptions = {},
): Promise<ProtocolOutput> {
  const { test, numUsers } = data;
  const ratings = test.ratings;
  if (!ratings) throw new DataError('rating prediction needs held-out ratings; the split has none');
  const clip = options.clip;
  if (clip && !(clip[0] <= clip[1]))
    throw new ConfigError(`clip must be [min, max] with min ≤ max, got [${clip.join(', ')}]`, 'clip');
  const rows = test.users.length;
  // Squared and absolute errors are averaged per row; RMSE is the root of the mean squared error.
  const acc = new MetricAccumulator(['mse', 'mae'], ctx.groups);
  const values = new Float64Array(2);
  const batch = Math.max(1, ctx.batchSize ?? options.rowBatch ?? RATING_DEFAULTS.rowBatch);
  const seen = new Uint8Array(numUsers);
  let users = 0;
  for (let start = 0; start < rows; start += batch) {
    const end = Math.min(rows, start + batch);
    const pred = scorer.score(test.users.subarray(start, end), test.items.subarray(start, end));
    if (pred.length !== end - start)
      throw new DataError(`model returned ${pred.length} scores for ${end - start} pairs`);
    for (let r = start; r < end; r++) {
      let p = pred[r - start] as number;
      if (p !== p) throw new DataError(`prediction for user ${test.users[r]} item ${test.items[r]} is NaN`);
      if (clip) p = Math.min(clip[1], Math.max(clip[0], p));
      const d = p - (ratings[r] as number);
      values[0] = d * d;
      values[1] = Math.abs(d);
      const u = test.users[r] as number;
      if (seen[u] === 0) {
        seen[u] = 1;
        users++;
      }
      acc.add(u, values);
    }
    await batchDone(ctx, end, rows, 'rows');
  }
  return {
    accumulator: acc,
    extra: {},
    users,
    unitLabel: 'rows',
    protocolText: `rating prediction (RMSE/MAE${clip ? `, predictions clipped to [${clip[0]}, ${clip[1]}]` : ''})`,
    negativesText: 'none',
    maskedText: 'nothing',
    notes: [],
    finish: (means) => ({ rmse: Math.sqrt(means.mse as number), mae: means.mae as number }),
  };
}
