import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOptimizer, createRng, denseStack, initBackend, tf } from '../src/index.js';
import type { ModelVariable, OptimizerConfig, OptimizerState } from '../src/index.js';
import { setSimdKernelsEnabled, simdKernelsFor } from '../src/simd/simd-kernels.js';
import { assembleSimdKernels, renderBinaryModule } from '../scripts/simd-assembler.mjs';

it('the committed kernels-binary.ts is the assembly of kernels.wat (run `pnpm build:simd` after editing it)', async () => {
  const wat = readFileSync(new URL('../src/simd/kernels.wat', import.meta.url), 'utf8');
  const committed = readFileSync(new URL('../src/simd/kernels-binary.ts', import.meta.url), 'utf8');
  expect(committed).toBe(renderBinaryModule(await assembleSimdKernels(wat)));
});

interface Table {
  readonly rows: number;
  readonly dim: number;
}

/**
 * Trains sparse tables with random gradients on random row subsets (gaps of 0…many steps between a row's
 * updates), starting from `start` (optimizer state), with the SIMD kernel on or off; returns the weights and
 * the optimizer state.
 */
function train(
  simd: boolean,
  tables: readonly Table[],
  steps: number,
  config: Partial<OptimizerConfig>,
  start?: OptimizerState,
  catchUpFirst = false,
): { weights: Float32Array[]; state: OptimizerState } {
  const was = setSimdKernelsEnabled(simd);
  try {
    const rng = createRng(7);
    const vars: ModelVariable[] = tables.map((t, i) => ({
      name: `t${i}`,
      variable: tf.tidy(() =>
        tf.variable(
          tf.tensor2d(
            Float32Array.from({ length: t.rows * t.dim }, () => rng.normal()),
            [t.rows, t.dim],
          ),
          true,
          `simd-${simd}-${i}-${Math.random()}`,
        ),
      ),
      sparse: true,
      regularize: true,
      trainable: true,
    }));
    const opt = createOptimizer({ name: 'adam', learningRate: 0.01, ...config });
    if (start !== undefined) opt.setState(start);
    for (let s = 0; s < steps; s++) {
      const updates = tables.map((t, i) => {
        const picked = Array.from({ length: t.rows }, (_, r) => r).filter(() => rng.next() < 0.3);
        const rows = Int32Array.from(picked);
        const grad = tf.tensor2d(
          Float32Array.from({ length: rows.length * t.dim }, () => rng.normal() * 0.1),
          [rows.length, t.dim],
        );
        return { variable: vars[i]!, grad, rows };
      });
      // As the train step does: bring the rows a batch reads to the last step before its forward pass.
      if (catchUpFirst) for (const u of updates) opt.catchUpRows(u.variable, u.rows);
      opt.apply(updates);
      for (const u of updates) u.grad.dispose();
    }
    const weights = vars.map((v) => v.variable.dataSync().slice() as Float32Array);
    const state = opt.getState();
    for (const v of vars) v.variable.dispose();
    opt.dispose();
    return { weights, state };
  } finally {
    setSimdKernelsEnabled(was);
  }
}

function expectClose(a: Float32Array, b: Float32Array, tol = 2e-5): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1e-3 + Math.abs(b[i]!)));
  expect(worst).toBeLessThan(tol);
}

function expectStatesClose(a: OptimizerState, b: OptimizerState): void {
  expect(a.step).toBe(b.step);
  expect(Object.keys(a.slots).sort()).toEqual(Object.keys(b.slots).sort());
  for (const [name, slots] of Object.entries(b.slots)) {
    expect(a.slots[name]!.last).toEqual(slots.last);
    expectClose(a.slots[name]!.m!, slots.m!);
    expectClose(a.slots[name]!.v!, slots.v!);
  }
}

// Dims that exercise the four-lane loop, its 1–3 element tail and tail-only rows (biases are dim 1).
const TABLES: Table[] = [
  { rows: 40, dim: 1 },
  { rows: 30, dim: 3 },
  { rows: 50, dim: 8 },
  { rows: 20, dim: 13 },
];

