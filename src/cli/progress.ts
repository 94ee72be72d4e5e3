// Training progress on stderr: a cli-progress bar over every batch of every epoch (epoch, batch,
// loss, validation error in metres, time left) when stderr is a terminal, else one plain line per
// epoch so logs and tests stay readable. Never writes to stdout.
import cliProgress from 'cli-progress';
import type { MemberProgress } from '../train/trainOnTracks.ts';

export interface BatchProgress extends MemberProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
}

export interface EpochProgress extends MemberProgress {
  epoch: number;
  epochs: number;
  loss: number;
  valErrorM: number;
  best: boolean;
  seconds: number;
}

export interface TrainingProgress {
  batch(p: BatchProgress): void;
  epoch(p: EpochProgress): void;
  stop(): void;
}

/** A progress reporter writing to `stream` (default process.stderr). */
export function trainingProgress(stream: NodeJS.WriteStream = process.stderr): TrainingProgress {
  let bar: cliProgress.SingleBar | null = null;
  let lastVal = NaN;
  const interactive = Boolean(stream.isTTY);
  return {
    batch(p) {
      if (!interactive) return;
      const total = p.epochs * p.batches * (p.members ?? 1);
      const value = (((p.member ?? 1) - 1) * p.epochs + p.epoch - 1) * p.batches + p.batch;
      const payload = {
        epochText: `${networkText(p)}epoch ${p.epoch}/${p.epochs}`,
        batchText: `${p.batch}/${p.batches}`,
        lossText: p.loss.toFixed(4),
        valText: Number.isFinite(lastVal) ? lastVal.toFixed(1) : '–',
      };
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format:
              '{epochText} |{bar}| batch {batchText} · loss {lossText} · val {valText} m · ETA {eta_formatted}',
            hideCursor: true,
            etaBuffer: 200,
            fps: 5,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, value, payload);
      } else bar.update(value, payload);
    },
    epoch(p) {
      lastVal = p.valErrorM;
      if (interactive) return;
      stream.write(
        `${networkText(p)}epoch ${p.epoch}/${p.epochs}: loss ${p.loss.toFixed(4)}, validation error ${p.valErrorM.toFixed(1)} m` +
          `${p.best ? ' (best)' : ''}, ${p.seconds.toFixed(1)} s\n`,
      );
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

/** "network 2/3, " for an ensemble member, else nothing. */
function networkText(p: MemberProgress): string {
  return p.member !== undefined ? `network ${p.member}/${p.members}, ` : '';
}
