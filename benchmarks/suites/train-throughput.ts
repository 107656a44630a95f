/**
 * train-throughput: training steps per second of the real NeuMF (`@ncf/models-ncf`'s `neumfFactory`) with
 * @ncf/core's train step and fused Adam, on every JavaScript backend that loads, against the PyTorch peer
 * (`torch_recsys.py --bench-steps`) with the same sizes, in the same run, interleaved (peer, ours, peer, ours…)
 * so both see the same machine load. Plus a scaling case (10,000 vs 1,000,000 items at the same batch: the
 * step must cost the batch, not the catalog) and a leak check over 1,000 steps.
 *
 * Shapes (issue 3): A = factors 32, MLP 64-64-32-16, batch 4096; B = factors 8, MLP 64-32-16-8, batch 256
 * (the paper's NeuMF); 6,040 users × 3,706 items (ML-1M). Batches are random ids with 20% positives, like
 * the peer's bench mode; no data loading is timed on either side.
 *
 * Suite flags: `--repeats N` (timing repeats per case, median kept; default 3), `--quick` (fewer steps, no
 * cpu shape A, 200-step leak check), `--no-peer`, `--backends wasm,cpu`, `--threads N` (compute-pool threads;
 * default `NCF_THREADS` or the cores).
 *
 * Summary: `shapeA.wasm_over_peer`, `shapeB.wasm_over_peer` (our samples/s ÷ the peer's; target ≥ 3),
 * `shapeA.cpu_over_wasm` (cpu samples/s ÷ wasm samples/s; target ≥ 1/3, i.e. cpu within 3× of wasm),
 * `scaling.step_1m_over_10k` (step time at 1M items ÷ at 10K; target ≤ 1.5), `leak.tensors_delta_1000_steps`
 * (target 0), and the raw samples/s and step times; `threads` (compute-pool threads used). The peer's BLAS is
 * recorded (`peer_blas` in the JSON) and every ratio against the peer is withheld when it is netlib's
 * reference BLAS. No `*_n1` keys: the NeuMF step does not run on the compute pool yet (its GEMMs and sparse
 * optimizer updates are single-thread), so they would repeat these.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createOptimizer, createRng, createTrainStep, initBackend, tf } from '@ncf/core';
import type { Batch, PointwiseBatch, Rng } from '@ncf/core';
import { neumfFactory } from '@ncf/models-ncf';
import { median } from '../src/stats.js';
import { detectPeerBlas, peerBlasNote, peerRatioFair } from '../src/peer-blas.js';
import type { Suite, SuiteContext, SuiteResult } from '../src/suite.js';

interface Shape {
  readonly name: 'shapeA' | 'shapeB';
  readonly factors: number;
  readonly layers: readonly number[];
  readonly batch: number;
}

const USERS = 6040;
const ITEMS = 3706;
const SHAPES: readonly Shape[] = [
  { name: 'shapeA', factors: 32, layers: [64, 64, 32, 16], batch: 4096 },
  { name: 'shapeB', factors: 8, layers: [64, 32, 16, 8], batch: 256 },
];

function randomBatches(count: number, size: number, numItems: number, rng: Rng): PointwiseBatch[] {
  return Array.from({ length: count }, () => ({
    kind: 'pointwise' as const,
    users: Int32Array.from({ length: size }, () => rng.int(USERS)),
    items: Int32Array.from({ length: size }, () => rng.int(numItems)),
    labels: Float32Array.from({ length: size }, () => (rng.next() < 0.2 ? 1 : 0)),
  }));
}

interface Timing {
  readonly samplesPerS: number;
  readonly stepMs: number;
  /** Fastest single step: an estimate of the unloaded step time on a busy machine. */
  readonly bestStepMs: number;
  readonly tensorsDelta: number;
  readonly rssDeltaMb: number;
}

