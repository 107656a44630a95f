// The options of the delimited-text parser, their defaults and their validation.
import { ConfigError } from '@ncf/core/base';
import type { IdMap } from './id-map.js';
import type { Interactions } from './interactions.js';
import type { ParseReport } from './parse-report.js';

/** A column given by 0-based position or by header name. */
export type ColumnRef = number | string;

/** Which input column holds what. `null` drops an optional column. */
export interface ColumnMapping {
  readonly user?: ColumnRef;
  readonly item?: ColumnRef;
  /** Default: column 2 when lines have more than 2 fields. */
  readonly rating?: ColumnRef | null;
  /** Default: column 3 when lines have more than 3 fields. */
  readonly timestamp?: ColumnRef | null;
}

/** Options of the delimited-text parser ({@link readDelimited}, {@link parseDelimited}, {@link DelimitedParser}). */
export interface DelimitedOptions {
  /** Field separator: `','` (CSV), `'\t'` (TSV), `'::'` (MovieLens .dat) or any other string. Default `','`. */
  readonly delimiter?: string;
  /**
   * Whether the first non-blank line is a header. `'auto'` (default): a header when one of the numeric fields
   * of the first line does not parse as a number.
   */
  readonly header?: boolean | 'auto';
  /** Column mapping; default user 0, item 1, rating 2, timestamp 3 (when the lines have that many fields). */
  readonly columns?: ColumnMapping;
  /**
   * `'number'` (default): ids are integers in int32 range; dense indices follow ascending id order.
   * `'string'`: ids are any text; dense indices follow order of first appearance.
   */
  readonly idType?: 'number' | 'string';
  /** Text encoding of string ids: `'utf8'` (default) or `'latin1'`. */
  readonly encoding?: 'utf8' | 'latin1';
  /** Existing id maps to index through (e.g. the training set's, or one holding cold-start items). */
  readonly userIds?: IdMap;
  readonly itemIds?: IdMap;
  /** An id missing from a given id map is added (default) or is an error. */
  readonly unknownIds?: 'add' | 'error';
  /** Inclusive valid rating range, e.g. `[0.5, 5]`; ratings outside are invalid. Default: any finite number. */
  readonly ratingRange?: readonly [number, number];
  /** Skip invalid lines and count them in the report instead of throwing. Default `false`. */
  readonly skipInvalid?: boolean;
  /** Name used in errors and the report (defaults to the path, or `'<input>'`). */
  readonly file?: string;
  /** Expected number of rows, to size the arrays once (optional; files estimate it from their size). */
  readonly expectedRows?: number;
  /** Stops reading when aborted (`AbortError` from `@ncf/core/base`). */
  readonly signal?: AbortSignal;
}

/** Defaults of {@link DelimitedOptions}. */
export const DELIMITED_DEFAULTS = {
  delimiter: ',',
  header: 'auto',
  idType: 'number',
  encoding: 'utf8',
  unknownIds: 'add',
  skipInvalid: false,
} as const;

/** Interactions plus the report of what was read. */
export interface ParseResult {
  readonly interactions: Interactions;
  readonly report: ParseReport;
}

/** Throws a ConfigError naming the option for a delimiter, encoding or id type the parser cannot use. */
export function validateDelimitedOptions(
  o: Pick<DelimitedOptions, 'delimiter' | 'encoding' | 'idType'>,
): void {
  const { delimiter, encoding, idType } = o;
  if (typeof delimiter !== 'string' || delimiter.length === 0 || /[\r\n"]/.test(delimiter)) {
    throw new ConfigError(
      `delimiter must be a non-empty string without quotes or line breaks, got ${JSON.stringify(delimiter)}`,
      'delimiter',
    );
  }
  if (encoding !== 'utf8' && encoding !== 'latin1') {
    throw new ConfigError(
      `unknown encoding ${JSON.stringify(encoding)}; expected 'utf8' or 'latin1'`,
      'encoding',
    );
  }
  if (idType !== 'number' && idType !== 'string') {
    throw new ConfigError(`idType must be 'number' or 'string', got ${JSON.stringify(idType)}`, 'idType');
  }
}
