// The training losses, each a forward/backward pair on the head's time-major outputs:
// MSE on the mean head and the bivariate Gaussian negative log-likelihood on the 5-output head,
// on the last step or averaged over every step (formulas: ../shared/fixtures/torch/README.md), and
// the mean Euclidean distance on the last step (mean head, or every (x, y) pair of a direct head).
// Not here: the head itself (recurrentStack.ts) and reductions other than the mean.
// Letters: T steps, B batch, O head outputs.
import { lossOnAllSteps, type LossKind } from './architecture.ts';
import type { FloatArray } from './kernels.ts';

const LOG_2PI = Math.log(2 * Math.PI);

/** Inside the Euclidean loss's square root: ‖e‖ becomes √(‖e‖² + ε²) − ε, smooth at e = 0 (gradient e/√(‖e‖² + ε²)). */
export const EUCLIDEAN_EPS = 1e-6;

/**
 * Computes the loss of head outputs pred (T,B,O) time-major against target — (B,2) for `_last`
 * ((B,O) for a direct head's MSE or Euclidean loss, O = 2K: see targetWidth), (B,T,2) batch-first
 * for `_all` — and writes ∂loss/∂pred into dPred (same layout as pred, only
 * the steps the loss reads). Returns the mean loss: MSE over B·2 (or B·T·2, B·O) numbers, NLL over B
 * (or B·T) samples, the Euclidean distance over B·O/2 pairs. `meanB` (default B) is the batch the
 * mean is over when these B rows are one slice of it: the loss and gradient are then this slice's
 * share, and the shares add up to the whole batch's (data-parallel training splits a batch this way).
 */
export function lossAndGradient(
  kind: LossKind,
  pred: FloatArray,
  dPred: FloatArray,
  target: ArrayLike<number>,
  B: number,
  T: number,
  O: number,
  meanB = B,
): number {
  const all = lossOnAllSteps(kind);
  const t0 = all ? 0 : T - 1;
  const nll = kind === 'bivariate_nll_last' || kind === 'bivariate_nll_all';
  if (!nll && !all && O !== 2) return pairLoss(kind, pred, dPred, target, B, T, O, meanB);
  if (kind === 'euclidean_last') return pairLoss(kind, pred, dPred, target, B, T, 2, meanB);
  const samples = (T - t0) * meanB;
  let total = 0;
  for (let t = t0; t < T; t++)
    for (let b = 0; b < B; b++) {
      const p = (t * B + b) * O;
      const y = all ? (b * T + t) * 2 : b * 2;
      if (!nll) {
        const scale = 1 / (samples * 2);
        const ex = pred[p] - target[y];
        const ey = pred[p + 1] - target[y + 1];
        total += ex * ex + ey * ey;
        dPred[p] = 2 * ex * scale;
        dPred[p + 1] = 2 * ey * scale;
        continue;
      }
      total += bivariateNll(pred, p, target[y], target[y + 1], dPred, 1 / samples);
    }
  return nll ? total / samples : total / (samples * 2);
}

/**
 * MSE or mean Euclidean distance over the O/2 (x, y) pairs of every sample's last-step output, the
 * target (B,O) batch-first: MSE = Σ‖e‖² / (B·O); Euclidean = Σ(√(‖e‖² + ε²) − ε) / (B·O/2).
 */
function pairLoss(
  kind: LossKind,
  pred: FloatArray,
  dPred: FloatArray,
  target: ArrayLike<number>,
  B: number,
  T: number,
  O: number,
  meanB: number,
): number {
  const pairs = meanB * (O / 2);
  const euclid = kind === 'euclidean_last';
  let total = 0;
  for (let b = 0; b < B; b++)
    for (let j = 0; j < O; j += 2) {
      const p = ((T - 1) * B + b) * O + j;
      const ex = pred[p] - target[b * O + j];
      const ey = pred[p + 1] - target[b * O + j + 1];
      if (euclid) {
        const r = Math.sqrt(ex * ex + ey * ey + EUCLIDEAN_EPS * EUCLIDEAN_EPS);
        total += r - EUCLIDEAN_EPS;
        dPred[p] = ex / r / pairs;
        dPred[p + 1] = ey / r / pairs;
      } else {
        total += ex * ex + ey * ey;
        dPred[p] = (2 * ex) / (2 * pairs);
        dPred[p + 1] = (2 * ey) / (2 * pairs);
      }
    }
  return euclid ? total / pairs : total / (2 * pairs);
}

/**
 * NLL of (yx, yy) under N(μ, Σ) with σ = exp(s), ρ = tanh(ρ̂) from pred[p..p+5) = [μx, μy, sx, sy, ρ̂];
 * writes scale·∂NLL/∂pred into dPred[p..p+5). Derivation: with q = 1 − ρ², z = dx² + dy² − 2ρ·dx·dy,
 * ∂/∂μx = −(dx − ρ·dy)/(q·σx), ∂/∂sx = 1 − dx(dx − ρ·dy)/q, ∂/∂ρ̂ = −ρ − dx·dy + ρ·z/q.
 */
function bivariateNll(
  pred: FloatArray,
  p: number,
  yx: number,
  yy: number,
  dPred: FloatArray,
  scale: number,
): number {
  const sx = pred[p + 2];
  const sy = pred[p + 3];
  const rho = Math.tanh(pred[p + 4]);
  const sigX = Math.exp(sx);
  const sigY = Math.exp(sy);
  const dx = (yx - pred[p]) / sigX;
  const dy = (yy - pred[p + 1]) / sigY;
  const q = 1 - rho * rho;
  const z = dx * dx + dy * dy - 2 * rho * dx * dy;
  const ax = (dx - rho * dy) / q;
  const ay = (dy - rho * dx) / q;
  dPred[p] = (-ax / sigX) * scale;
  dPred[p + 1] = (-ay / sigY) * scale;
  dPred[p + 2] = (1 - dx * ax) * scale;
  dPred[p + 3] = (1 - dy * ay) * scale;
  dPred[p + 4] = (-rho - dx * dy + (rho * z) / q) * scale;
  return LOG_2PI + sx + sy + 0.5 * Math.log(q) + z / (2 * q);
}
