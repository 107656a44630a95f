import { findDenseIndex, recommendForHistory } from '@ncf/core';
import type {
  ExternalId,
  HistoryRating,
  HistoryRecommendOptions,
  HistoryRecommendation,
  Recommender,
  UserHistory,
} from '@ncf/core';
import type { ExplainOptions, ExplanationReason } from './explain.js';

/** Options of {@link recommendForRatings}: core's `recommendForHistory` options plus explanations. */
export interface NewUserOptions extends HistoryRecommendOptions {
  /** Add "because you rated X" reasons (models with `explain`, i.e. Attention NCF). Default false. */
  readonly explain?: boolean | ExplainOptions;
  /** Display names of items (e.g. movie titles), for the reasons. */
  readonly titles?: (item: ExternalId) => string | undefined;
}

/** A reason with external ids. */
export interface NewUserReason extends Omit<ExplanationReason, 'item'> {
  readonly item: ExternalId;
  readonly title?: string;
}

/** Core's history recommendation plus, per recommended item, the rated items behind it. */
export interface NewUserRecommendation extends HistoryRecommendation {
  readonly reasons?: NewUserReason[][];
}

/** A model that can explain history scores (Attention NCF). */
export interface ExplainingModel extends Recommender {
  explain(
    user: UserHistory,
    items: Int32Array,
    options?: ExplainOptions,
  ): { item: number; score: number; reasons: ExplanationReason[] }[];
}

function explains(model: Recommender): model is ExplainingModel {
  return typeof (model as Partial<ExplainingModel>).explain === 'function';
}

/**
 * Recommendations for a user who is not in the training data, from `(item, rating)` pairs with external ids
 * (core's `recommendForHistory`: unknown items skipped and listed, or an error; ratings outside the scale are
 * an error naming the pair; an empty history falls back to popularity, labelled `strategy: 'popularity'`),
 * with "because you rated X" reasons when `explain` is on and the model explains (Attention NCF).
 */
export function recommendForRatings(
  model: Recommender,
  ratings: readonly HistoryRating[],
  options: NewUserOptions = {},
): NewUserRecommendation {
  const rec = recommendForHistory(model, ratings, options);
  if (!options.explain || rec.strategy !== 'history' || !explains(model)) return rec;
  const { info } = model;
  const items: number[] = [];
  const values: number[] = [];
  for (const r of ratings) {
    const i = findDenseIndex(info.itemIds, info.numItems, r.item);
    if (i === undefined) continue;
    items.push(i);
    values.push(r.rating ?? 1);
  }
  const history = { items: Int32Array.from(items), values: Float32Array.from(values) };
  const ex = model.explain(history, rec.itemIndices, options.explain === true ? {} : options.explain);
  const external = (i: number): ExternalId => (info.itemIds ? info.itemIds.ids[i]! : i);
  const reasons = ex.map((e) =>
    e.reasons.map((r) => {
      const id = external(r.item);
      const title = options.titles?.(id);
      return { ...r, item: id, ...(title !== undefined ? { title } : {}) };
    }),
  );
  return { ...rec, reasons };
}
