import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@ncf/core';
import {
  CSV_GENRES,
  readGenome,
  readMoviesCsv,
  readTagsCsv,
  readTextFile,
  splitCsvLine,
} from '../src/index.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('splitCsvLine', () => {
  it('handles quoted commas, escaped quotes and empty fields', () => {
    expect(splitCsvLine('1,"Shawshank Redemption, The (1994)",Crime|Drama', 'f', 1)).toEqual([
      '1',
      'Shawshank Redemption, The (1994)',
      'Crime|Drama',
    ]);
    expect(splitCsvLine('2,"""Great"" Performances: Cats (1998)",Musical', 'f', 1)).toEqual([
      '2',
      '"Great" Performances: Cats (1998)',
      'Musical',
    ]);
    expect(splitCsvLine('a,,b,', 'f', 1)).toEqual(['a', '', 'b', '']);
  });

  it('rejects an unterminated quote and text after a closing quote', () => {
    expect(() => splitCsvLine('1,"open,Drama', 'movies.csv', 7)).toThrow(
      'movies.csv:7: unterminated quoted field starting at column 3',
    );
    expect(() => splitCsvLine('1,"a"b,Drama', 'movies.csv', 7)).toThrow(
      /unexpected text after closing quote/,
    );
  });
});

describe('movies.csv', () => {
  it('reads UTF-8 titles with commas and quotes, years and genres incl. (no genres listed)', async () => {
    const path = join(tmp.dir, 'movies.csv');
    writeFileSync(
      path,
      'movieId,title,genres\n' +
        '1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n' +
        '318,"Shawshank Redemption, The (1994)",Crime|Drama\n' +
        '26,"""Great"" Performances: Cats (1998)",Musical\n' +
        '209171,Amélie (2001),(no genres listed)\n',
    );
    const t = await readMoviesCsv(path);
    expect([...t.ids]).toEqual([1, 318, 26, 209171]);
    expect(t.titles).toEqual([
      'Toy Story (1995)',
      'Shawshank Redemption, The (1994)',
      '"Great" Performances: Cats (1998)',
      'Amélie (2001)',
    ]);
    expect([...t.years]).toEqual([1995, 1994, 1998, 2001]);
    const g = t.genreNames.length;
    expect(g).toBe(CSV_GENRES.length);
    expect(t.genres[3 * g + CSV_GENRES.indexOf('(no genres listed)')]).toBe(1);
    expect(t.genres[1 * g + CSV_GENRES.indexOf('Crime')]).toBe(1);
  });

  it('rejects a wrong header, a wrong field count and invalid UTF-8 with file:line', async () => {
    const path = join(tmp.dir, 'bad.csv');
    writeFileSync(path, 'id,title,genres\n1,A (1995),Drama\n');
    await expect(readMoviesCsv(path)).rejects.toThrow(
      /bad\.csv:1: header is "id,title,genres"; expected "movieId,title,genres"/,
    );
    writeFileSync(path, 'movieId,title,genres\n1,A (1995),Drama\n2,B, The (1995),Drama\n');
    await expect(readMoviesCsv(path)).rejects.toThrow(
      /bad\.csv:3: expected 3 fields \(movieId,title,genres\), got 4/,
    );
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from('movieId,title,genres\n1,A (1995),Drama\n2,Caf'),
        Buffer.from([0xe9]),
        Buffer.from(' (1995),Drama\n'),
      ]),
    );
    const e = await readMoviesCsv(path).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).line).toBe(3);
    expect((e as DataError).message).toMatch(/invalid UTF-8/);
  });
});

describe('tags.csv and genome', () => {
  it('reads a quoted tag spanning two lines, and rejects a quote left open at the end', async () => {
    const path = join(tmp.dir, 'tags-multiline.csv');
    writeFileSync(path, 'userId,movieId,tag,timestamp\n1,10,"two\nlines",1\n2,11,ok,2\n');
    const t = await readTagsCsv(path);
    expect(t.tags).toEqual(['two\nlines', 'ok']);
    writeFileSync(path, 'userId,movieId,tag,timestamp\n1,10,ok,1\n2,11,"open,2\n');
    await expect(readTagsCsv(path)).rejects.toThrow(/tags-multiline\.csv:3: unterminated quoted field/);
  });

  it('counts tags per movie, case-insensitively', async () => {
    const path = join(tmp.dir, 'tags.csv');
    writeFileSync(
      path,
      'userId,movieId,tag,timestamp\n1,10,Pixar,1\n2,10,pixar ,2\n3,10,"dark, gritty",3\n3,11,funny,4\n',
    );
    const t = await readTagsCsv(path);
    const got = t.tags.map((tag, k) => `${t.movieIds[k]}:${tag}:${t.counts[k]}`).sort();
    expect(got).toEqual(['10:dark, gritty:1', '10:pixar:2', '11:funny:1']);
  });

  it('reads a complete genome and rejects a missing score', async () => {
    const dir = join(tmp.dir, 'genome');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'genome-tags.csv'), 'tagId,tag\n1,007\n2,action\n');
    writeFileSync(
      join(dir, 'genome-scores.csv'),
      'movieId,tagId,relevance\n5,1,0.25\n5,2,0.5\n9,1,1\n9,2,0\n',
    );
    const g = await readGenome(dir);
    expect(g.tagNames).toEqual(['007', 'action']);
    expect([...g.movieIds]).toEqual([5, 9]);
    expect([...g.relevance]).toEqual([0.25, 0.5, 1, 0]);
    writeFileSync(join(dir, 'genome-scores.csv'), 'movieId,tagId,relevance\n5,1,0.25\n5,2,0.5\n9,1,1\n');
    await expect(readGenome(dir)).rejects.toThrow(/movie 9 has no score for tag "action"/);
    writeFileSync(join(dir, 'genome-scores.csv'), 'movieId,tagId,relevance\n5,1,1.5\n');
    await expect(readGenome(dir)).rejects.toThrow(/genome-scores\.csv:2: .*1\.5.*relevance in \[0, 1\]/);
  });
});

describe('readTextFile', () => {
  it('rejects an unknown encoding with a ConfigError', async () => {
    const path = join(tmp.dir, 'enc.txt');
    writeFileSync(path, 'x\n');
    await expect(readTextFile(path, 'utf16' as never)).rejects.toThrow(ConfigError);
    await expect(readTextFile(path, 'utf16' as never)).rejects.toThrow(
      /unknown encoding "utf16".*expected 'latin1' or 'utf8'/,
    );
  });
});
