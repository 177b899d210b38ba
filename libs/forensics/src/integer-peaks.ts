/**
 * Integer-percentage peaks (Kobak, Shpilkin and Pshenichnikov, "Integer
 * percentages as electoral falsification fingerprints", Annals of Applied
 * Statistics 10(1), 2016): count the mesas whose turnout or leader share is an
 * integer percentage, and compare with how many would be by chance.
 *
 * When is n/d "an integer percentage"? A mesa with d voters can only report
 * the fractions 0/d, 1/d, …, d/d, so "exactly k%" is usually impossible; we
 * call n/d integer when n is the count nearest to k% of d for some integer k,
 * i.e. |n − k·d/100| < tolerance with tolerance = ½ count by default —
 * equivalently |100·n/d − k| < 50/d percentage points, a window that narrows
 * as the mesa grows. It is checked in integer arithmetic (|100n − kd| <
 * 100·tolerance), so no floating rounding decides a borderline case. A
 * commission that writes a figure to hit 70% can do no better than this.
 *
 * Null hypothesis: each mesa's counts are what they are by chance around its
 * own fractions — the leader's votes ~ Binomial(ballots, share) and voters ~
 * Binomial(registered, turnout), independently across mesas, with every
 * mesa's size and fractions kept. The null distribution of the number of
 * integer mesas is drawn by Monte Carlo (1,000 draws by default), exactly as
 * in the paper; the excess is observed − null mean, the p-value one-sided
 * (1 + #draws ≥ observed)/(draws + 1). Since only whether each mesa lands on
 * an integer matters, and mesas are independent, we compute each mesa's exact
 * probability p_i of landing on one (the binomial mass at the ≤ 101 counts
 * that qualify). The number of integer mesas under the null is then a sum of
 * independent Bernoulli(p_i): a Poisson-binomial variable, whose distribution
 * we compute exactly (below) for turnout, share and "either" (p_i of either
 * = 1 − (1 − p_T)(1 − p_S)). The Monte Carlo draws are drawn from those exact
 * distributions by inversion, one uniform each: in law the same draws as
 * summing 95,415 Bernoulli indicators per draw (which cost 3.3 s for 1,000
 * draws on a 2-core machine; this costs ~0.1 s, almost all in the exact
 * distribution), so every reported figure keeps its definition (mean, sd,
 * quantiles and p-value of the Monte Carlo null). Only the joint law of the
 * three counts within one draw is not reproduced, and no reported figure
 * depends on it. Method `resample` draws the counts themselves, the paper's
 * literal procedure, to cross-check. Per-integer expectations and each
 * mesa's null probability are exact, not estimated.
 *
 * The exact Poisson-binomial distribution: divide and conquer — blocks of
 * 32 mesas by the direct recursion P_k(x) = P_{k−1}(x)(1 − p_k) +
 * P_{k−1}(x − 1)p_k, then pairwise direct convolutions up a binary tree,
 * each partial distribution trimmed of tails holding less than 1e-20 of
 * mass (at most ~1e-16 lost in total for 95,000 mesas). No FFT (its
 * rounding noise, ~1e-16 of the peak, would swamp the tails a p-value
 * reads); the trimmed widths (≈ 17 sd at the top) keep direct convolution
 * cheap: ~3·10⁷ multiply-adds for 95,000 mesas.
 *
 * Why a flag is evidence and not proof: the null keeps each mesa's own
 * fractions, so geography and size are accounted for, but small mesas sit on
 * integers often by arithmetic alone (100 voters: every count is an integer
 * percentage), which is why they are excluded below `minDenominator`; a
 * source that rounded or recomputed counts from percentages would also make
 * peaks; and an excess says nothing about which side gained. The paper's
 * stronger argument is the *pattern*: peaks at round integers (70, 75, 80,
 * 85, 90, 95%) concentrated in some regions, which `perInteger` and
 * `byRegion` show.
 */
import {
  extractTurnoutShare,
  isTurnoutShareData,
  type TurnoutShareData,
  type TurnoutShareOptions,
} from './distributions.js';
import type { MesaResult } from './mesa-result.js';
import { createRandom, logFactorial, type Random } from './random.js';

