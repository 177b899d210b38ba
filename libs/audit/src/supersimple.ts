/**
 * Ballot-comparison audits for elections that publish cast-vote records (issue
 * #6): each sampled paper ballot is compared with its CVR and the risk is the
 * Kaplan–Markov p-value of the "super-simple" audit (P. B. Stark, "Super-Simple
 * Simultaneous Single-Ballot Risk-Limiting Audits", EVT/WOTE 2010; M. Lindeman
 * and P. B. Stark, "A Gentle Introduction to Risk-Limiting Audits", IEEE S&P
 * 2012), with gamma = 1.03905 as Stark's online tool, the Gentle Introduction
 * and Colorado's CORLA use it.
 *
 * The arithmetic follows VotingWorks Arlo (`server/audit_math/supersimple.py`)
 * so that its published tests hold here, with these deliberate differences,
 * each on the side of caution:
 * - a ballot's weighted error is the largest over the winner–loser pairs of
 *   the pair's error over the pair's margin (Stark's taint); Arlo takes the
 *   weighted error of the pair with the largest error in votes, which can be
 *   smaller when a wider pair has the larger error in votes;
 * - an overvote (more marks than votes allowed) is no valid vote, on the CVR
 *   and on paper alike (Arlo does so for ES&S's overvote CVR code, but keeps the
 *   marks of an overvoted paper ballot);
 * - the audit ends with p = 0 only when every ballot of the contest was
 *   examined (Arlo also does so when draws with replacement add up to the
 *   number of ballots, though some were never looked at), and then it confirms
 *   the outcome only if the hand count agrees with it.
 */
import type { Contest, PairRisk, RiskMeasurement, SampleSizeOption } from './contest.js';

/** Stark's error-inflation factor (gamma), as in his tool, the Gentle Introduction and CORLA. */
export const SUPERSIMPLE_GAMMA = 1.03905;

/**
 * Rates of one-vote (and two-vote) misstatements a first round plans for, as
 * Arlo plans: one in a thousand ballots (one in ten thousand). They are the
 * binary doubles of 0.001 and 0.0001, as Arlo's `Decimal(0.001)` is, which
 * matters where a rate times a size falls on a whole number (see below).
 */
const ONE_VOTE_RATE = 0.001;
const TWO_VOTE_RATE = 0.0001;

/** One contest's marks on one ballot, as the CVR records them (a candidate missing from `votes` has 0). */
export interface CvrBallot {
  readonly id: string;
  readonly votes: ReadonlyMap<string, 0 | 1>;
}

/**
 * A sampled paper ballot: its id, how many times the sample (with replacement)
 * drew it, and the marks the audit board read for the contest, or `not-found`
 * when the ballot could not be found (counted as a two-vote overstatement, as
 * Arlo counts it). A contest that is not on the ballot is read as no marks.
 */
export interface AuditedBallot {
  readonly id: string;
  readonly timesSampled: number;
  readonly votes: ReadonlyMap<string, 0 | 1> | 'not-found';
}

/**
 * A sampled ballot whose paper differs from its CVR. `counted` is the largest
 * error in votes over the winner–loser pairs (Arlo's `counted_as`: 2 a two-vote
 * overstatement, −1 a one-vote understatement…), the number the discrepancy
 * tallies count; `weighted` is the largest error over a pair's reported margin
 * in votes (Infinity for a tied pair), the taint the risk uses.
 */
export interface Discrepancy {
  readonly ballot: string;
  readonly counted: -2 | -1 | 0 | 1 | 2;
  readonly weighted: number;
}

/**
 * What earlier rounds found: draws made so far (with replacement, repeats
 * counted) and the sampled ballots with each kind of discrepancy (each ballot
 * once, as Arlo counts them).
 */
export interface DiscrepancyCounts {
  readonly sampleSize: number;
  readonly oneVoteOver: number;
  readonly twoVoteOver: number;
  readonly oneVoteUnder: number;
  readonly twoVoteUnder: number;
}

