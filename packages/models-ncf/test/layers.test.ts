import { ConfigError, initBackend, tf } from '@ncf/core';
import type { Recommender } from '@ncf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  GMF_DEFAULTS,
  MLP_DEFAULTS,
  NEUMF_DEFAULTS,
  bprLoss,
  meanSquaredError,
  neumfFactory,
  sigmoidCrossEntropy,
} from '../src/index.js';

describe('losses', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  const value = (f: () => tf.Scalar): number => tf.tidy(() => f().dataSync()[0]!);

  it('match hand-computed values', () => {
    // BCE: mean of ln(1+e^-0)=ln2 (y=1, x=0) and softplus(2) = ln(1+e^2) (y=0, x=2).
    const bce = value(() => sigmoidCrossEntropy(tf.tensor1d([0, 2]), tf.tensor1d([1, 0])));
    expect(bce).toBeCloseTo((Math.LN2 + Math.log(1 + Math.exp(2))) / 2, 5);
    // Large logits stay finite: x = 100, y = 1 → ≈ 0.
    expect(value(() => sigmoidCrossEntropy(tf.tensor1d([100]), tf.tensor1d([1])))).toBeCloseTo(0, 5);
    expect(value(() => meanSquaredError(tf.tensor1d([1, 3]), tf.tensor1d([2, 5])))).toBeCloseTo(2.5, 6);
    // BPR: -ln σ(d) for d = 0 and d = 1.
    expect(value(() => bprLoss(tf.tensor1d([0, 1])))).toBeCloseTo(
      (Math.LN2 + Math.log(1 + Math.exp(-1))) / 2,
      5,
    );
  });
});

describe('dense initialisation (denseInit)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  const values = (m: Recommender, name: string): Float32Array =>
    m
      .variables()
      .find((v) => v.name === name)!
      .variable.dataSync() as Float32Array;

  it("'pytorch' draws kernels and biases from U(±1/sqrt(fanIn)); 'paper' has zero biases and Glorot/LeCun bounds", () => {
    const info = { numUsers: 20, numItems: 30 };
    const torch = neumfFactory.create(info, { denseInit: 'pytorch' }, { seed: 3 });
    const paper = neumfFactory.create(info, { denseInit: 'paper' }, { seed: 3 });
    // Tower layer 0 is 64 → 32; the output layer is (8 + 8) → 1.
    const k0 = values(torch, 'mlp/0/kernel');
    const b0 = values(torch, 'mlp/0/bias');
    expect(Math.max(...k0.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(64));
    expect(Math.max(...k0.map(Math.abs))).toBeGreaterThan(0.9 / Math.sqrt(64));
    expect(b0.some((x) => x !== 0)).toBe(true);
    expect(Math.max(...b0.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(64));
    expect(Math.max(...values(torch, 'out/kernel').map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(16));
    expect(values(paper, 'mlp/0/bias').every((x) => x === 0)).toBe(true);
    expect(Math.max(...values(paper, 'mlp/0/kernel').map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 96));
    expect(Math.max(...values(paper, 'mlp/0/kernel').map(Math.abs))).toBeGreaterThan(1 / Math.sqrt(64));
    expect(() => neumfFactory.create(info, { denseInit: 'xavier' as never }, { seed: 3 })).toThrow(
      ConfigError,
    );
    expect(NEUMF_DEFAULTS.denseInit).toBe('pytorch');
    expect(GMF_DEFAULTS.denseInit).toBe('paper');
    expect(MLP_DEFAULTS.denseInit).toBe('paper');
    torch.dispose();
    paper.dispose();
  });
});
