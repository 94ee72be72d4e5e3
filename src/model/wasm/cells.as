// The pointwise gate math of the LSTM, GRU and vanilla RNN for kernels.as (AssemblyScript), forward
// and backward side by side, vectorized along the hidden units with the same formulas as
// src/model/gates.ts. Gate blocks LSTM [i|f|g|o], GRU [r|z|n]; B rows, H hidden units.
import { madd, sigmoids, sigmoidv, tanhClamp, tanhDen, tanhNum, tanhs, tanhv } from './simd';

// ---------------------------------------------------------------- LSTM pointwise
/** See Kernels.lstmForward: gates (B,4H) pre → activated; cNext, tanhC, hNext (B,H). */
export function lstmForward(gates: usize, cPrev: usize, cNext: usize, tanhC: usize, hNext: usize, B: i32, H: i32): void {
  const H4 = H & ~3;
  const hb = <usize>H << 2;
  for (let r = 0; r < B; r++) {
    const g = gates + <usize>r * 4 * hb;
    const s = <usize>r * hb;
    let j = 0;
    for (; j < H4; j += 4) {
      const jb = <usize>j << 2;
      const gi = sigmoidv(v128.load(g + jb));
      const gf = sigmoidv(v128.load(g + hb + jb));
      const gg = tanhv(v128.load(g + 2 * hb + jb));
      const go = sigmoidv(v128.load(g + 3 * hb + jb));
      v128.store(g + jb, gi);
      v128.store(g + hb + jb, gf);
      v128.store(g + 2 * hb + jb, gg);
      v128.store(g + 3 * hb + jb, go);
      const c = madd(gf, v128.load(cPrev + s + jb), f32x4.mul(gi, gg));
      const tc = tanhv(c);
      v128.store(cNext + s + jb, c);
      v128.store(tanhC + s + jb, tc);
      v128.store(hNext + s + jb, f32x4.mul(go, tc));
    }
    for (; j < H; j++) {
      const jb = <usize>j << 2;
      const gi = sigmoids(load<f32>(g + jb));
      const gf = sigmoids(load<f32>(g + hb + jb));
      const gg = tanhs(load<f32>(g + 2 * hb + jb));
      const go = sigmoids(load<f32>(g + 3 * hb + jb));
      store<f32>(g + jb, gi);
      store<f32>(g + hb + jb, gf);
      store<f32>(g + 2 * hb + jb, gg);
      store<f32>(g + 3 * hb + jb, go);
      const c = gf * load<f32>(cPrev + s + jb) + gi * gg;
      const tc = tanhs(c);
      store<f32>(cNext + s + jb, c);
      store<f32>(tanhC + s + jb, tc);
      store<f32>(hNext + s + jb, go * tc);
    }
  }
}

// ---------------------------------------------------------------- LSTM pointwise, inference only
// σ(a) = ½ + ½·tanh(a/2) = (Q + yP)/(2Q) with y = clamp(a/2) and tanh(a) = yP/Q with y = clamp(a),
// the rational tanh of simd.as left as fractions, so c' = σf·c + σi·tanh(g) costs one division
// and h' = σo·tanh(c') another (five otherwise). Same approximation, rounded in a different order.
@inline function cellNext(ai: v128, af: v128, ag: v128, cp: v128): v128 {
  const half = f32x4.splat(0.5);
  const yi = tanhClamp(f32x4.mul(half, ai));
  const zi = f32x4.mul(yi, yi);
  const qi = tanhDen(zi);
  const ni = f32x4.add(qi, tanhNum(yi, zi));
  const yf = tanhClamp(f32x4.mul(half, af));
  const zf = f32x4.mul(yf, yf);
  const qf = tanhDen(zf);
  const nf = f32x4.add(qf, tanhNum(yf, zf));
  const yg = tanhClamp(ag);
  const zg = f32x4.mul(yg, yg);
  const qg = tanhDen(zg);
  const ng = tanhNum(yg, zg);
  // c' = nf·c/(2qf) + ni·ng/(2qi·qg) = (nf·c·qi·qg + ni·ng·qf) / (2·qf·qi·qg)
  const qiqg = f32x4.mul(qi, qg);
  const num = madd(f32x4.mul(nf, cp), qiqg, f32x4.mul(f32x4.mul(ni, ng), qf));
  return f32x4.div(num, f32x4.mul(f32x4.add(qf, qf), qiqg));
}

