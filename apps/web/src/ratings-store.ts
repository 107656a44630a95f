import type { StarRating } from './source.js';

/** The localStorage key of the ratings, per page location (one list per served model folder). */
export function storageKey(pageUrl: string): string {
  const u = new URL(pageUrl);
  return `ncf-web:ratings:${u.origin}${u.pathname}`;
}

function isRating(x: unknown): x is StarRating {
  const r = x as StarRating;
  return (
    !!r &&
    (typeof r.id === 'string' || typeof r.id === 'number') &&
    Number.isInteger(r.stars) &&
    r.stars >= 1 &&
    r.stars <= 5 &&
    (r.title === undefined || typeof r.title === 'string')
  );
}

/** The person's ratings, kept in localStorage so they survive reloads; damaged entries are dropped. */
export class RatingsStore {
  private ratings: StarRating[];

  constructor(
    private readonly storage: Storage,
    private readonly key: string,
  ) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(storage.getItem(key) ?? '[]');
    } catch {
      parsed = [];
    }
    this.ratings = Array.isArray(parsed) ? parsed.filter(isRating) : [];
  }

  all(): readonly StarRating[] {
    return this.ratings;
  }

  stars(id: string | number): number | undefined {
    return this.ratings.find((r) => r.id === id)?.stars;
  }

  /** Sets (or changes) a rating; the item keeps its place in the list. */
  set(rating: StarRating): void {
    const at = this.ratings.findIndex((r) => r.id === rating.id);
    if (at >= 0) this.ratings[at] = rating;
    else this.ratings.push(rating);
    this.save();
  }

  remove(id: string | number): void {
    this.ratings = this.ratings.filter((r) => r.id !== id);
    this.save();
  }

  clear(): void {
    this.ratings = [];
    this.save();
  }

  private save(): void {
    try {
      this.storage.setItem(this.key, JSON.stringify(this.ratings));
    } catch {
      // A full or disabled storage only loses persistence; the page keeps working.
    }
  }
}
