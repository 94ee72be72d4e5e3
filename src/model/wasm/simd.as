// SIMD building blocks shared by the kernels (AssemblyScript, see kernels.as): the fused or
// plain multiply-add, the rational tanh and σ, horizontal sums and strided column loads. Pure
// functions of their arguments, all inlined where used; nothing here touches memory it is not given.

// tanh(x) ≈ x·P(x²)/Q(x²), the rational minimax approximation of Eigen's ptanh_float
// (Eigen/src/Core/MathFunctionsImpl.h), clamped to ±7.9053 where float32 tanh rounds to ±1.
// Max absolute error ≈ 2e-7 (measured in test/model/wasmKernels.test.ts); sigmoid(x) =
// ½ + ½·tanh(x/2), so its absolute error is half that.
const TANH_CLAMP: f32 = 7.90531110763549805;
const A1: f32 = 4.89352455891786e-3;
const A3: f32 = 6.37261928875436e-4;
const A5: f32 = 1.48572235717979e-5;
const A7: f32 = 5.12229709037114e-8;
const A9: f32 = -8.60467152213735e-11;
const A11: f32 = 2.00018790482477e-13;
const A13: f32 = -2.76076847742355e-16;
const B0: f32 = 4.89352518554385e-3;
const B2: f32 = 2.268434632439e-3;
const B4: f32 = 1.18534705686654e-4;
const B6: f32 = 1.19825839466702e-6;

// a·b + c: one fused multiply-add in the relaxed-SIMD build (build.mjs compiles both variants and
// the loader takes it where the engine validates it), a multiply and an add otherwise.
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  else return f32x4.add(f32x4.mul(a, b), c);
}

@inline export function tanhv(xIn: v128): v128 {
  // pmin/pmax are single x86 instructions (min/max carry NaN and −0 rules that cost ~8); with
  // the input first, a NaN input still propagates.
  const x = f32x4.pmax(f32x4.pmin(xIn, f32x4.splat(TANH_CLAMP)), f32x4.splat(-TANH_CLAMP));
  const x2 = f32x4.mul(x, x);
  let p = madd(f32x4.splat(A13), x2, f32x4.splat(A11));
  p = madd(p, x2, f32x4.splat(A9));
  p = madd(p, x2, f32x4.splat(A7));
  p = madd(p, x2, f32x4.splat(A5));
  p = madd(p, x2, f32x4.splat(A3));
  p = madd(p, x2, f32x4.splat(A1));
  p = f32x4.mul(p, x);
  let q = madd(f32x4.splat(B6), x2, f32x4.splat(B4));
  q = madd(q, x2, f32x4.splat(B2));
  q = madd(q, x2, f32x4.splat(B0));
  return f32x4.div(p, q);
}

// The same rational tanh as a fraction N/D left undivided, so a caller can combine several
// quotients under one division (divisions are the slowest op of the gates): clamp first, then
// tanhNum(y, y²) = y·P(y²) and tanhDen(y²) = Q(y²), tanh(y) = tanhNum/tanhDen with 0 < Q ≤ 1.
@inline export function tanhClamp(x: v128): v128 {
  return f32x4.pmax(f32x4.pmin(x, f32x4.splat(TANH_CLAMP)), f32x4.splat(-TANH_CLAMP));
}

@inline export function tanhNum(x: v128, x2: v128): v128 {
  let p = madd(f32x4.splat(A13), x2, f32x4.splat(A11));
  p = madd(p, x2, f32x4.splat(A9));
  p = madd(p, x2, f32x4.splat(A7));
  p = madd(p, x2, f32x4.splat(A5));
  p = madd(p, x2, f32x4.splat(A3));
  p = madd(p, x2, f32x4.splat(A1));
  return f32x4.mul(p, x);
}

@inline export function tanhDen(x2: v128): v128 {
  let q = madd(f32x4.splat(B6), x2, f32x4.splat(B4));
  q = madd(q, x2, f32x4.splat(B2));
  return madd(q, x2, f32x4.splat(B0));
}

@inline export function sigmoidv(x: v128): v128 {
  const half = f32x4.splat(0.5);
  return madd(half, tanhv(f32x4.mul(half, x)), half);
}

// The scalar forms compute the same formula lane by lane, so ragged tails (H not a multiple of
// 4) round exactly like the vector body.
@inline export function tanhs(x: f32): f32 {
  return f32x4.extract_lane(tanhv(f32x4.splat(x)), 0);
}

@inline export function sigmoids(x: f32): f32 {
  return f32x4.extract_lane(sigmoidv(f32x4.splat(x)), 0);
}

// [Σ v0, Σ v1, Σ v2, Σ v3]: the four horizontal sums in one vector.
@inline export function hsum4(v0: v128, v1: v128, v2: v128, v3: v128): v128 {
  const s01 = f32x4.add(i32x4.shuffle(v0, v1, 0, 1, 4, 5), i32x4.shuffle(v0, v1, 2, 3, 6, 7));
  const s23 = f32x4.add(i32x4.shuffle(v2, v3, 0, 1, 4, 5), i32x4.shuffle(v2, v3, 2, 3, 6, 7));
  return f32x4.add(i32x4.shuffle(s01, s23, 0, 2, 4, 6), i32x4.shuffle(s01, s23, 1, 3, 5, 7));
}

@inline export function hsum1(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// [w(j,k), w(j+1,k), w(j+2,k), w(j+3,k)] for rows j.. of a row-major (·,K) matrix at wj = &w(j,k).
@inline export function column4(wj: usize, ld: usize): v128 {
  let w = f32x4.splat(load<f32>(wj));
  w = f32x4.replace_lane(w, 1, load<f32>(wj + ld));
  w = f32x4.replace_lane(w, 2, load<f32>(wj + 2 * ld));
  return f32x4.replace_lane(w, 3, load<f32>(wj + 3 * ld));
}
