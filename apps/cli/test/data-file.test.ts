import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingIo, runCli, type RecordingIo } from '../src/index.js';

// Hand-made interactions: 8 users × 12 items, 5 ratings each, so a column swap shows as 12 users × 8 items.
const root = mkdtempSync(path.join(tmpdir(), 'ncf-cli-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ROWS: [user: number, item: number, rating: number, ts: number][] = [];
for (let u = 1; u <= 8; u++) {
  for (let k = 0; k < 5; k++)
    ROWS.push([u, 100 + ((u * 3 + k * 5) % 12), 1 + ((u + k) % 5), 1000 + u * 10 + k]);
}
for (let i = 0; i < 12; i++) ROWS.push([1 + (i % 8), 100 + i, 3, 2000 + i]); // every item rated

function write(name: string, text: string): string {
  const file = path.join(root, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

async function ncf(...argv: string[]): Promise<{ code: number; io: RecordingIo }> {
  const io = recordingIo();
  const code = await runCli(['--backend', 'wasm', ...argv], io);
  return { code, io };
}

async function train(data: string, out: string, ...more: string[]) {
  const r = await ncf(
    'train',
    '--data',
    data,
    '--model',
    'mf',
    '--epochs',
    '1',
    '--out',
    path.join(root, out),
    ...more,
  );
  expect(r.io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
  expect(r.code).toBe(0);
  return r.io.stdout.join('\n');
}

describe('ncf train --data <file>', () => {
  it('maps header names to roles: item,user,rating is read with items from column 0', async () => {
    const file = write(
      'swapped.csv',
      `item,user,rating\n${ROWS.map(([u, i, r]) => `${i},${u},${r}`).join('\n')}\n`,
    );
    expect(await train(file, 'swapped')).toContain('8 users × 12 items');
    // evaluate and recommend re-read the file recorded in model.json
    const doc = JSON.parse(readFileSync(path.join(root, 'swapped', 'model.json'), 'utf8')) as {
      userDefinedMetadata: { training: { data: { source: string; path: string; format: string } } };
    };
    expect(doc.userDefinedMetadata.training.data).toMatchObject({
      source: 'file',
      path: file,
      format: 'csv',
    });
    const rec = await ncf('recommend', '--model-dir', path.join(root, 'swapped'), '--user', '3', '-k', '2');
    expect(rec.code).toBe(0);
    expect(rec.io.stdout.join('\n')).toMatch(/top 2 for user 3/);
  });

  it('detects a semicolon or TAB separator in a .csv file, and reads JSON lines', async () => {
    const semi = write(
      'semi.csv',
      `userId;movieId;rating;timestamp\n${ROWS.map((r) => r.join(';')).join('\n')}\n`,
    );
    expect(await train(semi, 'semi')).toContain('8 users × 12 items');
    const tab = write('tab.csv', `${ROWS.map((r) => r.join('\t')).join('\n')}\n`);
    expect(await train(tab, 'tab')).toContain('8 users × 12 items');
    const jsonl = write(
      'ratings.jsonl',
      `${ROWS.map(([user, item, rating]) => JSON.stringify({ user: `u${user}`, item, rating })).join('\n')}\n`,
    );
    expect(await train(jsonl, 'jsonl')).toContain('8 users × 12 items');
  });

  it('takes --user-col / --item-col for headers it does not know', async () => {
    const file = write(
      'odd.csv',
      `who,what,stars\n${ROWS.map(([u, i, r]) => `${u},${i},${r}`).join('\n')}\n`,
    );
    expect(
      await train(file, 'odd', '--user-col', 'who', '--item-col', 'what', '--rating-col', 'stars'),
    ).toContain('8 users × 12 items');
    const bad = await ncf('train', '--data', file, '--user-col', 'nobody', '--out', path.join(root, 'never'));
    expect(bad.code).toBe(2);
    expect(bad.io.stderr).toEqual([
      `ncf: --user-col 'nobody' is not in the header of ${file} (who, what, stars)`,
    ]);
  });

  it('names the separators it tried when line 1 has none', async () => {
    const file = write('one-column.csv', 'a\nb\n');
    const { code, io } = await ncf('train', '--data', file, '--out', path.join(root, 'never'));
    expect(code).toBe(1);
    expect(io.stderr[0]).toMatch(
      /one-column\.csv:1: line 1 has no field separator \(tried TAB, ',', ';', '\|', '::'\)/,
    );
  });

  it('trains on a MovieLens directory that holds only u.data (no u.item): titles are optional', async () => {
    const dir = path.join(root, 'ml-only-ratings');
    write('ml-only-ratings/u.data', `${ROWS.map((r) => r.join('\t')).join('\n')}\n`);
    expect(await train(dir, 'ml-only')).toContain('8 users × 12 items');
    const rec = await ncf('recommend', '--model-dir', path.join(root, 'ml-only'), '--user', '1', '-k', '2');
    expect(rec.code).toBe(0);
  });

  it('says to pass --data when the recorded data has moved, and works when given it', async () => {
    const file = write(
      'moving.csv',
      `user,item,rating\n${ROWS.map(([u, i, r]) => `${u},${i},${r}`).join('\n')}\n`,
    );
    await train(file, 'moving');
    const moved = path.join(root, 'moved.csv');
    renameSync(file, moved);
    const model = path.join(root, 'moving');
    const lost = await ncf('evaluate', '--model-dir', model);
    expect(lost.code).toBe(1);
    expect(lost.io.stderr).toEqual([
      `ncf: ${model}/model.json records its training data at ${file}, which no longer exists (moved or deleted?); pass --data <its new location>`,
    ]);
    const found = await ncf('evaluate', '--model-dir', model, '--data', moved);
    expect(found.io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
    expect(found.code).toBe(0);
  });
});
