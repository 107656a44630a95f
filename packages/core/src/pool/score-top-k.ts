import { NcfError } from '../errors.js';
import { computePool } from './compute-pool.js';
import type { ComputePool } from './compute-pool.js';
import type { PoolCallOptions } from './csr-product.js';
import { POOL_DEFAULTS } from './pool-config.js';
import { POOL_JOBS, TOP_K_BLOCK } from './pool-worker.js';

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

/** User bounds for `parts` parts, cut at multiples of 4 (the gemm's register tiles are 4 rows). */
function userBounds(rows: number, parts: number): number[] {
  const bounds = [0];
  for (let p = 1; p < parts; p++) {
    bounds.push(Math.min(rows, Math.max(bounds[p - 1]!, Math.round((rows * p) / parts / 4) * 4)));
  }
  bounds.push(rows);
  return bounds;
}

/** Writes `items` (`[n, dim]`) transposed (`[dim, n]`) at byte offset `at` of `buf`: gemm's right operand. */
function writeTransposed(
  buf: ArrayBufferLike,
  at: number,
  items: Float32Array,
  n: number,
  dim: number,
): void {
  const t = new Float32Array(buf, at, n * dim);
  for (let i = 0; i < n; i++) for (let k = 0; k < dim; k++) t[k * n + i] = items[i * dim + k]!;
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
 * single-thread path. It is the pool's gemm against the items transposed once per call: each score sums
 * `k = 0, 1, …` in float32, the order of the single-thread gemm behind tfjs matMul on `wasm`, whatever the
 * split, so results are bit-identical for any number of threads; against the exact product they are within
 * the float32 bound of a `dim`-term sum, `dim · 2⁻²⁴ · Σ|uₖ·iₖ|` (tested).
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
  writeTransposed(buf, ip, items, n, dim);
  const t1 = performance.now();
  const parts = partsFor(pool, Math.ceil(m / 4), m * n * dim, options);
  pool.run(POOL_JOBS.gemm, [up, dim, 1, ip, n, op, n, n, dim, 0, 0], userBounds(m, parts));
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
 * users) on the compute pool: each thread scores 16 of its users at a time (one gemm) into rows of its own
 * and selects each one's top-K there, so memory is O(threads × items), never O(users × items). Ties go to the lower item index;
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
  const parts = partsFor(pool, Math.ceil(m / 4), m * n * dim, options);
  const exBytes = ex !== undefined ? align64(4 * (m + 1)) + 4 * ex.offsets[m]! : 0;
  const up = pool.scratch(0, 4 * users.length);
  const ip = pool.scratch(1, 4 * items.length);
  const rowsP = pool.scratch(2, align64(4 * n * TOP_K_BLOCK * parts) + 8 * m * k);
  const exP = exBytes > 0 ? pool.scratch(3, exBytes) : 0;
  const outItems = rowsP + align64(4 * n * TOP_K_BLOCK * parts);
  const outScores = outItems + 4 * m * k;
  const buf = pool.buffer();
  new Float32Array(buf, up, users.length).set(users);
  writeTransposed(buf, ip, items, n, dim);
  if (ex !== undefined) {
    new Int32Array(buf, exP, m + 1).set(ex.offsets);
    new Int32Array(buf, exP + align64(4 * (m + 1)), ex.offsets[m]!).set(ex.items.subarray(0, ex.offsets[m]!));
  }
  const t1 = performance.now();
  pool.run(
    POOL_JOBS.topK,
    [up, ip, rowsP, dim, n, k, exP, exP + align64(4 * (m + 1)), outItems, outScores, m, TOP_K_BLOCK],
    userBounds(m, parts),
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
