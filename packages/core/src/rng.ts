import { ConfigError } from './errors.js';

/**
 * Seeded pseudo-random numbers for everything random in \@ncf (shuffling, sampling, initialisation).
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state), seeded
 * through splitmix32; its full state can be saved and restored so training resumes exactly.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** Uniform integer in [0, n). `n` must be a positive integer ≤ 2^32. */
  int(n: number): number;
  /** Standard normal sample (Box–Muller; one sample per call, so the state alone determines the stream). */
  normal(): number;
  /** A new independent generator derived from this one's stream. */
  fork(): Rng;
  /** The generator's state, for checkpoints. */
  getState(): RngState;
  /** Restores a state produced by {@link Rng.getState}. */
  setState(state: RngState): void;
}

/** Serialisable state of an {@link Rng}. */
export type RngState = readonly [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates a seeded generator. The same seed always gives the same stream, on every machine. */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new ConfigError(`seed must be a finite number, got ${seed}`, 'seed');
  const sm = splitmix32(Math.floor(seed) ^ Math.floor(seed / 2 ** 32));
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm();
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint32();
  const rng: Rng = {
    nextUint32,
    next: () => nextUint32() / 4294967296,
    int(n: number): number {
      // Multiply-shift with rejection (Lemire) for an unbiased result.
      const bound = n >>> 0;
      if (bound === 0 && n !== 4294967296) throw new ConfigError(`int(n) needs 0 < n ≤ 2^32, got ${n}`);
      if (n === 4294967296) return nextUint32();
      const threshold = (4294967296 - bound) % bound;
      for (;;) {
        const r = nextUint32();
        if (r >= threshold) return r % bound;
      }
    },
    normal(): number {
      let u = 0;
      while (u === 0) u = rng.next();
      const v = rng.next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    fork: () => createRng(nextUint32() * 4294967296 + nextUint32()),
    getState: () => [a, b, c, d],
    setState(state: RngState): void {
      [a, b, c, d] = state.map((x) => x >>> 0) as unknown as [number, number, number, number];
    },
  };
  return rng;
}

/** Fisher–Yates shuffle of `array` in place, driven by `rng`. Returns `array`. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(array: T, rng: Rng): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}
