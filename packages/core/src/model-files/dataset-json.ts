import type { Csr } from '../csr.js';
import type { DatasetInfo, DatasetInput, FeatureMatrix, GraphInfo, IdMapJson } from '../dataset-info.js';
import { ModelFileError } from '../errors.js';
import type { NamedArray } from './weights-codec.js';

/**
 * Dataset info in `model.json`: sizes and id maps inline, every dataset input (the well-known fields and the
 * custom `inputs`) as a small JSON record whose typed arrays are stored among the weights under
 * `__dataset__/…` names. One generic encoding for dense and CSR inputs, so a third-party model's custom input
 * survives save → load exactly like the graph does.
 */

/** Prefix of weight names that hold dataset arrays (features, graph, histories, custom inputs). */
export const DATASET_WEIGHT_PREFIX = '__dataset__/';

/** A dense input (feature matrix) in `model.json`: its values live in the weights under `weight`. */
export interface FeatureMatrixJson {
  /** `'dense'`; absent in format-version-1 files, which stored only feature matrices this way. */
  readonly type?: 'dense';
  readonly names: readonly string[];
  readonly rows: number;
  readonly dim: number;
  readonly weight: string;
}

/** A CSR input in `model.json`: array fields name weights. */
export interface CsrJson {
  readonly type: 'csr';
  readonly numRows: number;
  readonly numCols: number;
  readonly offsets: string;
  readonly indices: string;
  readonly values?: string;
  /** Graph inputs only: the normalisation the values carry. */
  readonly normalization?: GraphInfo['normalization'];
}

/** The graph as format version 1 stored it (values always symmetric-normalised). */
export interface GraphJsonV1 {
  readonly numNodes: number;
  readonly offsets: string;
  readonly neighbors: string;
  readonly weights: string;
}

/** A dataset input in `model.json`. */
export type DatasetInputJson = FeatureMatrixJson | CsrJson;

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
  readonly graph?: CsrJson | GraphJsonV1;
  readonly userHistories?: CsrJson;
  readonly inputs?: Readonly<Record<string, DatasetInputJson>>;
}

function inputToJson(key: string, input: DatasetInput, arrays: NamedArray[]): DatasetInputJson {
  const base = `${DATASET_WEIGHT_PREFIX}${key}`;
  if (input.type === 'dense') {
    arrays.push({ name: base, shape: [input.rows, input.dim], values: input.values });
    return { type: 'dense', names: [...input.names], rows: input.rows, dim: input.dim, weight: base };
  }
  const names = { offsets: `${base}/offsets`, indices: `${base}/indices`, values: `${base}/values` };
  arrays.push({ name: names.offsets, shape: [input.offsets.length], values: input.offsets });
  arrays.push({ name: names.indices, shape: [input.indices.length], values: input.indices });
  if (input.values) arrays.push({ name: names.values, shape: [input.values.length], values: input.values });
  const normalization = (input as Partial<GraphInfo>).normalization;
  return {
    type: 'csr',
    numRows: input.numRows,
    numCols: input.numCols,
    offsets: names.offsets,
    indices: names.indices,
    ...(input.values ? { values: names.values } : {}),
    ...(normalization ? { normalization } : {}),
  };
}

