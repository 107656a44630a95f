import { describe, expect, it } from 'vitest';
import { recordingIo, runCli } from '../src/index.js';
import { DEMO_DEFAULTS } from '../src/commands/demo.js';
import { TRAIN_DEFAULTS } from '../src/commands/train.js';
import { cliRegistry } from '../src/wiring/registry.js';
import { trainSettingsFrom } from '../src/wiring/train-settings.js';

const registry = cliRegistry();

describe("training settings from the model's factory", () => {
  it("trains LightGCN at its paper's batch 2048 and lr 0.001 unless flags say otherwise", () => {
    const s = trainSettingsFrom({ model: 'lightgcn' }, registry, TRAIN_DEFAULTS);
    expect(s.batchSize).toBe(2048);
    expect(s.optimizer.learningRate).toBe(0.001);
    const flagged = trainSettingsFrom(
      { model: 'lightgcn', batchSize: '64', learningRate: 0.01 },
      registry,
      TRAIN_DEFAULTS,
    );
    expect(flagged.batchSize).toBe(64);
    expect(flagged.optimizer.learningRate).toBe(0.01);
  });

  it("keeps the NCF paper's settings for the NCF models, and the demo's own defaults in the demo", () => {
    const s = trainSettingsFrom({ model: 'neumf' }, registry, TRAIN_DEFAULTS);
    expect([s.batchSize, s.optimizer.learningRate, s.negatives]).toEqual([256, 0.001, 4]);
    const demo = trainSettingsFrom({ model: 'lightgcn' }, registry, DEMO_DEFAULTS);
    expect([demo.batchSize, demo.optimizer.learningRate]).toEqual([256, 0.005]);
  });

  it("lists a model's training defaults and config fields: `ncf models X` and `ncf train --model X --help`", async () => {
    const io = recordingIo();
    expect(await runCli(['models', 'lightgcn'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/^gnn\/lightgcn: LightGCN/m);
    expect(text).toContain("--batch-size 2048 (model's), --learning-rate 0.001 (model's)");
    expect(text).toMatch(/^ {2}embeddingSize: 64$/m);
    const help = recordingIo();
    expect(await runCli(['train', '--model', 'lightgcn', '--help'], help)).toBe(0);
    expect(help.stdout.join('\n')).toContain("--batch-size 2048 (model's)");
    const ncf = recordingIo();
    expect(await runCli(['train', '--model', 'mf', '--help'], ncf)).toBe(0);
    expect(ncf.stdout.join('\n')).toMatch(/--batch-size 256 \(model's\).*--negatives 4 \(model's\)/);
  });
});
