;; @ncf/core's WebAssembly SIMD kernels. They run on the memory of tfjs's wasm backend (imported as
;; env.memory), so they read and write tensors in place: every pointer is a byte offset into that heap.
;; Source of src/simd/kernels-binary.ts (generated: `pnpm --filter @ncf/core build:simd`).

(module
  (import "env" "memory" (memory 0))

  ;; Lazy Adam with catch-up over sparse rows (Kingma & Ba 2015; the catch-up of OptimizerConfig.lazyCatchUp).
  ;; For row r of n: table row R = rows[r]; weights at w + R·dim; gradient at g + r·dim; state at
  ;; state + R·(2·dim+1) laid out [m(dim) | v(dim) | last] (last is written by the caller); per-row
  ;; coefficients at coef + 3r: c (the catch-up step size α·Σ, 0 when none), e1 = β1^(k+1), e2 = β2^(k+1).
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
        (br $each_row)))))
