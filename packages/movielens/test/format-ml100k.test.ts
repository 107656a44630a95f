import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '@ncf/core';
import { ML100K_GENRES, readGenreFile, readUItem, readUUser } from '../src/index.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const flags = (...on: number[]): string =>
  ML100K_GENRES.map((_, k) => (on.includes(k) ? '1' : '0')).join('|');

describe('ml-100k u.item', () => {
  it('decodes Latin-1 titles, takes the year from the release date (else the title), and reads 19 genre flags', async () => {
    const path = join(tmp.dir, 'u.item');
    const lines = [
      `1|Toy Story (1995)|01-Jan-1995||http://x/1|${flags(3, 4, 5)}`,
      `2|Mis\u00e9rables, Les (1995)|4-Feb-1971||http://x/2|${flags(8)}`,
      `3|unknown|||http://x/3|${flags(0)}`,
      `4|No Date (1999)|||http://x/4|${flags(1)}`,
    ];
    writeFileSync(path, Buffer.from(lines.join('\n') + '\n', 'latin1'));
    const t = await readUItem(path);
    expect([...t.ids]).toEqual([1, 2, 3, 4]);
    expect(t.titles[1]).toBe('Misérables, Les (1995)');
    expect([...t.years]).toEqual([1995, 1971, 0, 1999]);
    expect(t.genreNames).toHaveLength(19);
    expect([...t.genres.subarray(0, 19)]).toEqual(
      ML100K_GENRES.map((_, k) => ([3, 4, 5].includes(k) ? 1 : 0)),
    );
    expect(t.genres[2 * 19 + 0]).toBe(1);
  });

  it('names file and line for a wrong field count, a bad flag and a bad date', async () => {
    const path = join(tmp.dir, 'bad.item');
    writeFileSync(path, `1|A (1995)|01-Jan-1995||u|${flags(1)}\n2|B (1995)|01-Jan-1995||u|0|1\n`, 'latin1');
    await expect(readUItem(path)).rejects.toThrow(`${path}:2: expected 24 '|'-separated fields`);
    writeFileSync(path, `1|A (1995)|01-Jan-1995||u|${flags(1).replace(/^0/, 'x')}\n`, 'latin1');
    await expect(readUItem(path)).rejects.toThrow(
      /bad\.item:1: genre flag 1 \(unknown\) is "x"; expected 0 or 1/,
    );
    writeFileSync(path, `1|A (1995)|1995-01-01||u|${flags(1)}\n`, 'latin1');
    const error = await readUItem(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).line).toBe(1);
    expect((error as DataError).file).toBe(path);
  });

  it('rejects an empty file', async () => {
    const path = join(tmp.dir, 'empty.item');
    writeFileSync(path, '');
    await expect(readUItem(path)).rejects.toThrow(/empty file/);
  });
});

describe('ml-100k u.user and u.genre', () => {
  it('reads id|age|gender|occupation|zip', async () => {
    const path = join(tmp.dir, 'u.user');
    writeFileSync(path, '1|24|M|technician|85711\n2|53|F|other|94043\n');
    const u = await readUUser(path);
    expect([...u.ids]).toEqual([1, 2]);
    expect([...u.ages]).toEqual([24, 53]);
    expect([...u.genders]).toEqual([1, 0]);
    expect(u.occupationNames[u.occupations[0]!]).toBe('technician');
    expect(u.zipCodes).toEqual(['85711', '94043']);
  });

  it('rejects an unknown occupation, a bad gender and a non-numeric age with file:line', async () => {
    const path = join(tmp.dir, 'bad.user');
    writeFileSync(path, '1|24|M|technician|85711\n2|53|F|astronaut|94043\n');
    await expect(readUUser(path)).rejects.toThrow(/bad\.user:2: occupation "astronaut" is not one of/);
    writeFileSync(path, '1|24|X|technician|85711\n');
    await expect(readUUser(path)).rejects.toThrow(/bad\.user:1: gender "X" is not 'M' or 'F'/);
    writeFileSync(path, '1|twenty|M|technician|85711\n');
    await expect(readUUser(path)).rejects.toThrow(/bad\.user:1: age "twenty" is not a non-negative integer/);
  });

  it('reads u.genre and checks its indices', async () => {
    const path = join(tmp.dir, 'u.genre');
    writeFileSync(path, 'unknown|0\nAction|1\n\n');
    expect(await readGenreFile(path)).toEqual(['unknown', 'Action']);
    writeFileSync(path, 'unknown|0\nAction|2\n');
    await expect(readGenreFile(path)).rejects.toThrow(/u\.genre:2: genre index 2, expected 1/);
  });
});
