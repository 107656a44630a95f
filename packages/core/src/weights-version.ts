import type { Variable } from '@tensorflow/tfjs-core';

/**
 * A counter per variable that says "these weights changed": caches of values derived from weights (e.g. a
 * graph model's propagated embeddings) compare it to know when to recompute.
 *
 * Why not the tensor's data id: \@ncf's optimizer writes weights **in place** on `wasm` and `cpu` (the update
 * is one pass over the backend's memory), so the variable keeps its data id across steps. Every write through
 * the optimizer (`apply`, `flush`, `catchUpRows`) calls {@link bumpWeightsVersion}; `variable.assign()` (loading
 * weights, restoring a checkpoint or the best epoch) replaces the data id instead, so a cache that compares
 * both the data id and the version misses neither. A bump may happen without a change (a flush with nothing
 * pending); a change never happens without a bump.
 */

const versions = new WeakMap<Variable, number>();

/** How many times the optimizer has written `variable` in place (0 before the first write). */
export function weightsVersion(variable: Variable): number {
  return versions.get(variable) ?? 0;
}

/**
 * Records an in-place write of `variable`'s weights; returns the new version. Call it after writing a
 * variable's memory yourself (outside the optimizer) so caches derived from it recompute.
 */
export function bumpWeightsVersion(variable: Variable): number {
  const next = (versions.get(variable) ?? 0) + 1;
  versions.set(variable, next);
  return next;
}

/**
 * A value that changes whenever any of `variables` may have changed: their data ids (replaced by `assign()`)
 * and weights versions (bumped by in-place writes). Compare stamps with {@link sameWeightsStamp}.
 */
export type WeightsStamp = readonly (object | number)[];

/** The current {@link WeightsStamp} of `variables`. */
export function weightsStamp(variables: readonly Variable[]): WeightsStamp {
  const out: (object | number)[] = [];
  for (const v of variables) out.push(v.dataId, weightsVersion(v));
  return out;
}

/** Whether two stamps of the same variables are equal (no variable changed in between). */
export function sameWeightsStamp(a: WeightsStamp | undefined, b: WeightsStamp): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
