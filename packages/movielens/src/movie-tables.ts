/**
 * Column-oriented metadata parsed from MovieLens files, before features are built: one entry per movie or
 * user in file order, keyed by the original MovieLens id.
 */

/** Movies (`u.item`, `movies.dat`, `movies.csv`). */
export interface MovieTable {
  /** Original MovieLens movie ids, in file order. */
  readonly ids: Int32Array;
  /** Titles, with the year suffix as in the file, e.g. `Toy Story (1995)`. */
  readonly titles: readonly string[];
  /** Release year (from the release date or the title's `(YYYY)`), 0 when unknown. */
  readonly years: Int32Array;
  /** Genre vocabulary, in the variant's order. */
  readonly genreNames: readonly string[];
  /** Multi-hot genres, `ids.length × genreNames.length`, row-major. */
  readonly genres: Uint8Array;
}

/** Users (`u.user`, `users.dat`). */
export interface UserTable {
  readonly ids: Int32Array;
  /** Age in years (ml-100k) or the ml-1m age-group code (1, 18, 25, 35, 45, 50, 56). */
  readonly ages: Int32Array;
  /** 0 = F, 1 = M. */
  readonly genders: Uint8Array;
  /** Index into `occupationNames`. */
  readonly occupations: Int32Array;
  readonly occupationNames: readonly string[];
  readonly zipCodes: readonly string[];
}

/** Per-movie tag counts (`tags.csv`): `tags[k]` was applied `counts[k]` times to movie `movieIds[k]`. */
export interface TagTable {
  readonly movieIds: Int32Array;
  readonly tags: readonly string[];
  readonly counts: Int32Array;
}

/** Tag genome (`genome-tags.csv` + `genome-scores.csv`): dense relevance per movie with a genome. */
export interface GenomeTable {
  readonly tagNames: readonly string[];
  readonly movieIds: Int32Array;
  /** `movieIds.length × tagNames.length`, row-major. */
  readonly relevance: Float32Array;
}

/** Extracts the year from a title ending in `(YYYY)` (also `(YYYY-YYYY)` or trailing spaces); 0 when absent. */
export function yearFromTitle(title: string): number {
  const m = /\((\d{4})(?:[-–]\d{0,4})?\)\s*$/.exec(title);
  return m ? Number(m[1]) : 0;
}
