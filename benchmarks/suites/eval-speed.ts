/**
 * eval-speed: full-ranking evaluation throughput of @ncf/eval with a 64-factor dot-product model, on the
 * ML-1M shape (6,040 users × 3,706 items) and on a synthetic 100,000 users × 50,000 items catalog.
 * Reports users/s and peak RSS; the score matrix is never held for all users (memory bounded by the batch).
 *
 * Suite flags: `--backend wasm|cpu` (default wasm), `--large-users N` (users with a held-out item on the large
 * shape, default 20,000 of the 100,000), `--repeats N` (ML-1M timing repeats, best kept; default 3), `--skip-large`,
 * `--threads N` (compute-pool threads; default `NCF_THREADS` or the cores).
 *
 * Summary keys include `threads` and, when the pool runs (threads > 1), `ml1m.pool_topk_users_per_s` and
 * `ml1m.pool_topk_users_per_s_n1`: the pool's scores + top-10 kernel (`parallelTopK`) over all 6,040 users
 * with train items excluded, split across the threads and on one part. It ranks only (no metrics): the
 * evaluator does not call the pool yet. No peer is timed here.
 */
import { initBackend, parallelTopK, tf, createRng } from '@ncf/core';
import type { Rng } from '@ncf/core';
import {
  evaluate,
  popularityScorer,
  randomScorer,
  userItemsFromPairs,
  type EvalData,
  type Scorer,
} from '@ncf/eval';
import type { Suite, SuiteContext, SuiteResult } from '../src/suite.js';

const FACTORS = 64;

/** A dot-product model: user and item factor tables, `scoreAll` as one matrix product per user batch. */
interface DotModel extends Scorer {
  /** Row-major factor tables: users `[numUsers, 64]`, items `[numItems, 64]`. */
  readonly factors: { readonly users: Float32Array; readonly items: Float32Array };
  dispose(): void;
}

function dotModel(numUsers: number, numItems: number, rng: Rng): DotModel {
  const userF = new Float32Array(numUsers * FACTORS);
  const itemF = new Float32Array(numItems * FACTORS);
  for (let i = 0; i < userF.length; i++) userF[i] = rng.normal() * 0.1;
  for (let i = 0; i < itemF.length; i++) itemF[i] = rng.normal() * 0.1;
  // Items stored transposed ([factors, items]) so the product is a plain (non-transposed) matmul.
  const itemT = new Float32Array(FACTORS * numItems);
  for (let i = 0; i < numItems; i++)
    for (let f = 0; f < FACTORS; f++) itemT[f * numItems + i] = itemF[i * FACTORS + f] as number;
  const itemTensor = tf.tensor2d(itemT, [FACTORS, numItems]);
  return {
    kind: 'bench/dot-64',
    factors: { users: userF, items: itemF },
    score(users: Int32Array, items: Int32Array): Float32Array {
      const out = new Float32Array(users.length);
      for (let p = 0; p < users.length; p++) {
        const u = (users[p] as number) * FACTORS;
        const i = (items[p] as number) * FACTORS;
        let s = 0;
        for (let f = 0; f < FACTORS; f++) s += (userF[u + f] as number) * (itemF[i + f] as number);
        out[p] = s;
      }
      return out;
    },
    scoreAll(users: Int32Array): Float32Array {
      const rows = new Float32Array(users.length * FACTORS);
      for (let b = 0; b < users.length; b++) {
        const u = (users[b] as number) * FACTORS;
        rows.set(userF.subarray(u, u + FACTORS), b * FACTORS);
      }
      const ut = tf.tensor2d(rows, [users.length, FACTORS]);
      const scores = tf.matMul(ut, itemTensor);
      const out = scores.dataSync() as Float32Array;
      ut.dispose();
      scores.dispose();
      return out;
    },
    dispose(): void {
      itemTensor.dispose();
    },
  };
}

/**
 * Synthetic leave-one-out data: each user gets `minTrain + int(spread)` distinct training items (Zipf-ish
 * popularity) and one held-out item outside them; only the first `testUsers` users have a held-out item.
 */
