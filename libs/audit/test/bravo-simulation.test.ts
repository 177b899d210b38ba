/**
 * BRAVO (src/bravo.ts) by simulation: audits run round by round with the
 * sizes BRAVO asks for, ballots drawn with replacement (as Arlo's ballot
 * polling draws them) from the TRUE votes. When the reported winner really
 * lost or tied, the fraction of audits that confirm must stay within the risk
 * limit (Lindeman, Stark & Yates 2012: the statistic is a nonnegative
 * supermartingale under the null, so by Ville's inequality it reaches 1/alpha
 * with chance at most alpha, however the rounds are chosen); when the report
 * is right by a wide margin, nearly every audit confirms. Seeded, deterministic.
 */
import binomialQuantile from '@stdlib/stats-base-dists-binomial-quantile';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random.js';
import { computeBravoRisk, computeBravoSampleSizes } from '../src/bravo.js';
import { createContest, type Contest, type SampleRound } from '../src/contest.js';

const REPORTED: Contest = (() => {
  // Reported: a 55 %, b 45 % of 100,000 ballots (a few blank).
  const created = createContest({
    candidates: [
      { name: 'a', votes: 54_000 },
      { name: 'b', votes: 44_000 },
    ],
    ballots: 100_000,
    numWinners: 1,
    votesAllowed: 1,
  });
  if (!created.ok) throw new Error('contest');
  return created.value;
})();

type Outcome = 'confirmed' | 'full-count';

interface AuditRun {
  readonly outcome: Outcome;
  readonly rounds: number;
}

/**
 * One audit: each round takes the 0.9 option (the ASN when there is none),
 * draws that many ballots from the true shares, and measures the risk; a
 * full hand count (asked for, or the draws reaching the ballots, or after
 * `maxRounds`) ends it unconfirmed.
 */
function runAudit(
  contest: Contest,
  alpha: number,
  trueA: number,
  trueB: number,
  random: () => number,
  maxRounds: number,
): AuditRun {
  const rounds: SampleRound[] = [];
  let drawn = 0;
  for (let r = 1; r <= maxRounds; r++) {
    const options = computeBravoSampleSizes(contest, alpha, rounds);
    const option = options['0.9'] ?? options.asn;
    if (option === undefined) return { outcome: 'full-count', rounds: r };
    // A hand count of every ballot finds the true outcome: never a wrong confirmation.
    if (drawn + option.size >= contest.ballots) return { outcome: 'full-count', rounds: r };
    // The round's tally is multinomial: a ~ Bin(size, trueA), then b among the
    // rest, each drawn by inverting its CDF at a uniform.
    const a = binomialQuantile(random(), option.size, trueA);
    const b = binomialQuantile(random(), option.size - a, trueB / (1 - trueA));
    drawn += option.size;
    rounds.push({
      round: `round${r}`,
      tally: new Map([
        ['a', a],
        ['b', b],
      ]),
    });
    if (computeBravoRisk(contest, alpha, rounds).confirmed)
      return { outcome: 'confirmed', rounds: r };
  }
  return { outcome: 'full-count', rounds: maxRounds };
}

function countConfirmed(
  alpha: number,
  trueA: number,
  trueB: number,
  trials: number,
  seed: number,
  maxRounds: number,
): { confirmed: number; inFirstRound: number } {
  const random = createSeededRandom(seed);
  let confirmed = 0;
  let inFirstRound = 0;
  for (let t = 0; t < trials; t++) {
    const run = runAudit(REPORTED, alpha, trueA, trueB, random, maxRounds);
    if (run.outcome === 'confirmed') {
      confirmed += 1;
      if (run.rounds === 1) inFirstRound += 1;
    }
  }
  return { confirmed, inFirstRound };
}

describe('BRAVO risk: wrong outcomes are confirmed at most alpha of the time', () => {
  const trials = 2000;

  it.each([
    ['a tie (49 % each)', 0.49, 0.49, 0.1, 11],
    ['the reported winner lost (48.5 % to 49.5 %)', 0.485, 0.495, 0.1, 12],
    ['a tie at alpha 0.05', 0.49, 0.49, 0.05, 13],
  ])('%s', (_label, trueA, trueB, alpha, seed) => {
    const { confirmed } = countConfirmed(alpha, trueA, trueB, trials, seed, 6);
    // If the true chance were alpha, a count above the binomial 99.9 % quantile
    // would happen once in a thousand runs; the real chance is below alpha.
    const bound = binomialQuantile(0.999, trials, alpha);
    expect(confirmed).toBeLessThanOrEqual(bound);
  });
});

describe('BRAVO power: a right outcome with a wide margin confirms', () => {
  it('confirms nearly every audit of the reported 55/45 result, most in round 1', () => {
    const trials = 2000;
    const { confirmed, inFirstRound } = countConfirmed(0.1, 0.54, 0.44, trials, 21, 4);
    // The 0.9 option is meant to finish round 1 nine times in ten: allow the
    // binomial 0.1 % quantile at 0.85 for Arlo's approximations.
    expect(inFirstRound).toBeGreaterThanOrEqual(binomialQuantile(0.001, trials, 0.85));
    // Four rounds of 0.9 options fail to confirm with chance ~ 1e-4: allow 1 %.
    expect(confirmed).toBeGreaterThanOrEqual(Math.floor(trials * 0.99));
  });
});
