/**
 * `ncf-quality`: our MF, GMF, MLP and NeuMF against the PyTorch peer (`../shared/peers/torch_recsys.py`) on the
 * NCF paper's leave-one-out splits, same hyperparameters, same run. Reports HR@10 / NDCG@10 under the sampled
 * protocol (the split's 99 fixed negatives) and under full ranking (train items masked), mean ± std over
 * seeds, with the popularity baseline beside them, and the time our NeuMF needs to reach the peer's best HR@10.
 *
 *   pnpm bench ncf-quality [--json out.json] [--ml1m] [--only-ml1m] [--seeds 3] [--epochs 20]
 *     [--models mf,gmf,mlp,neumf] [--no-peer] [--no-peer-full] [--parallel-peer] [--backend wasm]
 *     [--batch 256] [--lr 0.001] [--fast-batch N --fast-lr X [--fast-epochs E]] [--seed-list 42,43]
 *     [--pretrain [--pretrain-optimizer sgd|adam] [--pretrain-lr 0.001] [--pretrain-alpha 0.5]]
 *     [--peer-threads 2] [--peer-jobs 1] [--factors 8] [--layers 64,32,16,8] [--negatives 4] [--l2 0] [--lr-decay 1]
 *     [--optimizer adam|sgd] [--init-std X] [--average-last N] [--l2-per-sample X]
 *
 * Paper defaults (He et al., WWW 2017): 8 factors, MLP 64-32-16-8, 4 negatives per positive, Adam lr 0.001,
 * batch 256, 20 epochs. Both sides report the metrics of the last epoch (no selection on the test set).
 * The peer evaluates one protocol per run, so full ranking needs a second peer training run per seed
 * (`--no-peer-full` skips it). `--parallel-peer` runs the peer beside our training (quality numbers are
 * unaffected; timings are then not comparable, and the time-to-peer-best summary is left out); with it,
 * `--peer-jobs N --peer-threads T` runs N peer processes of T threads each at once (e.g. 2 × 1 on two cores).
 *
 * Over ~400 lines because its options, our training runs and the report share one set of types; the peer
 * runner and the statistics live in `src/`, and our model wiring leaves with the CLI's shared wiring.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fit, initBackend, parseBackendPreference, tf } from '@ncf/core';
import type { ModelFactory, Recommender } from '@ncf/core';
import { batchSourceFor } from '@ncf/datasets';
import { evaluate, popularityScorer } from '@ncf/eval';
import type { EvalData, Scorer } from '@ncf/eval';
import { gmfFactory, mfFactory, mlpFactory, neumfFactory, neumfFromPretrained } from '@ncf/models-ncf';
import type { Suite, SuiteContext, SuiteResult } from '../src/suite.js';
import { flagValue, numberFlag } from '../src/suite-args.js';
import { loadNcfEvalSplit } from '../src/ncf-split.js';
import { mean, meanPlusMinus } from '../src/stats.js';
import { runNcfPeer, type PeerJson } from '../src/ncf-peer.js';
import type { NcfEvalSplit } from '../src/ncf-split.js';

type ModelName = 'mf' | 'gmf' | 'mlp' | 'neumf';
const ALL_MODELS: readonly ModelName[] = ['mf', 'gmf', 'mlp', 'neumf'];
const SEEDS = [42, 43, 44, 45, 46];

/** Hyperparameters shared by ours and the peer. */
interface Hyper {
  readonly factors: number;
  readonly layers: readonly number[];
  readonly negatives: number;
  readonly lr: number;
  /** L2 penalty on embeddings (ours only: the peer's NCF models have none); 0 in the paper-default runs. */
  readonly l2: number;
  /** Per-epoch learning-rate factor (ours only; 1 = constant, the paper's setting). */
  readonly lrDecay: number;
  /** Our optimizer (the peer always uses Adam); `sgd` with a per-batch lr = per-sample lr × batch mimics
   * Rendle et al.'s (2020) per-sample SGD. */
  readonly optimizer: 'adam' | 'sgd';
  /** Std of our MF/GMF embedding initialisation (ours only); undefined = the model's default. */
  readonly initStd: number | undefined;
  /** Ours only, MF: Rendle et al.'s per-sample L2 λ (`l2PerSample`; with `--optimizer sgd` and lr = per-sample
   * lr × batch, their per-sample SGD summed over each batch); 0 = off. */
  readonly l2PerSample: number;
  /** Ours only: the reported model is the mean of the weights at the end of the last N epochs (0 = off;
   * Polyak–Ruppert averaging at epoch granularity, as in SWA, Izmailov et al. 2018). */
  readonly averageLast: number;
  readonly batch: number;
  readonly epochs: number;
}

