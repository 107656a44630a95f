import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend, tf, type Tensor } from '../src/index.js';
import { registerKernelLayer, stockKernel } from '../src/kernels/index.js';

/**
 * Every kernel of the layer against tfjs's reference: the stock `cpu` kernel (kept aside when the layer
 * replaced it), on random shapes including empty inputs, out-of-range segment ids and negative axes.
 */

type Spec = { values: Float32Array | Int32Array; shape: number[]; dtype: 'float32' | 'int32' };
type Result = { values: number[]; shape: number[] };

const rng = createRng(11);
const randInt = (n: number): number => rng.int(n);
const floats = (shape: number[]): Spec => ({
  values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
  shape,
  dtype: 'float32',
});
const ints = (shape: number[], lo: number, hi: number): Spec => ({
  values: Int32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => lo + randInt(hi - lo)),
  shape,
  dtype: 'int32',
});

function make(s: Spec): Tensor {
  return tf.tensor(s.values, s.shape, s.dtype);
}

/** Runs the stock cpu kernel `name` (the reference) on the cpu backend. */
async function reference(
  name: string,
  inputs: Record<string, Spec> | Spec[],
  attrs: object,
): Promise<Result[]> {
  await tf.setBackend('cpu');
  const stock = stockKernel('cpu', name) ?? tf.getKernel(name, 'cpu')!;
  const tensors = Array.isArray(inputs)
    ? inputs.map(make)
    : Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, make(v)]));
  const out = stock.kernelFunc({ inputs: tensors as never, backend: tf.backend(), attrs: attrs as never });
  const infos = Array.isArray(out) ? out : [out];
  const results = infos.map((info) => {
    const t = tf.engine().makeTensorFromTensorInfo(info);
    const r = { values: Array.from(t.dataSync()), shape: t.shape.slice() };
    t.dispose();
    return r;
  });
  tf.dispose(Object.values(tensors));
  return results;
}

async function ours(
  backend: string,
  f: (...t: Tensor[]) => Tensor | Tensor[],
  specs: Spec[],
): Promise<Result[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const ts = specs.map(make);
  const out = f(...ts);
  const outs = Array.isArray(out) ? out : [out];
  const r = outs.map((t) => ({ values: Array.from(t.dataSync()), shape: t.shape.slice() }));
  tf.dispose([...ts, ...outs]);
  expect(tf.memory().numTensors).toBe(before);
  return r;
}

function expectSame(got: Result[], want: Result[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.shape).toEqual(want[i]!.shape);
    expect(g.values.length).toBe(want[i]!.values.length);
    g.values.forEach((v, k) => expect(v).toBeCloseTo(want[i]!.values[k]!, 4));
  });
}

beforeAll(async () => {
  await initBackend('cpu');
  await initBackend('wasm');
});

