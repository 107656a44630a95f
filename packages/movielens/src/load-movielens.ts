import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DatasetInfo, FeatureMatrix } from '@ncf/core/base';
import { DataError } from '@ncf/core/base';
import type { Interactions, ParseReport } from '@ncf/datasets';
import { IdMap, datasetInfo, readDelimited } from '@ncf/datasets';
import type { EnsureMovieLensOptions } from './ensure-movielens.js';
import { ensureMovieLens } from './ensure-movielens.js';
import type { ItemFeatureOptions, UserFeatureOptions } from './features.js';
import { buildItemFeatures, buildUserFeatures } from './features.js';
import { readCsvMetadata } from './format-csv.js';
import { readMl100kMetadata } from './format-ml100k.js';
import { readMl1mMetadata } from './format-ml1m.js';
import type { GenomeTable, MovieTable, TagTable, UserTable } from './movie-tables.js';
import type { MovieLensFormat, MovieLensVariant } from './variants.js';
import { isMovieLensVariant } from './variants.js';

/** Options of {@link loadMovieLens}. */
export interface LoadMovieLensOptions extends EnsureMovieLensOptions {
  /** Skip malformed rating lines and count them in `reports` instead of throwing (default `false`). */
  readonly skipInvalid?: boolean;
  /**
   * Also index movies (and users) that appear only in the metadata files, so they get feature rows and dense
   * ids without interactions (cold start). Default `false`: only rated items/users, as in the NCF papers.
   */
  readonly coldStart?: boolean;
  /** Item features to build, or `false` for none (default: {@link ITEM_FEATURE_DEFAULTS}). */
  readonly itemFeatures?: ItemFeatureOptions | false;
  /** User features to build where the variant has demographics, or `false` (default: {@link USER_FEATURE_DEFAULTS}). */
  readonly userFeatures?: UserFeatureOptions | false;
}

/** Per-item metadata aligned to the item id map (row `d` = dense item `d`). */
export interface MovieLensItems {
  readonly titles: readonly string[];
  /** Release year, 0 when unknown. */
  readonly years: Int32Array;
  /** Genre names per item. */
  readonly genres: readonly (readonly string[])[];
}

/** What {@link loadMovieLens} returns. */
export interface MovieLensData {
  /** Which file layout was read. */
  readonly format: MovieLensFormat;
  /** The directory read. */
  readonly dir: string;
  /** Ratings (1–5, or 0.5–5 in half stars for the CSV variants) with timestamps; external ids = MovieLens ids. */
  readonly interactions: Interactions;
  readonly itemFeatures: FeatureMatrix | undefined;
  /** Demographics (ml-100k, ml-1m); `undefined` for the CSV variants, which have none. */
  readonly userFeatures: FeatureMatrix | undefined;
  readonly items: MovieLensItems;
  /** Core's DatasetInfo (sizes, id maps, features, rating range) for model factories. */
  readonly info: DatasetInfo;
  /** What the ratings parser read and skipped. */
  readonly report: ParseReport;
}

/** Detects the variant layout of an extracted directory from the ratings file it holds. */
export function detectMovieLensFormat(dir: string): MovieLensFormat {
  if (existsSync(join(dir, 'u.data'))) return '100k';
  if (existsSync(join(dir, 'ratings.dat'))) return '1m';
  if (existsSync(join(dir, 'ratings.csv'))) return 'csv';
  throw new DataError(
    'no MovieLens ratings file here; expected u.data (ml-100k), ratings.dat (ml-1m) or ratings.csv (ml-latest-small, ml-25m)',
    { file: dir },
  );
}

const RATINGS: Readonly<
  Record<
    MovieLensFormat,
    { file: string; delimiter: string; header: boolean; range: readonly [number, number] }
  >
> = {
  '100k': { file: 'u.data', delimiter: '\t', header: false, range: [1, 5] },
  '1m': { file: 'ratings.dat', delimiter: '::', header: false, range: [1, 5] },
  csv: { file: 'ratings.csv', delimiter: ',', header: true, range: [0.5, 5] },
};

