/**
 * `content-quality`: Content NCF and Attention NCF (NAIS-style, He et al., TKDE 2018) beside the PyTorch
 * reference `torch_hybrid.py` on the hybrid ML-100K splits (`../shared/data/ml-100k-r811`, `ml-100k-cold`).
 *
 *   pnpm bench content-quality [--json out.json] [--parts r811,cold,itemcold,speed] [--seeds 1]
 *     [--models mf,basic_onehot,content,attention,hybrid] [--epochs 30] [--patience 3] [--cold-epochs 6]
 *     [--negatives 2] [--backend wasm] [--peer-dir /tmp/content-quality-peer] [--no-peer] [--peer-cached-only] [--bench-steps 20]
 *     [--shrinkage 100] [--hybrid-l2 0.0005] [--cold-mse-epochs 12]
 *
 * `--shrinkage` is the centring pseudo-count k of the history models (`r̄_u = (Σ r + k·3)/(n_u + k)`, batch
 * source and model alike): with k ≈ a typical history length (ML-100K: ~85 train ratings) the centred ratings
 * keep part of the user's rating bias, as the reference's `r̄_u = (mean_u + 3)/2` does; k = 5 (the library
 * default) removes nearly all of it, and a features-only model then has no way to learn user bias.
 *
 * - r811: MSE on ratings, early stopping on valid RMSE (patience 3, ≤ 30 epochs, best epoch restored), test
 *   RMSE/MAE clipped to [1, 5], the peer's configurations (see its README). `hybrid` = attention over ids +
 *   features on both sides with a user id embedding.
 * - cold: new users scored from their K earliest ratings only (no retraining); full ranking over every item
 *   but the revealed ones, relevant = test items rated ≥ 4, pessimistic ties. `content` / `attention` are
 *   the implicit-trained ranking variants (BCE, sampled negatives, ids + features); `*_mse` the rating-trained
 *   ones; `content_cosine` and `popularity` the untrained baselines.
 * - itemcold: 10% of the items (seeded) held out of r811's training; per user, AUC of the held-out items they
 *   rated (anywhere in r811) against the held-out items they did not, scored from features.
 * - speed: attention training samples/s at the peer's configuration (batch 512) beside the peer's
 *   `--bench-steps`; a 20-rating new user's scores over all items, p50/p99 ms.
 */
import path from 'node:path';
import {
  createOptimizer,
  createRng,
  createTrainStep,
  fit,
  initBackend,
  parseBackendPreference,
  tf,
} from '@ncf/core';
import type { BatchSource, DatasetInfo, ModelFactory, Recommender } from '@ncf/core';
import { pointwiseSource, userHistorySource } from '@ncf/datasets';
import type { Interactions } from '@ncf/datasets';
import { attentionNcfFactory, basicNcfFactory, contentNcfFactory, mfFactory } from '@ncf/models-ncf';
import type { UserHistoryInput } from '@ncf/models-ncf';
import { coldUsers, hybridIndex, hybridInfo, readRatingRows, toInteractions } from '../src/hybrid-data.js';
import type { HybridIndex } from '../src/hybrid-data.js';
import { aucOf, clippedErrors, mean, quantile, rankUser } from '../src/hybrid-metrics.js';
import { peerRun } from '../src/hybrid-peer.js';
import type { Suite, SuiteContext, SuiteResult } from '../src/suite.js';
import { flagValue, numberFlag } from '../src/suite-args.js';

const SEEDS = [42, 43, 44];
const KS = [1, 3, 5, 10];
type Scorer = Recommender & { scoreHistory(h: UserHistoryInput, items?: Int32Array): Float32Array };

interface Options {
  readonly parts: Set<string>;
  readonly seeds: number[];
  readonly models: string[];
  readonly epochs: number;
  readonly patience: number;
  readonly coldEpochs: number;
  readonly negatives: number;
  readonly backend: string | undefined;
  readonly peer: boolean;
  readonly peerCachedOnly: boolean;
  readonly peerDir: string;
  readonly benchSteps: number;
  readonly shrinkage: number;
  readonly hybridL2: number;
  readonly coldMseEpochs: number;
}

