/**
 * The turnout–share correlation over mesas (issue #7, item 3; Klimek,
 * Yegorov, Hanel and Thurner, "Statistical detection of systematic election
 * irregularities", PNAS 2012, who read a strong positive association between
 * turnout and the winner's share across units as the trace of ballot
 * stuffing: stuffed ballots raise both at once).
 *
 * Pearson's r and Spearman's ρ, each unweighted (every mesa counts once) and
 * weighted by voters (every voter counts once), with percentile bootstrap
 * intervals (mesas resampled with replacement, B = 1,000 by default, seeded).
 * A resample is represented by how many times each mesa was drawn, so the
 * bootstrap statistic is the weighted statistic with weight = multiplicity ×
 * base weight: the sort orders of turnout and share are computed once and each
 * replicate is O(N) (weighted mid-ranks by one pass over each order).
 *
 * Null hypothesis: no monotone (Spearman) or linear (Pearson) association
 * between turnout and leader share across mesas; the interval excluding 0 is
 * reported. Evidence, not proof: honest elections show correlations of either
 * sign from geography alone (rural mesas with both high turnout and a
 * different political leaning; a leader's stronghold mobilising more), so the
 * sign and size matter less than how the association changes with turnout,
 * which the fingerprint shows.
 */
import {
  extractTurnoutShare,
  isTurnoutShareData,
  type TurnoutShareData,
  type TurnoutShareOptions,
} from './distributions.js';
import type { MesaResult } from './mesa-result.js';
import { createRandom } from './random.js';

/** An estimate with its bootstrap interval. */
export interface CorrelationEstimate {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** Whether the interval excludes 0. */
  readonly excludesZero: boolean;
}

/** Pearson and Spearman for one weighting. */
export interface CorrelationPair {
  readonly pearson: CorrelationEstimate;
  readonly spearman: CorrelationEstimate;
}

/** The turnout–share correlation report. */
export interface CorrelationReport {
  readonly leader: string;
  readonly mesas: number;
  readonly bootstrap: number;
  readonly confidence: number;
  readonly byMesa: CorrelationPair;
  readonly byVoters: CorrelationPair;
}

/** Options for {@link testTurnoutShareCorrelation}. */
export interface CorrelationOptions extends TurnoutShareOptions {
  readonly seed: number | string;
  /** Bootstrap replicates (default 1,000). */
  readonly bootstrap?: number;
  /** Confidence level (default 0.95). */
  readonly confidence?: number;
}

function checkPair(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number> | null): void {
  if (x.length !== y.length) throw new RangeError('x and y differ in length');
  if (w !== null && w.length !== x.length)
    throw new RangeError('weights and values differ in length');
}

/**
 * Weighted Pearson correlation (weights 1 when null): the covariance over the
 * product of standard deviations, each with the weighted mean. NaN when a
 * variable is constant or the total weight is 0.
 */
export function computePearson(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weights: ArrayLike<number> | null = null,
): number {
  checkPair(x, y, weights);
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const w = weights === null ? 1 : (weights[i] ?? 0);
    sw += w;
    sx += w * (x[i] ?? 0);
    sy += w * (y[i] ?? 0);
  }
  if (sw <= 0) return Number.NaN;
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const w = weights === null ? 1 : (weights[i] ?? 0);
    const dx = (x[i] ?? 0) - mx;
    const dy = (y[i] ?? 0) - my;
    sxx += w * dx * dx;
    syy += w * dy * dy;
    sxy += w * dx * dy;
  }
  if (sxx <= 0 || syy <= 0) return Number.NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/** Indices sorted by value, and the start of each run of equal values. */
interface SortOrder {
  readonly order: Uint32Array;
  /** groupEnd[k] = one past the last position of the tie group containing position k. */
  readonly groupEnd: Uint32Array;
}

function sortOrder(values: ArrayLike<number>): SortOrder {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0));
  const groupEnd = new Uint32Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const v = values[order[start] ?? 0];
    while (end < n && values[order[end] ?? 0] === v) end++;
    for (let k = start; k < end; k++) groupEnd[k] = end;
    start = end;
  }
  return { order, groupEnd };
}

/**
 * Weighted mid-ranks into `ranks`: a value's rank is the weight of all
 * smaller values plus half the weight of its tie group. With unit weights this
 * is the usual mid-rank minus ½ (a shift that no correlation sees).
 */
