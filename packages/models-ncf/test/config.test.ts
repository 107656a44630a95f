import { ConfigError, initBackend } from '@ncf/core';
import type { ModelFactory } from '@ncf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BASIC_NCF_DEFAULTS,
  GMF_DEFAULTS,
  MF_DEFAULTS,
  MLP_DEFAULTS,
  NEUMF_DEFAULTS,
  basicNcfFactory,
  gmfFactory,
  mfFactory,
  mlpFactory,
  neumfFactory,
  resolveMfConfig,
  resolveNeuMfConfig,
} from '../src/index.js';

const info = { numUsers: 3, numItems: 4 };

/** [factory, bad config, field of the ConfigError, its message]. */
const bad: [ModelFactory<object>, object, string, string][] = [
  [
    mfFactory,
    { factor: 8 },
    'factor',
    `ncf/mf has no config field 'factor' (known: ${Object.keys(MF_DEFAULTS).join(', ')})`,
  ],
  [mfFactory, { factors: 0 }, 'factors', 'factors must be an integer ≥ 1, got 0'],
  [mfFactory, { loss: 'hinge' }, 'loss', "loss must be one of 'bce', 'mse', 'bpr', got \"hinge\""],
  [mfFactory, { initStd: 11 }, 'initStd', 'initStd must be a finite number in [0, 10], got 11'],
  [mfFactory, { biases: 1 }, 'biases', 'biases must be true or false, got 1'],
  [mfFactory, { l2PerSample: -1 }, 'l2PerSample', 'l2PerSample must be a finite number ≥ 0, got -1'],
  [
    gmfFactory,
    { denseInit: 'keras' },
    'denseInit',
    "denseInit must be one of 'paper', 'pytorch', got \"keras\"",
  ],
  [gmfFactory, { factors: 1.5 }, 'factors', 'factors must be an integer ≥ 1, got 1.5'],
  [
    mlpFactory,
    { layers: [64] },
    'layers',
    'layers must list at least two layer widths (input, then hidden layers), got [64]',
  ],
  [mlpFactory, { layers: [64, 0] }, 'layers[1]', 'layers[1] must be an integer ≥ 1, got 0'],
  [
    mlpFactory,
    { layers: [63, 8] },
    'layers',
    'layers[0] is the concatenated user+item embedding width and must be even, got 63',
  ],
  [mlpFactory, { dropout: 1 }, 'dropout', 'dropout must be a finite number in [0, 1), got 1'],
  [neumfFactory, { factors: 0 }, 'factors', 'factors must be an integer ≥ 1, got 0'],
  [
    neumfFactory,
    { nope: 1 },
    'nope',
    `ncf/neumf has no config field 'nope' (known: ${Object.keys(NEUMF_DEFAULTS).join(', ')})`,
  ],
  [
    basicNcfFactory,
    { userInput: 'one-hot' },
    'userInput',
    "userInput must be one of 'id', 'features', got \"one-hot\"",
  ],
  [basicNcfFactory, { dropout: -0.1 }, 'dropout', 'dropout must be a finite number in [0, 1), got -0.1'],
];

describe('config resolution of every NCF model', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it.each(bad)('%s rejects %j with a ConfigError on its field', (factory, config, field, message) => {
    let error: unknown;
    try {
      factory.create(info, config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect([(error as ConfigError).field, (error as ConfigError).message]).toEqual([field, message]);
  });

  it('defaults are unchanged and resolved configs are frozen copies', () => {
    expect(MF_DEFAULTS).toEqual({ factors: 8, loss: 'bce', initStd: 0.01, biases: true, l2PerSample: 0 });
    expect(GMF_DEFAULTS).toEqual({ factors: 8, loss: 'bce', initStd: 0.01, denseInit: 'paper' });
    expect(MLP_DEFAULTS).toEqual({
      layers: [64, 32, 16, 8],
      loss: 'bce',
      initStd: 0.01,
      dropout: 0,
      denseInit: 'paper',
    });
    expect(NEUMF_DEFAULTS).toEqual({
      factors: 8,
      layers: [64, 32, 16, 8],
      loss: 'bce',
      initStd: 0.01,
      dropout: 0,
      denseInit: 'pytorch',
    });
    expect(BASIC_NCF_DEFAULTS).toEqual({
      userInput: 'id',
      itemInput: 'id',
      layers: [64, 32, 16, 8],
      dropout: 0.2,
      loss: 'bce',
      initStd: 0.01,
    });
    const layers = [16, 8];
    const c = resolveNeuMfConfig({ layers });
    expect(c).toEqual({ ...NEUMF_DEFAULTS, layers: [16, 8] });
    expect(Object.isFrozen(c) && Object.isFrozen(c.layers)).toBe(true);
    expect(c.layers).not.toBe(layers);
    expect(resolveMfConfig()).toEqual(MF_DEFAULTS);
    const m = mfFactory.create(info, { factors: 2 });
    expect(m.config).toEqual({ ...MF_DEFAULTS, factors: 2 });
    m.dispose();
  });

  it('checks the dataset sizes', () => {
    expect(() => mfFactory.create({ numUsers: 0, numItems: 4 })).toThrow(
      'ncf/mf: info.numUsers must be an integer ≥ 1, got 0',
    );
  });
});
