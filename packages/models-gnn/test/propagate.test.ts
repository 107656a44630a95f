import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, tf } from '@ncf/core';
import type { Tensor2D } from '@ncf/core';
import { createSparseOperator, csrMultiplyInto, graphMatrix, propagate, transposeCsr } from '../src/index.js';
import { tinyGraph } from './tiny-graph.js';

// 2 users × 3 items; edges u0–i0, u0–i1, u1–i1, u1–i2. Nodes: u0=0, u1=1, i0=2, i1=3, i2=4.
// Degrees u0 2, u1 2, i0 1, i1 2, i2 1 → weights u0–i0 1/√2, u0–i1 1/2, u1–i1 1/2, u1–i2 1/√2.
const graph = tinyGraph(2, 3, [0, 0, 1, 1], [0, 1, 1, 2]);
const E = [
  [1, 0],
  [0, 1],
  [1, 1],
  [2, 0],
  [0, 3],
];
const r = Math.SQRT1_2;
// Â·E, by hand.
const AE = [
  [r + 1, r],
  [1, 3 * r],
  [r, 0],
  [0.5, 0.5],
  [0, r],
];
// Â·Â·E, by hand.
const AAE = [
  [0.75, 0.25],
  [0.25, 0.75],
  [0.5 + r, 0.5],
  [1 + r / 2, Math.SQRT2],
  [r, 1.5],
];

const combine = (ws: number[], ...layers: number[][][]): number[] =>
  E.flatMap((_, n) => [0, 1].map((k) => layers.reduce((s, l, li) => s + ws[li]! * l[n]![k]!, 0)));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, digits);
}

