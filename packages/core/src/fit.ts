import { currentBackend } from './backend.js';
import { batchLength, type BatchSource } from './batch.js';
import { initialEarlyStopping, recordValidation, restoreBestWeights } from './early-stopping.js';
import { AbortError, ConfigError, DataError, NcfError } from './errors.js';
import {
  fitFingerprint,
  restoreFitCheckpoint,
  writeFitCheckpoint,
  type FitRunState,
} from './fit-checkpoint.js';
import {
  resolveFitOptions,
  scheduledLearningRate,
  type EpochRecord,
  type FitOptions,
  type Metrics,
} from './fit-options.js';
import type { Recommender, TrainingMetadata } from './model.js';
import type { Optimizer } from './optimizer.js';
import { createOptimizer } from './optimizers/create-optimizer.js';
import { createRng } from './rng.js';
import { createTrainStep } from './train-step.js';

export * from './fit-options.js';

/** What {@link fit} returns. */
export interface FitResult {
  /** One record per epoch trained (including epochs restored from a checkpoint). */
  readonly history: readonly EpochRecord[];
  /** Epochs in `history`. */
  readonly epochsRun: number;
  /**
   * Epoch of the best validation by the early-stopping metric; without early stopping, the last validated
   * epoch; undefined when nothing was validated.
   */
  readonly bestEpoch: number | undefined;
  /** Metrics of that validation. */
  readonly bestMetrics: Metrics | undefined;
  /** Whether early stopping ended training before `epochs`. */
  readonly stoppedEarly: boolean;
  /** Whether the best epoch's weights were restored into the model at the end. */
  readonly restoredBest: boolean;
  /** Wall time of this call, seconds. */
  readonly seconds: number;
  /** Epochs restored from a checkpoint (0 when training started fresh). */
  readonly resumedFromEpoch: number;
  /** Metadata for model files (`model.save(dir, { training: result.training })`). */
  readonly training: TrainingMetadata;
}

