/**
 * Turnout and winner-share distributions over per-mesa results (issue #7,
 * item 3): the per-mesa fractions every forensic test starts from, their
 * histograms (weighted by mesa and by voters, with the bin edges as data so a
 * renderer draws exactly what was counted) and summary statistics.
 *
 * Definitions (those of Klimek et al., PNAS 2012, and Kobak, Shpilkin and
 * Pshenichnikov, AOAS 2016):
 * - turnout = voters / registered (ballots issued over the roll);
 * - the leader is the candidate with the most votes over all the mesas
 *   analysed (or the one the caller names);
 * - leader share = leader's votes / ballots counted, where ballots counted =
 *   valid + invalid (+ blank when the source gives it) — the denominator the
 *   literature uses for Russia — or, when the acta gives no valid count, the
 *   number of voters.
 *
 * Null hypothesis (of the reading, not a test): in an honest election the
 * turnout and share histograms are smooth, roughly unimodal bumps (Klimek et
 * al.). A second mode near 100% or spikes are evidence, not proof: mesas in
 * closed institutions (hospitals, barracks), very small mesas, and regions
 * with a different political geography also make extra modes.
 */
import type { MesaResult } from './mesa-result.js';

/** Why a mesa was left out of the turnout/share analysis. */
export type FractionExclusion =
  | 'missing-registered'
  | 'missing-voters'
  | 'zero-registered'
  | 'voters-exceed-registered'
  | 'missing-ballots'
  | 'zero-ballots'
  | 'leader-exceeds-ballots';

/** The per-mesa counts and fractions the forensic tests read, in typed arrays. */
export interface TurnoutShareData {
  /** The leader (largest total over the mesas kept, unless the caller named one). */
  readonly leader: string;
  /** Kept mesas' ids, in input order. */
  readonly ids: readonly string[];
  /** Kept mesas' largest region (region[0], or '' when none). */
  readonly regions: readonly string[];
  readonly registered: Float64Array;
  readonly voters: Float64Array;
  /** The share's denominator: valid + invalid (+ blank), or voters when valid is not given. */
  readonly ballots: Float64Array;
  readonly leaderVotes: Float64Array;
  /** voters / registered */
  readonly turnout: Float64Array;
  /** leaderVotes / ballots */
  readonly share: Float64Array;
  /** Mesas left out, by reason (every input mesa is either kept or counted here). */
  readonly excluded: Readonly<Record<FractionExclusion, number>>;
  /** Ids of the mesas left out, with why. */
  readonly excludedMesas: readonly { readonly id: string; readonly reason: FractionExclusion }[];
}

/** Options for {@link extractTurnoutShare}. */
export interface TurnoutShareOptions {
  /** The candidate whose share to compute; by default the one with the most votes. */
  readonly leader?: string;
}

/** Sums each candidate's votes over the mesas and returns the candidate with the most (first on ties). */
export function findLeader(mesas: readonly MesaResult[]): string | null {
  const totals = new Map<string, number>();
  for (const mesa of mesas) {
    for (const [name, votes] of mesa.votes) totals.set(name, (totals.get(name) ?? 0) + votes);
  }
  let best: string | null = null;
  let bestVotes = Number.NEGATIVE_INFINITY;
  for (const [name, votes] of totals) {
    if (votes > bestVotes) {
      best = name;
      bestVotes = votes;
    }
  }
  return best;
}

/**
 * Extracts turnout and leader share per mesa. Mesas without the counts a
 * fraction needs, or with impossible ones (more voters than registered, more
 * leader votes than ballots), are left out and counted by reason: nothing is
 * dropped silently. Throws RangeError only when there is no candidate at all
 * and no leader was named (a programmer's misuse: nothing to analyse).
 */
export function extractTurnoutShare(
  mesas: readonly MesaResult[],
  options: TurnoutShareOptions = {},
): TurnoutShareData {
  const leader = options.leader ?? findLeader(mesas);
  if (leader === null)
    throw new RangeError('no candidate votes in the mesas: no leader to analyse');
  const excluded: Record<FractionExclusion, number> = {
    'missing-registered': 0,
    'missing-voters': 0,
    'zero-registered': 0,
    'voters-exceed-registered': 0,
    'missing-ballots': 0,
    'zero-ballots': 0,
    'leader-exceeds-ballots': 0,
  };
  const excludedMesas: { id: string; reason: FractionExclusion }[] = [];
  const n = mesas.length;
  const registered = new Float64Array(n);
  const voters = new Float64Array(n);
  const ballots = new Float64Array(n);
  const leaderVotes = new Float64Array(n);
  const ids: string[] = [];
  const regions: string[] = [];
  let kept = 0;
  for (const mesa of mesas) {
    const reason = classifyMesa(mesa, leader);
    if (typeof reason === 'string') {
      excluded[reason]++;
      excludedMesas.push({ id: mesa.id, reason });
      continue;
    }
    registered[kept] = reason.registered;
    voters[kept] = reason.voters;
    ballots[kept] = reason.ballots;
    leaderVotes[kept] = reason.leaderVotes;
    ids.push(mesa.id);
    regions.push(mesa.region[0] ?? '');
    kept++;
  }
  const turnout = new Float64Array(kept);
  const share = new Float64Array(kept);
  for (let i = 0; i < kept; i++) {
    turnout[i] = (voters[i] ?? 0) / (registered[i] ?? 1);
    share[i] = (leaderVotes[i] ?? 0) / (ballots[i] ?? 1);
  }
  return {
    leader,
    ids,
    regions,
    registered: registered.slice(0, kept),
    voters: voters.slice(0, kept),
    ballots: ballots.slice(0, kept),
    leaderVotes: leaderVotes.slice(0, kept),
    turnout,
    share,
    excluded,
    excludedMesas,
  };
}

