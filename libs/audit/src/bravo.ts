/**
 * BRAVO ballot-polling audits (issue #6 item 2): the sequential probability
 * ratio test of Lindeman, Stark and Yates, "BRAVO: Ballot-polling Risk-limiting
 * Audits to Verify Outcomes" (EVT/WOTE 2012), computed as VotingWorks Arlo
 * computes it (votingworks/arlo, server/audit_math/bravo.py: `compute_risk`,
 * `get_sample_size`, `get_expected_sample_size`, `bravo_sample_sizes` and
 * `expected_prob`, the last two after Mark Lindeman's analytic estimates), so
 * that an official gets the same p-values and sample-size options from either
 * tool. Arlo's published test cases are in test/vectors/arlo-bravo.json.
 *
 * For every reported winner w and loser l, BRAVO multiplies a test statistic
 * T by 2·s_wl for each sampled vote for w and by 2·(1 − s_wl) for each vote for
 * l, s_wl being w's reported share of the votes for the two; 1/T is the p-value
 * of "l really beat w". Arlo works in Python `Decimal`; here products of
 * millions of factors are sums of logarithms in doubles, which keeps p-values to
 * ~1e-11 relatively — far below the two-decimal figures officials read.
 *
 * Where Arlo raises an error the result here is a value: a contest whose audit
 * is already over (the sample already confirms it) has no further round, `{}`;
 * one whose tallies reach the ballots cast without confirming goes to a full
 * hand count. Unlike Arlo, no tally is ever read as a full hand count that
 * confirms (see computeBravoRisk).
 */
import binomialQuantile from '@stdlib/stats-base-dists-binomial-quantile';
import erfc from '@stdlib/math-base-special-erfc';
import erfcinv from '@stdlib/math-base-special-erfcinv';
import type {
  Contest,
  ContestCandidate,
  PairRisk,
  RiskMeasurement,
  SampleRound,
  SampleSizeOption,
  SampleSizeOptions,
} from './contest.js';

/** The chances of finishing in one round that Arlo offers sample sizes for. */
const QUANTILES = [0.7, 0.8, 0.9] as const;

/** Arlo recommends a full hand count when a large contest's 90% option is a quarter of its ballots. */
const LARGE_CONTEST_BALLOTS = 100_000;
const ALL_BALLOTS_FRACTION = 0.25;

/** Python's `Decimal` default context: 28 significant digits. */
const DECIMAL_DIGITS = 28;

function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function normalQuantile(p: number): number {
  return -Math.SQRT2 * erfcinv(2 * p);
}

/** A winner–loser pair with the reported shares Arlo's `Contest.margins` derives. */
interface BravoPair {
  readonly winner: ContestCandidate;
  readonly loser: ContestCandidate;
  /** The winner's share of the two candidates' votes (Arlo's `swl`). */
  readonly swl: number;
  /** Reported votes over ballots (Arlo's `p_w`, `p_l`). */
  readonly pWinner: number;
  readonly pLoser: number;
}

function checkArguments(contest: Contest, alpha: number, rounds: readonly SampleRound[]): void {
  if (!Number.isFinite(alpha) || alpha <= 0 || alpha > 0.5) {
    throw new RangeError(`BRAVO: the risk limit alpha must be in (0, 0.5], got ${alpha}`);
  }
  if (contest.winners.length === 0 || contest.losers.length === 0) {
    throw new RangeError(`BRAVO: contest ${contest.name} needs a winner and a loser`);
  }
  if (!Number.isSafeInteger(contest.ballots) || contest.ballots <= 0) {
    throw new RangeError(`BRAVO: contest ${contest.name} has no ballots`);
  }
  const names = new Set(contest.candidates.map((c) => c.name));
  for (const { round, tally } of rounds) {
    for (const [name, count] of tally) {
      if (!names.has(name)) {
        throw new RangeError(`BRAVO: ${round} names ${name}, not a candidate of ${contest.name}`);
      }
      if (!Number.isSafeInteger(count) || count < 0) {
        throw new RangeError(`BRAVO: ${round} gives ${name} ${count} votes, not a count`);
      }
    }
  }
}

