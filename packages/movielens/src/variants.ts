/**
 * The MovieLens variants this package knows: where GroupLens publishes them, how to verify the download and
 * which file layout each archive holds. Dataset: F. Maxwell Harper and Joseph A. Konstan, "The MovieLens
 * Datasets: History and Context", ACM TiiS 5(4), 2015.
 */

/** Names of the supported MovieLens variants. */
export type MovieLensVariant = 'ml-100k' | 'ml-1m' | 'ml-latest-small' | 'ml-25m';

/** File layout of a variant: `100k` = `u.data`/`u.item`/`u.user`, `1m` = `::` `.dat` files, `csv` = quoted CSV. */
export type MovieLensFormat = '100k' | '1m' | 'csv';

/** Everything needed to fetch, verify and parse one variant. */
export interface MovieLensVariantSpec {
  readonly name: MovieLensVariant;
  /** GroupLens download URL of the zip archive. */
  readonly url: string;
  /**
   * MD5 of the zip as published by GroupLens next to each archive (`<name>.zip.md5`); `undefined` for
   * `ml-latest-small`, which GroupLens regenerates ("latest"), so only the zip's own CRC-32s are checked.
   */
  readonly md5: string | undefined;
  /** Folder inside the zip (and inside the cache) holding the files. */
  readonly folder: string;
  readonly format: MovieLensFormat;
  /** Approximate number of ratings (for progress and documentation). */
  readonly ratings: number;
  /** Files that must exist in an extracted directory of this variant. */
  readonly requiredFiles: readonly string[];
}

const BASE_URL = 'https://files.grouplens.org/datasets/movielens/';

/** Known variants. MD5 sums are GroupLens's published ones (cross-checked against torchtext and others). */
export const MOVIELENS_VARIANTS: Readonly<Record<MovieLensVariant, MovieLensVariantSpec>> = {
  'ml-100k': {
    name: 'ml-100k',
    url: `${BASE_URL}ml-100k.zip`,
    md5: '0e33842e24a9c977be4e0107933c0723',
    folder: 'ml-100k',
    format: '100k',
    ratings: 100_000,
    requiredFiles: ['u.data', 'u.item', 'u.user'],
  },
  'ml-1m': {
    name: 'ml-1m',
    url: `${BASE_URL}ml-1m.zip`,
    md5: 'c4d9eecfca2ab87c1945afe126590906',
    folder: 'ml-1m',
    format: '1m',
    ratings: 1_000_209,
    requiredFiles: ['ratings.dat', 'movies.dat', 'users.dat'],
  },
  'ml-latest-small': {
    name: 'ml-latest-small',
    url: `${BASE_URL}ml-latest-small.zip`,
    md5: undefined,
    folder: 'ml-latest-small',
    format: 'csv',
    ratings: 100_836,
    requiredFiles: ['ratings.csv', 'movies.csv'],
  },
  'ml-25m': {
    name: 'ml-25m',
    url: `${BASE_URL}ml-25m.zip`,
    md5: '6b51fb2759a8657d3bfcbfc42b592ada',
    folder: 'ml-25m',
    format: 'csv',
    ratings: 25_000_095,
    requiredFiles: ['ratings.csv', 'movies.csv'],
  },
};

/** True when `name` is one of {@link MOVIELENS_VARIANTS}. */
export function isMovieLensVariant(name: string): name is MovieLensVariant {
  return Object.prototype.hasOwnProperty.call(MOVIELENS_VARIANTS, name);
}
