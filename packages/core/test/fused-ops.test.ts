import { beforeAll, describe, expect, it } from 'vitest';
import {
  createRng,
  denseStack,
  hasFusedDenseStack,
  hasFusedSigmoidCrossEntropy,
  initBackend,
  rowDot,
  sigmoidCrossEntropyWithLogits,
  tf,
  type DenseActivation,
  type Tensor,
  type Tensor2D,
} from '../src/index.js';

/**
 * The fused ops (one kernel forward and one backward on wasm/cpu) against the same functions composed of
 * tfjs ops, values and gradients, on random stacks; plus hand-computed cases and tensor accounting.
 */

const rng = createRng(5);
const randn = (shape: number[]): Tensor =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );

function composite(x: Tensor, params: Tensor[], acts: DenseActivation[]): Tensor {
  let h = x as Tensor2D;
  acts.forEach((a, l) => {
    h = tf.fused.matMul({
      a: h,
      b: params[2 * l] as Tensor2D,
      bias: params[2 * l + 1]!,
      activation: a,
    }) as Tensor2D;
  });
  return h;
}

function fused(x: Tensor, params: Tensor[], acts: DenseActivation[]): Tensor {
  return denseStack(
    x as Tensor2D,
    acts.map((activation, l) => ({ kernel: params[2 * l]!, bias: params[2 * l + 1]!, activation })),
  );
}

/**
 * Elementwise within `tol` relative to the larger of the element and the tensor's largest magnitude: float32
 * sums of many terms (a gradient over 256 rows) carry rounding relative to their terms, not their result.
 */
function expectClose(a: Tensor, b: Tensor, tol = 1e-4): void {
  expect(a.shape).toEqual(b.shape);
  const av = a.dataSync();
  const bv = b.dataSync();
  let scale = 0;
  for (let i = 0; i < bv.length; i++) scale = Math.max(scale, Math.abs(bv[i]!));
  for (let i = 0; i < av.length; i++)
    expect(Math.abs(av[i]! - bv[i]!)).toBeLessThanOrEqual(
      tol * (1 + Math.max(Math.abs(bv[i]!), 0.1 * scale)),
    );
}

beforeAll(async () => {
  await initBackend('wasm');
  await initBackend('cpu');
});

