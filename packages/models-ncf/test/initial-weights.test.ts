import { initBackend } from '@ncf/core';
import type { DatasetInfo, Recommender } from '@ncf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { basicNcfFactory, gmfFactory, mfFactory, mlpFactory, neumfFactory } from '../src/index.js';

/**
 * Pins the seeded initial weights of every model bit for bit (an FNV-1a hash of each variable's float32 bits
 * plus its first value), so refactoring the initialisers or the layer helpers cannot change them silently.
 * The values were recorded from the implementation before the initialisers moved to @ncf/core.
 */
function fingerprint(model: Recommender): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of model.variables()) {
    const values = v.variable.dataSync() as Float32Array;
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
    let h = 0x811c9dc5;
    for (let i = 0; i < bits.length; i++) {
      h = Math.imul(h ^ bits[i]!, 0x01000193) >>> 0;
    }
    out[v.name] = `${v.variable.shape.join('x')} ${h.toString(16)} ${values[0]}`;
  }
  return out;
}

const features = (rows: number, dim: number): DatasetInfo['itemFeatures'] => ({
  names: Array.from({ length: dim }, (_, k) => `f${k}`),
  rows,
  dim,
  values: Float32Array.from({ length: rows * dim }, (_, i) => (i % 7) / 7),
});
const info: DatasetInfo = { numUsers: 5, numItems: 7, ratingRange: [1, 5], itemFeatures: features(7, 3) };

const cases: [string, () => Recommender][] = [
  ['mf', () => mfFactory.create(info, { factors: 4 }, { seed: 7 })],
  ['mf mse', () => mfFactory.create(info, { factors: 3, loss: 'mse', initStd: 0.05 }, { seed: 8 })],
  ['gmf', () => gmfFactory.create(info, { factors: 4 }, { seed: 7 })],
  ['gmf pytorch', () => gmfFactory.create(info, { factors: 4, denseInit: 'pytorch' }, { seed: 9 })],
  ['mlp', () => mlpFactory.create(info, { layers: [8, 4, 2] }, { seed: 7 })],
  ['mlp pytorch', () => mlpFactory.create(info, { layers: [8, 4, 2], denseInit: 'pytorch' }, { seed: 9 })],
  ['neumf', () => neumfFactory.create(info, { factors: 3, layers: [8, 4, 2] }, { seed: 7 })],
  [
    'neumf paper',
    () => neumfFactory.create(info, { factors: 3, layers: [8, 4], denseInit: 'paper' }, { seed: 7 }),
  ],
  ['basic', () => basicNcfFactory.create(info, { layers: [8, 4, 2] }, { seed: 7 })],
  [
    'basic features',
    () => basicNcfFactory.create(info, { layers: [6, 4], itemInput: 'features' }, { seed: 7 }),
  ],
];

describe('seeded initial weights (pinned)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it.each(cases)('%s', (name, create) => {
    const m = create();
    expect(fingerprint(m)).toEqual(PINNED[name]);
    m.dispose();
  });
});