/** Options for {@link testIntegerPeaks}. */
export interface IntegerPeakOptions extends TurnoutShareOptions {
  /** Seed of the Monte Carlo null (required: reports must be reproducible). */
  readonly seed: number | string;
  /** Monte Carlo draws (default 1,000). */
  readonly draws?: number;
  /** Half-width of the "integer" window in counts (default 0.5: the nearest count). */
  readonly tolerance?: number;
  /**
   * A fraction is tested only when its denominator (registered voters for
   * turnout, ballots for the share) is at least this (default 100): below 100
   * voters nearly every count is an integer percentage, which says nothing.
   */
  readonly minDenominator?: number;
  /** Significance level of the flag (default 0.01). */
  readonly alpha?: number;
  /**
   * How the null is drawn: `indicator` (default) draws the number of integer
   * mesas from its exact distribution (the sum of each mesa's independent
   * "on an integer" indicator, exact probability under Binomial(d, n/d));
   * `resample` draws the counts themselves and checks them. Both give the same
   * null distribution of the counts; `indicator` is ~100× faster, `resample`
   * is the paper's literal procedure, kept to cross-check.
   */
  readonly method?: 'indicator' | 'resample';
}

/** Observed and null counts of mesas at integer percentages, for one fraction or for either. */
export interface PeakCount {
  readonly observed: number;
  /** Mean of the Monte Carlo null. */
  readonly expected: number;
  /** Standard deviation of the Monte Carlo null. */
  readonly sd: number;
  /** observed − expected */
  readonly excess: number;
  /** One-sided Monte Carlo p-value, (1 + #null ≥ observed) / (draws + 1). */
  readonly pValue: number;
  /** 2.5% and 97.5% points of the null (for a band around `expected`). */
  readonly nullLow: number;
  readonly nullHigh: number;
  /** Whether pValue < alpha. */
  readonly flagged: boolean;
}

/** How many mesas sit on integer k, observed and under the null (k = 0 … 100). */
export interface IntegerBin {
  readonly percent: number;
  readonly turnoutObserved: number;
  readonly turnoutExpected: number;
  readonly shareObserved: number;
  readonly shareExpected: number;
}

/** A mesa at an integer percentage. */
export interface MesaOnInteger {
  readonly id: string;
  readonly region: string;
  /** The integer turnout percentage, or null when turnout is not at an integer. */
  readonly turnoutPercent: number | null;
  readonly sharePercent: number | null;
  /**
   * Chance that the mesa sits on an integer (turnout or share) under the null,
   * exactly: a mesa that would be there half the time anyway
   * is weak evidence; one at 2% is strong.
   */
  readonly nullProbability: number;
}

/** Observed vs expected integer mesas in one top-level region. */
export interface RegionPeaks {
  readonly region: string;
  readonly mesas: number;
  readonly observed: number;
  readonly expected: number;
  readonly excess: number;
}

/** The integer-peak test's result. */
export interface IntegerPeakReport {
  readonly leader: string;
  readonly draws: number;
  readonly tolerance: number;
  readonly minDenominator: number;
  readonly alpha: number;
  /** Mesas analysed, and those whose turnout / share denominator was large enough. */
  readonly mesas: number;
  readonly turnoutTested: number;
  readonly shareTested: number;
  readonly turnout: PeakCount;
  readonly share: PeakCount;
  /** Mesas with turnout or share (or both) at an integer: the paper's main statistic. */
  readonly either: PeakCount;
  readonly perInteger: readonly IntegerBin[];
  /** Regions sorted by excess, largest first. */
  readonly byRegion: readonly RegionPeaks[];
  /** Every mesa at an integer, least likely under the null first. */
  readonly mesasOnIntegers: readonly MesaOnInteger[];
}

/**
 * The integer percentage k that count n of denominator d sits on, or −1 when
 * none: |100·n − k·d| < 100·tolerance for the nearest k. Exported for tests
 * and for the fingerprint plots.
 */
export function findIntegerPercent(n: number, d: number, tolerance = 0.5): number {
  if (d <= 0) return -1;
  const k = Math.round((100 * n) / d);
  return Math.abs(100 * n - k * d) < 100 * tolerance ? k : -1;
}

/**
 * Runs the integer-peak test (see the module comment). Cost: two binomial
 * draws per mesa per Monte Carlo draw, each mesa's sampler set up once.
 */
