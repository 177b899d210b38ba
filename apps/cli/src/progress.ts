/**
 * Progress display for long-running commands: a bar with count, rate and ETA
 * on an interactive terminal (cli-progress), one summary line per step
 * otherwise, and nothing at all in --json mode (stdout stays pure JSON;
 * progress always goes to stderr).
 */
import cliProgress from 'cli-progress';

/** Reports the progress of one step. */
export interface ProgressStep {
  tick(by?: number): void;
  done(): void;
}

/** Creates progress steps; `quiet` silences everything. */
export interface Progress {
  step(label: string, total: number): ProgressStep;
  note(message: string): void;
}

/** A progress reporter writing to stderr. */
export function createProgress(options: { quiet: boolean }): Progress {
  const stream = process.stderr;
  const interactive = stream.isTTY === true;
  return {
    note(message: string): void {
      if (!options.quiet) stream.write(`${message}\n`);
    },
    step(label: string, total: number): ProgressStep {
      const started = performance.now();
      let count = 0;
      if (options.quiet) {
        return { tick: () => undefined, done: () => undefined };
      }
      const bar = interactive
        ? new cliProgress.SingleBar(
            {
              stream,
              format: `${label.padEnd(34)} {bar} {value}/{total} | {rate}/s | ETA {eta_formatted}`,
              hideCursor: true,
              clearOnComplete: false,
            },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      bar?.start(total, 0, { rate: '0' });
      return {
        tick(by = 1): void {
          count += by;
          const seconds = (performance.now() - started) / 1000;
          bar?.update(count, { rate: seconds > 0 ? (count / seconds).toFixed(1) : '0' });
        },
        done(): void {
          const seconds = (performance.now() - started) / 1000;
          if (bar !== undefined) {
            bar.update(total);
            bar.stop();
          } else {
            const rate = seconds > 0 ? ` (${(total / seconds).toFixed(1)}/s)` : '';
            stream.write(`${label.padEnd(34)} ${total} in ${seconds.toFixed(1)} s${rate}\n`);
          }
        },
      };
    },
  };
}
