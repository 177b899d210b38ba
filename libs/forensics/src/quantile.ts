/**
 * The p-quantile of sorted values by linear interpolation between order
 * statistics (Hyndman & Fan's type 7, R's and numpy's default), as every
 * bootstrap interval of this package reads it.
 */
export function computeQuantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (h - lo) * (b - a);
}