interface Options {
  readonly datasets: readonly string[];
  readonly seeds: readonly number[];
  readonly models: readonly ModelName[];
  readonly peer: boolean;
  readonly peerFull: boolean;
  readonly parallelPeer: boolean;
  /** Threads per peer process (`--threads` of torch_recsys.py). */
  readonly peerThreads: number;
  /** Peer processes run at once (only with `--parallel-peer`). */
  readonly peerJobs: number;
  readonly backend: string | undefined;
  readonly hyper: Hyper;
  /** Extra NeuMF configuration for the time-to-peer-best summary only (its quality is not reported). */
  readonly fast: { batch: number; lr: number; epochs: number } | undefined;
  /** NeuMF from our trained GMF and MLP of the same seed (He et al. §3.4.1), then trained with this optimizer. */
  readonly pretrain: { optimizer: 'sgd' | 'adam'; lr: number; alpha: number } | undefined;
}

function parseArgs(args: readonly string[]): Options {
  const value = (flag: string): string | undefined => flagValue(args, flag);
  const num = (flag: string, dflt: number): number => numberFlag(args, flag, dflt);
  const seedCount = num('--seeds', 3);
  const models = (value('--models') ?? ALL_MODELS.join(',')).split(',') as ModelName[];
  for (const m of models) if (!ALL_MODELS.includes(m)) throw new Error(`--models: unknown model '${m}'`);
  if (args.includes('--pretrain') && !(models.includes('gmf') && models.includes('mlp'))) {
    throw new Error(
      '--pretrain builds NeuMF from the GMF and MLP of the same run: --models must include gmf and mlp',
    );
  }
  const datasets = args.includes('--only-ml1m')
    ? ['ml-1m']
    : args.includes('--ml1m')
      ? ['ml-100k', 'ml-1m']
      : ['ml-100k'];
  const fastBatch = value('--fast-batch');
  return {
    datasets,
    seeds: value('--seed-list')?.split(',').map(Number) ?? SEEDS.slice(0, seedCount),
    models,
    peer: !args.includes('--no-peer'),
    peerFull: !args.includes('--no-peer-full'),
    parallelPeer: args.includes('--parallel-peer'),
    peerThreads: num('--peer-threads', 2),
    peerJobs: num('--peer-jobs', 1),
    backend: value('--backend'),
    hyper: {
      factors: num('--factors', 8),
      layers: (value('--layers') ?? '64,32,16,8').split(',').map(Number),
      negatives: num('--negatives', 4),
      lr: num('--lr', 0.001),
      l2: num('--l2', 0),
      lrDecay: num('--lr-decay', 1),
      optimizer: optimizerFlag(value('--optimizer')),
      averageLast: num('--average-last', 0),
      initStd: value('--init-std') === undefined ? undefined : Number(value('--init-std')),
      l2PerSample: num('--l2-per-sample', 0),
      batch: num('--batch', 256),
      epochs: num('--epochs', 20),
    },
    fast:
      fastBatch === undefined
        ? undefined
        : {
            batch: Number(fastBatch),
            lr: num('--fast-lr', 0.002),
            // Time to a target is a race: the fast run may train longer than the paper's 20 epochs.
            epochs: num('--fast-epochs', num('--epochs', 20)),
          },
    pretrain: args.includes('--pretrain')
      ? {
          optimizer: value('--pretrain-optimizer') === 'adam' ? 'adam' : 'sgd',
          lr: num('--pretrain-lr', 0.001),
          alpha: num('--pretrain-alpha', 0.5),
        }
      : undefined,
  };
}

interface Metrics {
  readonly hr: number;
  readonly ndcg: number;
}

async function metricsOf(scorer: Scorer, data: EvalData, protocol: 'sampled' | 'full'): Promise<Metrics> {
  const r = await evaluate(scorer, data, { protocol, k: 10 });
  return { hr: r.metrics['hr@10']!, ndcg: r.metrics['ndcg@10']! };
}

