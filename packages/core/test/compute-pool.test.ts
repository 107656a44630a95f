import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, NcfError, createRng } from '../src/index.js';
import {
  balancedBounds,
  computePool,
  computePoolInfo,
  parallelCsrMultiply,
  parallelScores,
  parallelTopK,
  poolUnavailableReason,
  resolveThreads,
  startComputePool,
  stopComputePool,
  topKRow,
} from '../src/pool/index.js';
import type { CsrOperand, PoolTimings } from '../src/pool/index.js';
import { assembleSimdKernels, poolModuleSource, renderBinaryModule } from '../scripts/simd-assembler.mjs';

it('the committed pool-kernels-binary.ts is kernels.wat (shared) + pool-kernels.wat assembled (`pnpm build:simd`)', async () => {
  const kernels = readFileSync(new URL('../src/simd/kernels.wat', import.meta.url), 'utf8');
  const pool = readFileSync(new URL('../src/pool/pool-kernels.wat', import.meta.url), 'utf8');
  const committed = readFileSync(new URL('../src/pool/pool-kernels-binary.ts', import.meta.url), 'utf8');
  const bytes = await assembleSimdKernels(poolModuleSource(kernels, pool), { threads: true });
  expect(committed).toBe(renderBinaryModule(bytes, 'kernels.wat + pool-kernels.wat', 'POOL_KERNELS_BASE64'));
});

describe('resolveThreads', () => {
  it('takes the option, else NCF_THREADS, else the cores', () => {
    expect(resolveThreads(3, '2', 8)).toEqual({ threads: 3, source: 'option' });
    expect(resolveThreads(undefined, ' 2 ', 8)).toEqual({ threads: 2, source: 'NCF_THREADS' });
    expect(resolveThreads(undefined, '', 8)).toEqual({ threads: 8, source: 'cores' });
    expect(resolveThreads(undefined, undefined, 0)).toEqual({ threads: 1, source: 'cores' });
  });
  it('rejects anything but an integer from 1 to 64, naming the option or the variable', () => {
    expect(() => resolveThreads(0, undefined, 2)).toThrow(ConfigError);
    expect(() => resolveThreads(1.5, undefined, 2)).toThrow(/threads must be an integer/);
    expect(() => resolveThreads(undefined, 'two', 2)).toThrow(/NCF_THREADS must be an integer .* got 'two'/);
    expect(() => resolveThreads(undefined, '65', 2)).toThrow(/NCF_THREADS/);
  });
});

it('reports why a runtime without SharedArrayBuffer or shared wasm memory stays single-thread', () => {
  expect(poolUnavailableReason({})).toMatch(/SharedArrayBuffer unavailable .*cross-origin isolation/);
  const noSharedMemory = {
    SharedArrayBuffer,
    Atomics,
    WebAssembly: {
      Memory: function () {
        throw new TypeError('no shared memory');
      },
    },
  };
  expect(poolUnavailableReason(noSharedMemory)).toBe('shared WebAssembly memory unavailable');
  expect(poolUnavailableReason()).toBeUndefined(); // Node 20 has them all
});

/** A random CSR: `rows × cols`, about `density` of the entries, sorted columns, some empty rows. */
function randomCsr(rows: number, cols: number, density: number, seed: number): CsrOperand {
  const rng = createRng(seed);
  const offsets = new Int32Array(rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    if (rng.next() < 0.1) {
      offsets[r + 1] = indices.length;
      continue; // an empty row: its output row must still be zeroed
    }
    for (let c = 0; c < cols; c++) {
      if (rng.next() < density) {
        indices.push(c);
        values.push(rng.normal());
      }
    }
    offsets[r + 1] = indices.length;
  }
  return { offsets, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

/** The JavaScript loop models-gnn ran before the pool (float64 arithmetic stored to float32 per entry). */
function serialCsr(a: CsrOperand, x: Float32Array, dim: number): Float32Array {
  const rows = a.offsets.length - 1;
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    for (let e = a.offsets[r]!; e < a.offsets[r + 1]!; e++) {
      const c = a.indices[e]! * dim;
      const w = a.values[e]!;
      for (let k = 0; k < dim; k++) out[r * dim + k]! += w * x[c + k]!;
    }
  }
  return out;
}

/** Bit-for-bit equality of two float arrays (fast on large arrays, where toEqual is slow). */
function expectSameBits(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (!a.equals(b)) expect(actual).toEqual(expected); // shows the difference
}

function randomMatrix(rows: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * dim }, () => rng.normal());
}

