/**
 * The Minerva ballot-polling audit (issue #6, item 2): Zagórski, McClearn,
 * Morin, Ottoboni, Rivest, Stark, Vora et al., "Minerva — an Efficient
 * Risk-Limiting Ballot Polling Audit", USENIX Security 2021
 * (https://arxiv.org/abs/2008.02315), computed as the r2b2 library computes it
 * (gwexploratoryaudits/r2b2, `src/r2b2/minerva.py` and `audit.py`), so that the
 * published tests of r2b2 and of VotingWorks Arlo (`server/audit_math/minerva.py`,
 * `server/tests/audit_math/test_minerva.py`) pass.
 *
 * How it works. Every reported winner–loser pair is audited on its own, as a
 * two-candidate contest without other ballots (r2b2's pairwise reduction): only
 * the ballots for either of the two count. For each pair two distributions of
 * "winner ballots among the pair's sampled ballots" are carried from round to
 * round: under the reported tally (winner share p1 = w / (w + l)) and under a
 * tie (1/2). A round draws d more pair ballots, so each distribution is
 * convolved with Binomial(d, ·); the audit's stopping rule is Minerva's ratio of
 * tail probabilities, α · P_reported[K ≥ k] > P_tie[K ≥ k] for the cumulative
 * k winner ballots; its p-value is P_tie[K ≥ k] / P_reported[K ≥ k]. If the
 * pair does not stop, both distributions are truncated below the round's kmin
 * (the smallest k that would have stopped it), since the audit only goes on
 * along those paths. The audit is confirmed once every pair has stopped.
 *
 * Next-round sizes follow r2b2's `next_sample_size`: for each pair, a binary
 * search (upper bounds 10⁴, 2·10⁴, … below 10⁷) for the smallest cumulative pair
 * sample whose chance of stopping in that round, if the reported tally is
 * right, reaches 0.7, 0.8 or 0.9; scaled up by ballots / (w + l) for the ballots
 * that are neither's, largest over the pairs. Where r2b2 and Arlo differ, we
 * follow the choice that reproduces Arlo's published sample sizes (Arlo took them
 * from the Athena package, whose numbers r2b2's search reproduces with these two
 * choices): the tie hypothesis of a prospective round is exactly 1/2 (r2b2 uses
 * ⌊N/2⌋/N, which differs for an odd pair total N), and the scaled size is
 * rounded up (r2b2 truncates). Arlo gives no `asn` for Minerva, nor do we.
 *
 * Floating point: the distributions are float64 arrays convolved directly (as
 * r2b2's `convolve(..., method='direct')`), kept only where the probabilities do
 * not underflow to 0 (entries that are exactly 0 add nothing to any sum, so
 * leaving them out changes no result but saves the time). Binomial masses come
 * from @stdlib (within ~1e-10 relative of scipy's) and the ratio of successive
 * masses.
 *
 * Deviations from r2b2, all where r2b2 fails or would be unsound:
 * - A winner tied with a loser (w = l) cannot be confirmed by sampling: r2b2
 *   silently drops such a pair; here its p-value is 1 and the sample size is a
 *   full count (`all-ballots`), as Arlo does for a tie.
 * - A loser with no votes (p1 = 1) has no BRAVO bound for the kmin search (r2b2
 *   takes log 0); the search then runs to the end of the distribution.
 * - When the reported distribution's tail underflows to 0 at the observed k
 *   (a sample far more one-sided than reported), r2b2 divides 0 by 0; here the
 *   p-value is the ratio at the largest k whose tail is still representable, an
 *   upper bound of the true one (the likelihood ratio of the two hypotheses
 *   falls as k grows, so the ratio of their tails does too).
 * - Pairs that have stopped are not re-examined (as in r2b2) and no longer
 *   count toward the next round's size (r2b2 keeps estimating for them).
 * - Rounds given after the audit was confirmed are ignored (as r2b2's
 *   `execute_round` does).
 */
import binomialPmf from '@stdlib/stats-base-dists-binomial-pmf';
import type {
  Contest,
  ContestCandidate,
  PairRisk,
  RiskMeasurement,
  SampleRound,
  SampleSizeKey,
  SampleSizeOption,
  SampleSizeOptions,
} from './contest.js';

