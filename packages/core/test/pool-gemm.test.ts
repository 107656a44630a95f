import { afterAll, describe, expect, it } from 'vitest';
import { createRng, initBackend, parallelGemm, stopComputePool, tf } from '../src/index.js';
import type { PoolTimings } from '../src/index.js';

function randomMatrix(length: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.normal());
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return (
    a.length === b.length &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    )
  );
}

// 515 × 96 · 96 × 72: 3.6 M multiply-adds (above POOL_DEFAULTS.minParallelGemmWork, so matMul goes to the
// pool), and 515 rows is not a multiple of the gemm's 4-row tiles.
const M = 515;
const K = 96;
const N = 72;

/** Products through tfjs on wasm (the kernel layer's gemm), on `threads` threads: plain, Aᵀ·Bᵀ, fused, grads. */
async function products(threads: number): Promise<Float32Array[]> {
  const info = await initBackend({ backend: 'wasm', threads });
  expect(info.threads).toBe(threads);
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => {
    const a = tf.tensor2d(randomMatrix(M * K, 1), [M, K]);
    const at = tf.tensor2d(randomMatrix(K * M, 2), [K, M]);
    const b = tf.tensor2d(randomMatrix(K * N, 3), [K, N]);
    const bt = tf.tensor2d(randomMatrix(N * K, 4), [N, K]);
    const bias = tf.tensor1d(randomMatrix(N, 5));
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y))))([a, b]);
    return [
      tf.matMul(a, b),
      tf.matMul(at, bt, true, true),
      tf.fused.matMul({ a, b, bias, activation: 'relu' }),
      da!,
      db!,
    ];
  });
  const values = out.map((t) => (t.dataSync() as Float32Array).slice());
  tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before);
  return values;
}

describe('dense products on the compute pool', () => {
  afterAll(async () => {
    await stopComputePool();
  });

  it('tfjs matMul on wasm (plain, transposed, fused bias + ReLU, gradients) is bit-identical on 1 and 2 threads', async () => {
    const one = await products(1);
    const two = await products(2);
    one.forEach((v, i) => expect(sameBits(two[i]!, v), `product ${i}`).toBe(true));
    expect(one[2]!.some((x) => x === 0)).toBe(true); // the ReLU cut something
  });

  it('parallelGemm: 2 parts = 1 part bit for bit, within float32 rounding of the float64 product, copies timed', async () => {
    await initBackend({ backend: 'wasm', threads: 2 });
    for (const transposeA of [false, true]) {
      const m = 37;
      const k = 29;
      const n = 13;
      const a = randomMatrix(m * k, 6);
      const b = randomMatrix(k * n, 7);
      const bias = randomMatrix(n, 8);
      const one = new Float32Array(m * n);
      const two = new Float32Array(m * n);
      const timings: PoolTimings = { copyIn: 0, compute: 0, copyOut: 0, calls: 0 };
      expect(parallelGemm({ a, b, bias, out: one, m, n, k, transposeA, relu: false }, { parts: 1 })).toBe(
        true,
      );
      expect(
        parallelGemm({ a, b, bias, out: two, m, n, k, transposeA, relu: false }, { parts: 2, timings }),
      ).toBe(true);
      expect(sameBits(two, one)).toBe(true);
      expect(timings.calls).toBe(1);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let exact = bias[j]!;
          let magnitude = Math.abs(bias[j]!);
          for (let p = 0; p < k; p++) {
            const av = transposeA ? a[p * m + i]! : a[i * k + p]!;
            exact += av * b[p * n + j]!;
            magnitude += Math.abs(av * b[p * n + j]!);
          }
          expect(Math.abs(two[i * n + j]! - exact)).toBeLessThanOrEqual(1e-5 * magnitude);
        }
      }
    }
    // Small products are left to the caller unless parts are forced.
    const tiny = {
      a: new Float32Array(4),
      b: new Float32Array(4),
      out: new Float32Array(4),
      m: 2,
      n: 2,
      k: 2,
      transposeA: false,
      relu: false,
    };
    expect(parallelGemm(tiny)).toBe(false);
  });
});
