/**
 * pool-speed: the compute pool's kernels on 1 part and on every thread, against the single-thread code they
 * replace, in one process: a quick check of the second core's gain (not a quiet-machine benchmark).
 *
 *   pnpm bench pool-speed [--json out.json] [--threads N] [--repeats 5] [--dim 64]
 *
 * Cases: the CSR product of LightGCN's propagation on an ML-100K-shaped bipartite graph (943 users, 1,682
 * items, 100,000 random interactions, symmetric normalisation: 200,000 entries) and an ML-1M-shaped one
 * (6,040 × 3,706, 1,000,209 interactions), `[nodes, dim]` embeddings: the JavaScript loop (models-gnn's
 * `csrMultiplyInto`), the pool on 1 part, the pool on all threads; with the pool's copy-in / copy-out time.
 * And dot-product scores of 70 users × 3,706 items (an eval batch on ML-1M): tfjs matMul on the current
 * backend (the @ncf gemm on wasm; on the pool itself when threads > 1) against `parallelScores`.
 *
 * Summary: `threads`, `csr.<case>.js_ms`, `csr.<case>.pool_ms`, `csr.<case>.pool_ms_n1`,
 * `csr.<case>.copy_ms`, `csr.<case>.pool_over_js` (speed-up), `scores.matmul_ms`, `scores.pool_ms`,
 * `scores.pool_ms_n1`, `gemm.layer_ms`, `gemm.layer_ms_n1` (a NeuMF-sized dense layer through tfjs: on the
 * pool, and on the single-thread path). Best of `--repeats`.
 */
import { createRng, initBackend, parallelCsrMultiply, parallelScores, tf } from '@ncf/core';
import type { PoolTimings } from '@ncf/core';
import { csrMultiplyInto } from '@ncf/models-gnn';
import type { WeightedCsr } from '@ncf/models-gnn';
import type { Suite, SuiteContext, SuiteResult } from '../src/suite.js';

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** A random bipartite user–item graph, symmetric-normalised, users first (LightGCN's Â). */
function bipartite(numUsers: number, numItems: number, edges: number, seed: number): WeightedCsr {
  const rng = createRng(seed);
  const n = numUsers + numItems;
  const pairs = new Set<number>();
  while (pairs.size < edges) pairs.add(rng.int(numUsers) * numItems + rng.int(numItems));
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (const p of pairs) {
    const u = Math.floor(p / numItems);
    const i = numUsers + (p % numItems);
    lists[u]!.push(i);
    lists[i]!.push(u);
  }
  const offsets = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) offsets[r + 1] = offsets[r]! + lists[r]!.length;
  const indices = new Int32Array(offsets[n]!);
  const values = new Float32Array(offsets[n]!);
  for (let r = 0; r < n; r++) {
    const sorted = lists[r]!.sort((a, b) => a - b);
    sorted.forEach((c, k) => {
      indices[offsets[r]! + k] = c;
      values[offsets[r]! + k] = 1 / Math.sqrt(lists[r]!.length * lists[c]!.length);
    });
  }
  return { numRows: n, numCols: n, offsets, indices, values };
}

