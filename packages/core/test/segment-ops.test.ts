import { beforeAll, describe, expect, it } from 'vitest';
import {
  createRng,
  initBackend,
  pairAttentionLogits,
  pairAttentionLogitsComposite,
  segmentSoftmax,
  segmentSoftmaxComposite,
  segmentWeightedSum,
  segmentWeightedSumComposite,
  tf,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
} from '../src/index.js';
import { pairUnitKept } from '../src/kernels/pair-logits.js';

/**
 * The ragged-segment ops against plain float64 JavaScript references: values, and gradients of
 * `L = Σ g·y` (random `g`) against central finite differences of the reference. Empty segments,
 * one-entry segments, large logits and NAIS's β < 1 included; the fused kernels and the stock-tfjs
 * composition must agree with the reference and each other.
 */

const rng = createRng(3);
const rand = (n: number, scale = 1): number[] => Array.from({ length: n }, () => rng.normal() * scale);

function refSoftmax(s: number[], offsets: number[], beta: number): number[] {
  const y = new Array<number>(s.length).fill(0);
  for (let b = 0; b + 1 < offsets.length; b++) {
    const seg = s.slice(offsets[b], offsets[b + 1]);
    if (seg.length === 0) continue;
    const m = Math.max(...seg);
    const z = seg.reduce((acc, v) => acc + Math.exp(v - m), 0);
    // exp(s)/Z^β = exp(s − m)·exp((1 − β)m)/z^β with z = Σ exp(s − m)
    seg.forEach((v, j) => (y[offsets[b]! + j] = (Math.exp(v - m) * Math.exp((1 - beta) * m)) / z ** beta));
  }
  return y;
}

function refWeightedSum(w: number[], table: number[][], rows: number[], offsets: number[]): number[][] {
  const d = table[0]!.length;
  const out: number[][] = [];
  for (let b = 0; b + 1 < offsets.length; b++) {
    const r = new Array<number>(d).fill(0);
    for (let p = offsets[b]!; p < offsets[b + 1]!; p++)
      for (let k = 0; k < d; k++) r[k]! += w[p]! * table[rows[p]!]![k]!;
    out.push(r);
  }
  return out;
}

function refPairLogits(
  a: number[][],
  c: number[][],
  w: number[],
  rows: number[],
  offsets: number[],
): number[] {
  const s: number[] = [];
  for (let b = 0; b + 1 < offsets.length; b++)
    for (let p = offsets[b]!; p < offsets[b + 1]!; p++) {
      let acc = 0;
      for (let k = 0; k < w.length; k++) acc += w[k]! * Math.max(0, a[b]![k]! + c[rows[p]!]![k]!);
      s.push(acc);
    }
  return s;
}

/** Central-difference gradient of `f` (a scalar function of a flat vector) at `x`. */
function numericGrad(f: (x: number[]) => number, x: number[], eps = 1e-5): number[] {
  return x.map((_, i) => {
    const up = x.slice();
    const dn = x.slice();
    up[i]! += eps;
    dn[i]! -= eps;
    return (f(up) - f(dn)) / (2 * eps);
  });
}

const dot = (a: number[], b: number[]): number => a.reduce((acc, v, i) => acc + v * b[i]!, 0);
const flat = (m: number[][]): number[] => m.flat();
const rowsOf = (x: number[], d: number): number[][] =>
  Array.from({ length: x.length / d }, (_, r) => x.slice(r * d, (r + 1) * d));

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    expect(Math.abs(actual[i]! - e)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  }
}

// Segments: two ordinary, one empty, one single entry, one empty at the end.
const OFFSETS = [0, 3, 7, 7, 8, 8];
const TOTAL = 8;

beforeAll(async () => {
  await initBackend('wasm');
  await initBackend('cpu');
});

