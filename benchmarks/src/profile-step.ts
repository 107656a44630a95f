/**
 * Per-kernel profile of one NeuMF training step (the train-throughput shapes), for finding what to fuse or
 * speed up next:
 *
 *   pnpm --filter @ncf/benchmarks profile-step [wasm|cpu] [A|B] [--steps N]
 *
 * Wraps every kernel registered for the backend with a timer, runs warm-up steps, then reports per step:
 * calls and time per kernel name, the number of engine-dispatched kernels (kernels the fused kernels call
 * directly are counted under their own names too, so the per-name times overlap), the step's wall and CPU
 * time, and the time spent outside kernels (engine bookkeeping, the optimizer, the train step's JavaScript).
 * CPU time is more robust than wall time on a busy machine; neither replaces a quiet `pnpm bench
 * train-throughput` for reported numbers.
 */
import { createOptimizer, createRng, createTrainStep, initBackend, tf } from '@ncf/core';
import type { PointwiseBatch } from '@ncf/core';
import { neumfFactory } from '@ncf/models-ncf';

const args = process.argv.slice(2);
const backendName = args.find((a) => a === 'wasm' || a === 'cpu') ?? 'wasm';
const shapeName = args.find((a) => a === 'A' || a === 'B') ?? 'B';
const stepsFlag = args.indexOf('--steps');
const shape =
  shapeName === 'A'
    ? { factors: 32, layers: [64, 64, 32, 16], batch: 4096 }
    : { factors: 8, layers: [64, 32, 16, 8], batch: 256 };
const steps = stepsFlag >= 0 ? Number(args[stepsFlag + 1]) : shapeName === 'A' ? 40 : 400;
const USERS = 6040;
const ITEMS = 3706;

await initBackend(backendName as 'wasm' | 'cpu');
const stats = new Map<string, { calls: number; ms: number }>();
let depth = 0;
let dispatched = 0;
let profiling = false;
for (const k of tf.getKernelsForBackend(tf.getBackend())) {
  const inner = k.kernelFunc;
  tf.unregisterKernel(k.kernelName, k.backendName);
  tf.registerKernel({
    ...k,
    kernelFunc: (a: Parameters<typeof inner>[0]) => {
      if (!profiling) return inner(a);
      if (depth === 0) dispatched++;
      depth++;
      const t = performance.now();
      try {
        return inner(a);
      } finally {
        depth--;
        const s = stats.get(k.kernelName) ?? { calls: 0, ms: 0 };
        s.calls++;
        s.ms += performance.now() - t;
        stats.set(k.kernelName, s);
      }
    },
  });
}

const rng = createRng(1);
const model = neumfFactory.create(
  { numUsers: USERS, numItems: ITEMS },
  { factors: shape.factors, layers: shape.layers },
  { seed: 1 },
);
const step = createTrainStep(model, createOptimizer({ name: 'adam', learningRate: 0.001 }), createRng(2));
const batches: PointwiseBatch[] = Array.from({ length: 16 }, () => ({
  kind: 'pointwise',
  users: Int32Array.from({ length: shape.batch }, () => rng.int(USERS)),
  items: Int32Array.from({ length: shape.batch }, () => rng.int(ITEMS)),
  labels: Float32Array.from({ length: shape.batch }, () => (rng.next() < 0.2 ? 1 : 0)),
}));
for (let i = 0; i < 30; i++) step(batches[i % batches.length]!);

const c0 = process.cpuUsage();
let t0 = performance.now();
for (let i = 0; i < steps; i++) step(batches[i % batches.length]!);
const wallUs = ((performance.now() - t0) / steps) * 1000;
const cpu = process.cpuUsage(c0);
const cpuUs = (cpu.user + cpu.system) / steps;

profiling = true;
t0 = performance.now();
for (let i = 0; i < steps; i++) step(batches[i % batches.length]!);
const profiledUs = ((performance.now() - t0) / steps) * 1000;
profiling = false;
model.dispose();

let topLevelUs = 0;
const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
for (const [name, s] of rows) {
  console.log(
    `${name.padEnd(28)} ${(s.calls / steps).toFixed(1).padStart(6)} calls ${((s.ms / steps) * 1000).toFixed(0).padStart(8)} µs`,
  );
}
for (const [, s] of rows) topLevelUs += (s.ms / steps) * 1000;
console.log(
  `NeuMF shape ${shapeName} on ${backendName}: ${(dispatched / steps).toFixed(0)} engine-dispatched kernels per step; ` +
    `wall ${wallUs.toFixed(0)} µs (${((shape.batch / wallUs) * 1e6).toFixed(0)} samples/s), ` +
    `CPU ${cpuUs.toFixed(0)} µs (${((shape.batch / cpuUs) * 1e6).toFixed(0)} samples/CPU-s); profiled ${profiledUs.toFixed(0)} µs ` +
    `(sum over kernel names ${topLevelUs.toFixed(0)} µs, nested calls counted twice)`,
);