const PINNED: Record<string, Record<string, string>> = {
  mf: {
    'mf/user': '5x4 9db871c -0.011613159440457821',
    'mf/item': '7x4 7f537ae4 -0.00898486003279686',
    'mf/user_bias': '5x1 1210d00f 0',
    'mf/item_bias': '7x1 462a7c27 0',
    'mf/global_bias': '1 50c5d1f 0',
  },
  'mf mse': {
    'mf/user': '5x3 b4a8f140 -0.06415722519159317',
    'mf/item': '7x3 a2f3b3ea 0.08962438255548477',
    'mf/user_bias': '5x1 1210d00f 0',
    'mf/item_bias': '7x1 462a7c27 0',
    'mf/global_bias': '1 29cc5d1f 3',
  },
  gmf: {
    'gmf/user': '5x4 9db871c -0.011613159440457821',
    'gmf/item': '7x4 7f537ae4 -0.00898486003279686',
    'out/kernel': '4x1 29add618 0.3017358183860779',
    'out/bias': '1 50c5d1f 0',
  },
  'gmf pytorch': {
    'gmf/user': '5x4 4c7ad707 0.0028526680544018745',
    'gmf/item': '7x4 537821fc -0.003486385103315115',
    'out/kernel': '4x1 5166d95f 0.14107251167297363',
    'out/bias': '1 a7d10779 0.05351974815130234',
  },
  mlp: {
    'mlp/user': '5x4 9db871c -0.011613159440457821',
    'mlp/item': '7x4 7f537ae4 -0.00898486003279686',
    'mlp/0/kernel': '8x4 b7174b8b 0.24636627733707428',
    'mlp/0/bias': '4 4b95f515 0',
    'mlp/1/kernel': '4x2 e64ca491 -0.4485900402069092',
    'mlp/1/bias': '2 117697cd 0',
    'out/kernel': '2x1 9fe18164 -0.27651724219322205',
    'out/bias': '1 50c5d1f 0',
  },
  'mlp pytorch': {
    'mlp/user': '5x4 4c7ad707 0.0028526680544018745',
    'mlp/item': '7x4 537821fc -0.003486385103315115',
    'mlp/0/kernel': '8x4 cfe42b00 0.09975333511829376',
    'mlp/0/bias': '4 161b7594 0.180427685379982',
    'mlp/1/kernel': '4x2 36957257 -0.23363706469535828',
    'mlp/1/bias': '2 d2ef9c61 -0.40984222292900085',
    'out/kernel': '2x1 b0985931 -0.23501110076904297',
    'out/bias': '1 f736ba14 0.3191516697406769',
  },
  neumf: {
    'gmf/user': '5x3 2c56aa9c -0.011613159440457821',
    'gmf/item': '7x3 4a0a3c1 -0.003251448040828109',
    'mlp/user': '5x4 e2ba211d -0.015781138092279434',
    'mlp/item': '7x4 4c15fcb1 0.006484165322035551',
    'mlp/0/kernel': '8x4 9fbfb77a -0.1014697477221489',
    'mlp/0/bias': '4 86fbfaed -0.2310272455215454',
    'mlp/1/kernel': '4x2 bd747418 0.23946282267570496',
    'mlp/1/bias': '2 a809cf52 0.4240987002849579',
    'out/kernel': '5x1 778ca167 -0.3238794207572937',
    'out/bias': '1 794dfd4c -0.3985653221607208',
  },
  'neumf paper': {
    'gmf/user': '5x3 2c56aa9c -0.011613159440457821',
    'gmf/item': '7x3 4a0a3c1 -0.003251448040828109',
    'mlp/user': '5x4 e2ba211d -0.015781138092279434',
    'mlp/item': '7x4 4c15fcb1 0.006484165322035551',
    'mlp/0/kernel': '8x4 eabfb77a -0.2029394954442978',
    'mlp/0/bias': '4 4b95f515 0',
    'out/kernel': '7x1 cca16c02 -0.42777934670448303',
    'out/bias': '1 50c5d1f 0',
  },
  basic: {
    'basic/user': '5x4 9db871c -0.011613159440457821',
    'basic/item': '7x4 7f537ae4 -0.00898486003279686',
    'basic/mlp/0/kernel': '8x4 b7174b8b 0.24636627733707428',
    'basic/mlp/0/bias': '4 4b95f515 0',
    'basic/mlp/1/kernel': '4x2 e64ca491 -0.4485900402069092',
    'basic/mlp/1/bias': '2 117697cd 0',
    'out/kernel': '2x1 9fe18164 -0.27651724219322205',
    'out/bias': '1 50c5d1f 0',
  },
  'basic features': {
    'basic/user': '5x3 2c56aa9c -0.011613159440457821',
    'basic/item_projection/kernel': '3x3 d6165eda -0.4463115632534027',
    'basic/item_projection/bias': '3 4ab0f7b7 0',
    'basic/mlp/0/kernel': '6x4 66f372bb 0.10458734631538391',
    'basic/mlp/0/bias': '4 4b95f515 0',
    'out/kernel': '4x1 3b1dfe5e -0.2033246010541916',
    'out/bias': '1 50c5d1f 0',
  },
};