function checkMetrics(metrics: unknown, epoch: number): Metrics {
  if (metrics === null || typeof metrics !== 'object') {
    throw new DataError(
      `validate() must return a record of metric numbers, got ${String(metrics)} (epoch ${epoch})`,
    );
  }
  for (const [k, v] of Object.entries(metrics)) {
    if (typeof v !== 'number')
      throw new DataError(`validate() returned a non-number for '${k}' (epoch ${epoch})`);
  }
  return { ...(metrics as Metrics) };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Trains `model` on `source` — the one training loop of @ncf, for every model family. Each epoch draws the
 * source's batches with a generator seeded from `options.seed` (shuffling, negative sampling) and applies one
 * optimizer step per batch (`createTrainStep`: sparse row updates for embedding tables); models that need a
 * different epoch (full-graph propagation) plug in through `model.hooks`. Validation runs every
 * `validateEvery` epochs through `options.validate`, with optional early stopping on one of its metrics and
 * restoring the best weights. With `checkpointDir` a checkpoint is written after every epoch; `resume: true`
 * continues from it and gives the same result as an uninterrupted run with the same options.
 *
 * Throws {@link ConfigError} for bad options or when `source.kind` differs from `model.dataSpec.batch`,
 * {@link AbortError} when `options.signal` aborts (the model keeps the weights of its last step), and
 * {@link NcfError} `LOSS_NOT_FINITE` when the loss becomes NaN or infinite.
 */
export async function fit(
  model: Recommender,
  source: BatchSource,
  options: FitOptions = {},
): Promise<FitResult> {
  const started = performance.now();
  const elapsed = (): number => (performance.now() - started) / 1000;
  const o = resolveFitOptions(options);
  const batchKind = model.dataSpec.batch;
  if (source.kind !== batchKind) {
    throw new ConfigError(
      `model ${model.kind} trains on '${batchKind}' batches but the source yields '${source.kind}' batches`,
      'source',
    );
  }
  const signal = options.signal;
  if (signal?.aborted) throw new AbortError('fit() was aborted before it started');

  const shuffleRng = createRng(o.seed);
  const stepRng = shuffleRng.fork();
  const optimizer: Optimizer = createOptimizer(o.optimizer);
  try {
    const trainStep = createTrainStep(model, optimizer, stepRng);
    const run: FitRunState = {
      optimizer,
      shuffleRng,
      stepRng,
      fingerprint: fitFingerprint(model, source, o),
    };
    let history: EpochRecord[] = [];
    let stopping = initialEarlyStopping();
    let startEpoch = 0;

    if (o.resume && options.checkpointDir) {
      const restored = await restoreFitCheckpoint(options.checkpointDir, model, run, o.optimizer.name);
      if (restored) {
        history = restored.history;
        stopping = restored.stopping;
        startEpoch = restored.epoch;
      }
    }
    const resumedFromEpoch = startEpoch;
    const es = o.earlyStopping;
    let lastYield = performance.now();

    for (let epoch = startEpoch + 1; epoch <= o.epochs && !stopping.stoppedEarly; epoch++) {
      if (signal?.aborted) throw new AbortError(`fit() was aborted before epoch ${epoch}`);
      const epochStart = performance.now();
      const learningRate = scheduledLearningRate(
        options.learningRateSchedule,
        epoch,
        o.optimizer.learningRate,
      );
      optimizer.setLearningRate(learningRate);
      model.hooks?.beforeEpoch?.(epoch);
      let sum = 0;
      let count = 0;
      let index = 0;
      for (const batch of source.batches(o.batchSize, shuffleRng)) {
        if (signal?.aborted)
          throw new AbortError(`fit() was aborted in epoch ${epoch} after ${index} batches`);
        if (batch.kind !== batchKind) {
          throw new DataError(
            `source yielded a '${batch.kind}' batch; model ${model.kind} needs '${batchKind}'`,
          );
        }
        const size = batchLength(batch);
        if (size === 0) continue;
        const loss = trainStep(batch);
        if (!Number.isFinite(loss)) {
          throw new NcfError(
            'LOSS_NOT_FINITE',
            `training loss became ${loss} at epoch ${epoch}, batch ${index}: lower the learning rate or check the data`,
          );
        }
        model.hooks?.afterStep?.();
        sum += loss * size;
        count += size;
        options.onBatchEnd?.({ epoch, batch: index, size, loss });
        options.onProgress?.({
          type: 'batch',
          epoch,
          epochs: o.epochs,
          examples: count,
          examplesPerEpoch: source.size,
          loss: sum / count,
          elapsedSeconds: elapsed(),
        });
        index++;
        if (performance.now() - lastYield > 50) {
          // Let timers and abort signals run during long epochs.
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      if (count === 0) throw new DataError(`source yielded no examples in epoch ${epoch}`);
      // Lazy Adam: give every idle row its pending momentum, so validation, checkpoints and the returned model
      // see dense Adam's weights (and no catch-up spans two epochs' learning rates).
      optimizer.flush();
      model.hooks?.afterEpoch?.(epoch);

      let metrics: Metrics | undefined;
      if (options.validate && (epoch % o.validateEvery === 0 || epoch === o.epochs)) {
        options.onProgress?.({ type: 'validate', epoch, epochs: o.epochs, elapsedSeconds: elapsed() });
        metrics = checkMetrics(await options.validate(model), epoch);
        recordValidation(stopping, es, epoch, metrics, model);
      }
      const record: EpochRecord = {
        epoch,
        loss: sum / count,
        ...(metrics ? { metrics } : {}),
        seconds: (performance.now() - epochStart) / 1000,
        learningRate,
      };
      history.push(record);
      await options.onEpochEnd?.(record);
      options.onProgress?.({ type: 'epoch', epoch, epochs: o.epochs, record, elapsedSeconds: elapsed() });

      if (options.checkpointDir) {
        await writeFitCheckpoint(
          options.checkpointDir,
          model,
          run,
          o.optimizer.name,
          epoch,
          history,
          stopping,
        );
        options.onProgress?.({
          type: 'checkpoint',
          epoch,
          dir: options.checkpointDir,
          elapsedSeconds: elapsed(),
        });
      }
    }

    const last = history[history.length - 1];
    const restoredBest = restoreBestWeights(model, stopping, es, last?.epoch);
    const best = stopping.best;
    const bestMetrics = best?.metrics;
    const training: TrainingMetadata = {
      epochs: history.length,
      seed: o.seed,
      ...(currentBackend() ? { backend: currentBackend()!.name } : {}),
      ...(last ? { finalLoss: last.loss } : {}),
      ...(bestMetrics ? { metrics: bestMetrics } : {}),
      batchSize: o.batchSize,
      optimizer: o.optimizer,
      // A declarative schedule is recorded; a function is not serialisable.
      ...(options.learningRateSchedule && typeof options.learningRateSchedule !== 'function'
        ? { learningRateSchedule: options.learningRateSchedule }
        : {}),
      ...(best && es ? { bestEpoch: best.epoch } : {}),
    };
    return {
      history,
      epochsRun: history.length,
      bestEpoch: best?.epoch,
      bestMetrics,
      stoppedEarly: stopping.stoppedEarly,
      restoredBest,
      seconds: elapsed(),
      resumedFromEpoch,
      training,
    };
  } finally {
    optimizer.dispose();
  }
}
