import {
  ConfigError,
  fit,
  type BatchSource,
  type FitOptions,
  type FitResult,
  type LearningRateSchedule,
  type ModelFactory,
  type ModelRegistry,
  type OptimizerConfig,
  type Recommender,
} from '@ncf/core';
import { graphSource, pairwiseSource, pointwiseSource } from '@ncf/datasets';
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

/**
 * What the data must carry for a model kind: item/user features for Basic NCF (which can read them), the
 * bipartite graph for models that consume graph batches (LightGCN).
 */
export function dataNeedsOf(kind: string, registry: ModelRegistry): { features: boolean; graph: boolean } {
  return { features: kind === 'ncf/basic', graph: registry.get(kind).batchKind === 'graph' };
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
  /** Sampled negatives per positive (pointwise implicit-feedback training). */
  readonly negatives?: number;
  readonly seed: number;
}

/**
 * The batch source a model consumes, built by @ncf/datasets from the training interactions: pointwise
 * (implicit labels with sampled negatives, or ratings for `loss: 'mse'`), pairwise, or graph triples.
 */
export function batchSourceFor(
  model: Recommender,
  data: PreparedData,
  negatives: number | undefined,
): BatchSource {
  const loss = (model.config as { loss?: unknown }).loss;
  switch (model.batchKind) {
    case 'pointwise':
      return loss === 'mse'
        ? pointwiseSource(data.train, { labels: 'rating' })
        : pointwiseSource(data.train, {
            labels: 'implicit',
            ...(negatives !== undefined ? { negatives } : {}),
          });
    case 'pairwise':
      return pairwiseSource(data.train);
    case 'graph':
      return graphSource(data.train);
    case 'user-history':
      throw new ConfigError(
        `the CLI cannot train ${model.kind} yet: it consumes user-history batches`,
        'model',
      );
  }
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

/** Trains `model` with core's fit(); `onProgress` draws progress, `signal` stops between batches. */
export async function trainModel(
  model: Recommender,
  data: PreparedData,
  settings: TrainSettings,
  hooks: Pick<FitOptions, 'onProgress' | 'signal' | 'validate' | 'validateEvery'> = {},
): Promise<FitResult> {
  const source = batchSourceFor(model, data, settings.negatives);
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
