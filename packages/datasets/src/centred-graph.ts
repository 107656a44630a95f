import type { GraphInfo } from '@ncf/core/base';
import { DataError } from '@ncf/core/base';
import type { Interactions } from './interactions.js';

/** Options of {@link centredGraph}. */
export interface CentredGraphOptions {
  /**
   * Midpoint `m` of the rating scale, which shrinks each mean towards it: `(mean + m) / 2`. Default 3 (the
   * 1–5 MovieLens scale); the seed used 2.5 on its 0.5–5 scale.
   */
  readonly midpoint?: number;
}

/** Defaults of {@link CentredGraphOptions}. */
export const CENTRED_GRAPH_DEFAULTS = Object.freeze({ midpoint: 3 } as const);

/**
 * Name of the dataset input that carries {@link centredGraph} (Graph NCF reads it); `datasetInfoFor` builds it
 * from the training ratings when a spec names it.
 */
export const CENTRED_GRAPH_INPUT = 'centredGraph';

/**
 * The seed's Graph NCF graph: signed, directed edge weights from centred ratings, not degree-normalised
 * (the model normalises by the degrees left after masking and dropout). Nodes are users `0..numUsers−1`,
 * then item `i` at `numUsers + i`; row `r` lists the messages *into* node `r`:
 *
 * - item row `i`, user column `u`: `w_ui = r_ui − (r̄_u + m) / 2` (the rating centred on the user's mean,
 *   shrunk towards the midpoint `m`), the weight of the message `u → i`;
 * - user row `u`, item column `i`: `w_iu = r_ui − (r̄_i + m) / 2`, the message `i → u`.
 *
 * Below-average ratings send negative messages. Means are over the training ratings (distinct pairs); a
 * repeated pair counts once with its last rating. Without ratings (implicit data) every weight is 1. Columns
 * are sorted within each row; isolated users and items have empty rows. O(n log n) for n interactions.
 *
 * @throws DataError when `midpoint` is not finite or a rating is not finite.
 */
export function centredGraph(interactions: Interactions, options: CentredGraphOptions = {}): GraphInfo {
  const midpoint = options.midpoint ?? CENTRED_GRAPH_DEFAULTS.midpoint;
  if (!Number.isFinite(midpoint)) {
    throw new DataError(`centredGraph: midpoint must be a finite number, got ${midpoint}`);
  }
  const U = interactions.numUsers;
  const I = interactions.numItems;
  const n = interactions.length;
  const { users, items, ratings } = interactions;
  // Distinct pairs in (user, item) order, the last rating of each.
  const order = Int32Array.from({ length: n }, (_, k) => k);
  order.sort((a, b) => users[a]! - users[b]! || items[a]! - items[b]! || a - b);
  const pu: number[] = [];
  const pi: number[] = [];
  const pr: number[] = [];
  for (let k = 0; k < n; k++) {
    const e = order[k]!;
    const r = ratings ? ratings[e]! : 1;
    if (!Number.isFinite(r)) throw new DataError(`centredGraph: ratings[${e}] = ${r} is not finite`);
    const last = pu.length - 1;
    if (last >= 0 && pu[last] === users[e] && pi[last] === items[e]) pr[last] = r;
    else {
      pu.push(users[e]!);
      pi.push(items[e]!);
      pr.push(r);
    }
  }
  const m = pu.length;
  const userSum = new Float64Array(U);
  const itemSum = new Float64Array(I);
  const userCount = new Int32Array(U);
  const itemCount = new Int32Array(I);
  for (let p = 0; p < m; p++) {
    userSum[pu[p]!]! += pr[p]!;
    itemSum[pi[p]!]! += pr[p]!;
    userCount[pu[p]!]!++;
    itemCount[pi[p]!]!++;
  }
  const numNodes = U + I;
  const offsets = new Int32Array(numNodes + 1);
  for (let u = 0; u < U; u++) offsets[u + 1] = offsets[u]! + userCount[u]!;
  for (let i = 0; i < I; i++) offsets[U + i + 1] = offsets[U + i]! + itemCount[i]!;
  const neighbors = new Int32Array(2 * m);
  const weights = new Float32Array(2 * m);
  const cursor = offsets.slice(0, numNodes);
  for (let p = 0; p < m; p++) {
    const u = pu[p]!;
    const i = pi[p]!;
    const r = pr[p]!;
    const intoItem = ratings ? r - (userSum[u]! / userCount[u]! + midpoint) / 2 : 1;
    const intoUser = ratings ? r - (itemSum[i]! / itemCount[i]! + midpoint) / 2 : 1;
    // Pairs come in (user, item) order: user rows get items ascending, item rows users ascending.
    const a = cursor[u]!++;
    neighbors[a] = U + i;
    weights[a] = intoUser;
    const b = cursor[U + i]!++;
    neighbors[b] = u;
    weights[b] = intoItem;
  }
  return {
    numRows: numNodes,
    numCols: numNodes,
    offsets,
    indices: neighbors,
    values: weights,
    normalization: 'none',
  };
}