describe.each(['cpu', 'wasm'] as const)('propagate on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('builds the hand-checked normalised graph', () => {
    expect(Array.from(graph.offsets)).toEqual([0, 2, 4, 5, 7, 8]);
    expect(Array.from(graph.indices)).toEqual([2, 3, 3, 4, 0, 0, 1, 1]);
    expectClose(graph.values, [r, 0.5, 0.5, r, r, 0.5, 0.5, r]);
  });

  it('sparse product equals the hand-computed Â·E, and its transpose is Â again (symmetric)', () => {
    const out = csrMultiplyInto(graphMatrix(graph), Float32Array.from(E.flat()), 2, new Float32Array(10));
    expectClose(out, AE.flat());
    const t = transposeCsr(graphMatrix(graph));
    expect(Array.from(t.offsets)).toEqual(Array.from(graph.offsets));
    expect(Array.from(t.indices)).toEqual(Array.from(graph.indices));
    expectClose(t.values, graph.values);
  });

  it('sparse product equals the dense product for every embedding size 1..9 (unrolled and remainder paths)', () => {
    const dense = [
      [0, 2, 0, -1],
      [0, 0, 0, 0],
      [3, 0, 0.5, 0],
    ];
    const m = {
      numRows: 3,
      numCols: 4,
      offsets: Int32Array.of(0, 2, 2, 4),
      indices: Int32Array.of(1, 3, 0, 2),
      values: Float32Array.of(2, -1, 3, 0.5),
    };
    for (let dim = 1; dim <= 9; dim++) {
      const x = Float32Array.from({ length: 4 * dim }, (_, i) => ((i * 7) % 11) - 5);
      const expected = dense.flatMap((row) =>
        Array.from({ length: dim }, (_, k) => row.reduce((s, a, c) => s + a * x[c * dim + k]!, 0)),
      );
      const out = new Float32Array(3 * dim).fill(99); // overwritten, not accumulated into
      expectClose(csrMultiplyInto(m, x, dim, out), expected);
    }
  });

  for (const method of ['csr', 'segment-sum'] as const) {
    const canRun = (): boolean =>
      method === 'csr' || tf.getKernel('UnsortedSegmentSum', tf.getBackend()) !== undefined;

    it(`${method}: layers 1 and 2 with uniform weights match the hand-computed values`, (ctx) => {
      if (!canRun()) ctx.skip();
      const before = tf.memory().numTensors;
      const e = tf.tensor2d(E);
      const one = propagate(e, graph, 1, { method });
      const two = propagate(e, graph, 2, { method });
      expectClose(one.dataSync(), combine([1 / 2, 1 / 2], E, AE));
      expectClose(two.dataSync(), combine([1 / 3, 1 / 3, 1 / 3], E, AE, AAE));
      tf.dispose([e, one, two]);
      expect(tf.memory().numTensors).toBe(before);
    });

    it(`${method}: custom layer weights and layers 0`, (ctx) => {
      if (!canRun()) ctx.skip();
      const e = tf.tensor2d(E);
      const w = propagate(e, graph, 2, { method, layerWeights: [0.5, 0, 2] });
      expectClose(w.dataSync(), combine([0.5, 0, 2], E, AE, AAE));
      const zero = propagate(e, graph, 0, { method });
      expectClose(zero.dataSync(), E.flat());
      tf.dispose([e, w, zero]);
    });

    it(`${method}: gradient of sum(propagate(E)) is α0 + α1·colsum(Â) per node`, (ctx) => {
      if (!canRun()) ctx.skip();
      const before = tf.memory().numTensors;
      const e = tf.tensor2d(E);
      const g = tf.grad((x: tf.Tensor) => tf.sum(propagate(x as Tensor2D, graph, 1, { method })))(e);
      // Column sums of Â (= row sums, symmetric): u0 r+½, u1 ½+r, i0 r, i1 1, i2 r.
      const col = [r + 0.5, 0.5 + r, r, 1, r];
      expectClose(
        g.dataSync(),
        col.flatMap((c) => [0.5 + 0.5 * c, 0.5 + 0.5 * c]),
      );
      tf.dispose([e, g]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('csr and segment-sum agree in value and gradient on a random graph', (ctx) => {
    if (tf.getKernel('UnsortedSegmentSum', tf.getBackend()) === undefined) ctx.skip();
    const nu = 7;
    const ni = 9;
    const us: number[] = [];
    const is: number[] = [];
    for (let u = 0; u < nu; u++) {
      for (let i = 0; i < ni; i++) {
        if ((u * 31 + i * 17) % 5 < 2) {
          us.push(u);
          is.push(i);
        }
      }
    }
    const g = tinyGraph(nu, ni, us, is);
    const e = tf.randomNormal([nu + ni, 4], 0, 1, 'float32', 7) as Tensor2D;
    const w = tf.randomNormal([nu + ni, 4], 0, 1, 'float32', 8) as Tensor2D;
    const f = (method: 'csr' | 'segment-sum') => (x: tf.Tensor) =>
      tf.sum(tf.mul(propagate(x as Tensor2D, g, 3, { method }), w));
    const [a, b] = [f('csr')(e), f('segment-sum')(e)];
    const [ga, gb] = [tf.grad(f('csr'))(e), tf.grad(f('segment-sum'))(e)];
    expect(a.dataSync()[0]).toBeCloseTo(b.dataSync()[0]!, 4);
    expectClose(ga.dataSync(), gb.dataSync(), 4);
    tf.dispose([e, w, a, b, ga, gb]);
  });

  it('the sparse operator rejects a tensor of the wrong shape', () => {
    const op = createSparseOperator(graphMatrix(graph));
    const bad = tf.zeros([4, 2]) as Tensor2D;
    expect(() => op(bad)).toThrow(/\[5, dim\]/);
    bad.dispose();
  });

  it('rejects wrong layer weights, layers and shapes with ConfigError', () => {
    const e = tf.tensor2d(E);
    expect(() => propagate(e, graph, 2, { layerWeights: [1, 1] })).toThrow(ConfigError);
    expect(() => propagate(e, graph, -1)).toThrow(ConfigError);
    expect(() => propagate(e, graph, 1.5)).toThrow(ConfigError);
    const small = tf.zeros([3, 2]) as Tensor2D;
    expect(() => propagate(small, graph, 1)).toThrow(/numNodes = 5/);
    tf.dispose([e, small]);
  });
});
