import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, createRng, createTrainStep, initBackend, tf } from '../src/index.js';
import { referenceMfFactory } from '../src/testing/index.js';
import type { ModelVariable } from '../src/index.js';

/**
 * Lazy Adam with catch-up must follow dense Adam (zero gradients on untouched rows) where plain lazy Adam
 * drifts: row 0 is touched, then skipped for many steps while row 1 trains, then touched again.
 */
function run(mode: 'dense' | 'lazy' | 'catch-up', flush = false): Float32Array {
  const table: ModelVariable = {
    name: 'table',
    variable: tf.tidy(() =>
      tf.variable(
        tf.tensor2d([
          [0.5, -0.25],
          [0.1, 0.2],
        ]),
        true,
        `table-${mode}-${Math.random()}`,
      ),
    ),
    sparse: mode !== 'dense',
    regularize: false,
    trainable: true,
  };
  const opt = createOptimizer({ name: 'adam', learningRate: 0.01, lazyCatchUp: mode === 'catch-up' });
  const step = (row: number, g: [number, number]): void => {
    if (mode === 'dense') {
      const full = [
        [0, 0],
        [0, 0],
      ];
      full[row] = g;
      const grad = tf.tensor2d(full);
      opt.apply([{ variable: table, grad }]);
      grad.dispose();
    } else {
      const grad = tf.tensor2d([g]);
      opt.apply([{ variable: table, grad, rows: Int32Array.of(row) }]);
      grad.dispose();
    }
  };
  step(0, [1, -2]);
  step(0, [0.5, -1]);
  for (let i = 0; i < 30; i++) step(1, [0.3, 0.1]);
  step(0, [0.2, 0.4]);
  if (flush) opt.flush();
  const out = table.variable.dataSync().slice() as Float32Array;
  table.variable.dispose();
  opt.dispose();
  return out;
}

