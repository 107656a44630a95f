import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leaveOneOut, readDelimited, readFixedNegatives, seenItems } from '../src/index.js';

const shared =
  process.env.NCF_SHARED_DATA ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
const ml100k = join(shared, 'ml-100k', 'u.data');
const loo = join(shared, 'ml-100k-loo');

describe.skipIf(!existsSync(ml100k))('real ML-100K (shared data)', () => {
  it('parses u.data: 100,000 ratings, 943 users, 1,682 items, ratings 1–5', async () => {
    const { interactions: x, report } = await readDelimited(ml100k, { delimiter: '\t', ratingRange: [1, 5] });
    expect(report.rows).toBe(100_000);
    expect(report.header).toBeUndefined();
    expect(x.numUsers).toBe(943);
    expect(x.numItems).toBe(1682);
    expect(x.userIds.id(0)).toBe(1);
    expect(x.userIds.id(942)).toBe(943);
    const s = leaveOneOut(x);
    expect(s.test.length).toBe(943);
    expect(s.train.length).toBe(100_000 - 943);
  });
});

describe.skipIf(!existsSync(join(loo, 'ml-100k.test.negative')))(
  'NCF-format ml-100k-loo files (shared data)',
  () => {
    it('reads train/test ratings and 99 fixed negatives per user, none seen in train', async () => {
      const opts = { delimiter: '\t', header: false as const, columns: { rating: null, timestamp: null } };
      const { interactions: train } = await readDelimited(join(loo, 'ml-100k.train.rating'), opts);
      const neg = await readFixedNegatives(join(loo, 'ml-100k.test.negative'));
      expect(neg.users.length).toBe(943);
      expect(neg.offsets[1]).toBe(99);
      expect(neg.report.duplicateNegatives).toBe(0);
      const seen = seenItems(train);
      for (let k = 0; k < 50; k++) {
        const u = neg.users[k]!;
        // dense ids in these files equal the raw ids only when every id 0..n-1 occurs; map through the id maps
        const du = train.userIds.index(u);
        const own = new Set(seen.indices.subarray(seen.offsets[du], seen.offsets[du + 1]));
        for (let j = neg.offsets[k]!; j < neg.offsets[k + 1]!; j++) {
          expect(own.has(train.itemIds.indexOf(neg.negatives[j]!))).toBe(false);
        }
      }
    });
  },
);