describe('SIMD kernels on wasm', () => {
  let before = 0;
  beforeAll(async () => {
    await initBackend('wasm');
    before = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('binds to the wasm backend', () => {
    expect(simdKernelsFor()).toBeDefined();
  });

  it('lazy Adam with catch-up matches the JavaScript loops (float32 vs float64 arithmetic)', () => {
    const simd = train(true, TABLES, 25, {});
    const js = train(false, TABLES, 25, {});
    simd.weights.forEach((w, i) => expectClose(w, js.weights[i]!));
    expectStatesClose(simd.state, js.state);
  });

  it('SGD over sparse rows (with L2) matches the JavaScript loop, and touches only those rows', () => {
    const simd = train(true, TABLES, 25, { name: 'sgd', learningRate: 0.05, l2: 0.01 });
    const js = train(false, TABLES, 25, { name: 'sgd', learningRate: 0.05, l2: 0.01 });
    simd.weights.forEach((w, i) => expectClose(w, js.weights[i]!));
    // One step on rows [1, 3] of a 4 × 5 table: w ← w − lr·(g + 2·l2·w) there, other rows unchanged.
    const was = setSimdKernelsEnabled(true);
    try {
      const v = tf.tidy(() => tf.variable(tf.fill([4, 5], 2), true, `simd-sgd-${Math.random()}`));
      const opt = createOptimizer({ name: 'sgd', learningRate: 0.5, l2: 0.25 });
      const spy = vi.spyOn(simdKernelsFor()!, 'sgdRows');
      const grad = tf.fill([2, 5], 1);
      opt.apply([
        {
          variable: { name: 'w', variable: v, sparse: true, regularize: true, trainable: true },
          grad,
          rows: Int32Array.of(1, 3),
        },
      ]);
      // 2 − 0.5·(1 + 0.5·2) = 1
      expect(Array.from(v.dataSync())).toEqual([
        ...Array(5).fill(2),
        ...Array(5).fill(1),
        ...Array(5).fill(2),
        ...Array(5).fill(1),
      ]);
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
      tf.dispose([v, grad]);
      opt.dispose();
    } finally {
      setSimdKernelsEnabled(was);
    }
  });

  it('matches with L2 and across gaps longer than the catch-up table (4096 steps)', () => {
    const start = train(false, TABLES, 3, {}).state;
    // Pretend rows were last touched long ago: the next touches have gaps of ~10,000 steps.
    const far: OptimizerState = { ...start, step: start.step + 10_000 };
    const simd = train(true, TABLES, 4, { l2: 0.01 }, far);
    const js = train(false, TABLES, 4, { l2: 0.01 }, far);
    simd.weights.forEach((w, i) => expectClose(w, js.weights[i]!));
    expectStatesClose(simd.state, js.state);
  });

  it('catchUpRows (the catch-up before a forward pass) matches the JavaScript loops, short and long gaps', () => {
    const simd = train(true, TABLES, 25, {}, undefined, true);
    const js = train(false, TABLES, 25, {}, undefined, true);
    simd.weights.forEach((w, i) => expectClose(w, js.weights[i]!));
    expectStatesClose(simd.state, js.state);
    // Gaps past the β-power tables and steps past the tabulated catch-up sums (κ = 1 there).
    const start = train(false, TABLES, 3, {}).state;
    for (const skip of [10_000, 200_000]) {
      const far: OptimizerState = { ...start, step: start.step + skip };
      const a = train(true, TABLES, 4, { l2: 0.01 }, far, true);
      const b = train(false, TABLES, 4, { l2: 0.01 }, far, true);
      a.weights.forEach((w, i) => expectClose(w, b.weights[i]!));
      expectStatesClose(a.state, b.state);
    }
  });

  it('skips the catch-up where v = 0 (a row whose squared gradients underflowed), as the JavaScript loop does', () => {
    const dim = 5;
    const m = new Float32Array(dim).fill(0.5);
    const state: OptimizerState = {
      name: 'adam',
      step: 10,
      slots: { t0: { m, v: new Float32Array(dim), last: Float32Array.of(2) } },
    };
    const run = (on: boolean): Float32Array => {
      const was = setSimdKernelsEnabled(on);
      const variable: ModelVariable = {
        name: 't0',
        variable: tf.tidy(() => tf.variable(tf.ones([1, dim]), true, `v0-${on}-${Math.random()}`)),
        sparse: true,
        regularize: false,
        trainable: true,
      };
      const opt = createOptimizer({ name: 'adam', learningRate: 0.1 });
      opt.setState(state);
      const grad = tf.fill([1, dim], 0.2);
      opt.apply([{ variable, grad, rows: Int32Array.of(0) }]);
      const out = variable.variable.dataSync().slice() as Float32Array;
      grad.dispose();
      variable.variable.dispose();
      opt.dispose();
      setSimdKernelsEnabled(was);
      return out;
    };
    const simd = run(true);
    expect(Array.from(simd).every(Number.isFinite)).toBe(true);
    expectClose(simd, run(false));
  });

  it('frees the heap state with the optimizer (the heap does not grow across optimizers)', () => {
    const big: Table[] = [{ rows: 20_000, dim: 32 }]; // 5.2 MB of Adam state per optimizer
    train(true, big, 2, {});
    const heap = simdKernelsFor()!.memory.buffer.byteLength;
    for (let i = 0; i < 4; i++) train(true, big, 2, {});
    expect(simdKernelsFor()!.memory.buffer.byteLength).toBe(heap);
  });

  it('state moves between the heap and JavaScript when the SIMD kernels are switched off and on', () => {
    const first = train(true, TABLES, 5, {});
    const mid = train(false, TABLES, 5, {}, first.state);
    const end = train(true, TABLES, 5, {}, mid.state);
    const js = train(
      false,
      TABLES,
      5,
      {},
      train(false, TABLES, 5, {}, train(false, TABLES, 5, {}).state).state,
    );
    end.weights.forEach((w, i) => expectClose(w, js.weights[i]!));
    expectStatesClose(end.state, js.state);
  });
});

describe('SIMD row and layer kernels on wasm give the JavaScript loops’ values exactly', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  type Randn = (shape: number[]) => tf.Tensor;

  /** Runs `f` (same random inputs) with the SIMD kernels on and off; returns both results as plain arrays. */
  function both(f: (randn: Randn) => tf.Tensor[]): [number[][], number[][]] {
    const run = (on: boolean): number[][] => {
      const was = setSimdKernelsEnabled(on);
      try {
        const before = tf.memory().numTensors;
        const rng = createRng(11);
        const randn: Randn = (shape) =>
          tf.tensor(
            Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
            shape,
          );
        const outs = f(randn);
        const values = outs.map((t) => Array.from(t.dataSync()));
        tf.dispose(outs);
        expect(tf.memory().numTensors).toBe(before);
        return values;
      } finally {
        setSimdKernelsEnabled(was);
      }
    };
    return [run(true), run(false)];
  }

  it.each([1, 3, 4, 7, 13, 32])('gather, concat, split and segment sums with rows of %i values', (dim) => {
    const [on, off] = both((randn) =>
      tf.tidy(() => {
        const table = randn([20, dim]);
        const ids = tf.tensor1d([3, 0, 19, 3, 7, 7, 12], 'int32');
        const a = randn([6, dim]);
        const b = randn([6, dim + 2]);
        const cat = tf.concat([a, b], 1);
        const [p, q] = tf.split(cat, [dim, dim + 2], 1);
        const seg = tf.unsortedSegmentSum(randn([7, dim]), tf.tensor1d([2, 0, 2, 4, 1, 0, 2], 'int32'), 5);
        const gradOfGather = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), randn([7, dim]))))(
          table,
        );
        return [tf.gather(table, ids), cat, p!, q!, seg, gradOfGather];
      }),
    );
    expect(on).toEqual(off);
  });

  it.each([
    [5, [3, 4], 'relu'],
    [9, [8, 7, 1], 'relu'],
    [16, [13, 6], 'linear'],
  ] as const)('dense stack gradients, batch %i, widths %j, %s', (m, widths, activation) => {
    const [on, off] = both((randn) =>
      tf.tidy(() => {
        let width = 4;
        const layers = widths.map((n) => {
          const layer = {
            kernel: randn([width, n]) as tf.Tensor2D,
            bias: randn([n]) as tf.Tensor1D,
            activation,
          };
          width = n;
          return layer;
        });
        const x = randn([m, 4]) as tf.Tensor2D;
        const up = randn([m, width]);
        const f = (xx: tf.Tensor, ...params: tf.Tensor[]): tf.Tensor =>
          tf.sum(
            tf.mul(
              denseStack(
                xx as tf.Tensor2D,
                layers.map((l, i) => ({
                  ...l,
                  kernel: params[2 * i] as tf.Tensor2D,
                  bias: params[2 * i + 1] as tf.Tensor1D,
                })),
              ),
              up,
            ),
          );
        const params = layers.flatMap((l) => [l.kernel, l.bias]);
        return tf.grads(f)([x, ...params]);
      }),
    );
    expect(on).toEqual(off);
  });
});

