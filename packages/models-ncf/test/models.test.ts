import {
  ConfigError,
  DataError,
  createOptimizer,
  createRng,
  createTrainStep,
  denseLookupContext,
  initBackend,
  tf,
} from '@ncf/core';
import type { ModelFactory, Recommender } from '@ncf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { basicNcfFactory, gmfFactory, mfFactory, mlpFactory, neumfFactory } from '../src/index.js';
import { allPairs, liveTensors, pairwiseBatch, pointwiseBatch, toyData, train } from './helpers.js';

const factories = [
  mfFactory,
  gmfFactory,
  mlpFactory,
  neumfFactory,
  basicNcfFactory,
] as unknown as ModelFactory<Record<string, unknown>>[];
const small = { layers: [16, 8, 4] };
const configFor = (kind: string): Record<string, unknown> =>
  kind === 'ncf/mf' || kind === 'ncf/gmf'
    ? { factors: 4 }
    : kind === 'ncf/neumf'
      ? { factors: 4, ...small }
      : small;

describe.each(['cpu', 'wasm'] as const)('NCF models on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  const data = toyData();

  describe.each(factories.map((f) => [f.kind, f] as const))('%s', (_kind, factory) => {
    const create = (seed = 1, extra: Record<string, unknown> = {}): Recommender =>
      factory.create(data.info, { ...configFor(factory.kind), ...extra }, { seed });

    it('has uniquely named variables with embedding tables sparse', () => {
      const m = create();
      const names = m.variables().map((v) => v.name);
      expect(new Set(names).size).toBe(names.length);
      const sparse = m.variables().filter((v) => v.sparse);
      expect(sparse.length).toBeGreaterThanOrEqual(2);
      for (const v of sparse) expect([data.info.numUsers, data.info.numItems]).toContain(v.variable.shape[0]);
      m.dispose();
    });

    it('scoreAll agrees with score on every pair', () => {
      const m = create();
      const users = Int32Array.of(0, 5, 23);
      const all = m.scoreAll!(users);
      expect(all.length).toBe(3 * data.info.numItems);
      users.forEach((u, r) => {
        const { users: uu, items } = allPairs(u, data.info.numItems);
        const s = m.score(uu, items);
        for (let i = 0; i < s.length; i++) expect(all[r * data.info.numItems + i]).toBeCloseTo(s[i]!, 5);
      });
      m.dispose();
    });

    it('is deterministic for a seed and differs across seeds', () => {
      const a = create(3);
      const b = create(3);
      const c = create(4);
      const u = Int32Array.of(0, 1, 2);
      const i = Int32Array.of(3, 4, 5);
      expect(Array.from(a.score(u, i))).toEqual(Array.from(b.score(u, i)));
      expect(Array.from(a.score(u, i))).not.toEqual(Array.from(c.score(u, i)));
      [a, b, c].forEach((m) => m.dispose());
    });

    it('learns the toy clusters (bce) without leaking tensors', () => {
      const m = create(2);
      const before = liveTensors();
      const losses = train(m, (s) => pointwiseBatch(data, 2, s), 80, { learningRate: 0.01 });
      const mid = liveTensors();
      m.score(Int32Array.of(0), Int32Array.of(1));
      m.scoreAll!(Int32Array.of(0, 1));
      const ctx = denseLookupContext();
      tf.tidy(() => {
        m.loss(pointwiseBatch(data, 1, 0), ctx);
      });
      expect(liveTensors()).toBe(mid);
      expect(mid).toBe(before);
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.5);
      // Users of the first cluster now prefer first-half items.
      const s = m.scoreAll!(Int32Array.of(0));
      const half = data.info.numItems / 2;
      const mean = (a: Float32Array): number => a.reduce((x, y) => x + y, 0) / a.length;
      expect(mean(s.subarray(0, half))).toBeGreaterThan(mean(s.subarray(half)));
      m.dispose();
    });

    it('trains with bpr on pairwise batches and mse on ratings', () => {
      const bpr = create(2, { loss: 'bpr' });
      expect(bpr.dataSpec).toEqual({ batch: 'pairwise', inputs: [] });
      const l1 = train(bpr, (s) => pairwiseBatch(data, s), 40);
      expect(l1[l1.length - 1]!).toBeLessThan(l1[0]! * 0.6);
      bpr.dispose();
      const mse = create(2, { loss: 'mse' });
      const l2 = train(mse, () => pointwiseBatch(data, 0, 0, true), 60);
      expect(l2[l2.length - 1]!).toBeLessThan(l2[0]! * 0.3);
      mse.dispose();
    });

    it('rejects a batch of the wrong kind and out-of-range ids', () => {
      const m = create();
      const ctx = denseLookupContext();
      expect(() => m.loss(pairwiseBatch(data, 0), ctx)).toThrow(DataError);
      expect(() => m.score(Int32Array.of(data.info.numUsers), Int32Array.of(0))).toThrow(DataError);
      expect(() => m.score(Int32Array.of(0), Int32Array.of(-1))).toThrow(DataError);
      m.dispose();
    });

    it('rejects unknown and invalid config fields', () => {
      expect(() => factory.create(data.info, { nope: 1 })).toThrow(ConfigError);
      expect(() => factory.create(data.info, { loss: 'hinge' })).toThrow(ConfigError);
    });

    it('frees every tensor on dispose', () => {
      const before = liveTensors();
      const m = create();
      expect(liveTensors()).toBeGreaterThan(before);
      m.dispose();
      expect(liveTensors()).toBe(before);
      expect(() => m.score(Int32Array.of(0), Int32Array.of(0))).toThrow(/disposed/);
    });
  });
});

