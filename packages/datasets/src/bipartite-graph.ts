import { DataError, type GraphInfo, type GraphNormalization } from '@ncf/core/base';
import { UndirectedGraph } from 'graphology';
import type { Interactions } from './interactions.js';
import { seenItems } from './negative-sampler.js';
import { userItemsCsr } from './user-items-csr.js';

/** Node attributes of the bipartite graph. */
export interface BipartiteNode {
  readonly kind: 'user' | 'item';
  /** Dense index within its kind. */
  readonly index: number;
}

/** Edge attributes of the bipartite graph. */
export interface BipartiteEdge {
  /** The rating (last one for repeated pairs), or 1 without ratings. */
  readonly weight: number;
}

/** Node key of user `u` (`'u:3'`) and item `i` (`'i:7'`). */
export const userNode = (u: number): string => `u:${u}`;
export const itemNode = (i: number): string => `i:${i}`;

/**
 * The user–item bipartite graph as a graphology undirected graph: typed nodes (`kind`, `index`) for every
 * user and item (isolated ones too), one edge per distinct pair weighted by the rating. Handy for graph
 * algorithms and inspection; message passing uses {@link graphInfo}, built straight from typed arrays because a
 * graphology graph costs a few hundred bytes per edge.
 */
export function bipartiteGraph(interactions: Interactions): UndirectedGraph<BipartiteNode, BipartiteEdge> {
  const g = new UndirectedGraph<BipartiteNode, BipartiteEdge>({ multi: false, allowSelfLoops: false });
  for (let u = 0; u < interactions.numUsers; u++) g.addNode(userNode(u), { kind: 'user', index: u });
  for (let i = 0; i < interactions.numItems; i++) g.addNode(itemNode(i), { kind: 'item', index: i });
  const r = interactions.ratings;
  for (let k = 0; k < interactions.length; k++) {
    g.mergeEdge(userNode(interactions.users[k]!), itemNode(interactions.items[k]!), {
      weight: r ? r[k]! : 1,
    });
  }
  return g;
}

/** Options of {@link graphInfo}. */
export interface GraphInfoOptions {
  /** Edge weights before normalisation: `'binary'` (1, as LightGCN/NGCF) or `'rating'`. Default `'binary'`. */
  readonly weights?: 'binary' | 'rating';
  /** `'symmetric'`: `w / sqrt(d_u d_i)`; `'none'`: the raw edge weights. Default `'symmetric'`. */
  readonly normalization?: GraphNormalization;
}

/** Defaults of {@link GraphInfoOptions}. */
export const GRAPH_INFO_DEFAULTS = Object.freeze({
  weights: 'binary',
  normalization: 'symmetric',
} as const satisfies Required<GraphInfoOptions>);

function checkNormalization(n: unknown): GraphNormalization {
  if (n !== 'symmetric' && n !== 'none') {
    throw new DataError(`graph normalization must be 'symmetric' or 'none', got ${JSON.stringify(n)}`);
  }
  return n;
}

/**
 * Core's {@link GraphInfo}: symmetric adjacency over `numUsers + numItems` nodes (users first, then items at
 * `numUsers + i`) in CSR, one entry per distinct pair in each direction (columns sorted within a row),
 * weighted by `w_ui / sqrt(d_u · d_i)` where `d` is the (weighted) degree — the normalisation of GCN (Kipf &
 * Welling, 2017) used by NGCF (Wang et al., 2019) and LightGCN (He et al., 2020) — or by `w_ui` with
 * `normalization: 'none'`. Isolated nodes have no entries. Repeated pairs count once (rating: the last one).
 */
