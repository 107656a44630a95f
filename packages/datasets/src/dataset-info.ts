import {
  DataError,
  type Csr,
  type DatasetInfo,
  type DatasetInput,
  type FeatureMatrix,
  type GraphInfo,
} from '@ncf/core/base';
import type { Interactions } from './interactions.js';

/** Optional extras of {@link datasetInfo}. */
export interface DatasetInfoExtras {
  readonly userFeatures?: FeatureMatrix;
  readonly itemFeatures?: FeatureMatrix;
  /** Rating scale; default: the observed `[min, max]` of the ratings when there are ratings. */
  readonly ratingRange?: readonly [number, number];
  readonly graph?: GraphInfo;
  /** Users × items histories (raw ratings or 1s). */
  readonly userHistories?: Csr;
  /** Custom named inputs (dense matrices or CSR structures) for third-party models. */
  readonly inputs?: Readonly<Record<string, DatasetInput>>;
}

/**
 * Core's {@link DatasetInfo} for a model factory: sizes and id maps from `interactions`, the number of
 * interactions of each item (`itemCounts`, the popularity that serves users with no known history), plus
 * features, graph, histories and custom inputs as given. Pass the training interactions (they share id maps
 * with the full data, and the counts must not see held-out interactions). Feature rows must match the id
 * maps. To build exactly what a model's `DataSpec` names, use {@link datasetInfoFor}.
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
  const nodes = numUsers + numItems;
  if (extras.graph && (extras.graph.numRows !== nodes || extras.graph.numCols !== nodes)) {
    throw new DataError(
      `graph is ${extras.graph.numRows} × ${extras.graph.numCols}; expected ${nodes} × ${nodes} (users + items)`,
    );
  }
  const h = extras.userHistories;
  if (h && (h.numRows !== numUsers || h.numCols !== numItems)) {
    throw new DataError(
      `user histories are ${h.numRows} × ${h.numCols}; expected ${numUsers} × ${numItems} (users × items)`,
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
    ...(extras.userHistories ? { userHistories: extras.userHistories } : {}),
    ...(extras.inputs ? { inputs: extras.inputs } : {}),
  };
}
