import { ConfigError } from '@ncf/core/base';
import type { UserItems } from './user-items.js';

/**
 * A partition of users into named groups (cold vs warm, activity buckets...): every protocol reports its
 * metrics per group as well as overall. `ofUser[u]` is the index into `names` of user `u`'s group, or -1
 * for users in no group.
 */
export interface UserGroups {
  readonly names: readonly string[];
  readonly ofUser: Int32Array;
}

/**
 * Groups users by their number of training interactions: `edges = [5, 20]` gives `≤5`, `6–20`, `>20`.
 * `train` is per-user CSR (e.g. the `exclude` of an {@link EvalData}).
 */
export function activityGroups(
  train: UserItems,
  edges: readonly number[] = ACTIVITY_GROUP_DEFAULTS.edges,
): UserGroups {
  for (let e = 1; e < edges.length; e++) {
    if ((edges[e] as number) <= (edges[e - 1] as number))
      throw new ConfigError(`edges must increase, got ${edges.join(', ')}`, 'edges');
  }
  const names: string[] = [];
  let lo = 0;
  for (const e of edges) {
    names.push(lo === e ? `${e}` : lo === 0 ? `≤${e}` : `${lo}–${e}`);
    lo = e + 1;
  }
  names.push(`>${edges[edges.length - 1] ?? 0}`);
  const numUsers = train.offsets.length - 1;
  const ofUser = new Int32Array(numUsers);
  for (let u = 0; u < numUsers; u++) {
    const n = (train.offsets[u + 1] as number) - (train.offsets[u] as number);
    let g = 0;
    while (g < edges.length && n > (edges[g] as number)) g++;
    ofUser[u] = g;
  }
  return { names, ofUser };
}

/** Defaults of {@link activityGroups}. */
export const ACTIVITY_GROUP_DEFAULTS = { edges: [20, 50, 100, 200] as readonly number[] } as const;

/**
 * Cold vs warm users: `cold` when the user has at most `maxCold` training interactions, else `warm`.
 */
export function coldWarmGroups(train: UserItems, maxCold = 5): UserGroups {
  const numUsers = train.offsets.length - 1;
  const ofUser = new Int32Array(numUsers);
  for (let u = 0; u < numUsers; u++) {
    ofUser[u] = (train.offsets[u + 1] as number) - (train.offsets[u] as number) <= maxCold ? 0 : 1;
  }
  return { names: [`cold (≤${maxCold} train)`, 'warm'], ofUser };
}
