/**
 * Mebane's digit tests on per-mesa counts (Mebane, "Election forensics: the
 * second-digit Benford's law test and recent American presidential
 * elections", 2006, and "Comment on 'Benford's Law and the detection of
 * election fraud'", Political Analysis 2011; Beber and Scacco, "What the
 * numbers say", Political Analysis 2012, for the last digit):
 *
 * - second-digit mean (2BL): the mean second significant digit of the counts,
 *   expected ≈ 4.187 under Benford's second-digit law (computed here from the
 *   law: P(d) = Σ_{k=1..9} log10(1 + 1/(10k + d)));
 * - last-digit mean, expected 4.5 when last digits are uniform;
 * - share of counts ending in 0 or 5, expected 0.2.
 *
 * Counts are each candidate's votes per mesa, and the number of voters per
 * mesa ("turnout counts", series `voters`). Counts below `minCount` (default
 * 10) are left out: a one-digit count has no second digit, and its last digit
 * is its only digit, far from uniform for small numbers (Beber and Scacco).
 *
 * Confidence intervals: a nonparametric bootstrap over the counts (resampling
 * with replacement, B = 1,000 by default, percentile interval). A statistic
 * that is a mean of per-count values depends on a resample only through how
 * many resampled counts have each digit, which is Multinomial(N, observed
 * digit frequencies); we draw those ten numbers directly (as conditional
 * binomials), which is the same bootstrap, exactly, in O(10) per replicate.
 *
 * Null hypothesis: the digits follow the law (2BL) or are uniform (last
 * digit, 0/5). A flag means the expected value lies outside the interval.
 * A series with fewer than `minSeriesCounts` usable counts (default 50) is
 * reported but never flagged: its bootstrap interval is too coarse to mean
 * anything (with one or two counts it is a single point).
 * Evidence, not proof: 2BL is not a law of honest elections (Deckert, Myagkov
 * and Ordeshook 2011: honest mixtures of binomial counts deviate from it, and
 * the second-digit mean depends on the typical count's size — mesas of ~600
 * voters and a candidate near 50% put most counts between 200 and 400);
 * last digits are uniform only when counts spread over many tens, which small
 * candidates' counts do not; mesa sizes capped at round numbers, and
 * candidates tested many at a time (a few flags at 5% are expected by chance
 * among ten candidates) all produce flags without fraud.
 */
import type { MesaResult } from './mesa-result.js';
import { computeQuantileSorted } from './quantile.js';
import { createRandom, type Random } from './random.js';

/** Which digit statistic. */
export type DigitTestKind = 'second-digit-mean' | 'last-digit-mean' | 'zero-five-share';

/** Options for {@link runDigitTests}. */
export interface DigitTestOptions {
  /** Seed of the bootstrap (required: reports must be reproducible). */
  readonly seed: number | string;
  /** Bootstrap replicates (default 1,000). */
  readonly bootstrap?: number;
  /** Confidence level of the intervals (default 0.95). */
  readonly confidence?: number;
  /** Counts below this are left out of the second-digit test (default 10; at least 10). */
  readonly minCountSecondDigit?: number;
  /** Counts below this are left out of the last-digit and 0/5 tests (default 10). */
  readonly minCountLastDigit?: number;
  /** Also test the number of voters per mesa (default true). */
  readonly includeVoters?: boolean;
  /** How many contributing mesas to list per test (default 20). */
  readonly top?: number;
  /**
   * A test on fewer counts than this (default 50) is reported but never
   * flagged: with n = 1 or 2 every bootstrap resample repeats the same few
   * digits, the interval collapses to a point, and "expected outside the
   * interval" would be certain whatever the counts were.
   */
  readonly minSeriesCounts?: number;
}

/** A mesa contributing to a test's deviation. */
export interface DigitContribution {
  readonly id: string;
  readonly count: number;
  /** The digit (mean tests) or 1/0 (ends in 0 or 5 or not). */
  readonly value: number;
  /**
   * (value − expected) / N, signed so that positive pushes the statistic
   * further in the direction it deviates: the mesas' contributions sum to
   * |observed − expected| over all counts.
   */
  readonly contribution: number;
}