function parseArgs(args: readonly string[]): Options {
  const num = (f: string, d: number): number => numberFlag(args, f, d);
  return {
    parts: new Set((flagValue(args, '--parts') ?? 'r811,cold,itemcold,speed').split(',')),
    seeds: SEEDS.slice(0, num('--seeds', 1)),
    models: (flagValue(args, '--models') ?? 'mf,basic_onehot,content,attention,hybrid').split(','),
    epochs: num('--epochs', 30),
    patience: num('--patience', 3),
    coldEpochs: num('--cold-epochs', 6),
    negatives: num('--negatives', 2),
    backend: flagValue(args, '--backend'),
    peer: !args.includes('--no-peer'),
    peerCachedOnly: args.includes('--peer-cached-only'),
    peerDir: flagValue(args, '--peer-dir') ?? '/tmp/content-quality-peer',
    benchSteps: num('--bench-steps', 20),
    shrinkage: num('--shrinkage', 100),
    hybridL2: num('--hybrid-l2', 0.0005),
    coldMseEpochs: num('--cold-mse-epochs', 12),
  };
}

/** The r811 models: ours (factory, config, batches, lr, l2) and the peer's `--model`. */
function r811Models(train: Interactions, o: Options) {
  const shrinkage = o.shrinkage;
  const hist = (): BatchSource => userHistorySource(train, { labels: 'rating', centring: { shrinkage } });
  const att = {
    shrinkage,
    dim: 128,
    attentionDim: 128,
    layers: [256, 256, 128],
    dropout: 0.2,
    attentionDropout: 0.2,
    loss: 'mse',
  };
  return {
    mf: {
      f: mfFactory,
      c: { factors: 64, loss: 'mse', biases: true },
      src: () => pointwiseSource(train, { labels: 'rating' }),
      batch: 256,
      lr: 0.002,
      l2: 0.0003,
      peer: 'mf',
    },
    basic_onehot: {
      f: basicNcfFactory,
      c: { userInput: 'id', itemInput: 'id', layers: [256, 256], dropout: 0.2, loss: 'mse' },
      src: () => pointwiseSource(train, { labels: 'rating' }),
      batch: 128,
      lr: 7e-4,
      l2: 0,
      peer: 'basic-onehot',
    },
    content: {
      f: contentNcfFactory,
      c: { dim: 128, layers: [256, 256], dropout: 0.2, loss: 'mse' },
      src: hist,
      batch: 128,
      lr: 7e-4,
      l2: 0,
      peer: 'basic-content',
    },
    attention: { f: attentionNcfFactory, c: att, src: hist, batch: 512, lr: 7e-4, l2: 0, peer: 'attention' },
    hybrid: {
      f: attentionNcfFactory,
      c: { ...att, itemInput: 'both', userId: true },
      src: hist,
      batch: 512,
      lr: 7e-4,
      l2: 0.0001,
      peer: undefined,
    },
  } as const;
}

async function trainRating(
  ctx: SuiteContext,
  name: string,
  m: ReturnType<typeof r811Models>[keyof ReturnType<typeof r811Models>],
  info: DatasetInfo,
  valid: Interactions,
  o: Options,
  seed: number,
  epochs = o.epochs,
): Promise<{ model: Recommender; epochs: string; samplesPerS: number }> {
  const model = (m.f as unknown as ModelFactory<object>).create(info, m.c, { seed });
  const src = m.src();
  const r = await fit(model, src, {
    epochs,
    batchSize: m.batch,
    seed,
    optimizer: { name: 'adam', learningRate: m.lr, l2: m.l2 },
    validate: (x) => clippedErrors(x.score(valid.users, valid.items), valid.ratings!),
    earlyStopping: { metric: 'rmse', mode: 'min', patience: o.patience, restoreBest: true },
    onEpochEnd: (e) =>
      ctx.log(
        `  ${name} s${seed} epoch ${e.epoch}: loss ${e.loss.toFixed(4)} valid ${e.metrics?.rmse?.toFixed(4)} (${e.seconds.toFixed(1)} s)`,
      ),
  });
  const trainSeconds = r.history.reduce((a, e) => a + e.seconds, 0);
  return {
    model,
    epochs: `${r.bestEpoch}/${r.epochsRun}`,
    samplesPerS: (src.size * r.epochsRun) / Math.max(1e-9, trainSeconds),
  };
}

function load(dir: string, files: string[], implicit = false) {
  const rows = files.map((f) => readRatingRows(path.join(dir, f)));
  const index = hybridIndex(dir, rows);
  const parts = rows.map((r) => toInteractions(r, index, index.userIndex.size, implicit));
  return { rows, index, parts };
}