/** The votes sampled in all rounds so far, per candidate (0 for one never named). */
function cumulateRounds(contest: Contest, rounds: readonly SampleRound[]): Map<string, number> {
  const total = new Map<string, number>(contest.candidates.map((c) => [c.name, 0]));
  for (const { tally } of rounds) {
    for (const [name, count] of tally) total.set(name, (total.get(name) ?? 0) + count);
  }
  return total;
}

/** Every winner–loser pair, winners then losers most votes first (Arlo's order). */
function listPairs(contest: Contest): BravoPair[] {
  // Shares are of all votes cast in the contest (Arlo's v_wl), then of the pair.
  const allVotes = contest.candidates.reduce((s, c) => s + c.votes, 0);
  const pairs: BravoPair[] = [];
  for (const winner of contest.winners) {
    for (const loser of contest.losers) {
      const sW = winner.votes / allVotes;
      const sL = loser.votes / allVotes;
      // Arlo divides by zero here (two candidates without a vote); a pair of
      // equals can never be told apart by sampling, which a share of ½ says.
      const swl = winner.votes + loser.votes > 0 ? sW / (sW + sL) : 0.5;
      pairs.push({
        winner,
        loser,
        swl,
        pWinner: winner.votes / contest.ballots,
        pLoser: loser.votes / contest.ballots,
      });
    }
  }
  return pairs;
}

/** ln T for one pair: the log of BRAVO's likelihood ratio on the sample so far. */
function computeLogStatistic(pair: BravoPair, sample: ReadonlyMap<string, number>): number {
  const w = sample.get(pair.winner.name) ?? 0;
  const l = sample.get(pair.loser.name) ?? 0;
  // A candidate with no sampled vote contributes nothing (Arlo skips it, which
  // also keeps 0 · ln 0 out of the sum).
  let logT = 0;
  if (w > 0) logT += w * Math.log(pair.swl / 0.5);
  if (l > 0) logT += l * Math.log((1 - pair.swl) / 0.5);
  return logT;
}

/**
 * Whether the votes tallied reach the ballots cast — Arlo's test for a full hand
 * count. Acta uses it only to stop offering sample sizes (the next step is then
 * the full hand count), never to confirm: with draws with replacement, or
 * several votes per ballot, a tally can reach the ballots cast without every
 * ballot having been examined.
 */
function tallyReachesBallots(contest: Contest, sample: ReadonlyMap<string, number>): boolean {
  let sum = 0;
  for (const count of sample.values()) sum += count;
  return sum >= contest.ballots;
}

/**
 * Measures the risk of a BRAVO audit after the rounds so far (tallies add up
 * across rounds): each winner–loser pair's p-value min(1, 1/T), and whether all
 * are at most alpha. Unlike Arlo, a tally of at least as many votes as ballots
 * is not taken for a full hand count (every p-value 0, confirmed): sampled
 * with replacement, such a tally need not have examined every ballot, and the
 * confirmation could be of an outcome nobody counted. A full hand count sets
 * the outcome itself; it needs no risk.
 */
export function computeBravoRisk(
  contest: Contest,
  alpha: number,
  rounds: readonly SampleRound[],
): RiskMeasurement {
  checkArguments(contest, alpha, rounds);
  const sample = cumulateRounds(contest, rounds);
  const pairs = listPairs(contest);
  let confirmed = true;
  const pValues: PairRisk[] = pairs.map((pair) => {
    const logT = computeLogStatistic(pair, sample);
    // T = 0 (a vote for a loser the report gave none) proves nothing: risk 1.
    const raw = logT === -Infinity ? 1 : Math.exp(-logT);
    if (raw > alpha) confirmed = false;
    return { winner: pair.winner.name, loser: pair.loser.name, pValue: Math.min(raw, 1) };
  });
  return { pValues, confirmed };
}

/**
 * Rounds to two decimals as Python's `round(x, 2)` does: to the nearest, ties
 * (only the exactly representable …·125, …·375, … ) to even.
 */
function roundToHundredths(x: number): number {
  const scaled = x * 100;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  // x·100 is exact when x is a multiple of 1/8 (the only binary ties).
  if (diff === 0.5 && Math.floor(x * 8) === x * 8) {
    return (floor % 2 === 0 ? floor : floor + 1) / 100;
  }
  return Number(x.toFixed(2));
}

