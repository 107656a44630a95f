import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ML1M_GENRES, ML1M_OCCUPATIONS, readMoviesDat, readUsersDat, yearFromTitle } from '../src/index.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('ml-1m movies.dat', () => {
  it("reads Latin-1 'MovieID::Title (Year)::Genre|Genre' with the year from the title", async () => {
    const path = join(tmp.dir, 'movies.dat');
    const text = [
      "1::Toy Story (1995)::Animation|Children's|Comedy",
      '2::Slingshot, The (K\u00e5disbellan ) (1993)::Comedy|Drama',
      '3::Weird Genre (2000)::Drama|Noir-ish',
    ].join('\n');
    writeFileSync(path, Buffer.from(text + '\n', 'latin1'));
    const t = await readMoviesDat(path);
    expect([...t.ids]).toEqual([1, 2, 3]);
    expect(t.titles[1]).toBe('Slingshot, The (Kådisbellan ) (1993)');
    expect([...t.years]).toEqual([1995, 1993, 2000]);
    const g = t.genreNames.length;
    expect(t.genreNames.slice(0, 18)).toEqual(ML1M_GENRES);
    expect(t.genreNames[18]).toBe('Noir-ish'); // unknown genres are appended, not dropped
    const row0 = t.genreNames.filter((_, k) => t.genres[k] === 1);
    expect(row0).toEqual(['Animation', "Children's", 'Comedy']);
    expect(t.genres[2 * g + 18]).toBe(1);
  });

  it('reports wrong field counts and bad ids with file:line', async () => {
    const path = join(tmp.dir, 'bad.dat');
    writeFileSync(path, '1::A (1995)::Drama\n2::B (1996)\n');
    await expect(readMoviesDat(path)).rejects.toThrow(
      /bad\.dat:2: expected 3 '::'-separated fields \(MovieID::Title::Genres\), got 2/,
    );
    writeFileSync(path, 'x1::A (1995)::Drama\n');
    await expect(readMoviesDat(path)).rejects.toThrow(
      /bad\.dat:1: MovieID "x1" is not a non-negative integer/,
    );
    writeFileSync(path, '99999999999::A (1995)::Drama\n');
    await expect(readMoviesDat(path)).rejects.toThrow(/overflows int32/);
  });

  it('yearFromTitle handles trailing spaces and missing years', () => {
    expect(yearFromTitle('Babylon 5 (1994) ')).toBe(1994);
    expect(yearFromTitle('Cosmos (1980-1981)')).toBe(1980);
    expect(yearFromTitle('No year')).toBe(0);
  });
});

describe('ml-1m users.dat', () => {
  it('reads UserID::Gender::Age::Occupation::Zip-code with README codes', async () => {
    const path = join(tmp.dir, 'users.dat');
    writeFileSync(path, '1::F::1::10::48067\n2::M::56::16::70072\n');
    const u = await readUsersDat(path);
    expect([...u.genders]).toEqual([0, 1]);
    expect([...u.ages]).toEqual([1, 56]);
    expect(u.occupationNames[u.occupations[0]!]).toBe('K-12 student');
    expect(u.occupationNames).toBe(ML1M_OCCUPATIONS);
  });

  it('rejects an age that is not a group code and an occupation code > 20', async () => {
    const path = join(tmp.dir, 'bad-users.dat');
    writeFileSync(path, '1::F::1::10::48067\n2::M::30::16::70072\n');
    await expect(readUsersDat(path)).rejects.toThrow(/bad-users\.dat:2: Age 30 is not an age-group code/);
    writeFileSync(path, '1::F::1::21::48067\n');
    await expect(readUsersDat(path)).rejects.toThrow(
      /bad-users\.dat:1: Occupation 21 is not a code in 0\.\.20/,
    );
  });
});
