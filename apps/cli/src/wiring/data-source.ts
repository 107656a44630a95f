import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@ncf/core';
import {
  DATA_FILE_FORMATS,
  formatOfExtension,
  type DataFileSource,
  type DataFileFormat,
} from './data-file.js';
import {
  MOVIELENS_VARIANTS,
  SYNTHETIC_DEFAULTS,
  isMovieLensVariant,
  type MovieLensVariant,
} from '@ncf/movielens';

/**
 * What `--data` names, in a form stored in model files (`training.data`) so `ncf evaluate` and
 * `ncf recommend` can rebuild the same split without being told the data again.
 */
export type DataSource =
  | { readonly source: 'synthetic'; readonly users: number; readonly items: number; readonly seed: number }
  | { readonly source: 'movielens'; readonly variant: MovieLensVariant }
  /** An extracted MovieLens directory (ml-100k, ml-1m or CSV layout), absolute. */
  | { readonly source: 'movielens-dir'; readonly dir: string }
  /** NCF split files `<prefix>.train.rating`, `.test.rating`, `.test.negative`; `prefix` absolute. */
  | { readonly source: 'ncf-split'; readonly prefix: string }
  /** An interactions file (CSV, TSV, JSON lines): see {@link DataFileSource}. */
  | DataFileSource;

/** Defaults of the embedded synthetic dataset (those of \@ncf/movielens' generator). */
export const SYNTHETIC_DATA_DEFAULTS = {
  users: SYNTHETIC_DEFAULTS.users,
  items: SYNTHETIC_DEFAULTS.items,
  seed: SYNTHETIC_DEFAULTS.seed,
} as const;

/**
 * Reads a `--data` value: `synthetic` (optionally `synthetic:<users>x<items>[:<seed>]`), a MovieLens variant
 * name (`ml-100k`, `ml-1m`, `ml-latest-small`, `ml-25m`; downloaded into the cache on first use), a directory
 * of NCF split files (`*.train.rating`), an extracted MovieLens directory, or an interactions file (CSV, TSV,
 * JSON lines; the format from `format`, else the extension). A MovieLens directory holding only its ratings
 * file (no movie table) is read as that file: titles and features are optional.
 */
export function parseDataSource(value: string, cwd = process.cwd(), format?: DataFileFormat): DataSource {
  const synthetic = /^synthetic(?::(\d+)x(\d+)(?::(\d+))?)?$/.exec(value);
  if (synthetic) {
    return {
      source: 'synthetic',
      users: synthetic[1] ? Number(synthetic[1]) : SYNTHETIC_DATA_DEFAULTS.users,
      items: synthetic[2] ? Number(synthetic[2]) : SYNTHETIC_DATA_DEFAULTS.items,
      seed: synthetic[3] ? Number(synthetic[3]) : SYNTHETIC_DATA_DEFAULTS.seed,
    };
  }
  const dir = path.resolve(cwd, value);
  if (existsSync(dir) && statSync(dir).isFile()) return fileSource(dir, format);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const train = readdirSync(dir).filter((f) => f.endsWith('.train.rating'));
    if (train.length > 1) {
      throw new ConfigError(
        `--data ${dir} holds several NCF splits (${train.join(', ')}); name one as <dir>/<prefix>, e.g. ${path.join(dir, train[0]!.slice(0, -'.train.rating'.length))}`,
        'data',
      );
    }
    if (train.length === 1)
      return { source: 'ncf-split', prefix: path.join(dir, train[0]!.slice(0, -'.train.rating'.length)) };
    return ratingsOnlyDir(dir) ?? { source: 'movielens-dir', dir };
  }
  if (existsSync(`${dir}.train.rating`)) return { source: 'ncf-split', prefix: dir };
  if (isMovieLensVariant(value)) return { source: 'movielens', variant: value };
  throw new ConfigError(
    `--data '${value}' is neither a directory nor a known dataset; expected a MovieLens directory, a directory of ` +
      `NCF split files (*.train.rating), 'synthetic[:<users>x<items>[:<seed>]]' or one of ${Object.keys(MOVIELENS_VARIANTS).join(', ')}`,
    'data',
  );
}

function fileSource(file: string, format: DataFileFormat | undefined): DataFileSource {
  const f = format ?? formatOfExtension(file);
  if (f === undefined) {
    throw new ConfigError(
      `--data ${file}: cannot tell the format from the extension; pass --format ${DATA_FILE_FORMATS.join('|')}`,
      'format',
    );
  }
  return { source: 'file', path: file, format: f };
}

/** MovieLens layouts: ratings file, its movie table, and how the ratings file is read. */
const MOVIELENS_RATINGS = [
  { ratings: 'u.data', movies: 'u.item', delimiter: '\t', header: false },
  { ratings: 'ratings.dat', movies: 'movies.dat', delimiter: '::', header: false },
  { ratings: 'ratings.csv', movies: 'movies.csv', delimiter: ',', header: true },
] as const;

/** A MovieLens directory with a ratings file but no movie table, as a file source of its ratings. */
function ratingsOnlyDir(dir: string): DataFileSource | undefined {
  for (const l of MOVIELENS_RATINGS) {
    if (existsSync(path.join(dir, l.ratings))) {
      if (existsSync(path.join(dir, l.movies))) return undefined;
      return {
        source: 'file',
        path: path.join(dir, l.ratings),
        format: 'csv',
        delimiter: l.delimiter,
        header: l.header,
        columns: { user: 0, item: 1, rating: 2, timestamp: 3 },
      };
    }
  }
  return undefined;
}

/** Human-readable name of a data source, used as the split name in evaluation reports. */
export function dataSourceName(spec: DataSource): string {
  switch (spec.source) {
    case 'synthetic':
      return `synthetic ${spec.users}x${spec.items} seed ${spec.seed}`;
    case 'movielens':
      return spec.variant;
    case 'movielens-dir':
      return path.basename(spec.dir);
    case 'file':
      return path.basename(spec.path);
    case 'ncf-split':
      return path.basename(path.dirname(spec.prefix)) === path.basename(spec.prefix)
        ? path.basename(spec.prefix)
        : `${path.basename(path.dirname(spec.prefix))}/${path.basename(spec.prefix)}`;
  }
}

/** Checks a data source read back from a model file; throws ConfigError when it is not one. */
export function checkDataSource(value: unknown, where: string): DataSource {
  const v = value as Partial<Record<string, unknown>> | undefined;
  const ok =
    typeof v === 'object' &&
    v !== null &&
    ((v.source === 'synthetic' &&
      typeof v.users === 'number' &&
      typeof v.items === 'number' &&
      typeof v.seed === 'number') ||
      (v.source === 'movielens' && typeof v.variant === 'string' && isMovieLensVariant(v.variant)) ||
      (v.source === 'movielens-dir' && typeof v.dir === 'string') ||
      (v.source === 'ncf-split' && typeof v.prefix === 'string') ||
      (v.source === 'file' &&
        typeof v.path === 'string' &&
        (DATA_FILE_FORMATS as readonly unknown[]).includes(v.format)));
  if (!ok) {
    throw new ConfigError(
      `${where} does not record which data the model was trained on; pass --data`,
      'data',
    );
  }
  return v as DataSource;
}
