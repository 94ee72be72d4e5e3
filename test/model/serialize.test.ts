// The model JSON and the PyTorch state_dict: round trips are exact, and every malformed input is
// refused with a message naming what is wrong.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/model/model.ts';
import { seededNormal } from '../../src/model/random.ts';
import { modelFromJSON, modelToJSON, ModelFormatError } from '../../src/model/serialize.ts';
import { exportStateDict, importStateDict } from '../../src/model/stateDict.ts';
import { expectClose } from '../helpers.ts';

const arch = { cell: 'gru', inputSize: 3, hiddenSize: 5, numLayers: 2, head: 'gaussian' } as const;
const r = seededNormal(4);
const x = Float64Array.from({ length: 2 * 4 * 3 }, () => r());

describe('exportStateDict / importStateDict', () => {
  it('round-trips through JSON text: same architecture, same outputs', () => {
    const m = createModel(arch, { seed: 9, dtype: 'float64' });
    const back = importStateDict(JSON.parse(JSON.stringify(exportStateDict(m))), { dtype: 'float64' });
    expect(back.architecture).toEqual(m.architecture);
    expect(Array.from(back.params)).toEqual(Array.from(m.params));
    expectClose(back.forward(x, 2, 4), m.forward(x, 2, 4), 0, 'forward');
  });
  it('uses PyTorch names and shapes', () => {
    const sd = exportStateDict(
      createModel({ cell: 'lstm', inputSize: 4, hiddenSize: 8, numLayers: 1, head: 'mean' }),
    );
    expect(Object.keys(sd)).toEqual([
      'rnn.weight_ih_l0',
      'rnn.weight_hh_l0',
      'rnn.bias_ih_l0',
      'rnn.bias_hh_l0',
      'head.weight',
      'head.bias',
    ]);
    expect(sd['rnn.weight_ih_l0'].shape).toEqual([32, 4]);
    expect(sd['head.weight'].shape).toEqual([2, 8]);
  });
});

describe('modelToJSON / modelFromJSON', () => {
  const m = createModel(arch, { seed: 2, dtype: 'float64' });
  const good = () => JSON.parse(JSON.stringify(modelToJSON(m)));

  it('round-trips exactly', () => {
    const back = modelFromJSON(good(), { dtype: 'float64' });
    expect(back.architecture).toEqual(arch);
    expectClose(back.forward(x, 2, 4), m.forward(x, 2, 4), 0, 'forward');
  });
  it('refuses an unknown version, saying which', () => {
    expect(() => modelFromJSON({ ...good(), version: 2 })).toThrow(/unsupported model version 2/);
  });
  it('refuses an unknown cell', () => {
    const j = good();
    j.architecture.cell = 'transformer';
    expect(() => modelFromJSON(j)).toThrow(ModelFormatError);
    expect(() => modelFromJSON(j)).toThrow(/unknown cell "transformer"/);
  });
  it('refuses a weight whose shape does not fit the architecture, naming it', () => {
    const j = good();
    j.stateDict['rnn.weight_hh_l1'].shape = [15, 4];
    expect(() => modelFromJSON(j)).toThrow(/rnn.weight_hh_l1 has shape \[15,4\], expected \[15,5\]/);
  });
  it('refuses a NaN weight (null in JSON), naming parameter and index', () => {
    const j = good();
    j.stateDict['head.bias'].data[3] = null;
    expect(() => modelFromJSON(j)).toThrow(/head.bias\[3\] is null, not a finite number/);
  });
  it('refuses missing and extra weights', () => {
    const j = good();
    delete j.stateDict['head.weight'];
    expect(() => modelFromJSON(j)).toThrow(/lacks head.weight/);
    const k = good();
    k.stateDict['rnn.weight_ih_l2'] = { shape: [1], data: [0] };
    expect(() => modelFromJSON(k)).toThrow(/rnn.weight_ih_l2/);
  });
  it('refuses things that are not a model', () => {
    expect(() => modelFromJSON(null)).toThrow(/must be an object/);
    expect(() => modelFromJSON({ format: 'other' })).toThrow(/format is "other"/);
  });
});
