// fit()'s checkpoint of a training run, in the checkpoint format of checkpoint.ts: the model's weights, the
// optimizer's slots, the generators' states, the history and early stopping's state, so `resume` continues a
// run exactly; and the options fingerprint a resumed run must match.
import type { BatchSource } from './batch.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import type { EarlyStoppingState } from './early-stopping.js';
import { ConfigError, ModelFileError } from './errors.js';
import type { EpochRecord, Metrics, ResolvedFitOptions } from './fit-options.js';
import type { Recommender } from './model.js';
import { assignModelWeights, readModelWeights } from './model-files/variable-arrays.js';
import type { NamedArray } from './model-files/weights-codec.js';
import type { Optimizer, OptimizerName, OptimizerState } from './optimizer.js';
import type { Rng, RngState } from './rng.js';

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

/** What a training run holds besides the model: saved with it and restored on `resume`. */
export interface FitRunState {
  readonly optimizer: Optimizer;
  readonly shuffleRng: Rng;
  readonly stepRng: Rng;
  /** The options a resumed run must match ({@link fitFingerprint}). */
  readonly fingerprint: Record<string, unknown>;
}

/** The options that must not change between a checkpoint and the run that resumes from it. */
export function fitFingerprint(
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

/** A run restored from a checkpoint: the last epoch it completed, its history and early stopping's state. */
export interface RestoredFit {
  readonly epoch: number;
  readonly history: EpochRecord[];
  readonly stopping: EarlyStoppingState;
}

/**
 * Restores the run checkpointed in `dir` into `model`, the optimizer and both generators; `undefined` when
 * `dir` holds no checkpoint. Throws {@link ModelFileError} for another model kind or a missing optimizer slot,
 * and {@link ConfigError} naming the first differing option when the fingerprint differs.
 */
export async function restoreFitCheckpoint(
  dir: string,
  model: Recommender,
  run: FitRunState,
  optimizerName: OptimizerName,
): Promise<RestoredFit | undefined> {
  const ck = await readCheckpoint<CheckpointMeta>(dir);
  if (!ck) return undefined;
  const m = ck.meta;
  if (m.kind !== model.kind) {
    throw new ModelFileError(dir, `checkpoint is of model kind '${m.kind}', not '${model.kind}'`);
  }
  const diff = describeDiff(m.fingerprint, run.fingerprint);
  if (diff) {
    throw new ConfigError(
      `cannot resume from ${dir}: options differ (${diff}); use the same options or another checkpointDir`,
      'resume',
    );
  }
  assignModelWeights(model, unprefixed(ck.arrays, WEIGHTS), dir);
  const slots: OptimizerState['slots'] = {};
  for (const [variable, names] of Object.entries(m.optimizer.slots)) {
    const rec: Record<string, Float32Array> = {};
    for (const name of names) {
      const a = ck.arrays.get(`${SLOTS}${variable}/${name}`);
      if (!a || !(a.values instanceof Float32Array)) {
        throw new ModelFileError(dir, `optimizer slot '${variable}/${name}' is missing`);
      }
      rec[name] = a.values;
    }
    slots[variable] = rec;
  }
  run.optimizer.setState({ name: optimizerName, step: m.optimizer.step, slots });
  run.shuffleRng.setState(m.rng.shuffle);
  run.stepRng.setState(m.rng.step);
  const bw = unprefixed(ck.arrays, BEST);
  return {
    epoch: m.epoch,
    history: [...m.history],
    stopping: {
      best: m.best,
      bestWeights: bw.size > 0 ? [...bw.values()] : undefined,
      wait: m.wait,
      stoppedEarly: m.stoppedEarly,
    },
  };
}

/**
 * Writes the run after `epoch` to `dir` (atomically replacing the previous checkpoint): the model's weights,
 * the best epoch's weights when kept, the optimizer's slots and step, the generators' states, the history and
 * early stopping's state.
 */
export async function writeFitCheckpoint(
  dir: string,
  model: Recommender,
  run: FitRunState,
  optimizerName: OptimizerName,
  epoch: number,
  history: EpochRecord[],
  stopping: EarlyStoppingState,
): Promise<void> {
  const opt = optimizerArrays(run.optimizer.getState());
  const meta: CheckpointMeta = {
    kind: model.kind,
    epoch,
    fingerprint: run.fingerprint,
    rng: { shuffle: run.shuffleRng.getState(), step: run.stepRng.getState() },
    optimizer: { name: optimizerName, step: run.optimizer.getState().step, slots: opt.slots },
    history,
    best: stopping.best,
    wait: stopping.wait,
    stoppedEarly: stopping.stoppedEarly,
  };
  await writeCheckpoint(dir, {
    meta,
    arrays: [
      ...prefixed(readModelWeights(model), WEIGHTS),
      ...(stopping.bestWeights ? prefixed(stopping.bestWeights, BEST) : []),
      ...opt.arrays,
    ],
  });
}
