// The PyTorch reference implementation as the ncf-quality suite runs it: one process per model, seed and
// protocol, with the suite's hyperparameters, and its result in the suite's shape.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { NcfEvalSplit } from './ncf-split.js';
import type { SuiteContext } from './suite.js';

/** The hyperparameters both sides share (the NCF paper's names). */
export interface PeerHyper {
  readonly factors: number;
  readonly layers: readonly number[];
  readonly negatives: number;
  readonly lr: number;
  readonly batch: number;
  readonly epochs: number;
}

/** A peer run: final metrics (`full` only under full ranking), the per-epoch HR@10 curve, and its stderr. */
export interface PeerRun {
  readonly sampled: { readonly hr: number; readonly ndcg: number };
  readonly full: { readonly hr: number; readonly ndcg: number } | undefined;
  readonly curve: readonly { seconds: number; hr: number }[];
  readonly trainSeconds: number;
  readonly stderr: string;
}

/** The peer's `--json` output (also the layout of its stored reference results). */
export interface PeerJson {
  readonly final: { readonly eval: Record<string, number> };
  readonly best: { readonly eval: Record<string, number> };
}

function runProcess(cmd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (d: string) => lines.push(d));
    p.stdout.resume();
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve(lines.join(''))
        : reject(new Error(`${cmd} exited ${code}: ${lines.join('').slice(-2000)}`)),
    );
  });
}

/**
 * One training run of the PyTorch reference implementation (`torch_recsys.py` in `ctx.peers`) on an NCF split:
 * its final HR@10 / NDCG@10 under `protocol`, and, with the sampled protocol, HR@10 after every epoch against
 * cumulative training seconds (from its per-epoch JSON lines on stderr).
 */
export async function runNcfPeer(
  ctx: SuiteContext,
  split: NcfEvalSplit,
  model: 'mf' | 'gmf' | 'mlp' | 'neumf' | 'pop',
  seed: number,
  h: PeerHyper,
  protocol: 'sampled' | 'full',
  workDir: string,
  threads: number,
): Promise<PeerRun> {
  const out = path.join(workDir, `peer-${split.name}-${model}-${seed}-${protocol}.json`);
  const args = [
    path.join(ctx.peers, 'torch_recsys.py'),
    '--model',
    model,
    '--train',
    `${split.prefix}.train.rating`,
    '--test',
    `${split.prefix}.test.rating`,
    '--negatives',
    `${split.prefix}.test.negative`,
    '--protocol',
    protocol,
    '--factors',
    String(h.factors),
    '--layers',
    h.layers.join(','),
    '--negatives-per-positive',
    String(h.negatives),
    '--lr',
    String(h.lr),
    '--batch',
    String(h.batch),
    '--epochs',
    String(h.epochs),
    '--seed',
    String(seed),
    '--threads',
    String(threads),
    '--eval-every',
    protocol === 'sampled' ? '1' : String(h.epochs),
    '--json',
    out,
  ];
  const stderr = await runProcess(ctx.python!, args);
  const json = JSON.parse(readFileSync(out, 'utf8')) as PeerJson;
  const curve: { seconds: number; hr: number }[] = [];
  let total = 0;
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { seconds: number; eval?: Record<string, number> };
    total += e.seconds;
    if (e.eval) curve.push({ seconds: total, hr: e.eval['hr@10']! });
  }
  const fin = { hr: json.final.eval['hr@10']!, ndcg: json.final.eval['ndcg@10']! };
  return { sampled: fin, full: protocol === 'full' ? fin : undefined, curve, trainSeconds: total, stderr };
}
