import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '@ncf/core';
import { DelimitedParser, IdMap, parseDelimited, readDelimited } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ncf-delim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseDelimited', () => {
  it('parses ml-25m style CSV with header into dense ascending ids', () => {
    const { interactions: x, report } = parseDelimited(
      'userId,movieId,rating,timestamp\n7,30,3.5,1000\n3,30,4,999\n7,10,0.5,1001\n',
    );
    expect(report.header).toEqual(['userId', 'movieId', 'rating', 'timestamp']);
    expect(report.rows).toBe(3);
    expect(x.numUsers).toBe(2);
    expect(x.numItems).toBe(2);
    expect(x.userIds.ids()).toEqual([3, 7]);
    expect(x.itemIds.ids()).toEqual([10, 30]);
    expect(Array.from(x.users)).toEqual([1, 0, 1]);
    expect(Array.from(x.items)).toEqual([1, 1, 0]);
    expect(Array.from(x.ratings ?? [])).toEqual([3.5, 4, 0.5]);
    expect(Array.from(x.timestamps ?? [])).toEqual([1000, 999, 1001]);
    expect(x.table.numRows).toBe(3);
    expect(x.table.getChild('rating')?.get(0)).toBe(3.5);
  });

  it('parses tab-separated u.data without header and :: without trailing newline, CRLF', () => {
    const tsv = parseDelimited('196\t242\t3\t881250949\r\n186\t302\t3\t891717742\r\n', { delimiter: '\t' });
    expect(tsv.report.header).toBeUndefined();
    expect(tsv.interactions.length).toBe(2);
    expect(Array.from(tsv.interactions.timestamps ?? [])).toEqual([881250949, 891717742]);
    const dat = parseDelimited('1::1193::5::978300760\n1::661::3::978302109', { delimiter: '::' });
    expect(dat.interactions.itemIds.ids()).toEqual([661, 1193]);
    expect(Array.from(dat.interactions.ratings ?? [])).toEqual([5, 3]);
  });

  it('maps columns by name and by position, and drops optional ones', () => {
    const text = 'ts,item,user,score\n5,a,u1,2\n6,b,u2,4\n7,a,u2,1\n';
    const { interactions: x } = parseDelimited(text, {
      idType: 'string',
      header: true,
      columns: { user: 'user', item: 'item', rating: 'score', timestamp: 'ts' },
    });
    expect(x.userIds.ids()).toEqual(['u1', 'u2']);
    expect(x.itemIds.ids()).toEqual(['a', 'b']);
    expect(Array.from(x.users)).toEqual([0, 1, 1]);
    expect(Array.from(x.ratings ?? [])).toEqual([2, 4, 1]);
    expect(Array.from(x.timestamps ?? [])).toEqual([5, 6, 7]);
    const noRating = parseDelimited('1,2,5,100\n', {
      columns: { rating: null, timestamp: null },
    }).interactions;
    expect(noRating.ratings).toBeUndefined();
    expect(noRating.timestamps).toBeUndefined();
  });

  it('handles quoted string ids containing the delimiter', () => {
    const { interactions: x } = parseDelimited('"a,b",x\n"say ""hi""",y\n', {
      idType: 'string',
      header: false,
    });
    expect(x.userIds.ids()).toEqual(['a,b', 'say "hi"']);
  });

  it('gives the same result whatever the chunking', () => {
    const lines: string[] = ['userId,movieId,rating,timestamp'];
    for (let i = 0; i < 500; i++)
      lines.push(`${(i * 7) % 31},${(i * 13) % 97},${(i % 10) / 2 + 0.5},${1e9 + i}`);
    const text = lines.join('\n');
    const whole = parseDelimited(text).interactions;
    const bytes = new TextEncoder().encode(text);
    for (const step of [1, 3, 17, 64]) {
      const p = new DelimitedParser();
      for (let i = 0; i < bytes.length; i += step) p.push(bytes.subarray(i, i + step));
      const x = p.finish().interactions;
      expect(Array.from(x.users)).toEqual(Array.from(whole.users));
      expect(Array.from(x.items)).toEqual(Array.from(whole.items));
      expect(Array.from(x.ratings ?? [])).toEqual(Array.from(whole.ratings ?? []));
      expect(Array.from(x.timestamps ?? [])).toEqual(Array.from(whole.timestamps ?? []));
    }
  });

  it('indexes through a given id map, appending new ids or rejecting them', () => {
    const users = new IdMap('user', [50, 10]);
    const { interactions: x } = parseDelimited('10,1\n99,1\n', { userIds: users });
    expect(Array.from(x.users)).toEqual([1, 2]);
    expect(x.userIds.ids()).toEqual([50, 10, 99]);
    expect(x.numUsers).toBe(3);
    expect(() =>
      parseDelimited('10,1\n77,1\n', { userIds: new IdMap('user', [10]), unknownIds: 'error' }),
    ).toThrow(/user id 77 is not in the given id map/);
  });

  it('parses negative, decimal and exponent numbers', () => {
    const { interactions: x } = parseDelimited('1,1,-2.25,1e3\n2,2,+3,12.5\n');
    expect(Array.from(x.ratings ?? [])).toEqual([-2.25, 3]);
    expect(Array.from(x.timestamps ?? [])).toEqual([1000, 12.5]);
  });
});