describe('SIMD gemm on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  /** Reference: C = act(init + op(A)·B) in float64 loops, p in order. */
  function reference(
    a: Float32Array,
    transA: boolean,
    b: Float32Array,
    c0: Float32Array,
    bias: Float32Array | undefined,
    m: number,
    n: number,
    k: number,
    accumulate: boolean,
    relu: boolean,
  ): Float32Array {
    const c = new Float32Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = accumulate ? c0[i * n + j]! : (bias?.[j] ?? 0);
        for (let p = 0; p < k; p++) s += (transA ? a[p * m + i]! : a[i * k + p]!) * b[p * n + j]!;
        c[i * n + j] = relu ? Math.max(0, s) : s;
      }
    return c;
  }

  const cases: [number, number, number][] = [
    [1, 1, 1],
    [4, 8, 16],
    [5, 13, 7],
    [9, 3, 0],
    [3, 12, 300],
    [17, 9, 513],
    [64, 33, 65],
  ];
  it.each(cases)('m %i, n %i, k %i: plain, Aᵀ, bias, ReLU, accumulate', (m, n, k) => {
    const simd = simdKernelsFor()!;
    const rng = createRng(m * 1000 + n * 10 + k);
    const rand = (len: number): Float32Array => Float32Array.from({ length: len }, () => rng.normal());
    const a = rand(m * k);
    const b = rand(k * n);
    const c0 = rand(m * n);
    const bias = rand(n);
    for (const transA of [false, true])
      for (const [useBias, relu, accumulate] of [
        [false, false, false],
        [true, true, false],
        [true, false, false],
        [false, true, true],
        [false, false, true],
      ] as const) {
        const bytes = 4 * (a.length + b.length + c0.length + bias.length);
        const base = simd.malloc(bytes + 64);
        try {
          const pa = base;
          const pb = pa + 4 * a.length;
          const pc = pb + 4 * b.length;
          const pbias = pc + 4 * c0.length;
          const heap = new Float32Array(simd.memory.buffer);
          heap.set(a, pa >> 2);
          heap.set(b, pb >> 2);
          heap.set(c0, pc >> 2);
          heap.set(bias, pbias >> 2);
          simd.gemm(
            pa,
            transA ? 1 : k,
            transA ? m : 1,
            pb,
            n,
            pc,
            n,
            m,
            n,
            k,
            useBias ? pbias : 0,
            (accumulate ? 1 : 0) | (relu ? 2 : 0),
          );
          const got = new Float32Array(simd.memory.buffer, pc, m * n).slice();
          const want = reference(a, transA, b, c0, useBias ? bias : undefined, m, n, k, accumulate, relu);
          for (let i = 0; i < got.length; i++)
            expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(
              1e-4 * (1 + Math.abs(want[i]!)) * Math.sqrt(k + 1),
            );
        } finally {
          simd.free(base);
        }
      }
  });
});
