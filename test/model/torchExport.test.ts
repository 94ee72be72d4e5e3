// A model made here runs in PyTorch: export its state_dict, load it into torch.nn.LSTM / GRU / RNN
// + Linear with load_state_dict (strict), run the same input there, and compare every prediction.
// Needs /usr/bin/python3 with torch; skipped (and says so) where that is missing.
import { beforeAll, describe, it } from 'vitest';
import type { CellKind } from '../../src/model/architecture.ts';
import { createModel } from '../../src/model/model.ts';
import { exportStateDict } from '../../src/model/stateDict.ts';
import { expectClose, randn } from '../helpers.ts';
import { hasTorch, runPython } from '../torchPython.ts';

const SCRIPT = `
import json, sys, torch
def run(job):
    a = job["arch"]
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[a["cell"]]
    rnn = cls(a["inputSize"], a["hiddenSize"], a["numLayers"], batch_first=True)
    head = torch.nn.Linear(a["hiddenSize"], 5 if a["head"] == "gaussian" else 2)
    net = torch.nn.ModuleDict({"rnn": rnn, "head": head}).double()
    sd = {k: torch.tensor(v["data"], dtype=torch.float64).reshape(v["shape"]) for k, v in job["sd"].items()}
    net.load_state_dict(sd, strict=True)
    x = torch.tensor(job["x"], dtype=torch.float64).reshape(job["B"], job["T"], a["inputSize"])
    with torch.no_grad():
        out, _ = net["rnn"](x)
        return net["head"](out).flatten().tolist()
print(json.dumps([run(job) for job in json.load(sys.stdin)]))
`;

const available = hasTorch();
const B = 2;
const T = 9;
const cases: [CellKind, number, 'mean' | 'gaussian'][] = [
  ['lstm', 2, 'gaussian'],
  ['gru', 1, 'mean'],
  ['rnn', 2, 'mean'],
];
const models = cases.map(([cell, numLayers, head]) =>
  createModel({ cell, inputSize: 3, hiddenSize: 7, numLayers, head }, { seed: 21, dtype: 'float64' }),
);
const x = Array.from(randn(B * T * 3, 5));
let theirs: number[][] = [];

describe('a model exported from here runs in PyTorch (skipped where /usr/bin/python3 lacks torch)', () => {
  beforeAll(() => {
    if (!available) return;
    const jobs = models.map((m) => ({ arch: m.architecture, sd: exportStateDict(m), x, B, T }));
    theirs = runPython<number[][]>(SCRIPT, jobs);
  }, 120_000);
  cases.forEach(([cell, numLayers, head], i) =>
    it.skipIf(!available)(
      `${cell}, ${numLayers} layer(s), ${head} head: PyTorch loads the state_dict strictly and predicts the same`,
      () => {
        expectClose(models[i].forward(x, B, T), theirs[i], 1e-10, 'predictions');
      },
    ),
  );
});
