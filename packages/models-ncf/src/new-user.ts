import { ConfigError, DataError, UnknownIdError } from '@ncf/core';
import type { DatasetInfo, IdMapJson, Recommender } from '@ncf/core';
import type { ExplainOptions, ExplanationReason } from './explain.js';
import type { UserHistoryInput } from './history/history-ncf.js';
import type { ExternalId } from './recommend.js';
import { topK } from './recommend.js';

/** One (item, rating) pair of a new user; `rating` omitted for implicit feedback (then 1). */
export interface RatedItem {
  readonly item: ExternalId;
  readonly rating?: number;
}

/** Options of {@link recommendForRatings}. */
export interface NewUserOptions {
  /** How many items to return. Default 10. */
  readonly k?: number;
  /** Items of the history the model does not know: `skip` them (reported in `skipped`) or throw. Default `skip`. */
  readonly unknownItems?: 'skip' | 'error';
  /** Leave out the items the user rated. Default true. */
  readonly excludeRated?: boolean;
  /** Add "because you rated X" reasons (models with `explain`, i.e. Attention NCF). Default false. */
  readonly explain?: boolean | ExplainOptions;
  /** Display names of items (e.g. movie titles), for the reasons. */
  readonly titles?: (item: ExternalId) => string | undefined;
}

/** Defaults of {@link NewUserOptions}. */
export const NEW_USER_DEFAULTS = { k: 10, unknownItems: 'skip', excludeRated: true } as const;

/** A reason with external ids. */
export interface NewUserReason extends Omit<ExplanationReason, 'item'> {
  readonly item: ExternalId;
  readonly title?: string;
}

/** Recommendations for a new user. */
export interface NewUserRecommendation {
  /**
   * `history`: scored from the user's ratings by the model; `popularity`: the history was empty (or every
   * item was unknown and skipped), so the most-rated training items are returned instead.
   */
  readonly strategy: 'history' | 'popularity';
  readonly items: ExternalId[];
  readonly itemIndices: Int32Array;
  readonly scores: Float32Array;
  /** History items not known to the model and skipped (never silently: count and ids). */
  readonly skipped: { readonly count: number; readonly items: ExternalId[] };
  /** Per recommended item, the rated items behind it (when `explain` is on and the model explains). */
  readonly reasons?: NewUserReason[][];
}

/** A model that scores histories, optionally with explanations. */
export interface HistoryScorer extends Recommender {
  scoreHistory(history: UserHistoryInput, items?: Int32Array): Float32Array;
  explain?(
    user: UserHistoryInput,
    items: Int32Array,
    options?: ExplainOptions,
  ): { item: number; score: number; reasons: ExplanationReason[] }[];
}

function indexMap(map: IdMapJson | undefined): (id: ExternalId) => number | undefined {
  if (!map) return (id) => (typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : undefined);
  const m = new Map<ExternalId, number>(map.ids.map((x, i) => [x, i]));
  return (id) => m.get(id);
}

const external = (info: DatasetInfo, i: number): ExternalId => (info.itemIds ? info.itemIds.ids[i]! : i);

/** Training counts per item from `info.userHistories` (the popularity fallback). */
export function itemCountsOf(info: DatasetInfo): Float32Array {
  const h = info.userHistories;
  if (!h) {
    throw new DataError(
      'the popularity fallback for an empty history needs info.userHistories (training item counts)',
    );
  }
  const counts = new Float32Array(info.numItems);
  for (let j = 0; j < h.indices.length; j++) counts[h.indices[j]!]! += 1;
  return counts;
}

/**
 * Recommendations for a user who is not in the training data, given only `(item, rating)` pairs with
 * external ids — no retraining, no user id. Unknown items are skipped and counted (or an error, by option);
 * ratings outside the model's scale are an error naming the pair (from the model's `scoreHistory`); an empty
 * history falls back to popularity and says so in `strategy`.
 */
export function recommendForRatings(
  model: HistoryScorer,
  ratings: readonly RatedItem[],
  options: NewUserOptions = {},
): NewUserRecommendation {
  const k = options.k ?? NEW_USER_DEFAULTS.k;
  if (!Number.isInteger(k) || k < 1) throw new ConfigError(`k must be an integer ≥ 1, got ${k}`, 'k');
  const unknown = options.unknownItems ?? NEW_USER_DEFAULTS.unknownItems;
  if (unknown !== 'skip' && unknown !== 'error') {
    throw new ConfigError(
      `unknownItems must be 'skip' or 'error', got ${JSON.stringify(unknown)}`,
      'unknownItems',
    );
  }
  const info = model.info;
  const lookup = indexMap(info.itemIds);
  const items: number[] = [];
  const values: number[] = [];
  const skipped: ExternalId[] = [];
  ratings.forEach((r, j) => {
    const i = lookup(r.item);
    if (i === undefined || i >= info.numItems) {
      if (unknown === 'error') throw new UnknownIdError('item', r.item);
      skipped.push(r.item);
      return;
    }
    const v = r.rating ?? 1;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new DataError(
        `rating ${j} (item ${JSON.stringify(r.item)}): rating must be a finite number, got ${JSON.stringify(r.rating)}`,
      );
    }
    items.push(i);
    values.push(v);
  });
  const history = { items: Int32Array.from(items), values: Float32Array.from(values) };
  const strategy = items.length === 0 ? 'popularity' : 'history';
  const scores = strategy === 'history' ? model.scoreHistory(history) : itemCountsOf(info);
  if (options.excludeRated ?? NEW_USER_DEFAULTS.excludeRated) for (const i of items) scores[i] = -Infinity;
  const top = topK(scores, k);
  const out: NewUserRecommendation = {
    strategy,
    items: Array.from(top, (i) => external(info, i)),
    itemIndices: top,
    scores: Float32Array.from(top, (i) => scores[i]!),
    skipped: { count: skipped.length, items: skipped },
  };
  if (!options.explain || strategy !== 'history' || !model.explain) return out;
  const ex = model.explain(history, top, options.explain === true ? {} : options.explain);
  const reasons = ex.map((e) =>
    e.reasons.map((r) => {
      const id = external(info, r.item);
      const title = options.titles?.(id);
      return { ...r, item: id, ...(title !== undefined ? { title } : {}) };
    }),
  );
  return { ...out, reasons };
}
