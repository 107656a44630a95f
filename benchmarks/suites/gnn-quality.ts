/**
 * `gnn-quality`: our LightGCN against the
 * PyTorch peer's (`../shared/peers/torch_recsys.py --model lightgcn`) on `ml-100k-loo`, full ranking (train
 * items masked, pessimistic ties), the same hyperparameters, one seed per run, the same run.
 *
 *   pnpm bench gnn-quality [--json out.json] [--epochs 50] [--seed 42] [--no-peer] [--backend wasm]
 *                          [--threads N] [--n1-epochs 2]
 *   pnpm bench gnn-quality --split u8020 [--epochs 100] [--eval-every 10] [--seeds 42,43,44]
 *     [--models lightgcn,ngcf] [--peers lightgcn,ngcf,mf_bpr] [--no-peer]
 *
 * `--split u8020` runs the LightGCN/NGCF papers' per-user 80/20 protocol on ml-100k-u8020 instead (Recall@20
 * and NDCG@20, full ranking), ours and the peers side by side (see `gnn-u8020.ts`), with summary keys
 * `u8020.<model>.recall20_ours|peer`, `u8020.<model>.ndcg20_ours|peer`, `u8020.<model>.epoch_s_ours|peer`
 * for model ∈ {lightgcn, ngcf, mf_bpr} (mf_bpr: the peer only so far).
 *
 * Hyperparameters (He et al., SIGIR 2020): d 64, 3 layers, Adam lr 0.001, batch 2048, λ 1e-4 on the batch's
 * ego embeddings, N(0, 0.1) init. Both sides report the last epoch's metrics (no selection on the test set).
 * Summary keys: `lightgcn.hr10_full_ours`, `lightgcn.hr10_full_peer`, `lightgcn.ndcg10_full_ours`,
 * `lightgcn.ndcg10_full_peer`, `lightgcn.epoch_seconds_ours`, `lightgcn.epoch_seconds_peer`, `threads` (the
 * compute pool's threads: the propagation products run there), `lightgcn.epoch_seconds_ours_n1` (a short
 * run of `--n1-epochs` epochs on 1 thread, when threads > 1; 0 skips it), `lightgcn.epoch_ours_over_peer`
 * (withheld when the peer runs on netlib's reference BLAS; the BLAS is recorded as `peer_blas`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fit, initBackend, parseBackendPreference } from '@ncf/core';
import { batchSourceFor, datasetInfoFor, userItemsCsr } from '@ncf/datasets';
import { evaluate } from '@ncf/eval';
import type { EvalData } from '@ncf/eval';
import { readNcfSplit } from '@ncf/movielens';
import { lightgcnFactory } from '@ncf/models-gnn';
import { detectPeerBlas, peerBlasNote, peerRatioFair } from '../src/peer-blas.js';
import type { PeerBlas } from '../src/peer-blas.js';
import type { Suite, SuiteContext, SuiteResult } from '../src/suite.js';
import { u8020Summary } from './gnn-u8020.js';
import type { U8020Model } from './gnn-u8020.js';

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function runProcess(cmd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve(err) : reject(new Error(`${cmd} exited ${code}: ${err.slice(-500)}`)),
    );
  });
}

export const suite: Suite = {
  name: 'gnn-quality',
  description: 'LightGCN vs the PyTorch peer on ml-100k-loo, full ranking, same hyperparameters',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const epochs = Number(flag(ctx.args, '--epochs') ?? 50);
    const seed = Number(flag(ctx.args, '--seed') ?? 42);
    const pref = parseBackendPreference(flag(ctx.args, '--backend'));
    const threadsFlag = flag(ctx.args, '--threads');
    const backend = await initBackend(
      pref,
      threadsFlag !== undefined ? { threads: Number(threadsFlag) } : {},
    );
    const n1Epochs = Number(flag(ctx.args, '--n1-epochs') ?? 2);
    if (flag(ctx.args, '--split') === 'u8020') {
      const list = (name: string, fallback: string): string[] =>
        (flag(ctx.args, name) ?? fallback).split(',');
      const { rows, summary } = await u8020Summary({
        dir: path.join(ctx.sharedData, 'ml-100k-u8020'),
        models: list('--models', 'lightgcn,ngcf') as U8020Model[],
        peers: list('--peers', 'lightgcn,ngcf,mf_bpr') as ('lightgcn' | 'ngcf' | 'mf_bpr')[],
        epochs: Number(flag(ctx.args, '--epochs') ?? 100),
        evalEvery: Number(flag(ctx.args, '--eval-every') ?? 10),
        seeds: list('--seeds', '42,43,44').map(Number),
        python: ctx.args.includes('--no-peer') ? undefined : ctx.python,
        peersDir: ctx.peers,
        log: (l) => ctx.log(l),
      });
      return {
        rows,
        summary,
        notes: [
          `ml-100k-u8020, full ranking over 1,682 items, train items masked, K 20; d 64, 3 layers, lr 1e-3, batch 2048, λ 1e-4; ours on ${backend.name}`,
        ],
      };
    }
    const prefix = path.join(ctx.sharedData, 'ml-100k-loo', 'ml-100k');
    const split = await readNcfSplit(prefix);
    const csr = userItemsCsr(split.train);
    const data: EvalData = {
      name: 'ml-100k-loo test',
      numUsers: split.numUsers,
      numItems: split.numItems,
      test: { users: split.test.users, items: split.test.items },
      exclude: { offsets: csr.offsets, items: csr.indices },
      excludeLabel: 'train',
    };
    const config = { embeddingSize: 64, layers: 3, l2: 1e-4 };
    const spec = lightgcnFactory.dataSpec(config);
    const info = datasetInfoFor(spec, split.train);
    const fitOptions = { batchSize: 2048, seed, optimizer: { name: 'adam', learningRate: 0.001 } } as const;
    const model = lightgcnFactory.create(info, config, { seed });
    const t0 = performance.now();
    const result = await fit(model, batchSourceFor(spec, split.train), { ...fitOptions, epochs });
    const oursSeconds = (performance.now() - t0) / 1000;
    const ours = await evaluate(model, data, { protocol: 'full', k: 10 });
    model.dispose();
    ctx.log(
      `ours: ${epochs} epochs in ${oursSeconds.toFixed(1)} s, final loss ${result.history.at(-1)?.loss}`,
    );

    const rows: Record<string, string | number>[] = [
      {
        side: `ours (${backend.name})`,
        'HR@10': ours.metrics['hr@10']!,
        'NDCG@10': ours.metrics['ndcg@10']!,
        's/epoch': oursSeconds / epochs,
      },
    ];
    const summary: Record<string, number> = {
      'lightgcn.hr10_full_ours': ours.metrics['hr@10']!,
      'lightgcn.ndcg10_full_ours': ours.metrics['ndcg@10']!,
      'lightgcn.epoch_seconds_ours': oursSeconds / epochs,
      threads: backend.threads,
    };
    if (backend.threads > 1 && n1Epochs > 0) {
      // The same training on the single-thread path, briefly: the second core's gain per epoch.
      await initBackend(pref, { threads: 1 });
      const m1 = lightgcnFactory.create(info, config, { seed });
      const t1 = performance.now();
      await fit(m1, batchSourceFor(spec, split.train), { ...fitOptions, epochs: n1Epochs });
      summary['lightgcn.epoch_seconds_ours_n1'] = (performance.now() - t1) / 1000 / n1Epochs;
      m1.dispose();
      await initBackend(pref, { threads: backend.threads });
    }
    let peerBlas: PeerBlas | undefined;
    if (ctx.python && !ctx.args.includes('--no-peer')) {
      peerBlas = detectPeerBlas(ctx.python);
      const dir = mkdtempSync(path.join(tmpdir(), 'gnn-quality-'));
      try {
        const out = path.join(dir, 'peer.json');
        const stderr = await runProcess(ctx.python, [
          path.join(ctx.peers, 'torch_recsys.py'),
          '--model',
          'lightgcn',
          '--protocol',
          'full',
          '--train',
          `${prefix}.train.rating`,
          '--test',
          `${prefix}.test.rating`,
          '--factors',
          '64',
          '--gnn-layers',
          '3',
          '--batch',
          '2048',
          '--lr',
          '0.001',
          '--reg',
          '1e-4',
          '--epochs',
          String(epochs),
          '--eval-every',
          String(epochs),
          '--seed',
          String(seed),
          '--json',
          out,
        ]);
        let seconds = 0;
        for (const line of stderr.split('\n'))
          if (line.startsWith('{')) seconds += (JSON.parse(line) as { seconds: number }).seconds;
        const peer = JSON.parse(readFileSync(out, 'utf8')) as { final: { eval: Record<string, number> } };
        rows.push({
          side: 'peer (torch)',
          'HR@10': peer.final.eval['hr@10']!,
          'NDCG@10': peer.final.eval['ndcg@10']!,
          's/epoch': seconds / epochs,
        });
        summary['lightgcn.hr10_full_peer'] = peer.final.eval['hr@10']!;
        summary['lightgcn.ndcg10_full_peer'] = peer.final.eval['ndcg@10']!;
        summary['lightgcn.epoch_seconds_peer'] = seconds / epochs;
        if (peerRatioFair(peerBlas)) {
          summary['lightgcn.epoch_ours_over_peer'] = oursSeconds / epochs / (seconds / epochs);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return {
      rows,
      summary,
      notes: [
        `ml-100k-loo, full ranking over ${split.numItems} items, train items masked; d 64, L 3, lr 0.001, batch 2048, λ 1e-4, seed ${seed}, ${epochs} epochs`,
        `ours: ${backend.pool}`,
        ...(peerBlas !== undefined || (ctx.python && !ctx.args.includes('--no-peer'))
          ? [peerBlasNote(peerBlas)]
          : []),
      ],
      ...(peerBlas !== undefined ? { peerBlas } : {}),
    };
  },
};
