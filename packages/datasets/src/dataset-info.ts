import type { DatasetInfo, FeatureMatrix, GraphInfo } from '@ncf/core';
import { DataError } from '@ncf/core/base';
import type { Interactions } from './interactions.js';

/** Optional extras of {@link datasetInfo}. */
export interface DatasetInfoExtras {
  readonly userFeatures?: FeatureMatrix;
  readonly itemFeatures?: FeatureMatrix;
  /** Rating scale; default: the observed `[min, max]` of the ratings when there are ratings. */
  readonly ratingRange?: readonly [number, number];
  readonly graph?: GraphInfo;
}

/**
 * Core's {@link DatasetInfo} for a model factory: sizes and id maps from `interactions`, the number of
 * interactions of each item (`itemCounts`, the popularity that serves users with no known history), plus
 * features/graph. Pass the training interactions (they share id maps with the full data, and the counts
 * must not see held-out interactions). Feature rows must match the id maps.
 */
export function datasetInfo(interactions: Interactions, extras: DatasetInfoExtras = {}): DatasetInfo {
  const { numUsers, numItems } = interactions;
  if (extras.userFeatures && extras.userFeatures.rows !== numUsers) {
    throw new DataError(
      `user features have ${extras.userFeatures.rows} rows; expected ${numUsers} (one per user)`,
    );
  }
  if (extras.itemFeatures && extras.itemFeatures.rows !== numItems) {
    throw new DataError(
      `item features have ${extras.itemFeatures.rows} rows; expected ${numItems} (one per item)`,
    );
  }
  if (extras.graph && extras.graph.numNodes !== numUsers + numItems) {
    throw new DataError(
      `graph has ${extras.graph.numNodes} nodes; expected ${numUsers + numItems} (users + items)`,
    );
  }
  let ratingRange = extras.ratingRange;
  const r = interactions.ratings;
  if (!ratingRange && r && r.length > 0) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < r.length; k++) {
      const v = r[k] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    ratingRange = [lo, hi];
  }
  const itemCounts = new Float32Array(numItems);
  const items = interactions.items;
  for (let k = 0; k < items.length; k++) itemCounts[items[k] as number]! += 1;
  return {
    numUsers,
    numItems,
    itemCounts,
    userIds: interactions.userIds.toJSON(),
    itemIds: interactions.itemIds.toJSON(),
    ...(extras.userFeatures ? { userFeatures: extras.userFeatures } : {}),
    ...(extras.itemFeatures ? { itemFeatures: extras.itemFeatures } : {}),
    ...(ratingRange ? { ratingRange } : {}),
    ...(extras.graph ? { graph: extras.graph } : {}),
  };
}
