import { NcfError } from '../errors.js';
import { computePool } from './compute-pool.js';
import type { ComputePool } from './compute-pool.js';
import type { PoolCallOptions } from './csr-product.js';
import { POOL_DEFAULTS } from './pool-config.js';
import { POOL_JOBS } from './pool-worker.js';

/** Items to leave out of each user's top-K: CSR rows aligned with the users (e.g. their training items). */
export interface TopKExclusions {
  /** `users + 1` offsets into `items`. */
  readonly offsets: Int32Array;
  readonly items: Int32Array;
}

/** The top-K of many users: row-major `[users, k]`, best first; short rows padded with item −1, score −∞. */
export interface TopKResult {
  readonly items: Int32Array;
  readonly scores: Float32Array;
}

const align64 = (n: number): number => Math.ceil(n / 64) * 64;

function equalBounds(rows: number, parts: number): number[] {
  const bounds: number[] = [];
  for (let p = 0; p <= parts; p++) bounds.push(Math.floor((rows * p) / parts));
  return bounds;
}

function checkFactors(users: Float32Array, items: Float32Array, dim: number, what: string): void {
  if (!Number.isInteger(dim) || dim < 1 || users.length % dim !== 0 || items.length % dim !== 0) {
    throw new NcfError(
      'SHAPE_MISMATCH',
      `${what}: users (${users.length} floats) and items (${items.length}) must be whole rows of dim ${dim}`,
    );
  }
}

function partsFor(pool: ComputePool, rows: number, work: number, options: PoolCallOptions): number {
  const want = options.parts ?? (work < POOL_DEFAULTS.minParallelWork ? 1 : pool.threads);
  return Math.max(1, Math.min(want, pool.threads, Math.max(1, rows)));
}

/**
 * Dot-product scores of every item for every user on the compute pool, user rows split across threads:
 * `out[u·n + i] = users[u]·items[i]` (`users` `[m, dim]`, `items` `[n, dim]`, row-major). Undefined on the
 * single-thread path. Each score sums four float32 lanes then the tail (see `dot_rows` in
 * `pool-kernels.wat`), in the same order whatever the split, so results are bit-identical for any number of
 * threads; against another order (a tfjs matMul) they differ by float32 rounding, within 1e-6 of Σ|uₖ·iₖ|.
 */
export function parallelScores(
  users: Float32Array,
  items: Float32Array,
  dim: number,
  options: PoolCallOptions = {},
): Float32Array | undefined {
  const pool = options.pool ?? computePool();
  if (pool === undefined) return undefined;
  checkFactors(users, items, dim, 'parallelScores');
  const m = users.length / dim;
  const n = items.length / dim;
  const t0 = performance.now();
  const up = pool.scratch(0, 4 * users.length);
  const ip = pool.scratch(1, 4 * items.length);
  const op = pool.scratch(2, 4 * m * n);
  const buf = pool.buffer();
  new Float32Array(buf, up, users.length).set(users);
  new Float32Array(buf, ip, items.length).set(items);
  const t1 = performance.now();
  const parts = partsFor(pool, m, m * n * dim, options);
  pool.run(POOL_JOBS.dot, [up, ip, op, dim, n], equalBounds(m, parts));
  const t2 = performance.now();
  const out = new Float32Array(pool.buffer(), op, m * n).slice();
  if (options.timings !== undefined) {
    options.timings.copyIn += t1 - t0;
    options.timings.compute += t2 - t1;
    options.timings.copyOut += performance.now() - t2;
    options.timings.calls++;
  }
  return out;
}

/**
 * The `k` best items of each user by dot product (full ranking for evaluation or `recommend` over many
 * users) on the compute pool: each thread scores its users one at a time into a row of its own and selects
 * the top-K there, so memory is O(threads × items), never O(users × items). Ties go to the lower item index;
 * NaN scores and `exclude`d items are never selected. Undefined on the single-thread path. Scores are those
 * of {@link parallelScores}, so the result is identical for any number of threads.
 */
export function parallelTopK(
  users: Float32Array,
  items: Float32Array,
  dim: number,
  k: number,
  options: PoolCallOptions & { readonly exclude?: TopKExclusions } = {},
): TopKResult | undefined {
  const pool = options.pool ?? computePool();
  if (pool === undefined) return undefined;
  checkFactors(users, items, dim, 'parallelTopK');
  const m = users.length / dim;
  const n = items.length / dim;
  if (!Number.isInteger(k) || k < 0)
    throw new NcfError('SHAPE_MISMATCH', `parallelTopK: k must be ≥ 0, got ${k}`);
  const ex = options.exclude;
  if (ex !== undefined && (ex.offsets.length !== m + 1 || ex.offsets[m]! > ex.items.length)) {
    throw new NcfError(
      'SHAPE_MISMATCH',
      `parallelTopK: exclude.offsets needs users + 1 = ${m + 1} entries ending within exclude.items (${ex.items.length}), got ${ex.offsets.length}`,
    );
  }
  const t0 = performance.now();
  const parts = partsFor(pool, m, m * n * dim, options);
  const exBytes = ex !== undefined ? align64(4 * (m + 1)) + 4 * ex.offsets[m]! : 0;
  const up = pool.scratch(0, 4 * users.length);
  const ip = pool.scratch(1, 4 * items.length);
  const rowsP = pool.scratch(2, 4 * n * parts + 8 * m * k);
  const exP = exBytes > 0 ? pool.scratch(3, exBytes) : 0;
  const outItems = rowsP + align64(4 * n * parts);
  const outScores = outItems + 4 * m * k;
  const buf = pool.buffer();
  new Float32Array(buf, up, users.length).set(users);
  new Float32Array(buf, ip, items.length).set(items);
  if (ex !== undefined) {
    new Int32Array(buf, exP, m + 1).set(ex.offsets);
    new Int32Array(buf, exP + align64(4 * (m + 1)), ex.offsets[m]!).set(ex.items.subarray(0, ex.offsets[m]!));
  }
  const t1 = performance.now();
  pool.run(
    POOL_JOBS.dotTopK,
    [up, ip, rowsP, dim, n, k, exP, exP + align64(4 * (m + 1)), outItems, outScores, m],
    equalBounds(m, parts),
  );
  const t2 = performance.now();
  const after = pool.buffer();
  const result = {
    items: new Int32Array(after, outItems, m * k).slice(),
    scores: new Float32Array(after, outScores, m * k).slice(),
  };
  if (options.timings !== undefined) {
    options.timings.copyIn += t1 - t0;
    options.timings.compute += t2 - t1;
    options.timings.copyOut += performance.now() - t2;
    options.timings.calls++;
  }
  return result;
}
