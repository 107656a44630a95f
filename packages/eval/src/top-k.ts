import { DataError } from '@ncf/core';

/**
 * Top-K selection over one row of scores with the pessimistic, deterministic tie rule of every @ncf
 * protocol (and of the PyTorch peer): order by score descending; among equal scores the **non-relevant**
 * items come first; then by item id ascending. A constant scorer therefore ranks every relevant item last
 * among its ties and scores no better than the worst case, never above chance.
 *
 * Selection is a bounded max-heap of the `k` best seen so far (root = the worst of them): `O(n + h log k)`
 * for a row of `n` items with `h` heap replacements, and most items cost one comparison with the root.
 * No per-user allocation: the caller reuses a {@link TopKWorkspace}.
 */

/** Mark of an item that must not be ranked (the user's training/validation items). */
export const MARK_EXCLUDED = 1;
/** Mark of a relevant (held-out) item: used only to break ties pessimistically. */
export const MARK_RELEVANT = 2;

/** Reusable buffers of {@link selectTopK}; after a call, entries `[0, count)` are sorted best first. */
export interface TopKWorkspace {
  readonly k: number;
  readonly items: Int32Array;
  readonly scores: Float64Array;
  /** 1 when the selected item is relevant (marked {@link MARK_RELEVANT}), else 0. */
  readonly relevant: Uint8Array;
}

/** Allocates the buffers for selections of up to `k` items. */
export function createTopKWorkspace(k: number): TopKWorkspace {
  return { k, items: new Int32Array(k), scores: new Float64Array(k), relevant: new Uint8Array(k) };
}

/**
 * Selects the best `min(k, candidates)` items of `scores[offset .. offset + numItems)`, skipping items whose
 * `marks[item]` is {@link MARK_EXCLUDED}, and writes them best first into `ws`. Returns how many were selected.
 * Throws DataError when a candidate's score is NaN (a broken model must not be ranked silently).
 *
 * @param scores - a row-major score matrix (or one row).
 * @param offset - index of the row's first score.
 * @param numItems - row length (the catalog size).
 * @param marks - per-item marks, length ≥ numItems (0 = plain candidate).
 * @param k - how many to select (≤ ws.k).
 * @param ws - output buffers.
 */
export function selectTopK(
  scores: Float32Array,
  offset: number,
  numItems: number,
  marks: Uint8Array,
  k: number,
  ws: TopKWorkspace,
): number {
  const hi = ws.items;
  const hs = ws.scores;
  const hr = ws.relevant;
  if (k <= 0) return 0;
  let size = 0;
  let rootS = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < numItems; j++) {
    const s = scores[offset + j] as number;
    if (size === k && s < rootS) continue;
    const m = marks[j] as number;
    if (m === MARK_EXCLUDED) continue;
    if (s !== s)
      throw new DataError(`score of item ${j} is NaN (row starting at ${offset}); expected a number`);
    const r = m === MARK_RELEVANT ? 1 : 0;
    if (size < k) {
      // Sift up: the parent must be worse than (or equal to) the child.
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        const ps = hs[p] as number;
        const pr = hr[p] as number;
        // stop when parent is worse than the new entry
        if (ps < s || (ps === s && (pr > r || (pr === r && (hi[p] as number) > j)))) break;
        hi[c] = hi[p] as number;
        hs[c] = ps;
        hr[c] = pr;
        c = p;
      }
      hi[c] = j;
      hs[c] = s;
      hr[c] = r;
      rootS = hs[0] as number;
      continue;
    }
    // Full heap: replace the root (the worst kept) when the new item is better.
    const rs = rootS;
    const rr = hr[0] as number;
    if (!(s > rs || r < rr || (r === rr && j < (hi[0] as number)))) continue;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= k) break;
      let w = l;
      const rt = l + 1;
      if (rt < k && worse(hs, hr, hi, rt, l)) w = rt;
      const ws2 = hs[w] as number;
      const wr = hr[w] as number;
      // stop when the new entry is worse than the worse child (it belongs above the children)
      if (s < ws2 || (s === ws2 && (r > wr || (r === wr && j > (hi[w] as number))))) break;
      hi[c] = hi[w] as number;
      hs[c] = ws2;
      hr[c] = wr;
      c = w;
    }
    hi[c] = j;
    hs[c] = s;
    hr[c] = r;
    rootS = hs[0] as number;
  }
  sortBestFirst(hi, hs, hr, size);
  return size;
}

/** Whether heap entry `a` ranks after entry `b`. */
function worse(hs: Float64Array, hr: Uint8Array, hi: Int32Array, a: number, b: number): boolean {
  const sa = hs[a] as number;
  const sb = hs[b] as number;
  if (sa !== sb) return sa < sb;
  const ra = hr[a] as number;
  const rb = hr[b] as number;
  if (ra !== rb) return ra > rb;
  return (hi[a] as number) > (hi[b] as number);
}

/** Insertion sort of the first `n` entries, best first (n is K, small). */
function sortBestFirst(hi: Int32Array, hs: Float64Array, hr: Uint8Array, n: number): void {
  for (let a = 1; a < n; a++) {
    const i = hi[a] as number;
    const s = hs[a] as number;
    const r = hr[a] as number;
    let b = a - 1;
    while (b >= 0) {
      const sb = hs[b] as number;
      const rb = hr[b] as number;
      const after = sb < s || (sb === s && (rb > r || (rb === r && (hi[b] as number) > i)));
      if (!after) break;
      hi[b + 1] = hi[b] as number;
      hs[b + 1] = sb;
      hr[b + 1] = rb;
      b--;
    }
    hi[b + 1] = i;
    hs[b + 1] = s;
    hr[b + 1] = r;
  }
}
