import { DataError } from '@ncf/core';
import type { Csr, DatasetInfo, Rng } from '@ncf/core';

/**
 * Ragged user histories as the content and attention models consume them: sample `b`'s history is
 * `items[offsets[b]..offsets[b+1])` with `values` aligned (centred ratings, or 1s for implicit feedback).
 */
export interface HistorySegments {
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly values: Float32Array;
}

/** How raw history values become the weights of a profile (the seed's centred ratings). */
export interface Centring {
  /** Pseudo-count `k` of `r̄_u = (Σ r + k·mid)/(n + k)`; see `@ncf/datasets` `CentringOptions`. */
  readonly shrinkage: number;
  /** Scale midpoint; undefined for implicit feedback (values are used as given, normally 1s). */
  readonly midpoint: number | undefined;
}

/** The centring a model applies on `info`: midpoint of `info.ratingRange`, or none without a rating scale. */
export function centringOf(info: DatasetInfo, shrinkage: number): Centring {
  const r = info.ratingRange;
  return { shrinkage, midpoint: r ? (r[0] + r[1]) / 2 : undefined };
}

/**
 * Centres one user's raw values in place of a copy: `r − (Σ r + k·mid)/(n + k)` — the same arithmetic as
 * `@ncf/datasets` `centredRatings`, so a history scored at inference is weighted exactly as training batches
 * were (float64 mean, float32 result).
 */
export function centreValues(raw: Float32Array, c: Centring): Float32Array {
  if (c.midpoint === undefined) return Float32Array.from(raw);
  let sum = 0;
  for (let j = 0; j < raw.length; j++) sum += raw[j]!;
  const mean = (sum + c.shrinkage * c.midpoint) / (raw.length + c.shrinkage || 1);
  const out = new Float32Array(raw.length);
  for (let j = 0; j < raw.length; j++) out[j] = raw[j]! - mean;
  return out;
}

/** Throws DataError unless `info.userHistories` is there and fits the dataset (`who` names the caller). */
export function knownHistories(info: DatasetInfo, who: string): Csr {
  const h = info.userHistories;
  if (!h) {
    throw new DataError(
      `${who} scores known users from their histories and needs info.userHistories (each user's training items and ratings); build the dataset info from the training interactions with userHistories`,
    );
  }
  if (h.numRows !== info.numUsers || h.numCols !== info.numItems || h.offsets.length !== h.numRows + 1) {
    throw new DataError(
      `${who}: info.userHistories must be ${info.numUsers} × ${info.numItems} with ${info.numUsers + 1} offsets, got ${h.numRows} × ${h.numCols} with ${h.offsets.length}`,
    );
  }
  return h;
}

/** Segments of `users` from the known histories, centred per user. */
export function segmentsOfUsers(h: Csr, users: Int32Array, c: Centring): HistorySegments {
  const offsets = new Int32Array(users.length + 1);
  for (let b = 0; b < users.length; b++) {
    const u = users[b]!;
    offsets[b + 1] = offsets[b]! + h.offsets[u + 1]! - h.offsets[u]!;
  }
  const items = new Int32Array(offsets[users.length]!);
  const values = new Float32Array(items.length);
  const cache = new Map<number, Float32Array>();
  for (let b = 0; b < users.length; b++) {
    const u = users[b]!;
    const a = h.offsets[u]!;
    const e = h.offsets[u + 1]!;
    items.set(h.indices.subarray(a, e), offsets[b]!);
    let centred = cache.get(u);
    if (!centred) {
      const raw = h.values ? h.values.subarray(a, e) : new Float32Array(e - a).fill(1);
      centred = centreValues(raw, c);
      cache.set(u, centred);
    }
    values.set(centred, offsets[b]!);
  }
  return { offsets, items, values };
}

/** One history repeated for `count` samples. */
export function repeatSegment(items: Int32Array, values: Float32Array, count: number): HistorySegments {
  const n = items.length;
  const offsets = new Int32Array(count + 1);
  for (let b = 0; b < count; b++) offsets[b + 1] = (b + 1) * n;
  const it = new Int32Array(count * n);
  const va = new Float32Array(count * n);
  for (let b = 0; b < count; b++) {
    it.set(items, b * n);
    va.set(values, b * n);
  }
  return { offsets, items: it, values: va };
}

/** Options of {@link prepareSegments}. */
export interface PrepareOptions {
  /** Drop entries equal to the sample's candidate (target masking). */
  readonly maskCandidate: boolean;
  /** Keep only the last `cap` entries of each history (0: all). */
  readonly cap: number;
  /** Drop each entry with this probability (message dropout; needs `rng`). */
  readonly dropRate: number;
  readonly rng: Rng | undefined;
}

/**
 * Applies target masking, the history cap (the last `cap` entries in the order given: callers list a history
 * oldest first) and message dropout. Returns the input unchanged when none applies.
 */
