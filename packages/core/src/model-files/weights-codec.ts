import type { io } from '@tensorflow/tfjs-core';
import { ModelFileError } from '../errors.js';

/**
 * Encoding of named typed arrays in tfjs's weights format: values concatenated in manifest order as
 * little-endian binary, described by `WeightsManifestEntry` specs (`name`, `shape`, `dtype`). Working on typed
 * arrays rather than tensors lets checkpoints and model files be written without allocating tensors; the
 * bytes are exactly what `tf.io.encodeWeights` would produce (tested).
 */

/** One named array to store. */
export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array | Int32Array;
}

/** Encoded arrays: specs for the manifest and the concatenated bytes. */
export interface EncodedArrays {
  readonly specs: io.WeightsManifestEntry[];
  readonly data: Uint8Array;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Encodes arrays in tfjs's weights format. Throws ModelFileError on a duplicate name or a shape/size mismatch. */
export function encodeArrays(arrays: readonly NamedArray[], file = 'weights'): EncodedArrays {
  const seen = new Set<string>();
  let bytes = 0;
  for (const a of arrays) {
    if (seen.has(a.name)) throw new ModelFileError(file, `duplicate weight name '${a.name}'`);
    seen.add(a.name);
    if (sizeOf(a.shape) !== a.values.length) {
      throw new ModelFileError(
        file,
        `weight '${a.name}' has ${a.values.length} values but shape [${a.shape.join(', ')}] needs ${sizeOf(a.shape)}`,
      );
    }
    bytes += a.values.byteLength;
  }
  const data = new Uint8Array(bytes);
  const specs: io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const a of arrays) {
    data.set(new Uint8Array(a.values.buffer, a.values.byteOffset, a.values.byteLength), offset);
    offset += a.values.byteLength;
    specs.push({
      name: a.name,
      shape: [...a.shape],
      dtype: a.values instanceof Int32Array ? 'int32' : 'float32',
    });
  }
  return { specs, data };
}

/** Number of bytes the specs describe; throws ModelFileError on an unsupported dtype, quantisation or bad shape. */
export function specsByteLength(specs: readonly io.WeightsManifestEntry[], file: string): number {
  let bytes = 0;
  for (const s of specs) {
    if (typeof s.name !== 'string' || !Array.isArray(s.shape)) {
      throw new ModelFileError(file, `weights manifest entry ${JSON.stringify(s)} needs a name and a shape`);
    }
    if (s.dtype !== 'float32' && s.dtype !== 'int32') {
      throw new ModelFileError(
        file,
        `weight '${s.name}' has dtype '${String(s.dtype)}'; expected float32 or int32`,
      );
    }
    if (s.quantization)
      throw new ModelFileError(file, `weight '${s.name}' is quantised; @ncf stores plain weights`);
    for (const d of s.shape) {
      if (!Number.isInteger(d) || d < 0) {
        throw new ModelFileError(file, `weight '${s.name}' has a bad shape [${s.shape.join(', ')}]`);
      }
    }
    bytes += sizeOf(s.shape) * 4;
  }
  return bytes;
}

/**
 * Decodes bytes written by {@link encodeArrays} (or tfjs, for float32/int32 weights) into named typed arrays
 * (copies, 4-byte aligned). Throws ModelFileError naming `file` when the data is shorter or longer than the
 * specs say.
 */
export function decodeArrays(
  specs: readonly io.WeightsManifestEntry[],
  data: Uint8Array,
  file: string,
): Map<string, NamedArray> {
  const expected = specsByteLength(specs, file);
  if (data.byteLength !== expected) {
    throw new ModelFileError(
      file,
      `holds ${data.byteLength} bytes but the weights manifest describes ${expected}` +
        (data.byteLength < expected ? ' (truncated)' : ' (trailing bytes)'),
    );
  }
  const out = new Map<string, NamedArray>();
  let offset = 0;
  for (const s of specs) {
    const n = sizeOf(s.shape);
    const bytes = data.slice(offset, offset + n * 4);
    offset += n * 4;
    const values = s.dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
    if (out.has(s.name)) throw new ModelFileError(file, `duplicate weight name '${s.name}' in the manifest`);
    out.set(s.name, { name: s.name, shape: s.shape, values });
  }
  return out;
}
