import { describe, expect, it } from 'vitest';
import { formatNumber, formatTable } from '../src/format-table.js';
import { parseRunnerArgs } from '../src/parse-runner-args.js';
import { checkSummary } from '../src/report.js';

describe('formatNumber', () => {
  it('writes integers with separators and fractions with 4 significant digits', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(0.612345)).toBe('0.6123');
    expect(formatNumber(12.34567)).toBe('12.35');
    expect(formatNumber(1234.5)).toBe('1,235'); // 4 significant digits, no decimals left
    expect(formatNumber(0.00001234)).toBe('0.00001234');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });
});

describe('formatTable', () => {
  it('aligns text left and numbers right under a rule', () => {
    const out = formatTable([
      { model: 'mf', hr: 0.61234, n: 12345 },
      { model: 'neumf', hr: 0.7, n: 3 },
    ]);
    expect(out.split('\n')).toEqual([
      'model      hr       n',
      '-----  ------  ------',
      'mf     0.6123  12,345',
      'neumf  0.7000       3',
    ]);
  });

  it('takes the union of keys in first-seen order and leaves missing cells empty', () => {
    const out = formatTable([{ a: 'x' }, { b: 2, a: 'yy' }]);
    expect(out.split('\n')).toEqual(['a   b', '--  -', 'x', 'yy  2']);
  });

  it('says so when there are no rows', () => {
    expect(formatTable([])).toBe('(no rows)');
  });
});

describe('parseRunnerArgs', () => {
  it('takes the suite and --json anywhere, passes everything else to the suite in order', () => {
    expect(parseRunnerArgs(['--', 'eval-speed', '--repeats', '3', '--json', 'out.json', '--ml1m'])).toEqual({
      suite: 'eval-speed',
      json: 'out.json',
      suiteArgs: ['--repeats', '3', '--ml1m'],
      help: false,
    });
    expect(parseRunnerArgs(['--json=o.json', 'x']).json).toBe('o.json');
    expect(parseRunnerArgs([]).suite).toBeUndefined();
  });

  it('rejects --json without a file name', () => {
    expect(() => parseRunnerArgs(['x', '--json'])).toThrow(/needs a file name/);
  });
});

describe('checkSummary', () => {
  it('accepts flat numbers and reports anything else', () => {
    expect(checkSummary({ 'a.b': 1, c: 0.5 })).toEqual([]);
    expect(checkSummary({ a: 'x', b: Number.NaN })).toEqual([
      'summary.a is string, expected a number',
      'summary.b is NaN (written as null in JSON)',
    ]);
  });
});
