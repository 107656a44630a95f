import { DataError, tf } from '@ncf/core';
import { checkIds } from './check-ids.js';

/**
 * Scoring from a table of final node embeddings `[numUsers + numItems, dim]` (users first, row-major) by dot
 * product, shared by the dot-product graph models (LightGCN, NGCF): aligned pairs in one pass over the rows,
 * all items in one matrix product.
 */
export interface NodeTable {
  readonly values: Float32Array;
  readonly numUsers: number;
  readonly numItems: number;
  readonly dim: number;
}

/** `e_u · e_i` for aligned `(users[b], items[b])`; ids are checked (DataError naming the array and position). */
export function dotScores(table: NodeTable, users: Int32Array, items: Int32Array): Float32Array {
  if (users.length !== items.length) {
    throw new DataError(`score: users has ${users.length} entries but items has ${items.length}`);
  }
  checkIds(users, table.numUsers, 'users');
  checkIds(items, table.numItems, 'items');
  const { values, dim } = table;
  const itemBase = table.numUsers * dim;
  const out = new Float32Array(users.length);
  for (let b = 0; b < users.length; b++) {
    const uo = users[b]! * dim;
    const io = itemBase + items[b]! * dim;
    let s = 0;
    for (let k = 0; k < dim; k++) s += values[uo + k]! * values[io + k]!;
    out[b] = s;
  }
  return out;
}

/**
 * Scores of every item for each row of `queries` (`rows × dim`, row-major): `queries · itemsᵀ` as one matrix
 * product, `rows × numItems` row-major.
 */
export function dotAllItems(table: NodeTable, queries: Float32Array, rows: number): Float32Array {
  const { numUsers, numItems, dim } = table;
  const items = table.values.subarray(numUsers * dim, (numUsers + numItems) * dim);
  const scores = tf.tidy(() =>
    tf.matMul(tf.tensor2d(queries, [rows, dim]), tf.tensor2d(items, [numItems, dim]), false, true),
  );
  try {
    return scores.dataSync() as Float32Array;
  } finally {
    scores.dispose();
  }
}

/** Scores of every item for each of `users` (`users.length × numItems`, row-major): one matrix product. */
export function dotScoreAll(table: NodeTable, users: Int32Array): Float32Array {
  checkIds(users, table.numUsers, 'users');
  const { dim } = table;
  const rows = new Float32Array(users.length * dim);
  for (let b = 0; b < users.length; b++) {
    rows.set(table.values.subarray(users[b]! * dim, (users[b]! + 1) * dim), b * dim);
  }
  return dotAllItems(table, rows, users.length);
}
