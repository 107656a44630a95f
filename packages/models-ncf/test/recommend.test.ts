import { initBackend, recommend as coreRecommend } from '@ncf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { mfFactory, recommend } from '../src/index.js';

describe('recommend (moved to @ncf/core)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  it('is re-exported for one release and agrees with scoreAll on a real model', () => {
    expect(recommend).toBe(coreRecommend);
    const m = mfFactory.create({ numUsers: 5, numItems: 50 }, {}, { seed: 3 });
    const r = recommend(m, 4, { k: 5, excludeSeen: false });
    const all = m.scoreAll!(Int32Array.of(4));
    const sorted = Array.from(all.keys()).sort((a, b) => all[b]! - all[a]! || a - b);
    expect(r.items).toEqual(sorted.slice(0, 5));
    m.dispose();
  });
});
