// windows.csv for `whereto eval --report DIR`: one row per window and forecaster with its predicted
// points and errors in metres, so any figure of the report can be recomputed or plotted elsewhere.
import { csvField } from './csvField.ts';
import type { WindowDetail } from './evalResult.ts';

/** Header `track_id,end_index,end_time,forecaster,lat_1,lon_1,…,lat_H,lon_H,error_m_1,…,error_m_H`. */
export function windowsCsv(d: WindowDetail): string {
  const H = d.H;
  const header = ['track_id', 'end_index', 'end_time', 'forecaster'];
  for (let h = 1; h <= H; h++) header.push(`lat_${h}`, `lon_${h}`);
  for (let h = 1; h <= H; h++) header.push(`error_m_${h}`);
  const rows = [header.join(',')];
  for (let i = 0; i < d.n; i++) {
    const time = new Date(d.endTime[i] * 1000).toISOString();
    for (const [name, p] of Object.entries(d.predictions)) {
      const cells = [csvField(d.trackId[i]), String(d.endIndex[i]), time, name];
      for (let h = 0; h < H; h++) cells.push(p.lat[i * H + h].toFixed(6), p.lon[i * H + h].toFixed(6));
      for (let h = 0; h < H; h++) cells.push(p.errorM[i * H + h].toFixed(1));
      rows.push(cells.join(','));
    }
  }
  return rows.join('\n') + '\n';
}
