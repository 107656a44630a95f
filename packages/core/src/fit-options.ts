import { ConfigError } from './errors.js';
import type { Recommender } from './model.js';
import { OPTIMIZER_DEFAULTS, type OptimizerConfig } from './optimizer.js';

/** Metrics returned by a validation function, e.g. `{ 'ndcg@10': 0.41, 'hr@10': 0.67 }`. */
export type Metrics = Readonly<Record<string, number>>;

/**
 * Validation hook of {@link fit}: computes metrics of the current model (core knows no metrics; `@ncf/eval`
 * provides evaluators). Called every `validateEvery` epochs and after the last epoch.
 */
export type ValidateFn = (model: Recommender) => Promise<Metrics> | Metrics;

/** Early stopping on a validation metric. */
export interface EarlyStoppingOptions {
  /** Name of the metric in the validation result, e.g. `ndcg@10`. */
  readonly metric: string;
  /** `max` when larger is better (default), `min` for losses and errors. */
  readonly mode?: 'max' | 'min';
  /** Validations without improvement before stopping (default 3). */
  readonly patience?: number;
  /** Improvement smaller than this does not count (default 0). */
  readonly minDelta?: number;
  /** Restore the weights of the best validation at the end (default true). */
  readonly restoreBest?: boolean;
}

/** Defaults of {@link EarlyStoppingOptions}. */
export const EARLY_STOPPING_DEFAULTS = {
  mode: 'max',
  patience: 3,
  minDelta: 0,
  restoreBest: true,
} as const satisfies Omit<Required<EarlyStoppingOptions>, 'metric'>;

/** Passed to `onBatchEnd` after every optimizer step. */
export interface BatchEndEvent {
  readonly epoch: number;
  /** 0-based index of the batch within the epoch. */
  readonly batch: number;
  /** Examples in the batch. */
  readonly size: number;
  readonly loss: number;
}

/** One epoch of the training history. */
export interface EpochRecord {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Mean training loss over the epoch's examples. */
  readonly loss: number;
  /** Validation metrics, when the epoch was validated. */
  readonly metrics?: Metrics;
  /** Wall time of the epoch (training + validation), seconds. */
  readonly seconds: number;
  /** Learning rate the epoch trained with (see {@link LearningRateSchedule}). */
  readonly learningRate?: number;
}

/** Progress events for drawing progress bars (the CLI draws them; \@ncf libraries never print). */
export type FitProgress =
  | {
      readonly type: 'batch';
      readonly epoch: number;
      readonly epochs: number;
      /** Examples trained so far in this epoch. */
      readonly examples: number;
      /** Examples per epoch (`source.size`). */
      readonly examplesPerEpoch: number;
      /** Running mean loss of this epoch. */
      readonly loss: number;
      readonly elapsedSeconds: number;
    }
  | {
      readonly type: 'validate';
      readonly epoch: number;
      readonly epochs: number;
      readonly elapsedSeconds: number;
    }
  | {
      readonly type: 'epoch';
      readonly epoch: number;
      readonly epochs: number;
      readonly record: EpochRecord;
      readonly elapsedSeconds: number;
    }
  | {
      readonly type: 'checkpoint';
      readonly epoch: number;
      readonly dir: string;
      readonly elapsedSeconds: number;
    };

/**
 * Learning rate per epoch (1-based) from the optimizer's `learningRate` (`base`):
 * - `{ type: 'step', every, factor }`: `base · factor^⌊(epoch − 1) / every⌋` (e.g. halve every 5 epochs);
 * - `{ type: 'exponential', factor }`: `base · factor^(epoch − 1)`;
 * - a function `(epoch, base) => lr`.
 * Set at the start of each epoch, so a resumed run gets the same rates.
 */
export type LearningRateSchedule =
  | { readonly type: 'step'; readonly every: number; readonly factor: number }
  | { readonly type: 'exponential'; readonly factor: number }
  | ((epoch: number, base: number) => number);

/** The learning rate of `epoch` (1-based) under `schedule`; `base` when there is none. */
export function scheduledLearningRate(
  schedule: LearningRateSchedule | undefined,
  epoch: number,
  base: number,
): number {
  let lr = base;
  if (typeof schedule === 'function') lr = schedule(epoch, base);
  else if (schedule?.type === 'step')
    lr = base * Math.pow(schedule.factor, Math.floor((epoch - 1) / schedule.every));
  else if (schedule?.type === 'exponential') lr = base * Math.pow(schedule.factor, epoch - 1);
  if (!(Number.isFinite(lr) && lr > 0)) {
    throw new ConfigError(
      `learningRateSchedule gave ${lr} for epoch ${epoch}; learning rates must be positive numbers`,
      'learningRateSchedule',
    );
  }
  return lr;
}

