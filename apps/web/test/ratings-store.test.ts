import { describe, expect, it } from 'vitest';
import { RatingsStore, storageKey } from '../src/ratings-store.js';
import { starsToModelRating } from '../src/source.js';

/** An in-memory `Storage` (Node has no localStorage). */
function memoryStorage(initial: Record<string, string> = {}): Storage {
  const m = new Map(Object.entries(initial));
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, v),
  };
}

describe('RatingsStore', () => {
  it('keeps ratings across instances, changes in place, removes and clears', () => {
    const storage = memoryStorage();
    const a = new RatingsStore(storage, 'k');
    a.set({ id: 1, title: 'One', stars: 5 });
    a.set({ id: 'x', stars: 2 });
    a.set({ id: 1, title: 'One', stars: 3 });
    const b = new RatingsStore(storage, 'k');
    expect(b.all()).toEqual([
      { id: 1, title: 'One', stars: 3 },
      { id: 'x', stars: 2 },
    ]);
    b.remove(1);
    expect(new RatingsStore(storage, 'k').all()).toEqual([{ id: 'x', stars: 2 }]);
    b.clear();
    expect(new RatingsStore(storage, 'k').all()).toEqual([]);
  });

  it('drops damaged entries and survives non-JSON storage', () => {
    const bad = JSON.stringify([
      { id: 1, stars: 6 },
      { id: 2, stars: 4 },
      { stars: 3 },
      null,
      { id: 3, stars: 2.5 },
    ]);
    expect(new RatingsStore(memoryStorage({ k: bad }), 'k').all()).toEqual([{ id: 2, stars: 4 }]);
    expect(new RatingsStore(memoryStorage({ k: '{nope' }), 'k').all()).toEqual([]);
  });

  it('keys ratings by page location, not by query string', () => {
    expect(storageKey('http://127.0.0.1:8080/site/?api=x')).toBe(
      'ncf-web:ratings:http://127.0.0.1:8080/site/',
    );
  });
});

describe('starsToModelRating', () => {
  it('maps 1–5 stars linearly onto the rating range, or to stars / 5 without one', () => {
    expect([1, 3, 5].map((s) => starsToModelRating(s, [1, 5]))).toEqual([1, 3, 5]);
    expect([1, 3, 5].map((s) => starsToModelRating(s, [0, 1]))).toEqual([0, 0.5, 1]);
    expect([1, 5].map((s) => starsToModelRating(s, undefined))).toEqual([0.2, 1]);
  });
});
