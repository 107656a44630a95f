import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalId } from '@ncf/core';
import { recordingIo, runCli, type RecordingIo } from '../src/index.js';
import { parseDataSource } from '../src/wiring/data-source.js';
import { loadData } from '../src/wiring/load-data.js';

// One small MF model shared by the recommend tests; every command runs in-process as `ncf ...` would.
const root = mkdtempSync(path.join(tmpdir(), 'ncf-cli-recommend-'));
const modelDir = path.join(root, 'model');
const DATA = 'synthetic:30x60:3';
const previousDataDir = process.env.NCF_DATA_DIR;

async function ncf(...argv: string[]): Promise<{ code: number; io: RecordingIo }> {
  const io = recordingIo();
  const code = await runCli(['--backend', 'wasm', ...argv], io);
  return { code, io };
}

/** The item ids of a recommend table's rows. */
function itemsOf(io: RecordingIo): string[] {
  return io.stdout.filter((l) => /^ +\d+ +\S+ +-?\d+\.\d{4}/.test(l)).map((l) => l.trim().split(/ +/)[1]!);
}

beforeAll(async () => {
  process.env.NCF_DATA_DIR = path.join(root, 'cache');
  const { code, io } = await ncf(
    'train',
    '--data',
    DATA,
    '--model',
    'mf',
    '--epochs',
    '1',
    '--out',
    modelDir,
  );
  expect(io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
  expect(code).toBe(0);
});

afterAll(() => {
  if (previousDataDir === undefined) delete process.env.NCF_DATA_DIR;
  else process.env.NCF_DATA_DIR = previousDataDir;
  rmSync(root, { recursive: true, force: true });
});

describe('ncf recommend and seen items', () => {
  it("never recommends a user's held-out test item back to them, unless --include-seen", async () => {
    const data = await loadData(parseDataSource(DATA), { seed: 42 });
    const u = 0;
    const user = String(externalId(data.info.userIds, u));
    const held = [...data.test.items.keys()]
      .filter((r) => data.test.users[r] === u)
      .map((r) => String(externalId(data.info.itemIds, data.test.items[r]!)));
    expect(held.length).toBeGreaterThan(0);
    const seenCount = [data.train, data.test].reduce(
      (n, part) => n + part.users.filter((x) => x === u).length,
      0,
    );
    const all = await ncf('recommend', '--model-dir', modelDir, '--user', user, '-k', '60');
    expect(all.code).toBe(0);
    const recommended = itemsOf(all.io);
    // every item but the ones the user interacted with, in any split
    expect(recommended).toHaveLength(60 - seenCount);
    for (const item of held) expect(recommended).not.toContain(item);
    const withSeen = await ncf(
      'recommend',
      '--model-dir',
      modelDir,
      '--user',
      user,
      '-k',
      '60',
      '--include-seen',
    );
    expect(itemsOf(withSeen.io)).toHaveLength(60);
    for (const item of held) expect(itemsOf(withSeen.io)).toContain(item);
  });
});

describe('ncf recommend --ratings (a new user) and ncf similar', () => {
  it('folds in a new user from a JSON file, leaving out rated items and naming unknown ones', async () => {
    const file = path.join(root, 'new-user.json');
    writeFileSync(
      file,
      JSON.stringify([
        { item: 1, rating: 5 },
        { item: 2, rating: 4 },
        { item: 99999, rating: 3 },
      ]),
    );
    const { code, io } = await ncf(
      'recommend',
      '--model-dir',
      modelDir,
      '--ratings',
      file,
      '-k',
      '5',
      '--explain',
    );
    expect(io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
    expect(code).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/^strategy: fold-in \(.*2 rated item/m);
    expect(text).toMatch(/^skipped 1 item\(s\) the model does not know: 99999$/m);
    expect(text).toMatch(/^because you rated: 1 \(5\), 2 \(4\)$/m);
    const items = itemsOf(io);
    expect(items).toHaveLength(5);
    expect(items).not.toContain('1');
    expect(items).not.toContain('2');
  });

  it('reads a CSV history and falls back to popularity for an empty one; --json is one document', async () => {
    const csv = path.join(root, 'new-user.csv');
    writeFileSync(csv, 'item,rating\n3,5\n4,2\n');
    const fromCsv = await ncf('recommend', '--model-dir', modelDir, '--ratings', csv, '-k', '3', '--json');
    expect(fromCsv.code).toBe(0);
    expect(fromCsv.io.stdout).toHaveLength(1);
    const doc = JSON.parse(fromCsv.io.stdout[0]!) as {
      strategy: string;
      items: { rank: number; item: number }[];
    };
    expect(doc.strategy).toBe('fold-in');
    expect(doc.items.map((i) => i.rank)).toEqual([1, 2, 3]);
    expect(doc.items.map((i) => i.item)).not.toContain(3);
    expect(fromCsv.io.stderr.some((l) => l.startsWith('backend:'))).toBe(true);
    const empty = path.join(root, 'empty.json');
    writeFileSync(empty, '[]');
    const popular = await ncf('recommend', '--model-dir', modelDir, '--ratings', empty, '-k', '3', '--json');
    expect(popular.code).toBe(0);
    expect((JSON.parse(popular.io.stdout[0]!) as { strategy: string }).strategy).toBe('popularity');
  });

  it('lists the items most like an item, without the item itself, as a table or JSON', async () => {
    const table = await ncf('similar', '--model-dir', modelDir, '--item', '1', '-k', '4');
    expect(table.io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
    expect(table.code).toBe(0);
    expect(table.io.stdout.join('\n')).toMatch(/^4 items most like item 1 \(ncf\/mf, cosine/m);
    const items = itemsOf(table.io);
    expect(items).toHaveLength(4);
    expect(items).not.toContain('1');
    const json = await ncf('similar', '--model-dir', modelDir, '--item', '1', '-k', '4', '--json');
    const doc = JSON.parse(json.io.stdout[0]!) as { item: number; items: { item: number; score: number }[] };
    expect(doc.item).toBe(1);
    expect(doc.items.map((i) => String(i.item))).toEqual(items);
    for (const i of doc.items) expect(Math.abs(i.score)).toBeLessThanOrEqual(1 + 1e-6);
    const bad = await ncf('similar', '--model-dir', modelDir, '--item', '99999');
    expect(bad.code).toBe(1);
    expect(bad.io.stderr).toEqual(['ncf: unknown item id 99999']);
  });
});
