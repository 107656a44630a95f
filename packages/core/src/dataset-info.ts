import type { Csr } from './csr.js';

/**
 * What a model needs to know about its dataset at creation: sizes, external ids (so model files can map
 * ids without the dataset), and the inputs its {@link DataSpec} names (feature matrices, the graph, user
 * histories, custom named inputs). `@ncf/datasets`' `datasetInfoFor` produces it from interactions.
 */

/** Serialisable form of an id map: `ids[i]` is the external id of dense index `i`. */
export interface IdMapJson {
  readonly type: 'string' | 'number';
  readonly ids: readonly (string | number)[];
}

/** A dense row-major feature matrix with named columns (one row per user or item). */
export interface FeatureMatrix {
  readonly names: readonly string[];
  readonly rows: number;
  readonly dim: number;
  /** `rows × dim` values, row-major. */
  readonly values: Float32Array;
}

/** Which normalisation a graph's `values` already carry. */
export type GraphNormalization = 'symmetric' | 'none';

/**
 * The user–item bipartite graph as a square {@link Csr} over `numUsers + numItems` nodes: users first
 * (`0 .. numUsers − 1`), then item `i` at `numUsers + i`; `numRows = numCols = numUsers + numItems`.
 * `normalization` says what `values` hold: `'symmetric'` is `w_ui / sqrt(d_u d_i)` (GCN, Kipf & Welling 2017,
 * as NGCF and LightGCN use it), `'none'` the raw edge weights.
 */
export interface GraphInfo extends Csr {
  readonly values: Float32Array;
  readonly normalization: GraphNormalization;
}

/** A custom named dataset input: a dense matrix or a CSR structure (see {@link DatasetInfo.inputs}). */
export type DatasetInput = ({ readonly type: 'dense' } & FeatureMatrix) | ({ readonly type: 'csr' } & Csr);

/** Dataset description handed to a model factory. */
export interface DatasetInfo {
  readonly numUsers: number;
  readonly numItems: number;
  readonly userIds?: IdMapJson;
  readonly itemIds?: IdMapJson;
  readonly userFeatures?: FeatureMatrix;
  readonly itemFeatures?: FeatureMatrix;
  /** Rating scale for explicit feedback, e.g. `[1, 5]`. */
  readonly ratingRange?: readonly [number, number];
  /**
   * Training interaction count of each item (`numItems` values): the popularity that serves a user with
   * no known history (`recommendForHistory`). `@ncf/datasets`' `datasetInfo()` fills it; model files keep it.
   */
  readonly itemCounts?: Float32Array;
  /** The user–item graph, for graph models. */
  readonly graph?: GraphInfo;
  /** Rows = users, indices = items, values = the user's raw ratings (or 1s for implicit data). */
  readonly userHistories?: Csr;
  /** Custom inputs by name (third-party models); model files save and load them with the model. */
  readonly inputs?: Readonly<Record<string, DatasetInput>>;
}

/**
 * Any dataset input by name: a well-known field (`itemFeatures`, `userFeatures`, `graph`, `userHistories`)
 * as a {@link DatasetInput}, or the custom input `info.inputs[name]`. Undefined when absent.
 */
export function datasetInput(info: DatasetInfo, name: string): DatasetInput | undefined {
  switch (name) {
    case 'itemFeatures':
    case 'userFeatures': {
      const m = info[name];
      return m ? { type: 'dense', ...m } : undefined;
    }
    case 'graph':
    case 'userHistories': {
      const c = info[name];
      return c ? { type: 'csr', ...c } : undefined;
    }
    default:
      return info.inputs && Object.hasOwn(info.inputs, name) ? info.inputs[name] : undefined;
  }
}