describe.each(['wasm', 'cpu'] as const)('kernel layer on %s', (backend) => {
  it('registers idempotently and reports its kernels', () => {
    const a = registerKernelLayer(backend);
    const b = registerKernelLayer(backend);
    expect(a).toEqual(b);
    expect(a).toEqual(expect.arrayContaining(['UnsortedSegmentSum', 'GatherV2', 'Concat', 'SplitV']));
  });

  it('UnsortedSegmentSum matches the reference, dropping negative and out-of-range ids', async () => {
    const cases: [number[], number, number][] = [
      [[10, 3], 10, 4],
      [[17], 17, 5],
      [[6, 2, 3], 6, 3],
      [[0, 4], 0, 3],
      [[5, 4], 5, 0],
      [[40, 8], 40, 13],
    ];
    for (const [xShape, n, numSegments] of cases) {
      const x = floats(xShape);
      const ids = ints([n], -2, numSegments + 2);
      if (numSegments === 0) {
        // The reference cannot stack zero segments; the answer is an empty [0, ...] tensor.
        const got = await ours(backend, (a, b) => tf.unsortedSegmentSum(a, b as tf.Tensor1D, 0), [x, ids]);
        expect(got).toEqual([{ values: [], shape: [0, ...xShape.slice(1)] }]);
        continue;
      }
      const want = await reference('UnsortedSegmentSum', { x, segmentIds: ids }, { numSegments });
      const got = await ours(backend, (a, b) => tf.unsortedSegmentSum(a, b as tf.Tensor1D, numSegments), [
        x,
        ids,
      ]);
      expectSame(got, want);
    }
    // 2-D segment ids over a 3-D x: the same as flattening the id dims (the reference handles only 1-D ids).
    const x = floats([3, 4, 2]);
    const ids = ints([3, 4], -1, 6);
    const want = await reference(
      'UnsortedSegmentSum',
      { x: { ...x, shape: [12, 2] }, segmentIds: { ...ids, shape: [12] } },
      { numSegments: 5 },
    );
    const got = await ours(backend, (a, b) => tf.unsortedSegmentSum(a, b as tf.Tensor1D, 5), [x, ids]);
    expectSame(got, want);
  });

  it('GatherV2 matches the reference on every axis, int and float, empty indices; rejects bad ids', async () => {
    const cases: [number[], number, number[]][] = [
      [[9, 4], 0, [12]],
      [[9, 4], 1, [5]],
      [[3, 5, 2], 1, [2, 3]],
      [[3, 5, 2], -1, [4]],
      [[7], 0, [10]],
      [[6, 3], 0, [0]],
    ];
    for (const [shape, axis, idxShape] of cases) {
      for (const dtype of ['float32', 'int32'] as const) {
        const x = dtype === 'float32' ? floats(shape) : ints(shape, -50, 50);
        const ax = axis < 0 ? shape.length + axis : axis;
        const idx = ints(idxShape, 0, shape[ax]!);
        const want = await reference('GatherV2', { x, indices: idx }, { axis: ax, batchDims: 0 });
        const got = await ours(backend, (a, b) => tf.gather(a, b!, axis), [x, idx]);
        expectSame(got, want);
      }
    }
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    const x = tf.zeros([4, 2]);
    const bad = tf.tensor1d([1, 4], 'int32');
    expect(() => tf.gather(x, bad)).toThrow(/not in \[0, 3\]/);
    tf.dispose([x, bad]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Concat and SplitV match the reference on every axis, with empty parts', async () => {
    const cases: [number[][], number][] = [
      [
        [
          [4, 3],
          [4, 5],
          [4, 1],
        ],
        1,
      ],
      [
        [
          [2, 3],
          [5, 3],
        ],
        0,
      ],
      [
        [
          [2, 3, 4],
          [2, 1, 4],
          [2, 0, 4],
        ],
        1,
      ],
      [
        [
          [2, 3, 4],
          [2, 3, 2],
        ],
        -1,
      ],
      [
        [
          [0, 3],
          [0, 2],
        ],
        1,
      ],
      [[[6], [2]], 0],
    ];
    for (const [shapes, axis] of cases) {
      const xs = shapes.map((s) => floats(s));
      const rank = shapes[0]!.length;
      const ax = axis < 0 ? rank + axis : axis;
      const want = await reference('Concat', xs, { axis: ax });
      const got = await ours(backend, (...ts) => tf.concat(ts, axis), xs);
      expectSame(got, want);
      const whole = {
        values: Float32Array.from(want[0]!.values),
        shape: want[0]!.shape,
        dtype: 'float32' as const,
      };
      const sizes = shapes.map((s) => s[ax]!);
      const wantSplit = await reference('SplitV', { x: whole }, { numOrSizeSplits: sizes, axis: ax });
      const gotSplit = await ours(backend, (t) => tf.split(t!, sizes, axis), [whole]);
      expectSame(gotSplit, wantSplit);
    }
    const x = ints([6, 4], -9, 9);
    expectSame(
      await ours(backend, (t) => tf.split(t!, 3, 1 - 1), [x]),
      await reference('SplitV', { x }, { numOrSizeSplits: 3, axis: 0 }),
    );
    await tf.setBackend(backend);
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([3, 3]);
    expect(() => tf.concat([a, b], 1)).toThrow();
    tf.dispose([a, b]);
  });

  it('BatchMatMul matches the reference with every transpose and broadcast batch', async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[5, 3], [3, 4], false, false],
      [[3, 5], [3, 4], true, false],
      [[5, 3], [4, 3], false, true],
      [[3, 5], [4, 3], true, true],
      [[2, 3, 5], [1, 4, 3], true, true],
      [[1, 6, 2], [3, 6, 4], true, false],
      [[0, 3], [3, 4], false, false],
      [[4, 0], [0, 3], false, false],
      // Sizes past the SIMD gemm's 4×8 tiles and 256-step chunks (wasm), with tails on every side.
      [[37, 300], [300, 19], false, false],
      [[300, 37], [19, 300], true, true],
      [[3, 13, 20], [20, 9], false, false],
      [[2, 20, 13], [2, 9, 20], true, true],
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const a = floats(sa);
      const b = floats(sb);
      const want = await reference('BatchMatMul', { a, b }, { transposeA: ta, transposeB: tb });
      const got = await ours(backend, (x, y) => tf.matMul(x!, y!, ta, tb), [a, b]);
      expectSame(got, want);
    }
  });

  it('_FusedMatMul matches the reference with bias shapes and activations', async () => {
    const cases: [number[], number[], boolean, boolean, number[] | null, string][] = [
      [[6, 4], [4, 5], false, false, [5], 'relu'],
      [[4, 6], [5, 4], true, true, [1, 5], 'sigmoid'],
      [[6, 4], [5, 4], false, true, null, 'linear'],
      [[6, 4], [4, 5], false, false, [6, 5], 'elu'],
      [[2, 6, 4], [4, 5], false, false, [5], 'leakyrelu'],
      [[33, 70], [70, 13], false, false, [13], 'relu'],
      [[70, 33], [13, 70], true, true, [13], 'linear'],
    ];
    for (const [sa, sb, ta, tb, biasShape, activation] of cases) {
      // On wasm the layer takes linear and ReLU; other activations stay with the stock kernel (its own limits).
      if (backend === 'wasm' && activation !== 'relu' && activation !== 'linear') continue;
      const a = floats(sa);
      const b = floats(sb);
      const inputs: Record<string, Spec> = { a, b };
      if (biasShape) inputs.bias = floats(biasShape);
      const attrs = { transposeA: ta, transposeB: tb, activation, leakyreluAlpha: 0.1 };
      const want = await reference('_FusedMatMul', inputs, attrs);
      const specs = biasShape ? [a, b, inputs.bias!] : [a, b];
      const got = await ours(
        backend,
        (x, y, z) =>
          tf.fused.matMul({
            a: x!,
            b: y!,
            transposeA: ta,
            transposeB: tb,
            bias: z,
            activation: activation as 'relu',
            leakyreluAlpha: 0.1,
          }),
        specs,
      );
      expectSame(got, want);
    }
  });

  it('Sum, Add, Sub, Multiply and Transpose match the reference on their fast and fallback paths', async () => {
    const sums: [number[], number | number[], boolean][] = [
      [[7, 5], 0, false],
      [[7, 5], 1, true],
      [[3, 4, 5], [0, 1], false],
      [[3, 4, 5], [1, 2], true],
      [[3, 4, 5], 1, false],
      [[0, 3], 0, false],
    ];
    for (const [shape, axis, keepDims] of sums) {
      const x = floats(shape);
      const want = await reference('Sum', { x }, { axis, keepDims });
      const got = await ours(backend, (t) => tf.sum(t!, axis, keepDims), [x]);
      expectSame(got, want);
    }
    const pairs: [number[], number[]][] = [
      [
        [6, 4],
        [6, 4],
      ],
      [[6, 4], [4]],
      [
        [1, 4],
        [6, 4],
      ],
      [[6, 4], []],
      [
        [2, 3, 4],
        [3, 4],
      ],
      [
        [6, 1],
        [1, 4],
      ],
      [[4], [1, 1, 4]],
    ];
    for (const [sa, sb] of pairs) {
      const a = floats(sa);
      const b = floats(sb);
      for (const [kernel, op] of [
        ['Add', tf.add],
        ['Sub', tf.sub],
        ['Multiply', tf.mul],
      ] as const) {
        const want = await reference(kernel, { a, b }, {});
        const got = await ours(backend, (x, y) => op(x!, y!), [a, b]);
        expectSame(got, want);
      }
    }
    for (const [shape, perm] of [
      [
        [5, 7],
        [1, 0],
      ],
      [
        [2, 40, 33],
        [0, 2, 1],
      ],
      [
        [2, 3, 4],
        [2, 0, 1],
      ],
    ] as [number[], number[]][]) {
      const x = floats(shape);
      const want = await reference('Transpose', { x }, { perm });
      const got = await ours(backend, (t) => tf.transpose(t!, perm), [x]);
      expectSame(got, want);
    }
  });

  it('gives the right gradients through gather, concat, split and matMul', async () => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    tf.tidy(() => gradientChecks());
    expect(tf.memory().numTensors).toBe(before);
  });
});

