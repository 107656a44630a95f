import type { BatchSource, GraphBatch, PairwiseBatch, PointwiseBatch, UserHistoryBatch } from '../batch.js';
import type { DatasetInfo, GraphInfo } from '../dataset-info.js';
import { ConfigError } from '../errors.js';
import { createRng, shuffleInPlace, type Rng } from '../rng.js';

/**
 * Tiny generated implicit-feedback data with planted structure for model tests: users and items fall into
 * `clusters` groups (`id % clusters`) and every user interacts with `perUser` items of its own group, so any
 * model that learns at all sees its loss fall within a few epochs. Generic: no dataset package needed.
 */
export interface TinyData {
  readonly numUsers: number;
  readonly numItems: number;
  /** Positive interactions, aligned. */
  readonly users: Int32Array;
  readonly items: Int32Array;
  /** Per user, the sorted positive items (CSR over users). */
  readonly offsets: Int32Array;
  readonly userItems: Int32Array;
}

/** Options of {@link tinyData}. */
export interface TinyDataOptions {
  readonly numUsers?: number;
  readonly numItems?: number;
  readonly clusters?: number;
  readonly perUser?: number;
  readonly seed?: number;
}

/** Defaults of {@link TinyDataOptions}: 24 users, 32 items, 4 clusters, 5 items per user, seed 1. */
export const TINY_DATA_DEFAULTS: Required<TinyDataOptions> = {
  numUsers: 24,
  numItems: 32,
  clusters: 4,
  perUser: 5,
  seed: 1,
};

/** Generates {@link TinyData}. */
export function tinyData(options: TinyDataOptions = {}): TinyData {
  const o = { ...TINY_DATA_DEFAULTS, ...options };
  const groupSize = Math.floor(o.numItems / o.clusters);
  if (groupSize < o.perUser + 1) {
    throw new ConfigError(
      `tinyData: ${o.numItems} items in ${o.clusters} clusters leave fewer than perUser + 1 per cluster`,
    );
  }
  const rng = createRng(o.seed);
  const offsets = new Int32Array(o.numUsers + 1);
  const userItems = new Int32Array(o.numUsers * o.perUser);
  for (let u = 0; u < o.numUsers; u++) {
    const c = u % o.clusters;
    const group = Array.from({ length: groupSize }, (_, k) => c + k * o.clusters).filter(
      (i) => i < o.numItems,
    );
    shuffleInPlace(group, rng);
    const chosen = group.slice(0, o.perUser).sort((a, b) => a - b);
    userItems.set(chosen, u * o.perUser);
    offsets[u + 1] = (u + 1) * o.perUser;
  }
  const users = new Int32Array(userItems.length);
  for (let u = 0; u < o.numUsers; u++) users.fill(u, u * o.perUser, (u + 1) * o.perUser);
  return { numUsers: o.numUsers, numItems: o.numItems, users, items: userItems.slice(), offsets, userItems };
}

function isPositive(data: TinyData, user: number, item: number): boolean {
  for (let k = data.offsets[user]!; k < data.offsets[user + 1]!; k++)
    if (data.userItems[k] === item) return true;
  return false;
}

function sampleNegative(data: TinyData, user: number, rng: Rng): number {
  for (;;) {
    const item = rng.int(data.numItems);
    if (!isPositive(data, user, item)) return item;
  }
}

function order(n: number, rng: Rng): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return shuffleInPlace(idx, rng);
}

/** The symmetric-normalised bipartite graph of {@link TinyData} (users first, then items). */
export function tinyGraph(data: TinyData): GraphInfo {
  const numNodes = data.numUsers + data.numItems;
  const lists: number[][] = Array.from({ length: numNodes }, () => []);
  for (let k = 0; k < data.users.length; k++) {
    const u = data.users[k]!;
    const i = data.numUsers + data.items[k]!;
    lists[u]!.push(i);
    lists[i]!.push(u);
  }
  const offsets = new Int32Array(numNodes + 1);
  for (let n = 0; n < numNodes; n++) offsets[n + 1] = offsets[n]! + lists[n]!.length;
  const neighbors = new Int32Array(offsets[numNodes]!);
  const weights = new Float32Array(neighbors.length);
  for (let n = 0; n < numNodes; n++) {
    lists[n]!.forEach((m, j) => {
      neighbors[offsets[n]! + j] = m;
      weights[offsets[n]! + j] = 1 / Math.sqrt(lists[n]!.length * lists[m]!.length);
    });
  }
  return { numNodes, offsets, neighbors, weights };
}

/** Options of {@link tinyDatasetInfo}. */
export interface TinyInfoOptions {
  /** Add string id maps (`u0`, `i0`, ...). Default true. */
  readonly ids?: boolean;
  /** Add item features (one-hot cluster + a constant column) of this many clusters. Default: none. */
  readonly itemFeatureClusters?: number;
  /** Add the graph. Default false. */
  readonly graph?: boolean;
}

