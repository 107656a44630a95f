import type { FeatureMatrix } from '@ncf/core';

/** Items grouped by identical feature rows: `classOf[i]` is item `i`'s group, `reps[c]` one item of group `c`. */
export interface FeatureClasses {
  readonly classOf: Int32Array;
  readonly reps: Int32Array;
}

/**
 * Groups items with bit-identical feature rows. A model whose only item input is features sees such items as
 * one item, so each group is scored once and the score copied: ties stay bit-identical (a ranking protocol's
 * tie rule then applies to them, as in the PyTorch reference, which does the same) and ML-100K's 1,682 items
 * need 546 tower passes.
 */
export function featureClasses(features: FeatureMatrix): FeatureClasses {
  const { dim, values, rows } = features;
  const seen = new Map<string, number>();
  const classOf = new Int32Array(rows);
  const reps: number[] = [];
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  for (let i = 0; i < rows; i++) {
    const key = bytes.subarray(i * dim * 4, (i + 1) * dim * 4).join(',');
    let c = seen.get(key);
    if (c === undefined) {
      c = reps.length;
      seen.set(key, c);
      reps.push(i);
    }
    classOf[i] = c;
  }
  return { classOf, reps: Int32Array.from(reps) };
}
