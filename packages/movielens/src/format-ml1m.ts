import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@ncf/core/base';
import { parseGender } from './format-ml100k.js';
import type { MovieTable, UserTable } from './movie-tables.js';
import { yearFromTitle } from './movie-tables.js';
import { ML1M_GENRES } from './genres.js';
import { forEachLine, parseIntField, readTextFile } from './text-lines.js';

export { ML1M_GENRES } from './genres.js';

/** ml-1m's occupation codes 0..20 (README), index = code. */
export const ML1M_OCCUPATIONS: readonly string[] = [
  'other',
  'academic/educator',
  'artist',
  'clerical/admin',
  'college/grad student',
  'customer service',
  'doctor/health care',
  'executive/managerial',
  'farmer',
  'homemaker',
  'K-12 student',
  'lawyer',
  'programmer',
  'retired',
  'sales/marketing',
  'scientist',
  'self-employed',
  'technician/engineer',
  'tradesman/craftsman',
  'unemployed',
  'writer',
];

/** ml-1m's age-group codes (README): 1 = under 18, 18 = 18–24, …, 56 = 56+. */
export const ML1M_AGE_GROUPS: readonly number[] = [1, 18, 25, 35, 45, 50, 56];

/**
 * Splits a multi-hot genre list (`Action|Comedy`) into `flags` (row `row`), growing `names` with genres not in
 * the known list (kept in first-appearance order). Returns nothing; an empty genre name is a `DataError`.
 */
export function addGenres(
  list: string,
  names: string[],
  index: Map<string, number>,
  rows: number[][],
  file: string,
  line: number,
): void {
  const row: number[] = [];
  for (const genre of list.split('|')) {
    if (genre.length === 0) throw new DataError(`empty genre in ${JSON.stringify(list)}`, { file, line });
    let k = index.get(genre);
    if (k === undefined) {
      k = names.length;
      names.push(genre);
      index.set(genre, k);
    }
    row.push(k);
  }
  rows.push(row);
}

/** Turns per-row genre index lists into a row-major multi-hot matrix. */
export function multiHot(rows: readonly number[][], width: number): Uint8Array {
  const out = new Uint8Array(rows.length * width);
  rows.forEach((row, r) => {
    for (const k of row) out[r * width + k] = 1;
  });
  return out;
}

/**
 * Parses ml-1m's `movies.dat`: Latin-1, `MovieID::Title (Year)::Genre|Genre`. The year comes from the title.
 * Genres outside the README's list are appended to the vocabulary rather than rejected.
 */
export async function readMoviesDat(path: string): Promise<MovieTable> {
  const text = await readTextFile(path, 'latin1');
  const names = [...ML1M_GENRES];
  const index = new Map(names.map((g, i) => [g, i] as const));
  const ids: number[] = [];
  const titles: string[] = [];
  const years: number[] = [];
  const rows: number[][] = [];
  forEachLine(text, (line, n) => {
    const parts = line.split('::');
    if (parts.length !== 3) {
      throw new DataError(`expected 3 '::'-separated fields (MovieID::Title::Genres), got ${parts.length}`, {
        file: path,
        line: n,
      });
    }
    ids.push(parseIntField(parts[0], 'MovieID', path, n));
    titles.push(parts[1] as string);
    years.push(yearFromTitle(parts[1] as string));
    addGenres(parts[2] as string, names, index, rows, path, n);
  });
  return {
    ids: Int32Array.from(ids),
    titles,
    years: Int32Array.from(years),
    genreNames: names,
    genres: multiHot(rows, names.length),
  };
}

/** Parses ml-1m's `users.dat`: `UserID::Gender::Age::Occupation::Zip-code` (age group and occupation codes as in the README). */
export async function readUsersDat(path: string): Promise<UserTable> {
  const text = await readTextFile(path, 'latin1');
  const ids: number[] = [];
  const ages: number[] = [];
  const genders: number[] = [];
  const occ: number[] = [];
  const zips: string[] = [];
  forEachLine(text, (line, n) => {
    const parts = line.split('::');
    if (parts.length !== 5) {
      throw new DataError(
        `expected 5 '::'-separated fields (UserID::Gender::Age::Occupation::Zip-code), got ${parts.length}`,
        { file: path, line: n },
      );
    }
    ids.push(parseIntField(parts[0], 'UserID', path, n));
    genders.push(parseGender(parts[1], path, n));
    const age = parseIntField(parts[2], 'Age', path, n);
    if (!ML1M_AGE_GROUPS.includes(age)) {
      throw new DataError(`Age ${age} is not an age-group code (${ML1M_AGE_GROUPS.join(', ')})`, {
        file: path,
        line: n,
      });
    }
    ages.push(age);
    const o = parseIntField(parts[3], 'Occupation', path, n);
    if (o >= ML1M_OCCUPATIONS.length)
      throw new DataError(`Occupation ${o} is not a code in 0..20`, { file: path, line: n });
    occ.push(o);
    zips.push(parts[4] as string);
  });
  return {
    ids: Int32Array.from(ids),
    ages: Int32Array.from(ages),
    genders: Uint8Array.from(genders),
    occupations: Int32Array.from(occ),
    occupationNames: ML1M_OCCUPATIONS,
    zipCodes: zips,
  };
}

/** Reads the metadata of an extracted ml-1m directory (`movies.dat`, and `users.dat` when present). */
export async function readMl1mMetadata(
  dir: string,
): Promise<{ movies: MovieTable; users: UserTable | undefined }> {
  const movies = await readMoviesDat(join(dir, 'movies.dat'));
  const usersPath = join(dir, 'users.dat');
  return { movies, users: existsSync(usersPath) ? await readUsersDat(usersPath) : undefined };
}
