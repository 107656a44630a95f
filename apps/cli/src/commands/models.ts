import { FIT_DEFAULTS, type ModelRegistry } from '@ncf/core';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { cliRegistry } from '../wiring/registry.js';
import { MODEL_ALIASES, resolveModelKind } from '../wiring/train-model.js';

/** Options of `ncf models`. */
export interface ModelsCommandOptions extends GlobalOptions {
  /** One model kind (or alias) to describe in full; all kinds, one line each, when absent. */
  readonly kind?: string;
}

/**
 * The full description of one model kind: what it is, the training settings `ncf train` uses for it (the
 * factory's `trainingDefaults`, else fit()'s), the data it needs, and each config field with its default.
 */
export function describeModel(registry: ModelRegistry, name: string): string[] {
  const kind = resolveModelKind(name, registry);
  const f = registry.get(kind);
  const td = f.trainingDefaults ?? {};
  const spec = f.dataSpec();
  const from = (v: number | undefined, fallback: number | string): string =>
    v !== undefined ? `${v} (model's)` : `${fallback} (fit()'s)`;
  const lines = [
    `${kind}: ${f.description}`,
    'training defaults (flags and --config win):',
    `  --epochs ${from(td.epochs, FIT_DEFAULTS.epochs)}, --batch-size ${from(td.batchSize, FIT_DEFAULTS.batchSize)}, ` +
      `--learning-rate ${from(td.learningRate, FIT_DEFAULTS.optimizer.learningRate)}, ` +
      `--negatives ${spec.labels !== 'implicit' ? '(unused: no sampled negatives)' : td.negatives !== undefined ? `${td.negatives} (model's)` : "4 (@ncf/datasets')"}`,
    `data: ${spec.batch} batches${spec.labels ? ` with ${spec.labels} labels` : ''}${spec.inputs.length ? `, inputs ${spec.inputs.join(', ')}` : ''} (default config)`,
    'config fields (--model-config \'{"field": value}\'; defaults):',
  ];
  for (const [field, value] of Object.entries(f.defaults)) lines.push(`  ${field}: ${JSON.stringify(value)}`);
  return lines;
}

/**
 * `ncf models`: the registered model kinds, their short names, descriptions and default configs;
 * `ncf models <kind>`: one kind in full ({@link describeModel}).
 */
export async function runModels(options: ModelsCommandOptions, io: CliIo): Promise<void> {
  const registry = cliRegistry();
  if (options.kind !== undefined) {
    for (const line of describeModel(registry, options.kind)) io.out(line);
    return;
  }
  const aliases = new Map<string, string>();
  for (const [alias, kind] of Object.entries(MODEL_ALIASES)) if (!aliases.has(kind)) aliases.set(kind, alias);
  for (const kind of registry.kinds()) {
    const f = registry.get(kind);
    const alias = aliases.get(kind);
    io.out(`${kind}${alias ? ` (--model ${alias})` : ''}: ${f.description}`);
    io.out(`  defaults: ${JSON.stringify(f.defaults)}`);
    if (f.trainingDefaults) io.out(`  training defaults: ${JSON.stringify(f.trainingDefaults)}`);
  }
}
