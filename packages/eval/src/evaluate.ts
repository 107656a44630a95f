import { ConfigError, DataError } from '@ncf/core/base';
import type { EvalData } from './eval-data.js';
import type { EvalProgress, EvalResult, GroupResult, ProtocolName } from './eval-result.js';
import type { UserGroups } from './groups.js';
import { runFullRanking, type FullRankingOptions } from './protocols/full-ranking.js';
import type { ProtocolContext, ProtocolOutput } from './protocols/protocol-context.js';
import { runRating, type RatingOptions } from './protocols/rating.js';
import { runSampled, type SampledOptions } from './protocols/sampled.js';
import { runSeedParity, type SeedParityOptions } from './protocols/seed-parity.js';
import { describeProtocol } from './report.js';
import type { Scorer } from './scorer.js';
import { checkUserItems } from './user-items.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Which protocol; `full` ranking by default. */
  readonly protocol?: ProtocolName;
  /** Cut-off(s) K. */
  readonly k?: number | readonly number[];
  /** Users (full, seed-parity) or held-out rows (sampled, rating) per model call; automatic when omitted. */
  readonly batchSize?: number;
  /** Report metrics per user group too. */
  readonly groups?: UserGroups;
  /** Stops the evaluation between batches with an AbortError. */
  readonly signal?: AbortSignal;
  /** Called after every batch. */
  readonly onProgress?: (progress: EvalProgress) => void;
  /** Full-ranking options (graded NDCG, AUC, score budget). */
  readonly full?: FullRankingOptions;
  /** Sampled options (negatives per positive, seed) — used when the data has no fixed negatives. */
  readonly sampled?: SampledOptions;
  /** Rating-prediction options (clipping). */
  readonly rating?: RatingOptions;
  /** Seed-parity options (min items, gain). */
  readonly seedParity?: SeedParityOptions;
}

/** Defaults of {@link EvaluateOptions}: full ranking, K = 10. */
export const EVALUATE_DEFAULTS = { protocol: 'full', k: 10 } as const satisfies EvaluateOptions;

/**
 * Evaluates any model honouring core's Recommender contract (or any {@link Scorer}) on held-out data under
 * one protocol: `full` ranking (default), `sampled`, `rating` prediction or `seed-parity`. Users are scored in
 * batches (`scoreAll` once per batch when the model has it), progress is reported after each batch, and
 * `signal` aborts between batches. The result carries the metric means and a one-line protocol description.
 */
export async function evaluate(
  model: Scorer,
  data: EvalData,
  options: EvaluateOptions = {},
): Promise<EvalResult> {
  const started = performance.now();
  const protocol = options.protocol ?? EVALUATE_DEFAULTS.protocol;
  const ks = normaliseKs(options.k ?? EVALUATE_DEFAULTS.k);
  checkData(data);
  if (options.groups && options.groups.ofUser.length !== data.numUsers) {
    throw new ConfigError(
      `groups.ofUser has ${options.groups.ofUser.length} entries; expected one per user (${data.numUsers})`,
      'groups',
    );
  }
  if (options.batchSize !== undefined && !(Number.isInteger(options.batchSize) && options.batchSize > 0)) {
    throw new ConfigError(`batchSize must be a positive integer, got ${options.batchSize}`, 'batchSize');
  }
  const ctx: ProtocolContext = {
    ks,
    batchSize: options.batchSize,
    signal: options.signal,
    onProgress: options.onProgress,
    groups: options.groups,
  };
  let out: ProtocolOutput;
  switch (protocol) {
    case 'full':
      out = await runFullRanking(model, data, ctx, options.full);
      break;
    case 'sampled':
      out = await runSampled(model, data, ctx, options.sampled);
      break;
    case 'rating':
      out = await runRating(model, data, ctx, options.rating);
      break;
    case 'seed-parity':
      out = await runSeedParity(model, data, ctx, options.seedParity);
      break;
    default:
      throw new ConfigError(
        `unknown protocol '${String(protocol)}'; expected one of full, sampled, rating, seed-parity`,
        'protocol',
      );
  }
  const finish = out.finish ?? ((m: Record<string, number>) => m);
  const metrics = { ...finish(out.accumulator.means()), ...out.extra };
  let groups: Record<string, GroupResult> | undefined;
  if (options.groups) {
    groups = {};
    options.groups.names.forEach((name, g) => {
      (groups as Record<string, GroupResult>)[name] = {
        count: out.accumulator.count(g),
        metrics: { ...finish(out.accumulator.means(g)), ...(out.groupExtra?.[g] ?? {}) },
      };
    });
  }
  const split = data.name ?? 'unnamed split';
  const usedKs = protocol === 'rating' ? [] : ks;
  const partial = {
    protocol,
    sampled: protocol === 'sampled',
    split,
    model: model.kind ?? 'model',
    k: usedKs,
    users: out.users,
    units: out.accumulator.count(),
    unitLabel: out.unitLabel,
    negatives: out.negativesText,
    masked: out.maskedText,
  };
  return {
    ...partial,
    description: describeProtocol({ ...partial, protocolText: out.protocolText }),
    metrics,
    ...(groups ? { groups } : {}),
    notes: out.notes,
    seconds: (performance.now() - started) / 1000,
  };
}

function normaliseKs(k: number | readonly number[]): number[] {
  const list = typeof k === 'number' ? [k] : [...k];
  if (list.length === 0) throw new ConfigError('k must name at least one cut-off', 'k');
  for (const v of list) {
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(`k must be a positive integer, got ${v}`, 'k');
  }
  return [...new Set(list)].sort((a, b) => a - b);
}

/**
 * Masks already validated (per object): evaluating every epoch on the same split checks its millions of
 * masked entries once. Masks are treated as immutable, as datasets' splits are.
 */
const checked = new WeakMap<object, string>();

function checkData(data: EvalData): void {
  const { numUsers, numItems, test } = data;
  if (!Number.isInteger(numUsers) || numUsers < 0)
    throw new ConfigError(`numUsers must be a non-negative integer, got ${numUsers}`, 'numUsers');
  if (!Number.isInteger(numItems) || numItems < 1)
    throw new ConfigError(`numItems must be a positive integer, got ${numItems}`, 'numItems');
  if (
    test.users.length !== test.items.length ||
    (test.ratings && test.ratings.length !== test.users.length)
  ) {
    throw new ConfigError(
      `test users (${test.users.length}), items (${test.items.length})${test.ratings ? ` and ratings (${test.ratings.length})` : ''} must align`,
      'test',
    );
  }
  for (let r = 0; r < test.users.length; r++) {
    const u = test.users[r] as number;
    const i = test.items[r] as number;
    if (u < 0 || u >= numUsers || i < 0 || i >= numItems) {
      throw new DataError(
        `test row ${r}: (user ${u}, item ${i}) is outside [0, ${numUsers}) × [0, ${numItems})`,
      );
    }
  }
  if (data.exclude && checked.get(data.exclude) !== `${numUsers}×${numItems}`) {
    checkUserItems(data.exclude, numUsers, numItems, 'exclude');
    checked.set(data.exclude, `${numUsers}×${numItems}`);
  }
}