/** One statistic on one series of counts. */
export interface DigitTestResult {
  readonly kind: DigitTestKind;
  readonly series: string;
  /** Counts used (at least the minimum count). */
  readonly n: number;
  /** Counts present but below the minimum. */
  readonly belowMinimum: number;
  /** Counts that are not non-negative integers (a bad import), left out. */
  readonly invalid: number;
  readonly observed: number;
  readonly expected: number;
  /** Bootstrap percentile interval; NaN when n = 0. */
  readonly low: number;
  readonly high: number;
  /**
   * Whether the expected value is outside [low, high] — never when n is below
   * the report's `minSeriesCounts` (see `tooFewCounts`).
   */
  readonly flagged: boolean;
  /** Whether n is below `minSeriesCounts`, so the test is shown but cannot flag. */
  readonly tooFewCounts: boolean;
  /** Observed frequency of each digit 0–9 (for 0/5: of last digits). */
  readonly digitFrequencies: readonly number[];
  /** Expected frequency of each digit 0–9. */
  readonly expectedFrequencies: readonly number[];
  /** Mesas contributing most to the deviation, flagged or not (largest contribution first). */
  readonly topMesas: readonly DigitContribution[];
}

/** A mesa with more of its counts ending in 0 or 5 than chance suggests. */
export interface MesaRoundness {
  readonly id: string;
  /** Counts of the mesa tested (candidates and voters at or above the minimum). */
  readonly counts: number;
  /** How many of them end in 0 or 5. */
  readonly roundCounts: number;
  /** P(X ≥ roundCounts) for X ~ Binomial(counts, 0.2): small is unusual. */
  readonly tailProbability: number;
  /** The mesa's largest count (rounding in big counts matters more). */
  readonly largestCount: number;
}

/** All digit tests of an election. */
export interface DigitTestsReport {
  readonly bootstrap: number;
  readonly confidence: number;
  readonly minCountSecondDigit: number;
  readonly minCountLastDigit: number;
  /** Tests on fewer counts than this are reported but never flagged. */
  readonly minSeriesCounts: number;
  /** Series names in the order tested (candidates in first-seen order, then `voters`). */
  readonly series: readonly string[];
  readonly results: readonly DigitTestResult[];
  /**
   * Mesas ranked by how unlikely their share of round counts is (smallest
   * binomial tail first, then largest count), only those above 1 in 5.
   */
  readonly roundestMesas: readonly MesaRoundness[];
}

/** The series name of the voters-per-mesa counts. */
export const VOTERS_SERIES = 'voters';

/** Benford's law for the second significant digit: P(d) for d = 0 … 9. */
export function computeSecondDigitProbabilities(): readonly number[] {
  const probabilities: number[] = [];
  for (let d = 0; d <= 9; d++) {
    let p = 0;
    for (let k = 1; k <= 9; k++) p += Math.log10(1 + 1 / (10 * k + d));
    probabilities.push(p);
  }
  return probabilities;
}

/** The expected second digit under Benford's law, Σ d·P(d) ≈ 4.187. */
export function computeSecondDigitMean(): number {
  return computeSecondDigitProbabilities().reduce((sum, p, d) => sum + d * p, 0);
}

/** The second significant digit of an integer ≥ 10 (−1 below 10). */
export function findSecondDigit(count: number): number {
  if (count < 10) return -1;
  let x = Math.floor(count);
  while (x >= 100) x = Math.floor(x / 10);
  return x % 10;
}

const UNIFORM: readonly number[] = new Array<number>(10).fill(0.1);

