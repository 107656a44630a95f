import { describe, expect, it } from 'vitest';
import { DataError, createRng } from '@ncf/core';
import { parseFixedNegatives } from '@ncf/datasets';
import {
  activityGroups,
  coldWarmGroups,
  evaluate,
  formatResultTable,
  negativeListsFromFixed,
  popularityScorer,
  randomScorer,
  resultToJson,
  userItemsFromPairs,
  type EvalData,
} from '../src/index.js';

const data: EvalData = {
  name: 'tiny split',
  numUsers: 2,
  numItems: 4,
  test: { users: Int32Array.from([0, 1]), items: Int32Array.from([3, 0]) },
  exclude: userItemsFromPairs(2, Int32Array.from([0, 0, 1]), Int32Array.from([0, 1, 1])),
  excludeLabel: 'train',
};

describe('reports', () => {
  it('the description line names split, protocol, negatives, K, users and what was masked', async () => {
    const r = await evaluate(popularityScorer(4, Int32Array.from([0, 1, 1, 2])), data, { k: 2 });
    expect(r.description).toBe(
      'split=tiny split · protocol=full ranking (all 4 items scored) · negatives=all unmasked items · K=2 · users=2 · ' +
        'masked=train (3 items over evaluated users)',
    );
    expect(r.model).toBe('baseline/popularity');
  });

  it('the table shows every metric with the description under it; sampled results are flagged', async () => {
    const pop = popularityScorer(4, Int32Array.from([0, 1, 1, 2]));
    const full = await evaluate(pop, data, { k: 2, groups: coldWarmGroups(data.exclude!, 1) });
    const negatives = negativeListsFromFixed(
      parseFixedNegatives('(0,3)\t2\n(1,0)\t2\t3\n', { file: 'n.neg' }),
    );
    const sampled = await evaluate(pop, { ...data, negatives }, { protocol: 'sampled', k: 1 });
    const table = formatResultTable([full, sampled]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^model\s+group\s+users\s+hr@2\s+ndcg@2/);
    expect(table).toContain(full.description);
    expect(table).toContain(`[SAMPLED] ${sampled.description}`);
    expect(table).toMatch(/baseline\/popularity\s+cold \(≤1 train\)\s+1\s/);
    expect(table).toContain((full.metrics['hr@2'] as number).toFixed(4));
  });

  it('JSON keeps the numbers and the description; NaN becomes null', async () => {
    const r = await evaluate(popularityScorer(4, Int32Array.from([0])), data, {
      k: 1,
      groups: { names: ['none'], ofUser: Int32Array.from([-1, -1]) },
    });
    const json = resultToJson(r) as {
      description: string;
      metrics: Record<string, number>;
      groups: Record<string, { metrics: Record<string, number | null> }>;
    };
    expect(json.description).toBe(r.description);
    expect(json.metrics['hr@1']).toBe(r.metrics['hr@1']);
    expect(json.groups.none?.metrics['hr@1']).toBeNull();
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('groups', () => {
  it('activity buckets by training count', () => {
    const train = userItemsFromPairs(
      4,
      Int32Array.from([0, 1, 1, 2, 2, 2, 2]),
      Int32Array.from([0, 0, 1, 0, 1, 2, 3]),
    );
    const g = activityGroups(train, [1, 3]);
    expect(g.names).toEqual(['≤1', '2–3', '>3']);
    // counts 1, 2, 4, 0
    expect([...g.ofUser]).toEqual([0, 1, 2, 0]);
  });
});

describe('baselines', () => {
  it('popularity scores are training counts, the same through score and scoreAll', () => {
    const pop = popularityScorer(4, Int32Array.from([2, 0, 2, 2, 1]));
    expect([...pop.score(Int32Array.from([0, 1, 1]), Int32Array.from([2, 0, 3]))]).toEqual([3, 1, 0]);
    expect([...pop.scoreAll(Int32Array.from([0, 1]))]).toEqual([1, 1, 3, 0, 1, 1, 3, 0]);
    expect(() => popularityScorer(2, Int32Array.from([2]))).toThrow(DataError);
  });

  it('random scores are seeded, consistent between score and scoreAll, and in [0, 1)', () => {
    const a = randomScorer(50, { seed: 9 });
    const all = a.scoreAll(Int32Array.from([3, 4]));
    const users = Int32Array.from({ length: 100 }, (_, p) => (p < 50 ? 3 : 4));
    const items = Int32Array.from({ length: 100 }, (_, p) => p % 50);
    expect(a.score(users, items)).toEqual(all);
    expect(randomScorer(50, { seed: 9 }).scoreAll(Int32Array.from([3, 4]))).toEqual(all);
    expect(randomScorer(50, { seed: 10 }).scoreAll(Int32Array.from([3, 4]))).not.toEqual(all);
    for (const v of all) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });

  it('the random baseline sits at chance under full ranking (HR@10 ≈ 10 / 500)', async () => {
    const rng = createRng(1);
    const n = 3000;
    const test = {
      users: Int32Array.from({ length: n }, (_, u) => u),
      items: Int32Array.from({ length: n }, () => rng.int(500)),
    };
    const r = await evaluate(randomScorer(500, { seed: 3 }), { numUsers: n, numItems: 500, test }, { k: 10 });
    // binomial sd = sqrt(0.02 · 0.98 / 3000) ≈ 0.0026; allow 4 sd
    expect(Math.abs((r.metrics['hr@10'] as number) - 0.02)).toBeLessThan(0.0104);
  });
});
