// Splitting one delimited line into fields (quoted fields keep delimiters) and decoding a field's text.
import type { TextDecoder } from 'node:util';

/** Most fields a line may have (the field-bound arrays are sized once). */
export const MAX_FIELDS = 256;

/** Thrown internally for one bad line; converted to DataError or a skip. */
export class LineError extends Error {}

/**
 * Splits `buf[start,end)` into fields, their bounds into `fs`/`fe`; returns the field count. Quoted fields
 * (`"..."`) keep delimiters.
 */
export function splitFields(
  buf: Uint8Array,
  start: number,
  end: number,
  delim: Uint8Array,
  fs: Int32Array,
  fe: Int32Array,
): number {
  const d0 = delim[0] as number;
  const dl = delim.length;
  let count = 0;
  let p = start;
  for (;;) {
    if (count >= MAX_FIELDS) throw new LineError(`more than ${MAX_FIELDS} fields`);
    if (p < end && buf[p] === 34) {
      // quoted field
      let q = p + 1;
      for (;;) {
        if (q >= end) throw new LineError('unterminated quoted field');
        if (buf[q] === 34) {
          if (q + 1 < end && buf[q + 1] === 34) q += 2;
          else break;
        } else q++;
      }
      fs[count] = p;
      fe[count] = q + 1;
      count++;
      p = q + 1;
      if (p >= end) return count;
      if (!matches(buf, p, delim)) throw new LineError('text after a closing quote');
      p += dl;
      continue;
    }
    fs[count] = p;
    if (dl === 1) {
      while (p < end && buf[p] !== d0) p++;
    } else {
      while (p < end && !(buf[p] === d0 && matches(buf, p, delim))) p++;
    }
    fe[count] = p;
    count++;
    if (p >= end) return count;
    p += dl;
  }
}

/** The text of field `[s, e)`: unquoted (`""` → `"`), else trimmed. */
export function fieldText(decoder: TextDecoder, buf: Uint8Array, s: number, e: number): string {
  if (e - s >= 2 && buf[s] === 34 && buf[e - 1] === 34) {
    return decoder.decode(buf.subarray(s + 1, e - 1)).replaceAll('""', '"');
  }
  return decoder.decode(buf.subarray(s, e)).trim();
}

function matches(buf: Uint8Array, p: number, delim: Uint8Array): boolean {
  if (p + delim.length > buf.length) return false;
  for (let j = 0; j < delim.length; j++) if (buf[p + j] !== delim[j]) return false;
  return true;
}
