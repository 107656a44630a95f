/**
 * Our side of `gnn-quality`'s ml-100k-u8020 rows (the LightGCN/NGCF papers' per-user 80/20 protocol): reads
 * the split's `train.tsv` / `test.tsv` (dense ids, `user<TAB>item<TAB>rating…`), trains one graph model with
 * the peers' hyperparameters and reports Recall@20 / NDCG@20 with full ranking (train items masked,
 * pessimistic ties) every `evalEvery` epochs on the test split — reported, never used to select.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fit } from '@ncf/core';
import type { ModelFactory, Recommender } from '@ncf/core';
import { batchSourceFor, datasetInfoFor, interactionsFromArrays, userItemsCsr } from '@ncf/datasets';
import type { Interactions } from '@ncf/datasets';
import { evaluate } from '@ncf/eval';
import type { EvalData } from '@ncf/eval';
import { lightgcnFactory, ngcfFactory } from '@ncf/models-gnn';

/** The graph models this runner trains. */
export type U8020Model = 'lightgcn' | 'ngcf';

/** One evaluation of a run. */
export interface U8020Point {
  readonly epoch: number;
  readonly loss: number;
  readonly recall20: number;
  readonly ndcg20: number;
}

/** What {@link runU8020} returns. */
export interface U8020Run {
  readonly model: U8020Model;
  readonly points: readonly U8020Point[];
  /** Training seconds per epoch (evaluation excluded). */
  readonly epochSeconds: number;
}

function readPairs(file: string): { users: Int32Array; items: Int32Array } {
  const users: number[] = [];
  const items: number[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    users.push(Number(f[0]));
    items.push(Number(f[1]));
  }
  return { users: Int32Array.from(users), items: Int32Array.from(items) };
}

/** The u8020 split as training interactions and full-ranking evaluation data. */
export function readU8020(dir: string): { train: Interactions; data: EvalData } {
  const tr = readPairs(path.join(dir, 'train.tsv'));
  const te = readPairs(path.join(dir, 'test.tsv'));
  let nu = 0;
  let ni = 0;
  for (const a of [tr.users, te.users]) for (const u of a) nu = Math.max(nu, u + 1);
  for (const a of [tr.items, te.items]) for (const i of a) ni = Math.max(ni, i + 1);
  const train = interactionsFromArrays(tr, { numUsers: nu, numItems: ni });
  const csr = userItemsCsr(train);
  const data: EvalData = {
    name: 'ml-100k-u8020 test',
    numUsers: nu,
    numItems: ni,
    test: te,
    exclude: { offsets: csr.offsets, items: csr.indices },
    excludeLabel: 'train',
  };
  return { train, data };
}

/**
 * Trains `model` on u8020 with the peers' settings (d 64, 3 layers of 64, Adam lr 1e-3, batch 2048,
 * λ 1e-4 on the batch's ego embeddings; NGCF: message dropout 0.1, paper adjacency) for `epochs`, evaluating
 * every `evalEvery` epochs and after the last.
 */
export async function runU8020(
  dir: string,
  model: U8020Model,
  epochs: number,
  evalEvery: number,
  seed: number,
  log: (line: string) => void,
): Promise<U8020Run> {
  const { train, data } = readU8020(dir);
  const factory = (model === 'lightgcn' ? lightgcnFactory : ngcfFactory) as ModelFactory;
  const config =
    model === 'lightgcn'
      ? { embeddingSize: 64, layers: 3, l2: 1e-4 }
      : { embeddingSize: 64, layerSizes: [64, 64, 64], l2: 1e-4 };
  const spec = factory.dataSpec(config);
  const m: Recommender = factory.create(datasetInfoFor(spec, train), config, { seed });
  const points: U8020Point[] = [];
  let trainSeconds = 0;
  let done = 0;
  try {
    await fit(m, batchSourceFor(spec, train), {
      epochs,
      batchSize: 2048,
      seed,
      optimizer: { name: 'adam', learningRate: 0.001 },
      onEpochEnd: async (record) => {
        trainSeconds += record.seconds;
        done = record.epoch;
        if (record.epoch % evalEvery === 0 || record.epoch === epochs) {
          const r = await evaluate(m, data, { protocol: 'full', k: 20 });
          const p = {
            epoch: record.epoch,
            loss: record.loss,
            recall20: r.metrics['recall@20']!,
            ndcg20: r.metrics['ndcg@20']!,
          };
          points.push(p);
          log(`${model} ${JSON.stringify(p)} (${(trainSeconds / done).toFixed(2)} s/epoch)`);
        }
      },
    });
  } finally {
    m.dispose();
  }
  return { model, points, epochSeconds: trainSeconds / Math.max(done, 1) };
}

/** Mean of `xs` (NaN for none). */
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Options of {@link u8020Summary}. */
export interface U8020SuiteOptions {
  readonly dir: string;
  readonly models: readonly U8020Model[];
  readonly peers: readonly ('lightgcn' | 'ngcf' | 'mf_bpr')[];
  readonly epochs: number;
  readonly evalEvery: number;
  readonly seeds: readonly number[];
  readonly python: string | undefined;
  readonly peersDir: string;
  readonly log: (line: string) => void;
}

/**
 * The u8020 rows and summary keys of `gnn-quality`: `u8020.<model>.{recall20,ndcg20,epoch_s}_{ours,peer}`,
 * means over `seeds` of the last epoch's metrics (never a selection on the test set).
 */
export async function u8020Summary(
  o: U8020SuiteOptions,
): Promise<{ rows: Record<string, string | number>[]; summary: Record<string, number> }> {
  const { runU8020Peer } = await import('./gnn-u8020-peers.js');
  const rows: Record<string, string | number>[] = [];
  const summary: Record<string, number> = {};
  const add = (
    model: string,
    side: 'ours' | 'peer',
    runs: { points: readonly U8020Point[]; epochSeconds: number }[],
  ): void => {
    const last = runs.map((r) => r.points[r.points.length - 1]!);
    summary[`u8020.${model}.recall20_${side}`] = mean(last.map((p) => p.recall20));
    summary[`u8020.${model}.ndcg20_${side}`] = mean(last.map((p) => p.ndcg20));
    summary[`u8020.${model}.epoch_s_${side}`] = mean(runs.map((r) => r.epochSeconds));
    rows.push({
      model,
      side,
      seeds: o.seeds.length,
      epochs: o.epochs,
      'Recall@20': summary[`u8020.${model}.recall20_${side}`]!,
      'NDCG@20': summary[`u8020.${model}.ndcg20_${side}`]!,
      's/epoch': summary[`u8020.${model}.epoch_s_${side}`]!,
    });
  };
  for (const model of o.models) {
    const runs: U8020Run[] = [];
    for (const seed of o.seeds) runs.push(await runU8020(o.dir, model, o.epochs, o.evalEvery, seed, o.log));
    add(model, 'ours', runs);
  }
  if (o.python) {
    for (const model of o.peers) {
      const runs = [];
      for (const seed of o.seeds) {
        runs.push(await runU8020Peer(o.python, o.peersDir, o.dir, model, o.epochs, o.evalEvery, seed));
      }
      add(model, 'peer', runs);
    }
  }
  return { rows, summary };
}
