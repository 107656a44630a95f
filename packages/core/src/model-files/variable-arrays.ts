import { tf } from '../tf.js';
import { ModelFileError } from '../errors.js';
import type { Recommender } from '../model.js';
import { DATASET_WEIGHT_PREFIX } from './dataset-json.js';
import type { NamedArray } from './weights-codec.js';

/** Copies every variable of `model` into typed arrays (named by {@link ModelVariable.name}). */
export function readModelWeights(model: Recommender): NamedArray[] {
  return model.variables().map((v) => {
    const data = v.variable.dataSync();
    const values = v.variable.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data);
    return { name: v.name, shape: [...v.variable.shape], values };
  });
}

/**
 * Assigns stored arrays to `model`'s variables by name, after checking that every variable has a stored
 * array of its shape and dtype and that no stored array is left over (dataset arrays excepted). Throws
 * ModelFileError naming `file`; on error no variable has been changed.
 */
export function assignModelWeights(
  model: Recommender,
  arrays: ReadonlyMap<string, NamedArray>,
  file: string,
): void {
  const vars = model.variables();
  const names = new Set<string>();
  for (const v of vars) {
    if (names.has(v.name))
      throw new ModelFileError(file, `model ${model.kind} has two variables named '${v.name}'`);
    names.add(v.name);
    const a = arrays.get(v.name);
    if (!a) throw new ModelFileError(file, `weight '${v.name}' of model ${model.kind} is missing`);
    const shape = v.variable.shape;
    if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
      throw new ModelFileError(
        file,
        `weight '${v.name}' has shape [${a.shape.join(', ')}] but model ${model.kind} expects [${shape.join(', ')}]`,
      );
    }
    const dtype = a.values instanceof Int32Array ? 'int32' : 'float32';
    if (dtype !== v.variable.dtype) {
      throw new ModelFileError(
        file,
        `weight '${v.name}' is ${dtype} but the variable is ${v.variable.dtype}`,
      );
    }
  }
  for (const name of arrays.keys()) {
    if (!names.has(name) && !name.startsWith(DATASET_WEIGHT_PREFIX)) {
      throw new ModelFileError(file, `weight '${name}' matches no variable of model ${model.kind}`);
    }
  }
  for (const v of vars) {
    const a = arrays.get(v.name)!;
    const t = tf.tensor(a.values, [...a.shape], v.variable.dtype as 'float32' | 'int32');
    v.variable.assign(t);
    t.dispose();
  }
}
