import type { Table } from 'apache-arrow';
import { makeTable } from 'apache-arrow';
import { DataError } from '@ncf/core/base';
import { IdMap } from './id-map.js';
import type { ExternalId } from './id-map.js';

/**
 * User–item interactions held columnar in an Arrow table with columns `user` (int32, dense index),
 * `item` (int32, dense index), optional `rating` (float32) and optional `timestamp` (float64, seconds or any
 * monotone unit; float64 holds every integer below 2^53 exactly). The typed-array accessors are zero-copy
 * views of the table's buffers. Id maps translate dense indices to external ids; `numUsers`/`numItems` are
 * the id maps' sizes, so users or items known only from features (cold start) count too.
 *
 * Treat every array as read-only: interactions are immutable and shared between splits.
 */
export interface Interactions {
  /** The Arrow table (columns `user`, `item`, and `rating`/`timestamp` when present). */
  readonly table: Table;
  /** Number of interactions (rows). */
  readonly length: number;
  /**
   * Number of users (= `userIds.size`, live: a feature builder that adds cold-start users grows it, so build
   * features before structures sized by it, such as {@link userItemsCsr}).
   */
  readonly numUsers: number;
  /** Number of items (= `itemIds.size`, live like `numUsers`). */
  readonly numItems: number;
  /** Dense user index per interaction. */
  readonly users: Int32Array;
  /** Dense item index per interaction. */
  readonly items: Int32Array;
  /** Rating per interaction, when explicit. */
  readonly ratings: Float32Array | undefined;
  /** Timestamp per interaction, when known. */
  readonly timestamps: Float64Array | undefined;
  /** External user ids. */
  readonly userIds: IdMap;
  /** External item ids. */
  readonly itemIds: IdMap;
}

/** Columns of interactions with dense indices. */
export interface InteractionColumns {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings?: Float32Array | undefined;
  readonly timestamps?: Float64Array | undefined;
}

/** Options of {@link interactionsFromArrays}. */
export interface FromArraysOptions {
  /** External user ids; defaults to the identity map over `numUsers`. Its size is the number of users. */
  readonly userIds?: IdMap | undefined;
  /** External item ids; defaults to the identity map over `numItems`. */
  readonly itemIds?: IdMap | undefined;
  /** Number of users when `userIds` is not given; defaults to `max(users) + 1`. */
  readonly numUsers?: number | undefined;
  /** Number of items when `itemIds` is not given; defaults to `max(items) + 1`. */
  readonly numItems?: number | undefined;
  /** Skip the range and finiteness checks (internal fast path for arrays produced by this package). */
  readonly trusted?: boolean | undefined;
}

function maxPlusOne(a: Int32Array): number {
  let m = -1;
  for (let i = 0; i < a.length; i++) if ((a[i] as number) > m) m = a[i] as number;
  return m + 1;
}

function checkRange(a: Int32Array, n: number, what: string): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    if (v < 0 || v >= n) {
      throw new DataError(`${what} index at row ${i} is ${v}; expected an integer in [0, ${n})`);
    }
  }
}

/**
 * Builds interactions from typed arrays of dense indices (zero-copy: the arrays become the Arrow buffers).
 * Throws {@link DataError} when lengths differ, an index is out of range, or a rating/timestamp is not finite.
 */
