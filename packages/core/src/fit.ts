import { currentBackend } from './backend.js';
import { batchLength, type BatchSource } from './batch.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { AbortError, ConfigError, DataError, ModelFileError, NcfError } from './errors.js';
import {
  resolveFitOptions,
  scheduledLearningRate,
  type EpochRecord,
  type FitOptions,
  type Metrics,
  type ResolvedFitOptions,
} from './fit-options.js';
import type { Recommender, TrainingMetadata } from './model.js';
import { assignModelWeights, readModelWeights } from './model-files/variable-arrays.js';
import type { NamedArray } from './model-files/weights-codec.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { createOptimizer } from './optimizers/create-optimizer.js';
import { createRng, type RngState } from './rng.js';
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

interface CheckpointMeta {
  readonly kind: string;
  readonly epoch: number;
  readonly fingerprint: Record<string, unknown>;
  readonly rng: { readonly shuffle: RngState; readonly step: RngState };
  readonly optimizer: {
    readonly name: string;
    readonly step: number;
    readonly slots: Record<string, string[]>;
  };
  readonly history: EpochRecord[];
  readonly best: { readonly epoch: number; readonly value: number; readonly metrics: Metrics } | null;
  readonly wait: number;
  readonly stoppedEarly: boolean;
}

const WEIGHTS = 'weights/';
const BEST = 'best/';
const SLOTS = 'optimizer/';

function fingerprint(
  model: Recommender,
  source: BatchSource,
  o: ResolvedFitOptions,
): Record<string, unknown> {
  return {
    kind: model.kind,
    source: { kind: source.kind, size: source.size },
    batchSize: o.batchSize,
    seed: o.seed,
    optimizer: o.optimizer,
    validateEvery: o.validateEvery,
    earlyStopping: o.earlyStopping ?? null,
  };
}

function describeDiff(a: unknown, b: unknown, path = ''): string | undefined {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = describeDiff(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
      );
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: checkpoint ${JSON.stringify(a)}, now ${JSON.stringify(b)}`;
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

function optimizerArrays(state: OptimizerState): { arrays: NamedArray[]; slots: Record<string, string[]> } {
  const arrays: NamedArray[] = [];
  const slots: Record<string, string[]> = {};
  for (const [variable, record] of Object.entries(state.slots)) {
    slots[variable] = Object.keys(record);
    for (const [slot, values] of Object.entries(record)) {
      arrays.push({ name: `${SLOTS}${variable}/${slot}`, shape: [values.length], values });
    }
  }
  return { arrays, slots };
}

function prefixed(arrays: readonly NamedArray[], prefix: string): NamedArray[] {
  return arrays.map((a) => ({ ...a, name: prefix + a.name }));
}

function unprefixed(arrays: ReadonlyMap<string, NamedArray>, prefix: string): Map<string, NamedArray> {
  const out = new Map<string, NamedArray>();
  for (const [name, a] of arrays) {
    if (name.startsWith(prefix))
      out.set(name.slice(prefix.length), { ...a, name: name.slice(prefix.length) });
  }
  return out;
}

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
    const fp = fingerprint(model, source, o);
    let history: EpochRecord[] = [];
    let best: { epoch: number; value: number; metrics: Metrics } | null = null;
    let bestWeights: NamedArray[] | undefined;
    let wait = 0;
    let stoppedEarly = false;
    let startEpoch = 0;

    if (o.resume && options.checkpointDir) {
      const ck = await readCheckpoint<CheckpointMeta>(options.checkpointDir);
      if (ck) {
        const m = ck.meta;
        if (m.kind !== model.kind) {
          throw new ModelFileError(
            options.checkpointDir,
            `checkpoint is of model kind '${m.kind}', not '${model.kind}'`,
          );
        }
        const diff = describeDiff(m.fingerprint, fp);
        if (diff) {
          throw new ConfigError(
            `cannot resume from ${options.checkpointDir}: options differ (${diff}); use the same options or another checkpointDir`,
            'resume',
          );
        }
        assignModelWeights(model, unprefixed(ck.arrays, WEIGHTS), options.checkpointDir);
        const slots: OptimizerState['slots'] = {};
        for (const [variable, names] of Object.entries(m.optimizer.slots)) {
          const rec: Record<string, Float32Array> = {};
          for (const name of names) {
            const a = ck.arrays.get(`${SLOTS}${variable}/${name}`);
            if (!a || !(a.values instanceof Float32Array)) {
              throw new ModelFileError(
                options.checkpointDir,
                `optimizer slot '${variable}/${name}' is missing`,
              );
            }
            rec[name] = a.values;
          }
          slots[variable] = rec;
        }
        optimizer.setState({ name: o.optimizer.name, step: m.optimizer.step, slots });
        shuffleRng.setState(m.rng.shuffle);
        stepRng.setState(m.rng.step);
        history = [...m.history];
        best = m.best;
        const bw = unprefixed(ck.arrays, BEST);
        bestWeights = bw.size > 0 ? [...bw.values()] : undefined;
        wait = m.wait;
        stoppedEarly = m.stoppedEarly;
        startEpoch = m.epoch;
      }
    }
    const resumedFromEpoch = startEpoch;
    const es = o.earlyStopping;
    let lastYield = performance.now();

    for (let epoch = startEpoch + 1; epoch <= o.epochs && !stoppedEarly; epoch++) {
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
        if (es) {
          const value = metrics[es.metric];
          if (value === undefined || Number.isNaN(value)) {
            throw new ConfigError(
              `earlyStopping.metric '${es.metric}' is not in the validation result (got: ${Object.keys(metrics).join(', ') || 'nothing'})`,
              'earlyStopping.metric',
            );
          }
          const better =
            best === null ||
            (es.mode === 'max' ? value > best.value + es.minDelta : value < best.value - es.minDelta);
          if (better) {
            best = { epoch, value, metrics };
            if (es.restoreBest) bestWeights = readModelWeights(model);
            wait = 0;
          } else if (++wait >= es.patience) {
            stoppedEarly = true;
          }
        } else if (best === null || epoch >= best.epoch) {
          best = { epoch, value: Number.NaN, metrics };
        }
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
        const opt = optimizerArrays(optimizer.getState());
        const meta: CheckpointMeta = {
          kind: model.kind,
          epoch,
          fingerprint: fp,
          rng: { shuffle: shuffleRng.getState(), step: stepRng.getState() },
          optimizer: { name: o.optimizer.name, step: optimizer.getState().step, slots: opt.slots },
          history,
          best,
          wait,
          stoppedEarly,
        };
        await writeCheckpoint(options.checkpointDir, {
          meta,
          arrays: [
            ...prefixed(readModelWeights(model), WEIGHTS),
            ...(bestWeights ? prefixed(bestWeights, BEST) : []),
            ...opt.arrays,
          ],
        });
        options.onProgress?.({
          type: 'checkpoint',
          epoch,
          dir: options.checkpointDir,
          elapsedSeconds: elapsed(),
        });
      }
    }

    const last = history[history.length - 1];
    let restoredBest = false;
    if (es?.restoreBest && best && bestWeights && last && best.epoch !== last.epoch) {
      assignModelWeights(model, new Map(bestWeights.map((a) => [a.name, a])), 'best weights');
      restoredBest = true;
    }
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
      stoppedEarly,
      restoredBest,
      seconds: elapsed(),
      resumedFromEpoch,
      training,
    };
  } finally {
    optimizer.dispose();
  }
}
