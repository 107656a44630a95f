import { ConfigError, type ModelRegistry, type OptimizerName } from '@ncf/core';
import { toChoice, toNumber, toOptionalNumber } from '../option-values.js';
import { resolveModelKind, type TrainSettings } from './train-model.js';

/** The training flags of `ncf train` and `ncf demo`, as commander or a config file hands them over. */
export interface TrainFlags {
  readonly model?: unknown;
  readonly modelConfig?: unknown;
  readonly epochs?: unknown;
  readonly batchSize?: unknown;
  readonly learningRate?: unknown;
  readonly lrDecay?: unknown;
  readonly optimizer?: unknown;
  readonly l2?: unknown;
  readonly factors?: unknown;
  readonly layers?: unknown;
  readonly loss?: unknown;
  readonly negatives?: unknown;
  readonly seed?: unknown;
}

function parseModelConfig(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (cause) {
      throw new ConfigError(
        `--model-config must be a JSON object, e.g. '{"factors":16}': ${(cause as Error).message}`,
        'modelConfig',
        { cause },
      );
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('--model-config must be a JSON object of model config fields', 'modelConfig');
  }
  return { ...(parsed as Record<string, unknown>) };
}

function parseLayers(value: unknown): number[] {
  const parts = Array.isArray(value) ? value : String(value).split(',');
  const layers = parts.map((p) =>
    toNumber(typeof p === 'string' ? p.trim() : p, 'layers', { integer: true, min: 1 }),
  );
  if (layers.length === 0)
    throw new ConfigError('--layers needs at least one width, e.g. 64,32,16,8', 'layers');
  return layers;
}

/**
 * Turns training flags into {@link TrainSettings}: the model kind resolved in the registry, model config
 * fields from `--model-config` overridden by `--factors`, `--layers`, `--loss` (the factory checks them and
 * rejects fields its model does not have), fit options and the optimizer. Values are validated here so a
 * bad flag is a one-line ConfigError naming it.
 *
 * Batch size, learning rate, epochs and negatives come from, in order: the flag (or config file), the
 * command's `defaults` (`ncf demo` keeps its fast synthetic-data settings), the model factory's
 * `trainingDefaults` (e.g. LightGCN's batch 2048, lr 0.001), then fit()'s and @ncf/datasets' own defaults.
 */
export function trainSettingsFrom(
  flags: TrainFlags,
  registry: ModelRegistry,
  defaults: { model: string; epochs?: number; batchSize?: number; learningRate?: number },
): TrainSettings {
  const kind = resolveModelKind(typeof flags.model === 'string' ? flags.model : defaults.model, registry);
  const recommended = registry.get(kind).trainingDefaults ?? {};
  const modelConfig = parseModelConfig(flags.modelConfig);
  const factors = toOptionalNumber(flags.factors, 'factors', { integer: true, min: 1 });
  if (factors !== undefined) modelConfig.factors = factors;
  if (flags.layers !== undefined) {
    // A tower (`64,32,16,8`) for the NCF models; a count of propagation layers (`3`) for graph models.
    const layers = parseLayers(flags.layers);
    modelConfig.layers =
      typeof (registry.get(kind).defaults as { layers?: unknown }).layers === 'number' && layers.length === 1
        ? layers[0]
        : layers;
  }
  if (flags.loss !== undefined)
    modelConfig.loss = toChoice(flags.loss, 'loss', ['bce', 'mse', 'bpr'] as const);
  const epochs =
    toOptionalNumber(flags.epochs, 'epochs', { integer: true, min: 1 }) ??
    defaults.epochs ??
    recommended.epochs;
  const batchSize =
    toOptionalNumber(flags.batchSize, 'batchSize', { integer: true, min: 1 }) ??
    defaults.batchSize ??
    recommended.batchSize;
  const learningRate =
    toOptionalNumber(flags.learningRate, 'learningRate', { min: 0 }) ??
    defaults.learningRate ??
    recommended.learningRate;
  const lrDecay = toOptionalNumber(flags.lrDecay, 'lrDecay', { min: 0 });
  if (lrDecay !== undefined && !(lrDecay > 0 && lrDecay <= 1)) {
    throw new ConfigError(`--lr-decay must be a factor in (0, 1], got ${lrDecay}`, 'lrDecay');
  }
  const l2 = toOptionalNumber(flags.l2, 'l2', { min: 0 });
  const name =
    flags.optimizer === undefined
      ? undefined
      : toChoice<OptimizerName>(flags.optimizer, 'optimizer', ['adam', 'sgd', 'adagrad']);
  const negatives =
    toOptionalNumber(flags.negatives, 'negatives', { integer: true, min: 0 }) ?? recommended.negatives;
  return {
    kind,
    modelConfig,
    ...(epochs !== undefined ? { epochs } : {}),
    ...(batchSize !== undefined ? { batchSize } : {}),
    optimizer: {
      ...(name ? { name } : {}),
      ...(learningRate !== undefined ? { learningRate } : {}),
      ...(l2 !== undefined ? { l2 } : {}),
    },
    ...(lrDecay !== undefined && lrDecay !== 1
      ? { learningRateSchedule: { type: 'exponential' as const, factor: lrDecay } }
      : {}),
    ...(negatives !== undefined ? { negatives } : {}),
    seed: toNumber(flags.seed ?? 42, 'seed', { integer: true, min: 0 }),
  };
}
