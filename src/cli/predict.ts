// `whereto predict --model MODEL FILE…`: for each track, the next K locations after its last point
// (and σx, σy, ρ for a Gaussian head) as CSV or GeoJSON on stdout. Tracks are resampled at the
// model's step first, so "the last point" is the last resampled one.
import { csvField } from '../eval/csvField.ts';
import { Predictor } from '../predict/predictor.ts';
import type { CommandSpec } from './args.ts';
import { loaderOptionSpecs } from './loadTracks.ts';
import { modelOptionSpec, samplesOptionSpec, startModelCommand } from './startModelCommand.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from './exitCodes.ts';

export const predictSpec: CommandSpec = {
  command: 'whereto predict',
  positionals: 'FILE…',
  minPositionals: 1,
  options: [
    modelOptionSpec,
    {
      name: 'steps',
      type: 'int',
      min: 1,
      max: 1000,
      default: 5,
      arg: 'K',
      help: 'future locations per track',
    },
    { name: 'format', type: 'choice', choices: ['csv', 'geojson'], default: 'csv', help: 'output format' },
    samplesOptionSpec,
    ...loaderOptionSpecs,
  ],
};

export async function run(argv: string[]): Promise<number> {
  const started = await startModelCommand(argv, predictSpec, { minPoints: 2 });
  if (typeof started === 'number') return started;
  const { parsed, modelFile: mf, tracks } = started;
  const a = parsed.options;
  const step = mf.encoder.stepSeconds;
  const predictor = Predictor.fromModelFile(mf);
  predictor.uncertaintySamples = a.samples as number;
  const K = a.steps as number;
  const gaussian = predictor.gaussian;
  const rows: string[] = [];
  const features: object[] = [];
  if (a.format === 'csv')
    rows.push(`track_id,step,time,lat,lon${gaussian ? ',sigma_x_m,sigma_y_m,rho' : ''}`);
  for (const t of tracks) {
    const last = t.lat.length - 1;
    const p = predictor.predictTrack(t, last, K);
    p.points.forEach((pt, k) => {
      const time = new Date((t.t[last] + (k + 1) * step) * 1000).toISOString();
      const sigma = gaussian ? { sigmaXM: p.sigmaXM![k], sigmaYM: p.sigmaYM![k], rho: p.rho![k] } : {};
      if (a.format === 'csv') {
        const extra = gaussian
          ? `,${sigma.sigmaXM!.toFixed(1)},${sigma.sigmaYM!.toFixed(1)},${sigma.rho!.toFixed(3)}`
          : '';
        rows.push(`${csvField(t.id)},${k + 1},${time},${pt.lat.toFixed(6)},${pt.lon.toFixed(6)}${extra}`);
      } else
        features.push({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [Number(pt.lon.toFixed(6)), Number(pt.lat.toFixed(6))] },
          properties: { track_id: t.id, step: k + 1, time, ...sigma },
        });
    });
  }
  if (tracks.length === 0) {
    process.stderr.write(`whereto predict: no track has 2 points at the model's ${step} s step\n`);
    return EXIT_BAD_INPUT;
  }
  process.stdout.write(
    a.format === 'csv'
      ? rows.join('\n') + '\n'
      : JSON.stringify({ type: 'FeatureCollection', features }) + '\n',
  );
  return EXIT_OK;
}