describe.each(['wasm', 'cpu'] as const)('lazy Adam catch-up on %s', (backend) => {
  let before = 0;
  beforeAll(async () => {
    await initBackend(backend);
    before = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('matches dense Adam on a row that was skipped for 30 steps, where plain lazy Adam does not', () => {
    const dense = run('dense');
    const lazy = run('lazy');
    const catchUp = run('catch-up');
    for (const i of [0, 1]) {
      expect(Math.abs(lazy[i]! - dense[i]!)).toBeGreaterThan(0.05);
      // Each idle step's own bias corrections (t ≤ 33 here, where 1 − β2ᵗ changes fast): exact, not approximate.
      expect(Math.abs(catchUp[i]! - dense[i]!)).toBeLessThan(1e-6);
    }
    // Row 1 was touched in every step from its first to step 32 and not in the last: both lazy variants leave
    // it as of step 32 (its catch-up waits for its next touch), while dense Adam moved it once more.
    expect(catchUp[2]).toBeCloseTo(lazy[2]!, 6);
    expect(catchUp[3]).toBeCloseTo(lazy[3]!, 6);
  });

  it('follows dense Adam over thousands of random sparse steps (gaps of every length, bias corrections settling)', () => {
    const rows = 40;
    const dim = 3;
    const steps = 2500;
    const trace = (mode: 'dense' | 'catch-up'): Float32Array => {
      const rng = createRng(11);
      const init = Float32Array.from({ length: rows * dim }, () => rng.normal() * 0.5);
      const table: ModelVariable = {
        name: 'random-table',
        variable: tf.tidy(() =>
          tf.variable(tf.tensor2d(init, [rows, dim]), true, `random-${mode}-${Math.random()}`),
        ),
        sparse: mode !== 'dense',
        regularize: true,
        trainable: true,
      };
      const opt = createOptimizer({ name: 'adam', learningRate: 0.01, l2: 0.001 });
      for (let s = 0; s < steps; s++) {
        // Rows 0–4 most steps, the rest rarely: gaps from 1 to several hundred steps.
        const touched: number[] = [];
        for (let r = 0; r < rows; r++) if (rng.next() < (r < 5 ? 0.8 : 0.03)) touched.push(r);
        const g = touched.flatMap(() => Array.from({ length: dim }, () => rng.next() - 0.4));
        if (mode === 'dense') {
          // Dense Adam sees zero gradients on untouched rows, but L2 only where the sparse path applies it.
          const full = new Float32Array(rows * dim);
          const w = table.variable.dataSync();
          touched.forEach((r, k) => {
            for (let j = 0; j < dim; j++) full[r * dim + j] = g[k * dim + j]! + 2 * 0.001 * w[r * dim + j]!;
          });
          const grad = tf.tensor2d(full, [rows, dim]);
          opt.apply([{ variable: { ...table, regularize: false }, grad }]);
          grad.dispose();
        } else {
          opt.catchUpRows(table, Int32Array.from(touched));
          const grad = tf.tensor2d(g, [touched.length, dim]);
          opt.apply([{ variable: table, grad, rows: Int32Array.from(touched) }]);
          grad.dispose();
        }
      }
      opt.flush();
      const out = table.variable.dataSync().slice() as Float32Array;
      table.variable.dispose();
      opt.dispose();
      return out;
    };
    const dense = trace('dense');
    const caught = trace('catch-up');
    let moved = 0;
    for (let i = 0; i < dense.length; i++) {
      // Float32 rounding over 2,500 steps; ε enters the closed form approximately (≪ √v here).
      expect(Math.abs(caught[i]! - dense[i]!)).toBeLessThan(2e-4 * Math.max(1, Math.abs(dense[i]!)));
      moved = Math.max(moved, Math.abs(dense[i]!));
    }
    expect(moved).toBeGreaterThan(1); // the weights did travel
  });

  it('a train step on sparse tables equals one on dense tables: rows catch up before the forward pass', () => {
    const info = { numUsers: 12, numItems: 15 };
    const train = (mode: 'dense' | 'catch-up' | 'lazy'): Float32Array[] => {
      const model = referenceMfFactory.create(info, { factors: 4, initStd: 0.1 }, { seed: 5 });
      if (mode === 'dense') for (const v of model.variables()) (v as { sparse: boolean }).sparse = false;
      const opt = createOptimizer({ name: 'adam', learningRate: 0.02, lazyCatchUp: mode !== 'lazy' });
      const step = createTrainStep(model, opt, createRng(1));
      const rng = createRng(3);
      for (let s = 0; s < 400; s++) {
        const n = 3;
        const users = Int32Array.from({ length: n }, () => Math.floor(rng.next() * info.numUsers));
        const items = Int32Array.from({ length: n }, () => Math.floor(rng.next() * info.numItems));
        const labels = Float32Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
        step({ kind: 'pointwise', users, items, labels });
      }
      opt.flush();
      const out = model.variables().map((v) => v.variable.dataSync().slice() as Float32Array);
      opt.dispose();
      model.dispose();
      return out;
    };
    const dense = train('dense');
    const caught = train('catch-up');
    const lazy = train('lazy');
    let lazyGap = 0;
    for (let t = 0; t < dense.length; t++) {
      for (let i = 0; i < dense[t]!.length; i++) {
        expect(Math.abs(caught[t]![i]! - dense[t]![i]!)).toBeLessThan(1e-4);
        lazyGap = Math.max(lazyGap, Math.abs(lazy[t]![i]! - dense[t]![i]!));
      }
    }
    expect(lazyGap).toBeGreaterThan(1e-2);
  });

  it('flush() gives idle rows their pending momentum: every row then matches dense Adam', () => {
    const dense = run('dense');
    const flushed = run('catch-up', true);
    const unflushed = run('catch-up');
    // Row 1 sat out the last step: flushed, it moved like dense Adam's; unflushed, it did not.
    for (const i of [2, 3]) {
      expect(Math.abs(flushed[i]! - dense[i]!)).toBeLessThan(1e-6);
      expect(Math.abs(unflushed[i]! - dense[i]!)).toBeGreaterThan(1e-4);
    }
    // Row 0 was touched in the last step: flush leaves it as it was.
    expect(flushed[0]).toBe(unflushed[0]);
    expect(flushed[1]).toBe(unflushed[1]);
    // Plain lazy Adam and SGD have nothing pending: flush() is a no-op.
    expect(run('lazy', true)).toEqual(run('lazy'));
  });
});
