import { DataError } from '@ncf/core/base';
import type { Scorer } from '../scorer.js';

/** A scorer that also says how many items it scores. */
export interface BaselineScorer extends Scorer {
  readonly kind: string;
  readonly numItems: number;
  score(users: Int32Array, items: Int32Array): Float32Array;
  scoreAll(users: Int32Array): Float32Array;
}

/**
 * Popularity baseline: an item's score is its number of training interactions, the same for every user
 * (the peer's `pop` model; a standard sanity check, e.g. Rendle et al., "BPR", UAI 2009, §6). Scores are
 * float32 counts, so ties between equally popular items are exact and fall under the pessimistic tie rule.
 *
 * @param numItems - catalog size.
 * @param trainItems - the item of every training interaction (repeats count).
 */
export function popularityScorer(numItems: number, trainItems: Int32Array): BaselineScorer {
  const counts = new Float32Array(numItems);
  for (let r = 0; r < trainItems.length; r++) {
    const it = trainItems[r] as number;
    if (it < 0 || it >= numItems)
      throw new DataError(`train row ${r}: item ${it} is outside [0, ${numItems})`);
    counts[it] = (counts[it] as number) + 1;
  }
  return {
    kind: 'baseline/popularity',
    numItems,
    score(users: Int32Array, items: Int32Array): Float32Array {
      const out = new Float32Array(items.length);
      for (let i = 0; i < items.length; i++) out[i] = counts[items[i] as number] ?? Number.NaN;
      return out;
    },
    scoreAll(users: Int32Array): Float32Array {
      const out = new Float32Array(users.length * numItems);
      for (let b = 0; b < users.length; b++) out.set(counts, b * numItems);
      return out;
    },
  };
}
