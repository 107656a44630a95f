import type { DatasetInput } from '@ncf/core';
import { itemDegrees, type Interactions } from '@ncf/datasets';

/**
 * The custom input the popularity prior reads: `log(1 + count_i)` of each item in the training
 * interactions, as a `numItems × 1` dense input for `datasetInfoFor(spec, train, { inputs })`.
 */
export function itemPopularityInput(train: Interactions): DatasetInput {
  const counts = itemDegrees(train);
  return {
    type: 'dense',
    names: ['log1p_count'],
    rows: train.numItems,
    dim: 1,
    values: Float32Array.from(counts, (c) => Math.log1p(c)),
  };
}