describe('hand-computed scores', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  const info = { numUsers: 3, numItems: 4 };

  it('MF: p_u · q_i + b_u + b_i + b', () => {
    const m = mfFactory.create(info, { factors: 2 }, { seed: 5 });
    const [p, q, bu, bi, b] = m.variables().map((v) => v.variable.dataSync() as Float32Array);
    tf.tidy(() => {
      m.variables()[2]!.variable.assign(tf.tensor2d([[0.5], [-1], [2]]));
      m.variables()[3]!.variable.assign(tf.tensor2d([[1], [0], [0.25], [3]]));
      m.variables()[4]!.variable.assign(tf.tensor1d([0.125]));
    });
    void bu;
    void bi;
    void b;
    const s = m.score(Int32Array.of(2, 0), Int32Array.of(3, 1));
    const expected = (u: number, i: number, bu: number, bi: number): number =>
      p![u * 2]! * q![i * 2]! + p![u * 2 + 1]! * q![i * 2 + 1]! + bu + bi + 0.125;
    expect(s[0]).toBeCloseTo(expected(2, 3, 2, 3), 6);
    expect(s[1]).toBeCloseTo(expected(0, 1, 0.5, 0), 6);
    m.dispose();
  });

  it('GMF: hᵀ(p_u ⊙ q_i) + b', () => {
    const m = gmfFactory.create(info, { factors: 2 }, { seed: 5 });
    const [p, q, h, b] = m.variables().map((v) => v.variable.dataSync() as Float32Array);
    const s = m.score(Int32Array.of(1), Int32Array.of(2));
    expect(s[0]).toBeCloseTo(h![0]! * p![2]! * q![4]! + h![1]! * p![3]! * q![5]! + b![0]!, 6);
    m.dispose();
  });

  it('BCE loss of an untrained model is about ln 2 (logits near 0)', () => {
    const m = gmfFactory.create(info, {}, { seed: 1 });
    const batch = {
      kind: 'pointwise' as const,
      users: Int32Array.of(0, 1),
      items: Int32Array.of(0, 1),
      labels: Float32Array.of(1, 0),
    };
    const loss = tf.tidy(() => m.loss(batch, denseLookupContext()).dataSync()[0]!);
    expect(loss).toBeCloseTo(Math.LN2, 2);
    m.dispose();
  });

  it('dropout is seeded by ctx.rng and off outside training', () => {
    const data = toyData();
    const m = mlpFactory.create(data.info, { layers: [16, 8, 4], dropout: 0.5 }, { seed: 1 });
    const batch = pointwiseBatch(data, 1, 0);
    const lossWith = (training: boolean, seed: number): number =>
      tf.tidy(() => m.loss(batch, denseLookupContext({ training, rng: createRng(seed) })).dataSync()[0]!);
    expect(lossWith(true, 1)).toBe(lossWith(true, 1));
    expect(lossWith(true, 1)).not.toBe(lossWith(true, 2));
    expect(lossWith(false, 1)).toBe(lossWith(false, 2));
    m.dispose();
  });
});

