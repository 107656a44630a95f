import { DataError } from '@ncf/core';
import type { GraphInfo, UserHistory } from '@ncf/core';
import { checkIds } from './check-ids.js';
import { dotAllItems } from './dot-scores.js';
import type { NodeTable } from './dot-scores.js';

/**
 * Inductive scoring for dot-product graph models (LightGCN, NGCF): a node that was not in training gets its
 * final embedding from one propagation step over the trained final embeddings of its neighbours, weighted as
 * the graph's rows are, `z_new = Σ_{j ∈ N} z_j / sqrt(|N| · d_j)` (the symmetric `1/sqrt(d_u d_i)` of GCN,
 * Kipf & Welling 2017, with `d_j` the neighbour's training degree). No retraining and no gradient step: the
 * model's own users satisfy `Σ_i Â_ui z_i = Σ_k α_k e_u⁽ᵏ⁺¹⁾`, LightGCN's combination shifted by one layer, so
 * a training user's own history reproduces their ranking closely (tests check it).
 */

/** Number of stored entries of every node's row (its degree in an unweighted graph). */
export function nodeDegrees(graph: GraphInfo): Int32Array {
  const deg = new Int32Array(graph.numRows);
  for (let n = 0; n < graph.numRows; n++) deg[n] = graph.offsets[n + 1]! - graph.offsets[n]!;
  return deg;
}

/**
 * `Σ_{j ∈ ids} z_j / sqrt(|ids| · max(d_j, 1))` over the distinct `ids` (dense ids of one side: items when
 * `side` is `item`, else users), as a `dim` vector; zeros for no ids. A neighbour that was isolated in
 * training (`d_j = 0`) counts with degree 1. O(|ids| × dim).
 * @throws DataError naming the position of an id out of range.
 */
export function foldInNode(
  table: NodeTable,
  degrees: Int32Array,
  ids: Int32Array,
  side: 'user' | 'item',
  field = 'history.items',
): Float32Array {
  const count = side === 'item' ? table.numItems : table.numUsers;
  checkIds(ids, count, field);
  const base = side === 'item' ? table.numUsers : 0;
  const distinct = [...new Set(ids)];
  const { dim, values } = table;
  const out = new Float32Array(dim);
  if (distinct.length === 0) return out;
  for (const j of distinct) {
    const node = base + j;
    const w = 1 / Math.sqrt(distinct.length * Math.max(degrees[node]!, 1));
    const o = node * dim;
    for (let k = 0; k < dim; k++) out[k]! += w * values[o + k]!;
  }
  return out;
}

/**
 * Scores of `items` (default every item, in index order) for a user given only by `history`, through
 * {@link foldInNode}. The history's values are ignored: the graph these models propagate over is unweighted.
 * An empty history scores 0 everywhere (callers such as core's `scoreNewUser` fall back to popularity).
 * @throws DataError for mismatched lengths or ids out of range.
 */
export function scoreHistoryByPropagation(
  table: NodeTable,
  degrees: Int32Array,
  history: UserHistory,
  items?: Int32Array,
): Float32Array {
  if (history.values.length !== history.items.length) {
    throw new DataError(
      `history.values has ${history.values.length} entries but history.items has ${history.items.length}`,
    );
  }
  const user = foldInNode(table, degrees, history.items, 'item');
  const all = dotAllItems(table, user, 1);
  if (items === undefined) return all;
  checkIds(items, table.numItems, 'items');
  return Float32Array.from(items, (i) => all[i]!);
}
