// What the active model's card says: architecture, encoder, training data fingerprint, seed,
// epochs, metrics, the shrinkage toward constant velocity and date, as label/value rows of plain text (rendered as text, never HTML).
// Pure; the Model panel renders the rows. Also the download file name for a model.
import { bestEpochs, networkCount, shrinkageSummary, validationErrorM, type ModelFile } from '../engine.ts';

export interface CardRow {
  label: string;
  value: string;
}

const cellNames: Record<string, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'vanilla RNN' };

/**
 * "1 × LSTM(32) → mean head, 8,706 parameters" style architecture summary; an ensemble's says how
 * many networks are averaged and counts all their parameters.
 */
export function architectureSummary(mf: ModelFile): string {
  const a = mf.architecture;
  const cell = cellNames[a.cell] ?? a.cell;
  const n = networkCount(mf);
  const one = `${a.numLayers} × ${cell}(${a.hiddenSize}) → ${a.head} head`;
  const count = (n * mf.weights.count).toLocaleString('en');
  return n === 1
    ? `${one}, ${count} parameters`
    : `ensemble of ${n} networks, each ${one}; ${count} parameters`;
}

/** A metric value in metres with sensible rounding, or '—' when missing. */
export function metres(v: unknown): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${v < 10 ? v.toFixed(1) : Math.round(v)} m` : '—';
}

/** The card's rows for a model file. */
export function modelCardRows(mf: ModelFile): CardRow[] {
  const e = mf.encoder;
  const tr = mf.training;
  const epochs = tr.epochs ?? [];
  const networks = networkCount(mf);
  const rows: CardRow[] = [
    { label: 'Architecture', value: architectureSummary(mf) },
    {
      label: 'Encoder',
      value: `window ${e.window} × ${e.stepSeconds} s steps; features ${e.features.join(', ')}${e.align ? '; heading-aligned' : ''}`,
    },
    { label: 'Training data', value: shortFingerprint(tr.fingerprint) },
    ...(tr.parent
      ? [
          {
            label: 'Fine-tuned from',
            value: `the model trained on ${shortFingerprint(tr.parent.fingerprint)} (${formatDate(tr.parent.date)})`,
          },
        ]
      : []),
    { label: 'Seed', value: String(tr.seed) },
    {
      label: 'Epochs',
      value: epochs.length
        ? `${epochs.length} run${networks > 1 ? ' per network' : ''}, best ${bestEpochs(tr).join(', ')}${tr.stopped && tr.stopped !== 'completed' ? ` (${tr.stopped})` : ''}`
        : '—',
    },
  ];
  const valErrorM = validationErrorM(tr);
  if (valErrorM !== undefined)
    rows.push({
      label: 'Validation error',
      value: `${metres(valErrorM)} (1-step mean, ${networks > 1 ? `${networks} networks averaged` : 'best epoch'})`,
    });
  // A metric equal to the validation error would only repeat the row above.
  const metrics = Object.entries(tr.finalMetrics ?? {}).filter(
    ([, v]) => typeof v === 'number' && Number.isFinite(v) && v !== valErrorM,
  );
  if (metrics.length)
    rows.push({
      label: 'Metrics',
      value: metrics
        .map(([k, v]) => `${metricLabel(k)} ${/[a-z]M$/.test(k) ? metres(v) : Number(v.toPrecision(4))}`)
        .join(', '),
    });
  if (mf.shrinkage) rows.push({ label: 'Shrinkage toward CV', value: shrinkageSummary(mf.shrinkage) });
  rows.push({ label: 'Trained', value: formatDate(tr.date) });
  return rows;
}

const acronyms = new Set(['ade', 'fde', 'nll', 'cv', 'rmse', 'mse']);

/** A metric key in words: "cvOneStepMeanErrorM" → "CV one step mean error" (a trailing M means metres). */
export function metricLabel(key: string): string {
  const words = key
    .replace(/([a-z])M$/, '$1')
    .split(/(?=[A-Z])/)
    .map((w) => w.toLowerCase());
  return words.map((w) => (acronyms.has(w) ? w.toUpperCase() : w)).join(' ');
}

/** "sha256:1a2b3c4d…" shortened to the algorithm and the first 12 hex digits. */
export function shortFingerprint(fp: string): string {
  const m = /^(\w+):([0-9a-f]+)$/i.exec(fp);
  if (!m) return fp || '—';
  return m[2].length > 12 ? `${m[1]}:${m[2].slice(0, 12)}…` : fp;
}

function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso || '—';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A download name that says what the model is: whereto-lstm-h32-2026-11-25.json */
export function modelDownloadName(mf: ModelFile): string {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(mf.training.date)?.[0] ?? 'model';
  return `whereto-${mf.architecture.cell}-h${mf.architecture.hiddenSize}-${day}.json`;
}
