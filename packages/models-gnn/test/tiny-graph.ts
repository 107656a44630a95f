import type { DatasetInfo, GraphInfo } from '@ncf/core';

/**
 * Test-only: the symmetric-normalised bipartite graph of `(user, item)` edges as CSR over users then items,
 * the way @ncf/datasets hands it to models (the package itself never builds graphs).
 */
export function tinyGraph(
  numUsers: number,
  numItems: number,
  users: ArrayLike<number>,
  items: ArrayLike<number>,
): GraphInfo {
  const nodes = numUsers + numItems;
  const deg = new Float64Array(nodes);
  for (let e = 0; e < users.length; e++) {
    deg[users[e]!]!++;
    deg[numUsers + items[e]!]!++;
  }
  const lists: Array<Array<[number, number]>> = Array.from({ length: nodes }, () => []);
  for (let e = 0; e < users.length; e++) {
    const u = users[e]!;
    const i = numUsers + items[e]!;
    const w = 1 / Math.sqrt(deg[u]! * deg[i]!);
    lists[u]!.push([i, w]);
    lists[i]!.push([u, w]);
  }
  const offsets = new Int32Array(nodes + 1);
  const neighbors: number[] = [];
  const weights: number[] = [];
  lists.forEach((list, n) => {
    list.sort((a, b) => a[0] - b[0]);
    for (const [j, w] of list) {
      neighbors.push(j);
      weights.push(w);
    }
    offsets[n + 1] = neighbors.length;
  });
  return {
    numRows: nodes,
    numCols: nodes,
    offsets,
    indices: Int32Array.from(neighbors),
    values: Float32Array.from(weights),
    normalization: 'symmetric',
  };
}

/** Dataset info with the tiny graph attached. */
export function tinyInfo(
  numUsers: number,
  numItems: number,
  users: ArrayLike<number>,
  items: ArrayLike<number>,
): DatasetInfo {
  return { numUsers, numItems, graph: tinyGraph(numUsers, numItems, users, items) };
}

/**
 * A small implicit-feedback dataset with structure to learn: users and items fall into `groups` clusters and
 * each user interacts with `perUser` random items of its own cluster. Deterministic in `seed` (an LCG).
 */
export function clusteredInteractions(
  numUsers: number,
  numItems: number,
  groups: number,
  perUser: number,
  seed: number,
): { users: Int32Array; items: Int32Array } {
  let s = seed >>> 0 || 1;
  const rand = (n: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const users: number[] = [];
  const items: number[] = [];
  const groupItems = Math.floor(numItems / groups);
  for (let u = 0; u < numUsers; u++) {
    const g = u % groups;
    const chosen = new Set<number>();
    while (chosen.size < perUser) chosen.add(g * groupItems + rand(groupItems));
    for (const i of [...chosen].sort((a, b) => a - b)) {
      users.push(u);
      items.push(i);
    }
  }
  return { users: Int32Array.from(users), items: Int32Array.from(items) };
}
