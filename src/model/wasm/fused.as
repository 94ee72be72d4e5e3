// Fused LSTM kernels for kernels.as (AssemblyScript): a layer's whole forward recurrence, the whole
// backward recurrence, and one live step, each a single call from JavaScript so per-call overhead
// stops dominating small batches. Built from products.as and cells.as.
import { gemmBroadcast, gemmNT, transpose } from './products';
import { lstmBackward, lstmForward, lstmForwardInfer } from './cells';
import { column4, hsum4, madd } from './simd';

// ---------------------------------------------------------------- fused LSTM (one call per layer)
/**
 * The LSTM recurrence over T steps in one call: for t in 0..T−1, gates[t] += hs[t]·Whhᵀ, then the
 * pointwise step from cs[t] into cs[t+1], tanhC[t], hs[t+1]. gates (T,B,4H) hold x·Wihᵀ + biases on
 * entry; hs, cs (T+1,B,H) with slot 0 the initial state; tanhC (T,B,H); whh (4H,H) and whhT (H,4H),
 * the same weights transposed (by the caller, who reuses it for the backward): up to H =
 * RECURRENCE_BROADCAST_MAX_H, from TRANSPOSE_MIN_ROW_STEPS rows × steps, the products run in
 * broadcast form on whhT. hZero ≠ 0: h starts at zero, so step 0 skips its product.
 */
export function lstmRecurrence(
  gates: usize, hs: usize, cs: usize, tanhC: usize, whh: usize, whhT: usize, B: i32, T: i32, H: i32, hZero: i32,
): void {
  const bh = (<usize>B * <usize>H) << 2;
  const bg = <usize>4 * bh;
  const G = 4 * H;
  const broadcast = H <= RECURRENCE_BROADCAST_MAX_H && <i64>B * <i64>T >= TRANSPOSE_MIN_ROW_STEPS;
  for (let t = 0; t < T; t++) {
    const g = gates + <usize>t * bg;
    const s = <usize>t * bh;
    if (t > 0 || hZero == 0) {
      if (broadcast) gemmBroadcast(g, hs + s, whhT, B, H, G, H, 1);
      else gemmNT(g, hs + s, whh, B, H, G);
    }
    lstmForward(g, cs + s, cs + s + bh, tanhC + s, hs + s + bh, B, H);
  }
}

/**
 * Up to this H the forward recurrence's product h·Whhᵀ runs in broadcast form on a transposed copy:
 * at B = 64, H = 64 ~8 % faster than dot products (34.5 against 37.5 µs); at H = 128 dot products
 * win (69 against 73 µs at B = 32), as they do for the backward's K = 4H.
 */
export const RECURRENCE_BROADCAST_MAX_H = 64;

/**
 * The live step's gate row in one pass: o(N) = bih + bhh + x(X)·Wihᵀ + h(H)·Whhᵀ with Wih (N,X),
 * Whh (N,H). Eight outputs per block keep eight add chains busy; both products share them.
 */
