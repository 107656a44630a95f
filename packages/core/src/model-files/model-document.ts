import { readFileSync } from 'node:fs';
import { tf } from '../tf.js';
import type { DatasetInfo, FeatureMatrix, IdMapJson } from '../dataset-info.js';
import { ModelFileError } from '../errors.js';
import type { BatchKind } from '../batch.js';
import type { TrainingMetadata } from '../model.js';
import type { NamedArray } from './weights-codec.js';

/** Version of the model file layout this build writes; loading a newer one throws {@link NewerModelFormatError}. */
export const MODEL_FORMAT_VERSION = 1;

/** Value of `model.json`'s tfjs `format` field for @ncf models. */
export const MODEL_FORMAT = 'ncf-model';

/** Prefix of weight names that hold dataset arrays (features, graph) rather than model variables. */
export const DATASET_WEIGHT_PREFIX = '__dataset__/';

/** A model file written by a newer @ncf than this one. */
export class NewerModelFormatError extends ModelFileError {
  readonly found: number;
  readonly supported: number;
  constructor(file: string, found: number) {
    super(
      file,
      `has format version ${found}, but this @ncf/core reads versions up to ${MODEL_FORMAT_VERSION}; ` +
        'upgrade @ncf/core to load it',
    );
    this.found = found;
    this.supported = MODEL_FORMAT_VERSION;
  }
}

/** A feature matrix in `model.json`: its values live in the weights under `weight`. */
export interface FeatureMatrixJson {
  readonly names: readonly string[];
  readonly rows: number;
  readonly dim: number;
  readonly weight: string;
}

/** Dataset info in `model.json`; typed arrays are stored as weights and referenced by name. */
export interface DatasetInfoJson {
  readonly numUsers: number;
  readonly numItems: number;
  readonly userIds?: IdMapJson;
  readonly itemIds?: IdMapJson;
  readonly ratingRange?: readonly [number, number];
  readonly userFeatures?: FeatureMatrixJson;
  readonly itemFeatures?: FeatureMatrixJson;
  /** Name of the weight holding `DatasetInfo.itemCounts` (`numItems` float32 values). */
  readonly itemCounts?: string;
  readonly graph?: {
    readonly numNodes: number;
    readonly offsets: string;
    readonly neighbors: string;
    readonly weights: string;
  };
}

/** The @ncf part of `model.json` (tfjs's `userDefinedMetadata`). */
export interface ModelDocument {
  readonly formatVersion: number;
  readonly kind: string;
  readonly batchKind: BatchKind;
  readonly config: Record<string, unknown>;
  readonly dataset: DatasetInfoJson;
  readonly training: TrainingMetadata;
  /** Library versions that wrote the file (`@ncf/core`, `@tensorflow/tfjs-core`, `node`). */
  readonly versions: Readonly<Record<string, string>>;
  readonly savedAt: string;
}

let coreVersion: string | undefined;

/** Version of @ncf/core, read from its package.json. */
export function ncfCoreVersion(): string {
  if (coreVersion === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: string;
      };
      coreVersion = pkg.version ?? 'unknown';
    } catch {
      coreVersion = 'unknown';
    }
  }
  return coreVersion;
}

/** Library versions recorded in model files. */
export function libraryVersions(): Record<string, string> {
  return {
    '@ncf/core': ncfCoreVersion(),
    '@tensorflow/tfjs-core': tf.version_core,
    node: process.versions.node,
  };
}

