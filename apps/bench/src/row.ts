/**
 * What a benchmark row is (docs/performance.md, "Method"): a function doing a
 * known number of units of work, timed by measure.ts, and a helper to feed it
 * varied inputs.
 */
/** A row to time: `fn` does `opsPerCall` units of the figure's work. */
export interface BenchRow {
  /** The figure's key (figures.ts), without the backend prefix. */
  readonly key: string;
  readonly opsPerCall: number;
  readonly fn: () => unknown;
}

/** Returns a function that cycles through `pool`, so that consecutive calls see different inputs. */
export function cycle<T>(pool: readonly T[]): () => T {
  if (pool.length === 0) throw new RangeError('cannot cycle through an empty pool');
  let i = 0;
  return () => {
    const value = pool[i % pool.length] as T;
    i++;
    return value;
  };
}