function syntheticData(
  numUsers: number,
  numItems: number,
  minTrain: number,
  spread: number,
  testUsers: number,
  rng: Rng,
): {
  data: EvalData;
  trainItems: Int32Array;
} {
  const trainU: number[] = [];
  const trainI: number[] = [];
  const testU = new Int32Array(testUsers);
  const testI = new Int32Array(testUsers);
  const mark = new Int32Array(numItems).fill(-1);
  const draw = (): number => Math.min(numItems - 1, Math.floor(numItems * rng.next() ** 2));
  for (let u = 0; u < numUsers; u++) {
    const m = Math.min(numItems - 1, minTrain + rng.int(spread));
    let n = 0;
    while (n < m) {
      const it = draw();
      if (mark[it] === u) continue;
      mark[it] = u;
      trainU.push(u);
      trainI.push(it);
      n++;
    }
    if (u < testUsers) {
      let it: number;
      do it = rng.int(numItems);
      while (mark[it] === u);
      testU[u] = u;
      testI[u] = it;
    }
  }
  const tu = Int32Array.from(trainU);
  const ti = Int32Array.from(trainI);
  return {
    data: {
      name: `synthetic ${numUsers}×${numItems} loo`,
      numUsers,
      numItems,
      test: { users: testU, items: testI },
      exclude: userItemsFromPairs(numUsers, tu, ti, undefined, numItems),
    },
    trainItems: ti,
  };
}

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

interface Timing {
  /** Wall seconds of the whole evaluation. */
  readonly seconds: number;
  /** Process CPU seconds (user + system) of the evaluation: less sensitive to other load on the machine. */
  readonly cpuSeconds: number;
  /** Wall seconds inside the model's scoreAll (the rest is the evaluator: masking, top-K, metrics). */
  readonly modelSeconds: number;
  readonly users: number;
  readonly hr: number;
}

/** Runs a full-ranking evaluation and times it, separating the model's scoreAll from the evaluator. */
async function timeEval(model: Scorer, data: EvalData, onBatch?: () => void): Promise<Timing> {
  let modelSeconds = 0;
  const inner = model.scoreAll?.bind(model);
  const timed: Scorer = {
    kind: model.kind,
    score: model.score.bind(model),
    ...(inner
      ? {
          scoreAll: (users: Int32Array): Float32Array => {
            const t = performance.now();
            const out = inner(users);
            modelSeconds += (performance.now() - t) / 1000;
            return out;
          },
        }
      : {}),
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await evaluate(timed, data, { protocol: 'full', k: 10, onProgress: onBatch });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    modelSeconds,
    users: r.users,
    hr: r.metrics['hr@10'] as number,
  };
}

function row(shape: string, model: string, t: Timing, peakMb?: number): Record<string, string | number> {
  return {
    shape,
    model,
    users: t.users,
    seconds: +t.seconds.toFixed(3),
    model_s: +t.modelSeconds.toFixed(3),
    evaluator_s: +(t.seconds - t.modelSeconds).toFixed(3),
    users_per_s: Math.round(t.users / t.seconds),
    users_per_cpu_s: Math.round(t.users / t.cpuSeconds),
    'hr@10': +t.hr.toFixed(4),
    peak_rss_mb: peakMb === undefined ? '' : Math.round(peakMb),
  };
}

