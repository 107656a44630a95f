/**
 * serve-load: @ncf/serve under HTTP load on 127.0.0.1 (autocannon, its load in a worker thread so the server's
 * event loop has the main thread to itself). For each model — MF and NeuMF trained here on ML-100K
 * (`../shared/data/ml-100k`, leave-one-out train split), or the ones given with `--model-dir` — it measures
 * known-user recommendations at full speed (rps) and at 500 requests/s (p99), new users with 20 ratings at
 * 100 requests/s (p99; models that cannot score a history answer 501 and the key is left out, see notes),
 * then sends a seeded storm of hostile requests and checks they are all 4xx with no tensor leaked, and
 * watches RSS over a soak.
 *
 * Summary keys: `serve.<model>.known_user.rps`, `serve.<model>.known_user.p99_ms_at_500rps`,
 * `serve.<model>.new_user.p99_ms_at_100rps`, `serve.bad_requests.count`, `serve.bad_requests.non_4xx`,
 * `serve.bad_requests.tensors_leaked`, `serve.rss_mb_after_load`, `serve.rss_soak_change_pct`.
 *
 * Suite flags: `--model-dir <dir>` (repeatable; skips training), `--models mf,neumf`, `--epochs N` (default 5),
 * `--duration S` per load phase (default 10, at most 60), `--connections N` (default 16), `--bad N` (default
 * 10000), `--soak S` (default 60, 0 skips; at most 120), `--backend wasm|cpu` (default wasm).
 * Smoke run: `pnpm bench serve-load --models mf --epochs 1 --duration 1 --bad 200 --soak 0`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { ModelRegistry, fit, initBackend, parseBackendPreference, tf, type Recommender } from '@ncf/core';
import { datasetInfo, leaveOneOut, pointwiseSource, userItemsCsr } from '@ncf/datasets';
import { loadMovieLens } from '@ncf/movielens';
import { mfFactory, neumfFactory, registerNcfModels } from '@ncf/models-ncf';
import { createServer, hostileRequests, type Catalog, type NcfServer } from '@ncf/serve';
import { existsSync } from 'node:fs';
import type { Suite, SuiteContext, SuiteResult } from '../src/suite.js';
import { flagValue, numberFlag } from '../src/suite-args.js';

const FACTORIES = { mf: mfFactory, neumf: neumfFactory } as const;
type ModelName = keyof typeof FACTORIES;

interface Options {
  readonly modelDirs: string[];
  readonly models: ModelName[];
  readonly epochs: number;
  readonly duration: number;
  readonly connections: number;
  readonly bad: number;
  readonly soak: number;
  readonly backend: string;
}

function parseArgs(args: readonly string[]): Options {
  const modelDirs = args.flatMap((a, i) => (a === '--model-dir' && args[i + 1] ? [args[i + 1]!] : []));
  const models = (flagValue(args, '--models') ?? 'mf,neumf').split(',').map((m) => m.trim());
  for (const m of models) if (!(m in FACTORIES)) throw new Error(`--models: unknown model ${m} (mf, neumf)`);
  const bounded = (flag: string, dflt: number, max: number): number =>
    Math.min(max, Math.max(0, numberFlag(args, flag, dflt)));
  return {
    modelDirs,
    models: models as ModelName[],
    epochs: bounded('--epochs', 5, 50),
    duration: Math.max(1, bounded('--duration', 10, 60)),
    connections: Math.max(1, bounded('--connections', 16, 256)),
    bad: bounded('--bad', 10_000, 100_000),
    soak: bounded('--soak', 60, 120),
    backend: flagValue(args, '--backend') ?? 'wasm',
  };
}

/** Trains `name` on the ML-100K leave-one-out train split and saves it; returns the directory. */
async function trainModel(ctx: SuiteContext, name: ModelName, epochs: number, root: string): Promise<string> {
  const data = await loadMovieLens(path.join(ctx.sharedData, 'ml-100k'), {
    itemFeatures: false,
    userFeatures: false,
  });
  const split = leaveOneOut(data.interactions, { seed: 42 });
  const model: Recommender = FACTORIES[name].create(datasetInfo(split.train), {}, { seed: 42 });
  try {
    const started = performance.now();
    await fit(model, pointwiseSource(split.train, { labels: 'implicit', negatives: 4 }), {
      epochs,
      seed: 42,
    });
    ctx.log(
      `[serve-load] trained ${name}: ${epochs} epochs in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const dir = path.join(root, name);
    await model.save(dir, { training: { epochs, seed: 42 } });
    return dir;
  } finally {
    model.dispose();
  }
}

/** Titles and training items of ML-100K (the same split the models trained on). */
async function ml100kCatalog(ctx: SuiteContext): Promise<Catalog> {
  const data = await loadMovieLens(path.join(ctx.sharedData, 'ml-100k'), {
    itemFeatures: false,
    userFeatures: false,
  });
  const split = leaveOneOut(data.interactions, { seed: 42 });
  return { itemTitles: data.items.titles, seen: userItemsCsr(split.train) };
}

interface Load {
  readonly rps: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function load(url: string, requests: autocannon.Request[], o: Options, rate?: number): Promise<Load> {
  const result = await autocannon({
    url,
    connections: rate ? Math.min(o.connections, Math.max(1, Math.ceil(rate / 50))) : o.connections,
    duration: o.duration,
    requests,
    workers: 1,
    ...(rate ? { overallRate: rate } : {}),
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Sends `requests` over real HTTP, `concurrency` at a time; returns how many were not answered 4xx. */
async function storm(
  base: string,
  count: number,
  maxBodyBytes: number,
  knownItem: string | number,
): Promise<number> {
  const requests = hostileRequests(count, { seed: 7, maxBodyBytes, knownItem });
  let next = 0;
  let non4xx = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const r = requests[next++]!;
      try {
        const res = await fetch(base + r.url, {
          method: r.method,
          headers: r.headers,
          ...(r.body !== undefined ? { body: r.body } : {}),
        });
        await res.arrayBuffer();
        if (res.status < 400 || res.status >= 500) non4xx++;
      } catch {
        // fetch refuses some URLs or loses a connection the server closed after a 413: not a 4xx either way.
        non4xx++;
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return non4xx;
}

const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

/** The suite. */
export const suite: Suite = {
  name: 'serve-load',
  description:
    '@ncf/serve over HTTP on 127.0.0.1 (autocannon): known and new users, a hostile-request storm, RSS soak',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const o = parseArgs(ctx.args);
    const ml100k = path.join(ctx.sharedData, 'ml-100k');
    const hasData = existsSync(ml100k);
    if (!o.modelDirs.length && !hasData)
      return { rows: [], summary: {}, notes: [`${ml100k} not found: skipped`] };
    const backend = await initBackend(parseBackendPreference(o.backend));
    const registry = registerNcfModels(new ModelRegistry());
    const root = mkdtempSync(path.join(tmpdir(), 'ncf-serve-load-'));
    const rows: Record<string, string | number>[] = [];
    const summary: Record<string, number> = {};
    const notes: string[] = [
      `backend ${backend.name}; ${o.connections} connections at full speed; ${o.duration} s per phase; load from one worker thread`,
    ];
    try {
      const dirs = o.modelDirs.length
        ? o.modelDirs
        : await (async () => {
            const out: string[] = [];
            for (const m of o.models) out.push(await trainModel(ctx, m, o.epochs, root));
            return out;
          })();
      const catalog = hasData && !o.modelDirs.length ? await ml100kCatalog(ctx) : undefined;
      let lastServer: NcfServer | undefined;
      for (const dir of dirs) {
        const server = await createServer({
          modelDir: dir,
          registry,
          port: 0,
          logLevel: false,
          ...(catalog ? { loadCatalog: async () => catalog } : {}),
        });
        const base = await server.listen();
        const served = server.holder.current!;
        const name = served.document.kind.replace(/^ncf\//, '');
        const { info } = served.model;
        const userIds = info.userIds?.ids ?? Array.from({ length: info.numUsers }, (_, i) => i);
        const itemIds = info.itemIds?.ids ?? Array.from({ length: info.numItems }, (_, i) => i);
        const userReqs: autocannon.Request[] = Array.from({ length: 500 }, (_, i) => ({
          method: 'GET',
          path: `/v1/users/${encodeURIComponent(String(userIds[(i * 7919) % userIds.length]))}/recommendations?k=10`,
        }));
        const newReqs: autocannon.Request[] = Array.from({ length: 100 }, (_, i) => ({
          method: 'POST',
          path: '/v1/recommendations',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            ratings: Array.from({ length: 20 }, (_, r) => ({
              item: itemIds[(i * 131 + r * 37) % itemIds.length],
            })),
            k: 10,
          }),
        }));
        ctx.log(`[serve-load] ${name}: ${base}, ${info.numUsers} users × ${info.numItems} items`);
        const max = await load(base, userReqs, o);
        const at500 = await load(base, userReqs, o, 500);
        const newUsers = await load(base, newReqs, o, 100);
        summary[`serve.${name}.known_user.rps`] = round(max.rps);
        summary[`serve.${name}.known_user.p99_ms_at_500rps`] = round(at500.p99, 2);
        const newOk = newUsers.non2xx === 0 && newUsers.errors === 0;
        if (newOk) summary[`serve.${name}.new_user.p99_ms_at_100rps`] = round(newUsers.p99, 2);
        else
          notes.push(
            `${name}: new users answered ${newUsers.non2xx} non-2xx (the model cannot score histories: 501)`,
          );
        rows.push({
          model: name,
          'known rps (max)': round(max.rps),
          'known p99 ms @500': round(at500.p99, 2),
          'new p99 ms @100': newOk ? round(newUsers.p99, 2) : 'n/a',
          'non-2xx': max.non2xx + at500.non2xx,
          errors: max.errors + at500.errors + newUsers.errors,
        });
        if (lastServer) await lastServer.close();
        lastServer = server;
      }
      if (lastServer) {
        // The storm and the soak run against the last model's server.
        const base = `http://127.0.0.1:${(lastServer.app.server.address() as { port: number }).port}`;
        summary['serve.rss_mb_after_load'] = round(rssMb());
        const tensors = tf.memory().numTensors;
        const known = lastServer.holder.current!.model.info.itemIds?.ids[0] ?? 0;
        summary['serve.bad_requests.count'] = o.bad;
        summary['serve.bad_requests.non_4xx'] = await storm(
          base,
          o.bad,
          lastServer.options.maxBodyBytes,
          known,
        );
        summary['serve.bad_requests.tensors_leaked'] = tf.memory().numTensors - tensors;
        const health = await fetch(`${base}/healthz`);
        notes.push(`after ${o.bad} hostile requests /healthz answers ${health.status}`);
        if (o.soak > 0) {
          const before = rssMb();
          const soakOptions = { ...o, duration: o.soak };
          const userIds = lastServer.holder.current!.model.info.userIds?.ids ?? [0];
          const reqs = userIds
            .slice(0, 500)
            .map((u) => ({ method: 'GET' as const, path: `/v1/users/${u}/recommendations` }));
          await load(base, reqs, soakOptions, 500);
          summary['serve.rss_soak_change_pct'] = round((100 * (rssMb() - before)) / before, 1);
          notes.push(`soak: ${o.soak} s at 500 requests/s, RSS ${round(before)} → ${round(rssMb())} MB`);
        }
        await lastServer.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    return { rows, summary, notes };
  },
};