/** Splits dataset info into its JSON part and the arrays stored as weights. */
export function datasetInfoToJson(info: DatasetInfo): { json: DatasetInfoJson; arrays: NamedArray[] } {
  const arrays: NamedArray[] = [];
  const feature = (
    key: 'userFeatures' | 'itemFeatures',
    m: FeatureMatrix | undefined,
  ): FeatureMatrixJson | undefined => {
    if (!m) return undefined;
    const weight = `${DATASET_WEIGHT_PREFIX}${key}`;
    arrays.push({ name: weight, shape: [m.rows, m.dim], values: m.values });
    return { names: [...m.names], rows: m.rows, dim: m.dim, weight };
  };
  let json: DatasetInfoJson = {
    numUsers: info.numUsers,
    numItems: info.numItems,
    ...(info.userIds ? { userIds: info.userIds } : {}),
    ...(info.itemIds ? { itemIds: info.itemIds } : {}),
    ...(info.ratingRange ? { ratingRange: info.ratingRange } : {}),
    ...(info.userFeatures ? { userFeatures: feature('userFeatures', info.userFeatures) } : {}),
    ...(info.itemFeatures ? { itemFeatures: feature('itemFeatures', info.itemFeatures) } : {}),
  };
  if (info.itemCounts) {
    const weight = `${DATASET_WEIGHT_PREFIX}itemCounts`;
    arrays.push({ name: weight, shape: [info.itemCounts.length], values: info.itemCounts });
    json = { ...json, itemCounts: weight };
  }
  if (info.graph) {
    const g = info.graph;
    const names = {
      offsets: `${DATASET_WEIGHT_PREFIX}graph/offsets`,
      neighbors: `${DATASET_WEIGHT_PREFIX}graph/neighbors`,
      weights: `${DATASET_WEIGHT_PREFIX}graph/weights`,
    };
    arrays.push({ name: names.offsets, shape: [g.offsets.length], values: g.offsets });
    arrays.push({ name: names.neighbors, shape: [g.neighbors.length], values: g.neighbors });
    arrays.push({ name: names.weights, shape: [g.weights.length], values: g.weights });
    return { json: { ...json, graph: { numNodes: g.numNodes, ...names } }, arrays };
  }
  return { json, arrays };
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

function checkIdMap(file: string, field: string, m: unknown, expected: number): IdMapJson | undefined {
  if (m === undefined) return undefined;
  const map = m as IdMapJson;
  if (!map || (map.type !== 'string' && map.type !== 'number') || !Array.isArray(map.ids)) {
    throw new ModelFileError(file, `dataset.${field} must be {type: 'string'|'number', ids: [...]}`);
  }
  if (map.ids.length !== expected) {
    throw new ModelFileError(
      file,
      `dataset.${field} has ${map.ids.length} ids but the model has ${expected}`,
    );
  }
  return map;
}

/** Rebuilds dataset info from `model.json` and the decoded weights, validating sizes against each other. */
export function datasetInfoFromJson(
  file: string,
  json: DatasetInfoJson,
  arrays: Map<string, NamedArray>,
): DatasetInfo {
  if (!json || !isCount(json.numUsers) || !isCount(json.numItems)) {
    throw new ModelFileError(file, 'dataset.numUsers and dataset.numItems must be non-negative integers');
  }
  const take = (name: string, field: string, dtype: 'float32' | 'int32', size?: number): NamedArray => {
    const a = arrays.get(name);
    if (!a) throw new ModelFileError(file, `dataset.${field} refers to weight '${name}', which is missing`);
    const ok = dtype === 'int32' ? a.values instanceof Int32Array : a.values instanceof Float32Array;
    if (!ok) throw new ModelFileError(file, `weight '${name}' (dataset.${field}) must be ${dtype}`);
    if (size !== undefined && a.values.length !== size) {
      throw new ModelFileError(
        file,
        `weight '${name}' (dataset.${field}) has ${a.values.length} values, expected ${size}`,
      );
    }
    return a;
  };
  const feature = (field: 'userFeatures' | 'itemFeatures', rows: number): FeatureMatrix | undefined => {
    const m = json[field];
    if (!m) return undefined;
    if (!isCount(m.rows) || !isCount(m.dim) || !Array.isArray(m.names) || m.rows !== rows) {
      throw new ModelFileError(file, `dataset.${field} must have ${rows} rows, a dim and column names`);
    }
    const a = take(m.weight, field, 'float32', m.rows * m.dim);
    return { names: m.names, rows: m.rows, dim: m.dim, values: a.values as Float32Array };
  };
  let info: DatasetInfo = {
    numUsers: json.numUsers,
    numItems: json.numItems,
  };
  const userIds = checkIdMap(file, 'userIds', json.userIds, json.numUsers);
  const itemIds = checkIdMap(file, 'itemIds', json.itemIds, json.numItems);
  const userFeatures = feature('userFeatures', json.numUsers);
  const itemFeatures = feature('itemFeatures', json.numItems);
  if (userIds) info = { ...info, userIds };
  if (itemIds) info = { ...info, itemIds };
  if (userFeatures) info = { ...info, userFeatures };
  if (itemFeatures) info = { ...info, itemFeatures };
  if (json.itemCounts !== undefined) {
    if (typeof json.itemCounts !== 'string') {
      throw new ModelFileError(file, 'dataset.itemCounts must name a weight');
    }
    const a = take(json.itemCounts, 'itemCounts', 'float32', json.numItems);
    info = { ...info, itemCounts: a.values as Float32Array };
  }
  if (json.ratingRange) {
    const r = json.ratingRange;
    if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === 'number')) {
      throw new ModelFileError(file, 'dataset.ratingRange must be [min, max]');
    }
    info = { ...info, ratingRange: [r[0], r[1]] };
  }
  if (json.graph) {
    const g = json.graph;
    if (!isCount(g.numNodes) || g.numNodes !== json.numUsers + json.numItems) {
      throw new ModelFileError(
        file,
        `dataset.graph.numNodes must be numUsers + numItems = ${json.numUsers + json.numItems}`,
      );
    }
    const offsets = take(g.offsets, 'graph.offsets', 'int32', g.numNodes + 1).values as Int32Array;
    const edges = offsets[g.numNodes] ?? 0;
    const neighbors = take(g.neighbors, 'graph.neighbors', 'int32', edges).values as Int32Array;
    const weights = take(g.weights, 'graph.weights', 'float32', edges).values as Float32Array;
    info = { ...info, graph: { numNodes: g.numNodes, offsets, neighbors, weights } };
  }
  return info;
}
