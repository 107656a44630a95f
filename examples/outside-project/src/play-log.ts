import { createRng } from '@ncf/core/base';

/** One row of a music service's play log: who played what, how often, and when they last did. */
export interface PlayRecord {
  readonly listener: string;
  readonly track: string;
  readonly plays: number;
  readonly lastPlayed: number;
}

/** The catalogue: a track id and its tags. */
export interface Track {
  readonly id: string;
  readonly tags: readonly string[];
}

/** A generated play-count log with string ids and tagged tracks. */
export interface PlayLog {
  readonly records: readonly PlayRecord[];
  readonly tracks: readonly Track[];
}

const GENRES = ['ambient', 'jazz', 'metal', 'folk', 'techno', 'soul'] as const;
const MOODS = ['calm', 'energetic', 'dark', 'warm'] as const;

/**
 * A small synthetic play log in the shape an application would have (not MovieLens): each listener has a
 * favourite genre and plays mostly its tracks, with skewed play counts. Seeded, so every run is identical.
 */
export function generatePlayLog(listeners = 120, tracksPerGenre = 25, seed = 7): PlayLog {
  const rng = createRng(seed);
  const tracks: Track[] = [];
  for (const genre of GENRES)
    for (let t = 0; t < tracksPerGenre; t++)
      tracks.push({
        id: `${genre}-${String(t).padStart(3, '0')}`,
        tags: [genre, MOODS[rng.int(MOODS.length)]!],
      });
  const records: PlayRecord[] = [];
  for (let l = 0; l < listeners; l++) {
    const listener = `listener-${String(l).padStart(4, '0')}`;
    const favourite = rng.int(GENRES.length);
    const played = new Set<number>();
    const count = 8 + rng.int(10);
    while (played.size < count) {
      const inGenre = rng.next() < 0.8;
      const genre = inGenre ? favourite : rng.int(GENRES.length);
      // Low track numbers are the genre's hits: listeners find them first.
      const t = Math.floor(tracksPerGenre * rng.next() ** 2);
      played.add(genre * tracksPerGenre + t);
    }
    let day = 0;
    for (const index of played) {
      day += 1 + rng.int(3);
      records.push({
        listener,
        track: tracks[index]!.id,
        plays: 1 + Math.floor(30 * rng.next() ** 3),
        lastPlayed: Date.UTC(2026, 0, 1) + day * 86_400_000,
      });
    }
  }
  return { records, tracks };
}
