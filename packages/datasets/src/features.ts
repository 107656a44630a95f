import type { FeatureMatrix } from '@ncf/core/base';
import { ConfigError, DataError } from '@ncf/core/base';
import type { ExternalId, IdMap } from './id-map.js';

/** Options shared by the feature builders. */
export interface FeatureOptions {
  /**
   * Ids with features but unknown to the map are added to it (cold-start users/items: features, no
   * interactions). Default true; `false` makes an unknown id an error.
   */
  readonly addUnknown?: boolean;
  /** Prefix of generated column names (e.g. `'genre:'`). Default `''`. */
  readonly prefix?: string;
}

/** Defaults of {@link FeatureOptions}. */
export const FEATURE_DEFAULTS = { addUnknown: true, prefix: '' } as const;

/** A feature matrix plus how it lines up with its id map. */
export interface FeatureResult {
  readonly matrix: FeatureMatrix;
  /** Entities of the map that got no feature row (their row is zeros). */
  readonly missing: number;
  /** Ids that were added to the map (cold start). */
  readonly added: number;
}

function rowIndices(
  map: IdMap,
  ids: ArrayLike<ExternalId>,
  o: { addUnknown: boolean },
): { rows: Int32Array; added: number } {
  const rows = new Int32Array(ids.length);
  let added = 0;
  const seen = new Set<number>();
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k]!;
    let r = map.indexOf(id);
    if (r < 0) {
      if (!o.addUnknown)
        throw new DataError(`feature row ${k}: ${map.kind} id ${JSON.stringify(id)} is not in the id map`);
      r = map.add(id);
      added++;
    }
    if (seen.has(r))
      throw new DataError(`feature row ${k}: ${map.kind} id ${JSON.stringify(id)} has features twice`);
    seen.add(r);
    rows[k] = r;
  }
  return { rows, added };
}

function result(
  map: IdMap,
  names: string[],
  rows: Int32Array,
  added: number,
  fill: (values: Float32Array, row: number, k: number) => void,
): FeatureResult {
  const dim = names.length;
  const values = new Float32Array(map.size * dim);
  for (let k = 0; k < rows.length; k++) fill(values, rows[k]! * dim, k);
  return { matrix: { names, rows: map.size, dim, values }, missing: map.size - rows.length, added };
}

/**
 * Dense numeric features: row `k` of `values` (`ids.length × names.length`, row-major) belongs to `ids[k]`.
 * The result has one row per entity of `map` (after adding cold-start ids), zeros where none was given.
 */
export function denseFeatures(
  map: IdMap,
  ids: ArrayLike<ExternalId>,
  values: ArrayLike<number>,
  names: readonly string[],
  options: FeatureOptions = {},
): FeatureResult {
  const o = { ...FEATURE_DEFAULTS, ...options };
  const dim = names.length;
  if (values.length !== ids.length * dim) {
    throw new DataError(
      `dense features have ${values.length} values; expected ${ids.length} ids × ${dim} columns`,
    );
  }
  for (let j = 0; j < values.length; j++) {
    if (!Number.isFinite(values[j]!)) {
      throw new DataError(
        `dense feature of id ${JSON.stringify(ids[Math.floor(j / dim)])} column '${names[j % dim]}' is ${values[j]}; expected a finite number`,
      );
    }
  }
  const { rows, added } = rowIndices(map, ids, o);
  return result(
    map,
    names.map((n) => o.prefix + n),
    rows,
    added,
    (out, base, k) => {
      for (let d = 0; d < dim; d++) out[base + d] = values[k * dim + d]!;
    },
  );
}

/**
 * Multi-hot features (genres, tags): `labels[k]` lists the labels of `ids[k]`. Columns are `vocabulary`
 * (default: every label seen, sorted) with names `prefix + label`. Labels outside a given vocabulary are an error.
 */
