import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { interactionsFromArrays, parseFixedNegatives, type Split } from '@ncf/datasets';
import {
  evalDataFromSplit,
  evaluate,
  negativeListsFromFixed,
  popularityScorer,
  userItemsFromPairs,
  type EvalData,
} from '../src/index.js';

// The shared data folder: env NCF_SHARED_DATA, else `<repo>/../shared/data`.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const shared = process.env.NCF_SHARED_DATA ?? join(repoRoot, '..', 'shared', 'data');
const peers = join(shared, '..', 'peers', 'reference');
const dir = join(shared, 'ml-100k-loo');
const present =
  existsSync(join(dir, 'ml-100k.train.rating')) && existsSync(join(peers, 'pop-ml-100k-loo-full.json'));

/** A small local reader of the NCF rating files (`user\titem\trating\ttimestamp`, 0-based dense ids). */
function readRatings(file: string): { users: Int32Array; items: Int32Array; ratings: Float32Array } {
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const f = line.split('\t');
    users.push(Number(f[0]));
    items.push(Number(f[1]));
    ratings.push(Number(f[2] ?? 1));
  }
  return {
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    ratings: Float32Array.from(ratings),
  };
}

function peerEval(protocol: 'full' | 'sampled', dataset = 'ml-100k'): Record<string, number> {
  const json = JSON.parse(readFileSync(join(peers, `pop-${dataset}-loo-${protocol}.json`), 'utf8')) as {
    final: { eval: Record<string, number> };
  };
  return json.final.eval;
}

/** Reads `<shared>/<dataset>-loo/` into EvalData, with sizes as the peer computes them (max id + 1). */
function loadLoo(dataset: string): { data: EvalData; trainItems: Int32Array } {
  const d = join(shared, `${dataset}-loo`);
  const train = readRatings(join(d, `${dataset}.train.rating`));
  const test = readRatings(join(d, `${dataset}.test.rating`));
  const negatives = negativeListsFromFixed(
    parseFixedNegatives(readFileSync(join(d, `${dataset}.test.negative`), 'utf8'), {
      file: `${dataset}.test.negative`,
    }),
  );
  const maxOf = (...arrays: Int32Array[]): number =>
    Math.max(...arrays.map((a) => a.reduce((m, v) => Math.max(m, v), -1)));
  const numUsers = maxOf(train.users, test.users) + 1;
  const numItems = maxOf(train.items, test.items, negatives.items) + 1;
  const exclude = userItemsFromPairs(numUsers, train.users, train.items, undefined, numItems);
  return {
    data: { name: `${dataset}-loo test`, numUsers, numItems, test, exclude, negatives },
    trainItems: train.items,
  };
}

describe.skipIf(!present)('cross-check with the PyTorch peer on ml-100k-loo (popularity baseline)', () => {
  const load = (): { data: EvalData; trainItems: Int32Array } => loadLoo('ml-100k');

  it('matches the peer to 1e-9 on HR@10 and NDCG@10 (and Recall@10) under full ranking', async () => {
    const { data, trainItems } = load();
    const peer = peerEval('full');
    const result = await evaluate(popularityScorer(data.numItems, trainItems), data, {
      protocol: 'full',
      k: 10,
    });
    expect(result.users).toBe(peer.users);
    expect(Math.abs((result.metrics['hr@10'] as number) - (peer['hr@10'] as number))).toBeLessThan(1e-9);
    expect(Math.abs((result.metrics['ndcg@10'] as number) - (peer['ndcg@10'] as number))).toBeLessThan(1e-9);
    expect(Math.abs((result.metrics['recall@10'] as number) - (peer['recall@10'] as number))).toBeLessThan(
      1e-9,
    );
    expect(result.description).toContain('full ranking');
  });

  it('matches the peer to 1e-9 on HR@10 and NDCG@10 under the sampled protocol with the fixed negatives', async () => {
    const { data, trainItems } = load();
    const peer = peerEval('sampled');
    const result = await evaluate(popularityScorer(data.numItems, trainItems), data, {
      protocol: 'sampled',
      k: 10,
    });
    expect(result.units).toBe(peer.users);
    expect(Math.abs((result.metrics['hr@10'] as number) - (peer['hr@10'] as number))).toBeLessThan(1e-9);
    expect(Math.abs((result.metrics['ndcg@10'] as number) - (peer['ndcg@10'] as number))).toBeLessThan(1e-9);
    expect(result.sampled).toBe(true);
    expect(result.description).toContain('SAMPLED');
  });

  it('gives the same numbers through @ncf/datasets types (Split + FixedNegatives → evalDataFromSplit)', async () => {
    const { data, trainItems } = load();
    const train = readRatings(join(dir, 'ml-100k.train.rating'));
    const test = readRatings(join(dir, 'ml-100k.test.rating'));
    const sizes = { numUsers: data.numUsers, numItems: data.numItems };
    const split: Split = {
      train: interactionsFromArrays(train, sizes),
      test: interactionsFromArrays(test, sizes),
      trainRows: new Int32Array(0),
      testRows: new Int32Array(0),
    };
    const fixed = parseFixedNegatives(readFileSync(join(dir, 'ml-100k.test.negative'), 'utf8'), {
      file: 'ml-100k.test.negative',
    });
    const viaSplit = evalDataFromSplit(split, { name: 'ml-100k-loo test', negatives: fixed });
    const pop = popularityScorer(data.numItems, trainItems);
    for (const protocol of ['full', 'sampled'] as const) {
      const a = await evaluate(pop, data, { protocol });
      const b = await evaluate(pop, viaSplit, { protocol });
      expect(b.metrics).toEqual(a.metrics);
      expect(b.description).toBe(a.description);
    }
  });
});

const present1m =
  existsSync(join(shared, 'ml-1m-loo', 'ml-1m.train.rating')) &&
  existsSync(join(peers, 'pop-ml-1m-loo-full.json'));

describe.skipIf(!present1m)('cross-check with the PyTorch peer on ml-1m-loo (popularity baseline)', () => {
  it('matches the peer to 1e-9 on HR@10 and NDCG@10, full and sampled', async () => {
    const { data, trainItems } = loadLoo('ml-1m');
    const pop = popularityScorer(data.numItems, trainItems);
    for (const protocol of ['full', 'sampled'] as const) {
      const peer = peerEval(protocol, 'ml-1m');
      const r = await evaluate(pop, data, { protocol, k: 10 });
      expect(r.units).toBe(peer.users);
      expect(Math.abs((r.metrics['hr@10'] as number) - (peer['hr@10'] as number))).toBeLessThan(1e-9);
      expect(Math.abs((r.metrics['ndcg@10'] as number) - (peer['ndcg@10'] as number))).toBeLessThan(1e-9);
    }
  });
});
