import { ConfigError } from '@ncf/core/base';
import type { BaselineScorer } from './popularity.js';

/** Options of {@link randomScorer}. */
export interface RandomScorerOptions {
  readonly seed?: number;
}

/** Defaults of {@link RandomScorerOptions}. */
export const RANDOM_SCORER_DEFAULTS = { seed: 42 } as const;

/**
 * Random baseline: the score of `(user, item)` is a seeded hash of the pair mapped to `[0, 1)` with 24 bits
 * (exact in float32), so `score` and `scoreAll` agree, repeated calls agree, and no state is kept. Its
 * expected HR@K under full ranking is about `K / candidates` — the chance level other models must beat.
 */
export function randomScorer(numItems: number, options: RandomScorerOptions = {}): BaselineScorer {
  const seed = options.seed ?? RANDOM_SCORER_DEFAULTS.seed;
  if (!Number.isFinite(seed)) throw new ConfigError(`seed must be a finite number, got ${seed}`, 'seed');
  const s = Math.floor(seed) >>> 0;
  const value = (u: number, i: number): number => (hash3(s, u, i) >>> 8) / 16777216;
  return {
    kind: `baseline/random(seed ${seed})`,
    numItems,
    score(users: Int32Array, items: Int32Array): Float32Array {
      const out = new Float32Array(items.length);
      for (let i = 0; i < items.length; i++) out[i] = value(users[i] as number, items[i] as number);
      return out;
    },
    scoreAll(users: Int32Array): Float32Array {
      const out = new Float32Array(users.length * numItems);
      for (let b = 0; b < users.length; b++) {
        const u = users[b] as number;
        for (let i = 0; i < numItems; i++) out[b * numItems + i] = value(u, i);
      }
      return out;
    },
  };
}

/** A 32-bit mix of three integers (murmur3 finaliser rounds). */
function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ Math.imul(c, 0x27d4eb2f), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
