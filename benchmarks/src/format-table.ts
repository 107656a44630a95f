/** A table cell as suites return it. */
export type Cell = string | number;

/** Options of {@link formatTable}. */
export interface FormatTableOptions {
  /** Significant digits for non-integer numbers. */
  readonly digits?: number;
}

/** Defaults of {@link FormatTableOptions}. */
export const FORMAT_TABLE_DEFAULTS: Required<FormatTableOptions> = { digits: 4 };

/**
 * Formats one number for a table: integers with thousands separators, other finite numbers with `digits`
 * significant digits (no exponent for ordinary magnitudes), NaN/∞ as written by JavaScript.
 */
export function formatNumber(value: number, digits = FORMAT_TABLE_DEFAULTS.digits): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e15) {
    const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
    return value.toLocaleString('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
  }
  return value.toPrecision(digits);
}

/**
 * Renders rows as an aligned plain-text table: a header of the keys (union over rows, first-seen order), a
 * rule, then one line per row; numbers right-aligned, text left-aligned, missing cells empty.
 */
export function formatTable(
  rows: readonly Readonly<Record<string, Cell>>[],
  options: FormatTableOptions = {},
): string {
  const digits = options.digits ?? FORMAT_TABLE_DEFAULTS.digits;
  if (rows.length === 0) return '(no rows)';
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  const cells = rows.map((row) =>
    keys.map((key) => {
      const v = row[key];
      return v === undefined ? '' : typeof v === 'number' ? formatNumber(v, digits) : v;
    }),
  );
  const numeric = keys.map((key) =>
    rows.every((row) => row[key] === undefined || typeof row[key] === 'number'),
  );
  const widths = keys.map((key, c) => Math.max(key.length, ...cells.map((line) => (line[c] ?? '').length)));
  const pad = (text: string, c: number): string =>
    numeric[c] ? text.padStart(widths[c] ?? 0) : text.padEnd(widths[c] ?? 0);
  const lines = [
    keys.map((key, c) => pad(key, c)).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((line) => line.map((text, c) => pad(text, c)).join('  ')),
  ];
  return lines.map((line) => line.trimEnd()).join('\n');
}
