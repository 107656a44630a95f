import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingIo, runCli, type RecordingIo } from '../src/index.js';

const root = mkdtempSync(path.join(tmpdir(), 'ncf-cli-out-'));
const DATA = 'synthetic:30x60:3';
const previousDataDir = process.env.NCF_DATA_DIR;

async function ncf(...argv: string[]): Promise<{ code: number; io: RecordingIo }> {
  const io = recordingIo();
  const code = await runCli(['--backend', 'wasm', ...argv], io);
  return { code, io };
}

const train = (out: string, ...more: string[]) =>
  ncf('train', '--data', DATA, '--model', 'mf', '--epochs', '1', '--out', out, ...more);

beforeAll(() => {
  process.env.NCF_DATA_DIR = path.join(root, 'cache');
});

afterAll(() => {
  if (previousDataDir === undefined) delete process.env.NCF_DATA_DIR;
  else process.env.NCF_DATA_DIR = previousDataDir;
  rmSync(root, { recursive: true, force: true });
});

describe('ncf train --out', () => {
  it('refuses a file path (or a path under a file) before reading any data', async () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'not a directory');
    for (const out of [file, path.join(file, 'model')]) {
      const { code, io } = await train(out);
      expect(code).toBe(2);
      expect(io.stderr).toHaveLength(1);
      expect(io.stderr[0]).toMatch(/^ncf: --out .* is a file/);
      expect(io.stdout).toEqual([]); // no backend started, no data read
    }
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });

  it('refuses to replace an existing model unless --force', async () => {
    const out = path.join(root, 'model');
    expect((await train(out)).code).toBe(0);
    const first = statSync(path.join(out, 'model.json')).mtimeMs;
    const again = await train(out);
    expect(again.code).toBe(2);
    expect(again.io.stderr).toEqual([
      `ncf: --out ${out} already holds a model (model.json); pass --force to replace it, or choose another directory`,
    ]);
    expect(again.io.stdout).toEqual([]);
    expect(statSync(path.join(out, 'model.json')).mtimeMs).toBe(first);
    const forced = await train(out, '--force');
    expect(forced.code).toBe(0);
    expect(forced.io.stdout.at(-1)).toBe(`saved: ${out}`);
  });

  it('refuses a non-empty directory ncf did not write', async () => {
    const out = path.join(root, 'mine');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'keep me');
    const { code, io } = await train(out, '--force');
    expect(code).toBe(2);
    expect(io.stderr[0]).toMatch(/non-empty directory without model\.json/);
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('--holdout none trains on every interaction, records it, and evaluate refuses the model', async () => {
    const loo = await train(path.join(root, 'loo'));
    const all = await train(path.join(root, 'all'), '--holdout', 'none');
    expect(all.code).toBe(0);
    const counts = (io: RecordingIo) => {
      const m = /; (\d+) train, (\d+) test/.exec(io.stdout.join('\n'));
      return [Number(m![1]), Number(m![2])];
    };
    const [looTrain, looTest] = counts(loo.io);
    expect(looTest).toBe(30); // one held out per user
    expect(counts(all.io)).toEqual([looTrain! + looTest!, 0]);
    const doc = JSON.parse(readFileSync(path.join(root, 'all', 'model.json'), 'utf8')) as {
      userDefinedMetadata: { training: { holdout?: string } };
    };
    expect(doc.userDefinedMetadata.training.holdout).toBe('none');
    const evaluated = await ncf('evaluate', '--model-dir', path.join(root, 'all'));
    expect(evaluated.code).toBe(1);
    expect(evaluated.io.stderr[0]).toMatch(/trained with --holdout none: no interaction was held out/);
    const rec = await ncf('recommend', '--model-dir', path.join(root, 'all'), '--user', '1', '-k', '3');
    expect(rec.code).toBe(0);
  });
});
