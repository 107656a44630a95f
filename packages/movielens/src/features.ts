import type { FeatureMatrix } from '@ncf/core/base';
import { DataError } from '@ncf/core/base';
import type { IdMap } from '@ncf/datasets';
import type { GenomeTable, MovieTable, TagTable, UserTable } from './movie-tables.js';

/** Which item feature columns to build (see {@link ITEM_FEATURE_DEFAULTS}). */
export interface ItemFeatureOptions {
  /** Multi-hot genre columns `genre:<name>`. */
  readonly genres?: boolean;
  /** One-hot release decade `decade:<1930`, `decade:1930s` … `decade:2020s`, `decade:unknown`. */
  readonly yearBuckets?: boolean;
  /** Scalar `year` = (year − 1900) / 100; unknown years get the mean of the known ones. */
  readonly year?: boolean;
  /**
   * The `topTags` most used user tags (`tags.csv`, lower-cased) as columns `tag:<tag>`, value
   * log(1 + count) / log(1 + max count) per item; 0 disables. Only variants with `tags.csv`.
   */
  readonly topTags?: number;
  /** Tag-genome relevance columns `genome:<tag>` (1,128 columns; ml-25m only). Items without a genome get 0. */
  readonly genome?: boolean;
}

/** Defaults of {@link ItemFeatureOptions}. */
export const ITEM_FEATURE_DEFAULTS = {
  genres: true,
  yearBuckets: true,
  year: true,
  topTags: 20,
  genome: false,
} as const;

/** Decade bucket names, in column order. */
export const DECADE_BUCKETS: readonly string[] = [
  '<1930',
  '1930s',
  '1940s',
  '1950s',
  '1960s',
  '1970s',
  '1980s',
  '1990s',
  '2000s',
  '2010s',
  '2020s',
  'unknown',
];

/** Index into {@link DECADE_BUCKETS} of a year (0 = unknown). */
export function decadeBucket(year: number): number {
  if (year <= 0) return DECADE_BUCKETS.length - 1;
  if (year < 1930) return 0;
  return Math.min(10, 1 + Math.floor((year - 1930) / 10));
}

/** Age groups of ml-1m's README, also used to bucket ml-100k's ages. */
export const AGE_BUCKETS: readonly string[] = ['<18', '18-24', '25-34', '35-44', '45-49', '50-55', '56+'];

/** Index into {@link AGE_BUCKETS} of an age in years (an ml-1m age code maps to its own group). */
export function ageBucket(age: number): number {
  if (age < 18) return 0;
  if (age < 25) return 1;
  if (age < 35) return 2;
  if (age < 45) return 3;
  if (age < 50) return 4;
  if (age < 56) return 5;
  return 6;
}

/** Row of each dense index in `table.ids` (by external id); a dense id missing from the table is a `DataError`. */
function alignRows(ids: Int32Array, map: IdMap, what: string, file: string): Int32Array {
  const rowOf = new Map<number, number>();
  for (let r = 0; r < ids.length; r++) rowOf.set(ids[r] as number, r);
  const rows = new Int32Array(map.size);
  for (let d = 0; d < map.size; d++) {
    const r = rowOf.get(map.id(d) as number);
    if (r === undefined)
      throw new DataError(`${what} id ${map.id(d)} has interactions but no entry`, { file });
    rows[d] = r;
  }
  return rows;
}

/**
 * Item feature matrix aligned to `itemIds` (row `d` describes dense item `d`): genres multi-hot, release
 * decade one-hot, scaled year, top user tags and tag genome, as selected in `options`. `file` names the
 * movies file for errors (an item with ratings but no movie entry is a `DataError`).
 */
