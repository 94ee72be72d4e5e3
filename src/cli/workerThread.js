// The entry of every worker thread the command line starts: registers tsx the way bin.js does, so
// the thread runs the same TypeScript sources, then does what workerData.kind says: serve the
// training thread as a gradient worker until told to stop, or forecast one slice and post it back.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { kind, init } = workerData;
if (kind === 'gradient') {
  const { runGradientWorker } = await import('../train/gradientWorker.ts');
  runGradientWorker(init);
} else if (kind === 'forecast') {
  const { forecastSlice } = await import('../predict/parallelForecast.ts');
  const out = forecastSlice(init);
  const arrays = [out.dxM, out.dyM, out.sigmaXM, out.sigmaYM, out.rho].filter(Boolean);
  parentPort.postMessage(
    out,
    arrays.map((a) => a.buffer),
  );
} else throw new Error(`unknown worker kind '${kind}'`);
