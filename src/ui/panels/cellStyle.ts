// How the panels name and colour the three recurrent cells, so every chart, legend and radio button
// agrees (LSTM blue, GRU green, vanilla RNN red). Constants only.
import type { CellChoice } from './trainForm.ts';

export const cellColor: Record<CellChoice, string> = { lstm: '#2563eb', gru: '#059669', rnn: '#dc2626' };
export const cellLabel: Record<CellChoice, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' };