export function prepareSegments(
  seg: HistorySegments,
  candidates: Int32Array,
  o: PrepareOptions,
): HistorySegments {
  const drop = o.dropRate > 0 && o.rng !== undefined;
  if (!o.maskCandidate && o.cap <= 0 && !drop) return seg;
  const n = candidates.length;
  const offsets = new Int32Array(n + 1);
  const items = new Int32Array(seg.items.length);
  const values = new Float32Array(seg.items.length);
  let q = 0;
  for (let b = 0; b < n; b++) {
    const c = candidates[b]!;
    const end = seg.offsets[b + 1]!;
    let start = seg.offsets[b]!;
    if (o.cap > 0) {
      // Count kept entries from the end so masking does not shorten the capped window.
      let kept = 0;
      let j = end;
      while (j > start && kept < o.cap) {
        j--;
        if (!(o.maskCandidate && seg.items[j] === c)) kept++;
      }
      start = j;
    }
    for (let j = start; j < end; j++) {
      const it = seg.items[j]!;
      if (o.maskCandidate && it === c) continue;
      if (drop && o.rng!.next() < o.dropRate) continue;
      items[q] = it;
      values[q] = seg.values[j]!;
      q++;
    }
    offsets[b + 1] = q;
  }
  return { offsets, items: items.slice(0, q), values: values.slice(0, q) };
}

/** The distinct ids of `a` ∪ `b` and, for each entry of `a` and `b`, its position among them. */
export function uniqueRows(
  a: Int32Array,
  b: Int32Array,
  numItems: number,
): { ids: Int32Array; rowsA: Int32Array; rowsB: Int32Array } {
  const slot = new Int32Array(numItems).fill(-1);
  const ids: number[] = [];
  const map = (src: Int32Array): Int32Array => {
    const out = new Int32Array(src.length);
    for (let j = 0; j < src.length; j++) {
      const id = src[j]!;
      let s = slot[id]!;
      if (s < 0) {
        s = ids.length;
        slot[id] = s;
        ids.push(id);
      }
      out[j] = s;
    }
    return out;
  };
  const rowsA = map(a);
  const rowsB = map(b);
  return { ids: Int32Array.from(ids), rowsA, rowsB };
}

/**
 * Checks a raw history against the dataset (DataError naming the pair: an item that is not a dense index,
 * a value outside `info.ratingRange` or not finite) and returns its values.
 */
export function checkRawHistory(
  info: DatasetInfo,
  history: { readonly items: Int32Array; readonly values: Float32Array },
): Float32Array {
  const { items, values } = history;
  if (items.length !== values.length) {
    throw new DataError(`history has ${items.length} items but ${values.length} values (one value per item)`);
  }
  const range = info.ratingRange;
  for (let j = 0; j < items.length; j++) {
    const it = items[j]!;
    const v = values[j]!;
    if (!(Number.isInteger(it) && it >= 0 && it < info.numItems)) {
      throw new DataError(
        `history pair ${j} (item ${it}, value ${v}): item is not a dense index in [0, ${info.numItems})`,
      );
    }
    if (!Number.isFinite(v) || (range && (v < range[0] || v > range[1]))) {
      throw new DataError(
        `history pair ${j} (item ${it}, value ${v}): ${range ? `rating outside the model's scale [${range[0]}, ${range[1]}]` : 'value must be finite'}`,
      );
    }
  }
  return values;
}

/**
 * Training segments of `users` from the known histories with each sample's `targets[b]` left out of both
 * the history and the user's mean: `r_uj − (Σ_{l≠t} r_ul + k·mid)/(n_u − 1 + k)`. Centring with the target's
 * own rating in the mean would leak it: the masked history's centred values sum to about `r̄_u − r_ut`, which
 * a network reads off any feature every item shares (ML-100K's year buckets sum to 1), so training fits a
 * signal that scoring a held-out item never has.
 */
export function segmentsLeavingTargetOut(
  h: Csr,
  users: Int32Array,
  targets: Int32Array,
  c: Centring,
): HistorySegments {
  let total = 0;
  for (let b = 0; b < users.length; b++) total += h.offsets[users[b]! + 1]! - h.offsets[users[b]!]!;
  const offsets = new Int32Array(users.length + 1);
  const items = new Int32Array(total);
  const values = new Float32Array(total);
  let q = 0;
  for (let b = 0; b < users.length; b++) {
    const u = users[b]!;
    const t = targets[b]!;
    const start = q;
    let sum = 0;
    for (let j = h.offsets[u]!; j < h.offsets[u + 1]!; j++) {
      if (h.indices[j] === t) continue;
      const v = h.values ? h.values[j]! : 1;
      items[q] = h.indices[j]!;
      values[q] = v;
      sum += v;
      q++;
    }
    if (c.midpoint !== undefined) {
      const n = q - start;
      const mean = (sum + c.shrinkage * c.midpoint) / (n + c.shrinkage || 1);
      for (let j = start; j < q; j++) values[j] = values[j]! - mean;
    }
    offsets[b + 1] = q;
  }
  return { offsets, items: items.slice(0, q), values: values.slice(0, q) };
}