describe.each(['cpu', 'wasm'] as const)('MF per-sample L2 (Rendle et al. 2020) on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  const info = { numUsers: 3, numItems: 4 };
  const lambda = 0.1;
  // User 0 and item 1 appear twice: per-sample L2 shrinks them twice.
  const batch = {
    kind: 'pointwise' as const,
    users: Int32Array.of(0, 0, 1),
    items: Int32Array.of(1, 2, 1),
    labels: Float32Array.of(1, 0, 1),
  };
  const create = (l2PerSample: number) => {
    const m = mfFactory.create(info, { factors: 2, initStd: 0.5, l2PerSample }, { seed: 5 });
    tf.tidy(() => {
      m.variables()[2]!.variable.assign(tf.tensor2d([[0.5], [-1], [2]]));
      m.variables()[3]!.variable.assign(tf.tensor2d([[1], [0.25], [-0.5], [3]]));
      m.variables()[4]!.variable.assign(tf.tensor1d([0.125]));
    });
    return m;
  };
  const weights = (m: Recommender) =>
    m.variables().map((v) => Array.from(v.variable.dataSync() as Float32Array));
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

  it('adds (λ/2)·mean(‖p_u‖² + ‖q_i‖² + b_u² + b_i²) to the training loss only', () => {
    const m = create(lambda);
    const [p, q, bu, bi, b] = weights(m) as [number[], number[], number[], number[], number[]];
    let ce = 0;
    let squares = 0;
    for (let s = 0; s < 3; s++) {
      const u = batch.users[s]!;
      const i = batch.items[s]!;
      const x = p[2 * u]! * q[2 * i]! + p[2 * u + 1]! * q[2 * i + 1]! + bu[u]! + bi[i]! + b[0]!;
      ce += Math.log1p(Math.exp(-x)) + (1 - batch.labels[s]!) * x;
      squares +=
        p[2 * u]! ** 2 + p[2 * u + 1]! ** 2 + q[2 * i]! ** 2 + q[2 * i + 1]! ** 2 + bu[u]! ** 2 + bi[i]! ** 2;
    }
    const loss = (training: boolean) =>
      tf.tidy(() => m.loss(batch, denseLookupContext({ training })).dataSync()[0]!);
    expect(loss(true)).toBeCloseTo(ce / 3 + (lambda / 2) * (squares / 3), 5);
    expect(loss(false)).toBeCloseTo(ce / 3, 5);
    const plain = create(0);
    expect(Array.from(m.score(batch.users, batch.items))).toEqual(
      Array.from(plain.score(batch.users, batch.items)),
    );
    m.dispose();
    plain.dispose();
  });

  it('one SGD step at rate B·η equals their per-sample updates at rate η, summed over the batch', () => {
    const m = create(lambda);
    const before = tf.memory().numTensors;
    const w = weights(m) as [number[], number[], number[], number[], number[]];
    const [p, q, bu, bi, b] = w;
    const eta = 0.05;
    const expected = w.map((a) => a.slice());
    const [ep, eq, ebu, ebi, eb] = expected as [number[], number[], number[], number[], number[]];
    for (let s = 0; s < 3; s++) {
      const u = batch.users[s]!;
      const i = batch.items[s]!;
      const x = p[2 * u]! * q[2 * i]! + p[2 * u + 1]! * q[2 * i + 1]! + bu[u]! + bi[i]! + b[0]!;
      const g = sigmoid(x) - batch.labels[s]!;
      for (let k = 0; k < 2; k++) {
        ep[2 * u + k]! -= eta * (g * q[2 * i + k]! + lambda * p[2 * u + k]!);
        eq[2 * i + k]! -= eta * (g * p[2 * u + k]! + lambda * q[2 * i + k]!);
      }
      ebu[u]! -= eta * (g + lambda * bu[u]!);
      ebi[i]! -= eta * (g + lambda * bi[i]!);
      eb[0]! -= eta * g;
    }
    const opt = createOptimizer({ name: 'sgd', learningRate: 3 * eta });
    createTrainStep(m, opt, createRng(1))(batch);
    opt.dispose();
    const after = weights(m);
    after.forEach((a, v) => a.forEach((x, k) => expect(x).toBeCloseTo(expected[v]![k]!, 5)));
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('rejects a negative l2PerSample', () => {
    expect(() => mfFactory.create(info, { l2PerSample: -1 })).toThrow(ConfigError);
  });
});
