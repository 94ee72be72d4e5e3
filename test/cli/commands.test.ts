import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { portoSubset } from './portoSubset.ts';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'whereto-cli-'));
const csv = join(dir, 'porto150.csv');
const model = join(dir, 'model.json');

function whereto(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root });
}

const small = ['--epochs', '3', '--hidden', '16', '--seed', '3', '--test-fraction', '0.2'];

beforeAll(() => {
  writeFileSync(csv, portoSubset(150));
  const r = whereto('train', csv, '--out', model, ...small);
  if (r.status !== 0) throw new Error(`training failed: ${r.stderr}`);
});

describe('whereto train', () => {
  it('writes a valid model file that records how it was trained', async () => {
    const { parseModelFile } = await import('../../src/model/modelFile.ts');
    const mf = parseModelFile(readFileSync(model, 'utf8'), model);
    expect(mf.architecture).toEqual({
      cell: 'lstm',
      inputSize: 2,
      hiddenSize: 16,
      numLayers: 1,
      head: 'mean',
    });
    expect(mf.training.seed).toBe(3);
    expect(mf.training.epochs).toHaveLength(3);
    expect(mf.training.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(mf.training.gradNormsThroughTime[0]).toHaveLength(mf.encoder.window);
    // 20 % of the trips are held out (a trip cleaning drops entirely is not counted)
    expect((mf.training.data.testSourceIds as string[]).length).toBeGreaterThan(25);
  });

  it('--init fine-tunes from a parent: its weights kept at 0 epochs, the parent recorded; a conflicting flag exits 2', async () => {
    const { parseModelFile } = await import('../../src/model/modelFile.ts');
    const child = join(dir, 'child.json');
    const r = whereto('train', csv, '--init', model, '--out', child, '--epochs', '0', '--seed', '4');
    expect(r.status, r.stderr).toBe(0);
    const p = parseModelFile(readFileSync(model, 'utf8'), model);
    const c = parseModelFile(readFileSync(child, 'utf8'), child);
    expect(c.weights).toEqual(p.weights);
    expect(c.encoder).toEqual(p.encoder);
    expect(c.training.parent).toEqual({ fingerprint: p.training.fingerprint, date: p.training.date });
    expect(c.training.data.parentFile).toBe('model.json');
    const bad = whereto('train', csv, '--init', model, '--out', child, '--hidden', '32');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--hidden 32 (the parent's is 16)");
  });

  it('the same seed gives the same model file, except its date', () => {
    const again = join(dir, 'again.json');
    expect(whereto('train', csv, '--out', again, ...small).status).toBe(0);
    const strip = (p: string) => ({
      ...JSON.parse(readFileSync(p, 'utf8')),
      training: { ...JSON.parse(readFileSync(p, 'utf8')).training, date: '' },
    });
    expect(strip(again)).toEqual(strip(model));
  });

  it('--threads 2 trains what --threads 1 trains, up to float32 rounding, and records the thread count', () => {
    const runs = [1, 2].map((threads) => {
      const out = join(dir, `threads${threads}.json`);
      const r = whereto('train', csv, '--out', out, ...small, '--threads', String(threads));
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(readFileSync(out, 'utf8'));
    });
    expect(runs.map((mf) => mf.training.threads)).toEqual([1, 2]);
    expect(runs[1].training.options).toEqual(runs[0].training.options);
    runs[0].training.epochs.forEach((e: { loss: number; valErrorM: number }, i: number) => {
      expect(runs[1].training.epochs[i].loss).toBeCloseTo(e.loss, 5);
      expect(runs[1].training.epochs[i].valErrorM).toBeCloseTo(e.valErrorM, 1);
    });
  });

  it('Ctrl-C stops after the current batch and saves the best epoch so far (on 2 threads)', async () => {
    const out = join(dir, 'interrupted.json');
    const child = spawn(
      process.execPath,
      [bin, 'train', csv, '--out', out, '--epochs', '500', '--hidden', '8', '--threads', '2'],
      { cwd: root },
    );
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/epoch 2\/500/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('close', resolve);
    });
    expect(code).toBe(0);
    expect(stderr).toContain('Interrupted');
    const mf = JSON.parse(readFileSync(out, 'utf8'));
    expect(mf.training.stopped).toBe('interrupted');
    expect(mf.training.bestEpoch).toBeGreaterThanOrEqual(1);
  });

  it('bad usage exits 2 with the reason and the usage on stderr', () => {
    const r = whereto('train', csv);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('whereto train: --out is required');
    expect(r.stderr).toContain('Usage: whereto train');
    expect(r.stdout).toBe('');
    expect(whereto('train', csv, '--out', model, '--cell', 'tcn').status).toBe(2);
  });
});

