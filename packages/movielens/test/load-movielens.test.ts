import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '@ncf/core';
import {
  DECADE_BUCKETS,
  decadeBucket,
  detectMovieLensFormat,
  loadMovieLens,
  writeSyntheticMovieLens,
} from '../src/index.js';
import { SMALL, tempDir } from './helpers.js';

const tmp = tempDir();
const dirs = { '100k': join(tmp.dir, '100k'), '1m': join(tmp.dir, '1m'), csv: join(tmp.dir, 'csv') } as const;
beforeAll(async () => {
  for (const format of ['100k', '1m', 'csv'] as const)
    await writeSyntheticMovieLens(dirs[format], { ...SMALL, seed: 9, format });
});
afterAll(() => tmp.cleanup());

describe('loadMovieLens on generated files of every layout', () => {
  it.each(['100k', '1m', 'csv'] as const)(
    '%s: interactions match the ratings file row for row',
    async (format) => {
      const data = await loadMovieLens(dirs[format]);
      expect(data.format).toBe(format);
      expect(detectMovieLensFormat(dirs[format])).toBe(format);
      const file = format === '100k' ? 'u.data' : format === '1m' ? 'ratings.dat' : 'ratings.csv';
      const sep = format === '100k' ? '\t' : format === '1m' ? '::' : ',';
      const lines = readFileSync(join(dirs[format], file), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(format === 'csv' ? 1 : 0);
      const x = data.interactions;
      expect(x.length).toBe(lines.length);
      for (const k of [0, 1, Math.floor(lines.length / 2), lines.length - 1]) {
        const [u, i, r, t] = lines[k]!.split(sep).map(Number);
        expect(x.userIds.id(x.users[k]!)).toBe(u);
        expect(x.itemIds.id(x.items[k]!)).toBe(i);
        expect(x.ratings![k]).toBe(r);
        expect(x.timestamps![k]).toBe(t);
      }
      expect(data.info.numUsers).toBe(x.numUsers);
      expect(data.info.ratingRange).toEqual(format === 'csv' ? [0.5, 5] : [1, 5]);
      expect(data.items.titles).toHaveLength(x.numItems);
    },
  );

  it('item features are aligned to the dense item ids (genres, decade, year)', async () => {
    const data = await loadMovieLens(dirs['100k']);
    const f = data.itemFeatures!;
    expect(f.rows).toBe(data.interactions.numItems);
    expect(f.values).toHaveLength(f.rows * f.dim);
    for (let d = 0; d < f.rows; d += 7) {
      const row = f.values.subarray(d * f.dim, (d + 1) * f.dim);
      const genres = f.names.filter((n, k) => n.startsWith('genre:') && row[k] === 1).map((n) => n.slice(6));
      expect(genres).toEqual(data.items.genres[d]);
      const year = data.items.years[d]!;
      expect(row[f.names.indexOf(`decade:${DECADE_BUCKETS[decadeBucket(year)]}`)]).toBe(1);
      expect(row[f.names.indexOf('year')]).toBeCloseTo((year - 1900) / 100, 5);
      expect(data.items.titles[d]).toMatch(new RegExp(`\\(${year}\\)$`));
    }
  });

  it('user features: one-hot age group, gender and occupation per user', async () => {
    for (const format of ['100k', '1m'] as const) {
      const { userFeatures: f, interactions } = await loadMovieLens(dirs[format]);
      expect(f!.rows).toBe(interactions.numUsers);
      for (let d = 0; d < f!.rows; d++) {
        const row = f!.values.subarray(d * f!.dim, (d + 1) * f!.dim);
        const sum = (prefix: string): number =>
          f!.names.reduce((s, n, k) => s + (n.startsWith(prefix) ? row[k]! : 0), 0);
        expect(sum('age:')).toBe(1);
        expect(sum('gender:')).toBe(1);
        expect(sum('occupation:')).toBe(1);
      }
    }
    expect((await loadMovieLens(dirs.csv)).userFeatures).toBeUndefined();
  });

  it('csv: tag columns from tags.csv; features can be switched off', async () => {
    const data = await loadMovieLens(dirs.csv, {
      itemFeatures: { topTags: 3, yearBuckets: false, year: false },
    });
    expect(data.itemFeatures!.names.filter((n) => n.startsWith('tag:'))).toHaveLength(3);
    expect(data.itemFeatures!.names.some((n) => n.startsWith('decade:'))).toBe(false);
    const none = await loadMovieLens(dirs.csv, { itemFeatures: false });
    expect(none.itemFeatures).toBeUndefined();
  });

  it('coldStart indexes unrated movies from the metadata too', async () => {
    const dir = join(tmp.dir, 'cold');
    cpSync(dirs['100k'], dir, { recursive: true });
    const item = readFileSync(join(dir, 'u.item'), 'latin1').trimEnd().split('\n');
    const extra = item[0]!.replace(/^1\|/, '9999|');
    appendFileSync(join(dir, 'u.item'), Buffer.from(extra + '\n', 'latin1'));
    const warm = await loadMovieLens(dir);
    const cold = await loadMovieLens(dir, { coldStart: true });
    expect(warm.interactions.itemIds.has(9999)).toBe(false);
    expect(cold.interactions.numItems).toBe(item.length + 1); // every movie of u.item, rated or not
    expect(warm.interactions.numItems).toBeLessThan(item.length);
    const d = cold.interactions.itemIds.index(9999);
    expect(cold.itemFeatures!.rows).toBe(cold.interactions.numItems);
    expect(cold.items.titles[d]).toBe(cold.items.titles[cold.interactions.itemIds.index(1)]);
    expect(cold.interactions.length).toBe(warm.interactions.length);
  });

  it('bad rating lines: DataError with file:line, or skipped and counted with skipInvalid', async () => {
    const dir = join(tmp.dir, 'bad');
    cpSync(dirs['100k'], dir, { recursive: true });
    const data = join(dir, 'u.data');
    const good = readFileSync(data, 'utf8').trimEnd().split('\n');
    writeFileSync(
      data,
      [...good.slice(0, 3), '1\t2\t7\t881250949', '1\tx\t3\t881250949', '1\t2\t3', ...good.slice(3)].join(
        '\n',
      ) + '\n',
    );
    const e = await loadMovieLens(dir).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).file).toBe(data);
    expect((e as DataError).line).toBe(4);
    const skipped = await loadMovieLens(dir, { skipInvalid: true });
    expect(skipped.report.skipped).toBe(3);
    expect(skipped.report.problems.map((p) => p.line)).toEqual([4, 5, 6]);
    expect(skipped.interactions.length).toBe(good.length);
  });

  it('a rated movie missing from the metadata is an error; a folder without ratings too', async () => {
    const dir = join(tmp.dir, 'orphan');
    cpSync(dirs['1m'], dir, { recursive: true });
    appendFileSync(join(dir, 'ratings.dat'), '1::77777::3::978300760\n');
    await expect(loadMovieLens(dir)).rejects.toThrow(/movie id 77777 has interactions but no entry/);
    await expect(loadMovieLens(tmp.dir)).rejects.toThrow(/no MovieLens ratings file here/);
  });
});
