import { describe, expect, it } from 'vitest';
import { createRng } from '../src/index.js';
import {
  describeModelConformance,
  referenceMfFactory,
  tinyData,
  tinyDatasetInfo,
  tinyPairwiseSource,
  tinyPointwiseSource,
  tinyUserHistorySource,
} from '../src/testing/index.js';

// The conformance suite itself, proven on the reference dot-product MF on both JS backends.
describeModelConformance(referenceMfFactory, { backends: ['cpu', 'wasm'] });

describe('tiny generated data of the test kit', () => {
  const data = tinyData();

  it('plants clusters: every user has perUser distinct items of its own cluster', () => {
    expect(data.users.length).toBe(24 * 5);
    for (let u = 0; u < data.numUsers; u++) {
      const items = data.userItems.subarray(data.offsets[u]!, data.offsets[u + 1]!);
      expect(new Set(items).size).toBe(5);
      for (const i of items) expect(i % 4).toBe(u % 4);
    }
  });

  it('pointwise batches: positives labelled 1, sampled negatives 0 and never positives; same rng state, same epoch', () => {
    const source = tinyPointwiseSource(data, 2);
    const epoch = (seed: number) => [...source.batches(50, createRng(seed))];
    const a = epoch(3);
    expect(a.map((b) => b.users.length)).toEqual([50, 50, 50, 50, 50, 50, 50, 10]);
    expect(epoch(3)).toEqual(a);
    expect(epoch(4)).not.toEqual(a);
    let ones = 0;
    for (const b of a) {
      b.labels.forEach((y, k) => {
        const items = data.userItems.subarray(data.offsets[b.users[k]!]!, data.offsets[b.users[k]! + 1]!);
        expect(items.includes(b.items[k]!)).toBe(y === 1);
        ones += y;
      });
    }
    expect(ones).toBe(120);
  });

  it('user-history batches hold the user’s positives minus the target', () => {
    const [b] = [...tinyUserHistorySource(data).batches(8, createRng(1))];
    for (let k = 0; k < 8; k++) {
      const hist = [...b!.historyItems.subarray(b!.offsets[k]!, b!.offsets[k + 1]!)];
      const u = b!.users[k]!;
      const all = [...data.userItems.subarray(data.offsets[u]!, data.offsets[u + 1]!)];
      expect(hist).toEqual(all.filter((i) => i !== b!.items[k]));
    }
  });

  it('pairwise batches pair a positive with a sampled negative', () => {
    for (const source of [tinyPairwiseSource(data)]) {
      for (const b of source.batches(32, createRng(2))) {
        b.users.forEach((u, k) => {
          const items = data.userItems.subarray(data.offsets[u]!, data.offsets[u + 1]!);
          expect(items.includes(b.positives[k]!)).toBe(true);
          expect(items.includes(b.negatives[k]!)).toBe(false);
        });
      }
    }
  });

  it('the graph is symmetric with weights 1/sqrt(d_u d_i)', () => {
    const g = tinyDatasetInfo(data, { graph: true }).graph!;
    expect(g.numRows).toBe(56);
    expect(g.numCols).toBe(56);
    expect(g.normalization).toBe('symmetric');
    expect(g.offsets[56]).toBe(240);
    const deg = (n: number) => g.offsets[n + 1]! - g.offsets[n]!;
    for (let n = 0; n < g.numRows; n++) {
      const row = [...g.indices.subarray(g.offsets[n]!, g.offsets[n + 1]!)];
      expect(row).toEqual([...row].sort((a, b) => a - b));
      for (let e = g.offsets[n]!; e < g.offsets[n + 1]!; e++) {
        const m = g.indices[e]!;
        expect(g.values[e]).toBeCloseTo(1 / Math.sqrt(deg(n) * deg(m)), 6);
        expect([...g.indices.subarray(g.offsets[m]!, g.offsets[m + 1]!)]).toContain(n);
      }
    }
  });
});
