import { saveModel, tf, type ModelFactory, type Recommender } from '../../src/index.js';
import {
  describeModelConformance,
  referenceMfFactory,
  type ReferenceMfConfig,
} from '../../src/testing/index.js';

/**
 * Reference MF variants, each breaking one rule the conformance suite checks. Spawned by
 * conformance-kit.test.ts, which asserts that exactly the matching checks fail.
 */
function variant(
  kind: string,
  change: (model: Recommender<ReferenceMfConfig>, seed: number) => Partial<Recommender<ReferenceMfConfig>>,
): ModelFactory<ReferenceMfConfig> {
  return {
    ...referenceMfFactory,
    kind,
    create(info, config, options = {}) {
      const base = referenceMfFactory.create(info, config, options);
      const model: Recommender<ReferenceMfConfig> = {
        kind,
        config: base.config,
        info: base.info,
        dataSpec: base.dataSpec,
        loss: (b, ctx) => base.loss(b, ctx),
        score: (u, i) => base.score(u, i),
        scoreAll: (u) => base.scoreAll!(u),
        variables: () => base.variables(),
        save: (dir, o) => saveModel(model, dir, o),
        dispose: () => base.dispose(),
      };
      return Object.assign(model, change(base, options.seed ?? 0));
    },
  };
}

const leaky = variant('broken/leaky', (m) => ({
  score: (u: Int32Array, i: Int32Array) => {
    tf.scalar(1); // never disposed
    return m.score(u, i);
  },
}));

let calls = 0;
const unseeded = variant('broken/unseeded', (m, seed) => {
  const other = referenceMfFactory.create(m.info, m.config, { seed: seed + 1000 + calls++ });
  const values = other.variables().map((v) => v.variable.clone());
  other.dispose();
  m.variables().forEach((v, k) => {
    v.variable.assign(values[k]!);
    values[k]!.dispose();
  });
  return {};
});

const forgetful = variant('broken/forgetful', (m) => ({
  save: async (dir: string) => {
    const fresh = referenceMfFactory.create(m.info, m.config, { seed: 123456 });
    try {
      await saveModel(
        {
          ...m,
          kind: 'broken/forgetful',
          batchKind: 'pointwise',
          variables: () => fresh.variables(),
        } as Recommender,
        dir,
      );
    } finally {
      fresh.dispose();
    }
  },
}));

const lazy = variant('broken/lazy', (m) => ({
  loss: () => tf.add(tf.mul(tf.sum(m.variables()[0]!.variable), 0), 1) as ReturnType<Recommender['loss']>,
}));

for (const factory of [leaky, unseeded, forgetful, lazy])
  describeModelConformance(factory, { backends: ['cpu'] });
