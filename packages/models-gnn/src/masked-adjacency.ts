import { DataError } from '@ncf/core';
import type { Rng } from '@ncf/core';
import { createSparseOperator } from './csr-matmul.js';
import type { WeightedCsr, SparseOperator } from './csr-matmul.js';

/**
 * A bipartite graph's adjacency with edges removed per forward pass and the degree normalisation
 * recomputed over the edges that remain: entry `(r, c)` of weight `w` becomes `w / sqrt(deg_r · deg_c)`.
 * Graph NCF trains on it with the batch's own rating edges removed (target masking, so a prediction cannot
 * read its own label) and a random fraction of the others dropped (message dropout). Edges are undirected
 * pairs: both directions of a pair go together, each keeping its own (possibly different) weight.
 */
export interface MaskedAdjacency {
  /** Stored entries (both directions). */
  readonly entries: number;
  /** The operator over every edge (inference), built once. */
  full(): SparseOperator;
  /**
   * The operator with the pairs `(users[b], items[b])` removed (pairs not in the graph are ignored) and each
   * other pair dropped with probability `dropRate` (drawn from `rng`). O(entries + batch × log degree).
   */
  masked(
    users: Int32Array | undefined,
    items: Int32Array | undefined,
    dropRate: number,
    rng: Rng,
  ): SparseOperator;
  /** Entry index of `u → numUsers + i` in user `u`'s row, or −1 when the pair is not an edge. */
  findEdge(u: number, i: number): number;
}

/**
 * The mirror of every entry of a bipartite CSR (users first, `numUsers` rows, then items): `mirror[e]` is the
 * entry of the reverse direction. Needs sorted rows and one reverse entry per entry.
 * @throws DataError naming the first entry that is not bipartite or has no reverse.
 */
function mirrorOf(m: WeightedCsr, numUsers: number): Int32Array {
  const mirror = new Int32Array(m.indices.length).fill(-1);
  const cursor = m.offsets.slice(0, m.numRows);
  for (let u = 0; u < numUsers; u++) {
    for (let e = m.offsets[u]!; e < m.offsets[u + 1]!; e++) {
      const c = m.indices[e]!;
      if (c < numUsers)
        throw new DataError(`graph entry ${e}: user ${u} links to user ${c}, expected an item node`);
      const back = cursor[c]!++;
      if (back >= m.offsets[c + 1]! || m.indices[back] !== u) {
        throw new DataError(
          `graph entry ${e} (user ${u} → item ${c - numUsers}) has no reverse entry in the item's row; ` +
            "the graph must hold both directions of every pair with sorted rows (@ncf/datasets' centredGraph)",
        );
      }
      mirror[e] = back;
      mirror[back] = e;
    }
  }
  const missing = mirror.indexOf(-1);
  if (missing >= 0) throw new DataError(`graph entry ${missing} has no reverse entry in a user's row`);
  return mirror;
}

/** {@link MaskedAdjacency} of `m` (users first, `numUsers` rows, then items). */
export function createMaskedAdjacency(m: WeightedCsr, numUsers: number): MaskedAdjacency {
  const mirror = mirrorOf(m, numUsers);
  const userEntries = m.offsets[numUsers]!;
  const rowOf = new Int32Array(m.indices.length);
  for (let r = 0; r < m.numRows; r++) rowOf.fill(r, m.offsets[r]!, m.offsets[r + 1]!);
  let full: SparseOperator | undefined;

  const operator = (keep: Uint8Array | undefined): SparseOperator => {
    const deg = new Float64Array(m.numRows);
    for (let e = 0; e < m.indices.length; e++) if (keep === undefined || keep[e]) deg[rowOf[e]!]!++;
    const values = new Float32Array(m.indices.length);
    for (let e = 0; e < m.indices.length; e++) {
      if (keep !== undefined && !keep[e]) continue;
      // Both ends of a kept entry have degree ≥ 1.
      values[e] = m.values[e]! / Math.sqrt(deg[rowOf[e]!]! * deg[m.indices[e]!]!);
    }
    return createSparseOperator({ ...m, values });
  };

  const findEdge = (u: number, i: number): number => {
    const target = numUsers + i;
    let lo = m.offsets[u]!;
    let hi = m.offsets[u + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = m.indices[mid]!;
      if (c === target) return mid;
      if (c < target) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };

  return {
    entries: m.indices.length,
    full(): SparseOperator {
      full ??= operator(undefined);
      return full;
    },
    masked(users, items, dropRate, rng): SparseOperator {
      const keep = new Uint8Array(m.indices.length);
      for (let e = 0; e < userEntries; e++) {
        const k = dropRate > 0 && rng.next() < dropRate ? 0 : 1;
        keep[e] = k;
        keep[mirror[e]!] = k;
      }
      if (users !== undefined && items !== undefined) {
        for (let b = 0; b < users.length; b++) {
          const e = findEdge(users[b]!, items[b]!);
          if (e >= 0) {
            keep[e] = 0;
            keep[mirror[e]!] = 0;
          }
        }
      }
      return operator(keep);
    },
    findEdge,
  };
}
