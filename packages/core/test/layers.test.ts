import { beforeAll, describe, expect, it } from 'vitest';
import {
  KERNEL_INITS,
  applyDense,
  createDense,
  createEmbedding,
  createModelVariable,
  createRng,
  createTower,
  denseVariables,
  dropout,
  embeddingValues,
  fanInUniform,
  glorotUniform,
  initBackend,
  kernelValues,
  lecunUniform,
  normalValues,
  tf,
  uniformValues,
  zeroValues,
} from '../src/index.js';
import type { Tensor2D } from '../src/index.js';

function stats(v: Float32Array): { mean: number; variance: number; maxAbs: number } {
  let s = 0;
  let maxAbs = 0;
  for (const x of v) {
    s += x;
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  const mean = s / v.length;
  let q = 0;
  for (const x of v) q += (x - mean) ** 2;
  return { mean, variance: q / v.length, maxAbs };
}

describe('initialisers', () => {
  it('uniform maps each draw u of the seeded stream to float32((2u − 1)·limit), in index order', () => {
    const draws = createRng(5);
    const expected = Array.from({ length: 6 }, () => Math.fround((draws.next() * 2 - 1) * 0.5));
    expect(Array.from(uniformValues(6, 0.5, createRng(5)))).toEqual(expected);
  });

  it('normal maps each standard normal draw z to float32(z·std)', () => {
    const draws = createRng(6);
    const expected = Array.from({ length: 5 }, () => Math.fround(draws.normal() * 0.1));
    expect(Array.from(normalValues(5, 0.1, createRng(6)))).toEqual(expected);
  });

  it('are deterministic under a seed and differ across seeds', () => {
    expect(Array.from(normalValues(8, 1, createRng(1)))).toEqual(
      Array.from(normalValues(8, 1, createRng(1))),
    );
    expect(Array.from(normalValues(8, 1, createRng(1)))).not.toEqual(
      Array.from(normalValues(8, 1, createRng(2))),
    );
  });

  it('normal N(0, 0.5²) over 40 000 draws: mean within 4σ/√n of 0, variance within 3% of 0.25', () => {
    const s = stats(normalValues(40000, 0.5, createRng(11)));
    expect(Math.abs(s.mean)).toBeLessThan((4 * 0.5) / Math.sqrt(40000)); // 0.01
    expect(s.variance).toBeGreaterThan(0.25 * 0.97);
    expect(s.variance).toBeLessThan(0.25 * 1.03);
  });

  it('Glorot uniform: bound √(6/(in+out)), variance 2/(in+out) (U(±L) has variance L²/3)', () => {
    const [fanIn, fanOut] = [300, 100];
    const limit = Math.sqrt(6 / 400);
    const s = stats(glorotUniform(fanIn, fanOut, createRng(3)));
    expect(s.maxAbs).toBeLessThanOrEqual(limit);
    expect(s.maxAbs).toBeGreaterThan(0.999 * limit);
    expect(s.variance / (2 / 400)).toBeGreaterThan(0.97);
    expect(s.variance / (2 / 400)).toBeLessThan(1.03);
    expect(Math.abs(s.mean)).toBeLessThan((4 * limit) / Math.sqrt(3 * 30000));
  });

  it('LeCun uniform has variance 1/fanIn and fan-in uniform 1/(3·fanIn)', () => {
    const lecun = stats(lecunUniform(200, 100, createRng(4)));
    expect(lecun.maxAbs).toBeLessThanOrEqual(Math.sqrt(3 / 200));
    expect(lecun.variance * 200).toBeGreaterThan(0.97);
    expect(lecun.variance * 200).toBeLessThan(1.03);
    const fanIn = stats(fanInUniform(200, 100, createRng(4)));
    expect(fanIn.maxAbs).toBeLessThanOrEqual(1 / Math.sqrt(200));
    expect(fanIn.variance * 600).toBeGreaterThan(0.97);
    expect(fanIn.variance * 600).toBeLessThan(1.03);
  });

  it('kernelValues dispatches by name to the same draws; zeros draw nothing', () => {
    const direct = [glorotUniform, lecunUniform, fanInUniform].map((f) => Array.from(f(3, 2, createRng(9))));
    expect(KERNEL_INITS.map((k) => Array.from(kernelValues(k, 3, 2, createRng(9))))).toEqual(direct);
    expect(Array.from(zeroValues(3))).toEqual([0, 0, 0]);
  });
});

describe('model variables, embeddings, dense layers, dropout', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('createEmbedding: sparse N(0, 0.01²) table by default; std 0 and zeros draw nothing; Glorot over [rows, dim]', () => {
    const start = tf.memory().numTensors;
    const rng = createRng(2);
    const e = createEmbedding('user', 4, 3, rng);
    expect([e.name, e.variable.shape, e.sparse, e.regularize, e.trainable]).toEqual([
      'user',
      [4, 3],
      true,
      true,
      true,
    ]);
    expect(Array.from(e.variable.dataSync())).toEqual(Array.from(normalValues(12, 0.01, createRng(2))));
    const next = createRng(7);
    const zeros = createEmbedding('bias', 4, 1, next, { std: 0, regularize: false });
    expect(Array.from(zeros.variable.dataSync())).toEqual([0, 0, 0, 0]);
    expect(zeros.regularize).toBe(false);
    expect(next.next()).toBe(createRng(7).next()); // no draws consumed
    expect(Array.from(embeddingValues(2, 2, createRng(1), { init: 'zeros', std: 1 }))).toEqual([0, 0, 0, 0]);
    const dense = createEmbedding('nodes', 5, 2, createRng(3), {
      init: 'glorot-uniform',
      sparse: false,
      trainable: false,
    });
    expect([dense.sparse, dense.trainable, dense.variable.trainable]).toEqual([false, false, false]);
    expect(Array.from(dense.variable.dataSync())).toEqual(Array.from(glorotUniform(5, 2, createRng(3))));
    for (const v of [e, zeros, dense]) v.variable.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('createModelVariable keeps the values and frees its initial tensor', () => {
    const start = tf.memory().numTensors;
    const v = createModelVariable('w', Float32Array.of(1, 2, 3, 4), [2, 2], {
      sparse: false,
      regularize: true,
      trainable: true,
    });
    expect(tf.memory().numTensors).toBe(start + 1);
    expect(Array.from(v.variable.dataSync())).toEqual([1, 2, 3, 4]);
    v.variable.dispose();
  });

  it('createDense: Keras inits get zero biases, fan-in uniform draws the bias after the kernel', () => {
    const glorot = createDense('l', 3, 2, createRng(1), { init: 'glorot-uniform', activation: 'relu' });
    expect([
      glorot.kernel.name,
      glorot.bias.name,
      glorot.kernel.variable.shape,
      glorot.bias.variable.shape,
    ]).toEqual(['l/kernel', 'l/bias', [3, 2], [2]]);
    expect(Array.from(glorot.bias.variable.dataSync())).toEqual([0, 0]);
    const torch = createDense('t', 3, 2, createRng(1), {
      init: 'fan-in-uniform',
      activation: 'linear',
      regularize: true,
    });
    const draws = uniformValues(8, 1 / Math.sqrt(3), createRng(1));
    expect(Array.from(torch.kernel.variable.dataSync())).toEqual(Array.from(draws.subarray(0, 6)));
    expect(Array.from(torch.bias.variable.dataSync())).toEqual(Array.from(draws.subarray(6)));
    expect([torch.kernel.regularize, torch.bias.regularize]).toEqual([true, false]);
    for (const v of denseVariables([glorot, torch])) v.variable.dispose();
  });

  it('applyDense computes act(x W + b) (hand-computed) and createTower chains ReLU layers', () => {
    const layer = createDense('l', 2, 2, createRng(1), { init: 'glorot-uniform', activation: 'relu' });
    tf.tidy(() => {
      layer.kernel.variable.assign(
        tf.tensor2d([
          [1, -1],
          [2, 0.5],
        ]),
      );
      layer.bias.variable.assign(tf.tensor1d([0.5, -3]));
    });
    const start = tf.memory().numTensors;
    // x = [1, 1]: [1 + 2 + 0.5, −1 + 0.5 − 3] = [3.5, −3.5] → ReLU [3.5, 0]; x = [−1, 0]: [−0.5, −2] → [0, 0].
    const y = tf.tidy(() =>
      applyDense(
        layer,
        tf.tensor2d([
          [1, 1],
          [-1, 0],
        ]) as Tensor2D,
      ).dataSync(),
    );
    expect(Array.from(y)).toEqual([3.5, 0, 0, 0]);
    expect(tf.memory().numTensors).toBe(start);
    const tower = createTower('mlp', [8, 4, 2], createRng(2));
    expect(denseVariables(tower).map((v) => [v.name, v.variable.shape])).toEqual([
      ['mlp/0/kernel', [8, 4]],
      ['mlp/0/bias', [4]],
      ['mlp/1/kernel', [4, 2]],
      ['mlp/1/bias', [2]],
    ]);
    expect(tower.map((l) => l.activation)).toEqual(['relu', 'relu']);
    // Drawn in order from one generator: layer 0's kernel, then layer 1's.
    const rng = createRng(2);
    expect(Array.from(tower[0]!.kernel.variable.dataSync())).toEqual(Array.from(glorotUniform(8, 4, rng)));
    expect(Array.from(tower[1]!.kernel.variable.dataSync())).toEqual(Array.from(glorotUniform(4, 2, rng)));
    for (const v of denseVariables([layer, ...tower])) v.variable.dispose();
  });

  it('dropout: identity at rate 0 or without rng; else each entry 0 or x/keep, seeded', () => {
    const start = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.ones([50, 20]) as Tensor2D;
      expect(dropout(x, 0, createRng(1))).toBe(x);
      expect(dropout(x, 0.5, undefined)).toBe(x);
      const a = dropout(x, 0.25, createRng(3)).dataSync();
      const b = dropout(x, 0.25, createRng(3)).dataSync();
      expect(Array.from(a)).toEqual(Array.from(b));
      const keep = Math.fround(1 / 0.75);
      expect(a.every((v) => v === 0 || v === keep)).toBe(true);
      const kept = a.filter((v) => v !== 0).length / a.length;
      expect(Math.abs(kept - 0.75)).toBeLessThan(4 * Math.sqrt((0.75 * 0.25) / 1000));
    });
    expect(tf.memory().numTensors).toBe(start);
  });
});
