import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOptimizer,
  createRng,
  createTrainStep,
  denseLookupContext,
  initBackend,
  tf,
  type Batch,
  type LossContext,
  type ModelVariable,
  type Recommender,
  type Scalar,
} from '../src/index.js';

/** A tiny model: dot(user, item) + dot(user, negItem)·0.5 through a dense layer W, plus a bias, MSE. */
function tinyModel(seed: number): { model: Recommender; vars: ModelVariable[] } {
  const rng = createRng(seed);
  const rand = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal() * 0.5);
  const mk = (name: string, shape: number[], sparse: boolean, trainable = true): ModelVariable => {
    const init = tf.tensor(rand(shape.reduce((a, b) => a * b, 1)), shape);
    const variable = tf.variable(init, true, `${name}_${seed}_${Math.random()}`);
    init.dispose();
    return { name, variable, sparse, regularize: true, trainable };
  };
  const users = mk('users', [7, 3], true);
  const items = mk('items', [9, 3], true);
  const frozen = mk('frozen', [9, 3], true, false);
  const w = mk('w', [3, 3], false);
  const b = mk('b', [1], false);
  const vars = [users, items, frozen, w, b];
  const model = {
    kind: 'test/tiny',
    dataSpec: { batch: 'pairwise', inputs: [] },
    variables: () => vars,
    loss(batch: Batch, ctx: LossContext): Scalar {
      const bt = batch as Extract<Batch, { kind: 'pairwise' }>;
      return tf.tidy(() => {
        const u = tf.matMul(ctx.lookup(users, bt.users), w.variable);
        const p = ctx.lookup(items, bt.positives);
        const n = ctx.lookup(items, bt.negatives);
        const f = ctx.lookup(frozen, bt.negatives);
        const s = tf.add(
          tf.add(tf.sum(tf.mul(u, p), 1), tf.mul(tf.sum(tf.mul(u, tf.add(n, f)), 1), 0.5)),
          b.variable,
        );
        return tf.mean(tf.square(tf.sub(s, 1))) as Scalar;
      });
    },
  } as unknown as Recommender;
  return { model, vars };
}

describe.each(['wasm', 'cpu'] as const)('createTrainStep on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  afterAll(() => undefined);

  it('applies exactly the gradients of the dense computation (SGD, lr 1), touching only batch rows', () => {
    const before = tf.memory().numTensors;
    const { model, vars } = tinyModel(1);
    const batch: Batch = {
      kind: 'pairwise',
      users: new Int32Array([0, 3, 3, 6, 0]),
      positives: new Int32Array([1, 1, 4, 8, 2]),
      negatives: new Int32Array([2, 5, 5, 1, 0]),
    };
    const trainable = vars.filter((v) => v.trainable).map((v) => v.variable);
    const { value, grads } = tf.variableGrads(() => model.loss(batch, denseLookupContext()), trainable);
    const expectedLoss = value.dataSync()[0]!;
    const expected = vars.map((v) => {
      const g = grads[v.variable.name];
      return g ? tf.tidy(() => tf.sub(v.variable, g).dataSync().slice()) : v.variable.dataSync().slice();
    });
    tf.dispose([value, ...Object.values(grads)]);

    const applied: { name: string; rows?: number[] }[] = [];
    const sgd = createOptimizer({ name: 'sgd', learningRate: 1 });
    const spy = {
      ...sgd,
      apply(u: Parameters<typeof sgd.apply>[0]) {
        for (const x of u)
          applied.push({ name: x.variable.name, rows: x.rows ? Array.from(x.rows) : undefined });
        sgd.apply(u);
      },
    };
    const step = createTrainStep(model, spy, createRng(0));
    const loss = step(batch);
    expect(loss).toBeCloseTo(expectedLoss, 5);
    vars.forEach((v, i) => {
      const got = v.variable.dataSync();
      const want = expected[i]!;
      for (let k = 0; k < want.length; k++) expect(got[k]).toBeCloseTo(want[k]!, 5);
    });
    // One merged update for the item table (positives ∪ negatives), none for the frozen table.
    const itemUpdates = applied.filter((a) => a.name === 'items');
    expect(itemUpdates).toHaveLength(1);
    expect(itemUpdates[0]!.rows!.slice().sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 8]);
    expect(applied.find((a) => a.name === 'users')!.rows).toEqual([0, 3, 6]);
    expect(applied.some((a) => a.name === 'frozen')).toBe(false);
    for (const v of vars) v.variable.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves untouched rows and their Adam slots unchanged and leaks no tensor over many steps', () => {
    const { model, vars } = tinyModel(2);
    const users = vars[0]!;
    const untouched = users.variable.dataSync().slice(3 * 5, 3 * 6);
    const opt = createOptimizer({ name: 'adam', learningRate: 0.01, l2: 0.1 });
    const step = createTrainStep(model, opt, createRng(0));
    const rng = createRng(3);
    const mkBatch = (): Batch => ({
      kind: 'pairwise',
      users: Int32Array.from({ length: 16 }, () => [0, 1, 2, 3, 4, 6][rng.int(6)]!),
      positives: Int32Array.from({ length: 16 }, () => rng.int(9)),
      negatives: Int32Array.from({ length: 16 }, () => rng.int(9)),
    });
    step(mkBatch());
    const before = tf.memory().numTensors;
    let first = Infinity;
    let last = 0;
    for (let i = 0; i < 200; i++) {
      last = step(mkBatch());
      if (i === 0) first = last;
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first);
    expect(Array.from(users.variable.dataSync().slice(15, 18))).toEqual(Array.from(untouched));
    const m = opt.getState().slots.users!.m!;
    expect(Array.from(m.slice(15, 18))).toEqual([0, 0, 0]);
    expect(() => step({ ...mkBatch(), users: new Int32Array([0, 7]) } as Batch)).toThrow(
      /outside table 'users'/,
    );
    expect(tf.memory().numTensors).toBe(before);
    for (const v of vars) v.variable.dispose();
  });
});
