// Dense Adam (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization"): the update loop for dense
// variables and for sparse tables without lazy catch-up (see lazy-adam-catch-up.ts for those with it).

// The update loops: small monomorphic functions so V8 optimises each on its own. Row r covers weights
// [rows[r]·scale, +len) and gradients [r·len, +len); a dense variable is one row at 0 with scale 0.

/** Adam over rows: `m`, `v` and `w` updated in place; `alpha = lr/(1−β1ᵗ)`, `invSqrtBc2 = 1/√(1−β2ᵗ)`. */
export function adamRows(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  rows: Int32Array,
  scale: number,
  len: number,
  l2x2: number,
  b1: number,
  b2: number,
  alpha: number,
  invSqrtBc2: number,
  eps: number,
): void {
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let r = 0; r < rows.length; r++) {
    const wb = rows[r]! * scale;
    const gb = r * len;
    for (let k = 0; k < len; k++) {
      const i = wb + k;
      const wi = w[i]!;
      const gi = g[gb + k]! + l2x2 * wi;
      const mi = b1 * m[i]! + c1 * gi;
      const vi = b2 * v[i]! + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] = wi - (alpha * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  }
}