/**
 * Sample-size options of a super-simple round, keyed as Arlo keys them:
 * `supersimple` (the draws still to make, beyond those already made, as Arlo's
 * `get_sample_sizes` returns them), or `all-ballots` alone (size: the contest's
 * ballots) when the audit cannot end short of examining every ballot.
 */
export type SupersimpleSampleSizeOptions = Partial<
  Readonly<Record<'supersimple' | 'all-ballots', SampleSizeOption>>
>;

/** The risk of a super-simple round: one simultaneous p-value, which bounds every pair's risk. */
export interface SupersimpleRiskMeasurement extends RiskMeasurement {
  /** The Kaplan–Markov p-value for all pairs at once (each `pValues` entry carries it). */
  readonly pValue: number;
  readonly discrepancies: readonly Discrepancy[];
  /** True when every ballot of the contest was examined: the hand count decided. */
  readonly fullHandCount: boolean;
}

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha <= 0.5)) {
    throw new RangeError(`alpha must be in (0, 0.5], got ${alpha}`);
  }
}

/** The marks as counted: an overvote (more marks than votes allowed) is no valid vote. */
function validVotes(
  contest: Contest,
  votes: ReadonlyMap<string, 0 | 1>,
): (candidate: string) => number {
  let marks = 0;
  for (const c of contest.candidates) marks += votes.get(c.name) ?? 0;
  const overvote = marks > contest.votesAllowed;
  return (candidate) => (overvote ? 0 : (votes.get(candidate) ?? 0));
}

function checkCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
  }
}

/**
 * The discrepancies of the sampled ballots, in the order given: for each ballot
 * and each reported winner–loser pair, the error (CVR's winner − loser) − (paper's
 * winner − loser); a ballot missing from the CVRs or not found on paper is a
 * two-vote overstatement. Ballots without discrepancy are left out.
 */
export function computeDiscrepancies(
  contest: Contest,
  cvrs: ReadonlyMap<string, CvrBallot>,
  audited: readonly AuditedBallot[],
): Discrepancy[] {
  const margin = new Map<string, number>();
  for (const c of contest.candidates) margin.set(c.name, c.votes);
  const seen = new Set<string>();
  const found: Discrepancy[] = [];
  for (const ballot of audited) {
    if (seen.has(ballot.id)) throw new RangeError(`ballot ${ballot.id} is listed twice`);
    seen.add(ballot.id);
    const reported = cvrs.get(ballot.id);
    const paper = ballot.votes;
    const cvrVote =
      reported === undefined || paper === 'not-found' ? null : validVotes(contest, reported.votes);
    const paperVote = paper === 'not-found' ? null : validVotes(contest, paper);
    let counted: number | null = null;
    let weighted = -Infinity;
    for (const w of contest.winners) {
      for (const l of contest.losers) {
        const error =
          cvrVote === null || paperVote === null
            ? 2
            : cvrVote(w.name) - paperVote(w.name) - (cvrVote(l.name) - paperVote(l.name));
        if (error === 0) continue;
        const pairMargin = w.votes - l.votes;
        // A tied pair has no margin to spend: any error there is unbounded risk.
        const taint = pairMargin > 0 ? error / pairMargin : Infinity;
        if (counted === null || error > counted) counted = error;
        if (taint > weighted) weighted = taint;
      }
    }
    if (counted !== null) {
      found.push({ ballot: ballot.id, counted: counted as Discrepancy['counted'], weighted });
    }
  }
  return found;
}

