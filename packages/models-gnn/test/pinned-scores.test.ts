import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, createRng, createTrainStep, initBackend } from '@ncf/core';
import { lightgcnFactory } from '../src/index.js';
import type { LightGcnConfig } from '../src/index.js';
import { clusteredInteractions, tinyInfo } from './tiny-graph.js';
import { graphBatches } from './train-helpers.js';

/**
 * Pins LightGCN's seeded initial table and its scores (before and after two optimizer steps) bit for bit, as
 * FNV-1a hashes of the float32 bits plus one value, so refactoring the initialiser, the propagation layer or the
 * scoring cache cannot change them silently. Recorded from the implementation before the graph layer existed.
 */
function fingerprint(values: Float32Array): string {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i]!, 0x01000193) >>> 0;
  return `${values.length} ${h.toString(16)} ${values[0]}`;
}

const NU = 9;
const NI = 12;
const data = clusteredInteractions(NU, NI, 3, 3, 5);
const info = tinyInfo(NU, NI, data.users, data.items);
const users = Int32Array.of(0, 4, 8);

const cases: [string, Partial<LightGcnConfig>][] = [
  ['normal', { embeddingSize: 4, layers: 2 }],
  ['xavier segment-sum', { embeddingSize: 5, layers: 3, init: 'xavier', propagation: 'segment-sum' }],
  ['weighted', { embeddingSize: 4, layers: 2, layerWeights: [0.5, 0.3, 0.2], initStd: 0.2 }],
];

describe('gnn/lightgcn pinned weights and scores (cpu)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it.each(cases)('%s', (name, config) => {
    const m = lightgcnFactory.create(info, config, { seed: 3 });
    const got: string[] = [fingerprint((m.variables()[0]!.variable.dataSync() as Float32Array).slice())];
    got.push(fingerprint(m.scoreAll(users)));
    got.push(fingerprint(m.score(Int32Array.of(1, 2, 7), Int32Array.of(0, 5, 11))));
    const opt = createOptimizer({ name: 'adam', learningRate: 0.05 });
    const step = createTrainStep(m, opt, createRng(1));
    for (const b of graphBatches(data.users, data.items, NI, 8, 2).slice(0, 2)) {
      step(b); // no hook: the optimizer's weights version invalidates the scoring cache
    }
    got.push(fingerprint(m.scoreAll(users)));
    opt.dispose();
    m.dispose();
    expect(got).toEqual(PINNED[name]);
  });
});

const PINNED: Record<string, string[]> = {
  normal: [
    '84 e780502e -0.10756723582744598',
    '36 1870df17 0.0012668687850236893',
    '3 f964de3b -0.003210590220987797',
    '36 5ceedf10 0.03989321365952492',
  ],
  'xavier segment-sum': [
    '105 dad7a7d5 -0.08465573936700821',
    '36 afc992fb 0.030459044501185417',
    '3 9fcf70f4 -0.015885451808571815',
    '36 4b658cd8 0.07821386307477951',
  ],
  weighted: [
    '84 6680502e -0.21513447165489197',
    '36 bec78ee4 0.002388192107900977',
    '3 c8e0da19 -0.01903987117111683',
    '36 e79b5980 0.05093149095773697',
  ],
};