/** Runs the three digit tests on every candidate's counts and on voters (see the module comment). */
export function runDigitTests(
  mesas: readonly MesaResult[],
  options: DigitTestOptions,
): DigitTestsReport {
  const bootstrap = options.bootstrap ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const minSecond = options.minCountSecondDigit ?? 10;
  const minLast = options.minCountLastDigit ?? 10;
  const top = options.top ?? 20;
  const minSeriesCounts = options.minSeriesCounts ?? 50;
  if (!Number.isInteger(minSeriesCounts) || minSeriesCounts < 1) {
    throw new RangeError(`minSeriesCounts must be a positive integer, got ${minSeriesCounts}`);
  }
  if (!Number.isInteger(bootstrap) || bootstrap < 1) {
    throw new RangeError(`bootstrap must be a positive integer, got ${bootstrap}`);
  }
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  if (minSecond < 10) throw new RangeError('the second-digit test needs counts of at least 10');
  const random = createRandom(options.seed);

  // Gather each series' counts with their mesas, in input order.
  const seriesNames: string[] = [];
  const seriesCounts = new Map<string, { ids: string[]; counts: number[] }>();
  const add = (name: string, id: string, count: number): void => {
    let entry = seriesCounts.get(name);
    if (entry === undefined) {
      entry = { ids: [], counts: [] };
      seriesCounts.set(name, entry);
      seriesNames.push(name);
    }
    entry.ids.push(id);
    entry.counts.push(count);
  };
  for (const mesa of mesas) {
    for (const [name, votes] of mesa.votes) {
      if (name === VOTERS_SERIES) continue; // keep the reserved name for the voters series
      add(name, mesa.id, votes);
    }
  }
  if (options.includeVoters ?? true) {
    for (const mesa of mesas) {
      if (mesa.voters !== null) add(VOTERS_SERIES, mesa.id, mesa.voters);
    }
    if (!seriesCounts.has(VOTERS_SERIES)) {
      seriesCounts.set(VOTERS_SERIES, { ids: [], counts: [] });
      seriesNames.push(VOTERS_SERIES);
    }
  }

  const secondProbabilities = computeSecondDigitProbabilities();
  const secondMean = computeSecondDigitMean();
  const results: DigitTestResult[] = [];
  for (const name of seriesNames) {
    const entry = seriesCounts.get(name);
    if (entry === undefined) continue;
    const context = {
      random,
      bootstrap,
      confidence,
      top,
      minSeriesCounts,
      series: name,
      ids: entry.ids,
    };
    results.push(
      runMeanTest(
        context,
        entry.counts,
        minSecond,
        'second-digit-mean',
        findSecondDigit,
        secondMean,
        secondProbabilities,
      ),
      runMeanTest(context, entry.counts, minLast, 'last-digit-mean', (c) => c % 10, 4.5, UNIFORM),
      runMeanTest(context, entry.counts, minLast, 'zero-five-share', (c) => c % 10, 0.2, UNIFORM),
    );
  }

  return {
    bootstrap,
    confidence,
    minCountSecondDigit: minSecond,
    minCountLastDigit: minLast,
    minSeriesCounts,
    series: seriesNames,
    results,
    roundestMesas: rankRoundMesas(mesas, minLast, options.includeVoters ?? true, top),
  };
}

interface TestContext {
  readonly random: Random;
  readonly bootstrap: number;
  readonly confidence: number;
  readonly top: number;
  readonly minSeriesCounts: number;
  readonly series: string;
  readonly ids: readonly string[];
}

/**
 * One statistic that is a mean of a per-count value: the digit itself (mean
 * tests) or whether the last digit is 0 or 5 (`zero-five-share`).
 */
