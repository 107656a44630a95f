import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  defineModelFactory,
  describeValue,
  rejectUnknownKeys,
  requireBoolean,
  requireChoice,
  requireInt,
  requireIntArray,
  requireNumber,
  resolveConfig,
} from '../src/index.js';
import * as base from '../src/base.js';
import type { DatasetInfo, Recommender } from '../src/index.js';

/** The ConfigError `f` throws, with its message and field. */
function configError(f: () => unknown): { message: string; field: string | undefined } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const err = e as ConfigError;
    return { message: err.message, field: err.field };
  }
  throw new Error('expected a ConfigError');
}

describe('config validation helpers', () => {
  it('requireNumber: finite, within inclusive or exclusive bounds; exact messages', () => {
    expect(requireNumber(0.5, 'rate', { min: 0, max: 1, maxExclusive: true })).toBe(0.5);
    expect(requireNumber(0, 'rate', { min: 0, max: 1, maxExclusive: true })).toBe(0);
    expect(requireNumber(-3, 'x')).toBe(-3);
    expect(configError(() => requireNumber(1, 'dropout', { min: 0, max: 1, maxExclusive: true }))).toEqual({
      message: 'dropout must be a finite number in [0, 1), got 1',
      field: 'dropout',
    });
    expect(configError(() => requireNumber(0, 'initStd', { min: 0, minExclusive: true })).message).toBe(
      'initStd must be a finite number > 0, got 0',
    );
    expect(configError(() => requireNumber(-1e-9, 'l2', { min: 0 })).message).toBe(
      'l2 must be a finite number ≥ 0, got -1e-9',
    );
    expect(configError(() => requireNumber(11, 'initStd', { min: 0, max: 10 })).message).toBe(
      'initStd must be a finite number in [0, 10], got 11',
    );
    expect(configError(() => requireNumber(0, 'a', { min: 0, max: 2, minExclusive: true })).message).toBe(
      'a must be a finite number in (0, 2], got 0',
    );
    expect(configError(() => requireNumber(5, 'b', { max: 5, maxExclusive: true })).message).toBe(
      'b must be a finite number < 5, got 5',
    );
    expect(configError(() => requireNumber(Infinity, 'l2', { min: 0 })).message).toBe(
      'l2 must be a finite number ≥ 0, got Infinity',
    );
    expect(configError(() => requireNumber(NaN, 'x')).message).toBe('x must be a finite number, got NaN');
    expect(configError(() => requireNumber('0.1', 'lr')).message).toBe(
      'lr must be a finite number, got "0.1"',
    );
  });

  it('requireInt: integers within inclusive bounds', () => {
    expect(requireInt(3, 'factors', { min: 1 })).toBe(3);
    expect(requireInt(0, 'layers', { min: 0 })).toBe(0);
    expect(configError(() => requireInt(0, 'factors', { min: 1 }))).toEqual({
      message: 'factors must be an integer ≥ 1, got 0',
      field: 'factors',
    });
    expect(configError(() => requireInt(2.5, 'factors', { min: 1 })).message).toBe(
      'factors must be an integer ≥ 1, got 2.5',
    );
    expect(configError(() => requireInt(9, 'k', { min: 1, max: 8 })).message).toBe(
      'k must be an integer in [1, 8], got 9',
    );
    expect(configError(() => requireInt(undefined, 'n')).message).toBe('n must be an integer, got undefined');
  });

  it('requireBoolean and requireChoice', () => {
    expect(requireBoolean(false, 'biases')).toBe(false);
    expect(configError(() => requireBoolean('yes', 'biases'))).toEqual({
      message: 'biases must be true or false, got "yes"',
      field: 'biases',
    });
    const losses = ['bce', 'mse', 'bpr'] as const;
    expect(requireChoice('mse', 'loss', losses)).toBe('mse');
    expect(configError(() => requireChoice('hinge', 'loss', losses))).toEqual({
      message: "loss must be one of 'bce', 'mse', 'bpr', got \"hinge\"",
      field: 'loss',
    });
    expect(configError(() => requireChoice(1, 'loss', losses)).message).toBe(
      "loss must be one of 'bce', 'mse', 'bpr', got 1",
    );
  });

  it('requireIntArray: a copy, length bounds, and the entry named in the field', () => {
    const given = [64, 32];
    const got = requireIntArray(given, 'layers', { min: 1, minLength: 2 });
    expect(got).toEqual([64, 32]);
    expect(got).not.toBe(given);
    expect(configError(() => requireIntArray([64], 'layers', { min: 1, minLength: 2 }))).toEqual({
      message: 'layers must be an array of at least 2 integers, got [64]',
      field: 'layers',
    });
    expect(configError(() => requireIntArray([64, 0], 'layers', { min: 1, minLength: 2 }))).toEqual({
      message: 'layers[1] must be an integer ≥ 1, got 0',
      field: 'layers[1]',
    });
    expect(configError(() => requireIntArray('64', 'layers')).message).toBe(
      'layers must be an array of integers, got "64"',
    );
    expect(configError(() => requireIntArray([1, 2, 3], 'w', { minLength: 2, maxLength: 2 })).message).toBe(
      'w must be an array of exactly 2 integers, got [1,2,3]',
    );
    expect(configError(() => requireIntArray([], 'w', { minLength: 1, maxLength: 3 })).message).toBe(
      'w must be an array of 1 to 3 integers, got []',
    );
  });

  it('rejectUnknownKeys names the key and the known fields', () => {
    expect(() => rejectUnknownKeys({ factors: 1 }, { factors: 8, loss: 'bce' }, 'ncf/mf')).not.toThrow();
    expect(
      configError(() => rejectUnknownKeys({ factor: 1 }, { factors: 8, loss: 'bce' }, 'ncf/mf')),
    ).toEqual({
      message: "ncf/mf has no config field 'factor' (known: factors, loss)",
      field: 'factor',
    });
    expect(configError(() => rejectUnknownKeys({ b: 1 }, ['a'], 'x')).message).toBe(
      "x has no config field 'b' (known: a)",
    );
  });

  it('describeValue shows numbers as written and the rest as JSON', () => {
    expect([NaN, -Infinity, 1.5, 'a', null, undefined, [1], { a: 1 }].map(describeValue)).toEqual([
      'NaN',
      '-Infinity',
      '1.5',
      '"a"',
      'null',
      'undefined',
      '[1]',
      '{"a":1}',
    ]);
  });

  it('are also exported from the tensor-free @ncf/core/base', () => {
    expect(base.requireInt).toBe(requireInt);
    expect(base.resolveConfig).toBe(resolveConfig);
  });
});

