import { describe, expect, it } from 'vitest';
import type { EvalResult, WindowDetail } from '../../src/eval/evalResult.ts';
import { errorsSvg } from '../../src/eval/errorsSvg.ts';
import { reportMarkdown } from '../../src/eval/reportMarkdown.ts';
import { windowsCsv } from '../../src/eval/windowsCsv.ts';

const stats = (means: number[]) => ({
  perHorizon: means.map((m, i) => ({ step: i + 1, meanM: m, medianM: m * 0.8, p90M: m * 2 })),
  adeM: means.reduce((a, b) => a + b) / means.length,
  fdeM: means[means.length - 1],
});
const result: EvalResult = {
  windows: 12,
  horizon: 2,
  stepSeconds: 15,
  models: {
    model: { ...stats([50, 120]), nll: 9.5, nllPerHorizon: [9, 10], inside1Sigma: 0.4, inside2Sigma: 0.85 },
    cv: stats([100, 200]),
    last: stats([150, 300]),
  },
};

describe('report writers', () => {
  it('report.md tabulates every forecaster in metres with its ratio to constant velocity', () => {
    const md = reportMarkdown(result, 'default.json on porto.csv');
    expect(md).toContain('| model | 50.0 | 40.0 | 100.0 | 85.0 | 120.0 |');
    expect(md).toContain('| last | 150.0 | 120.0 | 300.0 | 225.0 | 300.0 |');
    expect(md).toContain('| model | 0.50 | 0.57 | 0.60 |');
    expect(md).toContain('| 2 (30 s) | 120.0 / 96.0 / 240.0 |');
    expect(md).toContain('| model | 9.50 | 0.40 | 0.85 |');
  });

  it('errors.svg draws one polyline per forecaster and names each in the legend', () => {
    const svg = errorsSvg(result);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(3);
    for (const n of ['model', 'cv', 'last']) expect(svg).toContain(`>${n}</text>`);
    // the worst point (300 m) sits higher on the page (smaller y) than the best (50 m)
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...ys)).toBeLessThan(Math.max(...ys));
  });

  it('windows.csv has one row per window and forecaster with H points and H errors', () => {
    const d: WindowDetail = {
      n: 2,
      H: 2,
      trackId: ['a', 'b,"c"'],
      endIndex: Int32Array.from([10, 11]),
      endTime: Float64Array.from([0, 15]),
      predictions: {
        cv: {
          lat: Float64Array.from([41, 41.1, 41.2, 41.3]),
          lon: Float64Array.from([-8, -8.1, -8.2, -8.3]),
          errorM: Float64Array.from([1, 2, 3, 4]),
        },
      },
    };
    const lines = windowsCsv(d).trim().split('\n');
    expect(lines[0]).toBe(
      'track_id,end_index,end_time,forecaster,lat_1,lon_1,lat_2,lon_2,error_m_1,error_m_2',
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(
      '"b,""c""",11,1970-01-01T00:00:15.000Z,cv,41.200000,-8.200000,41.300000,-8.300000,3.0,4.0',
    );
  });
});
