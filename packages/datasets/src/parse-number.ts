// Number parsing straight from bytes (no string per field): int32 ids and decimal ratings / timestamps.

/** Largest int32 (ids must fit). */
export const INT32_MAX = 2147483647;
/** Smallest int32. */
export const INT32_MIN = -2147483648;
/** Exact powers of ten for decimal fractions of up to 22 digits. */
export const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/** Parses an optionally signed decimal integer in int32 range (spaces and quotes around allowed); null otherwise. */
export function parseInt32(buf: Uint8Array, s: number, e: number): number | null {
  while (s < e && buf[s] === 32) s++;
  while (e > s && buf[e - 1] === 32) e--;
  if (e - s >= 2 && buf[s] === 34 && buf[e - 1] === 34) {
    s++;
    e--;
  }
  if (s >= e) return null;
  let neg = false;
  if (buf[s] === 45) {
    neg = true;
    s++;
  } else if (buf[s] === 43) s++;
  if (s >= e || e - s > 10) return null;
  let v = 0;
  for (let p = s; p < e; p++) {
    const c = (buf[p] as number) - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  if (neg) v = -v;
  if (v > INT32_MAX || v < INT32_MIN) return null;
  return v;
}

/** Parses a decimal number (`-12`, `3.5`, `1e3`); NaN when the bytes are not one. Never allocates on the fast path. */
export function parseNumber(buf: Uint8Array, s: number, e: number): number {
  while (s < e && buf[s] === 32) s++;
  while (e > s && buf[e - 1] === 32) e--;
  if (e - s >= 2 && buf[s] === 34 && buf[e - 1] === 34) {
    s++;
    e--;
  }
  if (s >= e) return NaN;
  const start = s;
  let neg = false;
  if (buf[s] === 45) {
    neg = true;
    s++;
  } else if (buf[s] === 43) s++;
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let p = s;
  for (; p < e; p++) {
    const c = (buf[p] as number) - 48;
    if (c < 0 || c > 9) break;
    mant = mant * 10 + c;
    digits++;
  }
  if (p < e && buf[p] === 46) {
    p++;
    for (; p < e; p++) {
      const c = (buf[p] as number) - 48;
      if (c < 0 || c > 9) break;
      mant = mant * 10 + c;
      digits++;
      frac++;
    }
  }
  if (digits === 0) return NaN;
  if (p < e) {
    if (buf[p] !== 101 && buf[p] !== 69) return NaN;
    // exponent: rare, use the exact library conversion
    let str = '';
    for (let q = start; q < e; q++) str += String.fromCharCode(buf[q] as number);
    const v = Number(str);
    return v;
  }
  if (digits > 15 || frac > 22) {
    let str = '';
    for (let q = start; q < e; q++) str += String.fromCharCode(buf[q] as number);
    return Number(str);
  }
  const v = frac === 0 ? mant : mant / (POW10[frac] as number);
  return neg ? -v : v;
}
