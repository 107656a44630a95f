import type { Recommender } from '@ncf/core';
import { expectTypeOf, it } from 'vitest';
import { popularityScorer } from '../src/index.js';
import type { Scorer } from '../src/index.js';

// Checked by `pnpm typecheck`; a no-op at run time. (Kept out of the package's declarations so they name no
// tensor type: @ncf/eval's types stay free of TensorFlow.js.)
it('every Recommender is a Scorer, and so are the baselines', () => {
  expectTypeOf<Recommender>().toExtend<Scorer>();
  expectTypeOf<Recommender<{ factors: number }>>().toExtend<Scorer>();
  expectTypeOf(popularityScorer).returns.toExtend<Scorer>();
});
