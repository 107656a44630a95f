import * as tf from '@tensorflow/tfjs-core';
import type { ModelVariable } from '../model.js';

/** Flags of a {@link ModelVariable} other than its name and tensor. */
export interface VariableFlags {
  readonly sparse: boolean;
  readonly regularize: boolean;
  readonly trainable: boolean;
}

/**
 * A {@link ModelVariable} holding `values` (row-major, `shape`). The tfjs variable gets an engine-generated
 * name (tfjs names are process-global); `name` is the model-local key used in weight files. The caller owns
 * the variable (dispose it with the model).
 */
export function createModelVariable(
  name: string,
  values: Float32Array,
  shape: readonly number[],
  flags: VariableFlags,
): ModelVariable {
  const initial = tf.tensor(values, [...shape], 'float32');
  const variable = tf.variable(initial, flags.trainable);
  initial.dispose();
  return { name, variable, sparse: flags.sparse, regularize: flags.regularize, trainable: flags.trainable };
}
