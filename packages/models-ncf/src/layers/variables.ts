import { tf } from '@ncf/core';
import type { ModelVariable } from '@ncf/core';

/** Flags of a {@link ModelVariable} other than its name and tensor. */
export interface VariableFlags {
  readonly sparse: boolean;
  readonly regularize: boolean;
  readonly trainable: boolean;
}

/**
 * Creates a {@link ModelVariable} holding `values` (row-major, `shape`). The tfjs variable gets an
 * engine-generated name (tfjs names are process-global); `name` is the model-local key used in weight files.
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

/** A copy of `source` under a new name and flags (used to initialise NeuMF from pretrained GMF/MLP weights). */
export function cloneModelVariable(
  name: string,
  source: ModelVariable,
  flags: VariableFlags,
  scale = 1,
): ModelVariable {
  const values = source.variable.dataSync() as Float32Array;
  const scaled = scale === 1 ? values.slice() : values.map((v) => v * scale);
  return createModelVariable(name, scaled, source.variable.shape, flags);
}
