import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { NcfError } from './errors.js';
import type { LossContext, ModelVariable } from './model.js';
import { createRng, type Rng } from './rng.js';

/** An id outside an embedding table's rows. */
export class IdOutOfRangeError extends NcfError {
  constructor(table: string, id: number, rows: number, position: number) {
    super(
      'ID_OUT_OF_RANGE',
      `id ${id} at position ${position} is outside table '${table}' rows [0, ${rows})`,
    );
  }
}

/** Throws {@link IdOutOfRangeError} unless every id is an index of `table`'s rows. O(ids). */
export function checkIds(table: ModelVariable, ids: Int32Array): void {
  const rows = table.variable.shape[0] ?? 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= rows) throw new IdOutOfRangeError(table.name, id, rows, i);
  }
}

/**
 * Rows `ids` of an embedding table, `[ids.length, dim]`, for inference and scoring (no gradient
 * bookkeeping). The caller owns (and disposes) the result; the temporary index tensor is freed here.
 */
export function lookupRows(table: ModelVariable, ids: Int32Array): Tensor2D {
  checkIds(table, ids);
  const idx = tf.tensor1d(ids, 'int32');
  const out = tf.gather(table.variable, idx) as Tensor2D;
  idx.dispose();
  return out;
}

/** Options of {@link denseLookupContext}. */
export interface DenseLookupOptions {
  /** Whether dropout and other training-time behaviour is on; default false. */
  readonly training?: boolean;
  /** Generator for training-time randomness; default a generator seeded with 0. */
  readonly rng?: Rng;
}

/**
 * A {@link LossContext} whose `lookup` is a plain gather ({@link lookupRows}). Use it to compute a loss
 * outside training (validation losses) or to share one code path between `loss()` and `score()`. Under a
 * gradient tape the gradient flows to the whole table (dense), which is right for `tf.grads` checks but not
 * for training: training uses the sparse context of {@link createTrainStep}.
 */
export function denseLookupContext(options: DenseLookupOptions = {}): LossContext {
  return {
    training: options.training ?? false,
    rng: options.rng ?? createRng(0),
    lookup: lookupRows,
  };
}
