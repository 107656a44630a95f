import { readFile } from 'node:fs/promises';
import type { Table, Vector } from 'apache-arrow';
import { tableFromIPC } from 'apache-arrow';
import { DataError } from '@ncf/core/base';
import { IdMap } from './id-map.js';
import type { ExternalId } from './id-map.js';
import type { Interactions } from './interactions.js';
import { interactionsFromArrays } from './interactions.js';

/** Options of {@link fromArrowTable} and {@link readArrowIpc}. */
export interface FromArrowOptions {
  /** Column holding user ids. Default `'user'`. */
  readonly userColumn?: string;
  /** Column holding item ids. Default `'item'`. */
  readonly itemColumn?: string;
  /** Column holding ratings; default `'rating'` when present, `null` for none. */
  readonly ratingColumn?: string | null;
  /** Column holding timestamps; default `'timestamp'` when present, `null` for none. */
  readonly timestampColumn?: string | null;
  /**
   * `true` when user/item columns already hold dense int32 indices `0..n-1` (then no id lookup happens and
   * the id maps default to identity). Default `false`: values are external ids mapped through the id maps.
   */
  readonly dense?: boolean;
  /** Id maps to index through (grown with new ids unless `unknownIds` is `'error'`). */
  readonly userIds?: IdMap;
  readonly itemIds?: IdMap;
  /** What to do with an id missing from a given id map: add it (default) or throw. */
  readonly unknownIds?: 'add' | 'error';
  /** File name for error messages. */
  readonly file?: string;
}

/** Defaults of {@link FromArrowOptions}. */
export const FROM_ARROW_DEFAULTS = {
  userColumn: 'user',
  itemColumn: 'item',
  dense: false,
  unknownIds: 'add',
} as const;

function column(table: Table, name: string, file: string | undefined): Vector {
  const v = table.getChild(name);
  if (!v) {
    const names = table.schema.fields.map((f) => f.name).join(', ');
    throw new DataError(`Arrow table has no column '${name}' (columns: ${names})`, { file });
  }
  return v;
}

function toFloat64(v: Vector, name: string, file: string | undefined): Float64Array {
  const arr = v.toArray() as ArrayLike<number | bigint | null>;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = arr[i];
    const num = typeof x === 'bigint' ? Number(x) : (x as number | null);
    if (num === null || num === undefined || !Number.isFinite(num) || (v.nullCount > 0 && !v.isValid(i))) {
      throw new DataError(`column '${name}' row ${i} is ${String(x)}; expected a finite number`, { file });
    }
    out[i] = num;
  }
  return out;
}

function indexColumn(
  v: Vector,
  name: string,
  map: IdMap,
  unknown: 'add' | 'error',
  file: string | undefined,
): Int32Array {
  const out = new Int32Array(v.length);
  const isInt = typeof v.type.typeId === 'number' && String(v.type).startsWith('Int');
  const arr = isInt ? (v.toArray() as ArrayLike<number | bigint>) : undefined;
  for (let i = 0; i < v.length; i++) {
    if (v.nullCount > 0 && !v.isValid(i))
      throw new DataError(`column '${name}' row ${i} is null; expected an id`, { file });
    let id = (arr ? arr[i] : v.get(i)) as ExternalId | bigint;
    if (typeof id === 'bigint') {
      if (id > BigInt(Number.MAX_SAFE_INTEGER) || id < -BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new DataError(
          `column '${name}' row ${i} holds id ${id}, beyond 2^53; expected a safe integer`,
          { file },
        );
      }
      id = Number(id);
    }
    let k = map.indexOf(id);
    if (k < 0) {
      if (unknown === 'error')
        throw new DataError(
          `column '${name}' row ${i}: ${map.kind} id ${JSON.stringify(id)} is not in the id map`,
          { file },
        );
      k = map.add(id);
    }
    out[i] = k;
  }
  return out;
}

/**
 * Builds {@link Interactions} from an Arrow table (any column names, see {@link FromArrowOptions}).
 * Int64 timestamps become float64; ratings become float32. Nulls are an error.
 */
export function fromArrowTable(table: Table, options: FromArrowOptions = {}): Interactions {
  const o = { ...FROM_ARROW_DEFAULTS, ...options };
  const file = o.file;
  const uv = column(table, o.userColumn, file);
  const iv = column(table, o.itemColumn, file);
  const ratingName =
    o.ratingColumn === undefined ? (table.getChild('rating') ? 'rating' : null) : o.ratingColumn;
  const tsName =
    o.timestampColumn === undefined ? (table.getChild('timestamp') ? 'timestamp' : null) : o.timestampColumn;
  const ratings = ratingName
    ? Float32Array.from(toFloat64(column(table, ratingName, file), ratingName, file))
    : undefined;
  const timestamps = tsName ? toFloat64(column(table, tsName, file), tsName, file) : undefined;
  if (o.dense) {
    const toInt32 = (v: Vector, name: string): Int32Array => {
      const f = toFloat64(v, name, file);
      const out = new Int32Array(f.length);
      for (let i = 0; i < f.length; i++) {
        const x = f[i] as number;
        if (!Number.isInteger(x) || x < 0 || x > 2147483647) {
          throw new DataError(`column '${name}' row ${i} is ${x}; expected a dense int32 index ≥ 0`, {
            file,
          });
        }
        out[i] = x;
      }
      return out;
    };
    return interactionsFromArrays(
      { users: toInt32(uv, o.userColumn), items: toInt32(iv, o.itemColumn), ratings, timestamps },
      { userIds: o.userIds, itemIds: o.itemIds },
    );
  }
  const userIds = o.userIds ?? new IdMap('user');
  const itemIds = o.itemIds ?? new IdMap('item');
  const users = indexColumn(uv, o.userColumn, userIds, o.unknownIds, file);
  const items = indexColumn(iv, o.itemColumn, itemIds, o.unknownIds, file);
  return interactionsFromArrays({ users, items, ratings, timestamps }, { userIds, itemIds, trusted: true });
}

/** Reads an Arrow IPC file (file or stream format) and builds {@link Interactions} with {@link fromArrowTable}. */
export async function readArrowIpc(path: string, options: FromArrowOptions = {}): Promise<Interactions> {
  const bytes = await readFile(path);
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (cause) {
    throw new DataError(
      `not a readable Arrow IPC file (${(cause as Error).message})`,
      { file: path },
      { cause },
    );
  }
  return fromArrowTable(table, { file: path, ...options });
}