/** Tallies discrepancies by kind, for the next round's size (each ballot once, as Arlo). */
export function countDiscrepancies(
  discrepancies: readonly Discrepancy[],
  sampleSize: number,
): DiscrepancyCounts {
  const counts = { sampleSize, oneVoteOver: 0, twoVoteOver: 0, oneVoteUnder: 0, twoVoteUnder: 0 };
  for (const d of discrepancies) {
    switch (d.counted) {
      case 2:
        counts.twoVoteOver += 1;
        break;
      case 1:
        counts.oneVoteOver += 1;
        break;
      case -1:
        counts.oneVoteUnder += 1;
        break;
      case -2:
        counts.twoVoteUnder += 1;
        break;
      case 0:
        break;
      default: {
        const never: never = d.counted;
        throw new RangeError(`impossible discrepancy ${String(never)}`);
      }
    }
  }
  return counts;
}

/**
 * Stark's sample size for given expected misstatement counts (Arlo's `nMin`):
 * the smallest n with the Kaplan–Markov p-value below alpha after n draws that
 * hold those misstatements, and at least as many draws as misstatements.
 */
function minimumSize(
  alpha: number,
  dilutedMargin: number,
  o1: number,
  o2: number,
  u1: number,
  u2: number,
): number {
  const g = SUPERSIMPLE_GAMMA;
  const size = Math.ceil(
    (-2 *
      g *
      (Math.log(alpha) +
        o1 * Math.log(1 - 1 / (2 * g)) +
        o2 * Math.log(1 - 1 / g) +
        u1 * Math.log(1 + 1 / (2 * g)) +
        u2 * Math.log(1 + 1 / g))) /
      dilutedMargin,
  );
  return Math.max(o1 + o2 + u1 + u2, size);
}

/**
 * Expected misstatements in n draws at a rate: rounded up (one-vote) or to the
 * nearest, halves up (two-vote), as Arlo rounds them. The default rates are the
 * doubles just above 0.001 and 0.0001, so (as in Arlo's Decimal arithmetic) a
 * whole-number product rounds up one more; observed rates are exact fractions.
 */
function expectedCount(
  rate: { readonly num: number; readonly den: number } | 'one-default' | 'two-default',
  n: number,
  rounding: 'up' | 'half-up',
): number {
  if (rate === 'one-default') return Math.floor(n / 1000) + 1;
  if (rate === 'two-default') return Math.floor((n + 5000) / 10000);
  const x = rate.num * n;
  return rounding === 'up'
    ? Math.ceil(x / rate.den)
    : Math.floor((2 * x + rate.den) / (2 * rate.den));
}

/**
 * The sample size of the next round (Arlo's `supersimple.get_sample_sizes`): with
 * nothing sampled yet, it plans for misstatements at Arlo's default rates; later,
 * for the overstatement rates observed so far (understatements, which favour the
 * winners, are ignored to stay cautious). Returns the draws still to make, or
 * `all-ballots` when the planned stopping size reaches the contest's ballots.
 */
export function computeSupersimpleSampleSizes(
  contest: Contest,
  alpha: number,
  soFar: DiscrepancyCounts | null,
): SupersimpleSampleSizeOptions {
  checkAlpha(alpha);
  const sampled = soFar?.sampleSize ?? 0;
  checkCount(sampled, 'sampleSize');
  const g = SUPERSIMPLE_GAMMA;
  const observed = soFar !== null && sampled > 0;
  const r1 = observed ? soFar.oneVoteOver / sampled : ONE_VOTE_RATE;
  const r2 = observed ? soFar.twoVoteOver / sampled : TWO_VOTE_RATE;
  const s1 = observed ? 0 : ONE_VOTE_RATE;
  const s2 = observed ? 0 : TWO_VOTE_RATE;
  const denom =
    Math.log(1 - contest.dilutedMargin / (2 * g)) -
    r1 * Math.log(1 - 1 / (2 * g)) -
    r2 * Math.log(1 - 1 / g) -
    s1 * Math.log(1 + 1 / (2 * g)) -
    s2 * Math.log(1 + 1 / g);
  const all: SupersimpleSampleSizeOptions = {
    'all-ballots': { size: contest.ballots, prob: null },
  };
  // A tied (or nearly tied, given the misstatements) contest: no sample suffices.
  if (denom >= 0) return all;
  const n0 = Math.ceil(Math.log(alpha) / denom);
  let o1: number;
  let o2: number;
  let u1: number;
  let u2: number;
  if (observed) {
    o1 = expectedCount({ num: soFar.oneVoteOver, den: sampled }, n0, 'up');
    o2 = expectedCount({ num: soFar.twoVoteOver, den: sampled }, n0, 'half-up');
    u1 = 0;
    u2 = 0;
  } else {
    o1 = expectedCount('one-default', n0, 'up');
    u1 = o1;
    o2 = expectedCount('two-default', n0, 'half-up');
    u2 = o2;
  }
  const stopping = minimumSize(alpha, contest.dilutedMargin, o1, o2, u1, u2);
  if (stopping >= contest.ballots) return all;
  return { supersimple: { size: Math.max(stopping - sampled, 0), prob: null } };
}

