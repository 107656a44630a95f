import { createRng } from '@ncf/core';
import type { Interactions } from '../src/index.js';
import { interactionsFromArrays } from '../src/index.js';

/** Seeded random interactions with ratings 1..5 and timestamps with some ties. */
export function randomInteractions(
  seed: number,
  numUsers: number,
  numItems: number,
  n: number,
): Interactions {
  const rng = createRng(seed);
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const ratings = new Float32Array(n);
  const timestamps = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    users[k] = rng.int(numUsers);
    items[k] = rng.int(numItems);
    ratings[k] = 1 + rng.int(5);
    timestamps[k] = 1000 + rng.int(n);
  }
  return interactionsFromArrays({ users, items, ratings, timestamps }, { numUsers, numItems });
}
