// An application outside the @ncf monorepo: its own data (a play-count log with string ids and tagged
// tracks), two model families trained on it, evaluated, saved, loaded back and queried, through the
// published packages' public APIs only. CI runs it against the packed tarballs (scripts/consumer-check.sh).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DataError,
  HistoryScoringUnsupportedError,
  defaultRegistry,
  fit,
  historyStrategyOf,
  initBackend,
  loadModel,
  recommend,
  recommendForHistory,
} from '@ncf/core';
import type { ModelFactory } from '@ncf/core';
import {
  batchSourceFor,
  datasetInfo,
  datasetInfoFor,
  interactionsFromIds,
  leaveOneOut,
  multiHotFeatures,
  pointwiseSource,
  toImplicit,
} from '@ncf/datasets';
import { evalDataFromSplit, evaluate, popularityScorer } from '@ncf/eval';
import { lightgcnFactory, registerGnnModels } from '@ncf/models-gnn';
import { neumfFactory, registerNcfModels } from '@ncf/models-ncf';
import { generatePlayLog } from './play-log.js';

const SEED = 11;

const backend = await initBackend();
console.log(`backend: ${backend.name}`);

// 1. The application's own data: string ids, play counts (not labels) and a last-played timestamp.
const log = generatePlayLog();
const plays = interactionsFromIds({
  users: log.records.map((r) => r.listener),
  items: log.records.map((r) => r.track),
  ratings: log.records.map((r) => r.plays),
  timestamps: log.records.map((r) => r.lastPlayed),
});
console.log(`play log: ${plays.length} rows, ${plays.numUsers} listeners, ${plays.numItems} tracks`);

// 2. Play counts are not probabilities: a BCE model refuses them and says what to do.
const rawInfo = datasetInfo(plays);
const refused = neumfFactory.create(rawInfo, { factors: 4, layers: [8, 4] }, { seed: SEED });
try {
  await fit(refused, pointwiseSource(plays), { epochs: 1, seed: SEED });
  throw new Error('a BCE model trained on raw play counts');
} catch (err) {
  if (!(err instanceof DataError) || !err.message.includes('toImplicit')) throw err;
  console.log('raw play counts refused: the error names toImplicit');
} finally {
  refused.dispose();
}

// 3. Every play is a positive; each listener's latest track is held out.
const { interactions } = toImplicit(plays);
const split = leaveOneOut(interactions, { seed: SEED });
const tags = multiHotFeatures(
  interactions.itemIds,
  log.tracks.map((t) => t.id),
  log.tracks.map((t) => t.tags),
);
const itemCount = datasetInfo(split.train).numItems;
const tagsOf = new Map(log.tracks.map((t) => [t.id, t.tags.join('/')]));

const evalData = evalDataFromSplit(split, { name: 'play log leave-one-out' });
const popularity = await evaluate(popularityScorer(itemCount, split.train.items), evalData, { k: 10 });
console.log(`popularity  HR@10 ${popularity.metrics['hr@10']!.toFixed(4)}`);

// Each model says what data it needs (its DataSpec); datasets builds exactly that, for any family.
async function trainAndCheck<C extends object>(
  name: string,
  factory: ModelFactory<C>,
  config: Partial<C>,
): Promise<number> {
  const spec = factory.dataSpec(config);
  const info = datasetInfoFor(spec, split.train, { itemFeatures: tags.matrix });
  const model = factory.create(info, config, { seed: SEED });
  await fit(model, batchSourceFor(spec, split.train, { negatives: 4 }), {
    epochs: 15,
    batchSize: 128,
    seed: SEED,
    optimizer: { name: 'adam', learningRate: 0.01 },
  });
  const result = await evaluate(model, evalData, { k: 10 });
  const hr = result.metrics['hr@10']!;
  console.log(`${name.padEnd(11)} HR@10 ${hr.toFixed(4)}  NDCG@10 ${result.metrics['ndcg@10']!.toFixed(4)}`);

  // Save, load through the registry (as another process would), and check the copy scores the same.
  const dir = await mkdtemp(join(tmpdir(), 'ncf-outside-'));
  try {
    await model.save(dir);
    const loaded = await loadModel(dir, { registry: defaultRegistry });
    const again = await evaluate(loaded, evalData, { k: 10 });
    if (again.metrics['hr@10'] !== hr) throw new Error(`${name}: the loaded model evaluates differently`);
    const listener = 'listener-0003';
    const top = recommend(loaded, listener, { k: 3, seen: split.train });
    console.log(`  ${listener} → ${top.items.map((id) => `${id} (${tagsOf.get(String(id))})`).join(', ')}`);
    // A listener the model never saw, known only by three tracks they played: models that can score a
    // history (or fold one in) answer; the others say so with a typed error.
    const played = Array.from(split.train.items.slice(0, 3), (i) => ({ item: interactions.itemIds.id(i) }));
    if (historyStrategyOf(loaded) === undefined) {
      try {
        recommendForHistory(loaded, played, { k: 3 });
        throw new Error(`${name}: expected HistoryScoringUnsupportedError`);
      } catch (err) {
        if (!(err instanceof HistoryScoringUnsupportedError)) throw err;
        console.log(`  new listener: ${name} cannot score a history (typed error)`);
      }
    } else {
      const fresh = recommendForHistory(loaded, played, { k: 3 });
      console.log(`  new listener (${fresh.strategy}) → ${fresh.items.join(', ')}`);
    }
    loaded.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
    model.dispose();
  }
  return hr;
}

registerNcfModels(defaultRegistry);
registerGnnModels(defaultRegistry);
const lightgcn = await trainAndCheck('LightGCN', lightgcnFactory, { embeddingSize: 16, layers: 2 });
const neumf = await trainAndCheck('NeuMF', neumfFactory, { factors: 8, layers: [32, 16, 8] });

// Both models learn the listeners' genres; the popularity baseline cannot.
const best = popularity.metrics['hr@10']!;
if (!(lightgcn > best && neumf > best)) {
  throw new Error(
    `expected both models above popularity (${best}); got LightGCN ${lightgcn}, NeuMF ${neumf}`,
  );
}
console.log('outside-project example: ok');