/** Peer-style content-cosine: cos(v_u, x_i), v_u = mean of (r − (mean_u + 3)/2) x over the revealed items. */
function contentCosine(index: HybridIndex, items: Int32Array, ratings: Float32Array): Float32Array {
  const { dim, values: x, rows } = index.features;
  const m = ratings.reduce((a, b) => a + b, 0) / ratings.length;
  const rbar = (m + 3) / 2;
  const v = new Float64Array(dim);
  items.forEach((it, j) => {
    for (let d = 0; d < dim; d++) v[d]! += ((ratings[j]! - rbar) * x[it * dim + d]!) / items.length;
  });
  const vn = Math.hypot(...v) || 1;
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let dot = 0;
    let xn = 0;
    for (let d = 0; d < dim; d++) {
      dot += v[d]! * x[i * dim + d]!;
      xn += x[i * dim + d]! ** 2;
    }
    out[i] = dot / (vn * (Math.sqrt(xn) || 1));
  }
  return out;
}

function itemCounts(train: Interactions): Float32Array {
  const c = new Float32Array(train.numItems);
  for (let k = 0; k < train.length; k++) c[train.items[k]!]! += 1;
  return c;
}

const implicitConfig = { itemInput: 'both', dim: 64, layers: [128, 64], dropout: 0.2, loss: 'bce' } as const;

async function trainImplicit(
  ctx: SuiteContext,
  name: string,
  f: ModelFactory<object>,
  c: object,
  info: DatasetInfo,
  train: Interactions,
  o: Options,
  seed: number,
): Promise<Scorer> {
  const model = f.create(info, c, { seed }) as Scorer;
  await fit(model, userHistorySource(train, { labels: 'implicit', negatives: o.negatives }), {
    epochs: o.coldEpochs,
    batchSize: 512,
    seed,
    optimizer: { name: 'adam', learningRate: 0.001 },
    onEpochEnd: (e) =>
      ctx.log(`  ${name} s${seed} epoch ${e.epoch}: loss ${e.loss.toFixed(4)} (${e.seconds.toFixed(1)} s)`),
  });
  return model;
}

