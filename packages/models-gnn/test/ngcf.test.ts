import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError, initBackend, tf } from '@ncf/core';
import type { PairwiseBatch } from '@ncf/core';
import { NGCF_DEFAULTS, ngcfFactory, resolveNgcfConfig } from '../src/index.js';
import type { NgcfModel } from '../src/index.js';
import { clusteredInteractions, tinyInfo } from './tiny-graph.js';
import { graphBatches, testContext, trainAdam } from './train-helpers.js';

// 2 users, 3 items: u0–i0, u0–i1, u1–i1, u1–i2. Degrees u0 2, u1 2, i0 1, i1 2, i2 1.
const U = Int32Array.from([0, 0, 1, 1]);
const I = Int32Array.from([0, 1, 1, 2]);
const tiny = tinyInfo(2, 3, U, I);
const E0 = [
  [0.5, -0.2],
  [0.1, 0.4],
  [-0.3, 0.2],
  [0.6, 0.1],
  [0.2, -0.5],
];
const W1 = [
  [0.5, -1],
  [1, 0.25],
];
const W2 = [
  [2, 0],
  [0, -1],
];
const B1 = [0.1, -0.2];
const B2 = [0, 0.3];

type M = number[][];
const matmul = (a: M, b: M): M =>
  a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const add = (a: M, b: M): M => a.map((r, i) => r.map((v, j) => v + b[i]![j]!));
const hadamard = (a: M, b: M): M => a.map((r, i) => r.map((v, j) => v * b[i]![j]!));
const rowBias = (a: M, b: number[]): M => a.map((r) => r.map((v, j) => v + b[j]!));
const leaky = (a: M): M => a.map((r) => r.map((v) => (v > 0 ? v : 0.2 * v)));
const unit = (a: M): M => a.map((r) => r.map((v) => v / Math.hypot(...r)));

/** Dense adjacency of the tiny graph: paper `D^-1/2 A D^-1/2`; code `D^-1 (A + I)`. */
function adjacency(kind: 'paper' | 'code'): M {
  const deg = [2, 2, 1, 2, 1];
  const a: M = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
  for (let e = 0; e < U.length; e++) {
    const u = U[e]!;
    const i = 2 + I[e]!;
    a[u]![i] = a[i]![u] = 1;
  }
  return a.map((r, x) =>
    r.map((v, y) =>
      kind === 'paper' ? v / Math.sqrt(deg[x]! * deg[y]!) : (v + (x === y ? 1 : 0)) / (deg[x]! + 1),
    ),
  );
}

/** One NGCF layer by hand (no dropout), then `[E0, n(E1)]`. */
function expected(kind: 'paper' | 'code'): M {
  const side = matmul(adjacency(kind), E0);
  const first = kind === 'paper' ? add(side, E0) : side;
  const pre = add(rowBias(matmul(first, W1), B1), rowBias(matmul(hadamard(side, E0), W2), B2));
  const e1 = unit(leaky(pre));
  return E0.map((r, n) => [...r, ...e1[n]!]);
}

function setWeights(model: NgcfModel): void {
  const byName = new Map(model.variables().map((v) => [v.name, v.variable]));
  tf.tidy(() => {
    byName.get('embedding')!.assign(tf.tensor2d(E0));
    byName.get('layer0/w1')!.assign(tf.tensor2d(W1));
    byName.get('layer0/w2')!.assign(tf.tensor2d(W2));
    byName.get('layer0/b1')!.assign(tf.tensor2d([B1]));
    byName.get('layer0/b2')!.assign(tf.tensor2d([B2]));
  });
}