describe('the 2-thread compute pool', () => {
  beforeAll(async () => {
    const info = await startComputePool({ threads: 2 });
    expect(info).toMatchObject({ threads: 2, requested: 2, source: 'option' });
    expect(info.description).toBe('2 threads (1 worker, shared WebAssembly memory)');
  });
  afterAll(async () => {
    await stopComputePool();
  });

  it('balances CSR rows by entries', () => {
    const offsets = Int32Array.from([0, 10, 10, 11, 12, 20]);
    expect(balancedBounds(offsets, 1)).toEqual([0, 5]);
    expect(balancedBounds(offsets, 2)).toEqual([0, 1, 5]);
    expect(balancedBounds(Int32Array.from([0]), 2)).toEqual([0, 0, 0]);
  });

  it.each([
    [300, 257, 7],
    [300, 257, 64],
    [1000, 800, 33],
  ])(
    'CSR × dense (%i×%i, dim %i): 2 parts = 1 part = the JavaScript loop, bit for bit',
    (rows, cols, dim) => {
      const a = randomCsr(rows, cols, 0.05, rows + dim);
      const x = randomMatrix(cols, dim, dim);
      const serial = new Float32Array(rows * dim).fill(Number.NaN); // overwritten, never accumulated into
      const parallel = new Float32Array(rows * dim).fill(Number.NaN);
      expect(parallelCsrMultiply(a, x, dim, serial, { parts: 1 })).toBe(true);
      expect(parallelCsrMultiply(a, x, dim, parallel, { parts: 2 })).toBe(true);
      const reference = serialCsr(a, x, dim);
      expectSameBits(parallel, reference);
      expectSameBits(serial, reference);
      // The resident copy of the matrix is reused; a new x gives the new product.
      const x2 = randomMatrix(cols, dim, dim + 1);
      expect(parallelCsrMultiply(a, x2, dim, parallel)).toBe(true);
      expectSameBits(parallel, serialCsr(a, x2, dim));
    },
  );

  it('matrices sharing a structure with other values (self-loops, masks, dropout) each get their own product', () => {
    const a = randomCsr(80, 60, 0.1, 11);
    const x = randomMatrix(60, 8, 12);
    const out = new Float32Array(80 * 8);
    expect(parallelCsrMultiply(a, x, 8, out, { parts: 2 })).toBe(true);
    expectSameBits(out, serialCsr(a, x, 8));
    // Same offsets and indices arrays, new values: the resident structure is reused, the values are not.
    const scaled = { ...a, values: a.values.map((v, e) => (e % 3 === 0 ? 0 : 2 * v)) };
    expect(parallelCsrMultiply(scaled, x, 8, out, { parts: 2 })).toBe(true);
    expectSameBits(out, serialCsr(scaled, x, 8));
    // And values changed in place.
    a.values.fill(0.5);
    expect(parallelCsrMultiply(a, x, 8, out, { parts: 2 })).toBe(true);
    expectSameBits(out, serialCsr(a, x, 8));
  });

  it('the transpose product (a CSR of Aᵀ) through the same kernel', () => {
    const a = randomCsr(120, 90, 0.1, 5);
    // Aᵀ by a counting sort over columns, as models-gnn builds it.
    const nnz = a.offsets[120]!;
    const tOffsets = new Int32Array(91);
    for (let e = 0; e < nnz; e++) tOffsets[a.indices[e]! + 1]!++;
    for (let c = 0; c < 90; c++) tOffsets[c + 1]! += tOffsets[c]!;
    const cursor = tOffsets.slice(0, 90);
    const tIndices = new Int32Array(nnz);
    const tValues = new Float32Array(nnz);
    for (let r = 0; r < 120; r++) {
      for (let e = a.offsets[r]!; e < a.offsets[r + 1]!; e++) {
        const at = cursor[a.indices[e]!]!++;
        tIndices[at] = r;
        tValues[at] = a.values[e]!;
      }
    }
    const at = { offsets: tOffsets, indices: tIndices, values: tValues };
    const dy = randomMatrix(120, 16, 9);
    const out = new Float32Array(90 * 16);
    expect(parallelCsrMultiply(at, dy, 16, out, { parts: 2 })).toBe(true);
    expect(out).toEqual(serialCsr(at, dy, 16));
  });

  it('grows the shared memory for large operands and keeps earlier residents valid', () => {
    const small = randomCsr(50, 40, 0.2, 1);
    const xs = randomMatrix(40, 8, 2);
    const before = new Float32Array(50 * 8);
    parallelCsrMultiply(small, xs, 8, before);
    const big = randomCsr(1500, 1000, 0.004, 3);
    const xb = randomMatrix(1000, 128, 4); // 512 KB: beyond the initial pages
    const out = new Float32Array(1500 * 128);
    parallelCsrMultiply(big, xb, 128, out, { parts: 2 });
    expectSameBits(out, serialCsr(big, xb, 128));
    const after = new Float32Array(50 * 8);
    parallelCsrMultiply(small, xs, 8, after, { parts: 2 });
    expect(after).toEqual(before);
  });

  it('rejects a matrix whose columns exceed x, and misshapen outputs', () => {
    const a: CsrOperand = {
      offsets: Int32Array.from([0, 1]),
      indices: Int32Array.from([5]),
      values: Float32Array.from([1]),
    };
    expect(() => parallelCsrMultiply(a, new Float32Array(4), 1, new Float32Array(1))).toThrow(
      /has a column 5, x only 4 rows/,
    );
    expect(() => parallelCsrMultiply(a, new Float32Array(8), 2, new Float32Array(1))).toThrow(NcfError);
  });

  it('full-ranking scores: 2 parts = 1 part bit for bit, within dim·2⁻²⁴·Σ|u·i| of the exact dot', () => {
    for (const dim of [64, 13]) {
      const users = randomMatrix(37, dim, 11);
      const items = randomMatrix(501, dim, 12);
      const timings: PoolTimings = { copyIn: 0, compute: 0, copyOut: 0, calls: 0 };
      const one = parallelScores(users, items, dim, { parts: 1 })!;
      const two = parallelScores(users, items, dim, { parts: 2, timings })!;
      expectSameBits(two, one);
      expect(timings.calls).toBe(1);
      let worst = 0;
      for (let u = 0; u < 37; u++) {
        for (let i = 0; i < 501; i++) {
          let exact = 0;
          let magnitude = 0;
          for (let k = 0; k < dim; k++) {
            exact += users[u * dim + k]! * items[i * dim + k]!;
            magnitude += Math.abs(users[u * dim + k]! * items[i * dim + k]!);
          }
          worst = Math.max(worst, Math.abs(two[u * 501 + i]! - exact) / magnitude);
        }
      }
      expect(worst).toBeGreaterThan(0); // float32 rounding is there…
      expect(worst).toBeLessThanOrEqual(dim * 2 ** -24); // …within the bound of a dim-term float32 sum
    }
  });

  it('top-K of many users: equals a sort of the same scores, exclusions and ties respected, any split', () => {
    const dim = 8;
    const users = randomMatrix(23, dim, 21);
    const items = randomMatrix(300, dim, 22);
    items.copyWithin(5 * dim, 7 * dim, 8 * dim); // items 5 and 7 are equal: a tie in every row
    const rng = createRng(3);
    const exOffsets = new Int32Array(24);
    const exItems: number[] = [];
    for (let u = 0; u < 23; u++) {
      for (let i = 0; i < 300; i++) if (rng.next() < 0.05 || (u === 0 && i === 7)) exItems.push(i);
      exOffsets[u + 1] = exItems.length;
    }
    const exclude = { offsets: exOffsets, items: Int32Array.from(exItems) };
    const scores = parallelScores(users, items, dim, { parts: 1 })!;
    const k = 10;
    const one = parallelTopK(users, items, dim, k, { exclude, parts: 1 })!;
    const two = parallelTopK(users, items, dim, k, { exclude, parts: 2 })!;
    expect(two.items).toEqual(one.items);
    expect(two.scores).toEqual(one.scores);
    for (let u = 0; u < 23; u++) {
      const excluded = new Set(exItems.slice(exOffsets[u], exOffsets[u + 1]));
      const expected = Array.from({ length: 300 }, (_, i) => i)
        .filter((i) => !excluded.has(i))
        .sort((a, b) => scores[u * 300 + b]! - scores[u * 300 + a]! || a - b)
        .slice(0, k);
      expect([...two.items.subarray(u * k, (u + 1) * k)]).toEqual(expected);
      expect([...two.scores.subarray(u * k, (u + 1) * k)]).toEqual(expected.map((i) => scores[u * 300 + i]));
    }
  });

  it('reports a failure in a worker as an error on the caller, and keeps working after it', () => {
    const pool = computePool()!;
    expect(() => pool.run(99, [], [0, 1, 2])).toThrow(/unknown pool job kind 99/);
    const a = randomCsr(30, 30, 0.3, 8);
    const x = randomMatrix(30, 4, 8);
    const out = new Float32Array(120);
    parallelCsrMultiply(a, x, 4, out, { parts: 2 });
    expect(out).toEqual(serialCsr(a, x, 4));
  });
});

