import { ConfigError, initBackend, tf } from '@ncf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GmfModel, MlpModel } from '../src/index.js';
import { gmfFactory, mfFactory, mlpFactory, neumfFromPretrained } from '../src/index.js';
import { liveTensors } from './helpers.js';

describe('NeuMF from pretrained GMF and MLP', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  const info = { numUsers: 7, numItems: 9 };

  it('scores α·GMF + (1 − α)·MLP exactly at initialisation', () => {
    const gmf = gmfFactory.create(info, { factors: 4 }, { seed: 1 }) as GmfModel;
    const mlp = mlpFactory.create(info, { layers: [8, 6, 3] }, { seed: 2 }) as MlpModel;
    // Non-zero output biases so the bias combination is checked too.
    tf.tidy(() => {
      gmf.output.bias.variable.assign(tf.tensor1d([0.3]));
      mlp.output.bias.variable.assign(tf.tensor1d([-0.2]));
    });
    const before = liveTensors();
    for (const alpha of [0.5, 0.8]) {
      const neumf = neumfFromPretrained(gmf, mlp, { alpha });
      expect(neumf.config.factors).toBe(4);
      expect(neumf.config.layers).toEqual([8, 6, 3]);
      const u = Int32Array.of(0, 3, 6, 2);
      const i = Int32Array.of(8, 1, 0, 4);
      const g = gmf.score(u, i);
      const m = mlp.score(u, i);
      const n = neumf.score(u, i);
      for (let k = 0; k < u.length; k++) expect(n[k]).toBeCloseTo(alpha * g[k]! + (1 - alpha) * m[k]!, 5);
      const all = neumf.scoreAll(Int32Array.of(3));
      const gAll = gmf.scoreAll(Int32Array.of(3));
      const mAll = mlp.scoreAll(Int32Array.of(3));
      for (let k = 0; k < info.numItems; k++)
        expect(all[k]).toBeCloseTo(alpha * gAll[k]! + (1 - alpha) * mAll[k]!, 5);
      neumf.dispose();
    }
    expect(liveTensors()).toBe(before);
    gmf.dispose();
    mlp.dispose();
  });

  it('rejects models of other kinds or datasets', () => {
    const gmf = gmfFactory.create(info, {}, { seed: 1 });
    const mf = mfFactory.create(info, {}, { seed: 1 });
    const mlpOther = mlpFactory.create({ numUsers: 8, numItems: 9 }, {}, { seed: 1 });
    expect(() => neumfFromPretrained(gmf, mf)).toThrow(ConfigError);
    expect(() => neumfFromPretrained(gmf, mlpOther)).toThrow(ConfigError);
    expect(() => neumfFromPretrained(gmf, mlpOther, { alpha: 2 })).toThrow(ConfigError);
    [gmf, mf, mlpOther].forEach((m) => m.dispose());
  });
});
