/**
 * `recommend()` and `recommendBatch()` moved to @ncf/core, where they serve every model family (and users
 * given by history: `recommendForHistory`). These re-exports keep `import { recommend } from
 * '@ncf/models-ncf'` working for one release.
 */
export {
  /** @deprecated Import from `@ncf/core`. */
  recommend,
  /** @deprecated Import from `@ncf/core`. */
  recommendBatch,
  /** @deprecated Import from `@ncf/core`. */
  RECOMMEND_DEFAULTS,
  /** @deprecated Import from `@ncf/core`. */
  seenCsr,
  /** @deprecated Import from `@ncf/core`. */
  topK,
} from '@ncf/core';
export type {
  /** @deprecated Import from `@ncf/core`. */
  ExternalId,
  /** @deprecated Import from `@ncf/core`. */
  Recommendation,
  /** @deprecated Import from `@ncf/core`. */
  RecommendOptions,
} from '@ncf/core';