/** One training run: final sampled + full metrics, and the sampled HR@10 after each epoch with train time. */
interface RunResult {
  readonly sampled: Metrics;
  readonly full: Metrics | undefined;
  /** Per epoch: cumulative training seconds (evaluation excluded) and sampled HR@10. */
  readonly curve: readonly { seconds: number; hr: number }[];
  readonly trainSeconds: number;
}

function factoryOf(model: ModelName): ModelFactory<object> {
  const f = { mf: mfFactory, gmf: gmfFactory, mlp: mlpFactory, neumf: neumfFactory }[model];
  return f as unknown as ModelFactory<object>;
}

function optimizerFlag(v: string | undefined): 'adam' | 'sgd' {
  if (v === undefined || v === 'adam' || v === 'sgd') return v ?? 'adam';
  throw new Error(`--optimizer: expected adam or sgd, got '${v}'`);
}

function configOf(model: ModelName, h: Hyper): object {
  if (model === 'mf')
    return {
      factors: h.factors,
      l2PerSample: h.l2PerSample,
      ...(h.initStd !== undefined ? { initStd: h.initStd } : {}),
    };
  if (model === 'gmf') return { factors: h.factors };
  if (model === 'mlp') return { layers: h.layers };
  return { factors: h.factors, layers: h.layers };
}

/** How {@link runOurs} may deviate from a fresh model trained with Adam. */
interface RunOptions {
  /** Start from this model instead of a fresh one (it is trained and disposed like one). */
  readonly init?: Recommender;
  readonly optimizer?: { name: 'sgd' | 'adam'; learningRate: number };
  /** Label in the log. */
  readonly label?: string;
  /** Called with the trained model instead of disposing it (the caller disposes). */
  readonly keep?: (m: Recommender) => void;
}

async function runOurs(
  split: NcfEvalSplit,
  model: ModelName,
  seed: number,
  h: Hyper,
  log: (m: string) => void,
  run: RunOptions = {},
): Promise<RunResult> {
  const m: Recommender = run.init ?? factoryOf(model).create(split.info, configOf(model, h), { seed });
  const label = run.label ?? model;
  let kept = false;
  const curve: { seconds: number; hr: number }[] = [];
  let evalSeconds = 0;
  let trainSeconds = 0;
  let last: Metrics | undefined;
  // Running sums of the weights at the end of the last `h.averageLast` epochs (--average-last).
  const sums = new Map<string, Float64Array>();
  let averaged = 0;
  try {
    const started = performance.now();
    // Every training pair as a positive plus `negatives` uniform items the user never interacted with, shuffled
    // each epoch: the NCF paper's (and the peer's) sampling, from @ncf/datasets.
    await fit(m, batchSourceFor(m.dataSpec, split.train, { negatives: h.negatives }), {
      epochs: h.epochs,
      batchSize: h.batch,
      seed,
      optimizer: run.optimizer
        ? { ...run.optimizer, l2: h.l2 }
        : { name: h.optimizer, learningRate: h.lr, l2: h.l2 },
      ...(h.lrDecay !== 1
        ? { learningRateSchedule: { type: 'exponential' as const, factor: h.lrDecay } }
        : {}),
      validate: async (trained) => {
        const t0 = performance.now();
        last = await metricsOf(trained, split.data, 'sampled');
        const t1 = performance.now();
        evalSeconds += (t1 - t0) / 1000;
        trainSeconds = (t1 - started) / 1000 - evalSeconds;
        curve.push({ seconds: trainSeconds, hr: last.hr });
        if (h.averageLast > 0 && curve.length > h.epochs - h.averageLast) {
          for (const v of trained.variables()) {
            const x = v.variable.dataSync() as Float32Array;
            const acc = sums.get(v.name) ?? new Float64Array(x.length);
            for (let i = 0; i < x.length; i++) acc[i] = acc[i]! + x[i]!;
            sums.set(v.name, acc);
          }
          averaged++;
        }
        log(
          `  ours ${label} seed ${seed} epoch ${curve.length}: HR@10 ${last.hr.toFixed(4)} NDCG@10 ${last.ndcg.toFixed(4)} (${trainSeconds.toFixed(1)} s training)`,
        );
        return { 'hr@10': last.hr, 'ndcg@10': last.ndcg };
      },
    });
    if (averaged > 0) {
      for (const v of m.variables()) {
        const acc = sums.get(v.name)!;
        const mean = Float32Array.from(acc, (x) => x / averaged);
        const t = tf.tensor(mean, v.variable.shape);
        v.variable.assign(t);
        t.dispose();
      }
      last = await metricsOf(m, split.data, 'sampled');
      log(
        `  ours ${label} seed ${seed} mean of the last ${averaged} epochs' weights: HR@10 ${last.hr.toFixed(4)} NDCG@10 ${last.ndcg.toFixed(4)}`,
      );
    }
    const full = await metricsOf(m, split.data, 'full');
    if (run.keep) {
      run.keep(m);
      kept = true;
    }
    return { sampled: last!, full, curve, trainSeconds };
  } finally {
    if (!kept) m.dispose();
  }
}

