import { describe, expect, it } from 'vitest';
import {
  IdMap,
  bipartiteGraph,
  bucketFeatures,
  concatFeatures,
  datasetInfo,
  denseFeatures,
  edgeIndex,
  graphInfo,
  graphInfoFromGraph,
  interactionsFromIds,
  multiHotFeatures,
  oneHotFeatures,
} from '../src/index.js';
import { randomInteractions } from './helpers.js';

describe('features', () => {
  it('aligns multi-hot genres to the item map and adds cold-start items', () => {
    const x = interactionsFromIds({ users: ['a', 'b'], items: [10, 20] });
    const genres = multiHotFeatures(x.itemIds, [20, 30, 10], [['Drama'], ['Comedy', 'Drama'], []], {
      prefix: 'genre:',
    });
    expect(genres.added).toBe(1); // item 30: features, no interactions
    expect(genres.missing).toBe(0);
    expect(x.numItems).toBe(3); // live size
    expect(genres.matrix.names).toEqual(['genre:Comedy', 'genre:Drama']);
    // rows: item 10, item 20, item 30
    expect(Array.from(genres.matrix.values)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(() => multiHotFeatures(x.itemIds, [10], [['Horror']], { vocabulary: ['Drama'] })).toThrow(
      /not in the vocabulary/,
    );
    expect(() => multiHotFeatures(x.itemIds, [10, 10], [[], []])).toThrow(/has features twice/);
    expect(() => multiHotFeatures(x.itemIds, [99], [[]], { addUnknown: false })).toThrow(
      /item id 99 is not in the id map/,
    );
  });

  it('builds dense, one-hot and bucket features and concatenates with zero padding', () => {
    const users = new IdMap('user', [1, 2]);
    const age = denseFeatures(users, [2], [0.5], ['age']);
    expect(Array.from(age.matrix.values)).toEqual([0, 0.5]);
    expect(age.missing).toBe(1);
    const gender = oneHotFeatures(users, [1, 2, 3], ['F', 'M', 'F'], { prefix: 'gender:' });
    expect(gender.matrix.names).toEqual(['gender:F', 'gender:M']);
    expect(Array.from(gender.matrix.values)).toEqual([1, 0, 0, 1, 1, 0]);
    const all = concatFeatures(age.matrix, gender.matrix);
    expect(all.rows).toBe(3);
    expect(all.names).toEqual(['age', 'gender:F', 'gender:M']);
    expect(Array.from(all.values)).toEqual([0, 1, 0, 0.5, 0, 1, 0, 1, 0]);
    const items = new IdMap('item', ['x', 'y', 'z']);
    const years = bucketFeatures(items, ['x', 'y', 'z'], [1950, 1995, NaN], [1900, 1980, 2000], {
      prefix: 'year',
    });
    expect(years.matrix.names).toEqual(['year[1900,1980)', 'year[1980,2000)']);
    expect(Array.from(years.matrix.values)).toEqual([1, 0, 0, 1, 0, 0]);
    expect(() => denseFeatures(users, [1], [NaN], ['age'])).toThrow(/expected a finite number/);
  });

  it('passes into datasetInfo when rows match', () => {
    const x = interactionsFromIds({ users: ['a'], items: ['m1'] });
    const f = multiHotFeatures(x.itemIds, ['m1', 'm2'], [['A'], ['B']]);
    const info = datasetInfo(x, { itemFeatures: f.matrix });
    expect(info.numItems).toBe(2);
    expect(info.itemFeatures?.rows).toBe(2);
  });
});

describe('bipartite graph', () => {
  it('normalises symmetrically: w / sqrt(d_u d_i)', () => {
    // u0–i0, u0–i1, u1–i1 (twice: counted once)
    const x = interactionsFromIds({ users: [0, 0, 1, 1], items: [0, 1, 1, 1], ratings: [2, 4, 1, 3] });
    const g = graphInfo(x);
    expect([g.numRows, g.numCols, g.normalization]).toEqual([4, 4, 'symmetric']);
    expect(Array.from(g.offsets)).toEqual([0, 2, 3, 4, 6]);
    expect(Array.from(g.indices)).toEqual([2, 3, 3, 0, 0, 1]);
    const s = Math.SQRT1_2;
    const expected = [s, 0.5, s, s, 0.5, s];
    g.values.forEach((w, k) => expect(w).toBeCloseTo(expected[k]!, 6));
    const r = graphInfo(x, { weights: 'rating' });
    // degrees: u0 = 2+4, u1 = 3 (last rating), i0 = 2, i1 = 4+3
    expect(r.values[0]).toBeCloseTo(2 / Math.sqrt(6 * 2), 6);
    expect(r.values[1]).toBeCloseTo(4 / Math.sqrt(6 * 7), 6);
    expect(r.values[2]).toBeCloseTo(3 / Math.sqrt(3 * 7), 6);
    // 'none' keeps the raw edge weights: binary 1s, or the (last) ratings in CSR order
    const raw = graphInfo(x, { weights: 'rating', normalization: 'none' });
    expect(raw.normalization).toBe('none');
    expect(Array.from(raw.values)).toEqual([2, 4, 3, 2, 4, 3]);
    expect(Array.from(graphInfo(x, { normalization: 'none' }).values)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(() => graphInfo(x, { normalization: 'row' as 'none' })).toThrow(
      /'symmetric' or 'none', got "row"/,
    );
  });

  it('graphology graph has typed nodes, rating weights, degrees, and the same CSR', () => {
    const x = randomInteractions(21, 15, 25, 200);
    const graph = bipartiteGraph(x);
    expect(graph.order).toBe(40);
    expect(graph.getNodeAttribute('u:3', 'kind')).toBe('user');
    expect(graph.getNodeAttribute('i:4', 'index')).toBe(4);
    const a = graphInfo(x, { weights: 'rating' });
    const b = graphInfoFromGraph(graph, 15, 25, { weights: 'rating' });
    expect(Array.from(a.offsets)).toEqual(Array.from(b.offsets));
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    a.values.forEach((w, k) => expect(w).toBeCloseTo(b.values[k]!, 5));
    for (let u = 0; u < 15; u++) expect(graph.degree(`u:${u}`)).toBe(a.offsets[u + 1]! - a.offsets[u]!);
    // symmetric: every (s, t, w) has (t, s, w)
    const { sources, targets, weights } = edgeIndex(a);
    const key = new Map<string, number>();
    sources.forEach((s, k) => key.set(`${s},${targets[k]}`, weights[k]!));
    sources.forEach((s, k) => expect(key.get(`${targets[k]},${s}`)).toBe(weights[k]));
  });
});
