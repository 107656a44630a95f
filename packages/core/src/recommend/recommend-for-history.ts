import { ConfigError, DataError, HistoryScoringUnsupportedError, UnknownIdError } from '../errors.js';
import type { Recommender } from '../model.js';
import { MARK_EXCLUDED, createTopKWorkspace } from '../top-k.js';
import { findDenseIndex } from './external-ids.js';
import type { ExternalId } from './external-ids.js';
import { candidateMarks, checkK, selectRecommendations } from './ranking.js';
import { RECOMMEND_DEFAULTS } from './recommend.js';
import { historyStrategyOf, scoreNewUser } from './score-new-user.js';
import type { HistoryStrategy, ScoreNewUserOptions } from './score-new-user.js';

/** One entry of a new user's history: an item by external id and, for explicit feedback, its rating. */
export interface HistoryRating {
  readonly item: ExternalId;
  /** The rating on the model's scale (`DatasetInfo.ratingRange`); absent for implicit feedback. */
  readonly rating?: number;
}

/** What to do with history items the model does not know. */
export type UnknownItemPolicy = 'skip' | 'error';

/** Options of {@link recommendForHistory}. */
export interface HistoryRecommendOptions {
  /** How many items to return. Default 10. */
  readonly k?: number;
  /** Rank only these items (external ids); default every item. Unknown ids throw UnknownIdError. */
  readonly candidates?: readonly ExternalId[];
  /** Leave out the items of the history. Default true. */
  readonly excludeRated?: boolean;
  /** `skip` (default: reported in the result's `skipped`) or `error` (UnknownIdError). */
  readonly unknownItems?: UnknownItemPolicy;
  /** Options of the fold-in, when the model is scored that way. */
  readonly foldIn?: ScoreNewUserOptions['foldIn'];
}

/** Defaults of {@link HistoryRecommendOptions}. */
export const HISTORY_RECOMMEND_DEFAULTS = Object.freeze({
  k: RECOMMEND_DEFAULTS.k,
  excludeRated: true,
  unknownItems: 'skip' as UnknownItemPolicy,
});

/** Top-K items for a user given by history, best first. */
export interface HistoryRecommendation {
  /** External item ids, best first. */
  readonly items: ExternalId[];
  /** Dense item indices aligned with `items`. */
  readonly itemIndices: Int32Array;
  /** Scores aligned with `items`: the model's scores, or training interaction counts for `popularity`. */
  readonly scores: Float32Array;
  /** `history` / `fold-in` (see `scoreNewUser`), or `popularity` when no known item was given. */
  readonly strategy: HistoryStrategy | 'popularity';
  /** History items the model does not know, left out (policy `skip`); their count is `skipped.length`. */
  readonly skipped: ExternalId[];
}

/**
 * Recommendations for a user the model never saw, from `(item, rating?)` pairs with external ids: the
 * history is mapped to dense items (unknown items skipped or an error, per `unknownItems`), ratings are
 * checked against `info.ratingRange`, and the user is scored by {@link scoreNewUser}. With no known item
 * the list is by popularity (`DatasetInfo.itemCounts`, training counts), labelled `popularity`.
 *
 * A missing rating means "interacted" (value 1): accepted by logit fold-in (which uses only which items
 * were rated) and by models without a rating scale; a model that reads rating values and has a
 * `ratingRange` needs every rating (DataError naming the pair otherwise).
 *
 * Errors: DataError for a rating outside the range, not a number, or missing where needed, and for an item
 * given twice (naming the pair index); UnknownIdError for unknown items under `error` and unknown candidates;
 * {@link HistoryScoringUnsupportedError} for a non-empty history on a model with neither history scoring nor
 * item factors (an empty history gets popularity from any model); DataError
 * when popularity is needed but the model's dataset info has no `itemCounts`.
 */
export function recommendForHistory(
  model: Recommender,
  ratings: readonly HistoryRating[],
  options: HistoryRecommendOptions = {},
): HistoryRecommendation {
  const k = checkK(options.k ?? HISTORY_RECOMMEND_DEFAULTS.k);
  const excludeRated = options.excludeRated ?? HISTORY_RECOMMEND_DEFAULTS.excludeRated;
  const policy = options.unknownItems ?? HISTORY_RECOMMEND_DEFAULTS.unknownItems;
  if (policy !== 'skip' && policy !== 'error') {
    throw new ConfigError(
      `unknownItems must be 'skip' or 'error', got ${JSON.stringify(policy)}`,
      'unknownItems',
    );
  }
  const { info } = model;
  // An empty history is answered by popularity whatever the model, so only a non-empty one needs a strategy.
  const strategy = historyStrategyOf(model);
  // Logit fold-in uses only which items were rated, so it needs no rating values.
  const factors = strategy === 'fold-in' ? model.itemFactors!() : undefined;
  const valuesOptional = info.ratingRange === undefined || factors?.output === 'logit';
  const items: number[] = [];
  const values: number[] = [];
  const skipped: ExternalId[] = [];
  const firstAt = new Map<number, number>();
  ratings.forEach((pair, r) => {
    const rating = pair.rating;
    if (rating !== undefined) {
      if (typeof rating !== 'number' || !Number.isFinite(rating)) {
        throw new DataError(
          `ratings[${r}] (item ${JSON.stringify(pair.item)}): rating ${String(rating)} is not a finite number`,
        );
      }
      const range = info.ratingRange;
      if (range && (rating < range[0] || rating > range[1])) {
        throw new DataError(
          `ratings[${r}] (item ${JSON.stringify(pair.item)}): rating ${rating} is outside the model's rating range [${range[0]}, ${range[1]}]`,
        );
      }
    }
    const index = findDenseIndex(info.itemIds, info.numItems, pair.item);
    if (index === undefined) {
      if (policy === 'error') throw new UnknownIdError('item', pair.item);
      skipped.push(pair.item);
      return;
    }
    if (rating === undefined && !valuesOptional) {
      throw new DataError(
        `ratings[${r}] (item ${JSON.stringify(pair.item)}) has no rating, but ${model.kind} scores ratings on [${info.ratingRange![0]}, ${info.ratingRange![1]}]; give one`,
      );
    }
    const before = firstAt.get(index);
    if (before !== undefined) {
      throw new DataError(
        `ratings[${r}]: item ${JSON.stringify(pair.item)} was already given at ratings[${before}]`,
      );
    }
    firstAt.set(index, r);
    items.push(index);
    values.push(rating ?? 1);
  });
  const marks = candidateMarks(model, options.candidates);
  const ws = createTopKWorkspace(Math.min(k, info.numItems));
  if (items.length === 0) {
    const counts = info.itemCounts;
    if (!counts) {
      throw new DataError(
        `no known item in the history and ${model.kind}'s dataset info has no itemCounts for a popularity ` +
          'fallback; build the info with @ncf/datasets datasetInfo() from the training interactions (and save the model again)',
      );
    }
    return {
      ...selectRecommendations(model, Float32Array.from(counts), marks, ws),
      strategy: 'popularity',
      skipped,
    };
  }
  if (strategy === undefined) throw new HistoryScoringUnsupportedError(model.kind);
  const history = { items: Int32Array.from(items), values: Float32Array.from(values) };
  const scored = scoreNewUser(model, history, {
    ...(options.foldIn ? { foldIn: options.foldIn } : {}),
    ...(factors ? { itemFactors: factors } : {}),
  });
  if (excludeRated) for (const i of items) marks[i] = MARK_EXCLUDED;
  return { ...selectRecommendations(model, scored.scores, marks, ws), strategy: scored.strategy, skipped };
}
