/**
 * Extending @ncf/datasets with your own data: a music app's play log (string ids, play counts, times) and
 * track metadata become Interactions + features + a split + batch sources, ready for any @ncf model.
 * Nothing here is MovieLens-specific; everything downstream (models, fit, eval) is reused as is.
 *
 * Run: `pnpm tsx --conditions=@ncf/source packages/datasets/examples/custom-source.ts`
 */
import { createRng } from '@ncf/core';
import type { DatasetInfo } from '@ncf/core';
import {
  IdMap,
  datasetInfo,
  graphInfo,
  interactionsFromIds,
  leaveOneOut,
  multiHotFeatures,
  pointwiseSource,
  toImplicit,
} from '@ncf/datasets';

/** One record of the app's own format. */
export interface PlayEvent {
  readonly listener: string;
  readonly track: string;
  readonly plays: number;
  readonly at: number;
}

/** Track metadata, including a track nobody has played yet (cold start). */
export interface Track {
  readonly id: string;
  readonly tags: readonly string[];
}

/** Builds everything a model needs from the custom source. */
export function buildFromPlays(events: readonly PlayEvent[], tracks: readonly Track[]) {
  // 1. Id maps first, so tracks known only from metadata get indices too.
  const itemIds = new IdMap('item');
  const tags = multiHotFeatures(
    itemIds,
    tracks.map((t) => t.id),
    tracks.map((t) => t.tags),
    { prefix: 'tag:' },
  );
  // 2. Columns from the custom records (a real source would stream them into typed arrays).
  const all = interactionsFromIds(
    {
      users: events.map((e) => e.listener),
      items: events.map((e) => e.track),
      ratings: events.map((e) => e.plays),
      timestamps: events.map((e) => e.at),
    },
    { itemIds },
  );
  // 3. Implicit feedback: played at least twice; repeated (listener, track) rows are summed into a mean.
  const { interactions, report } = toImplicit(all, { threshold: 2, duplicates: 'mean' });
  // 4. Leave the latest play of each listener out for testing, as in the NCF paper.
  const split = leaveOneOut(interactions);
  const info: DatasetInfo = datasetInfo(split.train, {
    itemFeatures: tags.matrix,
    graph: graphInfo(split.train),
  });
  const batches = pointwiseSource(split.train, { negatives: 2 });
  return {
    info,
    split,
    batches,
    report,
    coldStartTracks: tags.added - new Set(events.map((e) => e.track)).size,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const events: PlayEvent[] = [
    { listener: 'ana', track: 'song-a', plays: 5, at: 1 },
    { listener: 'ana', track: 'song-b', plays: 2, at: 2 },
    { listener: 'ana', track: 'song-c', plays: 3, at: 3 },
    { listener: 'ben', track: 'song-a', plays: 1, at: 1 },
    { listener: 'ben', track: 'song-b', plays: 4, at: 2 },
    { listener: 'ben', track: 'song-c', plays: 2, at: 4 },
  ];
  const tracks: Track[] = [
    { id: 'song-a', tags: ['rock'] },
    { id: 'song-b', tags: ['jazz'] },
    { id: 'song-c', tags: ['rock', 'live'] },
    { id: 'song-new', tags: ['jazz', 'live'] },
  ];
  const { info, split, batches, report } = buildFromPlays(events, tracks);
  console.log(
    `${info.numUsers} users, ${info.numItems} items, ${split.train.length} train / ${split.test.length} test`,
  );
  console.log(`implicit: ${report.positives} positives, ${report.belowThreshold} below threshold`);
  for (const b of batches.batches(4, createRng(1)))
    console.log(Array.from(b.users), Array.from(b.items), Array.from(b.labels));
}
