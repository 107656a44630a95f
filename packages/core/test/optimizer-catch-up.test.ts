import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, initBackend, tf } from '../src/index.js';
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
      const lazyErr = Math.abs(lazy[i]! - dense[i]!);
      const catchErr = Math.abs(catchUp[i]! - dense[i]!);
      expect(lazyErr).toBeGreaterThan(0.05);
      // Bias corrections inside the skipped steps are taken at the current step: an approximation that is
      // loosest this early in training (t ≤ 33, where 1 − β2ᵗ changes fast).
      expect(catchErr).toBeLessThan(0.25 * lazyErr);
    }
    // Row 1 was touched in every step from its first to step 32 and not in the last: both lazy variants leave
    // it as of step 32 (its catch-up waits for its next touch), while dense Adam moved it once more.
    expect(catchUp[2]).toBeCloseTo(lazy[2]!, 6);
    expect(catchUp[3]).toBeCloseTo(lazy[3]!, 6);
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
