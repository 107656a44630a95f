/**
 * Top-K selection for one row of scores, shared by the main thread and the pool's workers. It is
 * stringified into the worker's source (see `pool-worker.ts`), so it must stay self-contained: no imports,
 * no references to anything outside its own body.
 *
 * Order: higher score first; equal scores by lower item index (so the result never depends on which thread
 * ranked the row). NaN scores and items with `marks[item] !== 0` are never selected. Writes `count ≤ k`
 * entries at `outItems[at..]` / `outScores[at..]`, pads the rest of the `k` slots with item −1 and score
 * −Infinity, and returns `count`. `heapItems` / `heapScores` are caller-owned workspaces of length ≥ k.
 */
export function topKRow(
  scores: Float32Array,
  base: number,
  n: number,
  k: number,
  marks: Uint8Array,
  outItems: Int32Array,
  outScores: Float32Array,
  at: number,
  heapItems: Int32Array,
  heapScores: Float32Array,
): number {
  // A min-heap of the best `count` so far whose root is the worst kept entry ("worse" = lower score, or an
  // equal score with a higher index).
  let count = 0;
  const worse = (a: number, b: number): boolean =>
    heapScores[a]! < heapScores[b]! || (heapScores[a] === heapScores[b] && heapItems[a]! > heapItems[b]!);
  const swap = (a: number, b: number): void => {
    const s = heapScores[a]!;
    const i = heapItems[a]!;
    heapScores[a] = heapScores[b]!;
    heapItems[a] = heapItems[b]!;
    heapScores[b] = s;
    heapItems[b] = i;
  };
  const siftDown = (from: number): void => {
    let p = from;
    for (;;) {
      const l = 2 * p + 1;
      if (l >= count) return;
      const r = l + 1;
      const c = r < count && worse(r, l) ? r : l;
      if (!worse(c, p)) return;
      swap(c, p);
      p = c;
    }
  };
  for (let j = 0; j < n; j++) {
    if (marks[j] !== 0) continue;
    const s = scores[base + j]!;
    if (s !== s) continue;
    if (count < k) {
      heapScores[count] = s;
      heapItems[count] = j;
      let c = count++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(c, p)) break;
        swap(c, p);
        c = p;
      }
    } else if (k > 0 && s > heapScores[0]!) {
      // Items arrive in index order, so an equal score never displaces the root (it has a lower index).
      heapScores[0] = s;
      heapItems[0] = j;
      siftDown(0);
    }
  }
  const kept = count;
  // Pop the worst to the back: the kept entries end up best-first at 0..kept-1.
  while (count > 1) {
    swap(0, count - 1);
    count--;
    siftDown(0);
  }
  for (let r = 0; r < k; r++) {
    outItems[at + r] = r < kept ? heapItems[r]! : -1;
    outScores[at + r] = r < kept ? heapScores[r]! : Number.NEGATIVE_INFINITY;
  }
  return kept;
}
