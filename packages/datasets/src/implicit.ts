import type { Interactions } from './interactions.js';
import { interactionsFromArrays, selectRows } from './interactions.js';
import type { DuplicatesPolicy, DuplicatesReport } from './duplicates.js';
import { resolveDuplicates } from './duplicates.js';

/** Options of {@link toImplicit}. */
export interface ImplicitOptions {
  /**
   * Ratings `>= threshold` are positives, the rest are dropped. Default: none — every interaction is a
   * positive, as in the NCF paper (He et al., 2017, §4.1).
   */
  readonly threshold?: number;
  /** Repeated (user, item) pairs, resolved before thresholding. Default `'keep-last'`. */
  readonly duplicates?: DuplicatesPolicy;
  /** Keep the rating column (e.g. for weighting); default false: implicit interactions carry no ratings. */
  readonly keepRatings?: boolean;
}

/** Defaults of {@link ImplicitOptions}. */
export const IMPLICIT_DEFAULTS = { duplicates: 'keep-last', keepRatings: false } as const;

/** What {@link toImplicit} did. */
export interface ImplicitReport {
  readonly inputRows: number;
  readonly positives: number;
  /** Rows dropped for a rating below the threshold. */
  readonly belowThreshold: number;
  readonly duplicates: DuplicatesReport;
}

/** Turns ratings into implicit positives: duplicates resolved (reported), then thresholded. */
export function toImplicit(
  interactions: Interactions,
  options: ImplicitOptions = {},
): { interactions: Interactions; report: ImplicitReport } {
  const o = { ...IMPLICIT_DEFAULTS, ...options };
  const dedup = resolveDuplicates(interactions, o.duplicates);
  let x = dedup.interactions;
  let below = 0;
  if (o.threshold !== undefined && x.ratings) {
    const r = x.ratings;
    let m = 0;
    for (let k = 0; k < r.length; k++) if (r[k]! >= o.threshold) m++;
    const rows = new Int32Array(m);
    for (let k = 0, j = 0; k < r.length; k++) if (r[k]! >= o.threshold) rows[j++] = k;
    below = r.length - m;
    if (below > 0) x = selectRows(x, rows);
  }
  if (!o.keepRatings && x.ratings) {
    x = interactionsFromArrays(
      { users: x.users, items: x.items, timestamps: x.timestamps },
      { userIds: x.userIds, itemIds: x.itemIds, trusted: true },
    );
  }
  return {
    interactions: x,
    report: {
      inputRows: interactions.length,
      positives: x.length,
      belowThreshold: below,
      duplicates: dedup.report,
    },
  };
}