describe('topKRow', () => {
  it('pads short rows with item −1 and −∞, skips NaN and marked items', () => {
    const scores = Float32Array.from([0.5, Number.NaN, 2, 2, -1]);
    const marks = Uint8Array.from([0, 0, 0, 0, 1]);
    const items = new Int32Array(6);
    const out = new Float32Array(6);
    const count = topKRow(scores, 0, 5, 6, marks, items, out, 0, new Int32Array(6), new Float32Array(6));
    expect(count).toBe(3);
    expect([...items]).toEqual([2, 3, 0, -1, -1, -1]);
    expect([...out]).toEqual([2, 2, 0.5, -Infinity, -Infinity, -Infinity]);
  });
});

describe('1 thread', () => {
  it('NCF_THREADS=1 selects it when no option is given', async () => {
    const saved = process.env.NCF_THREADS;
    process.env.NCF_THREADS = '1';
    try {
      expect(await startComputePool()).toMatchObject({ threads: 1, source: 'NCF_THREADS' });
      expect(computePool()).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.NCF_THREADS;
      else process.env.NCF_THREADS = saved;
    }
  });

  it('starts no pool: the kernels decline and callers keep their own path', async () => {
    const info = await startComputePool({ threads: 1 });
    expect(info).toMatchObject({ threads: 1, description: '1 thread' });
    expect(computePool()).toBeUndefined();
    expect(computePoolInfo().threads).toBe(1);
    const a = randomCsr(10, 10, 0.5, 1);
    expect(parallelCsrMultiply(a, new Float32Array(10), 1, new Float32Array(10))).toBe(false);
    expect(parallelScores(new Float32Array(4), new Float32Array(4), 4)).toBeUndefined();
    expect(parallelTopK(new Float32Array(4), new Float32Array(4), 4, 1)).toBeUndefined();
  });
});

it('a process that used the pool exits by itself when its work ends (workers are unref()ed)', () => {
  const script = fileURLToPath(new URL('./pool-fixtures/exit-promptly.ts', import.meta.url));
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@ncf/source', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.error).toBeUndefined(); // a timeout (the process kept alive) shows here
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout.trim())).toEqual({
    threads: 2,
    ran: true,
    out: [210, 300],
    top: [1, 0, 2, 0],
    description: '2 threads (1 worker, shared WebAssembly memory)',
  });
  expect(Date.now() - started).toBeLessThan(30_000);
});