/**
 * A distribution over a count k, stored where its mass is not 0:
 * P(K = k) = mass[k − start] for start ≤ k < start + mass.length, else 0.
 * `length` is the length r2b2's array would have (indices 0 … length − 1), which
 * its searches use as a bound.
 */
interface Distribution {
  readonly start: number;
  readonly mass: Float64Array;
  readonly length: number;
}

/** A distribution with its tail sums, tail[i] = Σ mass[i …]. */
interface Tailed extends Distribution {
  readonly tail: Float64Array;
}

/** The chances of stopping in each round that the sample-size options are for (Arlo's). */
export const MINERVA_STOPPING_CHANCES: readonly ['0.7', '0.8', '0.9'] = ['0.7', '0.8', '0.9'];

/** r2b2's search for a round size starts with this upper bound and doubles it … */
const SEARCH_START = 10_000;
/** … while it stays below this. */
const SEARCH_LIMIT = 10_000_000;

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha <= 0.5)) {
    throw new RangeError(`the risk limit alpha must be in (0, 0.5], got ${alpha}`);
  }
}

/**
 * Binomial(n, p) masses, from the mode outward until they underflow to 0. The
 * mode's mass comes from @stdlib; its neighbours by the ratio of successive
 * masses, (n − k)/(k + 1) · p/(1 − p), which drifts by about one rounding per
 * step (~1e-12 relative over 10⁴ steps, below @stdlib's own ~1e-10 against
 * scipy) and is an order of magnitude faster than evaluating each mass.
 */
function binomialDistribution(n: number, p: number): Distribution {
  if (p >= 1) return { start: n, mass: Float64Array.of(1), length: n + 1 };
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const odds = p / (1 - p);
  const atMode = binomialPmf(mode, n, p);
  const below: number[] = [];
  let m = atMode;
  for (let k = mode - 1; k >= 0; k--) {
    // P(k) = P(k + 1) · (k + 1) / ((n − k) · odds)
    m = (m * (k + 1)) / ((n - k) * odds);
    if (m === 0) break;
    below.push(m);
  }
  const above: number[] = [atMode];
  m = atMode;
  for (let k = mode; k < n; k++) {
    m = (m * (n - k) * odds) / (k + 1);
    if (m === 0) break;
    above.push(m);
  }
  const mass = new Float64Array(below.length + above.length);
  for (let i = 0; i < below.length; i++) mass[below.length - 1 - i] = below[i] as number;
  mass.set(above, below.length);
  return { start: mode - below.length, mass, length: n + 1 };
}

/** Direct convolution (the distribution of the sum of two independent counts), zeros trimmed. */
function convolve(a: Distribution, b: Distribution): Distribution {
  const out = new Float64Array(a.mass.length + b.mass.length - 1);
  const bm = b.mass;
  const bn = bm.length;
  for (let i = 0; i < a.mass.length; i++) {
    const ai = a.mass[i] as number;
    if (ai === 0) continue;
    for (let j = 0; j < bn; j++) out[i + j] = (out[i + j] as number) + ai * (bm[j] as number);
  }
  let lo = 0;
  let hi = out.length;
  while (lo < hi && out[lo] === 0) lo++;
  while (hi > lo && out[hi - 1] === 0) hi--;
  return {
    start: a.start + b.start + lo,
    mass: out.slice(lo, hi),
    length: a.length + b.length - 1,
  };
}

/** Keeps k < limit (r2b2's `dist[:kmin]`). */
function truncateBelow(d: Distribution, limit: number): Distribution {
  const keep = Math.max(0, Math.min(d.mass.length, limit - d.start));
  return { start: d.start, mass: d.mass.slice(0, keep), length: limit };
}

function withTails(d: Distribution): Tailed {
  const tail = new Float64Array(d.mass.length + 1);
  // Summed from the small end: the tails that decide a stop are the small ones.
  for (let i = d.mass.length - 1; i >= 0; i--) {
    tail[i] = (tail[i + 1] as number) + (d.mass[i] as number);
  }
  return { ...d, tail };
}

/** P(K ≥ k). */
function tailAt(d: Tailed, k: number): number {
  if (k <= d.start) return d.tail[0] as number;
  const i = k - d.start;
  return i >= d.mass.length ? 0 : (d.tail[i] as number);
}

