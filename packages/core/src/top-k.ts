import { DataError } from './errors.js';

/**
 * The one top-K selector of @ncf (tensor-free, in `@ncf/core/base`): @ncf/eval's protocols and core's
 * `recommend()` both rank through {@link selectTopK}.
 *
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
  if (k <= 0) return 0;
  let size = 0;
  let j = 0;
  // Fill the heap with the first k candidates.
  for (; j < numItems && size < k; j++) {
    const m = marks[j] as number;
    if (m === MARK_EXCLUDED) continue;
    const s = scores[offset + j] as number;
    if (s !== s) throw nanError(j, offset);
    siftUp(ws, size++, j, s, m === MARK_RELEVANT ? 1 : 0);
  }
  // Scan the rest: most items fail the first comparison with the worst kept score.
  let rootS = ws.scores[0] as number;
  for (; j < numItems; j++) {
    const s = scores[offset + j] as number;
    if (s < rootS) continue;
    const m = marks[j] as number;
    if (m === MARK_EXCLUDED) continue;
    if (s !== s) throw nanError(j, offset);
    rootS = offer(ws, k, j, s, m === MARK_RELEVANT ? 1 : 0);
  }
  sortBestFirst(ws.items, ws.scores, ws.relevant, size);
  return size;
}

function nanError(item: number, offset: number): DataError {
  return new DataError(`score of item ${item} is NaN (row starting at ${offset}); expected a number`);
}

/** Inserts `(item, s, r)` at free slot `c` of a heap of size `c` (root = worst entry). */
function siftUp(ws: TopKWorkspace, c: number, item: number, s: number, r: number): void {
  const hi = ws.items;
  const hs = ws.scores;
  const hr = ws.relevant;
  while (c > 0) {
    const p = (c - 1) >> 1;
    const ps = hs[p] as number;
    const pr = hr[p] as number;
    // stop when the parent is worse than the new entry
    if (ps < s || (ps === s && (pr > r || (pr === r && (hi[p] as number) > item)))) break;
    hi[c] = hi[p] as number;
    hs[c] = ps;
    hr[c] = pr;
    c = p;
  }
  hi[c] = item;
  hs[c] = s;
  hr[c] = r;
}

/**
 * Offers `(item, s, r)` (with `s ≥` the root's score) to a full heap of size `k`: replaces the root when the
 * new entry ranks before it. Returns the root's score afterwards.
 */
function offer(ws: TopKWorkspace, k: number, item: number, s: number, r: number): number {
  const hi = ws.items;
  const hs = ws.scores;
  const hr = ws.relevant;
  const rs = hs[0] as number;
  const rr = hr[0] as number;
  if (!(s > rs || r < rr || (r === rr && item < (hi[0] as number)))) return rs;
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= k) break;
    let w = l;
    const rt = l + 1;
    if (rt < k && worse(hs, hr, hi, rt, l)) w = rt;
    const wsc = hs[w] as number;
    const wr = hr[w] as number;
    // stop when the new entry is worse than the worse child (it belongs above the children)
    if (s < wsc || (s === wsc && (r > wr || (r === wr && item > (hi[w] as number))))) break;
    hi[c] = hi[w] as number;
    hs[c] = wsc;
    hr[c] = wr;
    c = w;
  }
  hi[c] = item;
  hs[c] = s;
  hr[c] = r;
  return hs[0] as number;
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

/**
 * Indices of the `k` largest entries of `scores`, best first, ties broken by the lower index; `NaN` and
 * `-Infinity` entries (masked scores) are never returned, so fewer than `k` may come back. A convenience
 * over {@link selectTopK} for one row without marks (it allocates the marks and the workspace).
 */
export function topK(scores: Float32Array, k: number): Int32Array {
  const n = scores.length;
  const marks = new Uint8Array(n);
  for (let j = 0; j < n; j++) if (!((scores[j] as number) > -Infinity)) marks[j] = MARK_EXCLUDED;
  const size = Math.max(0, Math.min(k, n));
  const ws = createTopKWorkspace(size);
  const count = selectTopK(scores, 0, n, marks, size, ws);
  return ws.items.slice(0, count);
}