function gradientChecks(): void {
  {
    // d/dx sum(gather(x, idx) ∘ w) = scatter-add of w's rows at idx.
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    const idx = tf.tensor1d([3, 0, 3, 1], 'int32');
    const w = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    const gx = tf.grad((t: Tensor) => tf.sum(tf.mul(tf.gather(t, idx), w)))(x);
    expect(Array.from(gx.dataSync())).toEqual([3, 4, 7, 8, 0, 0, 6, 8]);
    // concat's gradient is split, split's gradient is concat.
    const [ga, gb] = tf.grads((a: Tensor, b: Tensor) =>
      tf.sum(tf.mul(tf.concat([a, b], 1), tf.tensor2d([[1, 2, 3]]))),
    )([tf.ones([2, 1]), tf.ones([2, 2])]);
    expect(Array.from(ga!.dataSync())).toEqual([1, 1]);
    expect(Array.from(gb!.dataSync())).toEqual([2, 3, 2, 3]);
    const gs = tf.grad((t: Tensor) => {
      const [p, q] = tf.split(t, [1, 2], 1);
      return tf.add(tf.sum(tf.mul(p!, 2)), tf.sum(tf.mul(q!, 5)));
    })(tf.ones([3, 3]));
    expect(Array.from(gs.dataSync())).toEqual([2, 5, 5, 2, 5, 5, 2, 5, 5]);
    // d/dA sum((A·B) ∘ W) = W·Bᵀ, d/dB = Aᵀ·W (uses the transposed products).
    const A = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const B = tf.tensor2d([1, -1, 2, 0.5, 3, -2], [2, 3]);
    const W = tf.tensor2d([1, 0, 2, -1, 3, 1, 0.5, 2, -2], [3, 3]);
    const [dA, dB] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(tf.matMul(a, b), W)))([A, B]);
    const wantA = tf.matMul(W, tf.transpose(B));
    const wantB = tf.matMul(tf.transpose(A), W);
    expectSame(
      [{ values: Array.from(dA!.dataSync()), shape: dA!.shape }],
      [{ values: Array.from(wantA.dataSync()), shape: wantA.shape }],
    );
    expectSame(
      [{ values: Array.from(dB!.dataSync()), shape: dB!.shape }],
      [{ values: Array.from(wantB.dataSync()), shape: wantB.shape }],
    );
    // A hand value: dA[0][0] = Σ_j W[0][j]·B[0][j] = 1·1 + 0·(-1) + 2·2 = 5.
    expect(dA!.dataSync()[0]).toBeCloseTo(5, 6);
  }
}
