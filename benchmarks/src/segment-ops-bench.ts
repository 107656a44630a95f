/**
 * Times the ragged-history ops of @ncf/core (segment softmax, segment weighted sum, pair attention logits:
 * forward + backward) against the same functions composed of stock tfjs ops, at the shape of one Attention
 * NCF training batch on ML-100K (512 samples, ~160 history items each, H = 128).
 *
 *   pnpm --filter @ncf/benchmarks exec tsx --conditions=@ncf/source src/segment-ops-bench.ts [--backend wasm] [--pairs-per-sample 160]
 */
import {
  createRng,
  initBackend,
  pairAttentionLogits,
  pairAttentionLogitsComposite,
  parseBackendPreference,
  segmentSoftmax,
  segmentSoftmaxComposite,
  segmentWeightedSum,
  segmentWeightedSumComposite,
  tf,
} from '@ncf/core';
import type { Tensor, Tensor1D, Tensor2D } from '@ncf/core';
import { flagValue, numberFlag } from './suite-args.js';

const args = process.argv.slice(2);
const backend = await initBackend(parseBackendPreference(flagValue(args, '--backend') ?? 'wasm'));
const n = numberFlag(args, '--batch', 512);
const perSample = numberFlag(args, '--pairs-per-sample', 160);
const h = 128;
const m = 1682;
const rng = createRng(1);
const offsets = new Int32Array(n + 1);
for (let b = 0; b < n; b++)
  offsets[b + 1] = offsets[b]! + Math.max(1, Math.round(perSample * 2 * rng.next()));
const total = offsets[n]!;
const rows = Int32Array.from({ length: total }, () => rng.int(m));
const randn = (shape: number[]): Tensor =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * 0.1),
    shape,
  );
const a = randn([n, h]) as Tensor2D;
const c = randn([m, h]) as Tensor2D;
const w = randn([h]) as Tensor1D;
const s = randn([total]) as Tensor1D;
const table = randn([m, h]) as Tensor2D;

function time(label: string, f: () => Tensor[]): number {
  for (let i = 0; i < 3; i++) tf.dispose(f());
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const out = f();
    for (const t of out) t.dataSync();
    times.push(performance.now() - t0);
    tf.dispose(out);
  }
  times.sort((x, y) => x - y);
  const med = times[5]!;
  console.log(`${label.padEnd(44)} ${med.toFixed(2)} ms (median of 10)`);
  return med;
}

const drop = { rate: 0.2, seed: 7 };
console.log(`backend ${backend.name}; ${n} segments, ${total} pairs, H = ${h}, table ${m} × ${h}`);
const rows2: [string, number, number][] = [];
const pair = (name: string, fused: () => Tensor[], stock: () => Tensor[]): void => {
  const f = time(`${name} (kernel)`, fused);
  const st = time(`${name} (stock tfjs)`, stock);
  rows2.push([name, f, st]);
};
const grads = (op: typeof pairAttentionLogits) => (): Tensor[] =>
  tf.grads((x: Tensor, y: Tensor, z: Tensor) =>
    tf.sum(op(x as Tensor2D, y as Tensor2D, z as Tensor1D, rows, offsets, drop)),
  )([a, c, w]);
pair('pair logits fwd+bwd, dropout 0.2', grads(pairAttentionLogits), grads(pairAttentionLogitsComposite));
const sm = (op: typeof segmentSoftmax) => (): Tensor[] => [
  tf.grad((x: Tensor) => tf.sum(tf.mul(op(x as Tensor1D, offsets), x)))(s),
];
pair('segment softmax fwd+bwd', sm(segmentSoftmax), sm(segmentSoftmaxComposite));
const ws = (op: typeof segmentWeightedSum) => (): Tensor[] =>
  tf.grads((x: Tensor, y: Tensor) => tf.sum(op(x as Tensor1D, y as Tensor2D, rows, offsets)))([s, table]);
pair('segment weighted sum fwd+bwd (D = 128)', ws(segmentWeightedSum), ws(segmentWeightedSumComposite));
for (const [name, f, st] of rows2) console.log(`${name}: ${(st / f).toFixed(1)}× faster than stock`);
