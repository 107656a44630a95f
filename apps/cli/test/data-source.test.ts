import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@ncf/core';
import { checkDataSource, dataSourceName, parseDataSource } from '../src/wiring/data-source.js';
import { toNumber } from '../src/option-values.js';

describe('parseDataSource', () => {
  it('reads synthetic specs with and without sizes and seed', () => {
    expect(parseDataSource('synthetic')).toEqual({ source: 'synthetic', users: 500, items: 800, seed: 42 });
    expect(parseDataSource('synthetic:60x120')).toEqual({
      source: 'synthetic',
      users: 60,
      items: 120,
      seed: 42,
    });
    expect(parseDataSource('synthetic:60x120:7')).toEqual({
      source: 'synthetic',
      users: 60,
      items: 120,
      seed: 7,
    });
  });

  it('tells NCF split directories (and prefixes) from MovieLens directories', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ncf-spec-'));
    const split = path.join(root, 'loo');
    mkdirSync(split);
    writeFileSync(path.join(split, 'ml-1m.train.rating'), '');
    expect(parseDataSource(split)).toEqual({ source: 'ncf-split', prefix: path.join(split, 'ml-1m') });
    expect(parseDataSource(path.join(split, 'ml-1m'))).toEqual({
      source: 'ncf-split',
      prefix: path.join(split, 'ml-1m'),
    });
    const ml = path.join(root, 'ml');
    mkdirSync(ml);
    expect(parseDataSource('ml', root)).toEqual({ source: 'movielens-dir', dir: ml });
    writeFileSync(path.join(split, 'other.train.rating'), '');
    expect(() => parseDataSource(split)).toThrow(/several NCF splits/);
  });

  it('takes variant names and rejects anything else with the accepted forms', () => {
    expect(parseDataSource('ml-100k', tmpdir())).toEqual({ source: 'movielens', variant: 'ml-100k' });
    expect(() => parseDataSource('ml-7m', tmpdir())).toThrow(ConfigError);
    expect(() => parseDataSource('ml-7m', tmpdir())).toThrow(/ml-100k, ml-1m, ml-latest-small, ml-25m/);
  });

  it('names specs for reports and validates specs read back from model files', () => {
    expect(dataSourceName({ source: 'synthetic', users: 5, items: 6, seed: 1 })).toBe('synthetic 5x6 seed 1');
    expect(dataSourceName({ source: 'ncf-split', prefix: '/d/ml-1m-loo/ml-1m' })).toBe('ml-1m-loo/ml-1m');
    expect(checkDataSource({ source: 'movielens', variant: 'ml-1m' }, 'x')).toEqual({
      source: 'movielens',
      variant: 'ml-1m',
    });
    expect(() => checkDataSource({ source: 'movielens', variant: 'ml-7m' }, 'm/model.json')).toThrow(
      /m\/model.json does not record which data/,
    );
    expect(() => checkDataSource(undefined, 'x')).toThrow(/pass --data/);
  });
});

describe('toNumber', () => {
  it('accepts numbers and numeric strings within the rule, and names the option otherwise', () => {
    expect(toNumber('12', 'epochs', { integer: true, min: 1 })).toBe(12);
    expect(toNumber(0.5, 'learningRate', { min: 0 })).toBe(0.5);
    expect(() => toNumber('1.5', 'batchSize', { integer: true, min: 1 })).toThrow(
      '--batch-size must be an integer ≥ 1, got "1.5"',
    );
    expect(() => toNumber(0, 'epochs', { integer: true, min: 1 })).toThrow(
      '--epochs must be an integer ≥ 1, got 0',
    );
    expect(() => toNumber('', 'l2')).toThrow('--l2 must be a number, got ""');
  });
});