export function multiHotFeatures(
  map: IdMap,
  ids: ArrayLike<ExternalId>,
  labels: ArrayLike<readonly string[]>,
  options: FeatureOptions & { readonly vocabulary?: readonly string[] } = {},
): FeatureResult {
  const o = { ...FEATURE_DEFAULTS, ...options };
  if (labels.length !== ids.length) throw new DataError(`${labels.length} label lists for ${ids.length} ids`);
  let vocab = o.vocabulary;
  if (!vocab) {
    const all = new Set<string>();
    for (let k = 0; k < labels.length; k++) for (const l of labels[k]!) all.add(l);
    vocab = [...all].sort();
  }
  const col = new Map(vocab.map((v, j) => [v, j] as const));
  const { rows, added } = rowIndices(map, ids, o);
  return result(
    map,
    vocab.map((v) => o.prefix + v),
    rows,
    added,
    (out, base, k) => {
      for (const l of labels[k]!) {
        const j = col.get(l);
        if (j === undefined)
          throw new DataError(
            `id ${JSON.stringify(ids[k])}: label '${l}' is not in the vocabulary (${vocab.join(', ')})`,
          );
        out[base + j] = 1;
      }
    },
  );
}

/**
 * One-hot features of a categorical value (gender, occupation, age group): columns `prefix + category` for
 * `categories` (default: the values seen, sorted).
 */
export function oneHotFeatures(
  map: IdMap,
  ids: ArrayLike<ExternalId>,
  values: ArrayLike<string | number>,
  options: FeatureOptions & { readonly categories?: readonly (string | number)[] } = {},
): FeatureResult {
  const lists = Array.from({ length: values.length }, (_, k) => [String(values[k])]);
  const vocabulary = options.categories?.map(String) ?? [...new Set(lists.map((l) => l[0]!))].sort();
  return multiHotFeatures(map, ids, lists, { ...options, vocabulary });
}

/**
 * Bucketised numeric features (year buckets): value `v` falls in bucket `j` when `edges[j] ≤ v < edges[j+1]`;
 * below the first edge is bucket 0's left open end, at or above the last edge is the last bucket. Columns are
 * named `prefix + '[lo,hi)'`. NaN values (unknown) leave the row empty.
 */
export function bucketFeatures(
  map: IdMap,
  ids: ArrayLike<ExternalId>,
  values: ArrayLike<number>,
  edges: readonly number[],
  options: FeatureOptions = {},
): FeatureResult {
  const o = { ...FEATURE_DEFAULTS, ...options };
  if (edges.length < 2 || edges.some((e, j) => j > 0 && !(e > edges[j - 1]!))) {
    throw new ConfigError('edges must hold at least 2 strictly increasing numbers', 'edges');
  }
  const names: string[] = [];
  for (let j = 0; j + 1 < edges.length; j++) names.push(`${o.prefix}[${edges[j]},${edges[j + 1]})`);
  const { rows, added } = rowIndices(map, ids, o);
  return result(map, names, rows, added, (out, base, k) => {
    const v = values[k]!;
    if (Number.isNaN(v)) return;
    let j = 0;
    while (j + 1 < names.length && v >= edges[j + 1]!) j++;
    out[base + j] = 1;
  });
}

/**
 * Concatenates feature matrices column-wise. Matrices built before the id map grew have fewer rows; they are
 * padded with zero rows, so every result row is the entity with that dense index.
 */
export function concatFeatures(...matrices: readonly FeatureMatrix[]): FeatureMatrix {
  if (matrices.length === 0) throw new ConfigError('concatFeatures needs at least one matrix');
  const rows = Math.max(...matrices.map((m) => m.rows));
  const dim = matrices.reduce((s, m) => s + m.dim, 0);
  const names = matrices.flatMap((m) => m.names);
  if (new Set(names).size !== names.length) {
    throw new DataError(`feature names repeat across matrices (${names.join(', ')}); use distinct prefixes`);
  }
  const values = new Float32Array(rows * dim);
  let off = 0;
  for (const m of matrices) {
    for (let r = 0; r < m.rows; r++) {
      for (let d = 0; d < m.dim; d++) values[r * dim + off + d] = m.values[r * m.dim + d]!;
    }
    off += m.dim;
  }
  return { names, rows, dim, values };
}

/** A matrix with exactly `rows` rows (zero rows appended), e.g. after the id map grew. */
export function padFeatures(matrix: FeatureMatrix, rows: number): FeatureMatrix {
  if (rows < matrix.rows) throw new DataError(`cannot pad ${matrix.rows} feature rows down to ${rows}`);
  if (rows === matrix.rows) return matrix;
  const values = new Float32Array(rows * matrix.dim);
  values.set(matrix.values);
  return { names: matrix.names, rows, dim: matrix.dim, values };
}