export function buildItemFeatures(
  movies: MovieTable,
  itemIds: IdMap,
  options: ItemFeatureOptions = {},
  extra: { tags?: TagTable | undefined; genome?: GenomeTable | undefined; file?: string } = {},
): FeatureMatrix {
  const o = { ...ITEM_FEATURE_DEFAULTS, ...options };
  const rows = alignRows(movies.ids, itemIds, 'movie', extra.file ?? 'movies');
  const n = itemIds.size;
  const names: string[] = [];
  const blocks: ((d: number, out: Float32Array, at: number) => void)[] = [];
  const widths: number[] = [];
  const add = (cols: string[], fill: (d: number, out: Float32Array, at: number) => void): void => {
    names.push(...cols);
    widths.push(cols.length);
    blocks.push(fill);
  };
  if (o.genres) {
    const g = movies.genreNames.length;
    add(
      movies.genreNames.map((x) => `genre:${x}`),
      (d, out, at) => {
        const r = rows[d] as number;
        for (let k = 0; k < g; k++) out[at + k] = movies.genres[r * g + k] as number;
      },
    );
  }
  if (o.yearBuckets) {
    add(
      DECADE_BUCKETS.map((b) => `decade:${b}`),
      (d, out, at) => {
        out[at + decadeBucket(movies.years[rows[d] as number] as number)] = 1;
      },
    );
  }
  if (o.year) {
    let sum = 0;
    let count = 0;
    for (const y of movies.years) {
      if (y > 0) {
        sum += y;
        count++;
      }
    }
    const mean = count > 0 ? sum / count : 1990;
    add(['year'], (d, out, at) => {
      const y = movies.years[rows[d] as number] as number;
      out[at] = ((y > 0 ? y : mean) - 1900) / 100;
    });
  }
  if (o.topTags > 0 && extra.tags) {
    const { tags, movieIds, counts } = extra.tags;
    const total = new Map<string, number>();
    tags.forEach((t, k) => total.set(t, (total.get(t) ?? 0) + (counts[k] as number)));
    const top = [...total.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, o.topTags)
      .map((e) => e[0]);
    const col = new Map(top.map((t, i) => [t, i] as const));
    const perItem = new Map<number, [number, number][]>();
    let max = 1;
    for (let k = 0; k < tags.length; k++) {
      const c = col.get(tags[k] as string);
      if (c === undefined) continue;
      const d = itemIds.indexOf(movieIds[k] as number);
      if (d < 0) continue;
      const list = perItem.get(d) ?? [];
      list.push([c, counts[k] as number]);
      perItem.set(d, list);
      if ((counts[k] as number) > max) max = counts[k] as number;
    }
    const scale = Math.log1p(max);
    add(
      top.map((t) => `tag:${t}`),
      (d, out, at) => {
        for (const [c, count] of perItem.get(d) ?? []) out[at + c] = Math.log1p(count) / scale;
      },
    );
  }
  if (o.genome && extra.genome) {
    const { tagNames, movieIds, relevance } = extra.genome;
    const t = tagNames.length;
    const rowOf = new Map<number, number>();
    movieIds.forEach((m, r) => rowOf.set(m, r));
    add(
      tagNames.map((x) => `genome:${x}`),
      (d, out, at) => {
        const r = rowOf.get(itemIds.id(d) as number);
        if (r !== undefined) out.set(relevance.subarray(r * t, (r + 1) * t), at);
      },
    );
  }
  return fillMatrix(names, widths, blocks, n);
}

/** Which user feature columns to build (see {@link USER_FEATURE_DEFAULTS}). */
export interface UserFeatureOptions {
  /** One-hot age group `age:<18` … `age:56+` (ml-1m's groups; ml-100k ages are bucketed the same way). */
  readonly ageBuckets?: boolean;
  /** Scalar `age` = age / 100 (ml-1m: the group code / 100). */
  readonly age?: boolean;
  /** One-hot `gender:F`, `gender:M`. */
  readonly gender?: boolean;
  /** One-hot `occupation:<name>`. */
  readonly occupation?: boolean;
}

/** Defaults of {@link UserFeatureOptions}. */
export const USER_FEATURE_DEFAULTS = { ageBuckets: true, age: true, gender: true, occupation: true } as const;

/** User feature matrix aligned to `userIds`: demographics from `u.user` / `users.dat`. */
export function buildUserFeatures(
  users: UserTable,
  userIds: IdMap,
  options: UserFeatureOptions = {},
  file = 'users',
): FeatureMatrix {
  const o = { ...USER_FEATURE_DEFAULTS, ...options };
  const rows = alignRows(users.ids, userIds, 'user', file);
  const names: string[] = [];
  const widths: number[] = [];
  const blocks: ((d: number, out: Float32Array, at: number) => void)[] = [];
  const add = (cols: string[], fill: (d: number, out: Float32Array, at: number) => void): void => {
    names.push(...cols);
    widths.push(cols.length);
    blocks.push(fill);
  };
  if (o.ageBuckets)
    add(
      AGE_BUCKETS.map((b) => `age:${b}`),
      (d, out, at) => (out[at + ageBucket(users.ages[rows[d] as number] as number)] = 1),
    );
  if (o.age) add(['age'], (d, out, at) => (out[at] = (users.ages[rows[d] as number] as number) / 100));
  if (o.gender)
    add(
      ['gender:F', 'gender:M'],
      (d, out, at) => (out[at + (users.genders[rows[d] as number] as number)] = 1),
    );
  if (o.occupation) {
    add(
      users.occupationNames.map((x) => `occupation:${x}`),
      (d, out, at) => (out[at + (users.occupations[rows[d] as number] as number)] = 1),
    );
  }
  return fillMatrix(names, widths, blocks, userIds.size);
}

function fillMatrix(
  names: string[],
  widths: number[],
  blocks: ((d: number, out: Float32Array, at: number) => void)[],
  rows: number,
): FeatureMatrix {
  const dim = names.length;
  const values = new Float32Array(rows * dim);
  for (let d = 0; d < rows; d++) {
    let at = d * dim;
    for (let b = 0; b < blocks.length; b++) {
      (blocks[b] as (d: number, out: Float32Array, at: number) => void)(d, values, at);
      at += widths[b] as number;
    }
  }
  return { names, rows, dim, values };
}
