import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@ncf/core';
import { recordingIo, runCli, type RecordingIo } from '../src/index.js';

// End to end on tiny generated data: every command in-process, as `ncf ...` would run it.
const root = mkdtempSync(path.join(tmpdir(), 'ncf-cli-e2e-'));
const modelDir = path.join(root, 'model');
const DATA = 'synthetic:60x120:7';
const previousDataDir = process.env.NCF_DATA_DIR;

async function ncf(...argv: string[]): Promise<{ code: number; io: RecordingIo }> {
  const io = recordingIo();
  const code = await runCli(['--backend', 'wasm', ...argv], io);
  return { code, io };
}

beforeAll(() => {
  process.env.NCF_DATA_DIR = path.join(root, 'cache');
});

afterAll(() => {
  if (previousDataDir === undefined) delete process.env.NCF_DATA_DIR;
  else process.env.NCF_DATA_DIR = previousDataDir;
  rmSync(root, { recursive: true, force: true });
});

describe('ncf train → info → evaluate → recommend', () => {
  it('trains MF on generated data and saves a model that records its data', async () => {
    const { code, io } = await ncf(
      'train',
      '--data',
      DATA,
      '--model',
      'mf',
      '--epochs',
      '2',
      '--out',
      modelDir,
    );
    expect(io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout[0]).toMatch(/^backend: wasm \(requested 'wasm'/);
    expect(io.stdout[0]).toMatch(/; \d+ threads?\b/); // the compute pool
    expect(io.stdout.join('\n')).toContain('60 users × 120 items');
    expect(existsSync(path.join(modelDir, 'model.json'))).toBe(true);
    // one progress line per epoch on stderr
    expect(io.stderr.filter((l) => /^train epoch \d\/2 {2}loss \d/.test(l))).toHaveLength(2);
    const doc = JSON.parse(readFileSync(path.join(modelDir, 'model.json'), 'utf8')) as {
      userDefinedMetadata: { kind: string; training: { data: unknown; epochs: number; splitSeed: number } };
    };
    expect(doc.userDefinedMetadata.kind).toBe('ncf/mf');
    expect(doc.userDefinedMetadata.training.data).toEqual({
      source: 'synthetic',
      users: 60,
      items: 120,
      seed: 7,
    });
    expect(doc.userDefinedMetadata.training.epochs).toBe(2);
  });

  it('describes the saved model without loading weights', async () => {
    const { code, io } = await ncf('info', modelDir);
    expect(code).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(
      /model +ncf\/mf \(format version 2, pointwise batches with implicit labels, no inputs\)/,
    );
    expect(text).toMatch(/dataset +60 users × 120 items/);
    expect(text).toMatch(
      /training +2 epochs, batch 256, 4 negatives\/positive, seed 42, on wasm, final loss \d\.\d{4}/,
    );
  });

  it('evaluates the model on its own data beside the popularity baseline, with the protocol line', async () => {
    const json = path.join(root, 'eval.json');
    const { code, io } = await ncf('evaluate', '--model-dir', modelDir, '--json', json);
    expect(code).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/^ncf\/mf +all +60 +\d\.\d{4} +\d\.\d{4}/m);
    expect(text).toMatch(/^baseline\/popularity +all +60 /m);
    expect(text).toContain('protocol=full ranking (all 120 items scored)');
    const written = JSON.parse(readFileSync(json, 'utf8')) as {
      results: { model: string; metrics: Record<string, number> }[];
    };
    expect(written.results.map((r) => r.model)).toEqual(['ncf/mf', 'baseline/popularity']);
    for (const r of written.results) {
      expect(r.metrics['hr@10']).toBeGreaterThanOrEqual(0);
      expect(r.metrics['hr@10']).toBeLessThanOrEqual(1);
      expect(r.metrics['ndcg@10']).toBeLessThanOrEqual(r.metrics['hr@10']!);
    }
  });

  it('labels the sampled protocol as such', async () => {
    const { code, io } = await ncf(
      'evaluate',
      '--model-dir',
      modelDir,
      '--protocol',
      'sampled',
      '-k',
      '5',
      '--sampled-negatives',
      '20',
    );
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/\[SAMPLED\].*20 per positive.*K=5/);
  });

  it('recommends k unseen items for a known user and rejects an unknown one in one line', async () => {
    const { code, io } = await ncf('recommend', '--model-dir', modelDir, '--user', '1', '-k', '4');
    expect(code).toBe(0);
    const rows = io.stdout.filter((l) => /^ +\d +\d+ +-?\d\.\d{4}/.test(l));
    expect(rows).toHaveLength(4);
    const bad = await ncf('recommend', '--model-dir', modelDir, '--user', '99999');
    expect(bad.code).toBe(1);
    expect(bad.io.stderr).toEqual(['ncf: unknown user id 99999']);
  });

  it('refuses to evaluate a model on data with another id space', async () => {
    const { code, io } = await ncf('evaluate', '--model-dir', modelDir, '--data', 'synthetic:50x120:7');
    expect(code).toBe(1);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/was trained on other data than .*users \(model 60, data 50\)/);
  });

  it('reports a corrupted model file as one line naming the file', async () => {
    const broken = path.join(root, 'broken');
    const { code } = await ncf('train', '--data', DATA, '--model', 'gmf', '--epochs', '1', '--out', broken);
    expect(code).toBe(0);
    const file = path.join(broken, 'model.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
    const r = await ncf('info', broken);
    expect(r.code).toBe(1);
    expect(r.io.stderr).toHaveLength(1);
    expect(r.io.stderr[0]).toContain('model.json');
  });

  it('trains a graph model (LightGCN) whose saved graph is rebuilt for evaluation', async () => {
    const dir = path.join(root, 'lightgcn');
    const trained = await ncf(
      'train',
      '--data',
      DATA,
      '--model',
      'lightgcn',
      '--layers',
      '2',
      '--epochs',
      '1',
      '--out',
      dir,
    );
    expect(trained.io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
    expect(trained.code).toBe(0);
    expect(trained.io.stdout.join('\n')).toMatch(/model: gnn\/lightgcn \{[^}]*"layers":2/);
    const evaluated = await ncf('evaluate', '--model-dir', dir);
    expect(evaluated.code).toBe(0);
    expect(evaluated.io.stdout.join('\n')).toMatch(/^gnn\/lightgcn +all +60 /m);
  });

  // The bug of issue 14: a BPR model's file recorded 'pairwise' batches while its factory claimed
  // 'pointwise', so evaluate refused it. The spec now comes from the config, for every model and loss.
  for (const [model, loss] of [
    ['mf', 'bpr'],
    ['gmf', 'bpr'],
    ['neumf', 'bpr'],
    ['mf', 'mse'],
  ] as const) {
    it(`trains ${model} with --loss ${loss}, then evaluate, recommend and info work on the saved model`, async () => {
      const dir = path.join(root, `${model}-${loss}`);
      const trained = await ncf(
        'train',
        '--data',
        DATA,
        '--model',
        model,
        '--loss',
        loss,
        '--epochs',
        '1',
        '--out',
        dir,
      );
      expect(trained.io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
      expect(trained.code).toBe(0);
      const evaluated = await ncf('evaluate', '--model-dir', dir);
      expect(evaluated.io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
      expect(evaluated.code).toBe(0);
      expect(evaluated.io.stdout.join('\n')).toMatch(new RegExp(`^ncf/${model} +all +60 `, 'm'));
      const rec = await ncf('recommend', '--model-dir', dir, '--user', '1', '-k', '3');
      expect(rec.code).toBe(0);
      const info = await ncf('info', dir);
      const batches = loss === 'bpr' ? 'pairwise batches, no inputs' : 'pointwise batches with rating labels';
      expect(info.io.stdout.join('\n')).toContain(batches);
    });
  }

  it('loads the features a Basic NCF config asks for, through its data spec', async () => {
    const dir = path.join(root, 'basic-features');
    const trained = await ncf(
      'train',
      '--data',
      DATA,
      '--model',
      'basic',
      '--model-config',
      '{"itemInput":"features","layers":[16,8]}',
      '--epochs',
      '1',
      '--out',
      dir,
    );
    expect(trained.io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
    expect(trained.code).toBe(0);
    const info = (await ncf('info', dir)).io.stdout.join('\n');
    expect(info).toContain('pointwise batches with implicit labels, inputs itemFeatures');
    expect(info).toMatch(/item features \d+/);
    expect(info).not.toMatch(/user features/);
    const evaluated = await ncf('evaluate', '--model-dir', dir);
    expect(evaluated.code).toBe(0);
  });

  it('stops training between batches when its signal aborts, saving nothing', async () => {
    const controller = new AbortController();
    const base = recordingIo();
    const io: RecordingIo = {
      ...base,
      err: (line) => {
        base.err(line);
        if (line.startsWith('train epoch 1/')) controller.abort();
      },
      signal: controller.signal,
    };
    const dir = path.join(root, 'aborted');
    const code = await runCli(
      ['--backend', 'wasm', 'train', '--data', DATA, '--model', 'mf', '--epochs', '5', '--out', dir],
      io,
    );
    expect(code).toBe(1);
    expect(base.stderr.filter((l) => l.startsWith('train epoch'))).toHaveLength(1);
    expect(base.stderr.at(-1)).toMatch(/^ncf: .*abort/);
    expect(existsSync(dir)).toBe(false);
  });

  it('leaks no tensors across train, evaluate and recommend', async () => {
    await ncf('evaluate', '--model-dir', modelDir); // warm-up: kernels and backend state
    const before = tf.memory().numTensors;
    await ncf('evaluate', '--model-dir', modelDir);
    await ncf('recommend', '--model-dir', modelDir, '--user', '2');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('ncf demo', () => {
  it('generates data, trains, and prints backend, data, model and both result tables', async () => {
    const dataDir = path.join(root, 'demo-data');
    const { code, io } = await ncf(
      'demo',
      '--users',
      '60',
      '--items',
      '120',
      '--epochs',
      '1',
      '--model',
      'mf',
      '--data-dir',
      dataDir,
    );
    expect(io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
    expect(code).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/^backend: wasm/m);
    expect(text).toMatch(/^data: synthetic MovieLens-like \(seed 42\), 60 users × 120 items/m);
    expect(text).toMatch(/^model: ncf\/mf /m);
    expect(text).toMatch(/^ncf\/mf +all +60 /m);
    expect(text).toMatch(/^baseline\/popularity +all +60 /m);
    expect(existsSync(path.join(dataDir, 'u.data'))).toBe(true);
  });

  it('takes options from a config file section, with flags winning', async () => {
    const file = path.join(root, 'ncf.json');
    writeFileSync(
      file,
      JSON.stringify({ epochs: 3, demo: { users: 60, items: 120, epochs: 1, model: 'gmf' } }),
    );
    const { code, io } = await ncf('demo', '--config', file, '--model', 'mf');
    expect(code).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/60 users × 120 items/);
    expect(text).toMatch(/^model: ncf\/mf /m);
    expect(text).toMatch(/^trained: 1 epochs/m);
  });

  it('rejects a model config field the model does not have, in one line', async () => {
    const { code, io } = await ncf(
      'demo',
      '--users',
      '60',
      '--items',
      '120',
      '--model',
      'mlp',
      '--factors',
      '16',
    );
    expect(code).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^ncf: .*factors/);
  });

  it('decays the learning rate per epoch with --lr-decay and records the schedule', async () => {
    const dir = path.join(root, 'decayed');
    const { code, io } = await ncf(
      'train',
      '--data',
      DATA,
      '--model',
      'mf',
      '--epochs',
      '1',
      '--lr-decay',
      '0.5',
      '--model-config',
      '{"l2PerSample":0.01}',
      '--out',
      dir,
    );
    expect(io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
    expect(code).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
      userDefinedMetadata: { config: { l2PerSample: number }; training: { learningRateSchedule: unknown } };
    };
    expect(doc.userDefinedMetadata.training.learningRateSchedule).toEqual({
      type: 'exponential',
      factor: 0.5,
    });
    expect(doc.userDefinedMetadata.config.l2PerSample).toBe(0.01);
    const bad = await ncf('train', '--data', DATA, '--lr-decay', '1.5', '--out', path.join(root, 'never'));
    expect(bad.code).toBe(2);
    expect(bad.io.stderr).toEqual(['ncf: --lr-decay must be a factor in (0, 1], got 1.5']);
  });

  it('names a bad numeric flag and what it expects', async () => {
    const { code, io } = await ncf('demo', '--epochs', 'many');
    expect(code).toBe(2);
    expect(io.stderr).toEqual(['ncf: --epochs must be an integer ≥ 1, got "many"']);
  });
});