function best(repeats: number, f: () => void): number {
  f(); // warm-up (compilation, resident copies)
  let ms = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

export const suite: Suite = {
  name: 'pool-speed',
  description:
    'compute-pool kernels (CSR product, dot scores) on 1 part vs every thread vs the code they replace',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const repeats = Number(flag(ctx.args, '--repeats') ?? 5);
    const dim = Number(flag(ctx.args, '--dim') ?? 64);
    const threadsFlag = flag(ctx.args, '--threads');
    const info = await initBackend({ threads: threadsFlag !== undefined ? Number(threadsFlag) : undefined });
    const rows: Record<string, string | number>[] = [];
    const summary: Record<string, number> = { threads: info.threads };
    const notes = [
      `backend ${info.name}; ${info.pool}`,
      'indicative only: one process, best of the repeats, on whatever else the machine runs (see the load average)',
    ];
    if (info.threads === 1)
      notes.push('1 thread: the pool is off, only the JavaScript loop and matMul are timed');
    for (const [name, nu, ni, edges] of [
      ['ml100k', 943, 1682, 100_000],
      ['ml1m', 6040, 3706, 1_000_209],
    ] as const) {
      ctx.log(`[pool-speed] building the ${name}-shaped graph`);
      const a = bipartite(nu, ni, edges, 1);
      const rng = createRng(2);
      const x = Float32Array.from({ length: a.numCols * dim }, () => rng.normal() * 0.1);
      const out = new Float32Array(a.numRows * dim);
      const js = best(repeats, () => csrMultiplyInto(a, x, dim, out));
      summary[`csr.${name}.js_ms`] = +js.toFixed(3);
      const row: Record<string, string | number> = {
        case: `CSR ${name} (${a.numRows} nodes, ${a.offsets[a.numRows]} entries, dim ${dim})`,
        'js ms': +js.toFixed(2),
      };
      if (info.threads > 1) {
        const one = best(repeats, () => parallelCsrMultiply(a, x, dim, out, { parts: 1 }));
        const timings: PoolTimings = { copyIn: 0, compute: 0, copyOut: 0, calls: 0 };
        const all = best(repeats, () => parallelCsrMultiply(a, x, dim, out, { timings }));
        const copy = (timings.copyIn + timings.copyOut) / timings.calls;
        Object.assign(summary, {
          [`csr.${name}.pool_ms_n1`]: +one.toFixed(3),
          [`csr.${name}.pool_ms`]: +all.toFixed(3),
          [`csr.${name}.copy_ms`]: +copy.toFixed(3),
          [`csr.${name}.pool_over_js`]: +(js / all).toFixed(2),
        });
        Object.assign(row, {
          'pool 1 part ms': +one.toFixed(2),
          [`pool ${info.threads} parts ms`]: +all.toFixed(2),
          'copies ms (mean)': +copy.toFixed(2),
          'js / pool': +(js / all).toFixed(2),
        });
      }
      rows.push(row);
    }
    const users = 70;
    const items = 3706;
    const rng = createRng(3);
    const u = Float32Array.from({ length: users * dim }, () => rng.normal() * 0.1);
    const it = Float32Array.from({ length: items * dim }, () => rng.normal() * 0.1);
    const itemTensor = tf.tensor2d(it, [items, dim]);
    const matmul = best(repeats, () => {
      const s = tf.tidy(() => tf.matMul(tf.tensor2d(u, [users, dim]), itemTensor, false, true));
      s.dataSync();
      s.dispose();
    });
    itemTensor.dispose();
    summary['scores.matmul_ms'] = +matmul.toFixed(3);
    const srow: Record<string, string | number> = {
      case: `scores ${users} users × ${items} items, dim ${dim}`,
      'js ms': `matMul ${matmul.toFixed(2)}`,
      'copies ms (mean)': '',
    };
    if (info.threads > 1) {
      const one = best(repeats, () => parallelScores(u, it, dim, { parts: 1 }));
      const all = best(repeats, () => parallelScores(u, it, dim));
      Object.assign(summary, { 'scores.pool_ms_n1': +one.toFixed(3), 'scores.pool_ms': +all.toFixed(3) });
      Object.assign(srow, {
        'pool 1 part ms': +one.toFixed(2),
        [`pool ${info.threads} parts ms`]: +all.toFixed(2),
        'js / pool': +(matmul / all).toFixed(2),
      });
    }
    rows.push(srow);
    // A dense layer at NeuMF shape A's batch (4096 × 128 · 128 × 64, bias + ReLU) through tfjs on this backend:
    // on the pool (with its copies) when threads > 1, and on the single-thread path.
    const dense = (): number => {
      const r = createRng(4);
      const x = tf.tensor2d(
        Float32Array.from({ length: 4096 * 128 }, () => r.normal()),
        [4096, 128],
      );
      const w = tf.tensor2d(
        Float32Array.from({ length: 128 * 64 }, () => r.normal() * 0.1),
        [128, 64],
      );
      const bias = tf.tensor1d(new Float32Array(64).fill(0.1));
      const ms = best(repeats, () => {
        const y = tf.fused.matMul({ a: x, b: w, bias, activation: 'relu' });
        y.dataSync();
        y.dispose();
      });
      tf.dispose([x, w, bias]);
      return ms;
    };
    const denseN = dense();
    summary['gemm.layer_ms'] = +denseN.toFixed(3);
    const drow: Record<string, string | number> = {
      case: `dense layer 4096×128 · 128×64 + ReLU (tfjs ${info.name})`,
      'js ms': '',
      'pool 1 part ms': '',
      [`pool ${info.threads} parts ms`]: +denseN.toFixed(2),
      'copies ms (mean)': '',
      'js / pool': '',
    };
    if (info.threads > 1) {
      await initBackend({ backend: info.name, threads: 1 });
      const dense1 = dense();
      await initBackend({ backend: info.name, threads: info.threads });
      summary['gemm.layer_ms_n1'] = +dense1.toFixed(3);
      drow['js ms'] = `1 thread ${dense1.toFixed(2)}`;
      drow['js / pool'] = +(dense1 / denseN).toFixed(2);
    }
    rows.push(drow);
    return { rows, summary, notes };
  },
};
