import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFixedNegatives } from '@ncf/datasets';
import { loadMovieLens, readMl1mMetadata, readNcfSplit } from '../src/index.js';
import { SHARED_DATA } from './helpers.js';

// Integration tests on the real files in the shared folder (never in the repo); skipped when absent.
const ml100k = join(SHARED_DATA, 'ml-100k');
const ml1m = join(SHARED_DATA, 'ml-1m');

describe.skipIf(!existsSync(join(ml100k, 'u.data')))('real ml-100k', () => {
  it('loads 100,000 ratings of 943 users on 1,682 items with Latin-1 titles and demographics', async () => {
    const d = await loadMovieLens(ml100k);
    expect(d.interactions.length).toBe(100_000);
    expect(d.interactions.numUsers).toBe(943);
    expect(d.interactions.numItems).toBe(1682);
    expect(d.report.skipped).toBe(0);
    const x = d.interactions;
    expect([x.userIds.id(x.users[0]!), x.itemIds.id(x.items[0]!), x.ratings![0], x.timestamps![0]]).toEqual([
      196, 242, 3, 881250949,
    ]);
    const hist = [0, 0, 0, 0, 0];
    for (const r of x.ratings!) hist[r - 1]! += 1;
    expect(hist).toEqual([6110, 11370, 27145, 34174, 21201]);
    const titles = d.items.titles;
    expect(titles).toContain('Misérables, Les (1995)');
    const unknown = x.itemIds.index(267);
    expect(titles[unknown]).toBe('unknown');
    expect(d.items.years[unknown]).toBe(0);
    expect(d.items.genres[x.itemIds.index(1)]).toEqual(['Animation', "Children's", 'Comedy']);
    expect(d.userFeatures!.dim).toBe(7 + 1 + 2 + 21);
  });

  it('reads the leave-one-out split in NCF format', async () => {
    const prefix = join(SHARED_DATA, 'ml-100k-loo', 'ml-100k');
    const s = await readNcfSplit(prefix);
    expect(s.test.length).toBe(943);
    expect(s.train.length + s.test.length).toBe(100_000);
    expect(s.numUsers).toBe(943);
    expect(s.negatives!.negatives.length).toBe(943 * 99);
    expect([...s.negatives!.positives]).toEqual([...s.test.items]);
  });
});

describe.skipIf(!existsSync(join(ml1m, 'movies.dat')))('real ml-1m metadata and NCF files', () => {
  it('reads movies.dat (Latin-1) and users.dat', async () => {
    const { movies, users } = await readMl1mMetadata(ml1m);
    expect(movies.ids.length).toBe(3883);
    expect(movies.ids.at(-1)).toBe(3952);
    expect(movies.titles).toContain('Slingshot, The (Kådisbellan ) (1993)');
    expect([...movies.years].every((y) => y >= 1919 && y <= 2000)).toBe(true);
    expect(movies.genreNames).toHaveLength(18);
    expect(users!.ids.length).toBe(6040);
  });

  it.skipIf(!existsSync(join(SHARED_DATA, 'ncf', 'ml-1m.test.negative')))(
    'reads the paper’s ml-1m.test.negative with its known defect',
    async () => {
      const n = await readFixedNegatives(join(SHARED_DATA, 'ncf', 'ml-1m.test.negative'));
      expect(n.users.length).toBe(6040);
      expect(n.negatives.length).toBe(6040 * 99);
      expect(n.report.linesWithDuplicates).toBe(0);
      expect(n.report.positiveAmongNegatives).toBe(156);
    },
  );

  it.skipIf(!existsSync(join(SHARED_DATA, 'ml-1m-loo')))(
    'reads the ml-1m leave-one-out split (994,169 + 6,040 pairs)',
    async () => {
      const s = await readNcfSplit(join(SHARED_DATA, 'ml-1m-loo', 'ml-1m'));
      expect(s.train.length).toBe(994_169);
      expect(s.test.length).toBe(6040);
      expect(s.numItems).toBe(3706);
    },
  );
});

const partial = join(ml1m, 'partial-cs100', 'ratings.dat.gz');
describe.skipIf(!existsSync(partial) || !existsSync(join(ml1m, 'users.dat')))(
  'real ml-1m ratings prefix',
  () => {
    it('loads the public first 487,650 lines of ratings.dat (users 1–2999) with movies.dat and users.dat', async () => {
      // The copy lives in a temporary directory only for the test (never in the repo).
      const dir = mkdtempSync(join(tmpdir(), 'ncf-ml1m-'));
      try {
        writeFileSync(join(dir, 'ratings.dat'), gunzipSync(readFileSync(partial)));
        copyFileSync(join(ml1m, 'movies.dat'), join(dir, 'movies.dat'));
        copyFileSync(join(ml1m, 'users.dat'), join(dir, 'users.dat'));
        const d = await loadMovieLens(dir);
        const x = d.interactions;
        expect(d.format).toBe('1m');
        expect(x.length).toBe(487_650);
        expect(x.numUsers).toBe(2999);
        expect([
          x.userIds.id(x.users[0]!),
          x.itemIds.id(x.items[0]!),
          x.ratings![0],
          x.timestamps![0],
        ]).toEqual([1, 1193, 5, 978300760]);
        expect(d.userFeatures!.rows).toBe(2999);
        expect(d.itemFeatures!.rows).toBe(x.numItems);
        expect(d.items.titles[x.itemIds.index(1)]).toBe('Toy Story (1995)');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