export const suite: Suite = {
  name: 'eval-speed',
  description:
    'full-ranking evaluation users/s with a 64-factor dot model: ML-1M shape and 100K×50K synthetic',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const backend = (flag(ctx.args, '--backend') ?? 'wasm') as 'wasm' | 'cpu';
    const repeats = Number(flag(ctx.args, '--repeats') ?? 3);
    const largeUsers = Number(flag(ctx.args, '--large-users') ?? 20_000);
    const threadsFlag = flag(ctx.args, '--threads');
    const info = await initBackend(
      backend,
      threadsFlag !== undefined ? { threads: Number(threadsFlag) } : {},
    );
    ctx.log(`[eval-speed] backend ${info.name} (${info.reason})`);
    const rows: Record<string, string | number>[] = [];
    const summary: Record<string, number> = {};
    const rng = createRng(7);

    // ML-1M shape: 6,040 × 3,706, ~165 train items per user (ML-1M's mean), one held-out item each.
    const ml = syntheticData(6040, 3706, 20, 290, 6040, rng);
    const model = dotModel(6040, 3706, rng);
    await timeEval(model, ml.data); // warm-up (wasm compile, kernel caches)
    let best: Timing | undefined;
    for (let r = 0; r < repeats; r++) {
      const t = await timeEval(model, ml.data);
      if (!best || t.seconds < best.seconds) best = t;
    }
    const ml1m = best as Timing;
    // The evaluator with JS scorers (no matrix product): popularity copies one row per user, random hashes.
    const popT = await timeEval(popularityScorer(3706, ml.trainItems), ml.data);
    const rndT = await timeEval(randomScorer(3706, { seed: 1 }), ml.data);
    summary['ml1m.users_per_s'] = 6040 / ml1m.seconds;
    summary['ml1m.users_per_cpu_s'] = 6040 / ml1m.cpuSeconds;
    summary['ml1m.evaluator_users_per_s'] = 6040 / (ml1m.seconds - ml1m.modelSeconds);
    summary.threads = info.threads;
    rows.push(row('6040×3706 (ML-1M)', 'dot-64', ml1m));
    const ex = ml.data.exclude;
    const topK = (parts?: number): number => {
      const t0 = performance.now();
      parallelTopK(model.factors.users, model.factors.items, FACTORS, 10, {
        ...(ex ? { exclude: { offsets: ex.offsets, items: ex.items } } : {}),
        ...(parts !== undefined ? { parts } : {}),
      });
      return (performance.now() - t0) / 1000;
    };
    if (info.threads > 1) {
      topK(1); // warm-up
      let bestN = Infinity;
      let best1 = Infinity;
      for (let r = 0; r < repeats; r++) {
        bestN = Math.min(bestN, topK());
        best1 = Math.min(best1, topK(1));
      }
      summary['ml1m.pool_topk_users_per_s'] = 6040 / bestN;
      summary['ml1m.pool_topk_users_per_s_n1'] = 6040 / best1;
    }
    rows.push(row('6040×3706 (ML-1M)', 'popularity', popT));
    rows.push(row('6040×3706 (ML-1M)', 'random', rndT));
    model.dispose();

    if (!ctx.args.includes('--skip-large')) {
      const lg = syntheticData(100_000, 50_000, 5, 30, Math.min(100_000, largeUsers), rng);
      const big = dotModel(100_000, 50_000, rng);
      let peak = process.memoryUsage().rss;
      const before = peak;
      let batches = 0;
      const t = await timeEval(big, lg.data, () => {
        batches++;
        peak = Math.max(peak, process.memoryUsage().rss);
        if (batches % 50 === 0) ctx.log(`[eval-speed] large: ${batches} batches`);
      });
      const mb = peak / 2 ** 20;
      summary['large.users_per_s'] = t.users / t.seconds;
      summary['large.users_per_cpu_s'] = t.users / t.cpuSeconds;
      summary['large.peak_rss_mb'] = mb;
      rows.push(row('100000×50000 (synthetic)', 'dot-64', t, mb));
      ctx.log(
        `[eval-speed] large: rss before eval ${(before / 2 ** 20).toFixed(0)} MB, peak ${mb.toFixed(0)} MB`,
      );
      big.dispose();
    }
    return {
      rows,
      summary,
      notes: [
        `protocol: full ranking, K=10, train items masked, top-K by partial selection; backend ${info.name}; ${info.pool}`,
        'score batch: automatic (≈ 2^18 scores = 1 MiB per batch: 70 users on ML-1M, 8 on 50K items)',
        'model_s: time inside scoreAll (tf matMul + dataSync for dot-64); evaluator_s: masking, top-K, metrics',
        'users_per_cpu_s: users per process CPU second (robust to other load on the machine)',
        `large: ${Math.min(100_000, largeUsers)} of 100,000 users have a held-out item (flag --large-users)`,
        'large.peak_rss_mb: process RSS peak during the large evaluation (includes the 38 MB factor tables and the data)',
      ],
    };
  },
};
