/** One skipped or suspicious input line. */
export interface ParseProblem {
  /** 1-based line number. */
  readonly line: number;
  readonly message: string;
}

/** What a parser read, skipped and why. Nothing is dropped without being counted here. */
export interface ParseReport {
  /** File name (or label) the report is about. */
  readonly file: string;
  /** Lines read, including header and blank lines. */
  readonly lines: number;
  /** Interactions kept. */
  readonly rows: number;
  /** Invalid lines skipped (only with `skipInvalid`; otherwise the first one throws). */
  readonly skipped: number;
  /** Empty lines ignored. */
  readonly blankLines: number;
  /** Header fields, when the input had a header line. */
  readonly header: readonly string[] | undefined;
  /** The first problems met (at most {@link MAX_REPORTED_PROBLEMS}); `skipped` has the full count. */
  readonly problems: readonly ParseProblem[];
}

/** How many problems a report lists in detail. */
export const MAX_REPORTED_PROBLEMS = 20;
