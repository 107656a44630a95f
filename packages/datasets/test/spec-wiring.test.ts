import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DataError,
  MissingDataInputError,
  createRng,
  type Batch,
  type DataSpec,
} from '@ncf/core/base';
import { batchSourceFor, datasetInfoFor, interactionsFromArrays, withRatings } from '../src/index.js';

// user 0 rated item 0 (5) and item 1 (1); user 1 rated item 1 (4); item 2 is never rated.
const rated = interactionsFromArrays(
  {
    users: Int32Array.of(0, 0, 1),
    items: Int32Array.of(0, 1, 1),
    ratings: Float32Array.of(5, 1, 4),
  },
  { numUsers: 2, numItems: 3 },
);
const implicit = withRatings(rated, undefined);
const features = { names: ['a', 'b'], rows: 3, dim: 2, values: Float32Array.of(1, 0, 0, 1, 1, 1) };

function epoch(spec: DataSpec, negatives?: number): Batch[] {
  const source = batchSourceFor(spec, rated, negatives === undefined ? {} : { negatives });
  expect(source.kind).toBe(spec.batch);
  return Array.from(source.batches(100, createRng(3)));
}

describe('batchSourceFor', () => {
  it('pointwise implicit: every positive labelled 1 plus `negatives` unseen items labelled 0', () => {
    const [b] = epoch({ batch: 'pointwise', labels: 'implicit', inputs: [] }, 2) as [
      Extract<Batch, { kind: 'pointwise' }>,
    ];
    expect(b.users.length).toBe(9);
    expect([...b.labels].sort()).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    for (let k = 0; k < 9; k++) {
      if (b.labels[k] === 1) continue;
      // user 0 has seen items 0 and 1, so its only negative is 2; user 1 has seen item 1
      expect(b.users[k] === 0 ? [2] : [0, 2]).toContain(b.items[k]);
    }
  });

  it('pointwise rating: the ratings as labels and no negatives, even when negatives are asked for', () => {
    const [b] = epoch({ batch: 'pointwise', labels: 'rating', inputs: [] }, 4) as [
      Extract<Batch, { kind: 'pointwise' }>,
    ];
    const triples = [...b.users].map((u, k) => [u, b.items[k], b.labels[k]]);
    expect(triples.sort()).toEqual([
      [0, 0, 5],
      [0, 1, 1],
      [1, 1, 4],
    ]);
  });

  it('pairwise: each interaction once with an unseen negative (graph models consume the same)', () => {
    const [b] = epoch({ batch: 'pairwise', inputs: ['graph'] }) as [Extract<Batch, { kind: 'pairwise' }>];
    expect(b.users.length).toBe(3);
    for (let k = 0; k < 3; k++) expect(b.users[k] === 0 ? [2] : [0, 2]).toContain(b.negatives[k]);
  });

  it('user-history: targets with the user history, the target masked out', () => {
    const [b] = epoch({ batch: 'user-history', labels: 'rating', inputs: [] }) as [
      Extract<Batch, { kind: 'user-history' }>,
    ];
    expect(b.users.length).toBe(3);
    for (let k = 0; k < 3; k++) {
      const hist = [...b.historyItems.subarray(b.offsets[k]!, b.offsets[k + 1]!)];
      const own = b.users[k] === 0 ? [0, 1] : [1];
      expect(hist).toEqual(own.filter((i) => i !== b.items[k]));
    }
  });

  it('rejects rating labels on unrated data (DataError) and malformed specs (ConfigError)', () => {
    expect(() => batchSourceFor({ batch: 'pointwise', labels: 'rating', inputs: [] }, implicit)).toThrow(
      DataError,
    );
    expect(() => batchSourceFor({ batch: 'pointwise', labels: 'rating', inputs: [] }, implicit)).toThrow(
      /rating labels, but the training interactions have no ratings/,
    );
    expect(() => batchSourceFor({ batch: 'pointwise', inputs: [] }, rated)).toThrow(ConfigError);
  });
});

