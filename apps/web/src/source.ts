/** An item as the page shows it: external id and, when the data has one, a title. */
export interface CatalogItem {
  readonly id: string | number;
  readonly title?: string;
}

/** One recommendation: the item, its score, and the rated items that explain it when the model says so. */
export interface Recommendation extends CatalogItem {
  readonly score: number;
  readonly because?: readonly CatalogItem[];
}

/** What a source answers for a set of ratings. */
export interface RecommendationList {
  readonly items: readonly Recommendation[];
  /** `history` / `fold-in` (the model scored the ratings) or `popularity` (nothing rated yet). */
  readonly strategy: string;
  /** Rated ids the model does not know (left out). */
  readonly skipped: readonly (string | number)[];
}

/** A rating as the page stores it: 1–5 stars. */
export interface StarRating {
  readonly id: string | number;
  readonly title?: string;
  readonly stars: number;
}

/**
 * Where recommendations come from: `ncf serve`'s HTTP API (server mode) or the model computed in the page
 * (in-browser mode). The page is written against this and never knows which one it has.
 */
export interface RecommendationSource {
  /** `server` or `browser`. */
  readonly mode: 'server' | 'browser';
  /** One line naming the model and its data, e.g. `mf (4 factors) trained on ml-100k · in your browser (wasm)`. */
  readonly description: string;
  search(query: string, limit: number): Promise<CatalogItem[]>;
  recommend(ratings: readonly StarRating[], k: number): Promise<RecommendationList>;
}

/**
 * Stars (1–5) on the model's scale: linear onto `ratingRange` when the model learnt ratings, else a confidence
 * in (0, 1] (`stars / 5`) for implicit feedback. Both modes send these same values, so their scores agree.
 */
export function starsToModelRating(stars: number, range: readonly [number, number] | undefined): number {
  if (!range) return stars / 5;
  const [lo, hi] = range;
  return lo + ((stars - 1) / 4) * (hi - lo);
}
