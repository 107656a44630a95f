import { ConfigError } from '@ncf/core/base';
import type { Interactions } from './interactions.js';
import { checkRatio } from './random-split.js';
import type { Split } from './split.js';
import { splitByLabel } from './split.js';

/** Options of {@link temporalSplit}: a cut time, or the share of latest interactions to put in test. */
export interface TemporalSplitOptions {
  /** Interactions with `timestamp >= cutoff` go to test. */
  readonly cutoff?: number;
  /** Used when `cutoff` is absent: the cut is the timestamp at quantile `1 − testRatio`. Default 0.2. */
  readonly testRatio?: number;
}

/**
 * Global temporal split: everything at or after a cut time is test, everything before is train, so no test
 * interaction precedes a train interaction. With `testRatio`, the cut is the `(1 − testRatio)` quantile of the
 * timestamps (ties all go to test, so the test share can exceed the ratio).
 */
export function temporalSplit(interactions: Interactions, options: TemporalSplitOptions = {}): Split {
  const ts = interactions.timestamps;
  if (!ts)
    throw new ConfigError('temporalSplit needs timestamps; these interactions have none', 'timestamps');
  let cutoff = options.cutoff;
  if (cutoff === undefined) {
    const ratio = options.testRatio ?? 0.2;
    checkRatio(ratio, 'testRatio');
    const sorted = Float64Array.from(ts).sort();
    const k = Math.min(sorted.length - 1, Math.max(0, sorted.length - Math.round(ratio * sorted.length)));
    cutoff = ratio === 0 ? Infinity : sorted[k]!;
  }
  const label = new Uint8Array(ts.length);
  for (let k = 0; k < ts.length; k++) if (ts[k]! >= cutoff) label[k] = 1;
  return splitByLabel(interactions, label, false);
}
