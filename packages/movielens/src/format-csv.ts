import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@ncf/core/base';
import { readDelimited } from '@ncf/datasets';
import { addGenres, multiHot } from './format-ml1m.js';
import type { GenomeTable, MovieTable, TagTable } from './movie-tables.js';
import { yearFromTitle } from './movie-tables.js';
import { forEachLine, parseIntField, readTextFile, splitCsvLine } from './text-lines.js';

/** Genres of the CSV variants (ml-latest-small, ml-25m README), in this order; `(no genres listed)` last. */
export const CSV_GENRES: readonly string[] = [
  'Action',
  'Adventure',
  'Animation',
  'Children',
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'IMAX',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
  '(no genres listed)',
];

function checkHeader(line: string, expected: string, file: string): void {
  if (line !== expected)
    throw new DataError(`header is ${JSON.stringify(line)}; expected ${JSON.stringify(expected)}`, {
      file,
      line: 1,
    });
}

/**
 * Iterates the data rows of a UTF-8 CSV file with a fixed header, checking the field count of every row.
 * A quoted field may span lines (RFC 4180): a line with an odd number of quotes continues on the next one.
 */
async function forEachCsvRow(
  path: string,
  header: string,
  visit: (fields: string[], line: number) => void,
): Promise<void> {
  const text = await readTextFile(path, 'utf8');
  const width = header.split(',').length;
  let first = true;
  let pending: string | undefined;
  let pendingLine = 0;
  let quotes = 0;
  forEachLine(text, (line, n) => {
    if (first) {
      first = false;
      checkHeader(line, header, path);
      return;
    }
    let q = 0;
    for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) q++;
    if (pending !== undefined) {
      pending += `\n${line}`;
      quotes += q;
    } else {
      pending = line;
      pendingLine = n;
      quotes = q;
    }
    if (quotes % 2 === 1) return; // a quoted field continues on the next line
    const record = pending;
    pending = undefined;
    const fields = splitCsvLine(record, path, pendingLine);
    if (fields.length !== width) {
      throw new DataError(`expected ${width} fields (${header}), got ${fields.length}`, {
        file: path,
        line: pendingLine,
      });
    }
    visit(fields, pendingLine);
  });
  if (pending !== undefined) {
    throw new DataError('unterminated quoted field (runs to the end of the file)', {
      file: path,
      line: pendingLine,
    });
  }
}

/** Parses `movies.csv` (`movieId,title,genres`, titles quoted when they hold commas). Year from the title. */
export async function readMoviesCsv(path: string): Promise<MovieTable> {
  const names = [...CSV_GENRES];
  const index = new Map(names.map((g, i) => [g, i] as const));
  const ids: number[] = [];
  const titles: string[] = [];
  const years: number[] = [];
  const rows: number[][] = [];
  await forEachCsvRow(path, 'movieId,title,genres', (f, n) => {
    ids.push(parseIntField(f[0], 'movieId', path, n));
    const title = (f[1] as string).trim();
    titles.push(title);
    years.push(yearFromTitle(title));
    addGenres(f[2] as string, names, index, rows, path, n);
  });
  return {
    ids: Int32Array.from(ids),
    titles,
    years: Int32Array.from(years),
    genreNames: names,
    genres: multiHot(rows, names.length),
  };
}

/**
 * Parses `tags.csv` (`userId,movieId,tag,timestamp`) into per-(movie, tag) counts. Tags are trimmed and
 * lower-cased so `Pixar` and `pixar` count together.
 */
