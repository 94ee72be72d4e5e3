// One slice of an evaluation's windows, forecast off the evaluation worker: receives a
// ForecastSliceRequest (threads.ts), replies with the slice's forecast (arrays transferred).
import { forecastSlice, type ForecastSliceRequest } from '../engine.ts';

self.onmessage = (event: MessageEvent<ForecastSliceRequest>) => {
  const out = forecastSlice(event.data);
  const arrays = [out.dxM, out.dyM, out.sigmaXM, out.sigmaYM, out.rho].filter((a) => a !== undefined);
  self.postMessage(out, { transfer: arrays.map((a) => a.buffer) });
};
