import type { BatchSource } from '../batch.js';
import { MissingDataInputError, WELL_KNOWN_INPUTS, type DataSpec } from '../data-spec.js';
import type { DatasetInfo } from '../dataset-info.js';
import {
  tinyDatasetInfo,
  tinyPairwiseSource,
  tinyPointwiseSource,
  tinyUserHistorySource,
  type TinyData,
  type TinyInfoOptions,
} from './tiny-data.js';

/**
 * The test kit's own `batchSourceFor` / `datasetInfoFor` over {@link TinyData}: what `@ncf/datasets` builds
 * from real interactions, built here from the generated data, because core must not depend on the dataset
 * package. The conformance suite derives everything from `factory.dataSpec(config)` through these two, so a
 * model is tested with exactly the batches and inputs it declares.
 */

/** The tiny batch source a spec asks for: pointwise / user-history with its labels, or pairwise triples. */
export function tinySourceFor(spec: DataSpec, data: TinyData): BatchSource {
  switch (spec.batch) {
    case 'pointwise':
      return tinyPointwiseSource(data, 2, spec.labels ?? 'implicit');
    case 'pairwise':
      return tinyPairwiseSource(data);
    case 'user-history':
      return tinyUserHistorySource(data, 2, spec.labels ?? 'implicit');
  }
}

/**
 * Tiny dataset info carrying every input `spec` names (features as cluster one-hots, the symmetric graph,
 * user histories with the spec's label values) plus `ratingRange` for rating labels.
 * @throws MissingDataInputError for a custom input (the kit cannot invent one: pass `info` to the suite).
 */
export function tinyDatasetInfoFor(spec: DataSpec, data: TinyData): DatasetInfo {
  const options: { -readonly [K in keyof TinyInfoOptions]: TinyInfoOptions[K] } = {};
  for (const name of spec.inputs) {
    if (name === 'itemFeatures') options.itemFeatureClusters = 4;
    else if (name === 'userFeatures') options.userFeatureClusters = 4;
    else if (name === 'graph') options.graph = true;
    else if (name === 'userHistories') options.userHistories = spec.labels ?? 'implicit';
    else {
      throw new MissingDataInputError(
        name,
        `the tiny test data cannot provide custom input '${name}' (it knows ${WELL_KNOWN_INPUTS.join(', ')}); ` +
          'pass `info` (and `source` if needed) to describeModelConformance',
      );
    }
  }
  if (spec.labels === 'rating') options.ratingRange = true;
  return tinyDatasetInfo(data, options);
}