function gatesRow(o: usize, x: usize, wih: usize, X: i32, h: usize, whh: usize, H: i32, bih: usize, bhh: usize, N: i32, hK: i32 = -1): void {
  const X4 = X & ~3;
  const ldx = <usize>X << 2;
  const ldh = <usize>H << 2;
  // hK = 0: h is known to be zero (the first step from a zero state), so its product is skipped.
  if (hK >= 0) H = hK;
  const H4 = H & ~3;
  let j = 0;
  for (; j + 8 <= N; j += 8) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
    const wh = whh + <usize>j * ldh;
    for (let k = 0; k < H4; k += 4) {
      const kb = <usize>k << 2;
      const v = v128.load(h + kb);
      let p = wh + kb;
      c0 = madd(v, v128.load(p), c0);
      p += ldh;
      c1 = madd(v, v128.load(p), c1);
      p += ldh;
      c2 = madd(v, v128.load(p), c2);
      p += ldh;
      c3 = madd(v, v128.load(p), c3);
      p += ldh;
      c4 = madd(v, v128.load(p), c4);
      p += ldh;
      c5 = madd(v, v128.load(p), c5);
      p += ldh;
      c6 = madd(v, v128.load(p), c6);
      p += ldh;
      c7 = madd(v, v128.load(p), c7);
    }
    const wx = wih + <usize>j * ldx;
    for (let k = 0; k < X4; k += 4) {
      const kb = <usize>k << 2;
      const v = v128.load(x + kb);
      let p = wx + kb;
      c0 = madd(v, v128.load(p), c0);
      p += ldx;
      c1 = madd(v, v128.load(p), c1);
      p += ldx;
      c2 = madd(v, v128.load(p), c2);
      p += ldx;
      c3 = madd(v, v128.load(p), c3);
      p += ldx;
      c4 = madd(v, v128.load(p), c4);
      p += ldx;
      c5 = madd(v, v128.load(p), c5);
      p += ldx;
      c6 = madd(v, v128.load(p), c6);
      p += ldx;
      c7 = madd(v, v128.load(p), c7);
    }
    const jb = <usize>j << 2;
    let r0 = f32x4.add(hsum4(c0, c1, c2, c3), f32x4.add(v128.load(bih + jb), v128.load(bhh + jb)));
    let r1 = f32x4.add(hsum4(c4, c5, c6, c7), f32x4.add(v128.load(bih + jb, 16), v128.load(bhh + jb, 16)));
    for (let k = H4; k < H; k++) {
      const v = v128.load32_splat(h + (<usize>k << 2));
      const p = wh + (<usize>k << 2);
      r0 = madd(v, column4(p, ldh), r0);
      r1 = madd(v, column4(p + 4 * ldh, ldh), r1);
    }
    for (let k = X4; k < X; k++) {
      const v = v128.load32_splat(x + (<usize>k << 2));
      const p = wx + (<usize>k << 2);
      r0 = madd(v, column4(p, ldx), r0);
      r1 = madd(v, column4(p + 4 * ldx, ldx), r1);
    }
    v128.store(o + jb, r0);
    v128.store(o + jb, r1, 16);
  }
  for (; j < N; j++) {
    const jb = <usize>j << 2;
    let s = load<f32>(bih + jb) + load<f32>(bhh + jb);
    for (let k = 0; k < H; k++) s += load<f32>(h + (<usize>k << 2)) * load<f32>(whh + <usize>j * ldh + (<usize>k << 2));
    for (let k = 0; k < X; k++) s += load<f32>(x + (<usize>k << 2)) * load<f32>(wih + <usize>j * ldx + (<usize>k << 2));
    store<f32>(o + jb, s);
  }
}

/**
 * The LSTM backward recurrence in one call, t = T−1 … 0: dh = dOut[t] + dhRec (its L2 norm into
 * norms[t], f64, when norms ≠ 0); lstmBackward into dGates[t] with dcRec carried; dhRec = dGates[t]·Whh
 * through whhT (H,4H), except after step 0 when needDh0 = 0 (nobody asked for ∂L/∂h0: dhRec is left
 * zero). With tbpttK > 0 the carried dhRec, dcRec are cut where a chunk of k steps starts.
 * dGates, gates (T,B,4H); dOut (T,B,H); cs (T+1,B,H); tanhC (T,B,H); dhRec, dcRec, dh (B,H).
 */
export function lstmBackwardRecurrence(
  dGates: usize, dOut: usize, dhRec: usize, dcRec: usize, dh: usize, gates: usize, cs: usize, tanhC: usize,
  whhT: usize, norms: usize, B: i32, T: i32, H: i32, tbpttK: i32, needDh0: i32,
): void {
  const n = B * H;
  const n4 = n & ~3;
  const bh = <usize>n << 2;
  const bg = <usize>4 * bh;
  for (let t = T - 1; t >= 0; t--) {
    if (tbpttK > 0 && (t + 1) % tbpttK == 0 && t + 1 < T) {
      memory.fill(dhRec, 0, bh);
      memory.fill(dcRec, 0, bh);
    }
    const d = dOut + <usize>t * bh;
    let ss0 = f64x2.splat(0), ss1 = f64x2.splat(0);
    let i = 0;
    for (; i < n4; i += 4) {
      const ib = <usize>i << 2;
      const v = f32x4.add(v128.load(d + ib), v128.load(dhRec + ib));
      v128.store(dh + ib, v);
      const sq = f32x4.mul(v, v);
      ss0 = f64x2.add(ss0, f64x2.promote_low_f32x4(sq));
      ss1 = f64x2.add(ss1, f64x2.promote_low_f32x4(i32x4.shuffle(sq, sq, 2, 3, 0, 1)));
    }
    let ss = f64x2.extract_lane(ss0, 0) + f64x2.extract_lane(ss0, 1) + f64x2.extract_lane(ss1, 0) + f64x2.extract_lane(ss1, 1);
    for (; i < n; i++) {
      const ib = <usize>i << 2;
      const v = load<f32>(d + ib) + load<f32>(dhRec + ib);
      store<f32>(dh + ib, v);
      ss += <f64>v * <f64>v;
    }
    if (norms != 0) store<f64>(norms + (<usize>t << 3), Math.sqrt(ss));
    const go = <usize>t * bg;
    lstmBackward(dGates + go, dcRec, dh, gates + go, cs + <usize>t * bh, tanhC + <usize>t * bh, B, H);
    memory.fill(dhRec, 0, bh);
    if (t > 0 || needDh0 != 0) gemmNT(dhRec, dGates + go, whhT, B, 4 * H, H);
  }
}

