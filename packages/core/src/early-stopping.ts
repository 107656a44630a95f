// Early stopping on a validation metric: which epoch is best so far, the patience count, and restoring the
// best epoch's weights when training ends.
import { ConfigError } from './errors.js';
import type { EarlyStoppingOptions, Metrics } from './fit-options.js';
import type { Recommender } from './model.js';
import { assignModelWeights, readModelWeights } from './model-files/variable-arrays.js';
import type { NamedArray } from './model-files/weights-codec.js';

/** The best validation so far: its epoch, its early-stopping metric (NaN without early stopping), all metrics. */
export interface BestEpoch {
  readonly epoch: number;
  readonly value: number;
  readonly metrics: Metrics;
}

/** What early stopping tracks across epochs (saved in and restored from fit's checkpoints). */
export interface EarlyStoppingState {
  best: BestEpoch | null;
  /** The best epoch's weights, kept when `restoreBest` is set. */
  bestWeights: NamedArray[] | undefined;
  /** Validations since the last improvement. */
  wait: number;
  stoppedEarly: boolean;
}

/** The state before the first validation. */
export function initialEarlyStopping(): EarlyStoppingState {
  return { best: null, bestWeights: undefined, wait: 0, stoppedEarly: false };
}

/**
 * Records the validation of `epoch` in `state`. With early stopping: an improvement by more than `minDelta`
 * (in the direction of `mode`) becomes the best (and its weights are copied when `restoreBest`), otherwise the
 * wait grows and reaching `patience` stops training. Without it, the latest validation is the best. Throws
 * {@link ConfigError} when the metric is not in `metrics`.
 */
export function recordValidation(
  state: EarlyStoppingState,
  es: Required<EarlyStoppingOptions> | undefined,
  epoch: number,
  metrics: Metrics,
  model: Recommender,
): void {
  const best = state.best;
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
      state.best = { epoch, value, metrics };
      if (es.restoreBest) state.bestWeights = readModelWeights(model);
      state.wait = 0;
    } else if (++state.wait >= es.patience) {
      state.stoppedEarly = true;
    }
  } else if (best === null || epoch >= best.epoch) {
    state.best = { epoch, value: Number.NaN, metrics };
  }
}

/**
 * At the end of training: assigns the best epoch's weights to `model` when `restoreBest` is set and the best
 * epoch is not the last one trained (`lastEpoch`). Returns whether it did.
 */
export function restoreBestWeights(
  model: Recommender,
  state: EarlyStoppingState,
  es: Required<EarlyStoppingOptions> | undefined,
  lastEpoch: number | undefined,
): boolean {
  const { best, bestWeights } = state;
  if (!(es?.restoreBest && best && bestWeights && lastEpoch !== undefined && best.epoch !== lastEpoch)) {
    return false;
  }
  assignModelWeights(model, new Map(bestWeights.map((a) => [a.name, a])), 'best weights');
  return true;
}
