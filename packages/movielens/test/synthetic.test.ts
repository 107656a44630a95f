import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, createRng, shuffleInPlace } from '@ncf/core';
import { ML100K_GENRES, SYNTHETIC_DEFAULTS, loadMovieLens, writeSyntheticMovieLens } from '../src/index.js';
import { SMALL, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('writeSyntheticMovieLens', () => {
  it('is deterministic for a seed and differs across seeds', async () => {
    await writeSyntheticMovieLens(join(tmp.dir, 'a'), { ...SMALL, seed: 7 });
    await writeSyntheticMovieLens(join(tmp.dir, 'b'), { ...SMALL, seed: 7 });
    await writeSyntheticMovieLens(join(tmp.dir, 'c'), { ...SMALL, seed: 8 });
    for (const f of ['u.data', 'u.item', 'u.user']) {
      expect(readFileSync(join(tmp.dir, 'a', f)).equals(readFileSync(join(tmp.dir, 'b', f)))).toBe(true);
    }
    expect(
      readFileSync(join(tmp.dir, 'a', 'u.data')).equals(readFileSync(join(tmp.dir, 'c', 'u.data'))),
    ).toBe(false);
  });

  it('writes the ml-100k layout: 4 tab fields, 1-based ids, 1–5 ratings, ≥ min per user, no duplicate pairs', async () => {
    const dir = join(tmp.dir, 'layout');
    const s = await writeSyntheticMovieLens(dir, { ...SMALL, seed: 3 });
    const lines = readFileSync(join(dir, 'u.data'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(s.ratings);
    const perUser = new Map<number, number>();
    const pairs = new Set<string>();
    for (const line of lines) {
      const f = line.split('\t');
      expect(f).toHaveLength(4);
      const [u, i, r, t] = f.map(Number) as [number, number, number, number];
      expect(u >= 1 && u <= SMALL.users && i >= 1 && i <= SMALL.items).toBe(true);
      expect([1, 2, 3, 4, 5]).toContain(r);
      expect(t).toBeGreaterThan(874724710);
      pairs.add(`${u},${i}`);
      perUser.set(u, (perUser.get(u) ?? 0) + 1);
    }
    expect(pairs.size).toBe(lines.length);
    expect(perUser.size).toBe(SMALL.users);
    expect(Math.min(...perUser.values())).toBeGreaterThanOrEqual(SMALL.minRatingsPerUser);
    expect(readFileSync(join(dir, 'u.info'), 'utf8')).toBe(
      `${SMALL.users} users\n${SMALL.items} items\n${s.ratings} ratings\n`,
    );
    const genres = readFileSync(join(dir, 'u.genre'), 'utf8');
    expect(genres.split('\n').slice(0, 2)).toEqual(['unknown|0', 'Action|1']);
    expect(genres.endsWith('Western|18\n\n')).toBe(true);
  });

  it('writes u.item in Latin-1 (accented titles are single bytes, not UTF-8 pairs)', async () => {
    const dir = join(tmp.dir, 'latin1');
    await writeSyntheticMovieLens(dir, { ...SMALL, items: 200, seed: 1 });
    const bytes = readFileSync(join(dir, 'u.item'));
    const high = bytes.filter((b) => b >= 0x80);
    expect(high.length).toBeGreaterThan(0);
    expect(bytes.includes(Buffer.from([0xc3, 0xa9]))).toBe(false); // é as UTF-8
    const data = await loadMovieLens(dir);
    expect(data.items.titles.some((t) => /[éñÜïä]/.test(t))).toBe(true);
  });

  it('ties choices and ratings to genres (signal for content models) and has Zipf-like popularity', async () => {
    const dir = join(tmp.dir, 'signal');
    await writeSyntheticMovieLens(dir, { users: 300, items: 400, seed: 11 });
    const { interactions: x, items } = await loadMovieLens(dir);
    const G = ML100K_GENRES.length;
    const genreIndex = new Map(ML100K_GENRES.map((g, k) => [g, k] as const));
    // Mean KL divergence of each user's genre mix from the global mix, against the same data with the item
    // column shuffled (which keeps popularity and per-user counts but removes any user–genre tie).
    const meanKl = (itemCol: Int32Array): number => {
      const c = new Float64Array(x.numUsers * G);
      const glob = new Float64Array(G);
      for (let k = 0; k < x.length; k++) {
        for (const g of items.genres[itemCol[k]!]!) {
          c[x.users[k]! * G + genreIndex.get(g)!]! += 1;
          glob[genreIndex.get(g)!]! += 1;
        }
      }
      const gt = glob.reduce((a, b) => a + b, 0);
      let s = 0;
      for (let u = 0; u < x.numUsers; u++) {
        let t = 0;
        for (let g = 0; g < G; g++) t += c[u * G + g]!;
        for (let g = 0; g < G; g++) {
          const p = c[u * G + g]! / t;
          if (p > 0) s += p * Math.log(p / (glob[g]! / gt));
        }
      }
      return s / x.numUsers;
    };
    const shuffled = Int32Array.from(x.items);
    shuffleInPlace(shuffled, createRng(1));
    expect(meanKl(x.items)).toBeGreaterThan(1.4 * meanKl(shuffled));
    // Ratings: a user's ratings inside their most-rated genre are higher than outside it.
    const top = new Int32Array(x.numUsers);
    const c = new Float64Array(x.numUsers * G);
    for (let k = 0; k < x.length; k++)
      for (const g of items.genres[x.items[k]!]!) c[x.users[k]! * G + genreIndex.get(g)!]! += 1;
    for (let u = 0; u < x.numUsers; u++) {
      for (let g = 1; g < G; g++) if (c[u * G + g]! > c[u * G + top[u]!]!) top[u] = g;
    }
    let inSum = 0;
    let inN = 0;
    let outSum = 0;
    let outN = 0;
    for (let k = 0; k < x.length; k++) {
      if (items.genres[x.items[k]!]!.includes(ML100K_GENRES[top[x.users[k]!]!]!)) {
        inSum += x.ratings![k]!;
        inN++;
      } else {
        outSum += x.ratings![k]!;
        outN++;
      }
    }
    expect(inSum / inN - outSum / outN).toBeGreaterThan(0.1);
    // Zipf popularity: the top 10% of items get far more than 10% of the ratings.
    const deg = new Int32Array(x.numItems);
    for (const i of x.items) deg[i]! += 1;
    const sorted = [...deg].sort((a, b) => b - a);
    const head = sorted.slice(0, Math.ceil(x.numItems / 10)).reduce((a, b) => a + b, 0);
    expect(head / x.length).toBeGreaterThan(0.25);
  });

  it('defaults give about 30k ratings and reject bad options', async () => {
    expect(SYNTHETIC_DEFAULTS.users).toBe(500);
    await expect(
      writeSyntheticMovieLens(join(tmp.dir, 'bad'), { items: 10, minRatingsPerUser: 20 }),
    ).rejects.toThrow(ConfigError);
    await expect(writeSyntheticMovieLens(join(tmp.dir, 'bad'), { users: 0 })).rejects.toThrow(
      /users must be a positive integer/,
    );
  });
});