describe.each(['cpu', 'wasm'] as const)('gnn/ngcf on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it("has the paper's defaults and rejects bad fields", () => {
    expect(NGCF_DEFAULTS).toMatchObject({
      embeddingSize: 64,
      layerSizes: [64, 64, 64],
      adjacency: 'paper',
      leakySlope: 0.2,
      messageDropout: 0.1,
      nodeDropout: 0,
      layerL2: true,
    });
    expect(() => resolveNgcfConfig({ layerSizes: [64, 0] })).toThrow(ConfigError);
    expect(() => resolveNgcfConfig({ adjacency: 'norm' as never })).toThrow(/adjacency/);
    expect(() => resolveNgcfConfig({ messageDropout: 1 })).toThrow(/messageDropout/);
  });

  it.each(['paper', 'code'] as const)('matches a hand-computed layer with the %s adjacency', (adjacency) => {
    const before = tf.memory().numTensors;
    const model = ngcfFactory.create(tiny, { embeddingSize: 2, layerSizes: [2], adjacency });
    try {
      setWeights(model);
      const got = model.finalEmbeddings();
      const want = expected(adjacency).flat();
      expect(got.length).toBe(want.length);
      want.forEach((v, k) => expect(got[k]).toBeCloseTo(v, 5));
      // user 0 · item 2 from the concatenation
      const e = expected(adjacency);
      const dot = e[0]!.reduce((s, v, k) => s + v * e[4]![k]!, 0);
      expect(model.score(Int32Array.of(0), Int32Array.of(2))[0]).toBeCloseTo(dot, 5);
      const all = model.scoreAll(Int32Array.of(0));
      expect(all[2]).toBeCloseTo(dot, 5);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the two adjacencies differ (the self term enters both parts in code)', () => {
    const a = expected('paper').flat();
    const b = expected('code').flat();
    expect(a.some((v, k) => Math.abs(v - b[k]!) > 1e-3)).toBe(true);
  });

  it('propagates once for scoring and again only after a weight change', () => {
    const model = ngcfFactory.create(tiny, { embeddingSize: 4, layerSizes: [4, 4] });
    try {
      model.score(Int32Array.of(0, 1), Int32Array.of(1, 2));
      model.scoreAll(Int32Array.of(0, 1));
      expect(model.propagations).toBe(1);
      setWeights2(model);
      model.scoreAll(Int32Array.of(0));
      expect(model.propagations).toBe(2);
    } finally {
      model.dispose();
    }
  });

  it('drops messages only in training, and the BPR + ego L2 loss is as stated', () => {
    const model = ngcfFactory.create(tiny, {
      embeddingSize: 2,
      layerSizes: [2],
      messageDropout: 0.5,
      l2: 0.1,
    });
    try {
      setWeights(model);
      const batch: PairwiseBatch = {
        kind: 'pairwise',
        users: Int32Array.of(0),
        positives: Int32Array.of(0),
        negatives: Int32Array.of(2),
      };
      const e = expected('paper');
      const diff = e[0]!.reduce((s, v, k) => s + v * (e[4]![k]! - e[2]![k]!), 0);
      const reg = (0.1 * [0, 2, 4].reduce((s, n) => s + E0[n]!.reduce((a, v) => a + v * v, 0), 0)) / 2;
      const evalCtx = { ...testContext(), training: false };
      const l = model.loss(batch, evalCtx);
      expect(l.dataSync()[0]).toBeCloseTo(Math.log1p(Math.exp(diff)) + reg, 5);
      l.dispose();
      const t = model.loss(batch, testContext(3));
      expect(Math.abs(t.dataSync()[0]! - (Math.log1p(Math.exp(diff)) + reg))).toBeGreaterThan(1e-6);
      t.dispose();
    } finally {
      model.dispose();
    }
  });

  it('learns clustered data: own-cluster items outrank other clusters', () => {
    const NU = 24;
    const NI = 30;
    const data = clusteredInteractions(NU, NI, 3, 4, 11);
    const info = tinyInfo(NU, NI, data.users, data.items);
    const model = ngcfFactory.create(info, { embeddingSize: 8, layerSizes: [8, 8], l2: 0 }, { seed: 2 });
    try {
      const batches = graphBatches(data.users, data.items, NI, 32, 5);
      const losses = trainAdam(model, batches, 30, 0.01);
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.6);
      const all = model.scoreAll(Int32Array.from({ length: NU }, (_, u) => u));
      let own = 0;
      let other = 0;
      for (let u = 0; u < NU; u++) {
        for (let i = 0; i < NI; i++) {
          if (Math.floor(i / 10) === u % 3) own += all[u * NI + i]!;
          else other += all[u * NI + i]!;
        }
      }
      expect(own / 10).toBeGreaterThan(other / 20);
    } finally {
      model.dispose();
    }
  });

  it('node dropout changes the training forward; isolated nodes stay finite', () => {
    // user 2 and item 3 have no edges.
    const info = tinyInfo(3, 4, U, I);
    const model = ngcfFactory.create(info, { embeddingSize: 4, layerSizes: [4], nodeDropout: 0.5 });
    try {
      expect(model.finalEmbeddings().every(Number.isFinite)).toBe(true);
      expect(model.scoreAll(Int32Array.of(2)).every(Number.isFinite)).toBe(true);
      const batch: PairwiseBatch = {
        kind: 'pairwise',
        users: Int32Array.of(2, 0),
        positives: Int32Array.of(3, 1),
        negatives: Int32Array.of(0, 3),
      };
      const a = model.loss(batch, { ...testContext(1), training: true });
      const b = model.loss(batch, { ...testContext(2), training: true });
      expect(Number.isFinite(a.dataSync()[0]!)).toBe(true);
      expect(a.dataSync()[0]).not.toBeCloseTo(b.dataSync()[0]!, 6);
      a.dispose();
      b.dispose();
    } finally {
      model.dispose();
    }
  });

  it('rejects ids out of range and a missing graph with typed errors', () => {
    const model = ngcfFactory.create(tiny, { embeddingSize: 2, layerSizes: [2] });
    try {
      expect(() => model.score(Int32Array.of(2), Int32Array.of(0))).toThrow(DataError);
      expect(() => model.scoreAll(Int32Array.of(-1))).toThrow(/users\[0\] = -1/);
      const bad: PairwiseBatch = {
        kind: 'pairwise',
        users: Int32Array.of(0),
        positives: Int32Array.of(3),
        negatives: Int32Array.of(0),
      };
      expect(() => model.loss(bad, testContext())).toThrow(/batch.positives\[0\] = 3/);
    } finally {
      model.dispose();
    }
    expect(() => ngcfFactory.create({ numUsers: 2, numItems: 3 })).toThrow(/graph/);
  });
});

function setWeights2(model: NgcfModel): void {
  const v = model.variables()[0]!.variable;
  tf.tidy(() => v.assign(tf.mul(v, 2)));
}