describe.each(['wasm', 'cpu'] as const)('fused ops on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it('registers the fused kernels', () => {
    expect(hasFusedDenseStack()).toBe(true);
    expect(hasFusedSigmoidCrossEntropy()).toBe(true);
  });

  it('denseStack matches a hand-computed two-layer example, value and gradients', () => {
    // x = [[1, -2]], W0 = [[1, 0], [0, 1]], b0 = [0.5, 0.5] → relu([1.5, -1.5]) = [1.5, 0]
    // W1 = [[2], [3]], b1 = [1] → y = 1.5·2 + 0·3 + 1 = 4 (linear).
    const x = tf.tensor2d([[1, -2]]);
    const w0 = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const b0 = tf.tensor1d([0.5, 0.5]);
    const w1 = tf.tensor2d([[2], [3]]);
    const b1 = tf.tensor1d([1]);
    const f = (...t: Tensor[]): Tensor => tf.sum(fused(t[0]!, t.slice(1), ['relu', 'linear']));
    const y = f(x, w0, b0, w1, b1);
    expect(y.dataSync()[0]).toBeCloseTo(4, 6);
    const [dx, dw0, db0, dw1, db1] = tf.grads(f)([x, w0, b0, w1, b1]);
    // dy/dh1 = W1ᵀ = [2, 3], masked by relu' = [1, 0] → g0 = [2, 0].
    expect(Array.from(dx!.dataSync())).toEqual([2, 0]); // g0 · W0ᵀ
    expect(Array.from(dw0!.dataSync())).toEqual([2, 0, -4, 0]); // xᵀ g0
    expect(Array.from(db0!.dataSync())).toEqual([2, 0]);
    expect(Array.from(dw1!.dataSync())).toEqual([1.5, 0]); // h1ᵀ · 1
    expect(Array.from(db1!.dataSync())).toEqual([1]);
    tf.dispose([x, w0, b0, w1, b1, y, dx!, dw0!, db0!, dw1!, db1!]);
  });

  it('denseStack equals the composed ops on random stacks, value and every gradient, without leaking', () => {
    const cases: { m: number; widths: number[]; acts: DenseActivation[] }[] = [
      { m: 1, widths: [3, 1], acts: ['linear'] },
      { m: 7, widths: [5, 4], acts: ['relu'] },
      { m: 33, widths: [16, 8, 4, 1], acts: ['relu', 'relu', 'linear'] },
      { m: 256, widths: [64, 32, 16, 8], acts: ['relu', 'relu', 'relu'] },
      { m: 130, widths: [20, 64, 64, 32, 16], acts: ['relu', 'linear', 'relu', 'relu'] },
    ];
    for (const c of cases) {
      const x = randn([c.m, c.widths[0]!]);
      const params: Tensor[] = [];
      for (let l = 0; l + 1 < c.widths.length; l++)
        params.push(randn([c.widths[l]!, c.widths[l + 1]!]), randn([c.widths[l + 1]!]));
      const weights = randn([c.m, c.widths[c.widths.length - 1]!]); // a non-uniform upstream gradient
      const before = tf.memory().numTensors;
      const loss =
        (impl: typeof fused) =>
        (...t: Tensor[]): Tensor =>
          tf.sum(tf.mul(impl(t[0]!, t.slice(1), c.acts), weights));
      const ours = tf.tidy(() => fused(x, params, c.acts));
      const ref = tf.tidy(() => composite(x, params, c.acts));
      expectClose(ours, ref);
      const gOurs = tf.grads(loss(fused))([x, ...params]);
      const gRef = tf.grads(loss(composite))([x, ...params]);
      gOurs.forEach((g, i) => expectClose(g, gRef[i]!, 2e-4));
      tf.dispose([ours, ref, ...gOurs, ...gRef]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, weights, ...params]);
    }
  });

  it('row gather and scatter-add kernels (indices as attributes) equal gather and unsortedSegmentSum', () => {
    const table = randn([50, 12]);
    const ids = Int32Array.from({ length: 40 }, () => rng.int(50));
    const gathered = tf.engine().runKernel('NcfGatherRows', { table }, { ids } as never) as Tensor;
    const ref = tf.gather(table, tf.tensor1d(ids, 'int32'));
    expectClose(gathered, ref, 0);
    const dy = randn([40, 12]);
    const inverse = Int32Array.from({ length: 40 }, () => rng.int(9));
    const summed = tf
      .engine()
      .runKernel('NcfScatterAddRows', { dy }, { inverse, numSegments: 9 } as never) as Tensor;
    expectClose(summed, tf.unsortedSegmentSum(dy, tf.tensor1d(inverse, 'int32'), 9), 1e-6);
    const before = tf.memory().numTensors;
    expect(() =>
      tf.engine().runKernel('NcfGatherRows', { table }, { ids: Int32Array.of(50) } as never),
    ).toThrow(/outside \[0, 50\)/);
    expect(() =>
      tf.engine().runKernel('NcfScatterAddRows', { dy }, {
        inverse: new Int32Array(40).fill(9),
        numSegments: 9,
      } as never),
    ).toThrow(/outside \[0, 9\)/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('handles empty batches: denseStack and the row kernels on zero rows (zero weight gradients)', () => {
    const before = tf.memory().numTensors;
    const x = tf.zeros([0, 5]);
    const params = [randn([5, 3]), randn([3]), randn([3, 1]), randn([1])];
    const g = tf.grads((...t: Tensor[]) => tf.sum(fused(t[0]!, t.slice(1), ['relu', 'linear'])))([
      x,
      ...params,
    ]);
    expect(g.map((t) => t.shape)).toEqual([[0, 5], [5, 3], [3], [3, 1], [1]]);
    expect(Array.from(g[1]!.dataSync()).every((v) => v === 0)).toBe(true);
    const table = randn([4, 8]);
    const rows = tf
      .engine()
      .runKernel('NcfGatherRows', { table }, { ids: new Int32Array(0) } as never) as Tensor;
    expect(rows.shape).toEqual([0, 8]);
    const summed = tf.engine().runKernel('NcfScatterAddRows', { dy: rows }, {
      inverse: new Int32Array(0),
      numSegments: 2,
    } as never) as Tensor;
    expect(Array.from(summed.dataSync())).toEqual(new Array(16).fill(0));
    tf.dispose([x, ...params, ...g, table, rows, summed]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('matMul over an empty shared dimension is zeros (stock wasm returned uninitialised memory)', () => {
    for (let i = 0; i < 3; i++) tf.dispose(tf.randomNormal([64, 64])); // leave non-zero garbage in freed memory
    tf.tidy(() => {
      const a = tf.zeros([3, 0]);
      const b = tf.zeros([0, 4]);
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
      ] as const) {
        const p = tf.matMul(ta ? tf.transpose(a) : a, tb ? tf.transpose(b) : b, ta, tb);
        expect(p.shape).toEqual([3, 4]);
        expect(Array.from(p.dataSync())).toEqual(new Array(12).fill(0));
      }
    });
  });

  it('denseStack rejects layers that do not fit', () => {
    const x = tf.zeros([2, 3]) as Tensor2D;
    const w = tf.zeros([4, 2]);
    const b = tf.zeros([2]);
    expect(() => denseStack(x, [{ kernel: w, bias: b, activation: 'relu' }])).toThrow(/width 3/);
    tf.dispose([x, w, b]);
  });

  it('sigmoidCrossEntropyWithLogits: hand-computed values, stable at large logits, gradient (σ(x) − y)/n', () => {
    const x = tf.tensor1d([0, 2, 100, -100]);
    const y = tf.tensor1d([1, 0, 1, 1]);
    const expected = (Math.LN2 + Math.log1p(Math.exp(2)) + 0 + 100) / 4;
    const v = sigmoidCrossEntropyWithLogits(x, y);
    expect(v.dataSync()[0]).toBeCloseTo(expected, 5);
    const before = tf.memory().numTensors;
    const g = tf.grad((t: Tensor) => sigmoidCrossEntropyWithLogits(t, y))(x);
    const sig = (z: number): number => 1 / (1 + Math.exp(-z));
    const want = [sig(0) - 1, sig(2) - 0, sig(100) - 1, sig(-100) - 1].map((d) => d / 4);
    Array.from(g.dataSync()).forEach((gi, i) => expect(gi).toBeCloseTo(want[i]!, 6));
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, v]);
  });

  it('sigmoidCrossEntropyWithLogits equals the composed ops on random logits and soft labels', () => {
    const x = randn([300]);
    const y = tf.tensor1d(Float32Array.from({ length: 300 }, () => rng.next()));
    const ref = (t: Tensor): Tensor => tf.mean(tf.sub(tf.softplus(t), tf.mul(t, y)));
    expectClose(sigmoidCrossEntropyWithLogits(x, y), ref(x), 1e-5);
    expectClose(tf.grad((t: Tensor) => sigmoidCrossEntropyWithLogits(t, y))(x), tf.grad(ref)(x), 1e-5);
    expect(() => sigmoidCrossEntropyWithLogits(x, tf.zeros([3]))).toThrow(/300 logits but 3 labels/);
  });

  it('rowDot: hand-computed values and gradients (da = dy·b, db = dy·a), no leak', () => {
    const a = tf.tensor2d([
      [1, 2],
      [3, -1],
    ]);
    const b = tf.tensor2d([
      [4, 5],
      [0.5, 2],
    ]);
    expect(Array.from(rowDot(a, b).dataSync())).toEqual([14, -0.5]);
    const dy = tf.tensor1d([2, -1]);
    const before = tf.memory().numTensors;
    const [da, db] = tf.grads((x: Tensor, y: Tensor) => rowDot(x as Tensor2D, y as Tensor2D))([a, b], dy);
    expect(Array.from(da!.dataSync())).toEqual([8, 10, -0.5, -2]);
    expect(Array.from(db!.dataSync())).toEqual([2, 4, -3, 1]);
    tf.dispose([da!, db!]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => rowDot(a, tf.zeros([2, 3]) as Tensor2D)).toThrow(/one shape/);
    tf.dispose([a, b, dy]);
  });

  it('rowDot equals sum(mul(a, b), 1) on random matrices, value and both gradients (and on zero rows)', () => {
    const a = randn([97, 33]) as Tensor2D;
    const b = randn([97, 33]) as Tensor2D;
    const dy = randn([97]);
    const ref = (x: Tensor, y: Tensor): Tensor => tf.sum(tf.mul(x, y), 1);
    expectClose(rowDot(a, b), ref(a, b), 1e-5);
    const got = tf.grads((x: Tensor, y: Tensor) => rowDot(x as Tensor2D, y as Tensor2D))([a, b], dy);
    const want = tf.grads(ref)([a, b], dy);
    expectClose(got[0]!, want[0]!, 1e-6);
    expectClose(got[1]!, want[1]!, 1e-6);
    const empty = tf.zeros([0, 4]) as Tensor2D;
    expect(rowDot(empty, empty).shape).toEqual([0]);
  });
});