/**
 * Two gate rows in one pass (the 2×4 tile of gemmNT, both products sharing its accumulators):
 * o(2,N) = bih + bhh + [x0;x1](2,X)·Wihᵀ + [h0;h1](2,hK)·Whh[:, :hK]ᵀ with Wih (N,X), Whh (N,H).
 * N is a multiple of 4 (N = 4H). hK = 0 skips the recurrent product (h known zero).
 */
function gatesRows2(
  o: usize, x0: usize, x1: usize, wih: usize, X: i32, h0: usize, h1: usize, whh: usize, H: i32, hK: i32,
  bih: usize, bhh: usize, N: i32,
): void {
  const X4 = X & ~3;
  const K4 = hK & ~3;
  const ldx = <usize>X << 2;
  const ldh = <usize>H << 2;
  const o1 = o + (<usize>N << 2);
  for (let j = 0; j < N; j += 4) {
    const b0 = whh + <usize>j * ldh;
    const b1 = b0 + ldh;
    const b2 = b1 + ldh;
    const b3 = b2 + ldh;
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
    let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
    for (let k = 0; k < K4; k += 4) {
      const kb = <usize>k << 2;
      const v0 = v128.load(h0 + kb);
      const v1 = v128.load(h1 + kb);
      let w = v128.load(b0 + kb);
      c00 = madd(v0, w, c00);
      c10 = madd(v1, w, c10);
      w = v128.load(b1 + kb);
      c01 = madd(v0, w, c01);
      c11 = madd(v1, w, c11);
      w = v128.load(b2 + kb);
      c02 = madd(v0, w, c02);
      c12 = madd(v1, w, c12);
      w = v128.load(b3 + kb);
      c03 = madd(v0, w, c03);
      c13 = madd(v1, w, c13);
    }
    const a0 = wih + <usize>j * ldx;
    const a1 = a0 + ldx;
    const a2 = a1 + ldx;
    const a3 = a2 + ldx;
    for (let k = 0; k < X4; k += 4) {
      const kb = <usize>k << 2;
      const v0 = v128.load(x0 + kb);
      const v1 = v128.load(x1 + kb);
      let w = v128.load(a0 + kb);
      c00 = madd(v0, w, c00);
      c10 = madd(v1, w, c10);
      w = v128.load(a1 + kb);
      c01 = madd(v0, w, c01);
      c11 = madd(v1, w, c11);
      w = v128.load(a2 + kb);
      c02 = madd(v0, w, c02);
      c12 = madd(v1, w, c12);
      w = v128.load(a3 + kb);
      c03 = madd(v0, w, c03);
      c13 = madd(v1, w, c13);
    }
    const jb = <usize>j << 2;
    const bias = f32x4.add(v128.load(bih + jb), v128.load(bhh + jb));
    let r0 = f32x4.add(hsum4(c00, c01, c02, c03), bias);
    let r1 = f32x4.add(hsum4(c10, c11, c12, c13), bias);
    for (let k = K4; k < hK; k++) {
      const kb = <usize>k << 2;
      const w = column4(b0 + kb, ldh);
      r0 = madd(v128.load32_splat(h0 + kb), w, r0);
      r1 = madd(v128.load32_splat(h1 + kb), w, r1);
    }
    for (let k = X4; k < X; k++) {
      const kb = <usize>k << 2;
      const w = column4(a0 + kb, ldx);
      r0 = madd(v128.load32_splat(x0 + kb), w, r0);
      r1 = madd(v128.load32_splat(x1 + kb), w, r1);
    }
    v128.store(o + jb, r0);
    v128.store(o1 + jb, r1);
  }
}