export async function readTagsCsv(path: string): Promise<TagTable> {
  const counts = new Map<string, number>();
  await forEachCsvRow(path, 'userId,movieId,tag,timestamp', (f, n) => {
    parseIntField(f[0], 'userId', path, n);
    const movie = parseIntField(f[1], 'movieId', path, n);
    const tag = (f[2] as string).trim().toLowerCase();
    if (tag.length === 0) return;
    const key = `${movie}\u0000${tag}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  const movieIds = new Int32Array(counts.size);
  const tags: string[] = [];
  const c = new Int32Array(counts.size);
  let k = 0;
  for (const [key, count] of counts) {
    const sep = key.indexOf('\u0000');
    movieIds[k] = Number(key.slice(0, sep));
    tags.push(key.slice(sep + 1));
    c[k++] = count;
  }
  return { movieIds, tags, counts: c };
}

/**
 * Parses the tag genome (`genome-tags.csv`: `tagId,tag`; `genome-scores.csv`: `movieId,tagId,relevance`)
 * into a dense movie × tag relevance matrix. Every movie must have a score for every tag (the published
 * genome is complete); a missing or repeated score is a `DataError`.
 */
export async function readGenome(dir: string): Promise<GenomeTable> {
  const tagsPath = join(dir, 'genome-tags.csv');
  const tagNames: string[] = [];
  const tagIndex = new Map<number, number>();
  await forEachCsvRow(tagsPath, 'tagId,tag', (f, n) => {
    tagIndex.set(parseIntField(f[0], 'tagId', tagsPath, n), tagNames.length);
    tagNames.push(f[1] as string);
  });
  const scoresPath = join(dir, 'genome-scores.csv');
  const t = tagNames.length;
  // genome-scores.csv has ~15.6 M rows in ml-25m: stream it through the typed-array delimited parser
  // (movieId → "user", tagId → "item", relevance → "rating"), never as one string.
  const s = await readDelimited(scoresPath, {
    delimiter: ',',
    header: true,
    columns: { user: 'movieId', item: 'tagId', rating: 'relevance', timestamp: null },
    ratingRange: [0, 1],
  }).then(
    (r) => r.interactions,
    (error: unknown) => {
      if (!(error instanceof DataError)) throw error;
      const detail = error.message.slice(error.message.indexOf(': ') + 2);
      throw new DataError(
        `${detail} (read as user = movieId, item = tagId, rating = relevance in [0, 1])`,
        { file: scoresPath, ...(error.line !== undefined ? { line: error.line } : {}) },
        { cause: error },
      );
    },
  );
  const movieIds = s.userIds.ids() as number[];
  const tagCol = new Int32Array(s.numItems);
  for (let k = 0; k < s.numItems; k++) {
    const col = tagIndex.get(s.itemIds.id(k) as number);
    if (col === undefined)
      throw new DataError(`tagId ${s.itemIds.id(k)} is not in genome-tags.csv`, { file: scoresPath });
    tagCol[k] = col;
  }
  const out = new Float32Array(movieIds.length * t).fill(Number.NaN);
  const rel = s.ratings as Float32Array;
  for (let k = 0; k < s.length; k++) {
    const at = (s.users[k] as number) * t + (tagCol[s.items[k] as number] as number);
    if (!Number.isNaN(out[at])) {
      throw new DataError(
        `movie ${movieIds[s.users[k] as number]} has a second score for tagId ${s.itemIds.id(s.items[k] as number)}`,
        { file: scoresPath, line: k + 2 },
      );
    }
    out[at] = rel[k] as number;
  }
  const missing = out.findIndex((v) => Number.isNaN(v));
  if (missing >= 0) {
    throw new DataError(
      `movie ${movieIds[Math.floor(missing / t)]} has no score for tag ${JSON.stringify(tagNames[missing % t])}`,
      { file: scoresPath },
    );
  }
  return { tagNames, movieIds: Int32Array.from(movieIds), relevance: out };
}

/** Reads the metadata of a CSV variant directory: `movies.csv`, and `tags.csv` / the genome when asked and present. */
export async function readCsvMetadata(
  dir: string,
  options: { tags?: boolean; genome?: boolean } = {},
): Promise<{ movies: MovieTable; tags: TagTable | undefined; genome: GenomeTable | undefined }> {
  const movies = await readMoviesCsv(join(dir, 'movies.csv'));
  const tagsPath = join(dir, 'tags.csv');
  const tags = options.tags && existsSync(tagsPath) ? await readTagsCsv(tagsPath) : undefined;
  const genome =
    options.genome && existsSync(join(dir, 'genome-scores.csv')) ? await readGenome(dir) : undefined;
  return { movies, tags, genome };
}
