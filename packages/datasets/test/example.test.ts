import { describe, expect, it } from 'vitest';
import { createRng } from '@ncf/core';
import { buildFromPlays } from '../examples/custom-source.js';

describe('example: extending datasets with a custom source', () => {
  it('builds dataset info, a leave-one-out split and batches from play events and track tags', () => {
    const events = [
      { listener: 'ana', track: 'a', plays: 5, at: 1 },
      { listener: 'ana', track: 'b', plays: 2, at: 2 },
      { listener: 'ana', track: 'c', plays: 3, at: 3 },
      { listener: 'ben', track: 'a', plays: 1, at: 1 },
      { listener: 'ben', track: 'b', plays: 4, at: 2 },
      { listener: 'ben', track: 'c', plays: 2, at: 4 },
      { listener: 'ben', track: 'c', plays: 4, at: 5 },
    ];
    const tracks = [
      { id: 'a', tags: ['rock'] },
      { id: 'b', tags: ['jazz'] },
      { id: 'c', tags: ['rock', 'live'] },
      { id: 'new', tags: ['jazz'] },
    ];
    const { info, split, batches, report, coldStartTracks } = buildFromPlays(events, tracks);
    expect(info.numItems).toBe(4);
    expect(coldStartTracks).toBe(1);
    expect(info.itemFeatures?.names).toEqual(['tag:jazz', 'tag:live', 'tag:rock']);
    expect(info.graph?.numRows).toBe(6);
    expect(report.duplicates.duplicatePairs).toBe(1); // ben × c twice → mean 3
    expect(report.belowThreshold).toBe(1); // ben × a (1 play)
    expect(split.test.length).toBe(2); // latest of ana (c) and ben (c)
    expect(split.train.length).toBe(3);
    const all = Array.from(batches.batches(100, createRng(1)))[0]!;
    expect(all.users.length).toBe(9);
  });
});