function runMeanTest(
  context: TestContext,
  counts: readonly number[],
  minCount: number,
  kind: DigitTestKind,
  digitOf: (count: number) => number,
  expected: number,
  expectedFrequencies: readonly number[],
): DigitTestResult {
  const valueOf = (digit: number): number =>
    kind === 'zero-five-share' ? (digit === 0 || digit === 5 ? 1 : 0) : digit;
  const histogram = new Float64Array(10);
  const digits = new Int8Array(counts.length).fill(-1);
  let n = 0;
  let belowMinimum = 0;
  let invalid = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] ?? 0;
    if (!Number.isSafeInteger(count) || count < 0) {
      invalid++;
      continue;
    }
    if (count < minCount) {
      belowMinimum++;
      continue;
    }
    const digit = digitOf(count);
    digits[i] = digit;
    histogram[digit] = (histogram[digit] ?? 0) + 1;
    n++;
  }
  const frequencies = Array.from(histogram, (c) => (n > 0 ? c / n : Number.NaN));
  let observed = 0;
  for (let d = 0; d <= 9; d++) observed += valueOf(d) * (frequencies[d] ?? 0);
  if (n === 0) observed = Number.NaN;

  let low = Number.NaN;
  let high = Number.NaN;
  if (n > 0) {
    const replicates = new Float64Array(context.bootstrap);
    const drawn = new Float64Array(10);
    for (let b = 0; b < context.bootstrap; b++) {
      drawMultinomial(context.random, n, frequencies, drawn);
      let sum = 0;
      for (let d = 0; d <= 9; d++) sum += valueOf(d) * (drawn[d] ?? 0);
      replicates[b] = sum / n;
    }
    replicates.sort();
    const tail = (1 - context.confidence) / 2;
    low = computeQuantileSorted(replicates, tail);
    high = computeQuantileSorted(replicates, 1 - tail);
  }
  const tooFewCounts = n < context.minSeriesCounts;
  const flagged = !tooFewCounts && (expected < low || expected > high);

  // Contributions: (value − expected)/N in the direction of the deviation;
  // ties (many mesas share a digit) broken by the larger count, since a
  // round figure in a big count is the likelier fabrication. Only the `top`
  // best are kept, by insertion into a short sorted list: sorting every
  // contributing count (half of 95,000 per test, 54 tests) cost a second.
  const direction = observed >= expected ? 1 : -1;
  const best: DigitContribution[] = [];
  const before = (a: DigitContribution, b: DigitContribution): boolean =>
    a.contribution !== b.contribution
      ? a.contribution > b.contribution
      : a.count !== b.count
        ? a.count > b.count
        : a.id.localeCompare(b.id) < 0;
  for (let i = 0; i < counts.length && context.top > 0; i++) {
    const digit = digits[i] ?? -1;
    if (digit < 0) continue;
    const value = valueOf(digit);
    const contribution = (direction * (value - expected)) / n;
    if (!(contribution > 0)) continue;
    const count = counts[i] ?? 0;
    const last = best[best.length - 1];
    if (best.length === context.top && last !== undefined) {
      // Cheap rejection before building the entry (the common case).
      if (contribution < last.contribution) continue;
      if (contribution === last.contribution && count < last.count) continue;
    }
    const entry: DigitContribution = { id: context.ids[i] ?? '', count, value, contribution };
    if (best.length === context.top && last !== undefined && !before(entry, last)) continue;
    let at = best.length;
    while (at > 0 && before(entry, best[at - 1] as DigitContribution)) at--;
    best.splice(at, 0, entry);
    if (best.length > context.top) best.pop();
  }

  return {
    kind,
    series: context.series,
    n,
    belowMinimum,
    invalid,
    observed,
    expected,
    low,
    high,
    flagged,
    tooFewCounts,
    digitFrequencies: frequencies,
    expectedFrequencies,
    topMesas: best,
  };
}

/** Multinomial(n, probabilities) by conditional binomials, into `out`. */
function drawMultinomial(
  random: Random,
  n: number,
  probabilities: readonly number[],
  out: Float64Array,
): void {
  let remaining = n;
  let mass = 1;
  const last = out.length - 1;
  for (let d = 0; d < last; d++) {
    const p = probabilities[d] ?? 0;
    if (remaining === 0 || p <= 0) {
      out[d] = 0;
    } else {
      const x = random.nextBinomial(remaining, Math.min(1, p / mass));
      out[d] = x;
      remaining -= x;
    }
    mass -= p;
    if (mass <= 0) mass = Number.MIN_VALUE;
  }
  out[last] = remaining;
}

/** P(X ≥ x) for X ~ Binomial(n, p), summed exactly (n is a mesa's few counts). */
export function computeBinomialUpperTail(x: number, n: number, p: number): number {
  if (x <= 0) return 1;
  if (x > n) return 0;
  let pmf = (1 - p) ** n;
  let below = 0;
  for (let k = 0; k < x; k++) {
    below += pmf;
    pmf *= ((n - k) / (k + 1)) * (p / (1 - p));
  }
  return Math.max(0, 1 - below);
}

function rankRoundMesas(
  mesas: readonly MesaResult[],
  minCount: number,
  includeVoters: boolean,
  top: number,
): MesaRoundness[] {
  const ranked: MesaRoundness[] = [];
  for (const mesa of mesas) {
    let counts = 0;
    let round = 0;
    let largest = 0;
    const consider = (count: number): void => {
      if (!Number.isSafeInteger(count) || count < minCount) return;
      counts++;
      if (count % 5 === 0) round++;
      if (count > largest) largest = count;
    };
    for (const [name, votes] of mesa.votes) if (name !== VOTERS_SERIES) consider(votes);
    if (includeVoters && mesa.voters !== null) consider(mesa.voters);
    if (counts === 0 || round <= 0.2 * counts) continue;
    ranked.push({
      id: mesa.id,
      counts,
      roundCounts: round,
      tailProbability: computeBinomialUpperTail(round, counts, 0.2),
      largestCount: largest,
    });
  }
  ranked.sort(
    (a, b) =>
      a.tailProbability - b.tailProbability ||
      b.largestCount - a.largestCount ||
      a.id.localeCompare(b.id),
  );
  return ranked.slice(0, top);
}