export function testIntegerPeaks(
  mesas: readonly MesaResult[] | TurnoutShareData,
  options: IntegerPeakOptions,
): IntegerPeakReport {
  const data = isTurnoutShareData(mesas) ? mesas : extractTurnoutShare(mesas, options);
  const draws = options.draws ?? 1000;
  const tolerance = options.tolerance ?? 0.5;
  const minDenominator = options.minDenominator ?? 100;
  const alpha = options.alpha ?? 0.01;
  if (!Number.isInteger(draws) || draws < 1)
    throw new RangeError(`draws must be a positive integer, got ${draws}`);
  if (!(tolerance > 0 && tolerance <= 0.5))
    throw new RangeError(`tolerance must be in (0, 0.5], got ${tolerance}`);
  const random = createRandom(options.seed);
  const n = data.ids.length;

  const turnoutNull = new Int32Array(draws);
  const shareNull = new Int32Array(draws);
  const eitherNull = new Int32Array(draws);
  const turnoutPerK = new Float64Array(101);
  const sharePerK = new Float64Array(101);
  const turnoutObsK = new Float64Array(101);
  const shareObsK = new Float64Array(101);
  const nullHits = new Float64Array(n);
  const observedTurnoutK = new Int16Array(n).fill(-1);
  const observedShareK = new Int16Array(n).fill(-1);
  const sampleT = new Int32Array(draws);
  const sampleS = new Int32Array(draws);
  let turnoutTested = 0;
  let shareTested = 0;

  const method = options.method ?? 'indicator';
  if (method !== 'indicator' && method !== 'resample') {
    throw new RangeError(`method must be 'indicator' or 'resample', got ${String(method)}`);
  }
  const probT = new Float64Array(n);
  const probS = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const reg = data.registered[i] ?? 0;
    const vot = data.voters[i] ?? 0;
    const bal = data.ballots[i] ?? 0;
    const lead = data.leaderVotes[i] ?? 0;
    if (reg >= minDenominator) {
      turnoutTested++;
      const k = findIntegerPercent(vot, reg, tolerance);
      observedTurnoutK[i] = k;
      if (k >= 0) turnoutObsK[k] = (turnoutObsK[k] ?? 0) + 1;
      // Summed masses may exceed 1 by rounding; a probability may not.
      probT[i] = Math.min(1, addIntegerMass(reg, vot / reg, tolerance, turnoutPerK));
    }
    if (bal >= minDenominator) {
      shareTested++;
      const k = findIntegerPercent(lead, bal, tolerance);
      observedShareK[i] = k;
      if (k >= 0) shareObsK[k] = (shareObsK[k] ?? 0) + 1;
      probS[i] = Math.min(1, addIntegerMass(bal, lead / bal, tolerance, sharePerK));
    }
    const pT = probT[i] ?? 0;
    const pS = probS[i] ?? 0;
    nullHits[i] = 1 - (1 - pT) * (1 - pS);
  }

  if (method === 'indicator') {
    // Exact null distributions, then the draws by inversion (module comment).
    drawFromDistribution(computePoissonBinomial(probT), random, turnoutNull);
    drawFromDistribution(computePoissonBinomial(probS), random, shareNull);
    drawFromDistribution(computePoissonBinomial(nullHits), random, eitherNull);
  } else {
    for (let i = 0; i < n; i++) {
      const reg = data.registered[i] ?? 0;
      const bal = data.ballots[i] ?? 0;
      const testT = reg >= minDenominator;
      const testS = bal >= minDenominator;
      if (testT) random.fillBinomial(reg, (data.voters[i] ?? 0) / reg, sampleT);
      if (testS) random.fillBinomial(bal, (data.leaderVotes[i] ?? 0) / bal, sampleS);
      if (!testT && !testS) continue;
      for (let b = 0; b < draws; b++) {
        const onT = testT && findIntegerPercent(sampleT[b] ?? 0, reg, tolerance) >= 0;
        const onS = testS && findIntegerPercent(sampleS[b] ?? 0, bal, tolerance) >= 0;
        if (onT) turnoutNull[b] = (turnoutNull[b] ?? 0) + 1;
        if (onS) shareNull[b] = (shareNull[b] ?? 0) + 1;
        if (onT || onS) eitherNull[b] = (eitherNull[b] ?? 0) + 1;
      }
    }
  }

  let turnoutObserved = 0;
  let shareObserved = 0;
  let eitherObserved = 0;
  const mesasOnIntegers: MesaOnInteger[] = [];
  const regionStats = new Map<string, { mesas: number; observed: number; expected: number }>();
  for (let i = 0; i < n; i++) {
    const kT = observedTurnoutK[i] ?? -1;
    const kS = observedShareK[i] ?? -1;
    if (kT >= 0) turnoutObserved++;
    if (kS >= 0) shareObserved++;
    const on = kT >= 0 || kS >= 0;
    const region = data.regions[i] ?? '';
    const stats = regionStats.get(region) ?? { mesas: 0, observed: 0, expected: 0 };
    stats.mesas++;
    stats.expected += nullHits[i] ?? 0;
    if (on) {
      eitherObserved++;
      stats.observed++;
      mesasOnIntegers.push({
        id: data.ids[i] ?? '',
        region,
        turnoutPercent: kT >= 0 ? kT : null,
        sharePercent: kS >= 0 ? kS : null,
        nullProbability: nullHits[i] ?? 0,
      });
    }
    regionStats.set(region, stats);
  }
  mesasOnIntegers.sort((a, b) => a.nullProbability - b.nullProbability || a.id.localeCompare(b.id));

  const perInteger: IntegerBin[] = [];
  for (let k = 0; k <= 100; k++) {
    perInteger.push({
      percent: k,
      turnoutObserved: turnoutObsK[k] ?? 0,
      turnoutExpected: turnoutPerK[k] ?? 0,
      shareObserved: shareObsK[k] ?? 0,
      shareExpected: sharePerK[k] ?? 0,
    });
  }
  const byRegion: RegionPeaks[] = [...regionStats].map(([region, s]) => ({
    region,
    mesas: s.mesas,
    observed: s.observed,
    expected: s.expected,
    excess: s.observed - s.expected,
  }));
  byRegion.sort((a, b) => b.excess - a.excess || a.region.localeCompare(b.region));

  return {
    leader: data.leader,
    draws,
    tolerance,
    minDenominator,
    alpha,
    mesas: n,
    turnoutTested,
    shareTested,
    turnout: summarizeNull(turnoutObserved, turnoutNull, alpha),
    share: summarizeNull(shareObserved, shareNull, alpha),
    either: summarizeNull(eitherObserved, eitherNull, alpha),
    perInteger,
    byRegion,
    mesasOnIntegers,
  };
}

