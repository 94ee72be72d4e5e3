// errors.svg for `whereto eval --report DIR`: mean error (metres) against the horizon step, one
// polyline per forecaster, hand-written SVG with axes, ticks and a legend. Text only; no DOM.
import type { EvalResult } from './evalResult.ts';

const COLORS = ['#d62728', '#1f77b4', '#7f7f7f', '#2ca02c', '#9467bd', '#ff7f0e'];

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A "nice" tick step (1, 2 or 5 × 10^k) giving about `count` ticks up to `max`. */
function tickStep(max: number, count: number): number {
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
}

/** The chart: x = horizon step (and seconds), y = mean error in metres from 0. */
export function errorsSvg(result: EvalResult): string {
  const W = 640;
  const Hpx = 400;
  const m = { left: 64, right: 140, top: 30, bottom: 50 };
  const pw = W - m.left - m.right;
  const ph = Hpx - m.top - m.bottom;
  const names = Object.keys(result.models);
  const H = result.horizon;
  const maxErr = Math.max(1, ...names.flatMap((n) => result.models[n].perHorizon.map((s) => s.meanM)));
  const step = tickStep(maxErr, 5);
  const yMax = Math.ceil(maxErr / step) * step;
  const x = (h: number) => m.left + (H === 1 ? pw / 2 : ((h - 1) / (H - 1)) * pw);
  const y = (v: number) => m.top + ph - (v / yMax) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${Hpx}" viewBox="0 0 ${W} ${Hpx}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${Hpx}" fill="white"/>`,
    `<text x="${m.left}" y="18" font-size="14">Mean error against horizon (${result.windows} windows, ${result.stepSeconds} s steps)</text>`,
  ];
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${m.left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`);
  }
  for (let h = 1; h <= H; h++) {
    out.push(`<line x1="${x(h)}" x2="${x(h)}" y1="${m.top + ph}" y2="${m.top + ph + 5}" stroke="#333"/>`);
    out.push(`<text x="${x(h)}" y="${m.top + ph + 18}" text-anchor="middle">${h}</text>`);
  }
  out.push(
    `<line x1="${m.left}" x2="${m.left + pw}" y1="${m.top + ph}" y2="${m.top + ph}" stroke="#333"/>`,
    `<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + ph}" stroke="#333"/>`,
    `<text x="${m.left + pw / 2}" y="${Hpx - 10}" text-anchor="middle">horizon step (× ${result.stepSeconds} s)</text>`,
    `<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">mean error (m)</text>`,
  );
  names.forEach((name, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = result.models[name].perHorizon.map((s) => `${x(s.step).toFixed(1)},${y(s.meanM).toFixed(1)}`);
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    for (const p of pts) {
      const [cx, cy] = p.split(',');
      out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
    const ly = m.top + 10 + i * 20;
    out.push(
      `<line x1="${m.left + pw + 16}" x2="${m.left + pw + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${m.left + pw + 46}" y="${ly + 4}">${escapeXml(name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