export function interactionsFromArrays(
  columns: InteractionColumns,
  options: FromArraysOptions = {},
): Interactions {
  const { users, items, ratings, timestamps } = columns;
  const n = users.length;
  if (items.length !== n)
    throw new DataError(`items has ${items.length} rows, users has ${n}; expected equal lengths`);
  if (ratings && ratings.length !== n)
    throw new DataError(`ratings has ${ratings.length} rows, expected ${n}`);
  if (timestamps && timestamps.length !== n) {
    throw new DataError(`timestamps has ${timestamps.length} rows, expected ${n}`);
  }
  const numUsers = options.userIds?.size ?? options.numUsers ?? maxPlusOne(users);
  const numItems = options.itemIds?.size ?? options.numItems ?? maxPlusOne(items);
  if (!options.trusted) {
    checkRange(users, numUsers, 'user');
    checkRange(items, numItems, 'item');
    if (ratings) {
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(ratings[i]))
          throw new DataError(`rating at row ${i} is ${ratings[i]}; expected a finite number`);
      }
    }
    if (timestamps) {
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(timestamps[i])) {
          throw new DataError(`timestamp at row ${i} is ${timestamps[i]}; expected a finite number`);
        }
      }
    }
  }
  const userIds = options.userIds ?? IdMap.identity(numUsers, 'user');
  const itemIds = options.itemIds ?? IdMap.identity(numItems, 'item');
  const cols: Record<string, Int32Array | Float32Array | Float64Array> = { user: users, item: items };
  if (ratings) cols.rating = ratings;
  if (timestamps) cols.timestamp = timestamps;
  const table = makeTable(cols) as unknown as Table;
  return {
    table,
    length: n,
    get numUsers() {
      return userIds.size;
    },
    get numItems() {
      return itemIds.size;
    },
    users,
    items,
    ratings,
    timestamps,
    userIds,
    itemIds,
  };
}

/** Columns of interactions with external ids. */
export interface ExternalIdColumns {
  readonly users: ArrayLike<ExternalId>;
  readonly items: ArrayLike<ExternalId>;
  readonly ratings?: ArrayLike<number> | undefined;
  readonly timestamps?: ArrayLike<number> | undefined;
}

/**
 * Builds interactions from external ids (e.g. a custom source's records), indexing them through the given
 * id maps (grown with new ids) or fresh ones (dense index = order of first appearance).
 */
export function interactionsFromIds(
  columns: ExternalIdColumns,
  options: { userIds?: IdMap; itemIds?: IdMap } = {},
): Interactions {
  const n = columns.users.length;
  if (columns.items.length !== n) {
    throw new DataError(`items has ${columns.items.length} rows, users has ${n}; expected equal lengths`);
  }
  const userIds = options.userIds ?? new IdMap('user');
  const itemIds = options.itemIds ?? new IdMap('item');
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    users[i] = userIds.add(columns.users[i] as ExternalId);
    items[i] = itemIds.add(columns.items[i] as ExternalId);
  }
  return interactionsFromArrays(
    {
      users,
      items,
      ratings: columns.ratings ? Float32Array.from(columns.ratings) : undefined,
      timestamps: columns.timestamps ? Float64Array.from(columns.timestamps) : undefined,
    },
    { userIds, itemIds },
  );
}

/**
 * The interactions at `rows` (in that order), sharing the id maps. Used by splits and filters.
 * `rows` must hold valid row indices.
 */
export function selectRows(interactions: Interactions, rows: Int32Array | Uint32Array): Interactions {
  const m = rows.length;
  const users = new Int32Array(m);
  const items = new Int32Array(m);
  const src = interactions;
  for (let k = 0; k < m; k++) {
    const r = rows[k] as number;
    users[k] = src.users[r] as number;
    items[k] = src.items[r] as number;
  }
  let ratings: Float32Array | undefined;
  if (src.ratings) {
    ratings = new Float32Array(m);
    for (let k = 0; k < m; k++) ratings[k] = src.ratings[rows[k] as number] as number;
  }
  let timestamps: Float64Array | undefined;
  if (src.timestamps) {
    timestamps = new Float64Array(m);
    for (let k = 0; k < m; k++) timestamps[k] = src.timestamps[rows[k] as number] as number;
  }
  return interactionsFromArrays(
    { users, items, ratings, timestamps },
    { userIds: src.userIds, itemIds: src.itemIds, trusted: true },
  );
}

/** Interactions with the same rows but other ratings (e.g. implicit 1s), sharing id maps and index columns. */
export function withRatings(interactions: Interactions, ratings: Float32Array | undefined): Interactions {
  return interactionsFromArrays(
    { users: interactions.users, items: interactions.items, ratings, timestamps: interactions.timestamps },
    { userIds: interactions.userIds, itemIds: interactions.itemIds },
  );
}