describe('datasetInfoFor', () => {
  it('builds the symmetric-normalised graph a graph spec names, from the training interactions', () => {
    const info = datasetInfoFor({ batch: 'pairwise', inputs: ['graph'] }, implicit);
    const g = info.graph!;
    // nodes u0, u1, i0 = 2, i1 = 3, i2 = 4; degrees u0 2, u1 1, i0 1, i1 2
    expect([g.numRows, g.numCols, g.normalization]).toEqual([5, 5, 'symmetric']);
    expect([...g.offsets]).toEqual([0, 2, 3, 4, 6, 6]);
    expect([...g.indices]).toEqual([2, 3, 3, 0, 0, 1]);
    const [a, h] = [Math.SQRT1_2, 0.5];
    [a, h, a, a, h, a].forEach((v, k) => expect(g.values[k]).toBeCloseTo(v, 6));
    expect(info.userHistories).toBeUndefined();
    expect(info.itemFeatures).toBeUndefined();
  });

  it('follows graphOptions: normalization none keeps the binary edge weights', () => {
    const g = datasetInfoFor({ batch: 'pairwise', inputs: ['graph'] }, implicit, {
      graphOptions: { normalization: 'none' },
    }).graph!;
    expect(g.normalization).toBe('none');
    expect([...g.values]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('builds user histories with the raw ratings (1s for implicit data)', () => {
    const spec: DataSpec = { batch: 'user-history', labels: 'rating', inputs: ['userHistories'] };
    const h = datasetInfoFor(spec, rated).userHistories!;
    expect([h.numRows, h.numCols, [...h.offsets], [...h.indices], [...h.values!]]).toEqual([
      2,
      3,
      [0, 2, 3],
      [0, 1, 1],
      [5, 1, 4],
    ]);
    expect([...datasetInfoFor(spec, implicit).userHistories!.values!]).toEqual([1, 1, 1]);
    expect(datasetInfoFor(spec, rated).ratingRange).toEqual([1, 5]);
  });

  it('takes features from extras, and only the inputs the spec names', () => {
    const spec: DataSpec = { batch: 'pointwise', labels: 'implicit', inputs: ['itemFeatures'] };
    expect(datasetInfoFor(spec, implicit, { itemFeatures: features }).itemFeatures).toBe(features);
    const none = datasetInfoFor({ ...spec, inputs: [] }, implicit, { itemFeatures: features });
    expect(none.itemFeatures).toBeUndefined();
  });

  it('names a missing feature input and how to provide it', () => {
    const spec: DataSpec = { batch: 'pointwise', labels: 'implicit', inputs: ['userFeatures'] };
    let err: unknown;
    try {
      datasetInfoFor(spec, implicit, { itemFeatures: features });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingDataInputError);
    expect((err as MissingDataInputError).input).toBe('userFeatures');
    expect((err as Error).message).toBe(
      "the model needs dataset input 'userFeatures' (pointwise batches with implicit labels, inputs " +
        'userFeatures), which cannot be built from interactions; give extras.userFeatures (a FeatureMatrix ' +
        "with one row per user, e.g. from multiHotFeatures or @ncf/movielens' user features)",
    );
  });

  it('carries custom inputs from extras.inputs and names a missing one', () => {
    const tags = { type: 'dense' as const, ...features };
    const spec: DataSpec = { batch: 'pairwise', inputs: ['tags'] };
    expect(datasetInfoFor(spec, implicit, { inputs: { tags } }).inputs).toEqual({ tags });
    expect(() => datasetInfoFor(spec, implicit)).toThrow(/give extras\.inputs\['tags'\]/);
  });

  it('rejects a given input that does not fit the id maps', () => {
    const spec: DataSpec = { batch: 'pointwise', labels: 'implicit', inputs: ['itemFeatures'] };
    expect(() =>
      datasetInfoFor(spec, implicit, {
        itemFeatures: { ...features, rows: 2, values: features.values.slice(4) },
      }),
    ).toThrow(/item features have 2 rows; expected 3/);
  });
});