function fillRanks(
  sorted: SortOrder,
  weights: ArrayLike<number> | null,
  ranks: Float64Array,
): void {
  const { order, groupEnd } = sorted;
  const n = order.length;
  let below = 0;
  let k = 0;
  while (k < n) {
    const end = groupEnd[k] ?? n;
    let groupWeight = 0;
    for (let j = k; j < end; j++)
      groupWeight += weights === null ? 1 : (weights[order[j] ?? 0] ?? 0);
    const rank = below + groupWeight / 2;
    for (let j = k; j < end; j++) ranks[order[j] ?? 0] = rank;
    below += groupWeight;
    k = end;
  }
}

/**
 * Weighted Spearman correlation: the weighted Pearson correlation of the
 * weighted mid-ranks (with unit weights, the usual Spearman ρ with ties
 * averaged, as scipy.stats.spearmanr).
 */
export function computeSpearman(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weights: ArrayLike<number> | null = null,
): number {
  checkPair(x, y, weights);
  const rx = new Float64Array(x.length);
  const ry = new Float64Array(y.length);
  fillRanks(sortOrder(x), weights, rx);
  fillRanks(sortOrder(y), weights, ry);
  return computePearson(rx, ry, weights);
}

/** Turnout–leader share correlations with bootstrap intervals (see the module comment). */
export function testTurnoutShareCorrelation(
  mesas: readonly MesaResult[] | TurnoutShareData,
  options: CorrelationOptions,
): CorrelationReport {
  const data = isTurnoutShareData(mesas) ? mesas : extractTurnoutShare(mesas, options);
  const bootstrap = options.bootstrap ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(bootstrap) || bootstrap < 1) {
    throw new RangeError(`bootstrap must be a positive integer, got ${bootstrap}`);
  }
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const { turnout: x, share: y, voters } = data;
  const n = x.length;
  const orderX = sortOrder(x);
  const orderY = sortOrder(y);
  const rx = new Float64Array(n);
  const ry = new Float64Array(n);

  const statistics = (multiplicity: Float64Array | null): [number, number, number, number] => {
    let byVoters: Float64Array;
    if (multiplicity === null) {
      byVoters = voters;
    } else {
      byVoters = new Float64Array(n);
      for (let i = 0; i < n; i++) byVoters[i] = (multiplicity[i] ?? 0) * (voters[i] ?? 0);
    }
    const pearsonMesa = computePearson(x, y, multiplicity);
    const pearsonVoters = computePearson(x, y, byVoters);
    fillRanks(orderX, multiplicity, rx);
    fillRanks(orderY, multiplicity, ry);
    const spearmanMesa = computePearson(rx, ry, multiplicity);
    fillRanks(orderX, byVoters, rx);
    fillRanks(orderY, byVoters, ry);
    const spearmanVoters = computePearson(rx, ry, byVoters);
    return [pearsonMesa, spearmanMesa, pearsonVoters, spearmanVoters];
  };

  const point = statistics(null);
  const replicates = [0, 1, 2, 3].map(() => new Float64Array(bootstrap));
  if (n > 1) {
    const random = createRandom(options.seed);
    const multiplicity = new Float64Array(n);
    for (let b = 0; b < bootstrap; b++) {
      multiplicity.fill(0);
      for (let i = 0; i < n; i++) {
        const j = random.nextInt(n);
        multiplicity[j] = (multiplicity[j] ?? 0) + 1;
      }
      const stats = statistics(multiplicity);
      for (let s = 0; s < 4; s++) {
        const rep = replicates[s];
        if (rep !== undefined) rep[b] = stats[s] ?? Number.NaN;
      }
    }
  }
  const tail = (1 - confidence) / 2;
  const estimate = (s: number): CorrelationEstimate => {
    const rep = replicates[s] ?? new Float64Array(0);
    const finite = rep.filter((v) => Number.isFinite(v)).sort();
    const low = n > 1 && finite.length > 0 ? quantileSorted(finite, tail) : Number.NaN;
    const high = n > 1 && finite.length > 0 ? quantileSorted(finite, 1 - tail) : Number.NaN;
    return { estimate: point[s] ?? Number.NaN, low, high, excludesZero: low > 0 || high < 0 };
  };
  return {
    leader: data.leader,
    mesas: n,
    bootstrap,
    confidence,
    byMesa: { pearson: estimate(0), spearman: estimate(1) },
    byVoters: { pearson: estimate(2), spearman: estimate(3) },
  };
}

function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (h - lo) * (b - a);
}
