/**
 * `ncf-explicit`: explicit feedback on ML-100K ratings (1–5). A seeded global random 80/10/10
 * train/valid/test split; Basic NCF (He et al., WWW 2017, §3.1: ids → embeddings → MLP with dropout → linear
 * output) and biased MF (Rendle et al., RecSys 2020 / Koren et al. 2009) trained with MSE, early stopping on
 * validation RMSE with the best epoch's weights restored; test RMSE and MAE beside the global-mean baseline
 * (predict the train mean) and a regularised user/item-bias baseline (closed form, Koren 2010 §2.1).
 *
 *   pnpm bench ncf-explicit [--json out.json] [--seeds 1] [--epochs 40] [--patience 5] [--backend wasm]
 *     [--batch 256] [--mf-factors 64] [--mf-lr 0.002] [--mf-l2 0.0003] [--models mf,basic_ncf]
 *     [--ncf-layers 64,32,16,8] [--ncf-lr 0.001] [--ncf-l2 0.0001] [--ncf-dropout 0.2]
 *
 * Both models output unbounded scores (a linear output / a dot product plus biases), so every prediction is
 * clipped to the rating scale [1, 5] before RMSE/MAE (validation and test alike; unclipped test RMSE is
 * printed beside it). Seed `s` (42, 43, ...) seeds the split and the models alike.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fit, initBackend, parseBackendPreference } from '@ncf/core';
import type { ModelFactory, Recommender } from '@ncf/core';
import { batchSourceFor, randomSplit } from '@ncf/datasets';
import type { Interactions } from '@ncf/datasets';
import { mae, rmse } from '@ncf/eval';
import { loadMovieLens } from '@ncf/movielens';
import { basicNcfFactory, mfFactory } from '@ncf/models-ncf';
import type { BasicNcfConfig, MfConfig } from '@ncf/models-ncf';
import type { Suite, SuiteContext, SuiteResult } from '../src/suite.js';
import { flagValue, numberFlag } from '../src/suite-args.js';
import { mean, meanPlusMinus, sampleStd } from '../src/stats.js';

const SEEDS = [42, 43, 44, 45, 46];
const SCALE: readonly [number, number] = [1, 5];

interface Options {
  readonly seeds: readonly number[];
  readonly epochs: number;
  readonly patience: number;
  readonly backend: string | undefined;
  readonly batch: number;
  readonly mf: { readonly factors: number; readonly lr: number; readonly l2: number };
  readonly ncf: {
    readonly layers: readonly number[];
    readonly lr: number;
    readonly l2: number;
    readonly dropout: number;
  };
  readonly models: readonly string[];
}

function parseArgs(args: readonly string[]): Options {
  const value = (flag: string): string | undefined => flagValue(args, flag);
  const num = (flag: string, dflt: number): number => numberFlag(args, flag, dflt);
  const seedCount = num('--seeds', 1);
  if (!Number.isInteger(seedCount) || seedCount < 1 || seedCount > SEEDS.length) {
    throw new Error(`--seeds must be an integer in [1, ${SEEDS.length}], got ${seedCount}`);
  }
  const models = (value('--models') ?? 'mf,basic_ncf').split(',');
  for (const m of models)
    if (m !== 'mf' && m !== 'basic_ncf') throw new Error(`--models: unknown model '${m}' (mf, basic_ncf)`);
  return {
    seeds: SEEDS.slice(0, seedCount),
    epochs: num('--epochs', 40),
    patience: num('--patience', 5),
    backend: value('--backend'),
    batch: num('--batch', 256),
    mf: { factors: num('--mf-factors', 64), lr: num('--mf-lr', 0.002), l2: num('--mf-l2', 0.0003) },
    ncf: {
      layers: (value('--ncf-layers') ?? '64,32,16,8').split(',').map(Number),
      lr: num('--ncf-lr', 0.001),
      l2: num('--ncf-l2', 0.0001),
      dropout: num('--ncf-dropout', 0.2),
    },
    models,
  };
}

/** RMSE and MAE of predictions clipped to the rating scale (and the unclipped RMSE). */
interface RatingErrors {
  readonly rmse: number;
  readonly mae: number;
  readonly rmseUnclipped: number;
}

function errorsOf(pred: Float32Array, actual: Float32Array): RatingErrors {
  const clipped = pred.map((p) => Math.min(SCALE[1], Math.max(SCALE[0], p)));
  return { rmse: rmse(clipped, actual), mae: mae(clipped, actual), rmseUnclipped: rmse(pred, actual) };
}

function modelErrors(model: Recommender, part: Interactions): RatingErrors {
  return errorsOf(model.score(part.users, part.items), part.ratings!);
}

/**
 * Regularised bias baseline `r̂ = μ + b_u + b_i` (Koren, "Factor in the neighbors", TKDD 2010, §2.1):
 * `b_i = Σ(r − μ) / (λ_i + n_i)`, then `b_u = Σ(r − μ − b_i) / (λ_u + n_u)`, a few alternating rounds.
 */
