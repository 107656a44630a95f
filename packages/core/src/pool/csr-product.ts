import { NcfError } from '../errors.js';
import { computePool } from './compute-pool.js';
import type { ComputePool } from './compute-pool.js';
import { POOL_DEFAULTS } from './pool-config.js';
import { POOL_JOBS } from './pool-worker.js';

/** A sparse matrix in CSR form as the pool reads it (rows = `offsets.length − 1`). */
export interface CsrOperand {
  /** `rows + 1` row offsets into `indices` / `values`. */
  readonly offsets: Int32Array;
  /** Column of each stored entry. */
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Options of the pool's kernels (mostly for tests and measurements). */
export interface PoolCallOptions {
  /** The pool to use (default: the running one). */
  readonly pool?: ComputePool;
  /** Parts to split the rows into (default: the pool's threads, or 1 for small work); 1 = serial on the pool's kernel. */
  readonly parts?: number;
  /** Accumulates the call's time (ms) copying operands in, computing, copying results out. */
  readonly timings?: PoolTimings;
}

/** Where a pool call's time went, in milliseconds (accumulated over calls). */
export interface PoolTimings {
  copyIn: number;
  compute: number;
  copyOut: number;
  calls: number;
}

interface ResidentCsr {
  readonly offsets: number;
  readonly indices: number;
  readonly values: number;
  /** 1 + the largest column index (0 for an empty matrix). */
  readonly minCols: number;
}

const align64 = (n: number): number => Math.ceil(n / 64) * 64;
const residentMeta = new WeakMap<object, ResidentCsr>();

/**
 * The CSR's arrays in the pool's memory. The structure (offsets, indices) is copied once per matrix, cached by
 * identity of `indices`; the values are copied on every call, because models derive matrices that share a
 * graph's structure with other values (NGCF's self-loop adjacency, node dropout, masked edges): O(nnz), small
 * beside the product's O(nnz · dim).
 */
function residentCsr(pool: ComputePool, a: CsrOperand): ResidentCsr {
  const key = a.indices;
  const rows = a.offsets.length - 1;
  const nnz = a.offsets[rows]!;
  const ob = align64(4 * (rows + 1));
  const ib = align64(4 * nnz);
  const base = pool.resident(key, ob + 2 * ib, (offset) => {
    const buf = pool.buffer();
    new Int32Array(buf, offset, rows + 1).set(a.offsets);
    new Int32Array(buf, offset + ob, nnz).set(a.indices.subarray(0, nnz));
  });
  new Float32Array(pool.buffer(), base + ob + ib, nnz).set(a.values.subarray(0, nnz));
  let meta = residentMeta.get(key);
  if (meta === undefined || meta.offsets !== base) {
    let max = -1;
    for (let e = 0; e < nnz; e++) {
      const c = a.indices[e]!;
      if (c < 0) throw new NcfError('SHAPE_MISMATCH', `CSR column index ${c} at entry ${e} is negative`);
      if (c > max) max = c;
    }
    for (let r = 0; r < rows; r++) {
      if (a.offsets[r + 1]! < a.offsets[r]!) {
        throw new NcfError(
          'SHAPE_MISMATCH',
          `CSR offsets decrease at row ${r}: ${a.offsets[r]} > ${a.offsets[r + 1]}`,
        );
      }
    }
    meta = { offsets: base, indices: base + ob, values: base + ob + ib, minCols: max + 1 };
    residentMeta.set(key, meta);
  }
  return meta;
}

/** Row bounds splitting `rows` into `parts` ranges of about equal entries (`offsets` balanced). */
export function balancedBounds(offsets: Int32Array, parts: number): number[] {
  const rows = offsets.length - 1;
  const nnz = offsets[rows]!;
  const bounds = [0];
  let r = 0;
  for (let p = 1; p < parts; p++) {
    const target = (nnz * p) / parts;
    while (r < rows && offsets[r]! < target) r++;
    bounds.push(Math.max(r, bounds[p - 1]!));
  }
  bounds.push(rows);
  return bounds;
}

/**
 * `out = A·x` on the compute pool, rows split across its threads: `x` row-major `[cols, dim]`, `out`
 * `[rows, dim]`, overwritten. Returns false and does nothing on the single-thread path (no pool running), so
 * callers keep their own loop for it. Bit-identical to the JavaScript loop over Float32Arrays
 * (`out[r] += w·x[c]` per entry in order, see `csr_rows` in `pool-kernels.wat`) for every number of threads.
 *
 * The matrix's structure is copied into the shared memory once and cached by identity of `a.indices` (its
 * values on every call): the structure must not be
 * mutated after its first product. `x` is copied in and `out` copied out on every call (O((rows + cols)·dim)
 * against O(entries·dim) arithmetic).
 */
export function parallelCsrMultiply(
  a: CsrOperand,
  x: Float32Array,
  dim: number,
  out: Float32Array,
  options: PoolCallOptions = {},
): boolean {
  const pool = options.pool ?? computePool();
  if (pool === undefined) return false;
  const rows = a.offsets.length - 1;
  if (!Number.isInteger(dim) || dim < 1 || x.length % dim !== 0 || out.length !== rows * dim) {
    throw new NcfError(
      'SHAPE_MISMATCH',
      `parallelCsrMultiply: x has ${x.length} floats, out ${out.length}, for ${rows} rows × dim ${dim}`,
    );
  }
  const cols = x.length / dim;
  const t0 = performance.now();
  const csr = residentCsr(pool, a);
  if (csr.minCols > cols) {
    throw new NcfError(
      'SHAPE_MISMATCH',
      `parallelCsrMultiply: the matrix has a column ${csr.minCols - 1}, x only ${cols} rows`,
    );
  }
  const xp = pool.scratch(0, 4 * x.length);
  const op = pool.scratch(1, 4 * out.length);
  new Float32Array(pool.buffer(), xp, x.length).set(x);
  const t1 = performance.now();
  const work = a.offsets[rows]! * dim;
  const parts = options.parts ?? (work < POOL_DEFAULTS.minParallelWork ? 1 : pool.threads);
  pool.run(
    POOL_JOBS.csr,
    [csr.offsets, csr.indices, csr.values, xp, op, dim],
    balancedBounds(a.offsets, Math.max(1, Math.min(parts, pool.threads))),
  );
  const t2 = performance.now();
  out.set(new Float32Array(pool.buffer(), op, out.length));
  if (options.timings !== undefined) {
    const t = options.timings;
    t.copyIn += t1 - t0;
    t.compute += t2 - t1;
    t.copyOut += performance.now() - t2;
    t.calls++;
  }
  return true;
}
