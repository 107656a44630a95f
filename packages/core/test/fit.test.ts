import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortError,
  ConfigError,
  FIT_DEFAULTS,
  NcfError,
  fit,
  initBackend,
  readModelWeights,
  tf,
  type FitOptions,
  type FitProgress,
} from '../src/index.js';
import {
  referenceMfFactory,
  tinyData,
  tinyDatasetInfo,
  tinyPairwiseSource,
  tinyPointwiseSource,
} from '../src/testing/index.js';
import { labelSource, scalarModel } from './fit-helpers.js';

let dir: string;
beforeAll(async () => {
  await initBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'ncf-fit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const data = tinyData();
const info = tinyDatasetInfo(data);
const mfOptions: FitOptions = { epochs: 4, batchSize: 16, seed: 3, optimizer: { learningRate: 0.05 } };

describe('fit() checks its inputs', () => {
  it('throws ConfigError when the source yields another batch kind than the model trains on', async () => {
    const model = referenceMfFactory.create(info);
    try {
      await expect(fit(model, tinyPairwiseSource(data))).rejects.toThrow(ConfigError);
      await expect(fit(model, tinyPairwiseSource(data))).rejects.toThrow(/'pointwise'.*'pairwise'/);
    } finally {
      model.dispose();
    }
  });

  it.each([
    [{ epochs: -1 }, 'epochs'],
    [{ epochs: 1.5 }, 'epochs'],
    [{ batchSize: 0 }, 'batchSize'],
    [{ validateEvery: 0 }, 'validateEvery'],
    [{ earlyStopping: { metric: 'x' } }, 'validate'],
    [{ validate: () => ({}), earlyStopping: { metric: 'x', patience: 0 } }, 'earlyStopping.patience'],
    [{ validate: () => ({}), earlyStopping: { metric: 'x', mode: 'up' as 'max' } }, 'earlyStopping.mode'],
    [{ resume: true }, 'checkpointDir'],
    [{ optimizer: { learningRate: -1 } }, undefined],
  ])('rejects %j with a ConfigError', async (options, field) => {
    const model = scalarModel(0);
    try {
      const err = await fit(model, labelSource([1]), options as FitOptions).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      if (field) expect((err as ConfigError).field).toBe(field);
    } finally {
      model.dispose();
    }
  });

  it('exports its defaults', () => {
    expect(FIT_DEFAULTS).toMatchObject({
      epochs: 10,
      batchSize: 256,
      seed: 0,
      validateEvery: 1,
      resume: false,
    });
    expect(FIT_DEFAULTS.optimizer.name).toBe('adam');
  });
});

describe('fit() trains', () => {
  it('matches hand-computed SGD steps on a one-parameter model', async () => {
    // loss = mean((w − y)²) over y = [0, 2], one full batch per epoch; SGD lr 0.25: w ← w − 0.25·2·(w − 1).
    const model = scalarModel(0);
    try {
      const result = await fit(model, labelSource([0, 2]), {
        epochs: 3,
        batchSize: 2,
        optimizer: { name: 'sgd', learningRate: 0.25 },
      });
      expect(result.history.map((r) => r.loss)).toEqual([2, 1.25, 1.0625]);
      expect(model.variables()[0]!.variable.dataSync()[0]).toBeCloseTo(0.875, 6);
      expect(result.epochsRun).toBe(3);
      expect(result.stoppedEarly).toBe(false);
      expect(result.training).toMatchObject({ epochs: 3, seed: 0, finalLoss: 1.0625, backend: 'wasm' });
    } finally {
      model.dispose();
    }
  });

  it('follows a learning-rate schedule (hand-computed SGD steps) and records the rate per epoch', async () => {
    // As above, with lr 0.25 halved every epoch: w 0 → 0.5 → 0.625 → 0.671875.
    const model = scalarModel(0);
    try {
      const result = await fit(model, labelSource([0, 2]), {
        epochs: 3,
        batchSize: 2,
        optimizer: { name: 'sgd', learningRate: 0.25 },
        learningRateSchedule: { type: 'step', every: 1, factor: 0.5 },
      });
      expect(result.history.map((r) => r.learningRate)).toEqual([0.25, 0.125, 0.0625]);
      expect(result.history.map((r) => r.loss)).toEqual([2, 1.25, 1.140625]);
      expect(model.variables()[0]!.variable.dataSync()[0]).toBeCloseTo(0.671875, 6);
      // A declarative schedule is part of the training record saved with the model.
      expect(result.training.learningRateSchedule).toEqual({ type: 'step', every: 1, factor: 0.5 });
    } finally {
      model.dispose();
    }
    const rates = async (schedule: FitOptions['learningRateSchedule']): Promise<number[]> => {
      const m = scalarModel(0);
      try {
        const r = await fit(m, labelSource([0, 2]), {
          epochs: 4,
          batchSize: 2,
          optimizer: { name: 'sgd', learningRate: 1 },
          learningRateSchedule: schedule,
        });
        return r.history.map((h) => h.learningRate!);
      } finally {
        m.dispose();
      }
    };
    expect(await rates({ type: 'step', every: 2, factor: 0.1 })).toEqual([1, 1, 0.1, 0.1]);
    expect(await rates({ type: 'exponential', factor: 0.5 })).toEqual([1, 0.5, 0.25, 0.125]);
    expect(await rates((epoch, base) => base / epoch)).toEqual([1, 0.5, 1 / 3, 0.25]);
    expect(await rates(undefined)).toEqual([1, 1, 1, 1]);
    const bad = scalarModel(0);
    try {
      const run = (schedule: FitOptions['learningRateSchedule']) =>
        fit(bad, labelSource([0, 2]), { epochs: 2, batchSize: 2, learningRateSchedule: schedule });
      await expect(run({ type: 'step', every: 0, factor: 0.5 })).rejects.toThrow(ConfigError);
      await expect(run({ type: 'exponential', factor: -1 })).rejects.toThrow(/factor must be a positive/);
      await expect(run(() => Number.NaN)).rejects.toThrow(/learningRateSchedule gave NaN for epoch 1/);
    } finally {
      bad.dispose();
    }
  });

  it('reports the epoch loss as the example-weighted mean of its batch losses, and calls hooks and callbacks in order', async () => {
    const calls: string[] = [];
    const model = scalarModel(0.5, {
      hooks: {
        beforeEpoch: (e) => calls.push(`before${e}`),
        afterStep: () => calls.push('step'),
        afterEpoch: (e) => calls.push(`after${e}`),
      },
    });
    const batches: { epoch: number; size: number; loss: number }[] = [];
    const progress: FitProgress[] = [];
    try {
      const result = await fit(model, labelSource([0, 1, 2, 3, 4]), {
        epochs: 2,
        batchSize: 2,
        optimizer: { name: 'sgd', learningRate: 0.01 },
        onBatchEnd: (e) => {
          batches.push(e);
          calls.push(`batch${e.epoch}.${e.batch}`);
        },
        onEpochEnd: (r) => {
          calls.push(`epoch${r.epoch}`);
        },
        onProgress: (p) => progress.push(p),
      });
      expect(calls).toEqual([
        'before1',
        'step',
        'batch1.0',
        'step',
        'batch1.1',
        'step',
        'batch1.2',
        'after1',
        'epoch1',
        'before2',
        'step',
        'batch2.0',
        'step',
        'batch2.1',
        'step',
        'batch2.2',
        'after2',
        'epoch2',
      ]);
      expect(batches.map((b) => b.size)).toEqual([2, 2, 1, 2, 2, 1]);
      const e1 = batches.filter((b) => b.epoch === 1);
      expect(result.history[0]!.loss).toBeCloseTo(e1.reduce((s, b) => s + b.loss * b.size, 0) / 5, 6);
      const batchEvents = progress.filter((p) => p.type === 'batch');
      expect(batchEvents).toHaveLength(6);
      expect(batchEvents[2]).toMatchObject({ epoch: 1, epochs: 2, examples: 5, examplesPerEpoch: 5 });
      expect(progress.filter((p) => p.type === 'epoch').map((p) => p.epoch)).toEqual([1, 2]);
    } finally {
      model.dispose();
    }
  });

  it('leaves tf.memory().numTensors unchanged', async () => {
    const model = referenceMfFactory.create(info, {}, { seed: 1 });
    try {
      const before = tf.memory().numTensors;
      await fit(model, tinyPointwiseSource(data), { ...mfOptions, epochs: 2 });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      model.dispose();
    }
  });

  it('throws LOSS_NOT_FINITE when the loss becomes NaN', async () => {
    const model = scalarModel(0, { nanAfter: 2 });
    try {
      const err = await fit(model, labelSource([1, 2]), { epochs: 3, batchSize: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NcfError);
      expect((err as NcfError).code).toBe('LOSS_NOT_FINITE');
      expect((err as Error).message).toMatch(/epoch 2, batch 0/);
    } finally {
      model.dispose();
    }
  });
});

describe('fit() validation and early stopping', () => {
  it('validates every N epochs and after the last', async () => {
    const model = scalarModel(0);
    const validated: number[] = [];
    try {
      const result = await fit(model, labelSource([1]), {
        epochs: 5,
        batchSize: 1,
        validateEvery: 2,
        validate: async () => {
          validated.push(validated.length);
          return { m: validated.length };
        },
      });
      expect(result.history.map((r) => r.metrics?.m)).toEqual([undefined, 1, undefined, 2, 3]);
      expect(result.bestEpoch).toBe(5);
    } finally {
      model.dispose();
    }
  });

  it('stops after `patience` validations without improvement and restores the best weights (mode max)', async () => {
    const model = scalarModel(0);
    const script = [0.1, 0.3, 0.2, 0.25, 0.9];
    const weightsAt: number[] = [];
    try {
      const result = await fit(model, labelSource([1]), {
        epochs: 5,
        batchSize: 1,
        optimizer: { name: 'sgd', learningRate: 0.1 },
        validate: (m) => {
          weightsAt.push(m.variables()[0]!.variable.dataSync()[0]!);
          return { score: script[weightsAt.length - 1]! };
        },
        earlyStopping: { metric: 'score', patience: 2 },
      });
      expect(result.stoppedEarly).toBe(true);
      expect(result.epochsRun).toBe(4);
      expect(result.bestEpoch).toBe(2);
      expect(result.bestMetrics).toEqual({ score: 0.3 });
      expect(result.restoredBest).toBe(true);
      expect(model.variables()[0]!.variable.dataSync()[0]).toBe(weightsAt[1]);
      expect(result.training.metrics).toEqual({ score: 0.3 });
    } finally {
      model.dispose();
    }
  });

  it('minimises in mode min and honours minDelta', async () => {
    const model = scalarModel(0);
    const script = [1.0, 0.95, 0.5, 0.49, 0.48, 0.2];
    let k = 0;
    try {
      const result = await fit(model, labelSource([1]), {
        epochs: 6,
        batchSize: 1,
        validate: () => ({ err: script[k++]! }),
        earlyStopping: { metric: 'err', mode: 'min', patience: 2, minDelta: 0.1 },
      });
      // 0.95 is not 0.1 better than 1.0 (wait 1); 0.5 is (best, epoch 3); 0.49, 0.48 are not → stop at 5.
      expect(result.bestEpoch).toBe(3);
      expect(result.epochsRun).toBe(5);
      expect(result.stoppedEarly).toBe(true);
    } finally {
      model.dispose();
    }
  });

  it('throws ConfigError naming the metrics when the early-stopping metric is missing', async () => {
    const model = scalarModel(0);
    try {
      await expect(
        fit(model, labelSource([1]), {
          epochs: 2,
          validate: () => ({ 'hr@10': 1 }),
          earlyStopping: { metric: 'ndcg@10' },
        }),
      ).rejects.toThrow(/'ndcg@10' is not in the validation result \(got: hr@10\)/);
    } finally {
      model.dispose();
    }
  });
});

describe('fit() abort', () => {
  it('throws AbortError between batches and leaves the model usable without leaking', async () => {
    const model = referenceMfFactory.create(info, {}, { seed: 1 });
    const controller = new AbortController();
    try {
      const before = tf.memory().numTensors;
      const err = await fit(model, tinyPointwiseSource(data), {
        ...mfOptions,
        signal: controller.signal,
        onBatchEnd: (e) => {
          if (e.epoch === 2 && e.batch === 1) controller.abort();
        },
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AbortError);
      expect((err as Error).message).toMatch(/epoch 2 after 2 batches/);
      expect(tf.memory().numTensors).toBe(before);
      const scores = model.score(Int32Array.of(0, 1), Int32Array.of(2, 3));
      expect(scores.every(Number.isFinite)).toBe(true);
      await expect(fit(model, tinyPointwiseSource(data), { signal: controller.signal })).rejects.toThrow(
        AbortError,
      );
    } finally {
      model.dispose();
    }
  });

  it('notices an abort from a timer during a long synchronous epoch', async () => {
    const big = tinyData({ numUsers: 200, numItems: 64, perUser: 10 });
    const model = referenceMfFactory.create(tinyDatasetInfo(big), {}, { seed: 1 });
    try {
      const signal = AbortSignal.timeout(100);
      const started = performance.now();
      await expect(
        fit(model, tinyPointwiseSource(big), { epochs: 1000, batchSize: 8, signal }),
      ).rejects.toThrow(AbortError);
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      model.dispose();
    }
  });
});

describe('fit() checkpoints', () => {
  const validate = (m: { score: (u: Int32Array, i: Int32Array) => Float32Array }): Record<string, number> => {
    const s = m.score(Int32Array.of(0, 1, 2, 3), Int32Array.of(0, 1, 2, 3));
    return { probe: s.reduce((a, b) => a + b, 0) };
  };
  const options = (checkpointDir: string): FitOptions => ({
    ...mfOptions,
    epochs: 5,
    checkpointDir,
    validate,
    earlyStopping: { metric: 'probe', patience: 5 },
  });

  it('writes a checkpoint each epoch and resumes to the same result as an uninterrupted run', async () => {
    const full = referenceMfFactory.create(info, {}, { seed: 2 });
    const first = referenceMfFactory.create(info, {}, { seed: 2 });
    const second = referenceMfFactory.create(info, {}, { seed: 99 });
    try {
      const reference = await fit(full, tinyPointwiseSource(data), options(join(dir, 'full')));
      const ckDir = join(dir, 'interrupted');
      const controller = new AbortController();
      await expect(
        fit(first, tinyPointwiseSource(data), {
          ...options(ckDir),
          signal: controller.signal,
          onBatchEnd: (e) => {
            if (e.epoch === 3 && e.batch === 2) controller.abort();
          },
        }),
      ).rejects.toThrow(AbortError);
      const ck = JSON.parse(await readFile(join(ckDir, 'checkpoint.json'), 'utf8')) as {
        meta: { epoch: number };
      };
      expect(ck.meta.epoch).toBe(2);

      const resumed = await fit(second, tinyPointwiseSource(data), { ...options(ckDir), resume: true });
      expect(resumed.resumedFromEpoch).toBe(2);
      const strip = (h: typeof reference.history) => h.map(({ seconds: _s, ...r }) => r);
      expect(strip(resumed.history)).toEqual(strip(reference.history));
      expect(resumed.bestEpoch).toBe(reference.bestEpoch);
      const a = readModelWeights(full);
      const b = readModelWeights(second);
      a.forEach((w, k) => expect(b[k]!.values).toEqual(w.values));
    } finally {
      full.dispose();
      first.dispose();
      second.dispose();
    }
  });

  it('continues a finished run to more epochs exactly as one longer run, and replays an early stop', async () => {
    const straight = referenceMfFactory.create(info, {}, { seed: 4 });
    const staged = referenceMfFactory.create(info, {}, { seed: 4 });
    try {
      const plain: FitOptions = { ...mfOptions, epochs: 3 };
      await fit(straight, tinyPointwiseSource(data), plain);
      const ckDir = join(dir, 'longer');
      await fit(staged, tinyPointwiseSource(data), { ...plain, epochs: 2, checkpointDir: ckDir });
      const r = await fit(staged, tinyPointwiseSource(data), {
        ...plain,
        checkpointDir: ckDir,
        resume: true,
      });
      expect([r.resumedFromEpoch, r.epochsRun]).toEqual([2, 3]);
      readModelWeights(straight).forEach((w, k) =>
        expect(readModelWeights(staged)[k]!.values).toEqual(w.values),
      );

      let k = 0;
      const stopDir = join(dir, 'stopped');
      const stopping: FitOptions = {
        ...plain,
        epochs: 6,
        checkpointDir: stopDir,
        validate: () => ({ m: [1, 2, 1, 1, 5, 6][k++ % 6]! }),
        earlyStopping: { metric: 'm', patience: 2 },
      };
      const first = await fit(straight, tinyPointwiseSource(data), stopping);
      expect([first.stoppedEarly, first.bestEpoch, first.epochsRun]).toEqual([true, 2, 4]);
      const bestWeights = readModelWeights(straight);
      const again = await fit(staged, tinyPointwiseSource(data), { ...stopping, resume: true });
      expect([again.stoppedEarly, again.bestEpoch, again.epochsRun, again.restoredBest]).toEqual([
        true,
        2,
        4,
        true,
      ]);
      bestWeights.forEach((w, j) => expect(readModelWeights(staged)[j]!.values).toEqual(w.values));
    } finally {
      straight.dispose();
      staged.dispose();
    }
  });

  it('starts fresh when resume finds no checkpoint, and refuses to resume with different options', async () => {
    const model = referenceMfFactory.create(info, {}, { seed: 2 });
    const ckDir = join(dir, 'fresh');
    try {
      const r = await fit(model, tinyPointwiseSource(data), {
        ...mfOptions,
        epochs: 1,
        checkpointDir: ckDir,
        resume: true,
      });
      expect(r.resumedFromEpoch).toBe(0);
      const err = await fit(model, tinyPointwiseSource(data), {
        ...mfOptions,
        batchSize: 8,
        epochs: 2,
        checkpointDir: ckDir,
        resume: true,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/batchSize: checkpoint 16, now 8/);
    } finally {
      model.dispose();
    }
  });
});
