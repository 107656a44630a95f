import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { DataError } from '@ncf/core/base';
import type { MovieTable, UserTable } from './movie-tables.js';
import { ML100K_GENRES } from './genres.js';
import { forEachLine, parseIntField, readTextFile } from './text-lines.js';

export { ML100K_GENRES } from './genres.js';

/** The 21 occupations of ml-100k's `u.occupation` (used when the file is absent). */
export const ML100K_OCCUPATIONS: readonly string[] = [
  'administrator',
  'artist',
  'doctor',
  'educator',
  'engineer',
  'entertainment',
  'executive',
  'healthcare',
  'homemaker',
  'lawyer',
  'librarian',
  'marketing',
  'none',
  'other',
  'programmer',
  'retired',
  'salesman',
  'scientist',
  'student',
  'technician',
  'writer',
];

/** Reads `u.genre` (`name|index` lines); indices must be 0..n-1 in order. */
export async function readGenreFile(path: string): Promise<string[]> {
  const names: string[] = [];
  forEachLine(await readTextFile(path, 'latin1'), (line, n) => {
    const parts = line.split('|');
    if (parts.length !== 2)
      throw new DataError(`expected 'name|index', got ${JSON.stringify(line)}`, { file: path, line: n });
    const index = parseIntField(parts[1], 'genre index', path, n);
    if (index !== names.length)
      throw new DataError(`genre index ${index}, expected ${names.length}`, { file: path, line: n });
    names.push(parts[0] as string);
  });
  return names;
}

/** Reads `u.occupation` (one name per line). */
export async function readOccupationFile(path: string): Promise<string[]> {
  const names: string[] = [];
  forEachLine(await readTextFile(path, 'latin1'), (line) => names.push(line.trim()));
  return names;
}

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};

/**
 * Parses ml-100k's `u.item`: Latin-1, pipe-separated `id|title|release date (dd-Mon-yyyy)|video date|IMDb
 * URL|` then one 0/1 flag per genre. The year comes from the release date, else from the title, else 0
 * (item 267 `unknown` has neither). Genre names come from `u.genre` next to it when present.
 */
export async function readUItem(
  path: string,
  genreNames: readonly string[] = ML100K_GENRES,
): Promise<MovieTable> {
  const text = await readTextFile(path, 'latin1');
  const g = genreNames.length;
  const ids: number[] = [];
  const titles: string[] = [];
  const years: number[] = [];
  const flags: number[] = [];
  forEachLine(text, (line, n) => {
    const parts = line.split('|');
    if (parts.length !== 5 + g) {
      throw new DataError(
        `expected ${5 + g} '|'-separated fields (id|title|release date|video date|url|${g} genre flags), got ${parts.length}`,
        { file: path, line: n },
      );
    }
    ids.push(parseIntField(parts[0], 'movie id', path, n));
    const title = parts[1] as string;
    titles.push(title);
    const date = parts[2] as string;
    let year = 0;
    if (date.length > 0) {
      const m = /^(\d{1,2})-([A-Z][a-z]{2})-(\d{4})$/.exec(date);
      if (!m || MONTHS[m[2] as string] === undefined) {
        throw new DataError(`release date ${JSON.stringify(date)} is not dd-Mon-yyyy`, {
          file: path,
          line: n,
        });
      }
      year = Number(m[3]);
    } else {
      const t = /\((\d{4})\)\s*$/.exec(title);
      year = t ? Number(t[1]) : 0;
    }
    years.push(year);
    for (let k = 0; k < g; k++) {
      const f = parts[5 + k];
      if (f !== '0' && f !== '1') {
        throw new DataError(
          `genre flag ${k + 1} (${genreNames[k]}) is ${JSON.stringify(f)}; expected 0 or 1`,
          { file: path, line: n },
        );
      }
      flags.push(f === '1' ? 1 : 0);
    }
  });
  return {
    ids: Int32Array.from(ids),
    titles,
    years: Int32Array.from(years),
    genreNames: [...genreNames],
    genres: Uint8Array.from(flags),
  };
}

/**
 * Parses ml-100k's `u.user`: `id|age|gender|occupation|zip`. Occupation names must be in `occupations`
 * (from `u.occupation`); gender must be `M` or `F`.
 */
export async function readUUser(
  path: string,
  occupations: readonly string[] = ML100K_OCCUPATIONS,
): Promise<UserTable> {
  const text = await readTextFile(path, 'latin1');
  const index = new Map(occupations.map((o, i) => [o, i] as const));
  const ids: number[] = [];
  const ages: number[] = [];
  const genders: number[] = [];
  const occ: number[] = [];
  const zips: string[] = [];
  forEachLine(text, (line, n) => {
    const parts = line.split('|');
    if (parts.length !== 5) {
      throw new DataError(
        `expected 5 '|'-separated fields (id|age|gender|occupation|zip), got ${parts.length}`,
        { file: path, line: n },
      );
    }
    ids.push(parseIntField(parts[0], 'user id', path, n));
    ages.push(parseIntField(parts[1], 'age', path, n));
    genders.push(parseGender(parts[2], path, n));
    const o = index.get(parts[3] as string);
    if (o === undefined) {
      throw new DataError(`occupation ${JSON.stringify(parts[3])} is not one of ${occupations.join(', ')}`, {
        file: path,
        line: n,
      });
    }
    occ.push(o);
    zips.push(parts[4] as string);
  });
  return {
    ids: Int32Array.from(ids),
    ages: Int32Array.from(ages),
    genders: Uint8Array.from(genders),
    occupations: Int32Array.from(occ),
    occupationNames: [...occupations],
    zipCodes: zips,
  };
}

/** `M` → 1, `F` → 0, anything else a `DataError`. */
export function parseGender(value: string | undefined, file: string, line: number): number {
  if (value === 'M') return 1;
  if (value === 'F') return 0;
  throw new DataError(`gender ${JSON.stringify(value ?? '')} is not 'M' or 'F'`, { file, line });
}

/** Reads the metadata of an extracted ml-100k directory (`u.item`, `u.user`, and `u.genre`/`u.occupation` if present). */
export async function readMl100kMetadata(
  dir: string,
): Promise<{ movies: MovieTable; users: UserTable | undefined }> {
  const genrePath = join(dir, 'u.genre');
  const occupationPath = join(dir, 'u.occupation');
  const genres = existsSync(genrePath) ? await readGenreFile(genrePath) : ML100K_GENRES;
  const occupations = existsSync(occupationPath)
    ? await readOccupationFile(occupationPath)
    : ML100K_OCCUPATIONS;
  const movies = await readUItem(join(dir, 'u.item'), genres);
  const userPath = join(dir, 'u.user');
  const users = existsSync(userPath) ? await readUUser(userPath, occupations) : undefined;
  return { movies, users };
}
