;; C = A·B (+ bias) in float32 with WebAssembly relaxed SIMD, on tfjs-backend-wasm's own heap.
;;
;; A is M×K row-major (or K×M, read transposed); B is first packed into panels of 8 columns, bp[jb][k][0..8) = B[k][8jb..8jb+8),
;; so the inner loop reads B contiguously. Each step of the inner loop broadcasts one element of
;; each of 4 rows of A and multiplies it into 8 columns: 8 fused multiply-adds per 2 loads of B and
;; 4 of A, with 8 accumulators in registers. N must be a multiple of 8 (wasm-gemm.ts checks).
;;
;; Rebuild src/model/wasm/gemm-bytes.ts with `node scripts/build-wasm.mjs` after editing.
(module
  (import "env" "memory" (memory 1))

  ;; C[r, j0..j0+8) for r < 4 rows, accumulated over k in fused multiply-adds. Row r of A starts
  ;; $rs bytes after row r − 1 and steps $kstep bytes per k (4 and M·4 for a transposed A); the
  ;; panel of B is $panel bytes, 32 per k.
  (func $tile4 (param $a i32) (param $bp i32) (param $bias i32) (param $c i32) (param $rs i32) (param $kstep i32) (param $panel i32) (param $ns i32)
    (local $end i32) (local $b0 v128) (local $b1 v128) (local $x v128) (local $init0 v128) (local $init1 v128) (local $p0 i32) (local $c00 v128) (local $c01 v128) (local $p1 i32) (local $c10 v128) (local $c11 v128) (local $p2 i32) (local $c20 v128) (local $c21 v128) (local $p3 i32) (local $c30 v128) (local $c31 v128)
    ;; The bias (or zero) starts every row's accumulators.
    (if (local.get $bias) (then
      (local.set $init0 (v128.load (local.get $bias)))
      (local.set $init1 (v128.load offset=16 (local.get $bias)))))
    (local.set $c00 (local.get $init0)) (local.set $c01 (local.get $init1))
    (local.set $c10 (local.get $init0)) (local.set $c11 (local.get $init1))
    (local.set $c20 (local.get $init0)) (local.set $c21 (local.get $init1))
    (local.set $c30 (local.get $init0)) (local.set $c31 (local.get $init1))
    (local.set $p0 (local.get $a))
    (local.set $p1 (i32.add (local.get $p0) (local.get $rs)))
    (local.set $p2 (i32.add (local.get $p1) (local.get $rs)))
    (local.set $p3 (i32.add (local.get $p2) (local.get $rs)))
    (local.set $end (i32.add (local.get $bp) (local.get $panel)))
    (loop $k
      (local.set $b0 (v128.load (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))
      (local.set $x (v128.load32_splat (local.get $p0)))
      (local.set $c00 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c00)))
      (local.set $c01 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c01)))
      (local.set $p0 (i32.add (local.get $p0) (local.get $kstep)))
      (local.set $x (v128.load32_splat (local.get $p1)))
      (local.set $c10 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c10)))
      (local.set $c11 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c11)))
      (local.set $p1 (i32.add (local.get $p1) (local.get $kstep)))
      (local.set $x (v128.load32_splat (local.get $p2)))
      (local.set $c20 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c20)))
      (local.set $c21 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c21)))
      (local.set $p2 (i32.add (local.get $p2) (local.get $kstep)))
      (local.set $x (v128.load32_splat (local.get $p3)))
      (local.set $c30 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c30)))
      (local.set $c31 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c31)))
      (local.set $p3 (i32.add (local.get $p3) (local.get $kstep)))
      (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
      (br_if $k (i32.lt_u (local.get $bp) (local.get $end))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $ns)))
    (v128.store (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $ns)))
    (v128.store (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $ns)))
    (v128.store (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31))
  )

  ;; The same for a single row.
  (func $tile1 (param $a i32) (param $bp i32) (param $bias i32) (param $c i32) (param $rs i32) (param $kstep i32) (param $panel i32) (param $ns i32)
    (local $end i32) (local $b0 v128) (local $b1 v128) (local $x v128) (local $init0 v128) (local $init1 v128) (local $p0 i32) (local $c00 v128) (local $c01 v128)
    ;; The bias (or zero) starts every row's accumulators.
    (if (local.get $bias) (then
      (local.set $init0 (v128.load (local.get $bias)))
      (local.set $init1 (v128.load offset=16 (local.get $bias)))))
    (local.set $c00 (local.get $init0)) (local.set $c01 (local.get $init1))
    (local.set $p0 (local.get $a))
    (local.set $end (i32.add (local.get $bp) (local.get $panel)))
    (loop $k
      (local.set $b0 (v128.load (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))
      (local.set $x (v128.load32_splat (local.get $p0)))
      (local.set $c00 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c00)))
      (local.set $c01 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c01)))
      (local.set $p0 (i32.add (local.get $p0) (local.get $kstep)))
      (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
      (br_if $k (i32.lt_u (local.get $bp) (local.get $end))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
  )

  ;; bp[jb][k][c] = B[k][8jb + c], or with $trans set (B given as N×K), Bᵀ[k][8jb + c] = B[8jb + c][k].
  (func (export "pack") (param $b i32) (param $bp i32) (param $K i32) (param $N i32) (param $trans i32)
    (local $k i32) (local $j i32) (local $src i32)
    (if (i32.eqz (local.get $trans))
      (then
        ;; Each row k of B gives N/8 panel rows of 32 bytes, one per panel.
        (block $done (loop $rows
          (br_if $done (i32.ge_u (local.get $k) (local.get $K)))
          (local.set $j (i32.const 0))
          (loop $cols
            (local.set $src (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $N)) (local.get $j)) (i32.const 2))))
            (v128.store
              (i32.add (local.get $bp) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $K)) (i32.shl (local.get $k) (i32.const 3))) (i32.const 2)))
              (v128.load (local.get $src)))
            (v128.store offset=16
              (i32.add (local.get $bp) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $K)) (i32.shl (local.get $k) (i32.const 3))) (i32.const 2)))
              (v128.load offset=16 (local.get $src)))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br_if $cols (i32.lt_u (local.get $j) (local.get $N))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $rows))))
      (else
        ;; Row j of the given N×K matrix is column j of B: scattered with a stride of 8 floats.
        (block $done (loop $rows
          (br_if $done (i32.ge_u (local.get $j) (local.get $N)))
          (local.set $k (i32.const 0))
          (loop $cols
            (f32.store
              (i32.add (local.get $bp) (i32.shl
                (i32.add (i32.mul (i32.and (local.get $j) (i32.const -8)) (local.get $K))
                  (i32.add (i32.shl (local.get $k) (i32.const 3)) (i32.and (local.get $j) (i32.const 7))))
                (i32.const 2)))
              (f32.load (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $K)) (local.get $k)) (i32.const 2)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br_if $cols (i32.lt_u (local.get $k) (local.get $K))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $rows))))))

  ;; C = A·B + bias for packed B, or Aᵀ·B + bias with $transA set (A given as K×M); $bias = 0 for
  ;; none (the heap's address 0 is never a tensor).
  (func (export "gemm") (param $a i32) (param $bp i32) (param $bias i32) (param $c i32) (param $M i32) (param $K i32) (param $N i32) (param $transA i32)
    (local $i i32) (local $jb i32) (local $rs i32) (local $kstep i32) (local $ns i32) (local $nb i32) (local $panel i32)
    (local.set $rs (select (i32.const 4) (i32.shl (local.get $K) (i32.const 2)) (local.get $transA)))
    (local.set $kstep (select (i32.shl (local.get $M) (i32.const 2)) (i32.const 4) (local.get $transA)))
    (local.set $ns (i32.shl (local.get $N) (i32.const 2)))
    (local.set $nb (i32.shr_u (local.get $N) (i32.const 3)))
    (local.set $panel (i32.shl (local.get $K) (i32.const 5)))
    (block $done4 (loop $rows4
      (br_if $done4 (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $M)))
      (local.set $jb (i32.const 0))
      (loop $cols4
        (call $tile4
          (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rs)))
          (i32.add (local.get $bp) (i32.mul (local.get $jb) (local.get $panel)))
          (select (i32.add (local.get $bias) (i32.shl (local.get $jb) (i32.const 5))) (i32.const 0) (local.get $bias))
          (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ns)) (i32.shl (local.get $jb) (i32.const 5))))
          (local.get $rs) (local.get $kstep) (local.get $panel) (local.get $ns))
        (local.set $jb (i32.add (local.get $jb) (i32.const 1)))
        (br_if $cols4 (i32.lt_u (local.get $jb) (local.get $nb))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rows4)))
    (block $done1 (loop $rows1
      (br_if $done1 (i32.gt_u (i32.add (local.get $i) (i32.const 1)) (local.get $M)))
      (local.set $jb (i32.const 0))
      (loop $cols1
        (call $tile1
          (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rs)))
          (i32.add (local.get $bp) (i32.mul (local.get $jb) (local.get $panel)))
          (select (i32.add (local.get $bias) (i32.shl (local.get $jb) (i32.const 5))) (i32.const 0) (local.get $bias))
          (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ns)) (i32.shl (local.get $jb) (i32.const 5))))
          (local.get $rs) (local.get $kstep) (local.get $panel) (local.get $ns))
        (local.set $jb (i32.add (local.get $jb) (i32.const 1)))
        (br_if $cols1 (i32.lt_u (local.get $jb) (local.get $nb))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows1)))))