interface ToyConfig {
  readonly size: number;
  readonly widths: readonly number[];
  readonly mode: 'a' | 'b';
}
const TOY_DEFAULTS: ToyConfig = Object.freeze({ size: 4, widths: Object.freeze([8, 4]), mode: 'a' });
const resolveToy = (config?: Partial<ToyConfig>): Readonly<ToyConfig> =>
  resolveConfig('toy/model', TOY_DEFAULTS, config, (c) => {
    requireInt(c.size, 'size', { min: 1 });
    requireChoice(c.mode, 'mode', ['a', 'b'] as const);
    return { ...c, widths: requireIntArray(c.widths, 'widths', { min: 1, minLength: 1 }) };
  });

describe('resolveConfig', () => {
  it('fills defaults, validates and returns a frozen config with frozen copies of arrays', () => {
    const widths = [3, 2];
    const c = resolveToy({ size: 2, widths });
    expect(c).toEqual({ size: 2, widths: [3, 2], mode: 'a' });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.widths)).toBe(true);
    expect(c.widths).not.toBe(widths);
    expect(Object.isFrozen(widths)).toBe(false);
    expect(resolveToy()).toEqual(TOY_DEFAULTS);
    // A validator that returns nothing keeps the merged config.
    expect(resolveConfig('toy/model', TOY_DEFAULTS, { mode: 'b' }, () => undefined)).toEqual({
      ...TOY_DEFAULTS,
      mode: 'b',
    });
  });

  it('rejects unknown keys, bad fields and non-objects with ConfigError naming the field', () => {
    expect(configError(() => resolveToy({ sise: 2 } as never))).toEqual({
      message: "toy/model has no config field 'sise' (known: size, widths, mode)",
      field: 'sise',
    });
    expect(configError(() => resolveToy({ mode: 'c' as never })).field).toBe('mode');
    expect(configError(() => resolveToy({ widths: [1, -1] })).field).toBe('widths[1]');
    expect(configError(() => resolveToy(null as never))).toEqual({
      message: 'toy/model config must be an object of config fields, got null',
      field: undefined,
    });
    expect(configError(() => resolveToy([] as never)).message).toMatch(/must be an object/);
  });
});

describe('defineModelFactory', () => {
  const info: DatasetInfo = { numUsers: 2, numItems: 3 };
  const made: { config: Readonly<ToyConfig>; seed: number }[] = [];
  const factory = defineModelFactory({
    kind: 'toy/model',
    description: 'a toy',
    defaults: TOY_DEFAULTS,
    resolve: resolveToy,
    dataSpec: (c) => ({ batch: c.mode === 'b' ? 'pairwise' : 'pointwise', labels: 'implicit', inputs: [] }),
    create: (_info, config, { seed }) => {
      made.push({ config, seed });
      return { kind: 'toy/model', config } as unknown as Recommender<ToyConfig>;
    },
  });

  it('resolves the config before create and defaults the seed to 0', () => {
    factory.create(info, { size: 3 });
    factory.create(info, undefined, { seed: 9 });
    expect(made).toEqual([
      { config: { ...TOY_DEFAULTS, size: 3 }, seed: 0 },
      { config: TOY_DEFAULTS, seed: 9 },
    ]);
    expect(Object.isFrozen(made[0]!.config)).toBe(true);
  });

  it('never calls create with a bad config, keeps the other fields and is frozen', () => {
    const before = made.length;
    expect(() => factory.create(info, { size: 0 })).toThrow('size must be an integer ≥ 1, got 0');
    expect(made).toHaveLength(before);
    expect([factory.kind, factory.description, factory.defaults]).toEqual([
      'toy/model',
      'a toy',
      TOY_DEFAULTS,
    ]);
    // dataSpec sees the resolved config, and a bad one throws before it is asked.
    expect(factory.dataSpec().batch).toBe(TOY_DEFAULTS.mode === 'b' ? 'pairwise' : 'pointwise');
    expect(factory.dataSpec({ mode: 'b' }).batch).toBe('pairwise');
    expect(() => factory.dataSpec({ size: 0 })).toThrow('size must be an integer ≥ 1, got 0');
    expect(factory.resolve({ mode: 'b' })).toEqual({ ...TOY_DEFAULTS, mode: 'b' });
    expect(Object.isFrozen(factory)).toBe(true);
  });
});
