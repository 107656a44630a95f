import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bumpWeightsVersion,
  createOptimizer,
  initBackend,
  sameWeightsStamp,
  tf,
  weightsStamp,
  weightsVersion,
} from '../src/index.js';
import type { ModelVariable, OptimizerName } from '../src/index.js';

function mv(
  name: string,
  values: number[],
  shape: number[],
  opts: Partial<ModelVariable> = {},
): ModelVariable {
  const init = tf.tensor(values, shape);
  const variable = tf.variable(init, true);
  init.dispose();
  return { name, variable, sparse: false, regularize: false, trainable: true, ...opts };
}

describe.each(['cpu', 'wasm'] as const)('weights version on %s', (backend) => {
  let before = 0;
  beforeAll(async () => {
    await initBackend(backend);
    before = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(['adam', 'sgd', 'adagrad'] as OptimizerName[])(
    '%s: every update bumps the version of each updated variable once, in place (same data id)',
    (name) => {
      const dense = mv('dense', [1, 2, 3], [3]);
      const table = mv('table', [1, 2, 3, 4, 5, 6], [3, 2], { sparse: true });
      const idle = mv('idle', [1], [1]);
      const frozen = mv('frozen', [1], [1], { trainable: false });
      const opt = createOptimizer({ name, learningRate: 0.1 });
      const ids = [dense, table, idle].map((v) => v.variable.dataId);
      expect([dense, table, idle, frozen].map((v) => weightsVersion(v.variable))).toEqual([0, 0, 0, 0]);
      const gd = tf.tensor([0.5, -1, 2], [3]);
      const gt = tf.tensor([[1, 1]]);
      const g1 = tf.tensor([1], [1]);
      for (let step = 1; step <= 3; step++) {
        opt.apply([
          { variable: dense, grad: gd },
          { variable: table, grad: gt, rows: Int32Array.of(1) },
          { variable: frozen, grad: g1 },
        ]);
        expect([dense, table, idle, frozen].map((v) => weightsVersion(v.variable))).toEqual([
          step,
          step,
          0,
          0,
        ]);
      }
      // Both JS backends update in place: the data ids never change, only the versions do.
      expect([dense, table, idle].map((v) => v.variable.dataId)).toEqual(ids);
      opt.dispose();
      for (const t of [gd, gt, g1]) t.dispose();
      for (const v of [dense, table, idle, frozen]) v.variable.dispose();
    },
  );

  it('lazy Adam catch-up and flush write the table, so they bump it too', () => {
    const table = mv('table', [1, 2, 3, 4], [2, 2], { sparse: true });
    const opt = createOptimizer({ name: 'adam', learningRate: 0.1, lazyCatchUp: true });
    const g = tf.tensor([[1, -1]]);
    opt.apply([{ variable: table, grad: g, rows: Int32Array.of(0) }]);
    opt.apply([{ variable: table, grad: g, rows: Int32Array.of(1) }]);
    expect(weightsVersion(table.variable)).toBe(2);
    const row0 = Array.from(table.variable.dataSync()).slice(0, 2);
    opt.catchUpRows(table, Int32Array.of(0)); // row 0 idle for one step: momentum moves it
    expect(Array.from(table.variable.dataSync()).slice(0, 2)).not.toEqual(row0);
    expect(weightsVersion(table.variable)).toBe(3);
    opt.flush();
    expect(weightsVersion(table.variable)).toBe(4);
    opt.dispose();
    g.dispose();
    table.variable.dispose();
  });

  it('a stamp changes with an optimizer step, an assign() or a manual bump, and not otherwise', () => {
    const a = mv('a', [1, 2], [2]);
    const b = mv('b', [3], [1]);
    const vars = [a.variable, b.variable];
    const s0 = weightsStamp(vars);
    expect(sameWeightsStamp(s0, weightsStamp(vars))).toBe(true);
    expect(sameWeightsStamp(undefined, s0)).toBe(false);
    a.variable.dataSync(); // reads change nothing
    expect(sameWeightsStamp(s0, weightsStamp(vars))).toBe(true);
    const opt = createOptimizer({ name: 'sgd', learningRate: 1 });
    const g = tf.tensor([1], [1]);
    opt.apply([{ variable: b, grad: g }]);
    const s1 = weightsStamp(vars);
    expect(sameWeightsStamp(s0, s1)).toBe(false);
    const t = tf.tensor([5, 6], [2]);
    a.variable.assign(t); // new data id, same version
    expect(weightsVersion(a.variable)).toBe(0);
    const s2 = weightsStamp(vars);
    expect(sameWeightsStamp(s1, s2)).toBe(false);
    expect(bumpWeightsVersion(a.variable)).toBe(1);
    expect(sameWeightsStamp(s2, weightsStamp(vars))).toBe(false);
    opt.dispose();
    for (const x of [g, t, a.variable, b.variable]) x.dispose();
  });
});
