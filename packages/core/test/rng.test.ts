import { describe, expect, it } from 'vitest';
import { createRng, shuffleInPlace } from '../src/index.js';

describe('createRng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    const sb = Array.from({ length: 8 }, () => b.nextUint32());
    const sc = Array.from({ length: 8 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('restores its state exactly', () => {
    const a = createRng(7);
    a.next();
    const state = a.getState();
    const x = [a.next(), a.next()];
    a.setState(state);
    expect([a.next(), a.next()]).toEqual(x);
  });

  it('int(n) stays in range and is roughly uniform', () => {
    const rng = createRng(1);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[rng.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('normal() has mean ≈ 0 and variance ≈ 1', () => {
    const rng = createRng(3);
    let s = 0;
    let s2 = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });

  it('shuffleInPlace permutes without loss', () => {
    const arr = Int32Array.from({ length: 100 }, (_, i) => i);
    shuffleInPlace(arr, createRng(5));
    expect([...arr].sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    expect([...arr]).not.toEqual([...Array(100).keys()]);
  });
});

describe('createRng state', () => {
  it('restores normal() streams exactly, whatever the call parity', () => {
    const a = createRng(11);
    a.normal();
    const state = a.getState();
    const x = [a.normal(), a.normal(), a.normal()];
    a.setState(state);
    expect([a.normal(), a.normal(), a.normal()]).toEqual(x);
  });
});