interface MesaCounts {
  readonly registered: number;
  readonly voters: number;
  readonly ballots: number;
  readonly leaderVotes: number;
}

function classifyMesa(mesa: MesaResult, leader: string): MesaCounts | FractionExclusion {
  if (mesa.registered === null) return 'missing-registered';
  if (mesa.voters === null) return 'missing-voters';
  if (mesa.registered <= 0) return 'zero-registered';
  if (mesa.voters > mesa.registered) return 'voters-exceed-registered';
  const ballots =
    mesa.valid !== null ? mesa.valid + (mesa.invalid ?? 0) + (mesa.blank ?? 0) : mesa.voters;
  if (!Number.isFinite(ballots)) return 'missing-ballots';
  if (ballots <= 0) return 'zero-ballots';
  const leaderVotes = mesa.votes.get(leader) ?? 0;
  if (leaderVotes > ballots) return 'leader-exceeds-ballots';
  return { registered: mesa.registered, voters: mesa.voters, ballots, leaderVotes };
}

/** A histogram: `counts[i]` is the (weighted) number of values in [edges[i], edges[i+1]) (the last bin closed). */
export interface Histogram {
  /** bins + 1 edges, increasing. */
  readonly edges: Float64Array;
  readonly counts: Float64Array;
  /** Total weight counted (values outside the edges are not counted). */
  readonly total: number;
  /** Weight of values below the first or above the last edge (or NaN). */
  readonly outside: number;
}

/** Options for {@link computeHistogram}. */
export interface HistogramOptions {
  readonly bins?: number;
  readonly min?: number;
  readonly max?: number;
}

/**
 * Histogram of `values` over equal bins on [min, max] (defaults: 100 bins on
 * [0, 1]), each value counted with its weight (1 when no weights). The last
 * bin includes `max`, so a turnout of exactly 100% is counted.
 */
export function computeHistogram(
  values: ArrayLike<number>,
  weights: ArrayLike<number> | null = null,
  options: HistogramOptions = {},
): Histogram {
  const bins = options.bins ?? 100;
  const min = options.min ?? 0;
  const max = options.max ?? 1;
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (!(max > min)) throw new RangeError(`histogram needs min < max, got [${min}, ${max}]`);
  if (weights !== null && weights.length !== values.length) {
    throw new RangeError('weights and values differ in length');
  }
  const edges = new Float64Array(bins + 1);
  // Edges computed from the index, not accumulated, so that 0.7 is 0.7 and not 0.7000000000000001.
  for (let i = 0; i <= bins; i++) edges[i] = min + ((max - min) * i) / bins;
  const counts = new Float64Array(bins);
  const scale = bins / (max - min);
  let total = 0;
  let outside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? Number.NaN;
    const w = weights === null ? 1 : (weights[i] ?? 0);
    if (!(v >= min && v <= max)) {
      outside += w;
      continue;
    }
    let bin = Math.floor((v - min) * scale);
    if (bin >= bins) bin = bins - 1;
    // Floating error can put a value that sits on an edge one bin off; the edges decide.
    if (bin > 0 && v < (edges[bin] ?? 0)) bin--;
    else if (bin < bins - 1 && v >= (edges[bin + 1] ?? Number.POSITIVE_INFINITY)) bin++;
    counts[bin] = (counts[bin] ?? 0) + w;
    total += w;
  }
  return { edges, counts, total, outside };
}

/** Summary statistics of a (weighted) sample. */
export interface SummaryStats {
  /** Number of values (not their weight). */
  readonly n: number;
  readonly totalWeight: number;
  readonly mean: number;
  /** Weighted standard deviation (population form, divisor = total weight). */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  readonly median: number;
  /** The requested quantiles, in the order of `probabilities`. */
  readonly quantiles: readonly { readonly p: number; readonly value: number }[];
}

/** The quantiles reported by default. */
export const DEFAULT_QUANTILES: readonly number[] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

/**
 * Mean, sd, min, max, median and quantiles. Unweighted quantiles use linear
 * interpolation between order statistics (Hyndman–Fan type 7, numpy's
 * default); weighted ones are the weighted empirical distribution's inverse
 * (the smallest value whose cumulative weight reaches p·W), since there is no
 * single agreed interpolation for weights. NaN values are refused (RangeError):
 * callers pass fractions they computed.
 */