/** Options of {@link fit}. Every field is optional; defaults in {@link FIT_DEFAULTS}. */
export interface FitOptions {
  /** Number of epochs (default 10). */
  readonly epochs?: number;
  /** Examples per batch (default 256). */
  readonly batchSize?: number;
  /** Seed of shuffling, negative sampling and training-time randomness such as dropout (default 0). */
  readonly seed?: number;
  /** Optimizer (Adam, SGD, Adagrad) with learning rate and L2; missing fields take OPTIMIZER_DEFAULTS. */
  readonly optimizer?: Partial<OptimizerConfig>;
  /** Learning rate per epoch (default: the optimizer's `learningRate` throughout). */
  readonly learningRateSchedule?: LearningRateSchedule;
  /** Validation metrics of the current model; see {@link ValidateFn}. */
  readonly validate?: ValidateFn;
  /** Validate every N epochs (default 1); the last epoch is always validated. */
  readonly validateEvery?: number;
  /** Stop when a validation metric stops improving (needs `validate`). */
  readonly earlyStopping?: EarlyStoppingOptions;
  /** Stops training between batches with {@link AbortError}; the model stays usable. */
  readonly signal?: AbortSignal;
  readonly onBatchEnd?: (event: BatchEndEvent) => void;
  /** Called after each epoch (after validation, before the checkpoint). May be async. */
  readonly onEpochEnd?: (record: EpochRecord) => void | Promise<void>;
  readonly onProgress?: (event: FitProgress) => void;
  /** Directory for a checkpoint after every epoch (weights, optimizer state, RNG state, history). */
  readonly checkpointDir?: string;
  /** Continue from the checkpoint in `checkpointDir` if there is one (default false). */
  readonly resume?: boolean;
}

/** Defaults of {@link FitOptions}. */
export const FIT_DEFAULTS = {
  epochs: 10,
  batchSize: 256,
  seed: 0,
  optimizer: OPTIMIZER_DEFAULTS,
  validateEvery: 1,
  resume: false,
} as const;

/** {@link FitOptions} with defaults applied and values checked. */
export interface ResolvedFitOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly optimizer: OptimizerConfig;
  readonly validateEvery: number;
  readonly earlyStopping: Required<EarlyStoppingOptions> | undefined;
  readonly resume: boolean;
}

function positiveInt(value: number, field: string, allowZero = false): number {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new ConfigError(
      `${field} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}`,
      field,
    );
  }
  return value;
}

/** Applies defaults and validates; throws {@link ConfigError} naming the field. */
export function resolveFitOptions(options: FitOptions): ResolvedFitOptions {
  const epochs = positiveInt(options.epochs ?? FIT_DEFAULTS.epochs, 'epochs', true);
  const batchSize = positiveInt(options.batchSize ?? FIT_DEFAULTS.batchSize, 'batchSize');
  const seed = options.seed ?? FIT_DEFAULTS.seed;
  if (!Number.isFinite(seed)) throw new ConfigError(`seed must be a finite number, got ${seed}`, 'seed');
  const validateEvery = positiveInt(options.validateEvery ?? FIT_DEFAULTS.validateEvery, 'validateEvery');
  const schedule = options.learningRateSchedule;
  if (schedule !== undefined && typeof schedule !== 'function') {
    if (schedule.type === 'step') positiveInt(schedule.every, 'learningRateSchedule.every');
    else if (schedule.type !== 'exponential') {
      throw new ConfigError(
        `learningRateSchedule.type must be 'step' or 'exponential', got '${String((schedule as { type: unknown }).type)}'`,
        'learningRateSchedule.type',
      );
    }
    if (!(Number.isFinite(schedule.factor) && schedule.factor > 0)) {
      throw new ConfigError(
        `learningRateSchedule.factor must be a positive number, got ${schedule.factor}`,
        'learningRateSchedule.factor',
      );
    }
  }
  let earlyStopping: Required<EarlyStoppingOptions> | undefined;
  if (options.earlyStopping) {
    const es = { ...EARLY_STOPPING_DEFAULTS, ...options.earlyStopping };
    if (typeof es.metric !== 'string' || es.metric === '') {
      throw new ConfigError(
        'earlyStopping.metric must name a metric of the validation result',
        'earlyStopping.metric',
      );
    }
    if (es.mode !== 'max' && es.mode !== 'min') {
      throw new ConfigError(
        `earlyStopping.mode must be 'max' or 'min', got '${String(es.mode)}'`,
        'earlyStopping.mode',
      );
    }
    positiveInt(es.patience, 'earlyStopping.patience');
    if (!(es.minDelta >= 0)) {
      throw new ConfigError(
        `earlyStopping.minDelta must be ≥ 0, got ${es.minDelta}`,
        'earlyStopping.minDelta',
      );
    }
    if (!options.validate) {
      throw new ConfigError('earlyStopping needs a validate function to compute its metric', 'validate');
    }
    earlyStopping = es;
  }
  if (options.resume && !options.checkpointDir) {
    throw new ConfigError('resume: true needs checkpointDir', 'checkpointDir');
  }
  return {
    epochs,
    batchSize,
    seed,
    optimizer: { ...OPTIMIZER_DEFAULTS, ...options.optimizer },
    validateEvery,
    earlyStopping,
    resume: options.resume ?? FIT_DEFAULTS.resume,
  };
}