const pm = (xs: readonly number[]): string => (xs.length ? meanPlusMinus(xs) : 'n/a');

/** Seconds until `curve` first reaches `target` (linear in epochs; Infinity when never). */
function timeToReach(curve: readonly { seconds: number; hr: number }[], target: number): number {
  for (const p of curve) if (p.hr >= target) return p.seconds;
  return Infinity;
}

async function runDataset(ctx: SuiteContext, o: Options, name: string, workDir: string) {
  const split = await loadNcfEvalSplit(ctx.sharedData, name);
  ctx.log(
    `[ncf-quality] ${name}: ${split.info.numUsers} users, ${split.info.numItems} items, ${split.train.length} train rows`,
  );
  const rows: Record<string, string | number>[] = [];
  const summary: Record<string, number> = {};
  const notes: string[] = [];
  const key = (k: string): string => (name === 'ml-100k' ? k : `ml1m.${k}`);
  const usePeer = o.peer && ctx.python !== undefined;

  // Peer runs: queued so that at most one runs at a time; started now when --parallel-peer, else awaited in turn.
  const peerJobs: (() => Promise<void>)[] = [];
  const peerResults = new Map<string, RunResult>();
  const queuePeer = (model: ModelName | 'pop', seed: number, protocol: 'sampled' | 'full'): void => {
    peerJobs.push(async () => {
      ctx.log(`  peer ${model} seed ${seed} ${protocol}…`);
      const r = await runNcfPeer(ctx, split, model, seed, o.hyper, protocol, workDir, o.peerThreads);
      ctx.log(
        `  peer ${model} seed ${seed} ${protocol}: HR@10 ${r.sampled.hr.toFixed(4)} NDCG@10 ${r.sampled.ndcg.toFixed(4)} (${r.trainSeconds.toFixed(1)} s training)`,
      );
      peerResults.set(`${model}/${seed}/${protocol}`, r);
    });
  };
  if (usePeer) {
    for (const model of o.models) {
      for (const seed of o.seeds) {
        queuePeer(model, seed, 'sampled');
        if (o.peerFull) queuePeer(model, seed, 'full');
      }
    }
  }
  const drainPeers = async (): Promise<void> => {
    const worker = async (): Promise<void> => {
      while (peerJobs.length) await peerJobs.shift()!();
    };
    const jobs = o.parallelPeer ? Math.max(1, o.peerJobs) : 1;
    await Promise.all(Array.from({ length: jobs }, worker));
  };
  const peerDone = o.parallelPeer ? drainPeers() : undefined;

  // Ours.
  const ours = new Map<string, RunResult>();
  const trained = new Map<string, Recommender>();
  try {
    for (const model of o.models) {
      for (const seed of o.seeds) {
        ctx.log(`  ours ${model} seed ${seed}…`);
        const keep = o.pretrain && (model === 'gmf' || model === 'mlp');
        const run: RunOptions = keep ? { keep: (m) => trained.set(`${model}/${seed}`, m) } : {};
        ours.set(`${model}/${seed}`, await runOurs(split, model, seed, o.hyper, ctx.log, run));
      }
    }
    if (o.pretrain) {
      const pre = o.pretrain;
      for (const seed of o.seeds) {
        ctx.log(`  ours neumf_pretrain seed ${seed}…`);
        const init = neumfFromPretrained(trained.get(`gmf/${seed}`)!, trained.get(`mlp/${seed}`)!, {
          alpha: pre.alpha,
        });
        ours.set(
          `neumf_pretrain/${seed}`,
          await runOurs(split, 'neumf', seed, o.hyper, ctx.log, {
            init,
            optimizer: { name: pre.optimizer, learningRate: pre.lr },
            label: 'neumf_pretrain',
          }),
        );
      }
    }
  } finally {
    for (const m of trained.values()) m.dispose();
  }
  const fastNeumf: RunResult[] = [];
  if (o.fast && o.models.includes('neumf')) {
    const hf = { ...o.hyper, batch: o.fast.batch, lr: o.fast.lr, epochs: o.fast.epochs };
    for (const seed of o.seeds) fastNeumf.push(await runOurs(split, 'neumf', seed, hf, ctx.log));
  }
  if (peerDone) await peerDone;
  else await drainPeers();

  // Popularity baseline (ours; the peer's reference numbers beside it when present).
  const pop = popularityScorer(split.info.numItems, split.train.items);
  const popS = await metricsOf(pop, split.data, 'sampled');
  const popF = await metricsOf(pop, split.data, 'full');
  rows.push({
    dataset: name,
    model: 'popularity',
    side: 'ours',
    'HR@10 sampled': popS.hr.toFixed(4),
    'NDCG@10 sampled': popS.ndcg.toFixed(4),
    'HR@10 full': popF.hr.toFixed(4),
    'NDCG@10 full': popF.ndcg.toFixed(4),
    'train s': 0,
  });
  summary[key('pop.hr10')] = popS.hr;
  summary[key('pop.ndcg10')] = popS.ndcg;
  summary[key('pop.hr10_full')] = popF.hr;
  summary[key('pop.ndcg10_full')] = popF.ndcg;
  for (const protocol of ['sampled', 'full'] as const) {
    const ref = path.join(ctx.peers, 'reference', `pop-${name}-loo-${protocol}.json`);
    if (existsSync(ref)) {
      const j = JSON.parse(readFileSync(ref, 'utf8')) as PeerJson;
      notes.push(
        `${name} popularity, peer reference (${protocol}): HR@10 ${j.final.eval['hr@10']!.toFixed(4)}, NDCG@10 ${j.final.eval['ndcg@10']!.toFixed(4)}`,
      );
    }
  }

  const reported: string[] = [...o.models, ...(o.pretrain ? ['neumf_pretrain'] : [])];
  for (const model of reported) {
    const our = o.seeds.map((s) => ours.get(`${model}/${s}`)!);
    const peerS = o.seeds.map((s) => peerResults.get(`${model}/${s}/sampled`)).filter((r) => r !== undefined);
    const peerF = o.seeds.map((s) => peerResults.get(`${model}/${s}/full`)).filter((r) => r !== undefined);
    rows.push({
      dataset: name,
      model,
      side: 'ours',
      'HR@10 sampled': pm(our.map((r) => r.sampled.hr)),
      'NDCG@10 sampled': pm(our.map((r) => r.sampled.ndcg)),
      'HR@10 full': pm(our.map((r) => r.full!.hr)),
      'NDCG@10 full': pm(our.map((r) => r.full!.ndcg)),
      'train s': mean(our.map((r) => r.trainSeconds)).toFixed(1),
    });
    summary[key(`${model}.hr10_ours`)] = mean(our.map((r) => r.sampled.hr));
    summary[key(`${model}.ndcg10_ours`)] = mean(our.map((r) => r.sampled.ndcg));
    summary[key(`${model}.hr10_full_ours`)] = mean(our.map((r) => r.full!.hr));
    summary[key(`${model}.ndcg10_full_ours`)] = mean(our.map((r) => r.full!.ndcg));
    if (peerS.length) {
      rows.push({
        dataset: name,
        model,
        side: 'peer',
        'HR@10 sampled': pm(peerS.map((r) => r.sampled.hr)),
        'NDCG@10 sampled': pm(peerS.map((r) => r.sampled.ndcg)),
        'HR@10 full': peerF.length ? pm(peerF.map((r) => r.full!.hr)) : 'n/a',
        'NDCG@10 full': peerF.length ? pm(peerF.map((r) => r.full!.ndcg)) : 'n/a',
        'train s': mean(peerS.map((r) => r.trainSeconds)).toFixed(1),
      });
      summary[key(`${model}.hr10_peer`)] = mean(peerS.map((r) => r.sampled.hr));
      summary[key(`${model}.ndcg10_peer`)] = mean(peerS.map((r) => r.sampled.ndcg));
      if (peerF.length) {
        summary[key(`${model}.hr10_full_peer`)] = mean(peerF.map((r) => r.full!.hr));
        summary[key(`${model}.ndcg10_full_peer`)] = mean(peerF.map((r) => r.full!.ndcg));
      }
    }
    if (model === 'neumf' && peerS.length && !o.parallelPeer) {
      // Time to the peer's best sampled HR@10: per seed, the peer's own best epoch vs. the first epoch at which
      // one of our runs (paper defaults, and the --fast-batch configuration when given) reaches it.
      const targets = peerS.map((r) => Math.max(...r.curve.map((p) => p.hr)));
      const peerT = peerS.map((r, s) => timeToReach(r.curve, targets[s]!));
      const defaultT = our.map((r, s) => timeToReach(r.curve, targets[s]!));
      const fastT = fastNeumf.map((r, s) => timeToReach(r.curve, targets[s]!));
      const ourT = defaultT.map((t, s) => Math.min(t, fastT[s] ?? Infinity));
      summary[key('neumf.time_to_peer_best_ours_over_peer')] = mean(ourT) / mean(peerT);
      const show = (ts: number[]): string => ts.map((t) => t.toFixed(1)).join(', ');
      notes.push(
        `${name} NeuMF time to the peer's best HR@10 (${targets.map((t) => t.toFixed(4)).join(', ')}): ours ` +
          `${show(ourT)} s vs peer ${show(peerT)} s (ours: the faster of the paper defaults, ${show(defaultT)} s` +
          (fastNeumf.length
            ? `, and batch ${o.fast!.batch} with lr ${o.fast!.lr} for up to ${o.fast!.epochs} epochs, ${show(fastT)} s)`
            : ')'),
      );
    }
  }
  return { rows, summary, notes };
}