describe('whereto eval', () => {
  it('--json prints exactly one JSON document of the documented shape, and the model beats last position', () => {
    const r = whereto('eval', '--model', model, csv, '--split', 'test', '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['windows', 'horizon', 'stepSeconds', 'models', 'verdict']);
    expect(Object.keys(doc.models)).toEqual(['model', 'cv', 'last', 'kalman']);
    expect(doc.horizon).toBe(5);
    expect(doc.stepSeconds).toBe(15);
    expect(doc.windows).toBeGreaterThan(100);
    const m = doc.models.model;
    expect(m.perHorizon).toHaveLength(5);
    expect(Object.keys(m.perHorizon[0])).toEqual(['step', 'meanM', 'medianM', 'p90M']);
    expect(m.adeM).toBeLessThan(doc.models.last.adeM);
    expect(m.perHorizon[0].meanM).toBeLessThan(doc.models.last.perHorizon[0].meanM);
    // the verdict is computed from the same windows as the table: ratios of its per-step means
    const v = doc.verdict;
    expect(v.windows).toBe(doc.windows);
    expect(v.steps).toHaveLength(5);
    v.steps.forEach((s: { modelM: number; cvM: number; ratio: number }, k: number) => {
      expect(s.modelM).toBe(m.perHorizon[k].meanM);
      expect(s.cvM).toBe(doc.models.cv.perHorizon[k].meanM);
      expect(s.ratio).toBeCloseTo(s.modelM / s.cvM, 12);
    });
    expect(['beats', 'ties', 'loses']).toContain(v.kind);
  });

  it('prints the verdict line under the table in text mode', () => {
    const r = whereto('eval', '--model', model, csv, '--split', 'test');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /\nVerdict: on these tracks the model (beats|loses to|never loses to) constant velocity .*\(model\/CV [\d.]+/,
    );
  });

  it('--threads 3 prints byte for byte what --threads 1 prints (a Gaussian head with sampled σ)', () => {
    const gaussian = join(dir, 'gaussian.json');
    const t = whereto(
      'train',
      csv,
      '--out',
      gaussian,
      '--head',
      'gaussian',
      '--epochs',
      '1',
      '--hidden',
      '8',
    );
    expect(t.status, t.stderr).toBe(0);
    // 150 trips give ~3,000 windows; at 64 samples that is enough work to start every thread.
    const [one, three] = ['1', '3'].map((threads) =>
      whereto('eval', '--model', gaussian, csv, '--json', '--threads', threads),
    );
    expect(three.status, three.stderr).toBe(0);
    expect(JSON.parse(one.stdout).windows).toBeGreaterThan(1024);
    expect(three.stdout).toBe(one.stdout);
  });

  it('--split val and --split test evaluate disjoint held-out trips recorded in the model', () => {
    const mf = JSON.parse(readFileSync(model, 'utf8'));
    const val = new Set<string>(mf.training.data.valSourceIds);
    expect(val.size).toBeGreaterThan(10);
    for (const id of mf.training.data.testSourceIds as string[]) expect(val.has(id)).toBe(false);
    const v = JSON.parse(whereto('eval', '--model', model, csv, '--split', 'val', '--json').stdout);
    const t = JSON.parse(whereto('eval', '--model', model, csv, '--split', 'test', '--json').stdout);
    expect(v.windows).toBeGreaterThan(50);
    expect(v.models.cv.adeM).not.toBe(t.models.cv.adeM);
  });

  it('--report DIR writes report.md, errors.svg and windows.csv', () => {
    const out = join(dir, 'report');
    const r = whereto('eval', '--model', model, csv, '--horizon', '3', '--report', out);
    expect(r.status).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\| model \| [\d.]+ \|/);
    expect(readFileSync(join(out, 'errors.svg'), 'utf8').match(/<polyline/g)).toHaveLength(4);
    const windows = Number(/(\d+) windows/.exec(md)![1]);
    expect(readFileSync(join(out, 'windows.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 4 * windows);
  });

  it('a broken model file is bad input: exit 1 naming the file and what is wrong', () => {
    const bad = join(dir, 'bad.json');
    const doc = JSON.parse(readFileSync(model, 'utf8'));
    doc.encoder.inputStd = [1];
    writeFileSync(bad, JSON.stringify(doc));
    const r = whereto('eval', '--model', bad, csv, '--json');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}: encoder.inputStd must be an array of 2 numbers`);
    expect(r.stdout).toBe('');
    const missing = whereto('eval', '--model', join(dir, 'nope.json'), csv);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('nope.json: cannot read the model file (ENOENT)');
  });

  it('bad rows are reported with file and line and skipped; a file with nothing usable exits 1', () => {
    const mixed = join(dir, 'mixed.csv');
    writeFileSync(mixed, portoSubset(20).replace(/\n(\d+,[^,]+),41\.1/, '\n$1,north'));
    const r = whereto('eval', '--model', model, mixed, '--json');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`${mixed.replace(/[.]/g, '\\.')}:\\d+: .*\\(row skipped\\)`));
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, 'track_id,timestamp,lat,lon\n');
    const e = whereto('eval', '--model', model, empty);
    expect(e.status).toBe(1);
    expect(e.stderr).toContain(empty);
  });
});

describe('whereto predict', () => {
  it('prints the next K locations of every track as CSV', () => {
    const r = whereto('predict', '--model', model, csv, '--steps', '3');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('track_id,step,time,lat,lon');
    expect((lines.length - 1) % 3).toBe(0);
    const [, step, time, lat, lon] = lines[1].split(',');
    expect(step).toBe('1');
    expect(Number.isNaN(Date.parse(time))).toBe(false);
    expect(Math.abs(Number(lat) - 41.15)).toBeLessThan(0.5);
    expect(Math.abs(Number(lon) + 8.6)).toBeLessThan(0.5);
  });

  it('--format geojson prints one FeatureCollection of points', () => {
    const r = whereto('predict', '--model', model, csv, '--steps', '2', '--format', 'geojson');
    expect(r.status).toBe(0);
    const fc = JSON.parse(r.stdout);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features[0].geometry.type).toBe('Point');
    expect(fc.features[0].properties.step).toBe(1);
    expect(existsSync(model)).toBe(true);
  });
});
