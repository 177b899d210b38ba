// Minerva's guarantees, checked by seeded simulation (issue #6, item 2): when
// the reported winner in truth tied or lost, a Minerva audit with a
// predetermined round schedule confirms the outcome with probability at most
// alpha (Zagórski et al., USENIX Security 2021, Theorem 1); when the reported
// tally is right, a first round of the size computeMinervaSampleSizes gives for
// "0.9" stops with probability at least 0.9. Each bound is checked against the
// binomial 99.9% quantile of the count, so a correct implementation fails by
// chance less than 1 time in 1000, and the seed is fixed.
import binomialQuantile from '@stdlib/stats-base-dists-binomial-quantile';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random.js';
import { createContest, type Contest, type SampleRound } from '../src/contest.js';
import { computeMinervaRisk, computeMinervaSampleSizes } from '../src/minerva.js';

/** Winner ballots among d ballots drawn with replacement, the winner's true share being p. */
function drawWinnerBallots(random: () => number, d: number, p: number): number {
  let k = 0;
  for (let i = 0; i < d; i++) if (random() < p) k++;
  return k;
}

function makeContest(a: number, b: number): Contest {
  const c = createContest({
    candidates: [
      { name: 'a', votes: a },
      { name: 'b', votes: b },
    ],
    ballots: a + b,
    numWinners: 1,
    votesAllowed: 1,
  });
  if (!c.ok) throw new Error(JSON.stringify(c.error));
  return c.value;
}

/** Runs one audit over the cumulative schedule; true if some round confirmed the outcome. */
function simulateAudit(
  contest: Contest,
  alpha: number,
  schedule: readonly number[],
  trueShare: number,
  random: () => number,
): boolean {
  const rounds: SampleRound[] = [];
  let previous = 0;
  for (const [i, n] of schedule.entries()) {
    const a = drawWinnerBallots(random, n - previous, trueShare);
    rounds.push({
      round: `r${i + 1}`,
      tally: new Map([
        ['a', a],
        ['b', n - previous - a],
      ]),
    });
    previous = n;
  }
  // computeMinervaRisk stops at the first confirming round and ignores the rest,
  // so one call tells whether any round confirmed.
  return computeMinervaRisk(contest, alpha, rounds).confirmed;
}

describe('Minerva by simulation', () => {
  const alpha = 0.1;
  const reported = makeContest(600, 400);
  const first = computeMinervaSampleSizes(reported, alpha, [])['0.9']?.size ?? NaN;

  it('the first-round 0.9 size is a real number of draws', () => {
    expect(Number.isSafeInteger(first)).toBe(true);
    expect(first).toBeGreaterThan(0);
  });

  it.each([
    ['tied', 0.5, 1],
    ['lost 45–55', 0.45, 2],
  ])(
    'confirms a reported winner who in truth %s at most alpha of the time (3 rounds)',
    (_what, trueShare, seed) => {
      const trials = 2000;
      const random = createSeededRandom(seed);
      const schedule = [first, 2 * first, 4 * first];
      let confirmed = 0;
      for (let t = 0; t < trials; t++) {
        if (simulateAudit(reported, alpha, schedule, trueShare, random)) confirmed++;
      }
      // If the true rate is at most alpha, the count exceeds this 1 time in 1000.
      expect(confirmed).toBeLessThanOrEqual(binomialQuantile(0.999, trials, alpha));
    },
  );

  it('confirms a correct 60–40 outcome in the first round at least 90% of the time', () => {
    const trials = 2000;
    const random = createSeededRandom(3);
    let confirmed = 0;
    for (let t = 0; t < trials; t++) {
      if (simulateAudit(reported, alpha, [first], 0.6, random)) confirmed++;
    }
    // If the true rate is at least 0.9, the count falls below this 1 time in 1000.
    expect(confirmed).toBeGreaterThanOrEqual(binomialQuantile(0.001, trials, 0.9));
  });
});