/** The suite. */
export const suite: Suite = {
  name: 'ncf-quality',
  description:
    'MF, GMF, MLP, NeuMF vs. the PyTorch peer on the NCF leave-one-out splits: HR@10 / NDCG@10, sampled and full',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const o = parseArgs(ctx.args);
    const backend = await initBackend(parseBackendPreference(o.backend));
    const workDir = mkdtempSync(path.join(tmpdir(), 'ncf-quality-'));
    const rows: Record<string, string | number>[] = [];
    const summary: Record<string, number> = {};
    const notes: string[] = [
      `backend ${backend.name} (${backend.reason}); seeds ${o.seeds.join(', ')}; ${o.hyper.epochs} epochs, batch ${o.hyper.batch}, ` +
        `${o.hyper.optimizer === 'sgd' ? 'SGD' : 'Adam'} lr ${o.hyper.lr}${o.hyper.initStd !== undefined ? `, init std ${o.hyper.initStd}` : ''}${o.hyper.l2PerSample > 0 ? `, MF per-sample L2 ${o.hyper.l2PerSample}` : ''}, ${o.hyper.negatives} negatives per positive, factors ${o.hyper.factors}, MLP ${o.hyper.layers.join('-')}`,
      'metrics of the last epoch on both sides (no model selection on the test set); mean ± sample std over seeds',
      "sampled: the positive among the split's 99 fixed negatives, ties count against it; full: all items, train items masked",
    ];
    if (o.peer && ctx.python === undefined) notes.push('peer skipped: no python with torch');
    if (o.parallelPeer)
      notes.push('--parallel-peer: the peer ran beside our training; timings are not comparable');
    try {
      for (const name of o.datasets) {
        if (!existsSync(path.join(ctx.sharedData, `${name}-loo`))) {
          notes.push(`${name}-loo not found under ${ctx.sharedData}: skipped`);
          continue;
        }
        const r = await runDataset(ctx, o, name, workDir);
        rows.push(...r.rows);
        Object.assign(summary, r.summary);
        notes.push(...r.notes);
      }
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
    return { rows, summary, notes };
  },
};