@inline function hiddenNext(ao: v128, c: v128): v128 {
  const yo = tanhClamp(f32x4.mul(f32x4.splat(0.5), ao));
  const zo = f32x4.mul(yo, yo);
  const qo = tanhDen(zo);
  const no = f32x4.add(qo, tanhNum(yo, zo));
  const yc = tanhClamp(c);
  const zc = f32x4.mul(yc, yc);
  return f32x4.div(f32x4.mul(no, tanhNum(yc, zc)), f32x4.mul(f32x4.add(qo, qo), tanhDen(zc)));
}

/**
 * The LSTM step for inference: gates (B,4H) pre-activations (read only), c (B,H) updated in place,
 * h (B,H) written; no activated gates or tanh(c') are kept (backward needs lstmForward instead).
 */
export function lstmForwardInfer(gates: usize, c: usize, h: usize, B: i32, H: i32): void {
  const H4 = H & ~3;
  const hb = <usize>H << 2;
  for (let r = 0; r < B; r++) {
    const g = gates + <usize>r * 4 * hb;
    const s = <usize>r * hb;
    let j = 0;
    for (; j < H4; j += 4) {
      const jb = <usize>j << 2;
      const cn = cellNext(v128.load(g + jb), v128.load(g + hb + jb), v128.load(g + 2 * hb + jb), v128.load(c + s + jb));
      v128.store(c + s + jb, cn);
      v128.store(h + s + jb, hiddenNext(v128.load(g + 3 * hb + jb), cn));
    }
    for (; j < H; j++) {
      // The ragged tail through the same vector formula, one lane used.
      const jb = <usize>j << 2;
      const cn = cellNext(
        v128.load32_splat(g + jb),
        v128.load32_splat(g + hb + jb),
        v128.load32_splat(g + 2 * hb + jb),
        v128.load32_splat(c + s + jb),
      );
      store<f32>(c + s + jb, f32x4.extract_lane(cn, 0));
      store<f32>(h + s + jb, f32x4.extract_lane(hiddenNext(v128.load32_splat(g + 3 * hb + jb), cn), 0));
    }
  }
}