/**
 * Loads a MovieLens variant into interactions + features. `source` is a variant name (fetched into the
 * cache on first use, see {@link ensureMovieLens}) or the path of an already extracted directory (e.g.
 * `/data/ml-100k`, or one written by {@link writeSyntheticMovieLens}). Ratings stream through
 * `@ncf/datasets`' delimited parser (typed arrays, no per-row objects); dense ids follow ascending MovieLens
 * ids (with `coldStart`, all ids of the metadata files in file order first). Item features: genres,
 * decade, year, top tags (CSV variants), genome (ml-25m, opt-in); user features: age, gender, occupation.
 */
export async function loadMovieLens(
  source: MovieLensVariant | string,
  options: LoadMovieLensOptions = {},
): Promise<MovieLensData> {
  const dir =
    isMovieLensVariant(source) && !existsSync(source)
      ? await ensureMovieLens(source, options)
      : resolve(source);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DataError(
      'not a directory; expected an extracted MovieLens folder or a variant name (ml-100k, ml-1m, ml-latest-small, ml-25m)',
      { file: dir },
    );
  }
  const format = detectMovieLensFormat(dir);
  const itemOpts = options.itemFeatures === false ? undefined : (options.itemFeatures ?? {});
  let movies: MovieTable;
  let users: UserTable | undefined;
  let tags: TagTable | undefined;
  let genome: GenomeTable | undefined;
  let moviesFile: string;
  let usersFile = '';
  if (format === '100k') {
    ({ movies, users } = await readMl100kMetadata(dir));
    moviesFile = join(dir, 'u.item');
    usersFile = join(dir, 'u.user');
  } else if (format === '1m') {
    ({ movies, users } = await readMl1mMetadata(dir));
    moviesFile = join(dir, 'movies.dat');
    usersFile = join(dir, 'users.dat');
  } else {
    ({ movies, tags, genome } = await readCsvMetadata(dir, {
      tags: (itemOpts?.topTags ?? 20) > 0,
      genome: itemOpts?.genome ?? false,
    }));
    moviesFile = join(dir, 'movies.csv');
  }
  const userIds = new IdMap('user');
  const itemIds = new IdMap('item');
  if (options.coldStart) {
    for (const id of movies.ids) itemIds.add(id);
    if (users) for (const id of users.ids) userIds.add(id);
  }
  const r = RATINGS[format];
  const { interactions, report } = await readDelimited(join(dir, r.file), {
    delimiter: r.delimiter,
    header: r.header,
    columns: { user: 0, item: 1, rating: 2, timestamp: 3 },
    ratingRange: r.range,
    userIds,
    itemIds,
    skipInvalid: options.skipInvalid ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const itemFeatures = itemOpts
    ? buildItemFeatures(movies, interactions.itemIds, itemOpts, { tags, genome, file: moviesFile })
    : undefined;
  const userFeatures =
    users && options.userFeatures !== false
      ? buildUserFeatures(users, interactions.userIds, options.userFeatures ?? {}, usersFile)
      : undefined;
  const items = alignItems(movies, interactions.itemIds, moviesFile);
  const info = datasetInfo(interactions, {
    ratingRange: r.range,
    ...(itemFeatures ? { itemFeatures } : {}),
    ...(userFeatures ? { userFeatures } : {}),
  });
  return { format, dir, interactions, itemFeatures, userFeatures, items, info, report };
}

function alignItems(movies: MovieTable, itemIds: IdMap, file: string): MovieLensItems {
  const rowOf = new Map<number, number>();
  movies.ids.forEach((id, r) => rowOf.set(id, r));
  const g = movies.genreNames.length;
  const titles: string[] = [];
  const years = new Int32Array(itemIds.size);
  const genres: string[][] = [];
  for (let d = 0; d < itemIds.size; d++) {
    const r = rowOf.get(itemIds.id(d) as number);
    if (r === undefined) throw new DataError(`movie id ${itemIds.id(d)} is rated but has no entry`, { file });
    titles.push(movies.titles[r] as string);
    years[d] = movies.years[r] as number;
    const list: string[] = [];
    for (let k = 0; k < g; k++) if (movies.genres[r * g + k]) list.push(movies.genreNames[k] as string);
    genres.push(list);
  }
  return { titles, years, genres };
}
