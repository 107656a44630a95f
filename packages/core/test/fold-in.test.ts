import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DataError,
  FOLD_IN_DEFAULTS,
  choleskySolve,
  createRng,
  foldInUser,
  scoreWithItemFactors,
} from '../src/base.js';
import type { ItemFactors } from '../src/base.js';

const f32 = (...xs: number[]): Float32Array => Float32Array.from(xs);
const i32 = (...xs: number[]): Int32Array => Int32Array.from(xs);

describe('choleskySolve', () => {
  it('solves a 2×2 system by hand: [[4, 2], [2, 3]] x = [2, 5] → x = [-0.5, 2]', () => {
    const x = choleskySolve(Float64Array.of(4, 0, 2, 3), Float64Array.of(2, 5), 2);
    expect(x[0]).toBeCloseTo(-0.5, 12);
    expect(x[1]).toBeCloseTo(2, 12);
  });
  it('throws DataError on a singular system', () => {
    expect(() => choleskySolve(Float64Array.of(1, 0, 1, 1), Float64Array.of(1, 1), 2)).toThrow(DataError);
  });
});

describe('foldInUser, rating models (ridge / ALS user step)', () => {
  // v0 = (1, 0), v1 = (0, 1), v2 = (1, 1); ratings 1, 2, 4; no biases.
  const factors: ItemFactors = { dim: 2, vectors: f32(1, 0, 0, 1, 1, 1), userBias: false, output: 'rating' };
  const history = { items: i32(0, 1, 2), values: f32(1, 2, 4) };

  it('λ = 0: XᵀX = [[2,1],[1,2]], Xᵀr = [5,6] → u = (4/3, 7/3)', () => {
    const u = foldInUser(factors, history, { l2: 0 });
    expect(u.vector[0]).toBeCloseTo(4 / 3, 5);
    expect(u.vector[1]).toBeCloseTo(7 / 3, 5);
    expect(u.bias).toBeUndefined();
  });

  it('λ = 1: [[3,1],[1,3]] u = [5,6] → u = (9/8, 13/8)', () => {
    const u = foldInUser(factors, history, { l2: 1 });
    expect(u.vector[0]).toBeCloseTo(9 / 8, 5);
    expect(u.vector[1]).toBeCloseTo(13 / 8, 5);
  });

  it('subtracts item biases and the offset, and solves the user bias column', () => {
    // Two items with vectors (1) and (−1), item biases 0.5 and 0, offset 3, user bias: r = u·v + b_u + bias + 3.
    // Ratings 5 and 2 → targets 1.5 and −1 → u + b = 1.5, −u + b = −1 → u = 1.25, b = 0.25.
    const withBias: ItemFactors = {
      dim: 1,
      vectors: f32(1, -1),
      bias: f32(0.5, 0),
      offset: 3,
      userBias: true,
      output: 'rating',
    };
    const u = foldInUser(withBias, { items: i32(0, 1), values: f32(5, 2) }, { l2: 0 });
    expect(u.vector[0]).toBeCloseTo(1.25, 5);
    expect(u.bias).toBeCloseTo(0.25, 5);
    expect(Array.from(scoreWithItemFactors(withBias, u))).toEqual([
      expect.closeTo(5, 5),
      expect.closeTo(2, 5),
    ]);
  });

  it('recovers the true user vector and bias from exact ratings', () => {
    const rng = createRng(5);
    const dim = 4;
    const numItems = 30;
    const vectors = Float32Array.from({ length: numItems * dim }, () => rng.normal());
    const bias = Float32Array.from({ length: numItems }, () => rng.normal() * 0.3);
    const factors: ItemFactors = { dim, vectors, bias, offset: 3.5, userBias: true, output: 'rating' };
    const truth = { vector: f32(0.3, -0.7, 1.1, 0.2), bias: -0.4 };
    const items = i32(1, 4, 7, 9, 12, 15, 20, 22, 27);
    const values = scoreWithItemFactors(factors, truth, items);
    const u = foldInUser(factors, { items, values }, { l2: 1e-9 });
    for (let k = 0; k < dim; k++) expect(u.vector[k]).toBeCloseTo(truth.vector[k]!, 4);
    expect(u.bias).toBeCloseTo(truth.bias, 4);
  });

  it('the default λ shrinks towards zero: the vector norm is below the unregularised one', () => {
    const u0 = foldInUser(factors, history, { l2: 0 });
    const u = foldInUser(factors, history);
    const norm = (v: Float32Array): number => Math.hypot(...v);
    expect(FOLD_IN_DEFAULTS.ratingL2).toBeGreaterThan(0);
    expect(norm(u.vector)).toBeLessThan(norm(u0.vector));
  });

  it('rejects malformed histories and options with typed errors', () => {
    expect(() => foldInUser(factors, { items: i32(0, 3), values: f32(1, 2) })).toThrow(
      /history.items\[1\] = 3/,
    );
    expect(() => foldInUser(factors, { items: i32(0, 0), values: f32(1, 2) })).toThrow(/twice/);
    expect(() => foldInUser(factors, { items: i32(0), values: f32(1, 2) })).toThrow(DataError);
    expect(() => foldInUser(factors, { items: i32(0), values: f32(NaN) })).toThrow(/not a finite/);
    expect(() => foldInUser(factors, history, { l2: -1 })).toThrow(ConfigError);
  });
});

