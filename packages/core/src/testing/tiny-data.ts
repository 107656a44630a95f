import type { BatchSource, PairwiseBatch, PointwiseBatch, UserHistoryBatch } from '../batch.js';
import type { Csr } from '../csr.js';
import type { LabelKind } from '../data-spec.js';
import type { DatasetInfo, FeatureMatrix, GraphInfo } from '../dataset-info.js';
import { ConfigError } from '../errors.js';
import { createRng, shuffleInPlace, type Rng } from '../rng.js';

/**
 * Tiny generated implicit-feedback data with planted structure for model tests: users and items fall into
 * `clusters` groups (`id % clusters`) and every user interacts with `perUser` items of its own group, so any
 * model that learns at all sees its loss fall within a few epochs. Every positive also carries a planted
 * rating `1 + (u mod 3) + (i mod 3)` in `[1, 5]` (a user and an item effect), for rating-label models.
 * Generic: no dataset package needed.
 */
export interface TinyData {
  readonly numUsers: number;
  readonly numItems: number;
  /** Positive interactions, aligned. */
  readonly users: Int32Array;
  readonly items: Int32Array;
  /** Planted rating of each positive, aligned with `users` / `items`. */
  readonly ratings: Float32Array;
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
  const ratings = Float32Array.from(users, (u, k) => tinyRating(u, userItems[k]!));
  return {
    numUsers: o.numUsers,
    numItems: o.numItems,
    users,
    items: userItems.slice(),
    ratings,
    offsets,
    userItems,
  };
}

/** The planted rating of `(user, item)` in {@link TinyData}: `1 + (user mod 3) + (item mod 3)`. */
export function tinyRating(user: number, item: number): number {
  return 1 + (user % 3) + (item % 3);
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
  const indices = new Int32Array(offsets[numNodes]!);
  const values = new Float32Array(indices.length);
  for (let n = 0; n < numNodes; n++) {
    lists[n]!.sort((x, y) => x - y);
    lists[n]!.forEach((m, j) => {
      indices[offsets[n]! + j] = m;
      values[offsets[n]! + j] = 1 / Math.sqrt(lists[n]!.length * lists[m]!.length);
    });
  }
  return { numRows: numNodes, numCols: numNodes, offsets, indices, values, normalization: 'symmetric' };
}

/** Each user's positives as a users × items {@link Csr}, values the planted ratings or 1s. */
export function tinyUserHistories(data: TinyData, labels: LabelKind = 'implicit'): Csr {
  return {
    numRows: data.numUsers,
    numCols: data.numItems,
    offsets: data.offsets,
    indices: data.userItems,
    values: labels === 'rating' ? data.ratings.slice() : new Float32Array(data.userItems.length).fill(1),
  };
}

/** Cluster features: one-hot `index mod clusters` plus a constant column. */
function clusterFeatures(rows: number, clusters: number): FeatureMatrix {
  const dim = clusters + 1;
  const values = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    values[r * dim + (r % clusters)] = 1;
    values[r * dim + clusters] = 1;
  }
  const names = [...Array.from({ length: clusters }, (_, k) => `cluster${k}`), 'bias'];
  return { names, rows, dim, values };
}

/** Options of {@link tinyDatasetInfo}. */
export interface TinyInfoOptions {
  /** Add string id maps (`u0`, `i0`, ...). Default true. */
  readonly ids?: boolean;
  /** Add item features (one-hot cluster + a constant column) of this many clusters. Default: none. */
  readonly itemFeatureClusters?: number;
  /** Add user features of the same form. Default: none. */
  readonly userFeatureClusters?: number;
  /** Add the graph. Default false. */
  readonly graph?: boolean;
  /** Add user histories with these values (1s or the planted ratings). Default: none. */
  readonly userHistories?: LabelKind;
  /** Add `ratingRange: [1, 5]` (the planted ratings' scale). Default false. */
  readonly ratingRange?: boolean;
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
  if (options.itemFeatureClusters !== undefined) {
    info = { ...info, itemFeatures: clusterFeatures(data.numItems, options.itemFeatureClusters) };
  }
  if (options.userFeatureClusters !== undefined) {
    info = { ...info, userFeatures: clusterFeatures(data.numUsers, options.userFeatureClusters) };
  }
  if (options.ratingRange) info = { ...info, ratingRange: [1, 5] };
  if (options.userHistories) {
    info = { ...info, userHistories: tinyUserHistories(data, options.userHistories) };
  }
  if (options.graph) info = { ...info, graph: tinyGraph(data) };
  return info;
}

function* slices<B>(n: number, batchSize: number, make: (from: number, to: number) => B): Iterable<B> {
  for (let from = 0; from < n; from += batchSize) yield make(from, Math.min(n, from + batchSize));
}

/**
 * Pointwise examples, shuffled per epoch: with `'implicit'` labels every positive (label 1) plus `negatives`
 * sampled negatives (label 0); with `'rating'` labels every positive labelled with its planted rating.
 */
export function tinyPointwiseSource(
  data: TinyData,
  negatives = 2,
  labelKind: LabelKind = 'implicit',
): BatchSource<PointwiseBatch> {
  if (labelKind === 'rating') negatives = 0;
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
        labels[k++] = labelKind === 'rating' ? data.ratings[p]! : 1;
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

/** (user, positive, sampled negative) triples, shuffled per epoch (pairwise losses and graph models). */
export function tinyPairwiseSource(data: TinyData): BatchSource<PairwiseBatch> {
  const n = data.users.length;
  return {
    kind: 'pairwise',
    size: n,
    batches(batchSize: number, rng: Rng): Iterable<PairwiseBatch> {
      const idx = order(n, rng);
      return slices(n, batchSize, (from, to) => {
        const sel = idx.subarray(from, to);
        const users = Int32Array.from(sel, (i) => data.users[i]!);
        const positives = Int32Array.from(sel, (i) => data.items[i]!);
        const negatives = Int32Array.from(users, (u) => sampleNegative(data, u, rng));
        return { kind: 'pairwise', users, positives, negatives };
      });
    },
  };
}

/**
 * Pointwise examples (labels as in {@link tinyPointwiseSource}) with each user's history (positives minus the
 * target; values 1, or the planted ratings with `'rating'` labels) in CSR form.
 */
export function tinyUserHistorySource(
  data: TinyData,
  negatives = 2,
  labelKind: LabelKind = 'implicit',
): BatchSource<UserHistoryBatch> {
  const pointwise = tinyPointwiseSource(data, negatives, labelKind);
  const hist = tinyUserHistories(data, labelKind);
  return {
    kind: 'user-history',
    size: pointwise.size,
    *batches(batchSize: number, rng: Rng): Iterable<UserHistoryBatch> {
      for (const b of pointwise.batches(batchSize, rng)) {
        const offsets = new Int32Array(b.users.length + 1);
        const items: number[] = [];
        const values: number[] = [];
        for (let k = 0; k < b.users.length; k++) {
          const u = b.users[k]!;
          for (let j = hist.offsets[u]!; j < hist.offsets[u + 1]!; j++) {
            const item = hist.indices[j]!;
            if (item === b.items[k]) continue;
            items.push(item);
            values.push(hist.values![j]!);
          }
          offsets[k + 1] = items.length;
        }
        yield {
          kind: 'user-history',
          users: b.users,
          items: b.items,
          labels: b.labels,
          offsets,
          historyItems: Int32Array.from(items),
          historyValues: Float32Array.from(values),
        };
      }
    },
  };
}
