import { DataError, createRng, denseLookupContext, initBackend, tf } from '@ncf/core';
import type { ModelFactory, PointwiseBatch } from '@ncf/core';
import { interactionsFromArrays, pointwiseSource, toImplicit } from '@ncf/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkBinaryLabels } from '../src/binary-labels.js';
import { basicNcfFactory, gmfFactory, mfFactory, mlpFactory, neumfFactory } from '../src/index.js';
import { pointwiseBatch, toyData } from './helpers.js';

const factories = [
  mfFactory,
  gmfFactory,
  mlpFactory,
  neumfFactory,
  basicNcfFactory,
] as unknown as ModelFactory<Record<string, unknown>>[];
const small = { layers: [16, 8, 4] };
const configFor = (kind: string): Record<string, unknown> =>
  kind === 'ncf/mf' || kind === 'ncf/gmf'
    ? { factors: 4 }
    : kind === 'ncf/neumf'
      ? { factors: 4, ...small }
      : small;

describe('checkBinaryLabels', () => {
  it('accepts 0, 1 and soft labels in between', () => {
    expect(() => checkBinaryLabels(Float32Array.of(0, 1, 0.5, 1e-7), 'ncf/mf')).not.toThrow();
  });

  it('names the offending index, its value and toImplicit for values outside [0, 1] and NaN', () => {
    expect(() => checkBinaryLabels(Float32Array.of(1, 0, 7), 'ncf/gmf')).toThrow(
      /ncf\/gmf with loss 'bce' needs labels in \[0, 1\], but batch\.labels\[2\] is 7 .*toImplicit\(\)/,
    );
    expect(() => checkBinaryLabels(Float32Array.of(-1), 'x')).toThrow(DataError);
    expect(() => checkBinaryLabels(Float32Array.of(Number.NaN), 'x')).toThrow(/is NaN/);
  });
});

describe('bce models reject rating labels before any tensor is made', () => {
  const data = toyData();
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it.each(factories.map((f) => [f.kind, f] as const))('%s', (_kind, factory) => {
    const model = factory.create(data.info, configFor(factory.kind), { seed: 1 });
    const mse = factory.create(data.info, { ...configFor(factory.kind), loss: 'mse' }, { seed: 1 });
    const ctx = denseLookupContext();
    const before = tf.memory().numTensors;
    // The toy ratings are 1 and 5: as labels they are out of range for the sigmoid cross-entropy.
    expect(() => model.loss(pointwiseBatch(data, 0, 1, true), ctx)).toThrow(/toImplicit/);
    expect(tf.memory().numTensors).toBe(before);
    // mse trains on the same ratings; bce on 0/1 labels.
    tf.tidy(() => {
      expect(mse.loss(pointwiseBatch(data, 0, 1, true), ctx).dataSync()[0]).toBeGreaterThan(0);
      expect(model.loss(pointwiseBatch(data, 2, 1), ctx).dataSync()[0]).toBeGreaterThan(0);
    });
    expect(tf.memory().numTensors).toBe(before);
    mse.dispose();
    model.dispose();
  });

  it('catches play counts a pointwise source passes through, and trains once they are made implicit', () => {
    const plays = interactionsFromArrays({
      users: Int32Array.of(0, 0, 1, 1),
      items: Int32Array.of(0, 1, 1, 2),
      ratings: Float32Array.of(3, 12, 1, 40),
    });
    const info = { numUsers: 2, numItems: 3, ratingRange: [1, 40] as const };
    const model = mfFactory.create(info, { factors: 2 }, { seed: 3 });
    const ctx = denseLookupContext();
    const raw = [...pointwiseSource(plays).batches(4, createRng(1))][0] as PointwiseBatch;
    expect(() => model.loss(raw, ctx)).toThrow(DataError);
    const implicit = toImplicit(plays).interactions;
    const batch = [...pointwiseSource(implicit, { negatives: 1 }).batches(8, createRng(1))][0]!;
    const loss = tf.tidy(() => model.loss(batch, ctx).dataSync()[0]!);
    expect(loss).toBeCloseTo(Math.LN2, 1);
    model.dispose();
  });
});
