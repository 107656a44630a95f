import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTable, tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, UnknownIdError } from '@ncf/core';
import {
  IdMap,
  csrHas,
  datasetInfo,
  fromArrowTable,
  interactionsFromArrays,
  interactionsFromIds,
  readArrowIpc,
  selectRows,
  userItemsCsr,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ncf-inter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('IdMap', () => {
  it('maps ids both ways and round-trips through JSON', () => {
    const m = new IdMap('item', ['b', 'a']);
    expect(m.add('c')).toBe(2);
    expect(m.add('a')).toBe(1);
    expect(m.index('b')).toBe(0);
    expect(m.id(2)).toBe('c');
    expect(m.indexOf('zz')).toBe(-1);
    expect(() => m.index('zz')).toThrow(UnknownIdError);
    expect(() => m.add(3)).toThrow(/is a number but this id map holds strings/);
    const json = JSON.parse(JSON.stringify(m));
    expect(json).toEqual({ type: 'string', ids: ['b', 'a', 'c'] });
    const back = IdMap.fromJSON(json);
    expect(back.ids()).toEqual(['b', 'a', 'c']);
    expect(() => IdMap.fromJSON({ type: 'number', ids: [1, 1] })).toThrow(/twice/);
    expect(() => IdMap.fromJSON({ type: 'number', ids: ['1'] })).toThrow(DataError);
  });
});

describe('Interactions', () => {
  it('wraps typed arrays zero-copy in an Arrow table', () => {
    const users = new Int32Array([0, 1, 1]);
    const x = interactionsFromArrays({
      users,
      items: new Int32Array([2, 0, 1]),
      ratings: new Float32Array([1, 2, 3]),
    });
    expect(x.numUsers).toBe(2);
    expect(x.numItems).toBe(3);
    expect(x.users).toBe(users);
    expect(x.table.getChild('user')?.toArray().buffer).toBe(users.buffer);
    expect(x.timestamps).toBeUndefined();
    expect(x.userIds.ids()).toEqual([0, 1]);
  });

  it('validates lengths, ranges and finiteness', () => {
    expect(() => interactionsFromArrays({ users: new Int32Array(2), items: new Int32Array(1) })).toThrow(
      /equal lengths/,
    );
    expect(() =>
      interactionsFromArrays({ users: new Int32Array([0, 3]), items: new Int32Array(2) }, { numUsers: 2 }),
    ).toThrow(/user index at row 1 is 3; expected an integer in \[0, 2\)/);
    expect(() =>
      interactionsFromArrays({
        users: new Int32Array(1),
        items: new Int32Array(1),
        ratings: new Float32Array([NaN]),
      }),
    ).toThrow(/rating at row 0 is NaN/);
  });

  it('builds from external ids and selects rows', () => {
    const x = interactionsFromIds({ users: ['u', 'v', 'u'], items: [10, 20, 20], ratings: [1, 2, 3] });
    expect(Array.from(x.users)).toEqual([0, 1, 0]);
    expect(x.itemIds.ids()).toEqual([10, 20]);
    const s = selectRows(x, new Int32Array([2, 0]));
    expect(Array.from(s.items)).toEqual([1, 0]);
    expect(Array.from(s.ratings ?? [])).toEqual([3, 1]);
    expect(s.userIds).toBe(x.userIds);
  });
});

describe('fromArrowTable / readArrowIpc', () => {
  it('maps external ids in any columns and converts int64 timestamps', () => {
    const table = tableFromArrays({
      uid: ['a', 'b', 'a'],
      mid: new Int32Array([5, 5, 9]),
      stars: new Float64Array([4, 5, 1]),
      when: new BigInt64Array([3n, 2n, 1n]),
    });
    const x = fromArrowTable(table, {
      userColumn: 'uid',
      itemColumn: 'mid',
      ratingColumn: 'stars',
      timestampColumn: 'when',
    });
    expect(x.userIds.ids()).toEqual(['a', 'b']);
    expect(x.itemIds.ids()).toEqual([5, 9]);
    expect(Array.from(x.items)).toEqual([0, 0, 1]);
    expect(Array.from(x.timestamps ?? [])).toEqual([3, 2, 1]);
    expect(() => fromArrowTable(table)).toThrow(/no column 'user' \(columns: uid, mid, stars, when\)/);
  });

  it('reads an Arrow IPC file of dense indices', async () => {
    const path = join(dir, 'x.arrow');
    const t = makeTable({
      user: new Int32Array([0, 2]),
      item: new Int32Array([1, 1]),
      rating: new Float32Array([2, 3]),
    });
    writeFileSync(path, tableToIPC(t, 'file'));
    const x = await readArrowIpc(path, { dense: true });
    expect(x.numUsers).toBe(3);
    expect(Array.from(x.ratings ?? [])).toEqual([2, 3]);
    writeFileSync(join(dir, 'bad.arrow'), 'not arrow');
    await expect(readArrowIpc(join(dir, 'bad.arrow'))).rejects.toThrow(DataError);
  });
});

describe('userItemsCsr', () => {
  it('groups each user items sorted, with interaction rows', () => {
    const x = interactionsFromArrays(
      { users: new Int32Array([1, 0, 1, 1, 0]), items: new Int32Array([3, 2, 0, 3, 1]) },
      { numUsers: 3, numItems: 4 },
    );
    const csr = userItemsCsr(x);
    expect(Array.from(csr.offsets)).toEqual([0, 2, 5, 5]);
    expect(Array.from(csr.indices)).toEqual([1, 2, 0, 3, 3]);
    expect([csr.numRows, csr.numCols, csr.values]).toEqual([3, 4, undefined]);
    expect(Array.from(csr.rows)).toEqual([4, 1, 2, 0, 3]);
    expect(csrHas(csr, 1, 3)).toBe(true);
    expect(csrHas(csr, 1, 2)).toBe(false);
    expect(csrHas(csr, 2, 0)).toBe(false);
  });
});

describe('datasetInfo', () => {
  it('reports sizes, id maps, item counts and the observed rating range', () => {
    const x = interactionsFromIds({ users: [7, 8, 8], items: ['a', 'b', 'a'], ratings: [2, 4.5, 3] });
    const info = datasetInfo(x);
    expect(info).toEqual({
      numUsers: 2,
      numItems: 2,
      itemCounts: Float32Array.of(2, 1),
      userIds: { type: 'number', ids: [7, 8] },
      itemIds: { type: 'string', ids: ['a', 'b'] },
      ratingRange: [2, 4.5],
    });
    expect(() =>
      datasetInfo(x, { itemFeatures: { names: ['f'], rows: 3, dim: 1, values: new Float32Array(3) } }),
    ).toThrow(/item features have 3 rows; expected 2/);
  });
});

describe('JSON lines', () => {
  it('reads objects with string and number ids and optional fields', async () => {
    const { parseJsonLines, readJsonLines } = await import('../src/index.js');
    const { interactions: x, report } = parseJsonLines(
      '{"user":"u1","item":42,"rating":4,"timestamp":9}\n\n{"user":"u2","item":7,"rating":2.5,"timestamp":10}\n',
    );
    expect(report.rows).toBe(2);
    expect(report.blankLines).toBe(1);
    expect(x.userIds.ids()).toEqual(['u1', 'u2']);
    expect(x.itemIds.ids()).toEqual([42, 7]);
    expect(Array.from(x.ratings ?? [])).toEqual([4, 2.5]);
    const path = join(dir, 'x.jsonl');
    writeFileSync(path, '{"who":1,"what":2}\n{"who":1,"what":"3"}\n');
    await expect(readJsonLines(path, { fields: { user: 'who', item: 'what' } })).rejects.toThrow(
      `${path}:2: item id "3" is a string but this id map holds numbers`,
    );
    const skipped = parseJsonLines(
      '{"user":1,"item":2,"rating":3}\nnot json\n{"user":1,"item":3,"rating":"x"}\n',
      {
        skipInvalid: true,
      },
    );
    expect(skipped.report.skipped).toBe(2);
    expect(skipped.report.problems[0]!.message).toMatch(/invalid JSON/);
    expect(() => parseJsonLines('')).toThrow(/empty/);
  });
});