describe.each(['wasm', 'cpu'] as const)('segment ops on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it('runs the fused kernels (not the composition) on this backend', () => {
    for (const k of ['NcfSegmentSoftmax', 'NcfSegmentWeightedSum', 'NcfPairLogits'])
      for (const name of [k, `${k}Grad`]) expect(tf.getKernel(name, backend)).toBeDefined();
  });

  for (const beta of [1, 0.5]) {
    it(`segmentSoftmax (β = ${beta}): values and gradient against the reference, fused = composite`, () => {
      const s = rand(TOTAL, 2);
      const g = rand(TOTAL);
      const offsets = Int32Array.from(OFFSETS);
      const before = tf.memory().numTensors;
      for (const op of [segmentSoftmax, segmentSoftmaxComposite]) {
        const x = tf.tensor1d(s);
        const y = op(x, offsets, beta);
        expectClose(y.dataSync(), refSoftmax(s, OFFSETS, beta), 1e-5);
        const dx = tf.grad((t: Tensor) => tf.sum(tf.mul(op(t as Tensor1D, offsets, beta), tf.tensor1d(g))))(
          x,
        );
        const ref = numericGrad((v) => dot(refSoftmax(v, OFFSETS, beta), g), s);
        expectClose(dx.dataSync(), ref, 1e-4);
        tf.dispose([x, y, dx]);
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('segmentSoftmax: a one-entry segment has weight 1; weights of a segment sum to 1; large logits stay finite', () => {
    const s = [1000, 1001, 999, -1000, 5000, 0, 0, 88.5];
    const y = tf.tidy(() => segmentSoftmax(tf.tensor1d(s), Int32Array.from(OFFSETS)).arraySync());
    expect(y.every(Number.isFinite)).toBe(true);
    expect(y[7]).toBeCloseTo(1, 6);
    expect(y[0]! + y[1]! + y[2]!).toBeCloseTo(1, 6);
    expect(y[4]).toBeCloseTo(1, 6); // 5000 dominates its segment
    expectClose(y, refSoftmax(s, OFFSETS, 1), 1e-6);
  });

  it('segmentWeightedSum: values and gradients (weights and table) against the reference; empty segments are zero rows', () => {
    const d = 3;
    const m = 5;
    const rows = [0, 4, 2, 2, 1, 0, 3, 4];
    const w = rand(TOTAL);
    const table = rand(m * d);
    const g = rand((OFFSETS.length - 1) * d);
    const offsets = Int32Array.from(OFFSETS);
    const ri = Int32Array.from(rows);
    const before = tf.memory().numTensors;
    for (const op of [segmentWeightedSum, segmentWeightedSumComposite]) {
      const wt = tf.tensor1d(w);
      const tt = tf.tensor2d(table, [m, d]);
      const y = op(wt, tt, ri, offsets);
      const expected = refWeightedSum(w, rowsOf(table, d), rows, OFFSETS);
      expectClose(y.dataSync(), flat(expected), 1e-5);
      expect(Array.from(y.dataSync().slice(2 * d, 3 * d))).toEqual([0, 0, 0]);
      const [dw, dt] = tf.grads((a: Tensor, b: Tensor) =>
        tf.sum(
          tf.mul(op(a as Tensor1D, b as Tensor2D, ri, offsets), tf.tensor2d(g, [OFFSETS.length - 1, d])),
        ),
      )([wt, tt]);
      const loss = (wv: number[], tv: number[]): number =>
        dot(flat(refWeightedSum(wv, rowsOf(tv, d), rows, OFFSETS)), g);
      expectClose(
        dw!.dataSync(),
        numericGrad((v) => loss(v, table), w),
        1e-4,
      );
      expectClose(
        dt!.dataSync(),
        numericGrad((v) => loss(w, v), table),
        1e-4,
      );
      tf.dispose([wt, tt, y, dw!, dt!]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pairAttentionLogits: values and gradients (a, c, w) against the reference; composite agrees', () => {
    const h = 4;
    const n = OFFSETS.length - 1;
    const m = 5;
    const rows = [0, 4, 2, 2, 1, 0, 3, 4];
    const a = rand(n * h);
    const c = rand(m * h);
    const w = rand(h);
    const g = rand(TOTAL);
    const offsets = Int32Array.from(OFFSETS);
    const ri = Int32Array.from(rows);
    const before = tf.memory().numTensors;
    for (const op of [pairAttentionLogits, pairAttentionLogitsComposite]) {
      const at = tf.tensor2d(a, [n, h]);
      const ct = tf.tensor2d(c, [m, h]);
      const wt = tf.tensor1d(w);
      const y = op(at, ct, wt, ri, offsets);
      expectClose(y.dataSync(), refPairLogits(rowsOf(a, h), rowsOf(c, h), w, rows, OFFSETS), 1e-5);
      const grads = tf.grads((x: Tensor, y2: Tensor, z: Tensor) =>
        tf.sum(tf.mul(op(x as Tensor2D, y2 as Tensor2D, z as Tensor1D, ri, offsets), tf.tensor1d(g))),
      )([at, ct, wt]);
      const loss = (av: number[], cv: number[], wv: number[]): number =>
        dot(refPairLogits(rowsOf(av, h), rowsOf(cv, h), wv, rows, OFFSETS), g);
      expectClose(
        grads[0]!.dataSync(),
        numericGrad((v) => loss(v, c, w), a),
        1e-4,
      );
      expectClose(
        grads[1]!.dataSync(),
        numericGrad((v) => loss(a, v, w), c),
        1e-4,
      );
      expectClose(
        grads[2]!.dataSync(),
        numericGrad((v) => loss(a, c, v), w),
        1e-4,
      );
      tf.dispose([at, ct, wt, y, ...grads]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([6, 8])(
    'pairAttentionLogits with dropout (H = %i): the kernel, the composite and a hand-masked reference agree, gradients too',
    (h) => {
      const n = 2;
      const offsets = Int32Array.from([0, 2, 5]);
      const rows = Int32Array.from([0, 1, 1, 2, 0]);
      const a = rand(n * h);
      const c = rand(3 * h);
      const w = rand(h);
      const dropout = { rate: 0.4, seed: 12345 };
      let dropped = 0;
      const expected: number[] = [];
      for (let b = 0; b < n; b++)
        for (let p = offsets[b]!; p < offsets[b + 1]!; p++) {
          let acc = 0;
          for (let k = 0; k < h; k++) {
            if (!pairUnitKept(dropout.seed, p, k, h, dropout.rate)) {
              dropped++;
              continue;
            }
            acc += (w[k]! * Math.max(0, a[b * h + k]! + c[rows[p]! * h + k]!)) / (1 - 102 / 256);
          }
          expected.push(acc);
        }
      expect(dropped).toBeGreaterThan(0);
      const results = [pairAttentionLogits, pairAttentionLogitsComposite].map((op) =>
        tf.tidy(() => {
          const [at, ct, wt] = [tf.tensor2d(a, [n, h]), tf.tensor2d(c, [3, h]), tf.tensor1d(w)];
          const y = Array.from(op(at, ct, wt, rows, offsets, dropout).dataSync());
          const gs = tf
            .grads((x: Tensor, y2: Tensor, z: Tensor) =>
              tf.sum(op(x as Tensor2D, y2 as Tensor2D, z as Tensor1D, rows, offsets, dropout)),
            )([at, ct, wt])
            .map((t) => Array.from(t.dataSync()));
          return { y, gs };
        }),
      );
      expectClose(results[0]!.y, expected, 1e-5);
      expectClose(results[1]!.y, expected, 1e-5);
      results[0]!.gs.forEach((g, i) => expectClose(g, results[1]!.gs[i]!, 1e-5));
    },
  );

  it('rejects bad offsets and rows with messages naming the op', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([1, 2, 3]);
      expect(() => segmentSoftmax(x, Int32Array.from([0, 2]))).toThrow(
        /segmentSoftmax: offsets must start at 0 and end at .* 3/,
      );
      expect(() => segmentSoftmax(x, Int32Array.from([0, 2, 1, 3]))).toThrow(/must not decrease/);
      expect(() =>
        segmentWeightedSum(
          x,
          tf.zeros([2, 2]) as Tensor2D,
          Int32Array.from([0, 1, 2]),
          Int32Array.from([0, 3]),
        ),
      ).toThrow(/rows\[2\] = 2 is outside the table's \[0, 2\)/);
    });
  });
});