/**
 * Every reported winner has at least as many hand-counted votes as every
 * reported loser (a tie stays as reported: breaking it is not the audit's job).
 */
function handCountAgrees(contest: Contest, audited: readonly AuditedBallot[]): boolean {
  const tally = new Map<string, number>();
  for (const ballot of audited) {
    if (ballot.votes === 'not-found') return false;
    const vote = validVotes(contest, ballot.votes);
    for (const c of contest.candidates) tally.set(c.name, (tally.get(c.name) ?? 0) + vote(c.name));
  }
  return contest.winners.every((w) =>
    contest.losers.every((l) => (tally.get(w.name) ?? 0) >= (tally.get(l.name) ?? 0)),
  );
}

/**
 * The Kaplan–Markov p-value of the super-simple audit (Arlo's
 * `supersimple.compute_risk`): the product over draws of
 * (1 − 1/U) / (1 − e·V/(2γ)), with U = 2γ/μ (μ the diluted margin), V = μ·N
 * the smallest margin in votes and e a ballot's taint, understatements counted
 * as none. Computed as a sum of logarithms so that it cannot underflow to 0 on
 * large samples. Confirmed when p < alpha.
 */
export function computeSupersimpleRisk(
  contest: Contest,
  alpha: number,
  cvrs: ReadonlyMap<string, CvrBallot>,
  audited: readonly AuditedBallot[],
): SupersimpleRiskMeasurement {
  checkAlpha(alpha);
  for (const b of audited) {
    if (!Number.isSafeInteger(b.timesSampled) || b.timesSampled < 1) {
      throw new RangeError(`ballot ${b.id}: timesSampled must be a positive integer`);
    }
  }
  const discrepancies = computeDiscrepancies(contest, cvrs, audited);
  const taint = new Map(discrepancies.map((d) => [d.ballot, Math.max(d.weighted, 0)]));
  const g = SUPERSIMPLE_GAMMA;
  const mu = contest.dilutedMargin;
  const smallestMargin = mu * contest.ballots;
  let logP = 0;
  // A tied contest: every factor is 1, nothing short of a full count can end it.
  if (mu > 0) {
    const clean = Math.log1p(-mu / (2 * g));
    for (const b of audited) {
      const e = taint.get(b.id) ?? 0;
      logP += b.timesSampled * (clean - Math.log1p((-e * smallestMargin) / (2 * g)));
    }
  }
  const found = new Set(audited.filter((b) => b.votes !== 'not-found').map((b) => b.id));
  const fullHandCount = contest.ballots > 0 && found.size >= contest.ballots;
  let pValue: number;
  let confirmed: boolean;
  if (fullHandCount) {
    confirmed = handCountAgrees(contest, audited);
    pValue = confirmed ? 0 : 1;
  } else {
    confirmed = logP < Math.log(alpha);
    pValue = Math.min(Math.exp(logP), 1);
  }
  const pValues: PairRisk[] = [];
  for (const w of contest.winners) {
    for (const l of contest.losers) pValues.push({ winner: w.name, loser: l.name, pValue });
  }
  return { pValues, confirmed, pValue, discrepancies, fullHandCount };
}
