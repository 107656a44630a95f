import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNcfNegatives, readNcfSplit } from '../src/index.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('NCF split files', () => {
  it('reads train/test/negative with identity ids covering every file', async () => {
    const p = join(tmp.dir, 'toy');
    writeFileSync(`${p}.train.rating`, '0\t0\t5\t10\n0\t2\t3\t11\n1\t1\t4\t12\n');
    writeFileSync(`${p}.test.rating`, '0\t3\t4\t20\n1\t0\t2\t21\n');
    writeFileSync(`${p}.test.negative`, '(0,3)\t1\t5\t1\n(1,0)\t2\t3\t4\n');
    const s = await readNcfSplit(p);
    expect(s.numUsers).toBe(2);
    expect(s.numItems).toBe(6); // item 5 appears only among negatives
    expect([...s.train.users]).toEqual([0, 0, 1]);
    expect([...s.train.items]).toEqual([0, 2, 1]);
    expect([...s.test.items]).toEqual([3, 0]);
    expect([...s.test.ratings!]).toEqual([4, 2]);
    expect(s.train.itemIds.id(5)).toBe(5);
    expect(s.train.itemIds).toBe(s.test.itemIds);
    const neg = s.negatives!;
    expect(neg.width).toBe(3);
    expect([...neg.negatives]).toEqual([1, 5, 1, 2, 3, 4]);
    expect(neg.linesWithDuplicates).toBe(1);
    expect(neg.linesWithPositiveAmongNegatives).toBe(0);
  });

  it('rejects a malformed pair, a different negative count and non-numeric ids with file:line', async () => {
    const p = join(tmp.dir, 'bad.test.negative');
    writeFileSync(p, '(0,3)\t1\t2\n0,3\t1\t2\n');
    await expect(readNcfNegatives(p)).rejects.toThrow(
      /bad\.test\.negative:2: first field "0,3" is not '\(user,item\)'/,
    );
    writeFileSync(p, '(0,3)\t1\t2\n(1,3)\t1\n');
    await expect(readNcfNegatives(p)).rejects.toThrow(/:2: 1 negatives; expected 2/);
    writeFileSync(p, '(0,3)\t1\tx\n');
    await expect(readNcfNegatives(p)).rejects.toThrow(
      /:1: negative 2 "x" is not a non-negative int32 item id/,
    );
  });
});