/**
 * The two-candidate terms both of Lindeman's estimates start from: the pair's
 * share of the ballots (pWR), the winner's and loser's shares within the pair,
 * BRAVO's log-factors per vote (plus, minus), and the log-statistic still
 * missing after the votes sampled so far (≤ 0: the risk limit is met).
 */
function computePairTerms(
  alpha: number,
  pWinner: number,
  pLoser: number,
  sampleW: number,
  sampleL: number,
): { pWR: number; pW2: number; pR2: number; plus: number; minus: number; threshold: number } {
  const pWR = pWinner + pLoser;
  const pW2 = pWinner / pWR;
  const pR2 = 1 - pW2;
  const plus = Math.log(pW2 / 0.5);
  const minus = Math.log(pR2 / 0.5);
  return {
    pWR,
    pW2,
    pR2,
    plus,
    minus,
    threshold: Math.log(1 / alpha) - (sampleW * plus + sampleL * minus),
  };
}

/**
 * The chance that a round of `asn` ballots finishes the audit of one pair if
 * the report is right (Arlo's `expected_prob`, rounded to two decimals as Arlo
 * rounds it): the normal approximation to the winner's votes among the pair's,
 * against the count BRAVO needs. `pWinner`, `pLoser` are reported votes over
 * ballots, `sampleW`, `sampleL` the pair's votes sampled so far; 0 if those
 * already meet the risk limit. Exported for Arlo's unit tests of it.
 */
export function computeBravoAsnProbability(
  alpha: number,
  pWinner: number,
  pLoser: number,
  sampleW: number,
  sampleL: number,
  asn: number,
): number {
  const { pWR, pW2, pR2, plus, minus, threshold } = computePairTerms(
    alpha,
    pWinner,
    pLoser,
    sampleW,
    sampleL,
  );
  if (threshold <= 0) return 0;
  const n = asn * pWR;
  const needed = (threshold - minus * n) / (plus - minus);
  const z = (needed - n * pW2) / Math.sqrt(n * pW2 * pR2);
  return roundToHundredths(normalCdf(-z));
}

/** An exact decimal number coef · 10^exp, as Python's `Decimal` holds one. */
interface DecimalNumber {
  readonly coef: bigint;
  readonly exp: number;
}

/** The exact decimal value of a positive double (what `Decimal(float)` gives). */
function decimalFromDouble(x: number): DecimalNumber {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exp2 = (biased === 0 ? 1 : biased) - 1075;
  // m·2^e with e < 0 is m·5^(−e)·10^e: exact in decimal.
  return exp2 >= 0
    ? { coef: mantissa << BigInt(exp2), exp: 0 }
    : { coef: mantissa * 5n ** BigInt(-exp2), exp: exp2 };
}

/** Rounds to 28 significant digits, ties to even (Decimal's default context). */
function roundDecimal(d: DecimalNumber): DecimalNumber {
  const digits = d.coef.toString().length;
  if (digits <= DECIMAL_DIGITS) return d;
  const drop = 10n ** BigInt(digits - DECIMAL_DIGITS);
  let q = d.coef / drop;
  const twiceRem = (d.coef % drop) * 2n;
  if (twiceRem > drop || (twiceRem === drop && q % 2n === 1n)) q += 1n;
  return { coef: q, exp: d.exp + digits - DECIMAL_DIGITS };
}

/**
 * `math.ceil(size / (p_w + p_r))` evaluated as Arlo's `Decimal` arithmetic
 * evaluates it: the sum and the quotient each rounded to 28 digits. Doubles
 * would differ when the quotient is (nearly) whole, e.g. 8·k / (8/9).
 */
function ceilDecimalQuotient(size: number, pWinner: number, pLoser: number): number {
  if (size === 0) return 0;
  const a = decimalFromDouble(pWinner);
  const b = decimalFromDouble(pLoser);
  const exp = Math.min(a.exp, b.exp);
  const sum = roundDecimal({
    coef: a.coef * 10n ** BigInt(a.exp - exp) + b.coef * 10n ** BigInt(b.exp - exp),
    exp,
  });
  // size / (coef·10^exp) as numer/denom.
  const numer = BigInt(size) * (sum.exp < 0 ? 10n ** BigInt(-sum.exp) : 1n);
  const denom = sum.coef * (sum.exp > 0 ? 10n ** BigInt(sum.exp) : 1n);
  const whole = numer / denom;
  const rem = numer % denom;
  if (rem === 0n) return Number(whole);
  // Rounded to 28 significant digits, the quotient drops back to `whole` when
  // its fraction is under half a unit of the 28th digit (a tie goes to the
  // even digit, which is then a padding 0 since sizes have < 28 digits).
  const intDigits = whole === 0n ? 0 : whole.toString().length;
  const fractionDigits = DECIMAL_DIGITS - intDigits;
  if (whole > 0n && rem * 10n ** BigInt(fractionDigits) * 2n <= denom) return Number(whole);
  return Number(whole) + 1;
}

