/**
 * The timing harness of the benchmark (docs/performance.md, "Method"). A row
 * is measured as: a warm-up (so that V8 has optimised the code and filled any
 * caches), then timed samples of k calls each, k chosen from the warm-up so a
 * sample lasts about a tenth of the row's time box, until both the time box and
 * the minimum number of samples are reached. The reported figure is the median
 * sample, which a stray garbage collection or scheduler hiccup does not move;
 * the relative spread of the samples is reported next to it so that an
 * unstable figure shows as such.
 */

/** How long and how often to measure one row. */
export interface MeasureOptions {
  /** Minimum time spent in timed samples, in milliseconds. */
  readonly minTimeMs: number;
  /** Minimum number of timed samples. */
  readonly minSamples: number;
  /**
   * Minimum warm-up time, in milliseconds. At least one call is always made
   * first; with 0, a first call that lasts a whole sample is timed as one.
   */
  readonly warmupMs: number;
}

/** The timing of one operation. */
export interface Measurement {
  /** Median time per call, in microseconds. */
  readonly usPerCall: number;
  /** Calls timed (warm-up excluded). */
  readonly calls: number;
  /** Timed samples. */
  readonly samples: number;
  /** (slowest − fastest sample) / median, per call: 0.05 means the samples lie within 5%. */
  readonly spread: number;
}

/** Results are kept here so that the engine cannot drop a call as dead code. */
let sink: unknown;

/** The last value a measured function returned (read only to defeat dead-code elimination). */
export function lastResult(): unknown {
  return sink;
}

/** Runs a collection if node was started with --expose-gc, so rows do not pay for each other's garbage. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gc();
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  const hi = sorted[mid] ?? Number.NaN;
  if (sorted.length % 2 === 1) return hi;
  return ((sorted[mid - 1] ?? Number.NaN) + hi) / 2;
}

/** Measures `fn` (see the module comment). */
export function measure(fn: () => unknown, options: MeasureOptions): Measurement {
  const sampleTargetMs = options.minTimeMs / 10;
  const perCallMs: number[] = [];
  let timedMs = 0;

  const warmupStart = performance.now();
  sink = fn();
  const firstMs = performance.now() - warmupStart;
  let perSample: number;
  if (options.warmupMs <= 0 && firstMs >= sampleTargetMs) {
    // No warm-up asked for and the call is long enough to be a sample on its
    // own (quick runs of the slowest rows): count it instead of repeating it.
    perCallMs.push(firstMs);
    timedMs = firstMs;
    perSample = 1;
  } else {
    let warmupCalls = 1;
    while (performance.now() - warmupStart < options.warmupMs) {
      sink = fn();
      warmupCalls++;
    }
    const estimateMs = (performance.now() - warmupStart) / warmupCalls;
    perSample = Math.max(1, Math.floor(sampleTargetMs / Math.max(estimateMs, 1e-6)));
  }

  while (timedMs < options.minTimeMs || perCallMs.length < options.minSamples) {
    const start = performance.now();
    for (let i = 0; i < perSample; i++) sink = fn();
    const elapsed = performance.now() - start;
    timedMs += elapsed;
    perCallMs.push(elapsed / perSample);
  }
  perCallMs.sort((a, b) => a - b);
  const med = median(perCallMs);
  const fastest = perCallMs[0] ?? med;
  const slowest = perCallMs[perCallMs.length - 1] ?? med;
  return {
    usPerCall: med * 1000,
    calls: perCallMs.length * perSample,
    samples: perCallMs.length,
    spread: med > 0 ? (slowest - fastest) / med : 0,
  };
}
