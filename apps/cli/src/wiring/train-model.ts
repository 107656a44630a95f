import {
  fit,
  type DataSpec,
  type FitOptions,
  type FitResult,
  type LearningRateSchedule,
  type ModelFactory,
  type ModelRegistry,
  type OptimizerConfig,
  type Recommender,
} from '@ncf/core';
import { batchSourceFor } from '@ncf/datasets';
import type { PreparedData } from './load-data.js';

/** Short model names the CLI accepts besides full registry kinds. */
export const MODEL_ALIASES: Readonly<Record<string, string>> = {
  mf: 'ncf/mf',
  gmf: 'ncf/gmf',
  mlp: 'ncf/mlp',
  neumf: 'ncf/neumf',
  basic: 'ncf/basic',
  'basic-ncf': 'ncf/basic',
};

/** The registry kind a `--model` value names (`neumf` → `ncf/neumf`); unknown names throw the registry's error. */
export function resolveModelKind(name: string, registry: ModelRegistry): string {
  if (registry.has(name)) return name;
  const alias = MODEL_ALIASES[name.toLowerCase()];
  if (alias && registry.has(alias)) return alias;
  for (const prefix of ['ncf/', 'gnn/']) if (registry.has(prefix + name)) return prefix + name;
  return registry.get(name).kind; // throws UnknownModelKindError listing the registered kinds
}

/** The training settings the CLI collects from flags and config files. */
export interface TrainSettings {
  readonly kind: string;
  /** Model config fields given by the user (the factory fills in its defaults and rejects unknown keys). */
  readonly modelConfig: Readonly<Record<string, unknown>>;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly optimizer: Partial<OptimizerConfig>;
  /** Per-epoch learning rates (`--lr-decay f`: `lr · f^(epoch − 1)`); the optimizer's rate throughout when absent. */
  readonly learningRateSchedule?: LearningRateSchedule;
  /** Sampled negatives per positive (training on implicit labels; other batches ignore it). */
  readonly negatives?: number;
  readonly seed: number;
}

/**
 * What the model of `settings` needs from the data: its factory's `dataSpec(config)`. The CLI loads data
 * with it (`loadData(..., { dataSpec })`) and never looks at a model's kind or config fields itself, so a
 * third-party model registered in the registry trains through the same path.
 */
export function dataSpecOf(
  registry: ModelRegistry,
  settings: Pick<TrainSettings, 'kind' | 'modelConfig'>,
): DataSpec {
  return registry.get(settings.kind).dataSpec(settings.modelConfig as Partial<object>);
}

/** Creates a model of `settings.kind` from the registry for the data's id space. */
export function createModel(
  registry: ModelRegistry,
  settings: TrainSettings,
  data: PreparedData,
): Recommender {
  const factory: ModelFactory<object> = registry.get(settings.kind);
  return factory.create(data.info, settings.modelConfig as Partial<object>, { seed: settings.seed });
}

/**
 * Trains `model` with core's fit() on the batches its data spec names, built by @ncf/datasets'
 * `batchSourceFor` from the training split; `onProgress` draws progress, `signal` stops between batches.
 */
export async function trainModel(
  model: Recommender,
  data: PreparedData,
  settings: TrainSettings,
  hooks: Pick<FitOptions, 'onProgress' | 'signal' | 'validate' | 'validateEvery'> = {},
): Promise<FitResult> {
  const source = batchSourceFor(model.dataSpec, data.train, {
    ...(settings.negatives !== undefined ? { negatives: settings.negatives } : {}),
  });
  const result = await fit(model, source, {
    seed: settings.seed,
    optimizer: settings.optimizer,
    ...(settings.epochs !== undefined ? { epochs: settings.epochs } : {}),
    ...(settings.batchSize !== undefined ? { batchSize: settings.batchSize } : {}),
    ...(settings.learningRateSchedule ? { learningRateSchedule: settings.learningRateSchedule } : {}),
    ...hooks,
  });
  return result;
}
