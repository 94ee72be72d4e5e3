// The training target of a window: its next delta, less the frame's base (constant velocity for the
// 'cv-residual' target, 0 otherwise), in the window's frame (windowFrame.ts), in units of targetStd.
// A direct head's step k targets the displacement after k steps less k·base. decodeHead.ts is the
// inverse for the model's output.
import type { WindowFrame } from './windowFrame.ts';

/**
 * The training target of a world-frame displacement (metres) after `steps` steps (1: the next delta):
 * R(−θ)·(d − steps·base) / (scale·targetStd).
 */
export function encodeTarget(
  dxM: number,
  dyM: number,
  frame: WindowFrame,
  targetStd: number,
  steps = 1,
): [number, number] {
  const k = frame.scale * targetStd;
  const x = dxM - steps * frame.baseX;
  const y = dyM - steps * frame.baseY;
  return [(x * frame.cos + y * frame.sin) / k, (-x * frame.sin + y * frame.cos) / k];
}