/**
 * Inference through one LSTM layer over T steps, keeping only the state: for t in 0..T−1 and each
 * pair of rows, gates = bih + bhh + x[t]·Wihᵀ + h·Whhᵀ computed into a small scratch block (2,4H)
 * and the pointwise step applied at once, so h (B,H) and c (B,H) are updated in place and no
 * (T,B,4H) gate cache is written or read. x (T,B,X) time-major; hsOut (T,B,H) receives every step's
 * h when ≠ 0 (the input of the next layer). hZero ≠ 0: h starts at zero, so step 0 skips Whh.
 * scratch: inferenceScratch(H, X) floats: the gate block (2,4H); then, used when B·T ≥
 * TRANSPOSE_MIN_ROW_STEPS, bih + bhh (4H), the single row's [h; x] (H + X, rounded up to 4) and the
 * transposed weights [WhhT; WihT] (H + X, 4H). prepared ≠ 0: those weights and bih + bhh laid out
 * so already, [WhhT; WihT; bih + bhh] (H + X + 1, 4H), by a bound live step (wasmKernels.ts
 * bindLstmStep, laid out by stepper.ts).
 */
export function lstmInference(
  x: usize, X: i32, h: usize, c: usize, hsOut: usize, scratch: usize,
  wih: usize, bih: usize, bhh: usize, whh: usize, B: i32, T: i32, H: i32, hZero: i32, prepared: usize,
): void {
  const G = 4 * H;
  const hb = <usize>H << 2;
  const xb = <usize>X << 2;
  const bh = <usize>B * hb;
  // Enough rows × steps: the products in broadcast form (no horizontal sums; ~9% faster at K = 64
  // for row pairs, ~30% for a single row) on transposed copies WhhT (H,4H) and WihT (X,4H) made once
  // per call.
  let biasSum = scratch + (<usize>(2 * G) << 2);
  const hx = biasSum + (<usize>G << 2);
  let wT: usize = 0;
  if (prepared != 0) {
    // Laid out by the caller once for many calls (stepper.ts): [WhhT; WihT; bih + bhh].
    wT = prepared;
    biasSum = prepared + (<usize>((H + X) * G) << 2);
  } else if (<i64>B * <i64>T >= TRANSPOSE_MIN_ROW_STEPS) {
    wT = hx + (<usize>((H + X + 3) & ~3) << 2);
    transpose(wT, whh, G, H, 0);
    transpose(wT + (<usize>(H * G) << 2), wih, G, X, 0);
    for (let j = 0; j < G; j += 4) {
      const jb = <usize>j << 2;
      v128.store(biasSum + jb, f32x4.add(v128.load(bih + jb), v128.load(bhh + jb)));
    }
  }
  for (let t = 0; t < T; t++) {
    const hK = t == 0 && hZero != 0 ? 0 : H;
    const xt = x + <usize>t * <usize>B * xb;
    let r = 0;
    for (; r + 2 <= B; r += 2) {
      const hr = h + <usize>r * hb;
      const cr = c + <usize>r * hb;
      const xr = xt + <usize>r * xb;
      if (wT != 0) gatesRows2T(scratch, xr, xr + xb, wT + (<usize>(H * G) << 2), X, hr, hr + hb, wT, hK, bih, bhh, G);
      else gatesRows2(scratch, xr, xr + xb, wih, X, hr, hr + hb, whh, H, hK, bih, bhh, G);
      lstmForwardInfer(scratch, cr, hr, 2, H);
    }
    if (r < B) {
      const hr = h + <usize>r * hb;
      const cr = c + <usize>r * hb;
      const xr = xt + <usize>r * xb;
      if (wT != 0) {
        memory.copy(hx, hr, hb);
        memory.copy(hx + hb, xr, xb);
        gatesRow1T(scratch, hx, wT, hK == 0 ? H : 0, H + X, biasSum, G);
      } else gatesRow(scratch, xr, wih, X, hr, whh, H, bih, bhh, G, hK);
      lstmForwardInfer(scratch, cr, hr, 1, H);
    }
    if (hsOut != 0) memory.copy(hsOut + <usize>t * bh, h, bh);
  }
}