export function summarize(
  values: ArrayLike<number>,
  weights: ArrayLike<number> | null = null,
  probabilities: readonly number[] = DEFAULT_QUANTILES,
): SummaryStats {
  const n = values.length;
  if (weights !== null && weights.length !== n)
    throw new RangeError('weights and values differ in length');
  if (n === 0) {
    return {
      n: 0,
      totalWeight: 0,
      mean: Number.NaN,
      sd: Number.NaN,
      min: Number.NaN,
      max: Number.NaN,
      median: Number.NaN,
      quantiles: probabilities.map((p) => ({ p, value: Number.NaN })),
    };
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) throw new RangeError(`summarize: value ${i} is NaN`);
    order[i] = i;
  }
  const sorted = Float64Array.from(values);
  let sumW = 0;
  let sumWX = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === null ? 1 : (weights[i] ?? 0);
    sumW += w;
    sumWX += w * (sorted[i] ?? 0);
  }
  const mean = sumWX / sumW;
  let sumWD = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === null ? 1 : (weights[i] ?? 0);
    const d = (sorted[i] ?? 0) - mean;
    sumWD += w * d * d;
  }
  const quantileAt =
    weights === null ? unweightedQuantiles(sorted) : weightedQuantiles(values, weights, order);
  return {
    n,
    totalWeight: sumW,
    mean,
    sd: Math.sqrt(sumWD / sumW),
    min: quantileAt(0),
    max: quantileAt(1),
    median: quantileAt(0.5),
    quantiles: probabilities.map((p) => ({ p, value: quantileAt(p) })),
  };
}

function checkProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
}

function unweightedQuantiles(sorted: Float64Array): (p: number) => number {
  sorted.sort();
  const n = sorted.length;
  return (p) => {
    checkProbability(p);
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(n - 1, lo + 1);
    const a = sorted[lo] ?? Number.NaN;
    const b = sorted[hi] ?? Number.NaN;
    return a + (h - lo) * (b - a);
  };
}

function weightedQuantiles(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  order: Uint32Array,
): (p: number) => number {
  order.sort((i, j) => (values[i] ?? 0) - (values[j] ?? 0));
  const n = order.length;
  const cumulative = new Float64Array(n);
  let run = 0;
  for (let k = 0; k < n; k++) {
    run += weights[order[k] ?? 0] ?? 0;
    cumulative[k] = run;
  }
  return (p) => {
    checkProbability(p);
    const target = p * run;
    // The first position whose cumulative weight reaches the target (binary search).
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] ?? 0) >= target && (cumulative[mid] ?? 0) > 0) hi = mid;
      else lo = mid + 1;
    }
    return values[order[lo] ?? 0] ?? Number.NaN;
  };
}

/** Options for {@link describeDistributions}. */
export interface DistributionOptions extends TurnoutShareOptions {
  /** Histogram bins on [0, 1] (default 100: one bin per percentage point). */
  readonly bins?: number;
  readonly quantiles?: readonly number[];
}

/** One fraction's histograms and statistics, by mesa and by voters. */
export interface FractionDistribution {
  /** Each mesa counts once. */
  readonly byMesa: Histogram;
  /** Each mesa counts with its number of voters (how many people sit in each bin). */
  readonly byVoters: Histogram;
  readonly statsByMesa: SummaryStats;
  readonly statsByVoters: SummaryStats;
}

/** Turnout and leader-share distributions of an election. */
export interface DistributionsReport {
  readonly leader: string;
  readonly mesas: number;
  readonly excluded: Readonly<Record<FractionExclusion, number>>;
  readonly turnout: FractionDistribution;
  readonly share: FractionDistribution;
}

/** Histograms and statistics of turnout and of the leader's share (see the module comment). */
export function describeDistributions(
  mesas: readonly MesaResult[] | TurnoutShareData,
  options: DistributionOptions = {},
): DistributionsReport {
  const data = isTurnoutShareData(mesas) ? mesas : extractTurnoutShare(mesas, options);
  const bins = options.bins ?? 100;
  const quantiles = options.quantiles ?? DEFAULT_QUANTILES;
  const describe = (values: Float64Array): FractionDistribution => ({
    byMesa: computeHistogram(values, null, { bins }),
    byVoters: computeHistogram(values, data.voters, { bins }),
    statsByMesa: summarize(values, null, quantiles),
    statsByVoters: summarize(values, data.voters, quantiles),
  });
  return {
    leader: data.leader,
    mesas: data.ids.length,
    excluded: data.excluded,
    turnout: describe(data.turnout),
    share: describe(data.share),
  };
}

/** Whether an argument is already-extracted data rather than a list of mesas. */
export function isTurnoutShareData(
  input: readonly MesaResult[] | TurnoutShareData,
): input is TurnoutShareData {
  return !Array.isArray(input);
}
