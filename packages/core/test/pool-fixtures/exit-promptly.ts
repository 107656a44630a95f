// Spawned by compute-pool.test.ts: starts a 2-thread pool, runs a product and a ranking on it and returns
// from the script. The process must then exit by itself: the pool's workers are unref()ed. It runs under
// tsx (esbuild, which adds name-keeping helpers to functions): the workers' stringified code must cope.
import {
  computePoolInfo,
  parallelCsrMultiply,
  parallelTopK,
  startComputePool,
} from '../../src/pool/index.js';

const info = await startComputePool({ threads: 2 });
const offsets = Int32Array.from([0, 2, 3]);
const indices = Int32Array.from([0, 1, 1]);
const values = Float32Array.from([1, 2, 3]);
const out = new Float32Array(2);
const x = Float32Array.from([10, 100]);
const ran = parallelCsrMultiply({ offsets, indices, values }, x, 1, out, { parts: 2 });
// Users (1, 0) and (0, 1) against items (1, 2), (3, 1), (0, 5): scores 1 3 0 and 2 1 5.
const users = Float32Array.from([1, 0, 0, 1]);
const items = Float32Array.from([1, 2, 3, 1, 0, 5]);
const top = parallelTopK(users, items, 2, 2, { parts: 2 });
console.log(
  JSON.stringify({
    threads: info.threads,
    ran,
    out: [...out],
    top: top ? [...top.items] : null,
    description: computePoolInfo().description,
  }),
);
