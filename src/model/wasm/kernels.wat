;; Kernels for tfjs-backend-wasm in WebAssembly relaxed SIMD, on its own heap (wasm-module.ts):
;; the matrix product C = A·B (+ bias) and erf.
;;
;; A is M×K row-major (or K×M, read transposed); B is first packed into panels of 8 columns, bp[jb][k][0..8) = B[k][8jb..8jb+8),
;; so the inner loop reads B contiguously. Each step of the inner loop broadcasts one element of
;; each of 4 rows of A and multiplies it into 8 columns: 8 fused multiply-adds per 2 loads of B and
;; 4 of A, with 8 accumulators in registers. N must be a multiple of 8 (wasm-gemm.ts checks).
;;
;; Rebuild src/model/wasm/kernels-bytes.ts with `node scripts/build-wasm.mjs` after editing.
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
      (br $rows1))))

  ;; erf on 4 lanes, from two approximations fitted for the least maximum error:
  ;;   |x| < 1:  erf(x) = x·S(x²), S of degree 6 (relative error 1e-9 before rounding);
  ;;   |x| ≥ 1:  erf(x) = 1 − erfc(x), erfc(x) ≈ P(u)/Q(u), u = min(|x|, 3.92) − 1, both of degree
  ;;             6 (absolute error 4e-9 on [1, 3.92]), and 1 where erf rounds to 1.
  ;; Both are computed and one is kept per lane. In float32, |error| ≤ 1.2e-7 (2 ulps of values
  ;; near 1) over the real line (tests/unit/wasm-erf.test.ts); NaN stays NaN and ±∞ gives ±1.
  (func $erf4 (param $x v128) (result v128)
    (local $ax v128) (local $t v128) (local $u v128) (local $s v128) (local $p v128) (local $q v128)
    (local.set $ax (f32x4.abs (local.get $x)))
    (local.set $t (f32x4.mul (local.get $ax) (local.get $ax)))
    (local.set $s (v128.const f32x4 7.88909092079848e-05 7.88909092079848e-05 7.88909092079848e-05 7.88909092079848e-05))
    (local.set $s (f32x4.relaxed_madd (local.get $s) (local.get $t) (v128.const f32x4 -0.000802083348389715 -0.000802083348389715 -0.000802083348389715 -0.000802083348389715)))
    (local.set $s (f32x4.relaxed_madd (local.get $s) (local.get $t) (v128.const f32x4 0.005189534742385149 0.005189534742385149 0.005189534742385149 0.005189534742385149)))
    (local.set $s (f32x4.relaxed_madd (local.get $s) (local.get $t) (v128.const f32x4 -0.026854444295167923 -0.026854444295167923 -0.026854444295167923 -0.026854444295167923)))
    (local.set $s (f32x4.relaxed_madd (local.get $s) (local.get $t) (v128.const f32x4 0.11283600330352783 0.11283600330352783 0.11283600330352783 0.11283600330352783)))
    (local.set $s (f32x4.relaxed_madd (local.get $s) (local.get $t) (v128.const f32x4 -0.3761262595653534 -0.3761262595653534 -0.3761262595653534 -0.3761262595653534)))
    (local.set $s (f32x4.relaxed_madd (local.get $s) (local.get $t) (v128.const f32x4 1.1283791065216064 1.1283791065216064 1.1283791065216064 1.1283791065216064)))
    (local.set $u (f32x4.sub (f32x4.min (local.get $ax) (v128.const f32x4 3.92 3.92 3.92 3.92)) (v128.const f32x4 1.0 1.0 1.0 1.0)))
    (local.set $p (v128.const f32x4 0.00035735813435167074 0.00035735813435167074 0.00035735813435167074 0.00035735813435167074))
    (local.set $p (f32x4.relaxed_madd (local.get $p) (local.get $u) (v128.const f32x4 -0.0057409051805734634 -0.0057409051805734634 -0.0057409051805734634 -0.0057409051805734634)))
    (local.set $p (f32x4.relaxed_madd (local.get $p) (local.get $u) (v128.const f32x4 0.03882841020822525 0.03882841020822525 0.03882841020822525 0.03882841020822525)))
    (local.set $p (f32x4.relaxed_madd (local.get $p) (local.get $u) (v128.const f32x4 -0.1416877955198288 -0.1416877955198288 -0.1416877955198288 -0.1416877955198288)))
    (local.set $p (f32x4.relaxed_madd (local.get $p) (local.get $u) (v128.const f32x4 0.2945338189601898 0.2945338189601898 0.2945338189601898 0.2945338189601898)))
    (local.set $p (f32x4.relaxed_madd (local.get $p) (local.get $u) (v128.const f32x4 -0.33103519678115845 -0.33103519678115845 -0.33103519678115845 -0.33103519678115845)))
    (local.set $p (f32x4.relaxed_madd (local.get $p) (local.get $u) (v128.const f32x4 0.15729920566082 0.15729920566082 0.15729920566082 0.15729920566082)))
    (local.set $q (v128.const f32x4 0.027029184624552727 0.027029184624552727 0.027029184624552727 0.027029184624552727))
    (local.set $q (f32x4.relaxed_madd (local.get $q) (local.get $u) (v128.const f32x4 0.04362980276346207 0.04362980276346207 0.04362980276346207 0.04362980276346207)))
    (local.set $q (f32x4.relaxed_madd (local.get $q) (local.get $u) (v128.const f32x4 0.16795730590820312 0.16795730590820312 0.16795730590820312 0.16795730590820312)))
    (local.set $q (f32x4.relaxed_madd (local.get $q) (local.get $u) (v128.const f32x4 0.266848623752594 0.266848623752594 0.266848623752594 0.266848623752594)))
    (local.set $q (f32x4.relaxed_madd (local.get $q) (local.get $u) (v128.const f32x4 0.6440357565879822 0.6440357565879822 0.6440357565879822 0.6440357565879822)))
    (local.set $q (f32x4.relaxed_madd (local.get $q) (local.get $u) (v128.const f32x4 0.5344698429107666 0.5344698429107666 0.5344698429107666 0.5344698429107666)))
    (local.set $q (f32x4.relaxed_madd (local.get $q) (local.get $u) (v128.const f32x4 1.0 1.0 1.0 1.0)))
    (v128.or
      (v128.bitselect
        (f32x4.mul (local.get $ax) (local.get $s))
        ;; erf rounds to 1 in float32 from erfc(x) < 2⁻²⁵, x > 3.9192 (the fit's error is not
        ;; below that gap).
        (v128.bitselect
          (v128.const f32x4 1.0 1.0 1.0 1.0)
          (f32x4.sub (v128.const f32x4 1.0 1.0 1.0 1.0) (f32x4.div (local.get $p) (local.get $q)))
          (f32x4.gt (local.get $ax) (v128.const f32x4 3.9192 3.9192 3.9192 3.9192)))
        (f32x4.lt (local.get $ax) (v128.const f32x4 1.0 1.0 1.0 1.0)))
      (v128.and (local.get $x) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))

  ;; out[i] = erf(x[i]) for i < n, n ≥ 4: whole vectors, then the last 4 (overlapping the one
  ;; before when n is not a multiple of 4; x and out do not overlap).
  (func (export "erf") (param $x i32) (param $out i32) (param $n i32)
    (local $i i32) (local $last i32)
    (local.set $last (i32.shl (i32.sub (local.get $n) (i32.const 4)) (i32.const 2)))
    (block $done (loop $vec
      (br_if $done (i32.ge_u (local.get $i) (local.get $last)))
      (v128.store (i32.add (local.get $out) (local.get $i)) (call $erf4 (v128.load (i32.add (local.get $x) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vec)))
    (v128.store (i32.add (local.get $out) (local.get $last)) (call $erf4 (v128.load (i32.add (local.get $x) (local.get $last))))))
)
