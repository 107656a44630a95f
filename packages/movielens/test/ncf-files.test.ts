import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNcfSplit } from '../src/index.js';
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
    expect([...neg.offsets]).toEqual([0, 3, 6]);
    expect([...neg.negatives]).toEqual([1, 5, 1, 2, 3, 4]);
    expect(neg.report.linesWithDuplicates).toBe(1);
  });

  it('requires the train and test files, naming the missing one', async () => {
    const p = join(tmp.dir, 'half');
    writeFileSync(`${p}.train.rating`, '0\t0\t5\t10\n');
    await expect(readNcfSplit(p)).rejects.toThrow(/half\.test\.rating/);
  });
});