/** One winner–loser pair's sub-audit. */
interface PairAudit {
  readonly winner: ContestCandidate;
  readonly loser: ContestCandidate;
  /** The winner's share of the pair's reported votes. */
  readonly share: number;
  /** The pair's reported votes, w + l. */
  readonly ballots: number;
  /** Distributions of winner ballots given the audit has not stopped: under a tie, as reported. */
  tie: Tailed | null;
  reported: Tailed | null;
  /** Cumulative pair ballots and winner ballots sampled. */
  drawn: number;
  winnerDrawn: number;
  stopped: boolean;
  pValue: number;
}

function createPairs(contest: Contest): PairAudit[] {
  const pairs: PairAudit[] = [];
  for (const winner of contest.winners) {
    for (const loser of contest.losers) {
      const ballots = winner.votes + loser.votes;
      pairs.push({
        winner,
        loser,
        share: ballots > 0 ? winner.votes / ballots : 0.5,
        ballots,
        tie: null,
        reported: null,
        drawn: 0,
        winnerDrawn: 0,
        stopped: false,
        pValue: 1,
      });
    }
  }
  return pairs;
}

/** A pair whose winner did not get more votes than its loser cannot be confirmed by sampling. */
function isAuditable(pair: PairAudit): boolean {
  return pair.winner.votes > pair.loser.votes;
}