/** Splits dataset info into its JSON part and the arrays stored as weights. */
export function datasetInfoToJson(info: DatasetInfo): { json: DatasetInfoJson; arrays: NamedArray[] } {
  const arrays: NamedArray[] = [];
  const dense = (key: string, m: FeatureMatrix): FeatureMatrixJson =>
    inputToJson(key, { type: 'dense', ...m }, arrays) as FeatureMatrixJson;
  const csr = (key: string, c: Csr): CsrJson => inputToJson(key, { type: 'csr', ...c }, arrays) as CsrJson;
  const custom = Object.entries(info.inputs ?? {});
  const counts = `${DATASET_WEIGHT_PREFIX}itemCounts`;
  if (info.itemCounts)
    arrays.push({ name: counts, shape: [info.itemCounts.length], values: info.itemCounts });
  const json: DatasetInfoJson = {
    numUsers: info.numUsers,
    numItems: info.numItems,
    ...(info.userIds ? { userIds: info.userIds } : {}),
    ...(info.itemIds ? { itemIds: info.itemIds } : {}),
    ...(info.ratingRange ? { ratingRange: info.ratingRange } : {}),
    ...(info.userFeatures ? { userFeatures: dense('userFeatures', info.userFeatures) } : {}),
    ...(info.itemFeatures ? { itemFeatures: dense('itemFeatures', info.itemFeatures) } : {}),
    ...(info.itemCounts ? { itemCounts: counts } : {}),
    ...(info.graph ? { graph: csr('graph', info.graph) } : {}),
    ...(info.userHistories ? { userHistories: csr('userHistories', info.userHistories) } : {}),
    ...(custom.length
      ? {
          inputs: Object.fromEntries(
            custom.map(([name, input]) => [name, inputToJson(`inputs/${name}`, input, arrays)]),
          ),
        }
      : {}),
  };
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

/** Reads the inputs of a {@link DatasetInfoJson} back from the decoded weights, checking every size. */
class InputReader {
  constructor(
    readonly file: string,
    readonly arrays: Map<string, NamedArray>,
  ) {}

  take(name: unknown, field: string, dtype: 'float32' | 'int32', size?: number): NamedArray {
    const a = typeof name === 'string' ? this.arrays.get(name) : undefined;
    if (!a) {
      throw new ModelFileError(
        this.file,
        `dataset.${field} refers to weight ${JSON.stringify(name)}, which is missing`,
      );
    }
    const ok = dtype === 'int32' ? a.values instanceof Int32Array : a.values instanceof Float32Array;
    if (!ok) throw new ModelFileError(this.file, `weight '${a.name}' (dataset.${field}) must be ${dtype}`);
    if (size !== undefined && a.values.length !== size) {
      throw new ModelFileError(
        this.file,
        `weight '${a.name}' (dataset.${field}) has ${a.values.length} values, expected ${size}`,
      );
    }
    return a;
  }

  dense(field: string, m: FeatureMatrixJson, rows?: number): FeatureMatrix {
    if (
      !isCount(m.rows) ||
      !isCount(m.dim) ||
      !Array.isArray(m.names) ||
      (rows !== undefined && m.rows !== rows)
    ) {
      throw new ModelFileError(
        this.file,
        `dataset.${field} must have ${rows ?? 'a count of'} rows, a dim and column names`,
      );
    }
    const a = this.take(m.weight, field, 'float32', m.rows * m.dim);
    return { names: m.names, rows: m.rows, dim: m.dim, values: a.values as Float32Array };
  }

  csr(field: string, c: CsrJson, rows?: number, cols?: number): Csr {
    if (!isCount(c.numRows) || !isCount(c.numCols)) {
      throw new ModelFileError(this.file, `dataset.${field}.numRows and numCols must be counts`);
    }
    if ((rows !== undefined && c.numRows !== rows) || (cols !== undefined && c.numCols !== cols)) {
      throw new ModelFileError(
        this.file,
        `dataset.${field} is ${c.numRows} × ${c.numCols}, expected ${rows} × ${cols}`,
      );
    }
    const offsets = this.take(c.offsets, `${field}.offsets`, 'int32', c.numRows + 1).values as Int32Array;
    const nnz = offsets[c.numRows] ?? 0;
    const indices = this.take(c.indices, `${field}.indices`, 'int32', nnz).values as Int32Array;
    if (c.values === undefined) return { numRows: c.numRows, numCols: c.numCols, offsets, indices };
    const values = this.take(c.values, `${field}.values`, 'float32', nnz).values as Float32Array;
    return { numRows: c.numRows, numCols: c.numCols, offsets, indices, values };
  }

  graph(json: DatasetInfoJson, g: CsrJson | GraphJsonV1): GraphInfo {
    const nodes = json.numUsers + json.numItems;
    if ((g as Partial<CsrJson>).type !== 'csr') {
      // Format version 1: {numNodes, offsets, neighbors, weights}, always symmetric-normalised.
      const v1 = g as GraphJsonV1;
      if (v1.numNodes !== nodes) {
        throw new ModelFileError(this.file, `dataset.graph.numNodes must be numUsers + numItems = ${nodes}`);
      }
      const c = this.csr(
        'graph',
        {
          type: 'csr',
          numRows: nodes,
          numCols: nodes,
          offsets: v1.offsets,
          indices: v1.neighbors,
          values: v1.weights,
        },
        nodes,
        nodes,
      );
      return { ...c, values: c.values!, normalization: 'symmetric' };
    }
    const c = g as CsrJson;
    if (c.values === undefined) throw new ModelFileError(this.file, 'dataset.graph.values is missing');
    if (c.normalization !== 'symmetric' && c.normalization !== 'none') {
      throw new ModelFileError(
        this.file,
        `dataset.graph.normalization must be 'symmetric' or 'none', got ${JSON.stringify(c.normalization)}`,
      );
    }
    const m = this.csr('graph', c, nodes, nodes);
    return { ...m, values: m.values!, normalization: c.normalization };
  }

  input(field: string, j: DatasetInputJson): DatasetInput {
    if (j.type === 'csr') return { type: 'csr', ...this.csr(field, j) };
    if (j.type === 'dense') return { type: 'dense', ...this.dense(field, j) };
    throw new ModelFileError(
      this.file,
      `dataset.${field}.type must be 'dense' or 'csr', got ${JSON.stringify((j as { type?: unknown }).type)}`,
    );
  }
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
  const read = new InputReader(file, arrays);
  const { numUsers, numItems } = json;
  const userIds = checkIdMap(file, 'userIds', json.userIds, numUsers);
  const itemIds = checkIdMap(file, 'itemIds', json.itemIds, numItems);
  let ratingRange: readonly [number, number] | undefined;
  if (json.ratingRange) {
    const r = json.ratingRange;
    if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === 'number')) {
      throw new ModelFileError(file, 'dataset.ratingRange must be [min, max]');
    }
    ratingRange = [r[0], r[1]];
  }
  let inputs: Record<string, DatasetInput> | undefined;
  if (json.inputs !== undefined) {
    if (!json.inputs || typeof json.inputs !== 'object' || Array.isArray(json.inputs)) {
      throw new ModelFileError(file, 'dataset.inputs must be an object of named inputs');
    }
    inputs = {};
    for (const [name, j] of Object.entries(json.inputs)) inputs[name] = read.input(`inputs.${name}`, j);
  }
  return {
    numUsers,
    numItems,
    ...(userIds ? { userIds } : {}),
    ...(itemIds ? { itemIds } : {}),
    ...(json.userFeatures ? { userFeatures: read.dense('userFeatures', json.userFeatures, numUsers) } : {}),
    ...(json.itemFeatures ? { itemFeatures: read.dense('itemFeatures', json.itemFeatures, numItems) } : {}),
    ...(ratingRange ? { ratingRange } : {}),
    ...(json.itemCounts !== undefined
      ? { itemCounts: read.take(json.itemCounts, 'itemCounts', 'float32', numItems).values as Float32Array }
      : {}),
    ...(json.graph ? { graph: read.graph(json, json.graph) } : {}),
    ...(json.userHistories
      ? { userHistories: read.csr('userHistories', json.userHistories, numUsers, numItems) }
      : {}),
    ...(inputs ? { inputs } : {}),
  };
}
