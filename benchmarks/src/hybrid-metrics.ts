/**
 * Metrics of the hybrid protocols, as the PyTorch reference (`torch_hybrid.py`) computes them: full ranking
 * with pessimistic deterministic ties (score descending, then non-relevant before relevant among equal scores,
 * then item id), HR@10 and NDCG@10 with binary gain and ideal DCG over min(|relevant|, 10); AUC with ties
 * counted half; RMSE/MAE of predictions clipped to the scale.
 */

/** HR@k and NDCG@k of one user: `scores` over every item, `excluded` never ranked, `relevant` the positives. */
export function rankUser(
  scores: Float32Array,
  excluded: ReadonlySet<number>,
  relevant: ReadonlySet<number>,
  k = 10,
): { hr: number; ndcg: number; distinct: number } {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!excluded.has(i)) idx.push(i);
  idx.sort((a, b) => {
    const d = scores[b]! - scores[a]!;
    if (d !== 0) return d;
    const ra = relevant.has(a) ? 1 : 0;
    const rb = relevant.has(b) ? 1 : 0;
    return ra !== rb ? ra - rb : a - b;
  });
  let dcg = 0;
  let hit = 0;
  for (let r = 0; r < Math.min(k, idx.length); r++) {
    if (relevant.has(idx[r]!)) {
      hit = 1;
      dcg += 1 / Math.log2(r + 2);
    }
  }
  let idcg = 0;
  for (let r = 0; r < Math.min(k, relevant.size); r++) idcg += 1 / Math.log2(r + 2);
  const distinct = new Set(idx.map((i) => scores[i]!)).size;
  return { hr: hit, ndcg: idcg > 0 ? dcg / idcg : 0, distinct };
}

/** P(score(pos) > score(neg)), ties ½. */
export function aucOf(pos: readonly number[], neg: readonly number[]): number {
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  const n = [...neg].sort((a, b) => a - b);
  let acc = 0;
  for (const p of pos) {
    let lo = 0;
    let hi = n.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (n[m]! < p) lo = m + 1;
      else hi = m;
    }
    let eq = lo;
    while (eq < n.length && n[eq] === p) eq++;
    acc += lo + (eq - lo) / 2;
  }
  return acc / (pos.length * n.length);
}

/** RMSE and MAE of `pred` clipped to [lo, hi] against `actual`. */
export function clippedErrors(
  pred: Float32Array,
  actual: Float32Array,
  lo = 1,
  hi = 5,
): { rmse: number; mae: number } {
  let se = 0;
  let ae = 0;
  for (let j = 0; j < pred.length; j++) {
    const d = Math.min(hi, Math.max(lo, pred[j]!)) - actual[j]!;
    se += d * d;
    ae += Math.abs(d);
  }
  return { rmse: Math.sqrt(se / pred.length), mae: ae / pred.length };
}

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Quantile `q` of `xs` (nearest rank). */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}
