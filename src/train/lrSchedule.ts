// Learning-rate schedules as pure functions of the step: constant, step decay, cosine with
// optional linear warm-up. No state, so a resumed run gets the same rate for the same step.

export type LrSchedule =
  | { kind: 'constant'; lr: number }
  | { kind: 'step'; lr: number; everySteps: number; gamma: number }
  | { kind: 'cosine'; lr: number; totalSteps: number; warmupSteps?: number; minLr?: number };

/** The learning rate at optimizer step `step` (0-based). Cosine: Loshchilov & Hutter 2017 (SGDR), no restarts. */
export function lrAt(schedule: LrSchedule, step: number): number {
  switch (schedule.kind) {
    case 'constant':
      return schedule.lr;
    case 'step':
      return schedule.lr * Math.pow(schedule.gamma, Math.floor(step / schedule.everySteps));
    case 'cosine': {
      const warm = schedule.warmupSteps ?? 0;
      const minLr = schedule.minLr ?? 0;
      if (step < warm) return (schedule.lr * (step + 1)) / warm;
      const span = Math.max(1, schedule.totalSteps - warm);
      const progress = Math.min(1, (step - warm) / span);
      return minLr + 0.5 * (schedule.lr - minLr) * (1 + Math.cos(Math.PI * progress));
    }
  }
}