/** Creates a NeuMF, runs `warmup` then `steps` timed steps; disposes everything. */
function timeSteps(shape: Shape, numItems: number, steps: number, warmup: number, seed: number): Timing {
  const model = neumfFactory.create(
    { numUsers: USERS, numItems },
    { factors: shape.factors, layers: shape.layers },
    { seed },
  );
  const optimizer = createOptimizer({ name: 'adam', learningRate: 0.001 });
  const step = createTrainStep(model, optimizer, createRng(seed));
  const batches: Batch[] = randomBatches(16, shape.batch, numItems, createRng(seed + 1));
  for (let i = 0; i < warmup; i++) step(batches[i % batches.length]!);
  const tensors0 = tf.memory().numTensors;
  const rss0 = process.memoryUsage().rss;
  let best = Infinity;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const s0 = performance.now();
    step(batches[i % batches.length]!);
    best = Math.min(best, performance.now() - s0);
  }
  const ms = performance.now() - t0;
  const result = {
    samplesPerS: (steps * shape.batch * 1000) / ms,
    stepMs: ms / steps,
    bestStepMs: best,
    tensorsDelta: tf.memory().numTensors - tensors0,
    rssDeltaMb: (process.memoryUsage().rss - rss0) / 2 ** 20,
  };
  optimizer.dispose();
  model.dispose();
  return result;
}

