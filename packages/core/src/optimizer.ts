import type { Tensor } from '@tensorflow/tfjs-core';
import type { ModelVariable } from './model.js';

/** The optimizers `fit()` offers. */
export type OptimizerName = 'adam' | 'sgd' | 'adagrad';

/** Optimizer settings. */
export interface OptimizerConfig {
  readonly name: OptimizerName;
  readonly learningRate: number;
  /** L2 penalty added to the gradient of every variable marked `regularize` (as `2·l2·w`, on touched rows for sparse tables). */
  readonly l2: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Initial accumulator value of Adagrad. */
  readonly initialAccumulator: number;
  /**
   * Sparse Adam tables only. `false`: plain lazy Adam (TensorFlow's LazyAdam) — a row's weights and moments
   * change only in steps that touch it. `true`: the updates dense Adam makes to a row in the steps that do not
   * touch it (its momentum, `Σ lr·m̂/(√v̂+ε)` over the idle steps with each step's bias corrections) are applied
   * in closed form, and `m`, `v` decay by `β1ᵏ`, `β2ᵏ`, when the row is next used: the train step calls
   * {@link Optimizer.catchUpRows} for the rows a batch looks up *before* its forward pass, so the batch's
   * gradient is taken at the weights dense Adam would have. The cost stays O(touched rows), and training equals
   * dense Adam's (PyTorch's) up to float rounding (tested; also against PyTorch on ML-100K) as long as the
   * learning rate does not change while a row is idle (`fit()` calls {@link Optimizer.flush} before changing it).
   */
  readonly lazyCatchUp: boolean;
}

/** Defaults: Adam with the usual betas, learning rate 0.001, no L2. */
export const OPTIMIZER_DEFAULTS: OptimizerConfig = {
  name: 'adam',
  learningRate: 0.001,
  l2: 0,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  initialAccumulator: 0.1,
  lazyCatchUp: true,
};

/**
 * One variable's gradient for a step. For a sparse table, `rows` lists the unique touched row indices and
 * `grad` has shape `[rows.length, dim]`; otherwise `grad` has the variable's shape.
 */
export interface GradientUpdate {
  readonly variable: ModelVariable;
  readonly grad: Tensor;
  readonly rows?: Int32Array;
}

/** Serialisable optimizer state for checkpoints: per-variable slot arrays keyed by variable name. */
export interface OptimizerState {
  readonly name: OptimizerName;
  readonly step: number;
  readonly slots: Record<string, Record<string, Float32Array>>;
}

/**
 * Applies gradients to variables. Sparse tables are updated lazily: only the given rows' weights and
 * slot values change (lazy Adam / sparse Adagrad semantics).
 */
export interface Optimizer {
  readonly config: OptimizerConfig;
  /** Applies one step. Does not dispose the gradient tensors. */
  apply(updates: readonly GradientUpdate[]): void;
  /** The learning rate of the next steps (`config.learningRate` until changed). */
  readonly learningRate: number;
  /** Changes the learning rate of the next steps (learning-rate schedules); a positive finite number. */
  setLearningRate(learningRate: number): void;
  /**
   * Lazy Adam with catch-up only (else a no-op): brings every row of the sparse tables to the current step,
   * applying the updates dense Adam would have made since each row's last update (momentum of idle steps), so
   * the weights equal dense Adam's at this point, not only the rows the last batches touched. O(table rows);
   * `fit()` calls it at the end of every epoch, before validation and checkpoints. Call it before using the
   * weights when driving the optimizer yourself.
   */
  flush(): void;
  /**
   * Lazy Adam with catch-up only (else a no-op): brings `rows` of the sparse `table` to the last completed step
   * (their pending idle-step updates, as in {@link Optimizer.flush}), so a forward pass that reads them sees the
   * weights dense Adam would have. The train step calls it for every sparse lookup; O(rows.length · dim).
   */
  catchUpRows(table: ModelVariable, rows: Int32Array): void;
  getState(): OptimizerState;
  setState(state: OptimizerState): void;
  dispose(): void;
}
