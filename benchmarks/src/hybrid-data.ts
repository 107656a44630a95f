/**
 * Readers for the hybrid splits of `../shared/data` (`ml-100k-r811`, `ml-100k-cold`; see their MANIFEST.md):
 * tab-separated `user item rating timestamp` files with original MovieLens ids, and `items.tsv` (header, item
 * id, 31 content flags). Items are indexed in `items.tsv` order, users in order of first appearance.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DatasetInfo, FeatureMatrix } from '@ncf/core';
import { interactionsFromArrays, userRatingHistories } from '@ncf/datasets';
import type { Interactions } from '@ncf/datasets';

/** Raw rating rows of one file (external ids). */
export interface RatingRows {
  readonly users: number[];
  readonly items: number[];
  readonly ratings: number[];
}

/** Reads `user<TAB>item<TAB>rating<TAB>timestamp` rows. */
export function readRatingRows(file: string): RatingRows {
  const out: RatingRows = { users: [], items: [], ratings: [] };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const [u, i, r] = line.split('\t');
    out.users.push(Number(u));
    out.items.push(Number(i));
    out.ratings.push(Number(r));
  }
  return out;
}

/** `items.tsv`: external item ids (in file order) and the feature matrix. */
export function readItemFeatures(dir: string): { ids: number[]; features: FeatureMatrix } {
  const lines = readFileSync(path.join(dir, 'items.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const names = lines[0]!.split('\t').slice(1);
  const ids: number[] = [];
  const values = new Float32Array((lines.length - 1) * names.length);
  lines.slice(1).forEach((l, r) => {
    const cols = l.split('\t');
    ids.push(Number(cols[0]));
    for (let k = 0; k < names.length; k++) values[r * names.length + k] = Number(cols[k + 1]);
  });
  return { ids, features: { names, rows: ids.length, dim: names.length, values } };
}

/** Dense indexing of the splits' users and items. */
export interface HybridIndex {
  readonly itemIds: number[];
  readonly itemIndex: Map<number, number>;
  readonly userIndex: Map<number, number>;
  readonly features: FeatureMatrix;
}

/** Interactions of rows (users indexed through `index`, which grows for unseen users). */
export function toInteractions(
  rows: RatingRows,
  index: HybridIndex,
  numUsers: number,
  implicit = false,
): Interactions {
  const n = rows.users.length;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    users[k] = index.userIndex.get(rows.users[k]!)!;
    items[k] = index.itemIndex.get(rows.items[k]!)!;
  }
  return interactionsFromArrays(
    { users, items, ...(implicit ? {} : { ratings: Float32Array.from(rows.ratings) }) },
    { numUsers, numItems: index.itemIds.length },
  );
}

/** Builds the index from `items.tsv` and the users of `files`, in order. */
export function hybridIndex(dir: string, files: readonly RatingRows[]): HybridIndex {
  const { ids, features } = readItemFeatures(dir);
  const itemIndex = new Map(ids.map((id, i) => [id, i]));
  const userIndex = new Map<number, number>();
  for (const f of files) for (const u of f.users) if (!userIndex.has(u)) userIndex.set(u, userIndex.size);
  return { itemIds: ids, itemIndex, userIndex, features };
}

/** Dataset info for history models trained on `train` (features, histories, rating scale unless implicit). */
export function hybridInfo(train: Interactions, index: HybridIndex): DatasetInfo {
  return {
    numUsers: train.numUsers,
    numItems: train.numItems,
    itemIds: { type: 'number', ids: index.itemIds },
    itemFeatures: index.features,
    ...(train.ratings ? { ratingRange: [1, 5] as const } : {}),
    userHistories: userRatingHistories(train),
  };
}

/** One new user of the cold split at one K: revealed (items, ratings) and the held-out test rows. */
export interface ColdUser {
  readonly revealItems: Int32Array;
  readonly revealRatings: Float32Array;
  readonly testItems: Int32Array;
  readonly testRatings: Float32Array;
}

/** Per new user (external id order of reveal-K.tsv), reveal and test rows at `k`, as dense item indices. */
export function coldUsers(dir: string, k: number, index: HybridIndex): ColdUser[] {
  const group = (rows: RatingRows): Map<number, { items: number[]; ratings: number[] }> => {
    const m = new Map<number, { items: number[]; ratings: number[] }>();
    rows.users.forEach((u, j) => {
      const e = m.get(u) ?? { items: [], ratings: [] };
      e.items.push(index.itemIndex.get(rows.items[j]!)!);
      e.ratings.push(rows.ratings[j]!);
      m.set(u, e);
    });
    return m;
  };
  const reveal = group(readRatingRows(path.join(dir, `reveal-${k}.tsv`)));
  const test = group(readRatingRows(path.join(dir, `test-${k}.tsv`)));
  return [...reveal.keys()].map((u) => ({
    revealItems: Int32Array.from(reveal.get(u)!.items),
    revealRatings: Float32Array.from(reveal.get(u)!.ratings),
    testItems: Int32Array.from(test.get(u)?.items ?? []),
    testRatings: Float32Array.from(test.get(u)?.ratings ?? []),
  }));
}
