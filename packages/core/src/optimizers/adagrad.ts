// Adagrad (Duchi et al., 2011, "Adaptive Subgradient Methods for Online Learning and Stochastic
// Optimization"): `a ← a + g²`, `w ← w − lr·g/(√a + ε)`; sparse tables update only touched rows.

// The update loops: small monomorphic functions so V8 optimises each on its own. Row r covers weights
// [rows[r]·scale, +len) and gradients [r·len, +len); a dense variable is one row at 0 with scale 0.

/** Adagrad over rows: the accumulator `a` and `w` updated in place. */
export function adagradRows(
  w: Float32Array,
  g: Float32Array,
  a: Float32Array,
  rows: Int32Array,
  scale: number,
  len: number,
  l2x2: number,
  lr: number,
  eps: number,
): void {
  for (let r = 0; r < rows.length; r++) {
    const wb = rows[r]! * scale;
    const gb = r * len;
    for (let k = 0; k < len; k++) {
      const i = wb + k;
      const wi = w[i]!;
      const gi = g[gb + k]! + l2x2 * wi;
      const ai = a[i]! + gi * gi;
      a[i] = ai;
      w[i] = wi - (lr * gi) / (Math.sqrt(ai) + eps);
    }
  }
}
