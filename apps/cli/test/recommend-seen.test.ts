import { mkdtempSync, rmSync } from 'node:fs';
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