/** See Kernels.lstmBackward: dc is ∂L/∂c' on entry and ∂L/∂c on exit; writes dGates (B,4H). */
export function lstmBackward(dGates: usize, dc: usize, dh: usize, gates: usize, cPrev: usize, tanhC: usize, B: i32, H: i32): void {
  const H4 = H & ~3;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < B; r++) {
    const g = gates + <usize>r * 4 * hb;
    const d = dGates + <usize>r * 4 * hb;
    const s = <usize>r * hb;
    let j = 0;
    for (; j < H4; j += 4) {
      const jb = <usize>j << 2;
      const gi = v128.load(g + jb);
      const gf = v128.load(g + hb + jb);
      const gg = v128.load(g + 2 * hb + jb);
      const go = v128.load(g + 3 * hb + jb);
      const tc = v128.load(tanhC + s + jb);
      const dhj = v128.load(dh + s + jb);
      const dct = f32x4.add(v128.load(dc + s + jb), f32x4.mul(f32x4.mul(dhj, go), f32x4.sub(one, f32x4.mul(tc, tc))));
      v128.store(d + jb, f32x4.mul(f32x4.mul(dct, gg), f32x4.mul(gi, f32x4.sub(one, gi))));
      v128.store(d + hb + jb, f32x4.mul(f32x4.mul(dct, v128.load(cPrev + s + jb)), f32x4.mul(gf, f32x4.sub(one, gf))));
      v128.store(d + 2 * hb + jb, f32x4.mul(f32x4.mul(dct, gi), f32x4.sub(one, f32x4.mul(gg, gg))));
      v128.store(d + 3 * hb + jb, f32x4.mul(f32x4.mul(dhj, tc), f32x4.mul(go, f32x4.sub(one, go))));
      v128.store(dc + s + jb, f32x4.mul(dct, gf));
    }
    for (; j < H; j++) {
      const jb = <usize>j << 2;
      const gi = load<f32>(g + jb);
      const gf = load<f32>(g + hb + jb);
      const gg = load<f32>(g + 2 * hb + jb);
      const go = load<f32>(g + 3 * hb + jb);
      const tc = load<f32>(tanhC + s + jb);
      const dhj = load<f32>(dh + s + jb);
      const dct = load<f32>(dc + s + jb) + dhj * go * (1 - tc * tc);
      store<f32>(d + jb, dct * gg * (gi * (1 - gi)));
      store<f32>(d + hb + jb, dct * load<f32>(cPrev + s + jb) * (gf * (1 - gf)));
      store<f32>(d + 2 * hb + jb, dct * gi * (1 - gg * gg));
      store<f32>(d + 3 * hb + jb, dhj * tc * (go * (1 - go)));
      store<f32>(dc + s + jb, dct * gf);
    }
  }
}

// ---------------------------------------------------------------- GRU pointwise
/** See Kernels.gruForward: gi (B,3H) pre → activated [r|z|n]; gh (B,3H) read; hNext (B,H). */
export function gruForward(gi: usize, gh: usize, hPrev: usize, hNext: usize, B: i32, H: i32): void {
  const H4 = H & ~3;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < B; r++) {
    const a = gi + <usize>r * 3 * hb;
    const c = gh + <usize>r * 3 * hb;
    const s = <usize>r * hb;
    let j = 0;
    for (; j < H4; j += 4) {
      const jb = <usize>j << 2;
      const rg = sigmoidv(f32x4.add(v128.load(a + jb), v128.load(c + jb)));
      const z = sigmoidv(f32x4.add(v128.load(a + hb + jb), v128.load(c + hb + jb)));
      const n = tanhv(f32x4.add(v128.load(a + 2 * hb + jb), f32x4.mul(rg, v128.load(c + 2 * hb + jb))));
      v128.store(a + jb, rg);
      v128.store(a + hb + jb, z);
      v128.store(a + 2 * hb + jb, n);
      v128.store(hNext + s + jb, f32x4.add(f32x4.mul(f32x4.sub(one, z), n), f32x4.mul(z, v128.load(hPrev + s + jb))));
    }
    for (; j < H; j++) {
      const jb = <usize>j << 2;
      const rg = sigmoids(load<f32>(a + jb) + load<f32>(c + jb));
      const z = sigmoids(load<f32>(a + hb + jb) + load<f32>(c + hb + jb));
      const n = tanhs(load<f32>(a + 2 * hb + jb) + rg * load<f32>(c + 2 * hb + jb));
      store<f32>(a + jb, rg);
      store<f32>(a + hb + jb, z);
      store<f32>(a + 2 * hb + jb, n);
      store<f32>(hNext + s + jb, (1 - z) * n + z * load<f32>(hPrev + s + jb));
    }
  }
}

