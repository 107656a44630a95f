;; @ncf/core's WebAssembly SIMD kernels. They run on the memory of tfjs's wasm backend (imported as
;; env.memory), so they read and write tensors in place: every pointer is a byte offset into that heap.
;; Source of src/simd/kernels-binary.ts (generated: `pnpm --filter @ncf/core build:simd`).

(module
  (import "env" "memory" (memory 0))

  ;; Lazy Adam with catch-up over sparse rows (Kingma & Ba 2015; the catch-up of OptimizerConfig.lazyCatchUp).
  ;; For row r of n: table row R = rows[r]; weights at w + R·dim; gradient at g + r·dim; state at
  ;; state + R·(2·dim+1) laid out [m(dim) | v(dim) | last] (last is written by the caller); per-row
  ;; coefficients at coef + 12r (bytes) from adam_coefficients: c (the catch-up step size, 0 when none),
  ;; e1 = β1^(k+1), e2 = β2^(k+1).
  ;; Per element, in float32:
  ;;   w ← w − c·m/(√v·s + ε)            (only where v > 0: the k idle steps in closed form)
  ;;   g ← g + l2x2·w
  ;;   m ← e1·m + (1−β1)·g ;  v ← e2·v + (1−β2)·g²
  ;;   w ← w − α·m/(√v·s + ε)            (s = 1/√(1−β2ᵗ))
  (func (export "adam_rows")
    (param $w i32) (param $g i32) (param $state i32) (param $rows i32) (param $coef i32)
    (param $n i32) (param $dim i32)
    (param $l2x2 f32) (param $alpha f32) (param $s f32) (param $eps f32) (param $c1 f32) (param $c2 f32)
    (local $r i32) (local $j i32) (local $row i32) (local $wp i32) (local $gp i32) (local $mp i32)
    (local $vp i32) (local $cp i32) (local $dim4 i32) (local $vbytes i32) (local $sbytes i32)
    (local $c f32) (local $e1 f32) (local $e2 f32)
    (local $cv v128) (local $e1v v128) (local $e2v v128) (local $l2v v128) (local $av v128) (local $sv v128)
    (local $epsv v128) (local $c1v v128) (local $c2v v128)
    (local $m0 v128) (local $v0 v128) (local $wv v128) (local $gv v128) (local $mi v128) (local $vi v128)
    (local $ms f32) (local $vs f32) (local $ws f32) (local $gs f32)
    (local.set $l2v (f32x4.splat (local.get $l2x2)))
    (local.set $av (f32x4.splat (local.get $alpha)))
    (local.set $sv (f32x4.splat (local.get $s)))
    (local.set $epsv (f32x4.splat (local.get $eps)))
    (local.set $c1v (f32x4.splat (local.get $c1)))
    (local.set $c2v (f32x4.splat (local.get $c2)))
    (local.set $dim4 (i32.and (local.get $dim) (i32.const -4)))
    (local.set $vbytes (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $sbytes (i32.shl (i32.add (i32.shl (local.get $dim) (i32.const 1)) (i32.const 1)) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $row (i32.load (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $row) (local.get $vbytes))))
        (local.set $gp (i32.add (local.get $g) (i32.mul (local.get $r) (local.get $vbytes))))
        (local.set $mp (i32.add (local.get $state) (i32.mul (local.get $row) (local.get $sbytes))))
        (local.set $vp (i32.add (local.get $mp) (local.get $vbytes)))
        (local.set $cp (i32.add (local.get $coef) (i32.mul (local.get $r) (i32.const 12))))
        (local.set $c (f32.load (local.get $cp)))
        (local.set $e1 (f32.load offset=4 (local.get $cp)))
        (local.set $e2 (f32.load offset=8 (local.get $cp)))
        (local.set $cv (f32x4.splat (local.get $c)))
        (local.set $e1v (f32x4.splat (local.get $e1)))
        (local.set $e2v (f32x4.splat (local.get $e2)))
        ;; four lanes at a time
        (local.set $j (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $j) (local.get $dim4)))
            (local.set $m0 (v128.load (local.get $mp)))
            (local.set $v0 (v128.load (local.get $vp)))
            (local.set $wv (v128.load (local.get $wp)))
            (local.set $wv
              (f32x4.sub (local.get $wv)
                (v128.and
                  (f32x4.div (f32x4.mul (local.get $cv) (local.get $m0))
                    (f32x4.add (f32x4.mul (f32x4.sqrt (local.get $v0)) (local.get $sv)) (local.get $epsv)))
                  (f32x4.gt (local.get $v0) (v128.const f32x4 0 0 0 0)))))
            (local.set $gv (f32x4.add (v128.load (local.get $gp)) (f32x4.mul (local.get $l2v) (local.get $wv))))
            (local.set $mi (f32x4.add (f32x4.mul (local.get $e1v) (local.get $m0)) (f32x4.mul (local.get $c1v) (local.get $gv))))
            (local.set $vi (f32x4.add (f32x4.mul (local.get $e2v) (local.get $v0))
              (f32x4.mul (local.get $c2v) (f32x4.mul (local.get $gv) (local.get $gv)))))
            (v128.store (local.get $mp) (local.get $mi))
            (v128.store (local.get $vp) (local.get $vi))
            (v128.store (local.get $wp)
              (f32x4.sub (local.get $wv)
                (f32x4.div (f32x4.mul (local.get $av) (local.get $mi))
                  (f32x4.add (f32x4.mul (f32x4.sqrt (local.get $vi)) (local.get $sv)) (local.get $epsv)))))
            (local.set $mp (i32.add (local.get $mp) (i32.const 16)))
            (local.set $vp (i32.add (local.get $vp) (i32.const 16)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
            (local.set $gp (i32.add (local.get $gp) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $vec)))
        ;; the remaining 0–3 elements, one at a time (same arithmetic)
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $j) (local.get $dim)))
            (local.set $ms (f32.load (local.get $mp)))
            (local.set $vs (f32.load (local.get $vp)))
            (local.set $ws (f32.load (local.get $wp)))
            (if (f32.gt (local.get $vs) (f32.const 0))
              (then
                (local.set $ws
                  (f32.sub (local.get $ws)
                    (f32.div (f32.mul (local.get $c) (local.get $ms))
                      (f32.add (f32.mul (f32.sqrt (local.get $vs)) (local.get $s)) (local.get $eps)))))))
            (local.set $gs (f32.add (f32.load (local.get $gp)) (f32.mul (local.get $l2x2) (local.get $ws))))
            (local.set $ms (f32.add (f32.mul (local.get $e1) (local.get $ms)) (f32.mul (local.get $c1) (local.get $gs))))
            (local.set $vs (f32.add (f32.mul (local.get $e2) (local.get $vs))
              (f32.mul (local.get $c2) (f32.mul (local.get $gs) (local.get $gs)))))
            (f32.store (local.get $mp) (local.get $ms))
            (f32.store (local.get $vp) (local.get $vs))
            (f32.store (local.get $wp)
              (f32.sub (local.get $ws)
                (f32.div (f32.mul (local.get $alpha) (local.get $ms))
                  (f32.add (f32.mul (f32.sqrt (local.get $vs)) (local.get $s)) (local.get $eps)))))
            (local.set $mp (i32.add (local.get $mp) (i32.const 4)))
            (local.set $vp (i32.add (local.get $vp) (i32.const 4)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 4)))
            (local.set $gp (i32.add (local.get $gp) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row))))

  ;; Copies `len` floats from src to dst (4 lanes at a time, then the tail). Internal helper.
  (func $copy (param $dst i32) (param $src i32) (param $len i32)
    (local $end i32) (local $end4 i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $len) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $dst) (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 2))))
    (block $done4
      (loop $vec
        (br_if $done4 (i32.ge_u (local.get $dst) (local.get $end4)))
        (v128.store (local.get $dst) (v128.load (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $vec)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.load (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $one))))

  ;; dst += src over `len` floats. Internal helper.
  (func $add_into (param $dst i32) (param $src i32) (param $len i32)
    (local $end i32) (local $end4 i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $len) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $dst) (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 2))))
    (block $done4
      (loop $vec
        (br_if $done4 (i32.ge_u (local.get $dst) (local.get $end4)))
        (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $vec)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $one))))

  ;; SGD over sparse rows (L2 on the touched rows): for r < n, row = rows[r],
  ;; w[row, :] -= lr·(g[r, :] + l2x2·w[row, :]); rows of `dim` floats, g's rows contiguous. Rows are checked by
  ;; the caller. float32 arithmetic (the JavaScript loop computes each element in float64, then rounds).
  (func (export "sgd_rows") (param $w i32) (param $g i32) (param $rows i32) (param $n i32) (param $dim i32)
    (param $lr f32) (param $l2x2 f32)
    (local $r i32) (local $bytes i32) (local $dst i32) (local $src i32) (local $end i32) (local $end4 i32)
    (local $vlr v128) (local $vl2 v128) (local $x v128)
    (local.set $bytes (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $vlr (f32x4.splat (local.get $lr)))
    (local.set $vl2 (f32x4.splat (local.get $l2x2)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $dst (i32.add (local.get $w)
          (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2)))) (local.get $bytes))))
        (local.set $src (i32.add (local.get $g) (i32.mul (local.get $r) (local.get $bytes))))
        (local.set $end (i32.add (local.get $dst) (local.get $bytes)))
        (local.set $end4 (i32.add (local.get $dst) (i32.shl (i32.and (local.get $dim) (i32.const -4)) (i32.const 2))))
        (block $done4
          (loop $vec
            (br_if $done4 (i32.ge_u (local.get $dst) (local.get $end4)))
            (local.set $x (v128.load (local.get $dst)))
            (v128.store (local.get $dst)
              (f32x4.sub (local.get $x)
                (f32x4.mul (local.get $vlr)
                  (f32x4.add (v128.load (local.get $src)) (f32x4.mul (local.get $vl2) (local.get $x))))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (br $vec)))
        (block $done
          (loop $one
            (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
            (f32.store (local.get $dst)
              (f32.sub (f32.load (local.get $dst))
                (f32.mul (local.get $lr)
                  (f32.add (f32.load (local.get $src)) (f32.mul (local.get $l2x2) (f32.load (local.get $dst)))))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (local.set $src (i32.add (local.get $src) (i32.const 4)))
            (br $one)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; Row gather: dst row j (of m) = src row ids[j]; rows of `dim` floats. Ids are checked by the caller.
  (func (export "gather_rows") (param $src i32) (param $dst i32) (param $ids i32) (param $m i32) (param $dim i32)
    (local $j i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $dim) (i32.const 2)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $j) (local.get $m)))
        (call $copy
          (i32.add (local.get $dst) (i32.mul (local.get $j) (local.get $bytes)))
          (i32.add (local.get $src)
            (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $j) (i32.const 2)))) (local.get $bytes)))
          (local.get $dim))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $each))))

  ;; Row scatter-add: dst row inverse[i] += src row i, for i < n; rows of `dim` floats. dst must be zeroed
  ;; (or hold what to add to); segment ids are checked by the caller.
  (func (export "scatter_add_rows") (param $src i32) (param $dst i32) (param $inverse i32) (param $n i32) (param $dim i32)
    (local $i i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $dim) (i32.const 2)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $add_into
          (i32.add (local.get $dst)
            (i32.mul (i32.load (i32.add (local.get $inverse) (i32.shl (local.get $i) (i32.const 2)))) (local.get $bytes)))
          (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $bytes)))
          (local.get $dim))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  ;; Strided row copy: m rows of `len` floats from src (row stride srcStride floats) to dst (dstStride): the
  ;; row moves of Concat and SplitV along the last axis.
  (func (export "copy_rows_strided")
    (param $src i32) (param $srcStride i32) (param $dst i32) (param $dstStride i32) (param $m i32) (param $len i32)
    (local $i i32) (local $sb i32) (local $db i32)
    (local.set $sb (i32.shl (local.get $srcStride) (i32.const 2)))
    (local.set $db (i32.shl (local.get $dstStride) (i32.const 2)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
        (call $copy (local.get $dst) (local.get $src) (local.get $len))
        (local.set $src (i32.add (local.get $src) (local.get $sb)))
        (local.set $dst (i32.add (local.get $dst) (local.get $db)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  ;; Dense layer backward, elementwise part, for an m×n gradient dy: with h ≠ 0 (ReLU), g = dy where h > 0
  ;; else 0, written to g; with h = 0 (linear), g is dy and nothing is written. Either way db[j] += Σ_i g[i, j]
  ;; (db must be zeroed by the caller).
  (func (export "relu_bias_grad") (param $dy i32) (param $h i32) (param $g i32) (param $db i32) (param $m i32) (param $n i32)
    (local $i i32) (local $j i32) (local $n4 i32) (local $v v128) (local $x f32) (local $bp i32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (local.set $bp (local.get $db))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $j) (local.get $n4)))
            (local.set $v (v128.load (local.get $dy)))
            (if (local.get $h)
              (then
                (local.set $v (v128.and (local.get $v)
                  (f32x4.gt (v128.load (local.get $h)) (v128.const f32x4 0 0 0 0))))
                (v128.store (local.get $g) (local.get $v))
                (local.set $h (i32.add (local.get $h) (i32.const 16)))
                (local.set $g (i32.add (local.get $g) (i32.const 16)))))
            (v128.store (local.get $bp) (f32x4.add (v128.load (local.get $bp)) (local.get $v)))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $vec)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $x (f32.load (local.get $dy)))
            (if (local.get $h)
              (then
                (if (i32.eqz (f32.gt (f32.load (local.get $h)) (f32.const 0)))
                  (then (local.set $x (f32.const 0))))
                (f32.store (local.get $g) (local.get $x))
                (local.set $h (i32.add (local.get $h) (i32.const 4)))
                (local.set $g (i32.add (local.get $g) (i32.const 4)))))
            (f32.store (local.get $bp) (f32.add (f32.load (local.get $bp)) (local.get $x)))
            (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
            (local.set $bp (i32.add (local.get $bp) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))
;; x^k for k ≥ 0 by repeated squaring (float64). Internal helper.
  (func $powi (param $x f64) (param $k i32) (result f64)
    (local $r f64)
    (local.set $r (f64.const 1))
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $k)))
        (if (i32.and (local.get $k) (i32.const 1))
          (then (local.set $r (f64.mul (local.get $r) (local.get $x)))))
        (local.set $x (f64.mul (local.get $x) (local.get $x)))
        (local.set $k (i32.shr_u (local.get $k) (i32.const 1)))
        (br $step)))
    (local.get $r))

  ;; The per-row part of lazy Adam with catch-up: for row r of n (table row R = rows[r]) reads the step the row
  ;; was last updated (state + R·(2·dim+1) + 2·dim, 0 = never) and writes the row's coefficients [c, e1, e2]
  ;; at coef + 12r for the k idle steps since then:
  ;;   c = lrs·X, X = Σ_{i=1..k} κ(last+i)·ρⁱ = C[last] − ρᵏ·C[last+k]  (ρ = β1/√β2, κ(s) = √(1−β2ˢ)/(1−β1ˢ):
  ;;       dense Adam's bias corrections at each idle step, exactly; C[q] = Σ_{i≥1} κ(q+i)·ρⁱ, cinf past the table)
  ;; mode 0 (adam_rows at step t): k = t − 1 − last, e1 = β1ᵏ⁺¹, e2 = β2ᵏ⁺¹, last ← t.
  ;; mode 1 (adam_catch_up to the completed step t): k = t − last, e1 = β1ᵏ, e2 = β2ᵏ, last ← t (never-touched
  ;; rows stay 0). k ≤ 0: c = 0. `table` holds float64 [β1ᵏ… | β2ᵏ… | ρᵏ…] (k < size) then C (csize entries);
  ;; larger gaps are computed (powers by squaring).
  (func (export "adam_coefficients")
    (param $state i32) (param $rows i32) (param $coef i32) (param $n i32) (param $dim i32) (param $t i32)
    (param $mode i32) (param $table i32) (param $size i32) (param $csize i32) (param $lrs f64) (param $b1 f64)
    (param $b2 f64) (param $cinf f64)
    (local $r i32) (local $lp i32) (local $prev f32) (local $last i32) (local $k i32) (local $cp i32)
    (local $tp i32) (local $sbytes i32) (local $lastOff i32) (local $rho f64) (local $d1 f64) (local $d2 f64)
    (local $rk f64) (local $cpos i32) (local $ca f64) (local $cb f64)
    (local.set $sbytes (i32.shl (i32.add (i32.shl (local.get $dim) (i32.const 1)) (i32.const 1)) (i32.const 2)))
    (local.set $lastOff (i32.shl (local.get $dim) (i32.const 3)))
    (local.set $rho (f64.div (local.get $b1) (f64.sqrt (local.get $b2))))
    (local.set $cpos (i32.add (local.get $table) (i32.mul (local.get $size) (i32.const 24))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $lp
          (i32.add
            (i32.add (local.get $state)
              (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2)))) (local.get $sbytes)))
            (local.get $lastOff)))
        (local.set $prev (f32.load (local.get $lp)))
        (local.set $last (i32.trunc_f32_s (local.get $prev)))
        (local.set $k
          (if (result i32) (i32.eqz (local.get $last))
            (then (i32.const 0))
            (else (i32.sub (i32.sub (local.get $t) (i32.sub (i32.const 1) (local.get $mode))) (local.get $last)))))
        (if (i32.or (i32.eqz (local.get $mode)) (i32.ne (local.get $last) (i32.const 0)))
          (then (f32.store (local.get $lp) (f32.convert_i32_s (local.get $t)))))
        (local.set $cp (i32.add (local.get $coef) (i32.mul (local.get $r) (i32.const 12))))
        (if (i32.le_s (local.get $k) (i32.const 0))
          (then
            (f32.store (local.get $cp) (f32.const 0))
            (f32.store offset=4 (local.get $cp) (if (result f32) (local.get $mode) (then (f32.const 1)) (else (f32.demote_f64 (local.get $b1)))))
            (f32.store offset=8 (local.get $cp) (if (result f32) (local.get $mode) (then (f32.const 1)) (else (f32.demote_f64 (local.get $b2))))))
          (else
            (if (i32.lt_s (local.get $k) (local.get $size))
              (then
                (local.set $tp (i32.add (local.get $table) (i32.shl (local.get $k) (i32.const 3))))
                (local.set $d1 (f64.load (local.get $tp)))
                (local.set $d2 (f64.load (i32.add (local.get $tp) (i32.shl (local.get $size) (i32.const 3)))))
                (local.set $rk (f64.load (i32.add (local.get $tp) (i32.shl (local.get $size) (i32.const 4))))))
              (else
                (local.set $d1 (call $powi (local.get $b1) (local.get $k)))
                (local.set $d2 (call $powi (local.get $b2) (local.get $k)))
                (local.set $rk (call $powi (local.get $rho) (local.get $k)))))
            (local.set $ca
              (if (result f64) (i32.lt_u (local.get $last) (local.get $csize))
                (then (f64.load (i32.add (local.get $cpos) (i32.shl (local.get $last) (i32.const 3)))))
                (else (local.get $cinf))))
            (local.set $cb
              (if (result f64) (i32.lt_u (i32.add (local.get $last) (local.get $k)) (local.get $csize))
                (then (f64.load (i32.add (local.get $cpos) (i32.shl (i32.add (local.get $last) (local.get $k)) (i32.const 3)))))
                (else (local.get $cinf))))
            (f32.store (local.get $cp)
              (f32.demote_f64 (f64.mul (local.get $lrs) (f64.sub (local.get $ca) (f64.mul (local.get $rk) (local.get $cb))))))
            (if (i32.eqz (local.get $mode))
              (then
                (local.set $d1 (f64.mul (local.get $d1) (local.get $b1)))
                (local.set $d2 (f64.mul (local.get $d2) (local.get $b2)))))
            (f32.store offset=4 (local.get $cp) (f32.demote_f64 (local.get $d1)))
            (f32.store offset=8 (local.get $cp) (f32.demote_f64 (local.get $d2)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each))))

  ;; Lazy Adam's catch-up alone (before a forward pass reads the rows): for row r of n with coefficients
  ;; [c, e1, e2] from adam_coefficients (mode 1), per element: w ← w − c·m/(√v·s + ε) where v > 0, m ← e1·m,
  ;; v ← e2·v. Rows with c = 0 (no idle steps) are skipped.
  (func (export "adam_catch_up")
    (param $w i32) (param $state i32) (param $rows i32) (param $coef i32) (param $n i32) (param $dim i32)
    (param $s f32) (param $eps f32)
    (local $r i32) (local $j i32) (local $row i32) (local $wp i32) (local $mp i32) (local $vp i32) (local $cp i32)
    (local $dim4 i32) (local $vbytes i32) (local $sbytes i32) (local $c f32) (local $e1 f32) (local $e2 f32)
    (local $cv v128) (local $e1v v128) (local $e2v v128) (local $sv v128) (local $epsv v128)
    (local $m0 v128) (local $v0 v128) (local $ms f32) (local $vs f32)
    (local.set $sv (f32x4.splat (local.get $s)))
    (local.set $epsv (f32x4.splat (local.get $eps)))
    (local.set $dim4 (i32.and (local.get $dim) (i32.const -4)))
    (local.set $vbytes (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $sbytes (i32.shl (i32.add (i32.shl (local.get $dim) (i32.const 1)) (i32.const 1)) (i32.const 2)))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $cp (i32.add (local.get $coef) (i32.mul (local.get $r) (i32.const 12))))
        (local.set $c (f32.load (local.get $cp)))
        (if (f32.ne (local.get $c) (f32.const 0))
          (then
            (local.set $row (i32.load (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2)))))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $row) (local.get $vbytes))))
            (local.set $mp (i32.add (local.get $state) (i32.mul (local.get $row) (local.get $sbytes))))
            (local.set $vp (i32.add (local.get $mp) (local.get $vbytes)))
            (local.set $e1 (f32.load offset=4 (local.get $cp)))
            (local.set $e2 (f32.load offset=8 (local.get $cp)))
            (local.set $cv (f32x4.splat (local.get $c)))
            (local.set $e1v (f32x4.splat (local.get $e1)))
            (local.set $e2v (f32x4.splat (local.get $e2)))
            (local.set $j (i32.const 0))
            (block $vec_done
              (loop $vec
                (br_if $vec_done (i32.ge_u (local.get $j) (local.get $dim4)))
                (local.set $m0 (v128.load (local.get $mp)))
                (local.set $v0 (v128.load (local.get $vp)))
                (v128.store (local.get $wp)
                  (f32x4.sub (v128.load (local.get $wp))
                    (v128.and
                      (f32x4.div (f32x4.mul (local.get $cv) (local.get $m0))
                        (f32x4.add (f32x4.mul (f32x4.sqrt (local.get $v0)) (local.get $sv)) (local.get $epsv)))
                      (f32x4.gt (local.get $v0) (v128.const f32x4 0 0 0 0)))))
                (v128.store (local.get $mp) (f32x4.mul (local.get $e1v) (local.get $m0)))
                (v128.store (local.get $vp) (f32x4.mul (local.get $e2v) (local.get $v0)))
                (local.set $mp (i32.add (local.get $mp) (i32.const 16)))
                (local.set $vp (i32.add (local.get $vp) (i32.const 16)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $vec)))
            (block $tail_done
              (loop $tail
                (br_if $tail_done (i32.ge_u (local.get $j) (local.get $dim)))
                (local.set $ms (f32.load (local.get $mp)))
                (local.set $vs (f32.load (local.get $vp)))
                (if (f32.gt (local.get $vs) (f32.const 0))
                  (then
                    (f32.store (local.get $wp)
                      (f32.sub (f32.load (local.get $wp))
                        (f32.div (f32.mul (local.get $c) (local.get $ms))
                          (f32.add (f32.mul (f32.sqrt (local.get $vs)) (local.get $s)) (local.get $eps)))))))
                (f32.store (local.get $mp) (f32.mul (local.get $e1) (local.get $ms)))
                (f32.store (local.get $vp) (f32.mul (local.get $e2) (local.get $vs)))
                (local.set $mp (i32.add (local.get $mp) (i32.const 4)))
                (local.set $vp (i32.add (local.get $vp) (i32.const 4)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 4)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $tail)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row))))

  ;; ---- Matrix products (dense layers forward and backward) ----

  ;; C tile of 4 row(s) × 8 column(s) over k steps (see gemm)
  (func $tile_4x8 (param $a i32) (param $ar i32) (param $ap i32) (param $b i32) (param $bp i32)
    (param $c i32) (param $cr i32) (param $k i32) (param $bias i32) (param $mode i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $p i32) (local $x0 v128) (local $x1 v128) (local $xs v128)
    (local $ar2 i32) (local $ar3 i32)
    (local.set $ar2 (i32.add (local.get $ar) (local.get $ar)))
    (local.set $ar3 (i32.add (local.get $ar2) (local.get $ar)))
    (local.set $c00
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=0 (local.get $c)))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=0 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (local.set $c01
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=16 (local.get $c)))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=16 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (local.set $c10
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=0 (i32.add (local.get $c) (local.get $cr))))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=0 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (local.set $c11
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=16 (i32.add (local.get $c) (local.get $cr))))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=16 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (local.set $c20
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=0 (i32.add (local.get $c) (i32.shl (local.get $cr) (i32.const 1)))))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=0 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (local.set $c21
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=16 (i32.add (local.get $c) (i32.shl (local.get $cr) (i32.const 1)))))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=16 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (local.set $c30
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=0 (i32.add (local.get $c) (i32.mul (local.get $cr) (i32.const 3)))))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=0 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (local.set $c31
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=16 (i32.add (local.get $c) (i32.mul (local.get $cr) (i32.const 3)))))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=16 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $x0 (v128.load (local.get $b)))
        (local.set $x1 (v128.load offset=16 (local.get $b)))
        (local.set $xs (f32x4.splat (f32.load (local.get $a))))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $xs) (local.get $x0))))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $xs) (local.get $x1))))
        (local.set $xs (f32x4.splat (f32.load (i32.add (local.get $a) (local.get $ar)))))
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $xs) (local.get $x0))))
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $xs) (local.get $x1))))
        (local.set $xs (f32x4.splat (f32.load (i32.add (local.get $a) (local.get $ar2)))))
        (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $xs) (local.get $x0))))
        (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $xs) (local.get $x1))))
        (local.set $xs (f32x4.splat (f32.load (i32.add (local.get $a) (local.get $ar3)))))
        (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $xs) (local.get $x0))))
        (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $xs) (local.get $x1))))
        (local.set $a (i32.add (local.get $a) (local.get $ap)))
        (local.set $b (i32.add (local.get $b) (local.get $bp)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $step)))
    (if (i32.and (local.get $mode) (i32.const 2))
      (then
        (local.set $c00 (f32x4.pmax (local.get $c00) (v128.const f32x4 0 0 0 0)))
        (local.set $c01 (f32x4.pmax (local.get $c01) (v128.const f32x4 0 0 0 0)))
        (local.set $c10 (f32x4.pmax (local.get $c10) (v128.const f32x4 0 0 0 0)))
        (local.set $c11 (f32x4.pmax (local.get $c11) (v128.const f32x4 0 0 0 0)))
        (local.set $c20 (f32x4.pmax (local.get $c20) (v128.const f32x4 0 0 0 0)))
        (local.set $c21 (f32x4.pmax (local.get $c21) (v128.const f32x4 0 0 0 0)))
        (local.set $c30 (f32x4.pmax (local.get $c30) (v128.const f32x4 0 0 0 0)))
        (local.set $c31 (f32x4.pmax (local.get $c31) (v128.const f32x4 0 0 0 0)))
      ))
    (v128.store offset=0 (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (v128.store offset=0 (i32.add (local.get $c) (local.get $cr)) (local.get $c10))
    (v128.store offset=16 (i32.add (local.get $c) (local.get $cr)) (local.get $c11))
    (v128.store offset=0 (i32.add (local.get $c) (i32.shl (local.get $cr) (i32.const 1))) (local.get $c20))
    (v128.store offset=16 (i32.add (local.get $c) (i32.shl (local.get $cr) (i32.const 1))) (local.get $c21))
    (v128.store offset=0 (i32.add (local.get $c) (i32.mul (local.get $cr) (i32.const 3))) (local.get $c30))
    (v128.store offset=16 (i32.add (local.get $c) (i32.mul (local.get $cr) (i32.const 3))) (local.get $c31))
  )

  ;; C tile of 4 row(s) × 4 column(s) over k steps (see gemm)
  (func $tile_4x4 (param $a i32) (param $ar i32) (param $ap i32) (param $b i32) (param $bp i32)
    (param $c i32) (param $cr i32) (param $k i32) (param $bias i32) (param $mode i32)
    (local $c00 v128) (local $c10 v128) (local $c20 v128) (local $c30 v128)
    (local $p i32) (local $x0 v128) (local $x1 v128) (local $xs v128)
    (local $ar2 i32) (local $ar3 i32)
    (local.set $ar2 (i32.add (local.get $ar) (local.get $ar)))
    (local.set $ar3 (i32.add (local.get $ar2) (local.get $ar)))
    (local.set $c00
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=0 (local.get $c)))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=0 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (local.set $c10
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=0 (i32.add (local.get $c) (local.get $cr))))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=0 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (local.set $c20
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=0 (i32.add (local.get $c) (i32.shl (local.get $cr) (i32.const 1)))))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=0 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (local.set $c30
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=0 (i32.add (local.get $c) (i32.mul (local.get $cr) (i32.const 3)))))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=0 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $x0 (v128.load (local.get $b)))
        (local.set $xs (f32x4.splat (f32.load (local.get $a))))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $xs) (local.get $x0))))
        (local.set $xs (f32x4.splat (f32.load (i32.add (local.get $a) (local.get $ar)))))
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $xs) (local.get $x0))))
        (local.set $xs (f32x4.splat (f32.load (i32.add (local.get $a) (local.get $ar2)))))
        (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $xs) (local.get $x0))))
        (local.set $xs (f32x4.splat (f32.load (i32.add (local.get $a) (local.get $ar3)))))
        (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $xs) (local.get $x0))))
        (local.set $a (i32.add (local.get $a) (local.get $ap)))
        (local.set $b (i32.add (local.get $b) (local.get $bp)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $step)))
    (if (i32.and (local.get $mode) (i32.const 2))
      (then
        (local.set $c00 (f32x4.pmax (local.get $c00) (v128.const f32x4 0 0 0 0)))
        (local.set $c10 (f32x4.pmax (local.get $c10) (v128.const f32x4 0 0 0 0)))
        (local.set $c20 (f32x4.pmax (local.get $c20) (v128.const f32x4 0 0 0 0)))
        (local.set $c30 (f32x4.pmax (local.get $c30) (v128.const f32x4 0 0 0 0)))
      ))
    (v128.store offset=0 (local.get $c) (local.get $c00))
    (v128.store offset=0 (i32.add (local.get $c) (local.get $cr)) (local.get $c10))
    (v128.store offset=0 (i32.add (local.get $c) (i32.shl (local.get $cr) (i32.const 1))) (local.get $c20))
    (v128.store offset=0 (i32.add (local.get $c) (i32.mul (local.get $cr) (i32.const 3))) (local.get $c30))
  )

  ;; C tile of 4 row(s) × 1 column(s) over k steps (see gemm)
  (func $tile_4x1 (param $a i32) (param $ar i32) (param $ap i32) (param $b i32) (param $bp i32)
    (param $c i32) (param $cr i32) (param $k i32) (param $bias i32) (param $mode i32)
    (local $c00 f32) (local $c10 f32) (local $c20 f32) (local $c30 f32)
    (local $p i32) (local $x0 f32) (local $x1 v128) (local $xs f32)
    (local $ar2 i32) (local $ar3 i32)
    (local.set $ar2 (i32.add (local.get $ar) (local.get $ar)))
    (local.set $ar3 (i32.add (local.get $ar2) (local.get $ar)))
    (local.set $c00
      (if (result f32) (i32.and (local.get $mode) (i32.const 1)) (then (f32.load (local.get $c)))
        (else (if (result f32) (local.get $bias) (then (f32.load (local.get $bias))) (else (f32.const 0))))))
    (local.set $c10
      (if (result f32) (i32.and (local.get $mode) (i32.const 1)) (then (f32.load (i32.add (local.get $c) (local.get $cr))))
        (else (if (result f32) (local.get $bias) (then (f32.load (local.get $bias))) (else (f32.const 0))))))
    (local.set $c20
      (if (result f32) (i32.and (local.get $mode) (i32.const 1)) (then (f32.load (i32.add (local.get $c) (i32.shl (local.get $cr) (i32.const 1)))))
        (else (if (result f32) (local.get $bias) (then (f32.load (local.get $bias))) (else (f32.const 0))))))
    (local.set $c30
      (if (result f32) (i32.and (local.get $mode) (i32.const 1)) (then (f32.load (i32.add (local.get $c) (i32.mul (local.get $cr) (i32.const 3)))))
        (else (if (result f32) (local.get $bias) (then (f32.load (local.get $bias))) (else (f32.const 0))))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $x0 (f32.load (local.get $b)))
        (local.set $c00 (f32.add (local.get $c00) (f32.mul (f32.load (local.get $a)) (local.get $x0))))
        (local.set $c10 (f32.add (local.get $c10) (f32.mul (f32.load (i32.add (local.get $a) (local.get $ar))) (local.get $x0))))
        (local.set $c20 (f32.add (local.get $c20) (f32.mul (f32.load (i32.add (local.get $a) (local.get $ar2))) (local.get $x0))))
        (local.set $c30 (f32.add (local.get $c30) (f32.mul (f32.load (i32.add (local.get $a) (local.get $ar3))) (local.get $x0))))
        (local.set $a (i32.add (local.get $a) (local.get $ap)))
        (local.set $b (i32.add (local.get $b) (local.get $bp)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $step)))
    (if (i32.and (local.get $mode) (i32.const 2))
      (then
        (local.set $c00 (select (local.get $c00) (f32.const 0) (f32.gt (local.get $c00) (f32.const 0))))
        (local.set $c10 (select (local.get $c10) (f32.const 0) (f32.gt (local.get $c10) (f32.const 0))))
        (local.set $c20 (select (local.get $c20) (f32.const 0) (f32.gt (local.get $c20) (f32.const 0))))
        (local.set $c30 (select (local.get $c30) (f32.const 0) (f32.gt (local.get $c30) (f32.const 0))))
      ))
    (f32.store (local.get $c) (local.get $c00))
    (f32.store (i32.add (local.get $c) (local.get $cr)) (local.get $c10))
    (f32.store (i32.add (local.get $c) (i32.shl (local.get $cr) (i32.const 1))) (local.get $c20))
    (f32.store (i32.add (local.get $c) (i32.mul (local.get $cr) (i32.const 3))) (local.get $c30))
  )

  ;; C tile of 1 row(s) × 8 column(s) over k steps (see gemm)
  (func $tile_1x8 (param $a i32) (param $ar i32) (param $ap i32) (param $b i32) (param $bp i32)
    (param $c i32) (param $cr i32) (param $k i32) (param $bias i32) (param $mode i32)
    (local $c00 v128) (local $c01 v128)
    (local $p i32) (local $x0 v128) (local $x1 v128) (local $xs v128)
    (local.set $c00
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=0 (local.get $c)))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=0 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (local.set $c01
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=16 (local.get $c)))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=16 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $x0 (v128.load (local.get $b)))
        (local.set $x1 (v128.load offset=16 (local.get $b)))
        (local.set $xs (f32x4.splat (f32.load (local.get $a))))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $xs) (local.get $x0))))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $xs) (local.get $x1))))
        (local.set $a (i32.add (local.get $a) (local.get $ap)))
        (local.set $b (i32.add (local.get $b) (local.get $bp)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $step)))
    (if (i32.and (local.get $mode) (i32.const 2))
      (then
        (local.set $c00 (f32x4.pmax (local.get $c00) (v128.const f32x4 0 0 0 0)))
        (local.set $c01 (f32x4.pmax (local.get $c01) (v128.const f32x4 0 0 0 0)))
      ))
    (v128.store offset=0 (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
  )

  ;; C tile of 1 row(s) × 4 column(s) over k steps (see gemm)
  (func $tile_1x4 (param $a i32) (param $ar i32) (param $ap i32) (param $b i32) (param $bp i32)
    (param $c i32) (param $cr i32) (param $k i32) (param $bias i32) (param $mode i32)
    (local $c00 v128)
    (local $p i32) (local $x0 v128) (local $x1 v128) (local $xs v128)
    (local.set $c00
      (if (result v128) (i32.and (local.get $mode) (i32.const 1)) (then (v128.load offset=0 (local.get $c)))
        (else (if (result v128) (local.get $bias) (then (v128.load offset=0 (local.get $bias))) (else (v128.const i32x4 0 0 0 0))))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $x0 (v128.load (local.get $b)))
        (local.set $xs (f32x4.splat (f32.load (local.get $a))))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $xs) (local.get $x0))))
        (local.set $a (i32.add (local.get $a) (local.get $ap)))
        (local.set $b (i32.add (local.get $b) (local.get $bp)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $step)))
    (if (i32.and (local.get $mode) (i32.const 2))
      (then
        (local.set $c00 (f32x4.pmax (local.get $c00) (v128.const f32x4 0 0 0 0)))
      ))
    (v128.store offset=0 (local.get $c) (local.get $c00))
  )

  ;; C tile of 1 row(s) × 1 column(s) over k steps (see gemm)
  (func $tile_1x1 (param $a i32) (param $ar i32) (param $ap i32) (param $b i32) (param $bp i32)
    (param $c i32) (param $cr i32) (param $k i32) (param $bias i32) (param $mode i32)
    (local $c00 f32)
    (local $p i32) (local $x0 f32) (local $x1 v128) (local $xs f32)
    (local.set $c00
      (if (result f32) (i32.and (local.get $mode) (i32.const 1)) (then (f32.load (local.get $c)))
        (else (if (result f32) (local.get $bias) (then (f32.load (local.get $bias))) (else (f32.const 0))))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $x0 (f32.load (local.get $b)))
        (local.set $c00 (f32.add (local.get $c00) (f32.mul (f32.load (local.get $a)) (local.get $x0))))
        (local.set $a (i32.add (local.get $a) (local.get $ap)))
        (local.set $b (i32.add (local.get $b) (local.get $bp)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $step)))
    (if (i32.and (local.get $mode) (i32.const 2))
      (then
        (local.set $c00 (select (local.get $c00) (f32.const 0) (f32.gt (local.get $c00) (f32.const 0))))
      ))
    (f32.store (local.get $c) (local.get $c00))
  )


  ;; C = act(init + Σ_p A(i, p)·B[p, j]) for an m×n C (row stride ldc), k steps: A(i, p) at a + i·sar + p·sap
  ;; (sar = k, sap = 1 for A; sar = 1, sap = m for Aᵀ of an m-row A), B row-major with row stride ldb; strides
  ;; in floats, pointers in bytes. flags bit 0: init = C (accumulate into C), else bias[j] (bias ≠ 0) or 0;
  ;; bit 1: ReLU. The k steps run in chunks of 256 so a chunk of A and B stays in cache across the C tiles;
  ;; tiles of 4 rows × 8 columns keep C in registers (rows and columns left over take 4×4, 4×1, 1×8, 1×4,
  ;; 1×1 tiles). Each C element's sum runs in order p = 0, 1, … (float32).
  (func (export "gemm") (param $a i32) (param $sar i32) (param $sap i32) (param $b i32) (param $ldb i32)
    (param $c i32) (param $ldc i32) (param $m i32) (param $n i32) (param $k i32) (param $bias i32) (param $flags i32)
    (local $p0 i32) (local $kc i32) (local $mode i32) (local $bias0 i32) (local $i i32) (local $j i32)
    (local $arb i32) (local $apb i32) (local $bpb i32) (local $crb i32) (local $ak i32) (local $bk i32)
    (local $ai i32) (local $ci i32) (local $tb i32) (local $tc i32) (local $tbias i32)
    (local.set $arb (i32.shl (local.get $sar) (i32.const 2)))
    (local.set $apb (i32.shl (local.get $sap) (i32.const 2)))
    (local.set $bpb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $crb (i32.shl (local.get $ldc) (i32.const 2)))
    (loop $chunks
      (local.set $kc (i32.sub (local.get $k) (local.get $p0)))
      (if (i32.gt_u (local.get $kc) (i32.const 256)) (then (local.set $kc (i32.const 256))))
      (local.set $mode
        (i32.or
          (if (result i32) (local.get $p0) (then (i32.const 1)) (else (i32.and (local.get $flags) (i32.const 1))))
          (if (result i32) (i32.ge_u (i32.add (local.get $p0) (local.get $kc)) (local.get $k))
            (then (i32.and (local.get $flags) (i32.const 2))) (else (i32.const 0)))))
      (local.set $bias0 (if (result i32) (local.get $p0) (then (i32.const 0)) (else (local.get $bias))))
      (local.set $ak (i32.add (local.get $a) (i32.mul (local.get $p0) (local.get $apb))))
      (local.set $bk (i32.add (local.get $b) (i32.mul (local.get $p0) (local.get $bpb))))
      (local.set $i (i32.const 0))
      (block $rows_done
        (loop $rows
          (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
          (local.set $ai (i32.add (local.get $ak) (i32.mul (local.get $i) (local.get $arb))))
          (local.set $ci (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $crb))))
          (if (i32.ge_u (i32.sub (local.get $m) (local.get $i)) (i32.const 4))
            (then
          (local.set $j (i32.const 0))
          (block $cols_done4
            (loop $cols4
              (br_if $cols_done4 (i32.ge_u (local.get $j) (local.get $n)))
              (local.set $tb (i32.add (local.get $bk) (i32.shl (local.get $j) (i32.const 2))))
              (local.set $tc (i32.add (local.get $ci) (i32.shl (local.get $j) (i32.const 2))))
              (local.set $tbias (if (result i32) (local.get $bias0) (then (i32.add (local.get $bias0) (i32.shl (local.get $j) (i32.const 2)))) (else (i32.const 0))))
              (if (i32.ge_u (i32.sub (local.get $n) (local.get $j)) (i32.const 8))
                (then
                  (call $tile_4x8 (local.get $ai) (local.get $arb) (local.get $apb) (local.get $tb) (local.get $bpb)
                    (local.get $tc) (local.get $crb) (local.get $kc) (local.get $tbias) (local.get $mode))
                  (local.set $j (i32.add (local.get $j) (i32.const 8))))
                (else
                  (if (i32.ge_u (i32.sub (local.get $n) (local.get $j)) (i32.const 4))
                    (then
                      (call $tile_4x4 (local.get $ai) (local.get $arb) (local.get $apb) (local.get $tb) (local.get $bpb)
                        (local.get $tc) (local.get $crb) (local.get $kc) (local.get $tbias) (local.get $mode))
                      (local.set $j (i32.add (local.get $j) (i32.const 4))))
                    (else
                      (call $tile_4x1 (local.get $ai) (local.get $arb) (local.get $apb) (local.get $tb) (local.get $bpb)
                        (local.get $tc) (local.get $crb) (local.get $kc) (local.get $tbias) (local.get $mode))
                      (local.set $j (i32.add (local.get $j) (i32.const 1)))))))
              (br $cols4)))
              (local.set $i (i32.add (local.get $i) (i32.const 4))))
            (else
          (local.set $j (i32.const 0))
          (block $cols_done1
            (loop $cols1
              (br_if $cols_done1 (i32.ge_u (local.get $j) (local.get $n)))
              (local.set $tb (i32.add (local.get $bk) (i32.shl (local.get $j) (i32.const 2))))
              (local.set $tc (i32.add (local.get $ci) (i32.shl (local.get $j) (i32.const 2))))
              (local.set $tbias (if (result i32) (local.get $bias0) (then (i32.add (local.get $bias0) (i32.shl (local.get $j) (i32.const 2)))) (else (i32.const 0))))
              (if (i32.ge_u (i32.sub (local.get $n) (local.get $j)) (i32.const 8))
                (then
                  (call $tile_1x8 (local.get $ai) (local.get $arb) (local.get $apb) (local.get $tb) (local.get $bpb)
                    (local.get $tc) (local.get $crb) (local.get $kc) (local.get $tbias) (local.get $mode))
                  (local.set $j (i32.add (local.get $j) (i32.const 8))))
                (else
                  (if (i32.ge_u (i32.sub (local.get $n) (local.get $j)) (i32.const 4))
                    (then
                      (call $tile_1x4 (local.get $ai) (local.get $arb) (local.get $apb) (local.get $tb) (local.get $bpb)
                        (local.get $tc) (local.get $crb) (local.get $kc) (local.get $tbias) (local.get $mode))
                      (local.set $j (i32.add (local.get $j) (i32.const 4))))
                    (else
                      (call $tile_1x1 (local.get $ai) (local.get $arb) (local.get $apb) (local.get $tb) (local.get $bpb)
                        (local.get $tc) (local.get $crb) (local.get $kc) (local.get $tbias) (local.get $mode))
                      (local.set $j (i32.add (local.get $j) (i32.const 1)))))))
              (br $cols1)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))))
          (br $rows)))
      (local.set $p0 (i32.add (local.get $p0) (local.get $kc)))
      (br_if $chunks (i32.lt_u (local.get $p0) (local.get $k)))))


  ;; Row of the dropout mask table used by pair p: a murmur3-finalised hash of (p, seed), masked to R − 1
  ;; (R a power of two). Internal helper of the pair-logit kernels (same arithmetic as `maskRowOf` in JS).
  (func $mask_row (param $p i32) (param $seed i32) (param $rmask i32) (result i32)
    (local $x i32)
    (local.set $x (i32.add (i32.mul (local.get $p) (i32.const 0x9e3779b1)) (local.get $seed)))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0x85ebca6b)))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 13))))
    (i32.and (local.get $x) (local.get $rmask)))

  ;; Additive attention logits over P pairs: out[p] = Σ_k w[k]·mask[k]·relu(a[seg[p], k] + c[rows[p], k]),
  ;; h a multiple of 4. `mask` = 0: no dropout; else a table of R rows of h floats (0 or the keep scale),
  ;; row $mask_row(p) for pair p.
  (func (export "pair_logits")
    (param $a i32) (param $c i32) (param $w i32) (param $mask i32) (param $seed i32) (param $rmask i32)
    (param $seg i32) (param $rows i32) (param $np i32) (param $h i32) (param $out i32)
    (local $p i32) (local $k i32) (local $ab i32) (local $cb i32) (local $mb i32) (local $wb i32)
    (local $acc v128) (local $x v128) (local $hb i32)
    (local.set $hb (i32.shl (local.get $h) (i32.const 2)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $p) (local.get $np)))
        (local.set $ab (i32.add (local.get $a)
          (i32.mul (i32.load (i32.add (local.get $seg) (i32.shl (local.get $p) (i32.const 2)))) (local.get $hb))))
        (local.set $cb (i32.add (local.get $c)
          (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (local.get $p) (i32.const 2)))) (local.get $hb))))
        (if (local.get $mask)
          (then (local.set $mb (i32.add (local.get $mask)
            (i32.mul (call $mask_row (local.get $p) (local.get $seed) (local.get $rmask)) (local.get $hb))))))
        (local.set $wb (local.get $w))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (block $kdone
          (loop $kl
            (br_if $kdone (i32.ge_u (local.get $k) (local.get $h)))
            (local.set $x (f32x4.max (f32x4.add (v128.load (local.get $ab)) (v128.load (local.get $cb)))
              (v128.const f32x4 0 0 0 0)))
            (if (local.get $mask)
              (then
                (local.set $x (f32x4.mul (local.get $x) (v128.load (local.get $mb))))
                (local.set $mb (i32.add (local.get $mb) (i32.const 16)))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $x) (v128.load (local.get $wb)))))
            (local.set $ab (i32.add (local.get $ab) (i32.const 16)))
            (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
            (local.set $wb (i32.add (local.get $wb) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $kl)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pair))))

  ;; Gradient of pair_logits: g = dy[p]·mask·[a + c > 0]; da[seg[p]] += g·w, dc[rows[p]] += g·w,
  ;; dw += g·(a + c). da, dc, dw zeroed by the caller.
  (func (export "pair_logits_grad")
    (param $dy i32) (param $a i32) (param $c i32) (param $w i32) (param $mask i32) (param $seed i32)
    (param $rmask i32) (param $seg i32) (param $rows i32) (param $np i32) (param $h i32)
    (param $da i32) (param $dc i32) (param $dw i32)
    (local $p i32) (local $k i32) (local $off i32) (local $ao i32) (local $co i32) (local $mb i32)
    (local $g v128) (local $x v128) (local $gm v128) (local $gw v128) (local $hb i32) (local $gs f32)
    (local.set $hb (i32.shl (local.get $h) (i32.const 2)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $p) (local.get $np)))
        (local.set $gs (f32.load (i32.add (local.get $dy) (i32.shl (local.get $p) (i32.const 2)))))
        (if (f32.ne (local.get $gs) (f32.const 0))
          (then
            (local.set $g (f32x4.splat (local.get $gs)))
            (local.set $ao
              (i32.mul (i32.load (i32.add (local.get $seg) (i32.shl (local.get $p) (i32.const 2)))) (local.get $hb)))
            (local.set $co
              (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (local.get $p) (i32.const 2)))) (local.get $hb)))
            (if (local.get $mask)
              (then (local.set $mb (i32.add (local.get $mask)
                (i32.mul (call $mask_row (local.get $p) (local.get $seed) (local.get $rmask)) (local.get $hb))))))
            (local.set $off (i32.const 0))
            (block $kdone
              (loop $kl
                (br_if $kdone (i32.ge_u (local.get $off) (local.get $hb)))
                (local.set $x (f32x4.add
                  (v128.load (i32.add (local.get $a) (i32.add (local.get $ao) (local.get $off))))
                  (v128.load (i32.add (local.get $c) (i32.add (local.get $co) (local.get $off))))))
                (local.set $gm (v128.and (local.get $g) (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0))))
                (if (local.get $mask)
                  (then (local.set $gm (f32x4.mul (local.get $gm) (v128.load (i32.add (local.get $mb) (local.get $off)))))))
                (local.set $gw (f32x4.mul (local.get $gm) (v128.load (i32.add (local.get $w) (local.get $off)))))
                (v128.store (i32.add (local.get $da) (i32.add (local.get $ao) (local.get $off)))
                  (f32x4.add (v128.load (i32.add (local.get $da) (i32.add (local.get $ao) (local.get $off)))) (local.get $gw)))
                (v128.store (i32.add (local.get $dc) (i32.add (local.get $co) (local.get $off)))
                  (f32x4.add (v128.load (i32.add (local.get $dc) (i32.add (local.get $co) (local.get $off)))) (local.get $gw)))
                (v128.store (i32.add (local.get $dw) (local.get $off))
                  (f32x4.add (v128.load (i32.add (local.get $dw) (local.get $off))) (f32x4.mul (local.get $gm) (local.get $x))))
                (local.set $off (i32.add (local.get $off) (i32.const 16)))
                (br $kl)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pair))))
)
