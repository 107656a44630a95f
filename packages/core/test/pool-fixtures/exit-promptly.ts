// Spawned by compute-pool.test.ts: starts a 2-thread pool, runs a product on it and returns from the
// script. The process must then exit by itself: the pool's workers are unref()ed.
import { computePoolInfo, parallelCsrMultiply, startComputePool } from '../../src/pool/index.js';

const info = await startComputePool({ threads: 2 });
const offsets = Int32Array.from([0, 2, 3]);
const indices = Int32Array.from([0, 1, 1]);
const values = Float32Array.from([1, 2, 3]);
const out = new Float32Array(2);
const ran = parallelCsrMultiply({ offsets, indices, values }, Float32Array.from([10, 100]), 1, out, {
  parts: 2,
});
console.log(
  JSON.stringify({ threads: info.threads, ran, out: [...out], description: computePoolInfo().description }),
);
