;; The compute pool's WebAssembly SIMD kernels. Every thread of the pool (the main thread and each worker)
;; instantiates this module over ONE shared memory (imported as env.memory, `shared`), so a kernel call on a
;; range of rows reads operands the main thread copied in once and writes its rows of a common output. Every
;; pointer is a byte offset into that memory; a caller gives each thread a disjoint row range [row0, row1).
;; Row results never depend on the range split: a row is computed by one thread, in one fixed order.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Rows [row0, row1) of out = A·X: A in CSR (offsets: i32 × (rows + 1), indices: i32 column per entry,
  ;; values: f32 per entry), X row-major with `dim` floats per row, out row-major (overwritten).
  ;; Arithmetic is that of the JavaScript loop over Float32Arrays it replaces (models-gnn's csrMultiplyInto):
  ;; for each entry in index order, out ← f32(f64(out) + f64(w)·f64(x)) — the product of two float32 is exact
  ;; in float64, the sum is rounded to float64 and stored rounded to float32 — so results are bit-identical to
  ;; it. Two float64 lanes per instruction instead of four float32 lanes: the price of that identity.
  (func (export "csr_rows")
    (param $offsets i32) (param $indices i32) (param $values i32) (param $x i32) (param $out i32)
    (param $dim i32) (param $row0 i32) (param $row1 i32)
    (local $r i32) (local $e i32) (local $end i32) (local $o i32) (local $src i32) (local $k i32)
    (local $dim4 i32) (local $rowBytes i32) (local $wd f64) (local $w2 v128) (local $xv v128) (local $ov v128)
    (local $lo v128) (local $hi v128)
    (local.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $dim4 (i32.and (local.get $dim) (i32.const -4)))
    (local.set $r (local.get $row0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $row1)))
        (local.set $o (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $rowBytes))))
        (memory.fill (local.get $o) (i32.const 0) (local.get $rowBytes))
        (local.set $e (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $end
          (i32.load (i32.add (local.get $offsets) (i32.shl (i32.add (local.get $r) (i32.const 1)) (i32.const 2)))))
        (block $edges_done
          (loop $edges
            (br_if $edges_done (i32.ge_u (local.get $e) (local.get $end)))
            (local.set $src
              (i32.add (local.get $x)
                (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $e) (i32.const 2))))
                  (local.get $rowBytes))))
            (local.set $wd
              (f64.promote_f32 (f32.load (i32.add (local.get $values) (i32.shl (local.get $e) (i32.const 2))))))
            (local.set $w2 (f64x2.splat (local.get $wd)))
            (local.set $k (i32.const 0))
            (block $v_done
              (loop $v
                (br_if $v_done (i32.ge_u (local.get $k) (local.get $dim4)))
                (local.set $xv (v128.load (i32.add (local.get $src) (i32.shl (local.get $k) (i32.const 2)))))
                (local.set $ov (v128.load (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2)))))
                (local.set $lo
                  (f64x2.add (f64x2.promote_low_f32x4 (local.get $ov))
                    (f64x2.mul (local.get $w2) (f64x2.promote_low_f32x4 (local.get $xv)))))
                (local.set $hi
                  (f64x2.add
                    (f64x2.promote_low_f32x4
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $ov) (local.get $ov)))
                    (f64x2.mul (local.get $w2)
                      (f64x2.promote_low_f32x4
                        (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $xv) (local.get $xv))))))
                (v128.store (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2)))
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                    (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi))))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $v)))
            (block $s_done
              (loop $s
                (br_if $s_done (i32.ge_u (local.get $k) (local.get $dim)))
                (f32.store (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2)))
                  (f32.demote_f64
                    (f64.add (f64.promote_f32 (f32.load (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2)))))
                      (f64.mul (local.get $wd)
                        (f64.promote_f32 (f32.load (i32.add (local.get $src) (i32.shl (local.get $k) (i32.const 2)))))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $s)))
            (local.set $e (i32.add (local.get $e) (i32.const 1)))
            (br $edges)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))
)