function biasBaseline(train: Interactions, lambdaItem: number, lambdaUser: number) {
  const { users, items, numUsers, numItems, length: n } = train;
  const r = train.ratings!;
  let mu = 0;
  for (let k = 0; k < n; k++) mu += r[k]!;
  mu /= n;
  const bu = new Float64Array(numUsers);
  const bi = new Float64Array(numItems);
  const nu = new Float64Array(numUsers);
  const ni = new Float64Array(numItems);
  for (let k = 0; k < n; k++) {
    nu[users[k]!]! += 1;
    ni[items[k]!]! += 1;
  }
  for (let round = 0; round < 3; round++) {
    bi.fill(0);
    for (let k = 0; k < n; k++) bi[items[k]!]! += r[k]! - mu - bu[users[k]!]!;
    for (let i = 0; i < numItems; i++) bi[i] = ni[i]! > 0 ? bi[i]! / (lambdaItem + ni[i]!) : 0;
    bu.fill(0);
    for (let k = 0; k < n; k++) bu[users[k]!]! += r[k]! - mu - bi[items[k]!]!;
    for (let u = 0; u < numUsers; u++) bu[u] = nu[u]! > 0 ? bu[u]! / (lambdaUser + nu[u]!) : 0;
  }
  return {
    mu,
    predict(part: Interactions): Float32Array {
      const out = new Float32Array(part.length);
      for (let k = 0; k < part.length; k++) out[k] = mu + bu[part.users[k]!]! + bi[part.items[k]!]!;
      return out;
    },
  };
}

interface RunResult {
  readonly test: RatingErrors;
  readonly valid: number;
  readonly bestEpoch: number;
  readonly epochsRun: number;
  readonly seconds: number;
}

async function train(
  name: string,
  factory: ModelFactory<object>,
  config: object,
  split: { train: Interactions; valid: Interactions; test: Interactions },
  info: Parameters<ModelFactory<object>['create']>[0],
  o: Options,
  lr: number,
  l2: number,
  seed: number,
  log: (m: string) => void,
): Promise<RunResult> {
  const model = factory.create(info, config, { seed });
  try {
    const r = await fit(model, batchSourceFor(model.dataSpec, split.train), {
      epochs: o.epochs,
      batchSize: o.batch,
      seed,
      optimizer: { name: 'adam', learningRate: lr, l2 },
      validate: (m) => {
        const e = modelErrors(m, split.valid);
        return { rmse: e.rmse, mae: e.mae };
      },
      earlyStopping: { metric: 'rmse', mode: 'min', patience: o.patience, restoreBest: true },
      onEpochEnd: (rec) => {
        log(
          `  ${name} seed ${seed} epoch ${rec.epoch}: loss ${rec.loss.toFixed(4)} valid RMSE ${rec.metrics?.rmse?.toFixed(4)} (${rec.seconds.toFixed(1)} s)`,
        );
      },
    });
    return {
      test: modelErrors(model, split.test),
      valid: r.bestMetrics?.rmse ?? Number.NaN,
      bestEpoch: r.bestEpoch ?? 0,
      epochsRun: r.epochsRun,
      seconds: r.seconds,
    };
  } finally {
    model.dispose();
  }
}

const pm = (xs: readonly number[]): string => (xs.length > 1 ? meanPlusMinus(xs) : mean(xs).toFixed(4));

