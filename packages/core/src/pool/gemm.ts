import { NcfError } from '../errors.js';
import { computePool } from './compute-pool.js';
import type { PoolCallOptions } from './csr-product.js';
import { POOL_DEFAULTS } from './pool-config.js';
import { POOL_JOBS } from './pool-worker.js';

/** A dense product `out = act(bias + op(A)·B)` for the pool, operands as float32 views (any memory). */
export interface GemmOperands {
  /** `[m, k]` row-major, or `[k, m]` when `transposeA` (then `op(A) = Aᵀ`). */
  readonly a: Float32Array;
  /** `[k, n]` row-major. */
  readonly b: Float32Array;
  /** `n` values added to every row, or undefined. */
  readonly bias?: Float32Array;
  /** `[m, n]`, overwritten. */
  readonly out: Float32Array;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transposeA: boolean;
  readonly relu: boolean;
}

/** Row bounds for `parts` parts of `m` rows, cut at multiples of 4 (the gemm's register tiles are 4 rows). */
function tileBounds(m: number, parts: number): number[] {
  const bounds = [0];
  for (let p = 1; p < parts; p++)
    bounds.push(Math.min(m, Math.max(bounds[p - 1]!, Math.round((m * p) / parts / 4) * 4)));
  bounds.push(m);
  return bounds;
}

/**
 * `out = act(bias + op(A)·B)` on the compute pool with the SIMD module's register-tiled `gemm` (the one tfjs
 * matMul runs on `wasm`), rows of `out` split across the threads. Returns false and does nothing on the
 * single-thread path, and for products under `POOL_DEFAULTS.minParallelGemmWork` multiply-adds (unless
 * `options.parts` is given), so callers keep their own path. Each element's sum runs in the same order
 * (p = 0, 1, … in float32) whatever tile or thread computes it: the result is bit-identical to the
 * single-thread gemm. Operands are copied into the shared memory and the product out on every call.
 */
export function parallelGemm(g: GemmOperands, options: PoolCallOptions = {}): boolean {
  const pool = options.pool ?? computePool();
  if (pool === undefined) return false;
  const { m, n, k } = g;
  if (options.parts === undefined && m * n * k < POOL_DEFAULTS.minParallelGemmWork) return false;
  if (
    g.a.length < m * k ||
    g.b.length < k * n ||
    g.out.length < m * n ||
    (g.bias !== undefined && g.bias.length < n)
  ) {
    throw new NcfError(
      'SHAPE_MISMATCH',
      `parallelGemm: operands too short for m ${m}, n ${n}, k ${k} (a ${g.a.length}, b ${g.b.length}, out ${g.out.length})`,
    );
  }
  const t0 = performance.now();
  const ap = pool.scratch(0, 4 * m * k);
  const bp = pool.scratch(1, 4 * k * n);
  const cp = pool.scratch(2, 4 * m * n);
  const biasP = g.bias !== undefined ? pool.scratch(3, 4 * n) : 0;
  const buf = pool.buffer();
  new Float32Array(buf, ap, m * k).set(g.a.subarray(0, m * k));
  new Float32Array(buf, bp, k * n).set(g.b.subarray(0, k * n));
  if (g.bias !== undefined) new Float32Array(buf, biasP, n).set(g.bias.subarray(0, n));
  const t1 = performance.now();
  const parts = Math.max(1, Math.min(options.parts ?? pool.threads, pool.threads, Math.ceil(m / 4)));
  pool.run(
    POOL_JOBS.gemm,
    [ap, g.transposeA ? 1 : k, g.transposeA ? m : 1, bp, n, cp, n, n, k, biasP, g.relu ? 2 : 0],
    tileBounds(m, parts),
  );
  const t2 = performance.now();
  g.out.set(new Float32Array(pool.buffer(), cp, m * n));
  if (options.timings !== undefined) {
    options.timings.copyIn += t1 - t0;
    options.timings.compute += t2 - t1;
    options.timings.copyOut += performance.now() - t2;
    options.timings.calls++;
  }
  return true;
}