export function graphInfo(interactions: Interactions, options: GraphInfoOptions = {}): GraphInfo {
  const mode = options.weights ?? GRAPH_INFO_DEFAULTS.weights;
  const normalization = checkNormalization(options.normalization ?? GRAPH_INFO_DEFAULTS.normalization);
  if (mode === 'rating' && !interactions.ratings)
    throw new DataError("graph weights 'rating' need interactions with ratings");
  const U = interactions.numUsers;
  const I = interactions.numItems;
  const seen = seenItems(interactions);
  const m = seen.indices.length;
  // weight of each distinct (u, i): last rating in input order
  const w = new Float64Array(m);
  if (mode === 'binary') w.fill(1);
  else {
    const csr = userItemsCsr(interactions);
    const r = interactions.ratings as Float32Array;
    let p = -1;
    for (let u = 0; u < U; u++) {
      let prev = -1;
      for (let j = csr.offsets[u]!; j < csr.offsets[u + 1]!; j++) {
        if (csr.indices[j] !== prev) p++;
        prev = csr.indices[j]!;
        w[p] = r[csr.rows[j]!]!;
      }
    }
  }
  const deg = new Float64Array(U + I);
  const itemCount = new Int32Array(I + 1);
  for (let u = 0; u < U; u++) {
    for (let j = seen.offsets[u]!; j < seen.offsets[u + 1]!; j++) {
      const i = seen.indices[j]!;
      deg[u]! += w[j]!;
      deg[U + i]! += w[j]!;
      itemCount[i + 1]! += 1;
    }
  }
  const numNodes = U + I;
  const offsets = new Int32Array(numNodes + 1);
  for (let u = 0; u < U; u++) offsets[u + 1] = offsets[u]! + (seen.offsets[u + 1]! - seen.offsets[u]!);
  for (let i = 0; i < I; i++) offsets[U + i + 1] = offsets[U + i]! + itemCount[i + 1]!;
  const neighbors = new Int32Array(2 * m);
  const weights = new Float32Array(2 * m);
  const cursor = offsets.slice(U, numNodes);
  const symmetric = normalization === 'symmetric';
  for (let u = 0; u < U; u++) {
    for (let j = seen.offsets[u]!; j < seen.offsets[u + 1]!; j++) {
      const i = seen.indices[j]!;
      const v = symmetric ? w[j]! / Math.sqrt(deg[u]! * deg[U + i]!) : w[j]!;
      const pu = offsets[u]! + (j - seen.offsets[u]!);
      neighbors[pu] = U + i;
      weights[pu] = v;
      const pi = cursor[i]!++;
      neighbors[pi] = u; // users visited in ascending order, so item rows stay sorted
      weights[pi] = v;
    }
  }
  return {
    numRows: numNodes,
    numCols: numNodes,
    offsets,
    indices: neighbors,
    values: weights,
    normalization,
  };
}

/** The same adjacency read from a {@link bipartiteGraph} (for graphs edited with graphology). */
export function graphInfoFromGraph(
  graph: UndirectedGraph<BipartiteNode, BipartiteEdge>,
  numUsers: number,
  numItems: number,
  options: GraphInfoOptions = {},
): GraphInfo {
  const mode = options.weights ?? GRAPH_INFO_DEFAULTS.weights;
  const normalization = checkNormalization(options.normalization ?? GRAPH_INFO_DEFAULTS.normalization);
  const numNodes = numUsers + numItems;
  const nodeIndex = (key: string): number => {
    const a = graph.getNodeAttributes(key);
    return a.kind === 'user' ? a.index : numUsers + a.index;
  };
  const deg = new Float64Array(numNodes);
  graph.forEachEdge((_e, attr, s, t) => {
    const wt = mode === 'binary' ? 1 : attr.weight;
    deg[nodeIndex(s)]! += wt;
    deg[nodeIndex(t)]! += wt;
  });
  const lists: { n: number; w: number }[][] = Array.from({ length: numNodes }, () => []);
  graph.forEachEdge((_e, attr, s, t) => {
    const a = nodeIndex(s);
    const b = nodeIndex(t);
    const raw = mode === 'binary' ? 1 : attr.weight;
    const wt = normalization === 'symmetric' ? raw / Math.sqrt(deg[a]! * deg[b]!) : raw;
    lists[a]!.push({ n: b, w: wt });
    lists[b]!.push({ n: a, w: wt });
  });
  const offsets = new Int32Array(numNodes + 1);
  for (let v = 0; v < numNodes; v++) offsets[v + 1] = offsets[v]! + lists[v]!.length;
  const neighbors = new Int32Array(offsets[numNodes]!);
  const weights = new Float32Array(offsets[numNodes]!);
  for (let v = 0; v < numNodes; v++) {
    const l = lists[v]!.sort((x, y) => x.n - y.n);
    l.forEach((e, j) => {
      neighbors[offsets[v]! + j] = e.n;
      weights[offsets[v]! + j] = e.w;
    });
  }
  return {
    numRows: numNodes,
    numCols: numNodes,
    offsets,
    indices: neighbors,
    values: weights,
    normalization,
  };
}

/** Edge-index (COO) form of a {@link GraphInfo}: `sources[k] → targets[k]` with `weights[k]`. */
export function edgeIndex(graph: GraphInfo): {
  sources: Int32Array;
  targets: Int32Array;
  weights: Float32Array;
} {
  const sources = new Int32Array(graph.indices.length);
  for (let v = 0; v < graph.numRows; v++) sources.fill(v, graph.offsets[v]!, graph.offsets[v + 1]!);
  return { sources, targets: graph.indices, weights: graph.values };
}
