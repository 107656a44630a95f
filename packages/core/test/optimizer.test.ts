import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, initBackend, tf, type ModelVariable } from '../src/index.js';

function mv(
  name: string,
  values: number[],
  shape: number[],
  opts: Partial<ModelVariable> = {},
): ModelVariable {
  const init = tf.tensor(values, shape);
  const variable = tf.variable(init, true, `${name}_${Math.random()}`);
  init.dispose();
  return {
    name,
    variable,
    sparse: false,
    regularize: false,
    trainable: true,
    ...opts,
  };
}

function values(v: ModelVariable): number[] {
  return Array.from(v.variable.dataSync());
}

describe.each(['wasm', 'cpu'] as const)('createOptimizer on %s', (backend) => {
  const made: ModelVariable[] = [];
  const make = (...args: Parameters<typeof mv>): ModelVariable => {
    const v = mv(...args);
    made.push(v);
    return v;
  };
  let before = 0;
  beforeAll(async () => {
    await initBackend(backend);
    before = tf.memory().numTensors;
  });
  afterAll(() => {
    for (const v of made) v.variable.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes Adam steps as computed by hand', () => {
    // t=1: m=(1-β1)g, v=(1-β2)g², m̂=g, v̂=g² → Δw = -lr·sign(g) (ε negligible); t=2 with the same g: again.
    const w = make('w', [1, -2, 3], [3]);
    const opt = createOptimizer({ name: 'adam', learningRate: 0.1 });
    const g = tf.tensor([0.5, -1, 2], [3]);
    opt.apply([{ variable: w, grad: g }]);
    expect(values(w)[0]).toBeCloseTo(0.9, 6);
    expect(values(w)[1]).toBeCloseTo(-1.9, 6);
    expect(values(w)[2]).toBeCloseTo(2.9, 6);
    opt.apply([{ variable: w, grad: g }]);
    expect(values(w)[0]).toBeCloseTo(0.8, 6);
    // A different second gradient: m=0.9·0.05+0.1·(-0.5)=-0.005, v=0.999·0.00025+0.001·0.25=0.00049975.
    const w2 = make('w2', [1], [1]);
    const opt2 = createOptimizer({ name: 'adam', learningRate: 0.1 });
    const g1 = tf.tensor([0.5], [1]);
    const g2 = tf.tensor([-0.5], [1]);
    opt2.apply([{ variable: w2, grad: g1 }]);
    opt2.apply([{ variable: w2, grad: g2 }]);
    const m = -0.005 / (1 - 0.81);
    const v = 0.00049975 / (1 - 0.999 * 0.999);
    expect(values(w2)[0]).toBeCloseTo(0.9 - (0.1 * m) / (Math.sqrt(v) + 1e-8), 6);
    const state = opt2.getState();
    expect(state.step).toBe(2);
    expect(state.slots.w2!.m![0]).toBeCloseTo(-0.005, 7);
    expect(state.slots.w2!.v![0]).toBeCloseTo(0.00049975, 9);
    tf.dispose([g, g1, g2]);
  });

  it('takes SGD and Adagrad steps as computed by hand, with L2 only on regularized variables', () => {
    const a = make('a', [2, 1], [2], { regularize: true });
    const b = make('b', [2, 1], [2]);
    const g = tf.tensor([3, -1], [2]);
    const sgd = createOptimizer({ name: 'sgd', learningRate: 0.1, l2: 0.5 });
    sgd.apply([
      { variable: a, grad: g },
      { variable: b, grad: g },
    ]);
    // a: g + 2·0.5·w = [5, 0] → [1.5, 1]; b: [1.7, 1.1].
    expect(values(a)).toEqual([1.5, 1].map((x) => Math.fround(x)));
    expect(values(b)[0]).toBeCloseTo(1.7, 6);
    expect(values(b)[1]).toBeCloseTo(1.1, 6);

    const c = make('c', [1], [1]);
    const ada = createOptimizer({
      name: 'adagrad',
      learningRate: 0.1,
      initialAccumulator: 0.1,
      epsilon: 1e-7,
    });
    const gc = tf.tensor([0.3], [1]);
    ada.apply([{ variable: c, grad: gc }]);
    expect(values(c)[0]).toBeCloseTo(1 - (0.1 * 0.3) / (Math.sqrt(0.19) + 1e-7), 6);
    ada.apply([{ variable: c, grad: gc }]);
    const after1 = 1 - (0.1 * 0.3) / (Math.sqrt(0.19) + 1e-7);
    expect(values(c)[0]).toBeCloseTo(after1 - (0.1 * 0.3) / (Math.sqrt(0.28) + 1e-7), 6);
    expect(ada.getState().slots.c!.accumulator![0]).toBeCloseTo(0.28, 6);
    tf.dispose([g, gc]);
  });

  it("never changes another tensor that shares a variable's memory (copy on write)", () => {
    const w = make('shared', [1, 2, 3], [3]);
    const snapshot = tf.clone(w.variable);
    const g = tf.tensor([1, 1, 1], [3]);
    const opt = createOptimizer({ name: 'sgd', learningRate: 0.5 });
    opt.apply([{ variable: w, grad: g }]);
    opt.apply([{ variable: w, grad: g }]);
    expect(Array.from(snapshot.dataSync())).toEqual([1, 2, 3]);
    expect(values(w)).toEqual([0, 1, 2]);
    tf.dispose([snapshot, g]);
  });

  it('updated weights are what matMul and fused matMul see next (no stale cached packed weights)', () => {
    const w = make('dense', [1, 0, 0, 1], [2, 2]);
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const before = [tf.matMul(x, w.variable), tf.fused.matMul({ a: x, b: w.variable })];
    expect(Array.from(before[0]!.dataSync())).toEqual([1, 2, 3, 4]);
    const g = tf.tensor([-1, 0, 0, -1], [2, 2]);
    createOptimizer({ name: 'sgd', learningRate: 1 }).apply([{ variable: w, grad: g }]);
    const after = [tf.matMul(x, w.variable), tf.fused.matMul({ a: x, b: w.variable })];
    expect(Array.from(after[0]!.dataSync())).toEqual([2, 4, 6, 8]);
    expect(Array.from(after[1]!.dataSync())).toEqual([2, 4, 6, 8]);
    tf.dispose([x, g, ...before, ...after]);
  });

  it('skips variables that are not trainable', () => {
    const f = make('frozen', [1, 2], [2], { trainable: false });
    const g = tf.tensor([1, 1], [2]);
    createOptimizer({ name: 'sgd', learningRate: 1 }).apply([{ variable: f, grad: g }]);
    expect(values(f)).toEqual([1, 2]);
    g.dispose();
  });

  it('updates only the given rows of a sparse table, and only their slots (lazy Adam)', () => {
    const t = make('table', [1, 1, 2, 2, 3, 3, 4, 4], [4, 2], { sparse: true, regularize: true });
    const opt = createOptimizer({ name: 'adam', learningRate: 0.1, l2: 0.01 });
    const g = tf.tensor([0.5, -0.5, 1, 1], [2, 2]);
    opt.apply([{ variable: t, grad: g, rows: new Int32Array([2, 0]) }]);
    const w = values(t);
    expect(w.slice(2, 4)).toEqual([2, 2]);
    expect(w.slice(6, 8)).toEqual([4, 4]);
    // Row 2 (w=3) got g=[0.5,-0.5]+2·0.01·3 → both positive/negative moved by lr; row 0 got [1,1]+0.02.
    expect(w[4]).toBeCloseTo(2.9, 5);
    expect(w[5]).toBeCloseTo(3.1, 5);
    expect(w[0]).toBeCloseTo(0.9, 5);
    const s = opt.getState().slots.table!;
    expect(Array.from(s.m!.slice(2, 4))).toEqual([0, 0]);
    expect(Array.from(s.v!.slice(6, 8))).toEqual([0, 0]);
    expect(s.m![4]).toBeCloseTo(0.1 * 0.56, 6);
    // Step 2 on row 1 only: row 2's moments stay as they were.
    const g2 = tf.tensor([1, 1], [1, 2]);
    opt.apply([{ variable: t, grad: g2, rows: new Int32Array([1]) }]);
    const s2 = opt.getState().slots.table!;
    expect(s2.m![4]).toBeCloseTo(0.1 * 0.56, 6);
    expect(values(t)[4]).toBeCloseTo(2.9, 5);
    // t=2, first update of row 1: m̂ = 0.1·g/(1-0.81), v̂ = 0.001·g²/(1-0.998001).
    const gi = 1 + 0.02 * 2;
    const mh = (0.1 * gi) / 0.19;
    const vh = (0.001 * gi * gi) / (1 - 0.999 ** 2);
    expect(values(t)[2]).toBeCloseTo(2 - (0.1 * mh) / (Math.sqrt(vh) + 1e-8), 5);
    tf.dispose([g, g2]);
  });

  it('restores its state so that training continues identically', () => {
    const x = make('x', [1, 2], [2]);
    const y = make('x', [1, 2], [2]);
    const g = tf.tensor([0.3, -0.7], [2]);
    const o1 = createOptimizer({ name: 'adam', learningRate: 0.05 });
    o1.apply([{ variable: x, grad: g }]);
    o1.apply([{ variable: x, grad: g }]);
    const o2 = createOptimizer({ name: 'adam', learningRate: 0.05 });
    o2.apply([{ variable: y, grad: g }]);
    const saved = o2.getState();
    const o3 = createOptimizer({ name: 'adam', learningRate: 0.05 });
    o3.setState(saved);
    o3.apply([{ variable: y, grad: g }]);
    expect(values(y)).toEqual(values(x));
    expect(() => createOptimizer({ name: 'sgd' }).setState(saved)).toThrow(/adam/);
    g.dispose();
  });

  it('rejects bad configs and mismatched gradients with clear errors', () => {
    expect(() => createOptimizer({ learningRate: -1 })).toThrow(/learningRate/);
    expect(() => createOptimizer({ name: 'rmsprop' as 'adam' })).toThrow(/unknown optimizer/);
    const t = make('t', [1, 2, 3, 4], [2, 2], { sparse: true });
    const g = tf.tensor([1, 1], [1, 2]);
    const opt = createOptimizer({ name: 'sgd' });
    expect(() => opt.apply([{ variable: t, grad: g, rows: new Int32Array([5]) }])).toThrow(/outside/);
    expect(() => opt.apply([{ variable: t, grad: g }])).toThrow(/expected \[2,2\]/);
    g.dispose();
  });
});