/**
 * Rows × steps from which lstmInference transposes the weights once per call and runs the
 * broadcast-form products: the transpose (one pass over 4H·(H + X) floats) costs about what eight
 * single-row steps gain (one row, H = 64: ~0.6 against ~0.85 µs per step).
 */
export const TRANSPOSE_MIN_ROW_STEPS = 16;

/** Floats of scratch lstmInference needs (see there). */
export function inferenceScratch(H: i32, X: i32): i32 {
  return 3 * 4 * H + ((H + X + 3) & ~3) + 4 * H * (H + X);
}

/**
 * One gate row in broadcast form on transposed weights: o(N) = bias(N) + v(k0:K)·W(k0:K, ·) with W
 * (K,N) row-major, here [WhhT; WihT] stacked and v = [h; x] (k0 = H skips a zero h). A 1×48 tile
 * (12 accumulators started at the bias) keeps twelve add chains in flight with every load at a
 * constant offset; then 1×16 and 1×4 for the rest of N. One loop over K, not one per operand: with
 * two, V8 keeps the accumulators across both and the row ran at half the speed.
 */
function gatesRow1T(o: usize, v: usize, w: usize, k0: i32, K: i32, bias: usize, N: i32): void {
  const ldn = <usize>N << 2;
  const v0 = v + (<usize>k0 << 2);
  const w0 = w + <usize>k0 * ldn;
  let j = 0;
  for (; j + 48 <= N; j += 48) {
    const jb = <usize>j << 2;
    const b = bias + jb;
    let c0 = v128.load(b, 0), c1 = v128.load(b, 16), c2 = v128.load(b, 32), c3 = v128.load(b, 48);
    let c4 = v128.load(b, 64), c5 = v128.load(b, 80), c6 = v128.load(b, 96), c7 = v128.load(b, 112);
    let c8 = v128.load(b, 128), c9 = v128.load(b, 144), c10 = v128.load(b, 160), c11 = v128.load(b, 176);
    let pb = w0 + jb;
    for (let k = k0; k < K; k++) {
      const s = v128.load32_splat(v0 + (<usize>(k - k0) << 2));
      c0 = madd(s, v128.load(pb, 0), c0);
      c1 = madd(s, v128.load(pb, 16), c1);
      c2 = madd(s, v128.load(pb, 32), c2);
      c3 = madd(s, v128.load(pb, 48), c3);
      c4 = madd(s, v128.load(pb, 64), c4);
      c5 = madd(s, v128.load(pb, 80), c5);
      c6 = madd(s, v128.load(pb, 96), c6);
      c7 = madd(s, v128.load(pb, 112), c7);
      c8 = madd(s, v128.load(pb, 128), c8);
      c9 = madd(s, v128.load(pb, 144), c9);
      c10 = madd(s, v128.load(pb, 160), c10);
      c11 = madd(s, v128.load(pb, 176), c11);
      pb += ldn;
    }
    const p = o + jb;
    v128.store(p, c0, 0);
    v128.store(p, c1, 16);
    v128.store(p, c2, 32);
    v128.store(p, c3, 48);
    v128.store(p, c4, 64);
    v128.store(p, c5, 80);
    v128.store(p, c6, 96);
    v128.store(p, c7, 112);
    v128.store(p, c8, 128);
    v128.store(p, c9, 144);
    v128.store(p, c10, 160);
    v128.store(p, c11, 176);
  }
  for (; j + 16 <= N; j += 16) {
    const jb = <usize>j << 2;
    const b = bias + jb;
    let c0 = v128.load(b, 0), c1 = v128.load(b, 16), c2 = v128.load(b, 32), c3 = v128.load(b, 48);
    let pb = w0 + jb;
    for (let k = k0; k < K; k++) {
      const s = v128.load32_splat(v0 + (<usize>(k - k0) << 2));
      c0 = madd(s, v128.load(pb, 0), c0);
      c1 = madd(s, v128.load(pb, 16), c1);
      c2 = madd(s, v128.load(pb, 32), c2);
      c3 = madd(s, v128.load(pb, 48), c3);
      pb += ldn;
    }
    const p = o + jb;
    v128.store(p, c0, 0);
    v128.store(p, c1, 16);
    v128.store(p, c2, 32);
    v128.store(p, c3, 48);
  }
  for (; j < N; j += 4) {
    const jb = <usize>j << 2;
    let c0 = v128.load(bias + jb);
    let pb = w0 + jb;
    for (let k = k0; k < K; k++) {
      c0 = madd(v128.load32_splat(v0 + (<usize>(k - k0) << 2)), v128.load(pb), c0);
      pb += ldn;
    }
    v128.store(o + jb, c0);
  }
}