/** The suite. */
export const suite: Suite = {
  name: 'ncf-explicit',
  description:
    'explicit feedback on ML-100K ratings (random 80/10/10): Basic NCF and biased MF with MSE, test RMSE/MAE vs mean and bias baselines',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const o = parseArgs(ctx.args);
    const dir = path.join(ctx.sharedData, 'ml-100k');
    if (!existsSync(dir)) return { rows: [], summary: {}, notes: [`${dir} not found: skipped`] };
    const backend = await initBackend(parseBackendPreference(o.backend));
    const data = await loadMovieLens(dir, { itemFeatures: false, userFeatures: false });
    const all = data.interactions;
    ctx.log(
      `[ncf-explicit] ${dir}: ${all.numUsers} users, ${all.numItems} items, ${all.length} ratings; backend ${backend.name}`,
    );

    const mfConfig: Partial<MfConfig> = { factors: o.mf.factors, loss: 'mse', biases: true };
    const ncfConfig: Partial<BasicNcfConfig> = {
      userInput: 'id',
      itemInput: 'id',
      layers: o.ncf.layers,
      dropout: o.ncf.dropout,
      loss: 'mse',
    };
    const res: Record<
      string,
      { test: RatingErrors[]; valid: number[]; epochs: string[]; seconds: number[] }
    > = {};
    const add = (k: string, test: RatingErrors, valid: number, epochs: string, seconds: number): void => {
      const e = (res[k] ??= { test: [], valid: [], epochs: [], seconds: [] });
      e.test.push(test);
      e.valid.push(valid);
      e.epochs.push(epochs);
      e.seconds.push(seconds);
    };
    const lambdas = [0, 2, 5, 10, 25];
    const chosenLambdas: string[] = [];
    for (const seed of o.seeds) {
      const s = randomSplit(all, { testRatio: 0.1, validRatio: 0.1, seed });
      const split = { train: s.train, valid: s.valid!, test: s.test };
      ctx.log(
        `[ncf-explicit] seed ${seed}: train ${split.train.length}, valid ${split.valid.length}, test ${split.test.length}`,
      );

      // Global mean.
      const gm = biasBaseline(split.train, Infinity, Infinity);
      add(
        'global_mean',
        errorsOf(gm.predict(split.test), split.test.ratings!),
        errorsOf(gm.predict(split.valid), split.valid.ratings!).rmse,
        '–',
        0,
      );

      // Bias baseline: λ (same for users and items) chosen on validation RMSE.
      let best: { lambda: number; valid: number; b: ReturnType<typeof biasBaseline> } | undefined;
      for (const lambda of lambdas) {
        const b = biasBaseline(split.train, lambda, lambda);
        const v = errorsOf(b.predict(split.valid), split.valid.ratings!).rmse;
        ctx.log(`  bias λ=${lambda}: valid RMSE ${v.toFixed(4)}`);
        if (!best || v < best.valid) best = { lambda, valid: v, b };
      }
      chosenLambdas.push(String(best!.lambda));
      add(
        'bias',
        errorsOf(best!.b.predict(split.test), split.test.ratings!),
        best!.valid,
        `λ=${best!.lambda}`,
        0,
      );

      const trained = [
        { name: 'mf', factory: mfFactory, config: mfConfig, hp: o.mf },
        { name: 'basic_ncf', factory: basicNcfFactory, config: ncfConfig, hp: o.ncf },
      ] as const;
      for (const m of trained) {
        if (!o.models.includes(m.name)) continue;
        const r = await train(
          m.name,
          m.factory as unknown as ModelFactory<object>,
          m.config,
          split,
          data.info,
          o,
          m.hp.lr,
          m.hp.l2,
          seed,
          ctx.log,
        );
        ctx.log(
          `  ${m.name} seed ${seed}: test RMSE ${r.test.rmse.toFixed(4)} MAE ${r.test.mae.toFixed(4)} (best epoch ${r.bestEpoch}/${r.epochsRun})`,
        );
        add(m.name, r.test, r.valid, `${r.bestEpoch}/${r.epochsRun}`, r.seconds);
      }
    }

    const labels: Record<string, string> = {
      global_mean: 'global mean (train)',
      bias: 'user + item biases',
      mf: `biased MF (${o.mf.factors} factors)`,
      basic_ncf: `Basic NCF (${o.ncf.layers.join('-')})`,
    };
    const rows: Record<string, string | number>[] = [];
    const summary: Record<string, number> = {};
    for (const [k, e] of Object.entries(res)) {
      rows.push({
        model: labels[k] ?? k,
        'test RMSE': pm(e.test.map((t) => t.rmse)),
        'test MAE': pm(e.test.map((t) => t.mae)),
        'test RMSE unclipped': pm(e.test.map((t) => t.rmseUnclipped)),
        'valid RMSE': pm(e.valid),
        'best/run epochs': e.epochs.join(', '),
        'train s': mean(e.seconds).toFixed(1),
      });
      summary[`explicit.${k}.rmse`] = mean(e.test.map((t) => t.rmse));
      summary[`explicit.${k}.mae`] = mean(e.test.map((t) => t.mae));
      if (e.test.length > 1) summary[`explicit.${k}.rmse_std`] = sampleStd(e.test.map((t) => t.rmse));
    }
    return {
      rows,
      summary,
      notes: [
        `ML-100K ratings, seeded global random split 80/10/10 (randomSplit, seeds ${o.seeds.join(', ')}); backend ${backend.name} (${backend.reason})`,
        `MSE on ratings, Adam, batch ${o.batch}, up to ${o.epochs} epochs, early stopping on valid RMSE (patience ${o.patience}), best epoch's weights restored; test metrics of those weights`,
        `MF: ${o.mf.factors} factors, user/item/global biases, lr ${o.mf.lr}, l2 ${o.mf.l2} (on embedding rows touched per step; biases unregularised)`,
        `Basic NCF: ids on both sides, tower ${o.ncf.layers.join('-')}, dropout ${o.ncf.dropout}, lr ${o.ncf.lr}, l2 ${o.ncf.l2}`,
        `predictions clipped to [${SCALE[0]}, ${SCALE[1]}] for every metric (both models' outputs are unbounded); "unclipped" column for reference`,
        `bias baseline: μ + b_u + b_i, closed form (3 alternating rounds), λ from {${lambdas.join(', ')}} chosen on valid RMSE (chosen: ${chosenLambdas.join(', ')})`,
        'mean ± sample std over seeds when --seeds > 1',
      ],
    };
  },
};
