/**
 * What a model needs to know about its dataset at creation: sizes, external ids (so model files can map
 * ids without the dataset), and optional feature matrices. `@ncf/datasets` produces it from interactions.
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
  /** Graph inputs for graph models: symmetric-normalised bipartite adjacency in CSR form. */
  readonly graph?: GraphInfo;
}

/**
 * The user–item bipartite graph as CSR over `numUsers + numItems` nodes (users first, then items), with
 * symmetric degree normalisation `1/sqrt(d_u d_i)` already applied to `weights`.
 */
export interface GraphInfo {
  readonly numNodes: number;
  readonly offsets: Int32Array;
  readonly neighbors: Int32Array;
  readonly weights: Float32Array;
}