/** Dataset info of {@link TinyData}. */
export function tinyDatasetInfo(data: TinyData, options: TinyInfoOptions = {}): DatasetInfo {
  let info: DatasetInfo = { numUsers: data.numUsers, numItems: data.numItems };
  if (options.ids ?? true) {
    info = {
      ...info,
      userIds: { type: 'string', ids: Array.from({ length: data.numUsers }, (_, u) => `u${u}`) },
      itemIds: { type: 'string', ids: Array.from({ length: data.numItems }, (_, i) => `i${i}`) },
    };
  }
  const c = options.itemFeatureClusters;
  if (c !== undefined) {
    const dim = c + 1;
    const values = new Float32Array(data.numItems * dim);
    for (let i = 0; i < data.numItems; i++) {
      values[i * dim + (i % c)] = 1;
      values[i * dim + c] = 1;
    }
    const names = [...Array.from({ length: c }, (_, k) => `cluster${k}`), 'bias'];
    info = { ...info, itemFeatures: { names, rows: data.numItems, dim, values } };
  }
  if (options.graph) info = { ...info, graph: tinyGraph(data) };
  return info;
}

function* slices<B>(n: number, batchSize: number, make: (from: number, to: number) => B): Iterable<B> {
  for (let from = 0; from < n; from += batchSize) yield make(from, Math.min(n, from + batchSize));
}

/** Pointwise examples: every positive (label 1) plus `negatives` sampled negatives (label 0), shuffled per epoch. */
export function tinyPointwiseSource(data: TinyData, negatives = 2): BatchSource<PointwiseBatch> {
  const n = data.users.length * (1 + negatives);
  return {
    kind: 'pointwise',
    size: n,
    batches(batchSize: number, rng: Rng): Iterable<PointwiseBatch> {
      const users = new Int32Array(n);
      const items = new Int32Array(n);
      const labels = new Float32Array(n);
      let k = 0;
      for (let p = 0; p < data.users.length; p++) {
        const u = data.users[p]!;
        users[k] = u;
        items[k] = data.items[p]!;
        labels[k++] = 1;
        for (let j = 0; j < negatives; j++) {
          users[k] = u;
          items[k++] = sampleNegative(data, u, rng);
        }
      }
      const idx = order(n, rng);
      return slices(n, batchSize, (from, to) => {
        const sel = idx.subarray(from, to);
        return {
          kind: 'pointwise',
          users: Int32Array.from(sel, (i) => users[i]!),
          items: Int32Array.from(sel, (i) => items[i]!),
          labels: Float32Array.from(sel, (i) => labels[i]!),
        };
      });
    },
  };
}

function pairs(data: TinyData, kind: 'pairwise' | 'graph'): BatchSource<PairwiseBatch | GraphBatch> {
  const n = data.users.length;
  return {
    kind,
    size: n,
    batches(batchSize: number, rng: Rng): Iterable<PairwiseBatch | GraphBatch> {
      const idx = order(n, rng);
      return slices(n, batchSize, (from, to) => {
        const sel = idx.subarray(from, to);
        const users = Int32Array.from(sel, (i) => data.users[i]!);
        const positives = Int32Array.from(sel, (i) => data.items[i]!);
        const negatives = Int32Array.from(users, (u) => sampleNegative(data, u, rng));
        return { kind, users, positives, negatives };
      });
    },
  };
}

/** (user, positive, sampled negative) triples, shuffled per epoch. */
export function tinyPairwiseSource(data: TinyData): BatchSource<PairwiseBatch> {
  return pairs(data, 'pairwise') as BatchSource<PairwiseBatch>;
}

/** Pairwise triples as graph batches (pair with `tinyDatasetInfo(data, { graph: true })`). */
export function tinyGraphSource(data: TinyData): BatchSource<GraphBatch> {
  return pairs(data, 'graph') as BatchSource<GraphBatch>;
}

/** Pointwise examples with each user's history (positives minus the target, values 1) in CSR form. */
export function tinyUserHistorySource(data: TinyData, negatives = 2): BatchSource<UserHistoryBatch> {
  const pointwise = tinyPointwiseSource(data, negatives);
  return {
    kind: 'user-history',
    size: pointwise.size,
    *batches(batchSize: number, rng: Rng): Iterable<UserHistoryBatch> {
      for (const b of pointwise.batches(batchSize, rng)) {
        const offsets = new Int32Array(b.users.length + 1);
        const hist: number[] = [];
        for (let k = 0; k < b.users.length; k++) {
          const u = b.users[k]!;
          for (let j = data.offsets[u]!; j < data.offsets[u + 1]!; j++) {
            const item = data.userItems[j]!;
            if (item !== b.items[k]) hist.push(item);
          }
          offsets[k + 1] = hist.length;
        }
        yield {
          kind: 'user-history',
          users: b.users,
          items: b.items,
          labels: b.labels,
          offsets,
          historyItems: Int32Array.from(hist),
          historyValues: new Float32Array(hist.length).fill(1),
        };
      }
    },
  };
}

/** A tiny source of the given kind (graph sources need `tinyDatasetInfo(data, { graph: true })`). */
export function tinySource(data: TinyData, kind: BatchSource['kind']): BatchSource {
  switch (kind) {
    case 'pointwise':
      return tinyPointwiseSource(data);
    case 'pairwise':
      return tinyPairwiseSource(data);
    case 'user-history':
      return tinyUserHistorySource(data);
    case 'graph':
      return tinyGraphSource(data);
  }
}
