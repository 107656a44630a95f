/**
 * Every call the server makes into model logic, in one place: @ncf/core's recommend API (known users,
 * users given by history with fold-in and the popularity fallback, similar items). Nothing here knows a
 * model family; routes import from this file so the seam stays one file wide.
 */
export {
  HistoryScoringUnsupportedError,
  SimilarityUnsupportedError,
  denseIndex,
  externalId,
  hasItemFactors,
  recommend,
  recommendBatch,
  recommendForHistory,
  scoreNewUser,
  similarItems,
  topK,
} from '@ncf/core';
export type {
  ExternalId,
  HistoryRating,
  HistoryRecommendation,
  HistoryRecommendOptions,
  Recommendation,
  RecommendOptions,
  SeenCsr,
  UserHistory,
} from '@ncf/core';