function countOf(tally: ReadonlyMap<string, number>, name: string, where: string): number {
  const n = tally.get(name) ?? 0;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${where}: ${name} has ${n} sampled votes, not a count`);
  }
  return n;
}

/**
 * Minerva's kmin for a pair after a round (r2b2's `find_kmin`): the smallest k
 * above half the pair sample whose tails meet the stopping rule, or null.
 */
function findKmin(tie: Tailed, reported: Tailed, sampleSize: number, alpha: number): number | null {
  for (let k = Math.floor(sampleSize / 2) + 1; k < tie.length; k++) {
    if (alpha * tailAt(reported, k) > tailAt(tie, k)) return k;
  }
  return null;
}

/** Folds one round's draw (d pair ballots) into a pair's distributions. */
function drawRound(
  pair: PairAudit,
  d: number,
  tieShare: number,
): { tie: Tailed; reported: Tailed } {
  const tieRound = binomialDistribution(d, tieShare);
  const reportedRound = binomialDistribution(d, pair.share);
  if (pair.tie === null || pair.reported === null) {
    return { tie: withTails(tieRound), reported: withTails(reportedRound) };
  }
  return {
    tie: withTails(convolve(pair.tie, tieRound)),
    reported: withTails(convolve(pair.reported, reportedRound)),
  };
}

/**
 * Runs the rounds through every pair (r2b2's `execute_round` with cumulative
 * tallies). Pairs that cannot be audited stay unstopped with p-value 1.
 */
function runRounds(
  contest: Contest,
  alpha: number,
  rounds: readonly SampleRound[],
): { pairs: PairAudit[]; confirmed: boolean } {
  const pairs = createPairs(contest);
  const cumulative = new Map<string, number>(contest.candidates.map((c) => [c.name, 0]));
  let confirmed = false;
  for (const round of rounds) {
    for (const c of contest.candidates) {
      const n = countOf(round.tally, c.name, round.round);
      cumulative.set(c.name, (cumulative.get(c.name) ?? 0) + n);
    }
    let allStopped = true;
    for (const pair of pairs) {
      if (pair.stopped) continue;
      if (!isAuditable(pair)) {
        allStopped = false;
        continue;
      }
      const w = cumulative.get(pair.winner.name) ?? 0;
      const l = cumulative.get(pair.loser.name) ?? 0;
      const { tie, reported } = drawRound(pair, w + l - pair.drawn, 0.5);
      pair.tie = tie;
      pair.reported = reported;
      pair.drawn = w + l;
      pair.winnerDrawn = w;
      // Past the last k the reported tail can represent, use the last one: an
      // upper bound of the p-value (see the header).
      const lastReported = reported.start + reported.mass.length - 1;
      const k = Math.min(w, lastReported);
      const tailTie = tailAt(tie, k);
      const tailReported = tailAt(reported, k);
      pair.pValue = tailTie / tailReported;
      // r2b2's α·P_reported > P_tie, as a ratio: the same test, but it still
      // holds when α·P_reported would underflow.
      pair.stopped = pair.pValue < alpha;
      if (!pair.stopped) allStopped = false;
    }
    if (allStopped) {
      confirmed = true;
      break;
    }
    for (const pair of pairs) {
      if (pair.stopped || pair.tie === null || pair.reported === null) continue;
      const kmin = findKmin(pair.tie, pair.reported, pair.drawn, alpha);
      if (kmin !== null) {
        pair.tie = withTails(truncateBelow(pair.tie, kmin));
        pair.reported = withTails(truncateBelow(pair.reported, kmin));
      }
    }
  }
  return { pairs, confirmed };
}

/**
 * Measures the risk of a Minerva audit after the given rounds (each round's
 * tally is that round's sampled votes, not cumulative). Every winner–loser
 * pair gets its p-value: its latest while it has not stopped, the one it
 * stopped at once it has (r2b2's pairwise `pvalue_schedule[-1]`). As in r2b2
 * it is the ratio of two tail probabilities, which can exceed 1 when the
 * sample favours the loser. Confirmed when every pair has met Minerva's
 * stopping rule.
 */
export function computeMinervaRisk(
  contest: Contest,
  alpha: number,
  rounds: readonly SampleRound[],
): RiskMeasurement {
  checkAlpha(alpha);
  const { pairs, confirmed } = runRounds(contest, alpha, rounds);
  const pValues: PairRisk[] = pairs.map((p) => ({
    winner: p.winner.name,
    loser: p.loser.name,
    pValue: p.pValue,
  }));
  return { pValues, confirmed: confirmed && pairs.length > 0 };
}

interface StopChance {
  readonly kmin: number;
  readonly chance: number;
}

/**
 * A pair's chance of stopping if the next round brings its cumulative sample to
 * n pair ballots and the reported tally is right (r2b2's `find_sprob`).
 */
function computeStopChance(pair: PairAudit, n: number, alpha: number): StopChance {
  const d = n - pair.drawn;
  const reportedRound = binomialDistribution(d, pair.share);
  const tieRound = binomialDistribution(d, 0.5);
  const first = pair.tie === null || pair.reported === null;
  const num = withTails(first ? reportedRound : convolve(pair.reported as Tailed, reportedRound));
  const den = withTails(first ? tieRound : convolve(pair.tie as Tailed, tieRound));
  // Minerva's kmin never exceeds BRAVO's, which bounds the search (none for p1 = 1).
  const p1 = pair.share;
  const bravo =
    p1 < 1
      ? Math.ceil((-n * Math.log((1 - p1) / 0.5) - Math.log(alpha)) / Math.log(p1 / (1 - p1)))
      : num.length;
  const satisfies = (k: number): boolean => alpha * tailAt(num, k) > tailAt(den, k);
  let left = Math.floor(num.length / 2);
  let right = Math.min(bravo, num.length);
  let kmin = 0;
  while (left <= right) {
    const mid = Math.floor((left + right) / 2);
    const here = satisfies(mid);
    const before = satisfies(mid - 1);
    if (here && !before) {
      kmin = mid;
      break;
    }
    // r2b2 raises when floating-point noise breaks monotonicity (!here && before);
    // the smallest k lies lower then too, so search there.
    if (before) right = mid - 1;
    else left = mid + 1;
  }
  if (kmin === 0) return { kmin: 0, chance: 0 };
  const needed = Math.max(0, kmin - pair.winnerDrawn);
  return { kmin, chance: tailAt(withTails(reportedRound), needed) };
}

/**
 * The smallest cumulative pair sample that stops the pair in the next round with
 * at least the given chance (r2b2's `_next_sample_size_pairwise` and
 * `binary_search_estimate`), or null if there is none below 10⁷.
 */
function findPairSampleSize(
  pair: PairAudit,
  chance: number,
  alpha: number,
  cache: Map<number, StopChance>,
): number | null {
  const stopChance = (n: number): number => {
    let c = cache.get(n);
    if (c === undefined) {
      c = computeStopChance(pair, n, alpha);
      cache.set(n, c);
    }
    return c.chance;
  };
  const search = (low: number, high: number): number | null => {
    let left = low;
    let right = high;
    for (;;) {
      if (left > right) return null;
      const mid = Math.floor((left + right) / 2);
      const ok = stopChance(mid) >= chance;
      if (right - left <= 1) {
        if (ok) return mid;
        return stopChance(mid + 1) >= chance ? mid + 1 : null;
      }
      if (ok) right = mid;
      else left = mid;
    }
  };
  const later = pair.tie !== null;
  let upper = SEARCH_START;
  while (later && upper <= pair.drawn + 1) upper *= 2;
  const first = upper;
  while (upper < SEARCH_LIMIT) {
    const low = upper === first ? (later ? pair.drawn + 1 : 1) : Math.floor(upper / 2);
    const n = search(low, upper);
    if (n !== null) return n;
    upper *= 2;
  }
  return null;
}

/**
 * Sample-size options for the next round of a Minerva audit, given the earlier
 * rounds (none for the first): for a 70, 80 and 90% chance of finishing in that
 * round if the reported results are right, the ballots to have sampled in all
 * (earlier rounds included). Ballots are drawn with replacement, so a size can
 * exceed the contest's ballot count, as Arlo's own sizes do (17,663 draws for a
 * 10,001-ballot contest in its tests); the officials may prefer a full count
 * then. An option with no size below 10⁷ pair ballots gives way to
 * `all-ballots` (a full hand count), which comes alone when no sample can
 * finish the audit (a winner tied with a loser). Empty when the earlier rounds
 * already confirmed the outcome. No `asn`: Arlo gives none for Minerva.
 */
export function computeMinervaSampleSizes(
  contest: Contest,
  alpha: number,
  rounds: readonly SampleRound[],
): SampleSizeOptions {
  checkAlpha(alpha);
  const { pairs, confirmed } = runRounds(contest, alpha, rounds);
  const fullCount: SampleSizeOption = { size: contest.ballots, prob: null };
  if (confirmed) return {};
  const open = pairs.filter((p) => !p.stopped);
  if (open.length === 0 || open.some((p) => !isAuditable(p))) {
    return { 'all-ballots': fullCount };
  }
  const caches = new Map<PairAudit, Map<number, StopChance>>(open.map((p) => [p, new Map()]));
  const options: Partial<Record<SampleSizeKey, SampleSizeOption>> = {};
  let anyFullCount = false;
  for (const key of MINERVA_STOPPING_CHANCES) {
    const chance = Number(key);
    let size = 0;
    for (const pair of open) {
      const n = findPairSampleSize(
        pair,
        chance,
        alpha,
        caches.get(pair) ?? new Map<number, StopChance>(),
      );
      if (n === null) {
        size = Infinity;
        break;
      }
      // The pair's ballots are only part of the contest's: scale up (rounded up, as Arlo).
      size = Math.max(size, Math.ceil((n * contest.ballots) / pair.ballots));
    }
    if (size === Infinity) anyFullCount = true;
    else options[key] = { size, prob: chance };
  }
  if (anyFullCount) options['all-ballots'] = fullCount;
  return options;
}

/**
 * The kmins of a two-candidate Minerva audit for a schedule of cumulative pair
 * sample sizes (r2b2's `compute_min_winner_ballots`): for each round, the
 * fewest winner ballots that would stop the audit there, given it did not stop
 * before; null where no count would. For checking against r2b2's and the
 * paper's published kmins.
 */
export function computeMinervaKmins(
  winnerVotes: number,
  loserVotes: number,
  alpha: number,
  schedule: readonly number[],
): (number | null)[] {
  checkAlpha(alpha);
  if (!(winnerVotes > loserVotes && loserVotes >= 0)) {
    throw new RangeError('the winner must have more votes than the loser');
  }
  const share = winnerVotes / (winnerVotes + loserVotes);
  let tie: Tailed | null = null;
  let reported: Tailed | null = null;
  let previous = 0;
  const kmins: (number | null)[] = [];
  for (const n of schedule) {
    if (!Number.isSafeInteger(n) || n <= previous) {
      throw new RangeError('the schedule must be cumulative sizes that strictly increase');
    }
    const tieRound = binomialDistribution(n - previous, 0.5);
    const reportedRound = binomialDistribution(n - previous, share);
    tie = withTails(tie === null ? tieRound : convolve(tie, tieRound));
    reported = withTails(reported === null ? reportedRound : convolve(reported, reportedRound));
    const kmin = findKmin(tie, reported, n, alpha);
    kmins.push(kmin);
    if (kmin !== null) {
      tie = withTails(truncateBelow(tie, kmin));
      reported = withTails(truncateBelow(reported, kmin));
    }
    previous = n;
  }
  return kmins;
}
