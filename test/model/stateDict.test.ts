// The PyTorch state_dict: round trips are exact, and every malformed input is refused with a
// message naming what is wrong.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/model/model.ts';
import {
  exportStateDict,
  importStateDict,
  loadStateDict,
  type StateDictJSON,
} from '../../src/model/stateDict.ts';
import { expectClose, randn } from '../helpers.ts';

const arch = { cell: 'gru', inputSize: 3, hiddenSize: 5, numLayers: 2, head: 'gaussian' } as const;
const x = randn(2 * 4 * 3, 4);

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

describe('loadStateDict / importStateDict refuse what does not fit, naming it', () => {
  const m = createModel(arch, { seed: 2, dtype: 'float64' });
  const good = (): StateDictJSON => JSON.parse(JSON.stringify(exportStateDict(m)));
  const load = (sd: StateDictJSON) => loadStateDict(createModel(arch, { dtype: 'float64' }), sd);

  it('loads its own export exactly', () => {
    const back = createModel(arch, { dtype: 'float64' });
    loadStateDict(back, good());
    expectClose(back.forward(x, 2, 4), m.forward(x, 2, 4), 0, 'forward');
  });
  it('a weight whose shape does not fit the architecture', () => {
    const sd = good();
    sd['rnn.weight_hh_l1'].shape = [15, 4];
    expect(() => load(sd)).toThrow(/rnn.weight_hh_l1 has shape \[15,4\], expected \[15,5\]/);
  });
  it('a NaN weight (null in JSON), with parameter and index', () => {
    const sd = good();
    (sd['head.bias'].data as unknown[])[3] = null;
    expect(() => load(sd)).toThrow(/head.bias\[3\] is null, not a finite number/);
  });
  it('a missing weight', () => {
    const sd = good();
    delete sd['head.weight'];
    expect(() => load(sd)).toThrow(/lacks head.weight/);
  });
  it('a layer that is only half there', () => {
    const sd = good();
    sd['rnn.weight_ih_l2'] = { shape: [15, 5], data: Array<number>(75).fill(0) };
    expect(() => importStateDict(sd)).toThrow(/lacks rnn.weight_hh_l2/);
  });
  it('gate rows that fit no cell', () => {
    const sd = good();
    sd['rnn.weight_hh_l0'].shape = [10, 5];
    expect(() => importStateDict(sd)).toThrow(
      /expected \[G·H, H\] with G = 4 \(LSTM\), 3 \(GRU\) or 1 \(RNN\)/,
    );
  });
});
