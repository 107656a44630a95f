import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MissingDataInputError,
  ModelRegistry,
  defaultRegistry,
  fit,
  initBackend,
  loadModel,
  tf,
} from '@ncf/core';
import { describeModelConformance, tinyDatasetInfoFor, type TinyData } from '@ncf/core/testing';
import { batchSourceFor, datasetInfoFor, interactionsFromArrays } from '@ncf/datasets';
import {
  BIAS_DOT_KIND,
  ITEM_POPULARITY_INPUT,
  biasDotFactory,
  itemPopularityInput,
  registerBiasDot,
} from '@ncf/example-custom-model';
import { recordingIo, runCli } from '../src/index.js';
import { loadData } from '../src/wiring/load-data.js';
import { cliRegistry } from '../src/wiring/registry.js';
import { createModel, dataSpecOf, trainModel, type TrainSettings } from '../src/wiring/train-model.js';

// examples/custom-model: a model written only against @ncf/core and @ncf/datasets. It declares its data
// needs, passes the conformance kit, trains through fit(), and through the CLI's wiring and commands, which
// know nothing about it beyond the registry.

// The kit builds what the spec names; the custom input it cannot invent comes through `info`.
const popularity = (data: TinyData) => {
  const counts = new Float32Array(data.numItems);
  for (const i of data.items) counts[i]! += 1;
  return { type: 'dense' as const, names: ['count'], rows: data.numItems, dim: 1, values: counts };
};
describeModelConformance(biasDotFactory, { config: { factors: 4 }, backends: ['cpu'] });
describeModelConformance(biasDotFactory, { config: { factors: 4, loss: 'bpr' }, backends: ['cpu'] });
describeModelConformance(biasDotFactory, {
  config: { factors: 4, popularityPrior: true },
  backends: ['cpu'],
  info: (data, spec) => ({
    ...tinyDatasetInfoFor({ ...spec, inputs: [] }, data),
    inputs: { [ITEM_POPULARITY_INPUT]: popularity(data) },
  }),
});

const root = mkdtempSync(path.join(tmpdir(), 'ncf-custom-model-'));
const previousDataDir = process.env.NCF_DATA_DIR;
beforeAll(async () => {
  process.env.NCF_DATA_DIR = path.join(root, 'cache');
  await initBackend('wasm');
});
afterAll(() => {
  if (previousDataDir === undefined) delete process.env.NCF_DATA_DIR;
  else process.env.NCF_DATA_DIR = previousDataDir;
  rmSync(root, { recursive: true, force: true });
});

describe('a third-party model (examples/custom-model)', () => {
  it('declares its data needs as a function of its config', () => {
    expect(biasDotFactory.dataSpec()).toEqual({ batch: 'pointwise', labels: 'implicit', inputs: [] });
    expect(biasDotFactory.dataSpec({ loss: 'bpr', popularityPrior: true })).toEqual({
      batch: 'pairwise',
      inputs: ['itemPopularity'],
    });
    expect(() => biasDotFactory.dataSpec({ factors: 0 })).toThrow(/factors must be a positive integer/);
  });

  it('trains through fit() with its custom input, which a saved file carries back', async () => {
    // users 0–3 like items 0–3, users 4–7 like items 4–7
    const users: number[] = [];
    const items: number[] = [];
    for (let u = 0; u < 8; u++) {
      for (let k = 0; k < 3; k++) {
        users.push(u);
        items.push((u < 4 ? 0 : 4) + ((u + k) % 4)); // user u misses its group's item (u + 3) mod 4
      }
    }
    const train = interactionsFromArrays({ users: Int32Array.from(users), items: Int32Array.from(items) });
    const config = { factors: 4, popularityPrior: true };
    const spec = biasDotFactory.dataSpec(config);
    expect(() => datasetInfoFor(spec, train)).toThrow(MissingDataInputError);
    const info = datasetInfoFor(spec, train, {
      inputs: { [ITEM_POPULARITY_INPUT]: itemPopularityInput(train) },
    });
    // every item was liked 3 times: log(1 + 3)
    expect(
      info.inputs!.itemPopularity!.type === 'dense' && info.inputs!.itemPopularity!.values[0],
    ).toBeCloseTo(Math.log(4), 6);
    const model = biasDotFactory.create(info, config, { seed: 3 });
    const before = tf.memory().numTensors;
    const result = await fit(model, batchSourceFor(spec, train, { negatives: 2 }), {
      epochs: 15,
      batchSize: 16,
      seed: 1,
      optimizer: { name: 'adam', learningRate: 0.05 },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.history.at(-1)!.loss).toBeLessThan(result.history[0]!.loss * 0.8);
    // user 0 now prefers its own group's unseen item 3 to the other group's item 7
    const [own, other] = model.score(Int32Array.of(0, 0), Int32Array.of(3, 7));
    expect(own).toBeGreaterThan(other!);
    const dir = path.join(root, 'fit');
    await model.save(dir);
    const loaded = await loadModel(dir, { registry: registerBiasDot(new ModelRegistry()) });
    try {
      expect(loaded.info.inputs).toEqual(info.inputs);
      expect(loaded.dataSpec).toEqual(spec);
      expect(loaded.score(Int32Array.of(0, 5), Int32Array.of(3, 6))).toEqual(
        model.score(Int32Array.of(0, 5), Int32Array.of(3, 6)),
      );
    } finally {
      loaded.dispose();
      model.dispose();
    }
  });

  it("trains through the CLI's wiring functions once registered", async () => {
    const registry = registerBiasDot(cliRegistry());
    const settings: TrainSettings = {
      kind: BIAS_DOT_KIND,
      modelConfig: { factors: 4, loss: 'bpr' },
      epochs: 2,
      optimizer: { name: 'adam', learningRate: 0.01 },
      seed: 5,
    };
    const data = await loadData(
      { source: 'synthetic', users: 40, items: 60, seed: 3 },
      { seed: 5, dataDir: path.join(root, 'wiring-data'), dataSpec: dataSpecOf(registry, settings) },
    );
    const model = createModel(registry, settings, data);
    try {
      expect(model.dataSpec).toEqual({ batch: 'pairwise', inputs: [] });
      const result = await trainModel(model, data, settings);
      expect(result.epochsRun).toBe(2);
      expect(result.history.every((h) => Number.isFinite(h.loss))).toBe(true);
    } finally {
      model.dispose();
    }
  });

  it('trains, evaluates, recommends and describes through the ncf commands, unchanged', async () => {
    registerBiasDot(defaultRegistry); // the CLI's registry is core's default registry
    const dir = path.join(root, 'cli-model');
    const run = async (...argv: string[]) => {
      const io = recordingIo();
      const code = await runCli(['--backend', 'wasm', ...argv], io);
      expect(io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
      expect(code).toBe(0);
      return io.stdout.join('\n');
    };
    const trainArgs = ['--data', 'synthetic:40x60:3', '--epochs', '1', '--out', dir];
    await run(
      'train',
      '--model',
      BIAS_DOT_KIND,
      '--loss',
      'bpr',
      '--model-config',
      '{"factors":4}',
      ...trainArgs,
    );
    expect(await run('evaluate', '--model-dir', dir)).toMatch(/^example\/bias-dot +all +40 /m);
    expect(await run('recommend', '--model-dir', dir, '--user', '1', '-k', '3')).toMatch(/ 1 +\d+ /);
    expect(await run('info', dir)).toContain(
      'example/bias-dot (format version 2, pairwise batches, no inputs)',
    );
  });
});
