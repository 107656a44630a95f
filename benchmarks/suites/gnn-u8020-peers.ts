/**
 * The PyTorch side of `gnn-quality`'s ml-100k-u8020 rows: `torch_recsys.py --model lightgcn|mf` and
 * `torch_graph.py --model ngcf` with the same settings as {@link runU8020} (d 64, 3 layers, Adam lr 1e-3,
 * batch 2048, λ 1e-4, one thread), full ranking at K = 20, evaluated every `evalEvery` epochs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { U8020Point } from './gnn-u8020.js';

/** Peer models of the u8020 rows. */
export type U8020PeerModel = 'lightgcn' | 'ngcf' | 'mf_bpr';

/** What {@link runU8020Peer} returns: the evaluations and training seconds per epoch. */
export interface U8020PeerRun {
  readonly points: readonly U8020Point[];
  readonly epochSeconds: number;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve(err) : reject(new Error(`${cmd} exited ${code}: ${err.slice(-500)}`)),
    );
  });
}

/** The peer's command line for `model` (also printed in the results file). */
export function u8020PeerArgs(
  peers: string,
  dir: string,
  model: U8020PeerModel,
  epochs: number,
  evalEvery: number,
  seed: number,
): string[] {
  const common = [
    '--train',
    path.join(dir, 'train.tsv'),
    '--test',
    path.join(dir, 'test.tsv'),
    '--protocol',
    'full',
    '--k',
    '20',
    '--eval-every',
    String(evalEvery),
    '--threads',
    '1',
    '--seed',
    String(seed),
    '--epochs',
    String(epochs),
    '--lr',
    '1e-3',
    '--batch',
    '2048',
    '--reg',
    '1e-4',
  ];
  if (model === 'ngcf') return [path.join(peers, 'torch_graph.py'), '--model', 'ngcf', ...common];
  const m =
    model === 'mf_bpr' ? ['--model', 'mf', '--loss', 'bpr'] : ['--model', 'lightgcn', '--gnn-layers', '3'];
  return [path.join(peers, 'torch_recsys.py'), ...m, '--factors', '64', ...common];
}

/** Runs one peer; metrics from its per-epoch stderr lines (evaluated epochs), seconds averaged over epochs. */
export async function runU8020Peer(
  python: string,
  peers: string,
  dir: string,
  model: U8020PeerModel,
  epochs: number,
  evalEvery: number,
  seed: number,
): Promise<U8020PeerRun> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'gnn-u8020-'));
  try {
    const args = [
      ...u8020PeerArgs(peers, dir, model, epochs, evalEvery, seed),
      '--json',
      path.join(tmp, 'p.json'),
    ];
    // glibc keeps large blocks for reuse (the peers' README reference runs use these).
    const env = {
      ...process.env,
      MALLOC_MMAP_THRESHOLD_: '4294967296',
      MALLOC_TRIM_THRESHOLD_: '4294967296',
      MALLOC_TOP_PAD_: '268435456',
    };
    const stderr = await run(python, args, env);
    const points: U8020Point[] = [];
    let seconds = 0;
    let count = 0;
    for (const line of stderr.split('\n')) {
      if (!line.startsWith('{')) continue;
      const h = JSON.parse(line) as {
        epoch: number;
        seconds: number;
        loss: number;
        eval?: Record<string, number>;
      };
      if (h.epoch === 0) continue;
      seconds += h.seconds;
      count++;
      if (h.eval) {
        points.push({
          epoch: h.epoch,
          loss: h.loss,
          recall20: h.eval['recall@20']!,
          ndcg20: h.eval['ndcg@20']!,
        });
      }
    }
    readFileSync(path.join(tmp, 'p.json'));
    return { points, epochSeconds: seconds / Math.max(count, 1) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