/**
 * gatesRows2 in broadcast form on transposed weights: o(2,N) = bias + x·WihT + h(:hK)·WhhT with
 * WhhT (H,N), WihT (X,N) row-major. Tile 2 rows × 16 columns (8 accumulators started at the bias).
 */
function gatesRows2T(
  o: usize, x0: usize, x1: usize, wihT: usize, X: i32, h0: usize, h1: usize, whhT: usize, hK: i32,
  bih: usize, bhh: usize, N: i32,
): void {
  const ldn = <usize>N << 2;
  const o1 = o + ldn;
  let j = 0;
  for (; j + 16 <= N; j += 16) {
    const jb = <usize>j << 2;
    const bi = bih + jb;
    const bb = bhh + jb;
    let c00 = f32x4.add(v128.load(bi, 0), v128.load(bb, 0));
    let c01 = f32x4.add(v128.load(bi, 16), v128.load(bb, 16));
    let c02 = f32x4.add(v128.load(bi, 32), v128.load(bb, 32));
    let c03 = f32x4.add(v128.load(bi, 48), v128.load(bb, 48));
    let c10 = c00, c11 = c01, c12 = c02, c13 = c03;
    let pb = whhT + jb;
    for (let k = 0; k < hK; k++) {
      const kb = <usize>k << 2;
      const v0 = v128.load32_splat(h0 + kb);
      const v1 = v128.load32_splat(h1 + kb);
      const b0 = v128.load(pb, 0);
      const b1 = v128.load(pb, 16);
      const b2 = v128.load(pb, 32);
      const b3 = v128.load(pb, 48);
      c00 = madd(v0, b0, c00);
      c01 = madd(v0, b1, c01);
      c02 = madd(v0, b2, c02);
      c03 = madd(v0, b3, c03);
      c10 = madd(v1, b0, c10);
      c11 = madd(v1, b1, c11);
      c12 = madd(v1, b2, c12);
      c13 = madd(v1, b3, c13);
      pb += ldn;
    }
    pb = wihT + jb;
    for (let k = 0; k < X; k++) {
      const kb = <usize>k << 2;
      const v0 = v128.load32_splat(x0 + kb);
      const v1 = v128.load32_splat(x1 + kb);
      const b0 = v128.load(pb, 0);
      const b1 = v128.load(pb, 16);
      const b2 = v128.load(pb, 32);
      const b3 = v128.load(pb, 48);
      c00 = madd(v0, b0, c00);
      c01 = madd(v0, b1, c01);
      c02 = madd(v0, b2, c02);
      c03 = madd(v0, b3, c03);
      c10 = madd(v1, b0, c10);
      c11 = madd(v1, b1, c11);
      c12 = madd(v1, b2, c12);
      c13 = madd(v1, b3, c13);
      pb += ldn;
    }
    const p0 = o + jb;
    const p1 = o1 + jb;
    v128.store(p0, c00, 0);
    v128.store(p0, c01, 16);
    v128.store(p0, c02, 32);
    v128.store(p0, c03, 48);
    v128.store(p1, c10, 0);
    v128.store(p1, c11, 16);
    v128.store(p1, c12, 32);
    v128.store(p1, c13, 48);
  }
  for (; j < N; j += 4) {
    const jb = <usize>j << 2;
    let c0 = f32x4.add(v128.load(bih + jb), v128.load(bhh + jb));
    let c1 = c0;
    let pb = whhT + jb;
    for (let k = 0; k < hK; k++) {
      const kb = <usize>k << 2;
      const w = v128.load(pb);
      c0 = madd(v128.load32_splat(h0 + kb), w, c0);
      c1 = madd(v128.load32_splat(h1 + kb), w, c1);
      pb += ldn;
    }
    pb = wihT + jb;
    for (let k = 0; k < X; k++) {
      const kb = <usize>k << 2;
      const w = v128.load(pb);
      c0 = madd(v128.load32_splat(x0 + kb), w, c0);
      c1 = madd(v128.load32_splat(x1 + kb), w, c1);
      pb += ldn;
    }
    v128.store(o + jb, c0);
    v128.store(o1 + jb, c1);
  }
}