/** The distribution of a count: P(X = offset + j) = pmf[j]; zero outside. */
export interface CountDistribution {
  readonly offset: number;
  readonly pmf: Float64Array;
}

const LEAF = 32;
const TRIM = 1e-20;

/**
 * The exact distribution of a sum of independent Bernoulli(p_i) (the
 * Poisson-binomial), tails below 1e-20 trimmed at every step (see the module
 * comment). Probabilities must lie in [0, 1].
 */
export function computePoissonBinomial(probabilities: ArrayLike<number>): CountDistribution {
  let level: CountDistribution[] = [];
  for (let start = 0; start < probabilities.length; start += LEAF) {
    const end = Math.min(probabilities.length, start + LEAF);
    let pmf = new Float64Array(end - start + 1);
    pmf[0] = 1;
    let offset = 0;
    let len = 1;
    for (let k = start; k < end; k++) {
      const p = probabilities[k] as number;
      if (!(p >= 0 && p <= 1)) throw new RangeError(`probability ${p} is not in [0, 1]`);
      if (p === 0) continue;
      if (p === 1) {
        offset++;
        continue;
      }
      const q = 1 - p;
      pmf[len] = 0;
      for (let x = len; x > 0; x--) pmf[x] = (pmf[x] as number) * q + (pmf[x - 1] as number) * p;
      pmf[0] = pmf[0] * q;
      len++;
    }
    pmf = pmf.subarray(0, len);
    level.push(trim({ offset, pmf }));
  }
  if (level.length === 0) return { offset: 0, pmf: Float64Array.of(1) };
  while (level.length > 1) {
    const next: CountDistribution[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const a = level[i] as CountDistribution;
      const b = level[i + 1];
      next.push(b === undefined ? a : trim(convolve(a, b)));
    }
    level = next;
  }
  return level[0] as CountDistribution;
}

