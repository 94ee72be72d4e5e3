// The training target of a window: its next delta in the window's frame (windowFrame.ts), in units of
// targetStd. decodeHead.ts is the inverse for the model's output.
import type { WindowFrame } from './windowFrame.ts';

/** A world-frame delta (metres) in the window's frame, divided by targetStd: the training target. */
export function encodeTarget(
  dxM: number,
  dyM: number,
  frame: WindowFrame,
  targetStd: number,
): [number, number] {
  const k = frame.scale * targetStd;
  return [(dxM * frame.cos + dyM * frame.sin) / k, (-dxM * frame.sin + dyM * frame.cos) / k];
}