/** Runs the PyTorch peer's bench mode; undefined when no python with torch is available or it fails. */
function runPeer(
  ctx: SuiteContext,
  shape: Shape,
  items: number,
  steps: number,
): { samples_per_s: number; step_ms: number } | undefined {
  const script = path.join(ctx.peers, 'torch_recsys.py');
  if (ctx.python === undefined || !existsSync(script)) return undefined;
  const args = [
    script,
    ...[
      '--model',
      'neumf',
      '--bench-steps',
      String(steps),
      '--users',
      String(USERS),
      '--items',
      String(items),
    ],
    ...[
      '--factors',
      String(shape.factors),
      '--layers',
      shape.layers.join(','),
      '--batch',
      String(shape.batch),
    ],
  ];
  const r = spawnSync(ctx.python, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    ctx.log(
      `[train-throughput] peer failed (${r.status}): ${(r.stderr ?? '').split('\n').slice(-3).join(' ')}`,
    );
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { samples_per_s: number; step_ms: number };
}

/**
 * The peer's fastest single step (ms), timed step by step with the peer's own model and step code
 * (`torch_recsys.build`, Adam, BCE-with-logits on random ids, as its `bench_steps`).
 */
function peerBestStep(ctx: SuiteContext, shape: Shape, steps: number): number | undefined {
  if (ctx.python === undefined || !existsSync(path.join(ctx.peers, 'torch_recsys.py'))) return undefined;
  const code = [
    'import sys, time, json, argparse, torch, torch.nn.functional as F',
    `sys.path.insert(0, ${JSON.stringify(ctx.peers)})`,
    'import torch_recsys as T',
    'torch.set_num_threads(2); torch.manual_seed(42)',
    `a = argparse.Namespace(model='neumf', factors=${shape.factors}, layers=[${shape.layers.join(',')}], init_std=0.01, lr=0.001)`,
    `nu, ni, B = ${USERS}, ${ITEMS}, ${shape.batch}`,
    'm = T.build(a, nu, ni, [], []); opt = torch.optim.Adam(m.parameters(), lr=a.lr)',
    'def step():',
    '    u = torch.randint(0, nu, (B,)); i = torch.randint(0, ni, (B,)); y = (torch.rand(B) < 0.2).float()',
    '    opt.zero_grad(); loss = F.binary_cross_entropy_with_logits(m(u, i), y); loss.backward(); opt.step()',
    'for _ in range(5): step()',
    'best = 1e9',
    `for _ in range(${steps}):`,
    '    t = time.perf_counter(); step(); best = min(best, time.perf_counter() - t)',
    'print(json.dumps({"best_step_ms": best * 1000}))',
  ].join('\n');
  const r = spawnSync(ctx.python, ['-c', code], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    ctx.log(`[train-throughput] peer best-step failed: ${(r.stderr ?? '').split('\n').slice(-3).join(' ')}`);
    return undefined;
  }
  return (JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { best_step_ms: number }).best_step_ms;
}

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function canUse(backend: 'wasm' | 'cpu', ctx: SuiteContext, threads?: number): Promise<boolean> {
  try {
    await initBackend(backend, threads !== undefined ? { threads } : {});
    return true;
  } catch (err) {
    ctx.log(`[train-throughput] backend ${backend} unavailable: ${(err as Error).message}`);
    return false;
  }
}

export const suite: Suite = {
  name: 'train-throughput',
  description:
    'NeuMF training samples/s on wasm and cpu vs the PyTorch peer (shapes A and B, same run), 10K vs 1M items scaling, tensor leak over 1000 steps',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const quick = ctx.args.includes('--quick');
    const repeats = Number(flag(ctx.args, '--repeats') ?? (quick ? 1 : 3));
    const usePeer = !ctx.args.includes('--no-peer');
    const backends = (flag(ctx.args, '--backends') ?? 'wasm,cpu').split(',') as ('wasm' | 'cpu')[];
    const stepsFor = (shape: Shape, backend: 'wasm' | 'cpu' | 'peer'): number => {
      const base = shape.name === 'shapeA' ? 40 : 400;
      const scaled = backend === 'cpu' ? base / 4 : base;
      return Math.max(4, Math.round(quick ? scaled / 4 : scaled));
    };
    const rows: Record<string, string | number>[] = [];
    const summary: Record<string, number> = {};
    const notes: string[] = [];
    const threadsFlag = flag(ctx.args, '--threads');
    const threads = threadsFlag !== undefined ? Number(threadsFlag) : undefined;
    const available: ('wasm' | 'cpu')[] = [];
    for (const b of backends) if (await canUse(b, ctx, threads)) available.push(b);
    const peerBlas = usePeer && ctx.python !== undefined ? detectPeerBlas(ctx.python) : undefined;
    const fair = peerRatioFair(peerBlas);
    notes.push(peerBlasNote(peerBlas));

    for (const shape of SHAPES) {
      const ours: Record<string, number[]> = {};
      const oursBest: Record<string, number[]> = {};
      const peers: number[] = [];
      const peersBest: number[] = [];
      for (let r = 0; r < repeats; r++) {
        if (usePeer) {
          const p = runPeer(ctx, shape, ITEMS, stepsFor(shape, 'peer'))?.samples_per_s;
          if (p !== undefined) peers.push(p);
          const pb = peerBestStep(ctx, shape, stepsFor(shape, 'peer'));
          if (pb !== undefined) peersBest.push(pb);
        }
        for (const b of available) {
          if (quick && b === 'cpu' && shape.name === 'shapeA') continue;
          summary.threads = (await initBackend(b, threads !== undefined ? { threads } : {})).threads;
          const t = timeSteps(shape, ITEMS, stepsFor(shape, b), 3, 7 + r);
          (ours[b] ??= []).push(t.samplesPerS);
          (oursBest[b] ??= []).push(t.bestStepMs);
          ctx.log(
            `[train-throughput] ${shape.name} ${b} repeat ${r + 1}: ${t.samplesPerS.toFixed(0)} samples/s` +
              (peers.length ? ` (peer ${peers[peers.length - 1]!.toFixed(0)})` : ''),
          );
        }
      }
      const peerMedian = peers.length ? median(peers) : undefined;
      if (peerMedian !== undefined) summary[`${shape.name}.peer_samples_per_s`] = Math.round(peerMedian);
      for (const [b, xs] of Object.entries(ours)) {
        const m = median(xs);
        summary[`${shape.name}.${b}_samples_per_s`] = Math.round(m);
        if (peerMedian !== undefined && fair) {
          summary[`${shape.name}.${b}_over_peer`] = +(m / peerMedian).toFixed(3);
        }
        rows.push({
          case: shape.name,
          backend: b,
          batch: shape.batch,
          'samples/s (median)': Math.round(m),
          'samples/s (all)': xs.map((x) => Math.round(x)).join(' '),
          'peer samples/s': peerMedian === undefined ? 'n/a' : Math.round(peerMedian),
          'ours/peer': peerMedian === undefined ? 'n/a' : fair ? +(m / peerMedian).toFixed(2) : 'withheld',
        });
      }
      if (peerMedian !== undefined) {
        rows.push({
          case: shape.name,
          backend: 'pytorch peer',
          batch: shape.batch,
          'samples/s (median)': Math.round(peerMedian),
          'samples/s (all)': peers.map((x) => Math.round(x)).join(' '),
          'peer samples/s': Math.round(peerMedian),
          'ours/peer': 1,
        });
      }
      const peerBest = peersBest.length ? Math.min(...peersBest) : undefined;
      if (peerBest !== undefined) summary[`${shape.name}.peer_best_step_ms`] = +peerBest.toFixed(3);
      for (const [b, xs] of Object.entries(oursBest)) {
        const best = Math.min(...xs);
        summary[`${shape.name}.${b}_best_step_ms`] = +best.toFixed(3);
        if (peerBest !== undefined && fair)
          summary[`${shape.name}.${b}_over_peer_best_step`] = +(peerBest / best).toFixed(3);
      }
      const w = summary[`${shape.name}.wasm_samples_per_s`];
      const c = summary[`${shape.name}.cpu_samples_per_s`];
      if (w !== undefined && c !== undefined) summary[`${shape.name}.cpu_over_wasm`] = +(c / w).toFixed(3);
    }

    // Scaling: shape A's model and batch with 10K vs 1M items, on the default JS backend.
    const scaleBackend = available[0];
    if (scaleBackend !== undefined) {
      await initBackend(scaleBackend, threads !== undefined ? { threads } : {});
      const shape = SHAPES[0]!;
      const steps = quick ? 8 : 20;
      const small: number[] = [];
      const large: number[] = [];
      for (let r = 0; r < repeats; r++) {
        small.push(timeSteps(shape, 10_000, steps, 3, 11 + r).stepMs);
        large.push(timeSteps(shape, 1_000_000, steps, 3, 11 + r).stepMs);
      }
      summary['scaling.step_ms_10k'] = +median(small).toFixed(2);
      summary['scaling.step_ms_1m'] = +median(large).toFixed(2);
      summary['scaling.step_1m_over_10k'] = +(median(large) / median(small)).toFixed(3);
      if (usePeer && !quick && ctx.python !== undefined) {
        // The peer's dense Adam touches every row: its own 10K vs 1M ratio, for reference.
        const p10k = runPeer(ctx, shape, 10_000, 10)?.step_ms;
        const p1m = runPeer(ctx, shape, 1_000_000, 3)?.step_ms;
        if (p10k !== undefined && p1m !== undefined) {
          summary['scaling.peer_step_1m_over_10k'] = +(p1m / p10k).toFixed(2);
        }
      }
      rows.push({
        case: 'scaling (shape A)',
        backend: scaleBackend,
        batch: shape.batch,
        'samples/s (median)': Math.round((shape.batch * 1000) / median(large)),
        'samples/s (all)': `step ms 10K items: ${small.map((x) => x.toFixed(1)).join(' ')}; 1M: ${large.map((x) => x.toFixed(1)).join(' ')}`,
        'peer samples/s': 'n/a',
        'ours/peer': 'n/a',
      });

      // Leak: numTensors and RSS across 1000 steps of shape B.
      const leakSteps = quick ? 200 : 1000;
      const t = timeSteps(SHAPES[1]!, ITEMS, leakSteps, 5, 3);
      summary[`leak.tensors_delta_${leakSteps}_steps`] = t.tensorsDelta;
      summary[`leak.rss_delta_mb_${leakSteps}_steps`] = +t.rssDeltaMb.toFixed(1);
    }
    notes.push(
      'ours: real NeuMF (@ncf/models-ncf neumfFactory), createTrainStep + createOptimizer (adam, lr 0.001), sparse lazy-Adam embedding rows; peer: torch_recsys.py --bench-steps, torch.optim.Adam, 2 threads',
      `median of ${repeats} repeat(s), peer and ours interleaved in one run; random ids, 20% positives, no data loading timed`,
      '*_over_peer_best_step = peer fastest step ÷ our fastest step (each over all its timed steps): a load-robust estimate of the unloaded ratio',
      '*_over_peer = our samples/s ÷ peer samples/s (target ≥ 3); cpu_over_wasm = cpu samples/s ÷ wasm samples/s (target ≥ 0.33); step_1m_over_10k target ≤ 1.5',
    );
    return { rows, summary, notes, ...(peerBlas !== undefined ? { peerBlas } : {}) };
  },
};
