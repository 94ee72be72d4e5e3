// report.md for `whereto eval --report DIR`: a table of every forecaster's errors in metres (per
// horizon step mean/median/p90, ADE, FDE), ratios to constant velocity, and Gaussian scores when present.
// Text only; the CLI writes the file.
import type { EvalResult } from './evalResult.ts';

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');

/** The Markdown report; `title` names what was evaluated (model file and data files). */
export function reportMarkdown(result: EvalResult, title: string): string {
  const names = Object.keys(result.models);
  const H = result.horizon;
  const cv = result.models.cv;
  const lines = [
    `# whereto evaluation: ${title}`,
    '',
    `${result.windows} windows, horizon ${H} steps of ${result.stepSeconds} s; errors are great-circle distances in metres.`,
    '',
    '| forecaster | 1-step mean | 1-step median | 1-step p90 | ADE@' + H + ' | FDE@' + H + ' |',
    '| --- | --- | --- | --- | --- | --- |',
    ...names.map((n) => {
      const m = result.models[n];
      const s1 = m.perHorizon[0];
      return `| ${n} | ${f1(s1.meanM)} | ${f1(s1.medianM)} | ${f1(s1.p90M)} | ${f1(m.adeM)} | ${f1(m.fdeM)} |`;
    }),
  ];
  if (cv) {
    lines.push('', 'Ratios to constant velocity (below 1 is better than CV):', '');
    lines.push(
      `| forecaster | 1-step mean / CV | ADE@${H} / CV | FDE@${H} / CV |`,
      '| --- | --- | --- | --- |',
    );
    for (const n of names) {
      const m = result.models[n];
      lines.push(
        `| ${n} | ${f2(m.perHorizon[0].meanM / cv.perHorizon[0].meanM)} | ${f2(m.adeM / cv.adeM)} | ${f2(m.fdeM / cv.fdeM)} |`,
      );
    }
  }
  lines.push('', '## Per horizon step (mean / median / p90, metres)', '');
  lines.push(`| step | ${names.join(' | ')} |`, `| --- |${names.map(() => ' --- |').join('')}`);
  for (let h = 0; h < H; h++) {
    const cells = names.map((n) => {
      const s = result.models[n].perHorizon[h];
      return `${f1(s.meanM)} / ${f1(s.medianM)} / ${f1(s.p90M)}`;
    });
    lines.push(`| ${h + 1} (${(h + 1) * result.stepSeconds} s) | ${cells.join(' | ')} |`);
  }
  const gaussian = names.filter((n) => result.models[n].nll !== undefined);
  if (gaussian.length) {
    lines.push(
      '',
      '## Uncertainty',
      '',
      '| forecaster | NLL (nats) | inside 1σ | inside 2σ |',
      '| --- | --- | --- | --- |',
    );
    for (const n of gaussian) {
      const m = result.models[n];
      lines.push(`| ${n} | ${f2(m.nll!)} | ${f2(m.inside1Sigma!)} | ${f2(m.inside2Sigma!)} |`);
    }
    lines.push('', 'A calibrated bivariate normal puts 0.39 of points inside 1σ and 0.86 inside 2σ.');
  }
  return lines.join('\n') + '\n';
}