/**
 * The sample size that finishes the audit of one pair in this round with
 * chance `pCompletion` if the report is right (Arlo's `bravo_sample_sizes`,
 * after Mark Lindeman): a normal-approximation estimate of the number n of the
 * pair's votes, then the first n from there at which the binomial
 * (1 − pCompletion)-quantile of the winner's votes meets BRAVO's threshold —
 * but not past the contest's ballots — scaled up for the other candidates'
 * votes. 0 if the sample already meets the threshold. Arguments as for
 * {@link computeBravoAsnProbability}; exported for Arlo's unit tests of it.
 */
export function computeBravoQuantileSize(
  alpha: number,
  pWinner: number,
  pLoser: number,
  sampleW: number,
  sampleL: number,
  pCompletion: number,
  totalBallots: number,
): number {
  const { pW2, pR2, plus, minus, threshold } = computePairTerms(
    alpha,
    pWinner,
    pLoser,
    sampleW,
    sampleL,
  );
  if (threshold <= 0) return 0;

  // The winner's votes at the (1 − p) quantile, n·pW2 + z·√(n·pW2·pR2), equal
  // to the votes BRAVO needs, (threshold − minus·n)/(plus − minus): a
  // quadratic in n, whose larger root is the estimate for p > ½.
  const z = -normalQuantile(pCompletion);
  const d = pW2 * pR2;
  const f = threshold / (plus - minus);
  const g = minus / (plus - minus) + pW2;
  const qa = g * g;
  const qb = -(z * z * d + 2 * f * g);
  const qc = f * f;
  const radical = Math.sqrt(Math.max(0, qb * qb - 4 * qa * qc));
  const estimate = Math.floor(
    pCompletion > 0.5 ? (-qb + radical) / (2 * qa) : (-qb - radical) / (2 * qa),
  );

  // Arlo then steps n up one at a time until the quantile statistic reaches the
  // threshold or n reaches the ballots — up to millions of quantiles in a
  // close, large contest. The statistic x·plus + (n − x)·minus rises by at most
  // `plus` per step (the quantile x grows by 0 or 1), so from a deficit δ no n
  // before ⌈δ/plus⌉ steps can reach it: skipping them returns Arlo's n exactly.
  // (A negative estimate is where Arlo's quantile is NaN and it steps to 0.)
  const q = 1.0 - pCompletion;
  let n = Math.max(estimate, 0);
  while (n < totalBallots) {
    const x = binomialQuantile(q, n, pW2);
    const stat = x * plus + (n - x) * minus;
    if (stat >= threshold) break;
    // One step short of the bound, so rounding can never skip a hit.
    const skip = Math.ceil((threshold - stat) / plus) - 1;
    n = Math.min(n + Math.max(skip, 1), totalBallots);
  }
  return ceilDecimalQuotient(n, pWinner, pLoser);
}

/** Arlo's tie: the weakest winner has exactly the votes of the strongest loser. */
function isTie(contest: Contest): boolean {
  const weakest = Math.min(...contest.winners.map((w) => w.votes));
  const strongest = Math.max(...contest.losers.map((l) => l.votes));
  return weakest === strongest;
}

/** Arlo's landslide: no loser got a vote. */
function isLandslide(contest: Contest): boolean {
  return contest.losers.every((l) => l.votes === 0);
}

/**
 * The average sample number (ASN) of the audit from here: over the pairs, the
 * largest of Wald's expected number of draws for BRAVO to reach 1/alpha given
 * the statistic so far (Arlo's `get_expected_sample_size`), with the chance it
 * finishes in one round for a single-winner contest. Null when the sample
 * already finishes every pair.
 */
