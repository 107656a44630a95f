// Plain SGD, `w ← w − lr·(g + 2·l2·w)`: the JavaScript loop (sparse tables on `wasm` use the `sgd_rows`
// SIMD kernel instead, dispatched in create-optimizer.ts).

// The update loops: small monomorphic functions so V8 optimises each on its own. Row r covers weights
// [rows[r]·scale, +len) and gradients [r·len, +len); a dense variable is one row at 0 with scale 0.

/** SGD over rows: `w` updated in place. */
export function sgdRows(
  w: Float32Array,
  g: Float32Array,
  rows: Int32Array,
  scale: number,
  len: number,
  l2x2: number,
  lr: number,
): void {
  for (let r = 0; r < rows.length; r++) {
    const wb = rows[r]! * scale;
    const gb = r * len;
    for (let k = 0; k < len; k++) {
      const i = wb + k;
      const wi = w[i]!;
      w[i] = wi - lr * (g[gb + k]! + l2x2 * wi);
    }
  }
}