/** The suite. */
export const suite: Suite = {
  name: 'content-quality',
  description:
    'Content NCF and Attention NCF vs the PyTorch reference: r811 RMSE, cold-start ranking, item-cold AUC, speed',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const o = parseArgs(ctx.args);
    const backend = await initBackend(parseBackendPreference(o.backend));
    const acc: Record<string, number[]> = {};
    const put = (k: string, v: number | undefined): void => {
      if (v !== undefined && Number.isFinite(v)) (acc[k] ??= []).push(v);
    };
    const peer = (name: string, args: string[]) =>
      o.peer ? peerRun(ctx, o.peerDir, name, args, 3600, o.peerCachedOnly) : undefined;

    if (o.parts.has('r811')) {
      const dir = path.join(ctx.sharedData, 'ml-100k-r811');
      const { index, parts } = load(dir, ['train.tsv', 'valid.tsv', 'test.tsv']);
      const [train, valid, test] = parts as [Interactions, Interactions, Interactions];
      const info = hybridInfo(train, index);
      const models = r811Models(train, o);
      for (const seed of o.seeds) {
        for (const name of o.models) {
          const m = models[name as keyof typeof models];
          if (!m) throw new Error(`--models: unknown '${name}'`);
          const key = name === 'hybrid' ? 'r811.hybrid' : `r811.${name}`;
          const { model, epochs, samplesPerS } = await trainRating(ctx, name, m, info, valid, o, seed);
          const e = clippedErrors(model.score(test.users, test.items), test.ratings!);
          ctx.log(
            `[content-quality] r811 ${name} s${seed}: test RMSE ${e.rmse.toFixed(4)} MAE ${e.mae.toFixed(4)} (epochs ${epochs})`,
          );
          put(`${key}.rmse_ours`, e.rmse);
          put(`${key}.mae_ours`, e.mae);
          put(`${key}.train_samples_per_s_ours`, samplesPerS);
          model.dispose();
          if (m.peer) {
            const p = peer(`r811-${m.peer}-s${seed}`, [
              '--model',
              m.peer,
              '--split',
              'r811',
              '--seed',
              String(seed),
            ]);
            put(`${key}.rmse_peer`, p?.test?.rmse);
            put(`${key}.mae_peer`, p?.test?.mae);
          }
        }
      }
    }

    if (o.parts.has('cold')) {
      const dir = path.join(ctx.sharedData, 'ml-100k-cold');
      const { index, parts, rows } = load(dir, ['train.tsv', 'valid.tsv']);
      const [train, valid] = parts as [Interactions, Interactions];
      const trainImp = toInteractions(rows[0]!, index, index.userIndex.size, true);
      const users = Object.fromEntries(KS.map((k) => [k, coldUsers(dir, k, index)]));
      const counts = itemCounts(train);
      for (const seed of o.seeds) {
        const scorers: Record<
          string,
          { model?: Scorer; implicit: boolean; fixed?: (u: (typeof users)[number][number]) => Float32Array }
        > = {
          popularity: { implicit: true, fixed: () => counts },
          content_cosine: {
            implicit: false,
            fixed: (u) => contentCosine(index, u.revealItems, u.revealRatings),
          },
          content: {
            implicit: true,
            model: await trainImplicit(
              ctx,
              'cold content',
              contentNcfFactory as unknown as ModelFactory<object>,
              implicitConfig,
              hybridInfo(trainImp, index),
              trainImp,
              o,
              seed,
            ),
          },
          attention: {
            implicit: true,
            model: await trainImplicit(
              ctx,
              'cold attention',
              attentionNcfFactory as unknown as ModelFactory<object>,
              { ...implicitConfig, attentionDim: 32 },
              hybridInfo(trainImp, index),
              trainImp,
              o,
              seed,
            ),
          },
        };
        const rm = r811Models(train, o);
        for (const name of ['content', 'attention'] as const) {
          const t = await trainRating(
            ctx,
            `cold ${name}_mse`,
            rm[name],
            hybridInfo(train, index),
            valid,
            o,
            seed,
          );
          scorers[`${name}_mse`] = { implicit: false, model: t.model as Scorer };
        }
        for (const k of KS) {
          for (const [name, s] of Object.entries(scorers)) {
            const hr: number[] = [];
            const ndcg: number[] = [];
            for (const u of users[k]!) {
              const relevant = new Set<number>();
              u.testItems.forEach((it, j) => u.testRatings[j]! >= 4 && relevant.add(it));
              if (relevant.size === 0) continue;
              const values = s.implicit ? new Float32Array(u.revealItems.length).fill(1) : u.revealRatings;
              const scores = s.fixed ? s.fixed(u) : s.model!.scoreHistory({ items: u.revealItems, values });
              const r = rankUser(scores, new Set(u.revealItems), relevant);
              hr.push(r.hr);
              ndcg.push(r.ndcg);
            }
            put(`cold.k${k}.${name}.ndcg10_ours`, mean(ndcg));
            put(`cold.k${k}.${name}.hr10_ours`, mean(hr));
            ctx.log(
              `[content-quality] cold K=${k} ${name} s${seed}: NDCG@10 ${mean(ndcg).toFixed(4)} HR@10 ${mean(hr).toFixed(4)}`,
            );
          }
          const peerModels = {
            popularity: 'pop',
            content_cosine: 'content-cosine',
            content_mse: 'basic-content',
            attention_mse: 'attention',
          } as const;
          for (const [ours, theirs] of Object.entries(peerModels)) {
            const p = peer(`cold-${theirs}-k${k}-s${seed}`, [
              '--model',
              theirs,
              '--split',
              'cold',
              '--reveal',
              String(k),
              '--seed',
              String(seed),
            ]);
            put(`cold.k${k}.${ours}.ndcg10_peer`, p?.ranking?.['ndcg@10']);
            // The peer's only content/attention models are rating-trained: their rows stand beside both of ours.
            if (ours.endsWith('_mse'))
              put(`cold.k${k}.${ours.replace('_mse', '')}.ndcg10_peer`, p?.ranking?.['ndcg@10']);
          }
        }
        for (const s of Object.values(scorers)) s.model?.dispose();
      }
    }

    if (o.parts.has('itemcold')) {
      const dir = path.join(ctx.sharedData, 'ml-100k-r811');
      const { index, rows } = load(dir, ['train.tsv', 'valid.tsv', 'test.tsv']);
      for (const seed of o.seeds) {
        const rng = createRng(seed);
        const held = new Set<number>();
        while (held.size < Math.round(index.itemIds.length / 10)) held.add(rng.int(index.itemIds.length));
        const keep = (j: number): boolean => !held.has(index.itemIndex.get(rows[0]!.items[j]!)!);
        const r0 = rows[0]!;
        const idx = r0.users.map((_, j) => j).filter(keep);
        const sub = {
          users: idx.map((j) => r0.users[j]!),
          items: idx.map((j) => r0.items[j]!),
          ratings: idx.map((j) => r0.ratings[j]!),
        };
        const train = toInteractions(sub, index, index.userIndex.size, true);
        const info = hybridInfo(train, index);
        const rated = new Map<number, Set<number>>();
        for (const r of rows)
          r.users.forEach((u, j) => {
            const it = index.itemIndex.get(r.items[j]!)!;
            if (held.has(it))
              (
                rated.get(index.userIndex.get(u)!) ??
                rated.set(index.userIndex.get(u)!, new Set()).get(index.userIndex.get(u)!)!
              ).add(it);
          });
        const heldItems = Int32Array.from([...held].sort((a, b) => a - b));
        const featureOnly = { ...implicitConfig, itemInput: 'features' } as const;
        const models: Record<string, Scorer | undefined> = {
          content: await trainImplicit(
            ctx,
            'itemcold content',
            contentNcfFactory as unknown as ModelFactory<object>,
            featureOnly,
            info,
            train,
            o,
            seed,
          ),
          attention: await trainImplicit(
            ctx,
            'itemcold attention',
            attentionNcfFactory as unknown as ModelFactory<object>,
            { ...featureOnly, attentionDim: 32 },
            info,
            train,
            o,
            seed,
          ),
          popularity: undefined,
        };
        const counts = itemCounts(train);
        for (const [name, model] of Object.entries(models)) {
          const aucs: number[] = [];
          for (const [u, pos] of rated) {
            const s = model
              ? model.score(new Int32Array(heldItems.length).fill(u), heldItems)
              : Float32Array.from(heldItems, (i) => counts[i]!);
            const p: number[] = [];
            const n: number[] = [];
            heldItems.forEach((it, j) => (pos.has(it) ? p : n).push(s[j]!));
            const a = aucOf(p, n);
            if (Number.isFinite(a)) aucs.push(a);
          }
          put(`itemcold.${name}.auc`, mean(aucs));
          ctx.log(
            `[content-quality] itemcold ${name} s${seed}: AUC ${mean(aucs).toFixed(4)} over ${aucs.length} users`,
          );
          model?.dispose();
        }
      }
    }

    if (o.parts.has('speed')) {
      const dir = path.join(ctx.sharedData, 'ml-100k-r811');
      const { index, parts } = load(dir, ['train.tsv']);
      const train = parts[0]!;
      const info = hybridInfo(train, index);
      const m = r811Models(train, o).attention;
      const model = attentionNcfFactory.create(info, m.c as never, { seed: 1 }) as unknown as Scorer;
      const opt = createOptimizer({ name: 'adam', learningRate: m.lr });
      const step = createTrainStep(model, opt, createRng(1));
      const it = m.src().batches(512, createRng(2))[Symbol.iterator]();
      for (let s = 0; s < 5; s++) tf.dispose(step(it.next().value!));
      const t0 = performance.now();
      for (let s = 0; s < o.benchSteps; s++) tf.dispose(step(it.next().value!));
      const ours = (o.benchSteps * 512 * 1000) / (performance.now() - t0);
      put('attention.train_samples_per_s_ours', ours);
      const p = peer(`bench-attention-${o.benchSteps}`, [
        '--model',
        'attention',
        '--split',
        'r811',
        '--bench-steps',
        String(o.benchSteps),
      ]);
      put('attention.train_samples_per_s_peer', p?.samples_per_s);
      opt.dispose();
      const rng = createRng(3);
      const times: number[] = [];
      for (let r = 0; r < 60; r++) {
        const items = new Set<number>();
        while (items.size < 20) items.add(rng.int(info.numItems));
        const h = { items: Int32Array.from(items), values: Float32Array.from(items, () => 1 + rng.int(5)) };
        const t = performance.now();
        model.scoreHistory(h);
        if (r >= 10) times.push(performance.now() - t);
      }
      put('newuser.p50_ms', quantile(times, 0.5));
      put('newuser.p99_ms', quantile(times, 0.99));
      model.dispose();
    }

    const summary: Record<string, number> = {};
    const rowsOut: Record<string, string | number>[] = [];
    for (const [k, v] of Object.entries(acc)) {
      summary[k] = mean(v);
      rowsOut.push({
        key: k,
        mean: +mean(v).toFixed(4),
        runs: v.length,
        values: v.map((x) => x.toFixed(4)).join(', '),
      });
    }
    return {
      rows: rowsOut,
      summary,
      notes: [
        `backend ${backend.name}; seeds ${o.seeds.join(', ')}; peer JSONs in ${o.peerDir} (re-used when present)`,
        'r811: MSE, early stopping on valid RMSE, predictions clipped to [1, 5]; cold: full ranking, pessimistic ties, relevant = test items rated ≥ 4',
        `cold ranking variants: BCE with ${o.negatives} sampled negatives, ${o.coldEpochs} epochs, ids + features, history values 1 (implicit)`,
      ],
    };
  },
};