function convolve(a: CountDistribution, b: CountDistribution): CountDistribution {
  const pa = a.pmf;
  const pb = b.pmf;
  const out = new Float64Array(pa.length + pb.length - 1);
  for (let i = 0; i < pa.length; i++) {
    const v = pa[i] as number;
    for (let j = 0; j < pb.length; j++) out[i + j] = (out[i + j] as number) + v * (pb[j] as number);
  }
  return { offset: a.offset + b.offset, pmf: out };
}

/** Drops leading and trailing entries whose cumulative mass is below TRIM. */
function trim(d: CountDistribution): CountDistribution {
  const pmf = d.pmf;
  let lo = 0;
  let mass = 0;
  while (lo < pmf.length - 1 && mass + (pmf[lo] as number) < TRIM) mass += pmf[lo++] as number;
  let hi = pmf.length - 1;
  mass = 0;
  while (hi > lo && mass + (pmf[hi] as number) < TRIM) mass += pmf[hi--] as number;
  if (lo === 0 && hi === pmf.length - 1) return d;
  return { offset: d.offset + lo, pmf: pmf.slice(lo, hi + 1) };
}

/** Fills `out` with draws from `d` by inversion of its cumulative distribution. */
function drawFromDistribution(d: CountDistribution, random: Random, out: Int32Array): void {
  const cdf = new Float64Array(d.pmf.length);
  let total = 0;
  for (let j = 0; j < d.pmf.length; j++) {
    total += d.pmf[j] as number;
    cdf[j] = total;
  }
  for (let b = 0; b < out.length; b++) {
    const u = random.nextFloat() * total;
    // The first j with cdf[j] > u.
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    out[b] = d.offset + lo;
  }
}

function summarizeNull(observed: number, nullCounts: Int32Array, alpha: number): PeakCount {
  const draws = nullCounts.length;
  let sum = 0;
  let sumSq = 0;
  let atLeast = 0;
  for (const c of nullCounts) {
    sum += c;
    sumSq += c * c;
    if (c >= observed) atLeast++;
  }
  const expected = sum / draws;
  const sd = Math.sqrt(Math.max(0, sumSq / draws - expected * expected));
  const sorted = Int32Array.from(nullCounts).sort();
  const at = (p: number): number => sorted[Math.min(draws - 1, Math.floor(p * draws))] ?? 0;
  const pValue = (1 + atLeast) / (draws + 1);
  return {
    observed,
    expected,
    sd,
    excess: observed - expected,
    pValue,
    nullLow: at(0.025),
    nullHigh: at(0.975),
    flagged: pValue < alpha,
  };
}

/**
 * P(Bin(d, p) lands on an integer percentage), adding each integer's mass to
 * `perK`: for each k, the one count n with |100n − kd| < 100·tolerance (if
 * any), its mass from log-factorials. Integers more than 12 sd from the mean
 * carry less than 1e-30 and are skipped.
 */
function addIntegerMass(d: number, p: number, tolerance: number, perK: Float64Array): number {
  if (p <= 0 || p >= 1) {
    // A point mass at 0 or d: on an integer (0% or 100%) always.
    const k = p <= 0 ? 0 : 100;
    perK[k] = (perK[k] ?? 0) + 1;
    return 1;
  }
  const mean = d * p;
  const spread = 12 * Math.sqrt(d * p * (1 - p)) + 1;
  const kLow = Math.max(0, Math.floor((100 * (mean - spread)) / d));
  const kHigh = Math.min(100, Math.ceil((100 * (mean + spread)) / d));
  const logD = logFactorial(d);
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let total = 0;
  for (let k = kLow; k <= kHigh; k++) {
    const count = Math.round((k * d) / 100);
    if (count < 0 || count > d || Math.abs(100 * count - k * d) >= 100 * tolerance) continue;
    const mass = Math.exp(
      logD - logFactorial(count) - logFactorial(d - count) + count * logP + (d - count) * logQ,
    );
    perK[k] = (perK[k] ?? 0) + mass;
    total += mass;
  }
  return total;
}