/** See Kernels.gruBackward: writes dGi, dGh (B,3H) and SETS dhPrev (B,H) = dh ⊙ z. */
export function gruBackward(dGi: usize, dGh: usize, dhPrev: usize, dh: usize, gi: usize, gh: usize, hPrev: usize, B: i32, H: i32): void {
  const H4 = H & ~3;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < B; r++) {
    const a = gi + <usize>r * 3 * hb;
    const c = gh + <usize>r * 3 * hb;
    const da = dGi + <usize>r * 3 * hb;
    const dcc = dGh + <usize>r * 3 * hb;
    const s = <usize>r * hb;
    let j = 0;
    for (; j < H4; j += 4) {
      const jb = <usize>j << 2;
      const rg = v128.load(a + jb);
      const z = v128.load(a + hb + jb);
      const n = v128.load(a + 2 * hb + jb);
      const dhj = v128.load(dh + s + jb);
      const dnPre = f32x4.mul(f32x4.mul(dhj, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
      const dzPre = f32x4.mul(f32x4.mul(dhj, f32x4.sub(v128.load(hPrev + s + jb), n)), f32x4.mul(z, f32x4.sub(one, z)));
      const drPre = f32x4.mul(f32x4.mul(dnPre, v128.load(c + 2 * hb + jb)), f32x4.mul(rg, f32x4.sub(one, rg)));
      v128.store(da + jb, drPre);
      v128.store(da + hb + jb, dzPre);
      v128.store(da + 2 * hb + jb, dnPre);
      v128.store(dcc + jb, drPre);
      v128.store(dcc + hb + jb, dzPre);
      v128.store(dcc + 2 * hb + jb, f32x4.mul(dnPre, rg));
      v128.store(dhPrev + s + jb, f32x4.mul(dhj, z));
    }
    for (; j < H; j++) {
      const jb = <usize>j << 2;
      const rg = load<f32>(a + jb);
      const z = load<f32>(a + hb + jb);
      const n = load<f32>(a + 2 * hb + jb);
      const dhj = load<f32>(dh + s + jb);
      const dnPre = dhj * (1 - z) * (1 - n * n);
      const dzPre = dhj * (load<f32>(hPrev + s + jb) - n) * (z * (1 - z));
      const drPre = dnPre * load<f32>(c + 2 * hb + jb) * (rg * (1 - rg));
      store<f32>(da + jb, drPre);
      store<f32>(da + hb + jb, dzPre);
      store<f32>(da + 2 * hb + jb, dnPre);
      store<f32>(dcc + jb, drPre);
      store<f32>(dcc + hb + jb, dzPre);
      store<f32>(dcc + 2 * hb + jb, dnPre * rg);
      store<f32>(dhPrev + s + jb, dhj * z);
    }
  }
}

// ---------------------------------------------------------------- elementwise
/** out[k] = tanh(x[k]) for n elements (tests measure the approximation with it). */
export function tanhArray(out: usize, x: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(out + (<usize>k << 2), tanhv(v128.load(x + (<usize>k << 2))));
  for (; k < n; k++) store<f32>(out + (<usize>k << 2), tanhs(load<f32>(x + (<usize>k << 2))));
}

/** out[k] = σ(x[k]) for n elements. */
export function sigmoidArray(out: usize, x: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(out + (<usize>k << 2), sigmoidv(v128.load(x + (<usize>k << 2))));
  for (; k < n; k++) store<f32>(out + (<usize>k << 2), sigmoids(load<f32>(x + (<usize>k << 2))));
}

// ---------------------------------------------------------------- vanilla RNN pointwise
/** See Kernels.rnnForward: hNext = tanh(pre) over n = B·H elements (may alias). */
export function rnnForward(pre: usize, hNext: usize, n: i32): void {
  tanhArray(hNext, pre, n);
}

/** See Kernels.rnnBackward: dPre = dh ⊙ (1 − h'²) over n = B·H elements. */
export function rnnBackward(dPre: usize, dh: usize, hNext: usize, n: i32): void {
  const one = f32x4.splat(1);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const kb = <usize>k << 2;
    const y = v128.load(hNext + kb);
    v128.store(dPre + kb, f32x4.mul(v128.load(dh + kb), f32x4.sub(one, f32x4.mul(y, y))));
  }
  for (; k < n; k++) {
    const kb = <usize>k << 2;
    const y = load<f32>(hNext + kb);
    store<f32>(dPre + kb, load<f32>(dh + kb) * (1 - y * y));
  }
}
