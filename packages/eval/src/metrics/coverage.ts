/**
 * Item coverage at K (catalog coverage; Ge, Delgado-Battenfeld & Jannach, RecSys 2010): the fraction of the
 * `numItems` catalog items that appear in at least one user's top-`k` list.
 *
 * @param topLists - the users' ranked lists, concatenated: list `u` is `items[u*stride .. u*stride+stride)`,
 *   of which the first `k` are read; entries `< 0` are empty slots.
 * @param stride - length of each list in `topLists` (≥ k).
 * @param k - cut-off, a positive integer.
 * @param numItems - catalog size.
 */
export function itemCoverage(topLists: Int32Array, stride: number, k: number, numItems: number): number {
  if (numItems <= 0) return 0;
  const seen = new Uint8Array(numItems);
  let count = 0;
  const users = stride > 0 ? Math.floor(topLists.length / stride) : 0;
  const n = Math.min(k, stride);
  for (let u = 0; u < users; u++) {
    for (let r = 0; r < n; r++) {
      const item = topLists[u * stride + r] as number;
      if (item >= 0 && seen[item] === 0) {
        seen[item] = 1;
        count++;
      }
    }
  }
  return count / numItems;
}

/**
 * Streaming item coverage: records each user's top list as it is computed (memory `O(numItems)`, not
 * `O(users × k)`), then reports coverage at any cut-off `≤` the longest list recorded.
 */
export class CoverageCounter {
  /** `bestRank[i]`: the best (smallest) 0-based rank item `i` reached in any list, or `Infinity`-like sentinel. */
  private readonly bestRank: Int32Array;

  constructor(readonly numItems: number) {
    this.bestRank = new Int32Array(numItems).fill(0x7fffffff);
  }

  /** Records one ranked list (best first); entries `< 0` are ignored. */
  add(items: ArrayLike<number>, length: number = items.length): void {
    for (let r = 0; r < length; r++) {
      const item = items[r] as number;
      if (item >= 0 && r < (this.bestRank[item] as number)) this.bestRank[item] = r;
    }
  }

  /** Coverage at `k`: the fraction of items that reached a rank `< k` in some list. */
  coverage(k: number): number {
    if (this.numItems <= 0) return 0;
    let count = 0;
    for (let i = 0; i < this.numItems; i++) if ((this.bestRank[i] as number) < k) count++;
    return count / this.numItems;
  }
}
