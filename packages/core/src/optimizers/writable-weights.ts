// A variable's weights as a writable Float32Array, in the backend's memory where possible, and the commit
// that makes the update visible: shared by every optimizer update and by lazy Adam's flush / catch-up.
import * as tf from '@tensorflow/tfjs-core';
import { copyToFresh, liveValues, markWritten, memoryKind, refCount } from '../kernels/memory.js';
import type { ModelVariable } from '../model.js';
import { bumpWeightsVersion } from '../weights-version.js';

/**
 * A variable's weights to update: on `wasm`/`cpu` a live view of its memory (in place; copied first when another
 * tensor shares that memory, so the other keeps its values), elsewhere a copy to assign back with
 * {@link commitWeights}. Take it after any allocation (wasm's heap may move on growth).
 */
export function writableWeights(variable: ModelVariable['variable']): { w: Float32Array; inPlace: boolean } {
  if (memoryKind() !== undefined && refCount(variable) > 1) {
    const fresh = tf.engine().makeTensorFromTensorInfo(copyToFresh(variable));
    variable.assign(fresh);
    fresh.dispose();
  }
  const live = liveValues(variable);
  if (live instanceof Float32Array) return { w: live, inPlace: true };
  return { w: (variable.dataSync() as Float32Array).slice(), inPlace: false };
}

/**
 * After an update of {@link writableWeights}' array: invalidate backend caches (in place) or assign the copy,
 * and bump the variable's weights version (in-place writes keep its data id, so caches watch the version).
 */
export function commitWeights(variable: ModelVariable['variable'], w: Float32Array, inPlace: boolean): void {
  bumpWeightsVersion(variable);
  if (inPlace) {
    markWritten(variable);
    return;
  }
  const next = tf.tensor(w, variable.shape, 'float32');
  variable.assign(next);
  next.dispose();
}
