import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../src/index.js';
import { renderGradientsModule } from '../scripts/gradients-bundler.mjs';

const require = createRequire(import.meta.url);

it('the committed tfjs-gradients.ts is the bundle of the installed tfjs-core (run `pnpm build:gradients` after a tfjs upgrade)', async () => {
  const committed = readFileSync(new URL('../src/gradients/tfjs-gradients.ts', import.meta.url), 'utf8');
  expect(committed).toBe(await renderGradientsModule());
});

it('does not load the @tensorflow/tfjs bundle (it is not installed for @ncf/core)', () => {
  expect(() => require.resolve('@tensorflow/tfjs')).toThrow();
});

describe("tfjs-core's gradients, registered without @tensorflow/tfjs", () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('registers a gradient for every config tfjs-core ships', () => {
    const dist = join(dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist', 'gradients');
    const configs = readdirSync(dist).filter((f) => /_grad\.js$/.test(f));
    expect(configs.length).toBeGreaterThan(90);
    const kernels = configs.map((f) => f.replace(/_grad\.js$/, ''));
    const missing = kernels.filter((k) => tf.getGradient(k) === undefined);
    expect(missing).toEqual([]);
  });

  it('computes hand-checked gradients through public ops, without leaking tensors', () => {
    const before = tf.memory().numTensors;
    // d/dx Σ sigmoid(x) = σ(x)(1 − σ(x)): 0.25 at 0; d/dx Σ x² = 2x; d/dW Σ (xW) = xᵀ·1.
    const [gs, gq, gw] = tf.tidy(() => {
      const x = tf.tensor1d([0, 0]);
      const gSig = tf.grad((v: tf.Tensor) => tf.sum(tf.sigmoid(v)))(x);
      const gSq = tf.grad((v: tf.Tensor) => tf.sum(tf.square(v)))(tf.tensor1d([1, -3]));
      const a = tf.tensor2d([[1, 2]]);
      const gW = tf.grad((w: tf.Tensor) => tf.sum(tf.matMul(a, w as tf.Tensor2D)))(tf.zeros([2, 3]));
      return [gSig.arraySync(), gSq.arraySync(), gW.arraySync()];
    });
    expect(gs).toEqual([0.25, 0.25]);
    expect(gq).toEqual([2, -6]);
    expect(gw).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
