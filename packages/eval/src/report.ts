import type { EvalResult } from './eval-result.js';

/** The fields {@link describeProtocol} puts on one line. */
export interface ProtocolDescriptionParts {
  readonly split: string;
  readonly protocolText: string;
  readonly negatives: string;
  readonly k: readonly number[];
  readonly users: number;
  readonly units: number;
  readonly unitLabel: 'users' | 'rows';
  readonly masked: string;
}

/**
 * One line stating how numbers were obtained — split · protocol · negatives · K · users · masked — shown
 * next to every number by every printer, e.g.
 * `split=ml-100k-loo test · protocol=full ranking (all 1682 items scored) · negatives=all unmasked items · K=10 · users=943 · masked=train (99057 items over evaluated users)`.
 */
export function describeProtocol(p: ProtocolDescriptionParts): string {
  const units = p.unitLabel === 'rows' && p.units !== p.users ? ` (${p.units} held-out rows)` : '';
  return [
    `split=${p.split}`,
    `protocol=${p.protocolText}`,
    `negatives=${p.negatives}`,
    `K=${p.k.length ? p.k.join(',') : '-'}`,
    `users=${p.users}${units}`,
    `masked=${p.masked}`,
  ].join(' · ');
}

/** A JSON-ready copy of a result (NaN becomes null, as JSON has no NaN). */
export function resultToJson(result: EvalResult): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(result, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)),
  ) as Record<string, unknown>;
}

/** Options of {@link formatResultTable}. */
export interface FormatTableOptions {
  /** Significant decimals of metric values. */
  readonly digits?: number;
}

/** Defaults of {@link FormatTableOptions}: 4 decimals. */
export const FORMAT_TABLE_DEFAULTS = { digits: 4 } as const;

/**
 * A readable plain-text table of one or more results: one row per result (and per group), one column per
 * metric, and under each result its protocol description line (so no number is shown without it).
 */
export function formatResultTable(
  results: EvalResult | readonly EvalResult[],
  options: FormatTableOptions = {},
): string {
  const list: readonly EvalResult[] = Array.isArray(results) ? results : [results as EvalResult];
  const digits = options.digits ?? FORMAT_TABLE_DEFAULTS.digits;
  const blocks: string[] = [];
  for (const r of list) {
    const metricNames = Object.keys(r.metrics);
    const header = ['model', 'group', r.unitLabel, ...metricNames];
    const rows: string[][] = [
      [r.model, 'all', String(r.units), ...metricNames.map((m) => fmt(r.metrics[m], digits))],
    ];
    for (const [name, g] of Object.entries(r.groups ?? {})) {
      rows.push([r.model, name, String(g.count), ...metricNames.map((m) => fmt(g.metrics[m], digits))]);
    }
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] as string).length)));
    const line = (cells: readonly string[]): string =>
      cells
        .map((cell, c) => (c < 2 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number)))
        .join('  ');
    const lines = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
    lines.push(`  ${r.sampled ? '[SAMPLED] ' : ''}${r.description}`);
    for (const note of r.notes) lines.push(`  note: ${note}`);
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}

function fmt(v: number | undefined, digits: number): string {
  return v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits);
}