function computeAsn(
  contest: Contest,
  alpha: number,
  pairs: readonly BravoPair[],
  sample: ReadonlyMap<string, number>,
): SampleSizeOption | null {
  let size = 0;
  let worst: BravoPair | undefined;
  for (const pair of pairs) {
    // A loser without reported votes gives z_l = ln 0: Arlo skips the pair.
    if (pair.pLoser === 0) continue;
    const logWeightedAlpha = Math.log(1 / alpha) - computeLogStatistic(pair, sample);
    const sW = pair.pWinner / (pair.pWinner + pair.pLoser);
    const zW = Math.log(2 * sW);
    const zL = Math.log(2 - 2 * sW);
    const candidate = Math.ceil(
      (logWeightedAlpha + zW / 2) / (pair.pWinner * zW + pair.pLoser * zL),
    );
    if (candidate > size) {
      size = candidate;
      worst = pair;
    }
  }
  if (size === 0 || worst === undefined) return null;
  // The chance of finishing is of one pair; with several winners Arlo gives none.
  const prob =
    contest.numWinners === 1
      ? computeBravoAsnProbability(
          alpha,
          worst.pWinner,
          worst.pLoser,
          sample.get(worst.winner.name) ?? 0,
          sample.get(worst.loser.name) ?? 0,
          size,
        )
      : null;
  return { size, prob };
}

/**
 * The sample-size options for the next round of a BRAVO audit, as Arlo's
 * `get_sample_size` gives them: the ASN with its chance of finishing, and for
 * a single-winner contest the sizes that finish with chance 0.7, 0.8 and 0.9
 * (the largest over all pairs). A tie, or a large contest (over 100,000
 * ballots) whose 0.9 option is a quarter of its ballots, gets only
 * `all-ballots` (a full hand count); a contest whose losers got no vote gets an
 * ASN of 1; an audit already over (confirmed by the sample) gets `{}`, one
 * whose tallies reach the ballots cast unconfirmed gets `all-ballots`. Sizes are of the round's new draws.
 */
export function computeBravoSampleSizes(
  contest: Contest,
  alpha: number,
  rounds: readonly SampleRound[],
): SampleSizeOptions {
  checkArguments(contest, alpha, rounds);
  const sample = cumulateRounds(contest, rounds);
  const allBallots: SampleSizeOptions = { 'all-ballots': { size: contest.ballots, prob: null } };
  // Arlo refuses a round after every ballot was audited; its count of the
  // ballots drawn is not here, so a tally as large as a hand count stands in —
  // and since that tally confirms nothing here (computeBravoRisk), the way on
  // is the full hand count.
  if (tallyReachesBallots(contest, sample)) return allBallots;
  if (isTie(contest)) return allBallots;
  if (isLandslide(contest)) return { asn: { size: 1, prob: 1 } };

  const pairs = listPairs(contest);
  const asn = computeAsn(contest, alpha, pairs, sample);
  if (asn === null) return {};
  if (contest.numWinners !== 1) return { asn };

  const options: { -readonly [K in keyof SampleSizeOptions]: SampleSizeOptions[K] } = { asn };
  for (const quantile of QUANTILES) {
    let size = 0;
    for (const pair of pairs) {
      if (pair.pLoser === 0) continue;
      const sampleW = sample.get(pair.winner.name) ?? 0;
      const sampleL = sample.get(pair.loser.name) ?? 0;
      size = Math.max(
        size,
        computeBravoQuantileSize(
          alpha,
          pair.pWinner,
          pair.pLoser,
          sampleW,
          sampleL,
          quantile,
          contest.ballots,
        ),
      );
    }
    if (size !== 0) options[keyOfQuantile(quantile)] = { size, prob: quantile };
  }
  const ninety = options['0.9'];
  if (
    contest.ballots > LARGE_CONTEST_BALLOTS &&
    ninety !== undefined &&
    ninety.size >= contest.ballots * ALL_BALLOTS_FRACTION
  ) {
    return allBallots;
  }
  return options;
}

function keyOfQuantile(quantile: (typeof QUANTILES)[number]): '0.7' | '0.8' | '0.9' {
  switch (quantile) {
    case 0.7:
      return '0.7';
    case 0.8:
      return '0.8';
    case 0.9:
      return '0.9';
    default: {
      const never: never = quantile;
      throw new Error(`unknown quantile ${String(never)}`);
    }
  }
}
