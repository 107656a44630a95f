import {
  MissingDataInputError,
  WELL_KNOWN_INPUTS,
  checkDataSpec,
  defineDataSpec,
  formatDataSpec,
  type DataSpec,
  type DatasetInfo,
  type DatasetInput,
} from '@ncf/core/base';
import { graphInfo, type GraphInfoOptions } from './bipartite-graph.js';
import { CENTRED_GRAPH_INPUT, centredGraph, type CentredGraphOptions } from './centred-graph.js';
import { datasetInfo, type DatasetInfoExtras } from './dataset-info.js';
import type { Interactions } from './interactions.js';
import { userRatingHistories } from './user-history-source.js';

/** Extras of {@link datasetInfoFor}: inputs the data cannot derive (features, custom inputs) and graph options. */
export interface DatasetInfoForExtras extends DatasetInfoExtras {
  /** How the graph is built when the spec names `graph` and `graph` is not given. Default binary, symmetric. */
  readonly graphOptions?: GraphInfoOptions;
  /**
   * How `centredGraph` is built when a spec names it and `inputs` does not give it. Default: the midpoint of
   * `ratingRange` when given, else centredGraph's default (3).
   */
  readonly centredGraphOptions?: CentredGraphOptions;
}

function centredOptions(extras: DatasetInfoForExtras): CentredGraphOptions {
  if (extras.centredGraphOptions) return extras.centredGraphOptions;
  const r = extras.ratingRange;
  return r ? { midpoint: (r[0] + r[1]) / 2 } : {};
}

function missing(spec: DataSpec, name: string, how: string): MissingDataInputError {
  return new MissingDataInputError(
    name,
    `the model needs dataset input '${name}' (${formatDataSpec(spec)}), which cannot be built from ` +
      `interactions; ${how}`,
  );
}

/**
 * Core's {@link DatasetInfo} with exactly the inputs `spec` names: sizes, id maps and rating range from the
 * training interactions; `graph` (the bipartite graph, {@link graphInfo} with `extras.graphOptions`) and
 * `userHistories` (raw ratings or 1s, {@link userRatingHistories}) built from them unless given;
 * `itemFeatures`, `userFeatures` and custom inputs taken from `extras`. Inputs the spec does not name are left
 * out, so model files carry only what the model reads. Build it from the training split: the graph and the
 * histories must not see held-out interactions.
 * @throws MissingDataInputError naming an input the spec needs that `extras` does not give, and how to give it.
 * @throws DataError when a given input does not fit the id maps.
 */
export function datasetInfoFor(
  spec: DataSpec,
  train: Interactions,
  extras: DatasetInfoForExtras = {},
): DatasetInfo {
  const s = defineDataSpec(spec);
  const picked: { -readonly [K in keyof DatasetInfoExtras]: DatasetInfoExtras[K] } = {
    ...(extras.ratingRange ? { ratingRange: extras.ratingRange } : {}),
  };
  const inputs: Record<string, DatasetInput> = {};
  for (const name of s.inputs) {
    switch (name) {
      case 'itemFeatures':
      case 'userFeatures': {
        const key = name as 'itemFeatures' | 'userFeatures';
        const m = extras[key];
        if (!m) {
          const who = key === 'itemFeatures' ? 'item' : 'user';
          throw missing(
            s,
            name,
            `give extras.${name} (a FeatureMatrix with one row per ${who}, e.g. from multiHotFeatures or ` +
              `@ncf/movielens' ${who} features)`,
          );
        }
        picked[key] = m;
        break;
      }
      case 'graph':
        picked.graph = extras.graph ?? graphInfo(train, extras.graphOptions);
        break;
      case 'userHistories':
        picked.userHistories = extras.userHistories ?? userRatingHistories(train);
        break;
      default: {
        const given = extras.inputs && Object.hasOwn(extras.inputs, name) ? extras.inputs[name] : undefined;
        const input =
          given ??
          (name === CENTRED_GRAPH_INPUT
            ? { type: 'csr' as const, ...centredGraph(train, centredOptions(extras)) }
            : undefined);
        if (!input) {
          throw missing(
            s,
            name,
            `give extras.inputs['${name}'] ({type: 'dense', ...FeatureMatrix} or {type: 'csr', ...Csr}); ` +
              `the well-known inputs are ${WELL_KNOWN_INPUTS.join(', ')}`,
          );
        }
        inputs[name] = input;
      }
    }
  }
  const info = datasetInfo(train, { ...picked, ...(Object.keys(inputs).length ? { inputs } : {}) });
  checkDataSpec(s, info);
  return info;
}