describe('bad input', () => {
  const bad: [string, string, RegExp][] = [
    [
      'wrong field count',
      '1,2,3,4\n1,2,3\n',
      /<input>:2: has 3 fields; expected 4 fields user\(int32\),item\(int32\),rating,timestamp/,
    ],
    ['non-numeric id', '1,2,3\nx,2,3\n', /<input>:2: user id 'x' is not an integer in int32 range/],
    [
      'int32 overflow',
      '1,2,3\n1,2147483648,3\n',
      /:2: item id '2147483648' is not an integer in int32 range/,
    ],
    ['NaN rating', '1,2,3\n1,2,NaN\n', /:2: rating 'NaN' is not a finite number/],
    ['fractional id', '1,2.5,3\n', /:1: item id '2.5' is not an integer/],
    ['empty file', '', /the input is empty; expected lines of the form/],
    ['header only', 'userId,movieId,rating\n', /no data lines/],
    ['unterminated quote', '"1,2,3\n', /unterminated quoted field/],
  ];
  for (const [name, text, re] of bad) {
    it(`rejects ${name} with file and line`, () => {
      let err: unknown;
      try {
        parseDelimited(text, { header: name === 'header only' ? true : false });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DataError);
      expect((err as Error).message).toMatch(re);
    });
  }

  it('rejects out-of-range ratings', () => {
    expect(() => parseDelimited('1,1,6\n', { ratingRange: [1, 5] })).toThrow(
      /:1: rating 6 is outside \[1, 5\]/,
    );
  });

  it('rejects UTF-16 and unknown encodings', () => {
    expect(() => parseDelimited(new Uint8Array([0xff, 0xfe, 0x31, 0]))).toThrow(/UTF-16/);
    expect(() => parseDelimited('1,1\n', { encoding: 'utf16' as 'utf8' })).toThrow(/unknown encoding/);
  });

  it('skips and counts invalid lines with skipInvalid', () => {
    const { interactions: x, report } = parseDelimited('1,1,5\n2,x,3\n\n3,3,9\n4,4\n5,5,1\n', {
      skipInvalid: true,
      ratingRange: [1, 5],
    });
    expect(x.length).toBe(2);
    expect(report.skipped).toBe(3);
    expect(report.blankLines).toBe(1);
    expect(report.lines).toBe(6);
    expect(report.problems.map((p) => p.line)).toEqual([2, 4, 5]);
  });

  it('fails when every line is invalid even with skipInvalid', () => {
    expect(() => parseDelimited('a,b\n', { skipInvalid: true, header: false })).toThrow(
      /all 1 data lines were invalid/,
    );
  });
});

describe('readDelimited', () => {
  it('streams a file in small chunks and names the file in errors', async () => {
    const path = join(dir, 'r.csv');
    const lines = ['userId,movieId,rating,timestamp'];
    for (let i = 0; i < 2000; i++) lines.push(`${i % 50},${i % 70},${(i % 5) + 1},${i}`);
    writeFileSync(path, lines.join('\n') + '\n');
    const { interactions: x, report } = await readDelimited(path, { chunkBytes: 100 });
    expect(report.rows).toBe(2000);
    expect(x.numUsers).toBe(50);
    expect(x.numItems).toBe(70);
    expect(x.users[1999]).toBe(1999 % 50);
    const badPath = join(dir, 'bad.csv');
    writeFileSync(badPath, '1,2,3\n1,2,3\n1,2\n');
    await expect(readDelimited(badPath)).rejects.toThrow(`${badPath}:3: has 2 fields`);
  });
});

describe('fast path agrees with a reference parser', () => {
  it('on random lines with quotes, CRLF, spaces, exponents and blank lines', () => {
    let s = 99;
    const rnd = (n: number): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s % n;
    };
    const lines: string[] = [];
    const expected: [number, number, number, number][] = [];
    for (let k = 0; k < 3000; k++) {
      const u = rnd(1000) - 10;
      const i = rnd(100000);
      const r = rnd(100) / 8;
      const t = 1e9 + rnd(1e6);
      const style = rnd(8);
      const rs = style === 0 ? `"${r}"` : style === 1 ? `${r * 100}e-2` : style === 2 ? ` ${r} ` : String(r);
      const end = style === 3 ? '\r' : '';
      lines.push(`${u},${style === 4 ? `"${i}"` : i},${rs},${t}${end}`);
      if (style === 5) lines.push('');
      expected.push([u, i, r, t]);
    }
    const bytes = new TextEncoder().encode(lines.join('\n'));
    const p = new DelimitedParser({ header: false });
    for (let a = 0; a < bytes.length; a += 4093) p.push(bytes.subarray(a, a + 4093));
    const { interactions: x } = p.finish();
    expect(x.length).toBe(expected.length);
    expected.forEach(([u, i, r, t], k) => {
      expect(x.userIds.id(x.users[k]!)).toBe(u);
      expect(x.itemIds.id(x.items[k]!)).toBe(i);
      expect(x.ratings![k]).toBeCloseTo(r, 5);
      expect(x.timestamps![k]).toBe(t);
    });
  });
});
