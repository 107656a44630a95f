import { ConfigError } from '@ncf/core/base';
import type { FixedNegatives, Interactions, Split } from '@ncf/datasets';
import type { EvalData } from './eval-data.js';
import { negativeListsFromFixed } from './negatives.js';
import { userItemsFromPairs } from './user-items.js';

/** Options of {@link evalDataFromSplit}. */
export interface EvalDataFromSplitOptions {
  /** Split name shown in reports. */
  readonly name?: string;
  /** Which held-out part to evaluate on. */
  readonly part?: 'test' | 'valid';
  /** Also mask the validation items when evaluating on `test` (when the split has a validation part). */
  readonly maskValid?: boolean;
  /** Fixed negatives for the sampled protocol, e.g. from `readFixedNegatives(test.negative)`. */
  readonly negatives?: FixedNegatives;
}

/** Defaults of {@link EvalDataFromSplitOptions}: evaluate on test, masking train and validation items. */
export const EVAL_DATA_FROM_SPLIT_DEFAULTS = { part: 'test', maskValid: true } as const;

/**
 * Adapts an `@ncf/datasets` {@link Split} to {@link EvalData}: the held-out part (with ratings when the
 * interactions have them), each user's training items (plus validation items when evaluating on test) as
 * the mask, and optional fixed negatives. Sizes come from the split's id maps.
 */
export function evalDataFromSplit(split: Split, options: EvalDataFromSplitOptions = {}): EvalData {
  const part = options.part ?? EVAL_DATA_FROM_SPLIT_DEFAULTS.part;
  const maskValid = options.maskValid ?? EVAL_DATA_FROM_SPLIT_DEFAULTS.maskValid;
  const held = part === 'valid' ? split.valid : split.test;
  if (!held) throw new ConfigError(`the split has no '${part}' part`, 'part');
  const { numUsers, numItems } = split.train;
  const masked: Interactions[] = [split.train];
  if (part === 'test' && maskValid && split.valid) masked.push(split.valid);
  if (part === 'valid') masked.push(split.test);
  const users = concat(masked.map((m) => m.users));
  const items = concat(masked.map((m) => m.items));
  const excludeLabel = part === 'valid' ? 'train+test' : masked.length > 1 ? 'train+valid' : 'train';
  return {
    name: options.name ?? part,
    numUsers,
    numItems,
    test: held.ratings
      ? { users: held.users, items: held.items, ratings: held.ratings }
      : { users: held.users, items: held.items },
    exclude: userItemsFromPairs(numUsers, users, items, undefined, numItems),
    excludeLabel,
    ...(options.negatives ? { negatives: negativeListsFromFixed(options.negatives) } : {}),
  };
}

function concat(parts: readonly Int32Array[]): Int32Array {
  if (parts.length === 1) return parts[0] as Int32Array;
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
