/**
 * Runs the PyTorch reference `torch_hybrid.py` (in `../shared/peers`) for the content-quality suite, one JSON
 * per run in a cache folder (outside the repository): a run whose JSON already exists is read, not re-run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SuiteContext } from './suite.js';

/** The fields of a peer JSON the suite reads. */
export interface PeerRun {
  readonly test?: { rmse: number; mae: number };
  readonly ranking?: { 'hr@10': number; 'ndcg@10': number };
  readonly popularity_ranking?: { 'hr@10': number; 'ndcg@10': number };
  readonly mean_train_samples_per_s?: number;
  readonly samples_per_s?: number;
}

/** Runs (or reads) `torch_hybrid.py` with `args`, caching under `dir/<name>.json`; undefined without python (or, with `cachedOnly`, without the JSON). */
export function peerRun(
  ctx: SuiteContext,
  dir: string,
  name: string,
  args: readonly string[],
  timeoutSeconds = 3600,
  cachedOnly = false,
): PeerRun | undefined {
  const out = path.join(dir, `${name}.json`);
  if (!existsSync(out)) {
    if (cachedOnly || ctx.python === undefined) return undefined;
    mkdirSync(dir, { recursive: true });
    ctx.log(`[content-quality] peer ${name}: ${args.join(' ')}`);
    const r = spawnSync(
      ctx.python,
      [path.join(ctx.peers, 'torch_hybrid.py'), ...args, '--threads', '1', '--json', out],
      { cwd: ctx.peers, encoding: 'utf8', timeout: timeoutSeconds * 1000 },
    );
    if (r.status !== 0 || !existsSync(out)) {
      ctx.log(`[content-quality] peer ${name} failed: ${(r.stderr ?? '').split('\n').slice(-3).join(' ')}`);
      return undefined;
    }
  }
  return JSON.parse(readFileSync(out, 'utf8')) as PeerRun;
}