describe('foldInUser, logit models (logistic IRLS)', () => {
  it('solves a 1-d case by hand: one positive at +1, one negative at −1, weight 1, λ = 0.5/ln 3 → u = ln 3', () => {
    // Loss −ln σ(u) − ln σ(u) + (λ/2)u²: stationary where 2(1 − σ(u)) = λu; at u = ln 3, σ = 3/4 → λ = 0.5/ln 3.
    const factors: ItemFactors = { dim: 1, vectors: f32(1, -1), userBias: false, output: 'logit' };
    const u = foldInUser(
      factors,
      { items: i32(0), values: f32(1) },
      { l2: 0.5 / Math.log(3), negativesPerPositive: 1 },
    );
    expect(u.vector[0]).toBeCloseTo(Math.log(3), 5);
  });

  it('weights the negatives so their total weight is negativesPerPositive × positives', () => {
    // Same items, the default 4 negatives per positive all on the single negative: the loss is
    // −ln σ(u) − 4·ln σ(u) + (λ/2)u² (the negative at −1 contributes −ln(1 − σ(−u)) = −ln σ(u)),
    // stationary where 5(1 − σ(u)) = λu.
    const factors: ItemFactors = { dim: 1, vectors: f32(1, -1), userBias: false, output: 'logit' };
    const u = foldInUser(factors, { items: i32(0), values: f32(1) }, { l2: 1 });
    const x = u.vector[0]!;
    const s = 1 / (1 + Math.exp(-x));
    expect(5 * (1 - s)).toBeCloseTo(1 * x, 5);
  });

  it('the gradient vanishes at the solution, with item biases, offset and a user bias', () => {
    const rng = createRng(9);
    const dim = 3;
    const numItems = 40;
    const vectors = Float32Array.from({ length: numItems * dim }, () => rng.normal());
    const bias = Float32Array.from({ length: numItems }, () => rng.normal() * 0.5);
    const factors: ItemFactors = { dim, vectors, bias, offset: -1, userBias: true, output: 'logit' };
    const items = i32(2, 5, 11, 17, 30);
    const l2 = 0.7;
    const u = foldInUser(factors, { items, values: new Float32Array(5).fill(1) }, { l2 });
    const s = scoreWithItemFactors(factors, u);
    const cNeg = (4 * items.length) / (numItems - items.length);
    const grad = new Float64Array(dim + 1);
    const pos = new Set(items);
    for (let i = 0; i < numItems; i++) {
      const p = 1 / (1 + Math.exp(-s[i]!));
      const r = pos.has(i) ? p - 1 : cNeg * p;
      for (let k = 0; k < dim; k++) grad[k]! += r * vectors[i * dim + k]!;
      grad[dim]! += r;
    }
    for (let k = 0; k < dim; k++) grad[k]! += l2 * u.vector[k]!;
    grad[dim]! += l2 * u.bias!;
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-4);
  });

  it('ranks items near the history first: a user of one cluster gets that cluster', () => {
    // Items 0..9 point one way, 10..19 the other (plus noise); a history inside the first cluster.
    const rng = createRng(3);
    const dim = 2;
    const vectors = new Float32Array(20 * dim);
    for (let i = 0; i < 20; i++) {
      vectors[i * dim] = (i < 10 ? 1 : -1) + 0.2 * rng.normal();
      vectors[i * dim + 1] = 0.2 * rng.normal();
    }
    const factors: ItemFactors = { dim, vectors, userBias: false, output: 'logit' };
    const u = foldInUser(factors, { items: i32(1, 3, 6), values: f32(1, 1, 1) });
    const s = scoreWithItemFactors(factors, u);
    const unseen = [...Array(20).keys()].filter((i) => ![1, 3, 6].includes(i));
    const ranked = unseen.sort((a, b) => s[b]! - s[a]!);
    expect(new Set(ranked.slice(0, 7))).toEqual(new Set([0, 2, 4, 5, 7, 8, 9]));
  });
});

describe('scoreWithItemFactors', () => {
  it('computes u·v_i + b_u + bias_i + offset, for chosen items too', () => {
    const factors: ItemFactors = {
      dim: 2,
      vectors: f32(1, 2, 3, 4),
      bias: f32(0.5, -0.5),
      offset: 1,
      userBias: true,
      output: 'rating',
    };
    const user = { vector: f32(1, -1), bias: 2 };
    // item 0: 1 − 2 + 2 + 0.5 + 1 = 2.5; item 1: 3 − 4 + 2 − 0.5 + 1 = 1.5
    expect(Array.from(scoreWithItemFactors(factors, user))).toEqual([2.5, 1.5]);
    expect(Array.from(scoreWithItemFactors(factors, user, i32(1)))).toEqual([1.5]);
    expect(() => scoreWithItemFactors(factors, user, i32(2))).toThrow(DataError);
    expect(() => scoreWithItemFactors({ ...factors, bias: f32(1) }, user)).toThrow(/bias has 1/);
  });
});
