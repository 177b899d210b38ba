// Super-simple audits simulated (issue #6), with a seeded PRNG so the test is
// deterministic: when the CVRs were altered enough to flip the outcome, the
// audit (rounds sized and measured by the library, as Arlo runs them, draws with
// replacement) confirms the wrong outcome in at most alpha of the trials — the
// bound is the 99.9% binomial quantile of the count for a risk of exactly alpha,
// so a correct implementation fails with chance below 0.1%. With right CVRs it
// always confirms in the first round.
import binomialQuantile from '@stdlib/stats-base-dists-binomial-quantile';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random.js';
import { createContest, type Contest } from '../src/contest.js';
import {
  computeSupersimpleRisk,
  computeSupersimpleSampleSizes,
  countDiscrepancies,
  type AuditedBallot,
  type CvrBallot,
} from '../src/supersimple.js';

const N = 10_000;
const ALPHA = 0.1;
const MAX_ROUNDS = 8;

const reported: Contest = (() => {
  const r = createContest({
    name: 'Measure 1',
    candidates: [
      { name: 'Yes', votes: 5200 },
      { name: 'No', votes: 4800 },
    ],
    ballots: N,
    numWinners: 1,
    votesAllowed: 1,
  });
  if (!r.ok) throw new Error('contest');
  return r.value;
})();

type Mark = 'Yes' | 'No' | 'blank';
const votesOf = (m: Mark): ReadonlyMap<string, 0 | 1> =>
  new Map<string, 0 | 1>(m === 'blank' ? [] : [[m, 1]]);

/** CVRs as reported (5200 Yes, 4800 No); on paper, the first `altered` Yes ballots read `paper`. */
function election(
  altered: number,
  paper: Mark,
): {
  cvrs: Map<string, CvrBallot>;
  paper: readonly ReadonlyMap<string, 0 | 1>[];
} {
  const cvrs = new Map<string, CvrBallot>();
  const onPaper: ReadonlyMap<string, 0 | 1>[] = [];
  for (let i = 0; i < N; i += 1) {
    const cvr: Mark = i < 5200 ? 'Yes' : 'No';
    cvrs.set(`${i}`, { id: `${i}`, votes: votesOf(cvr) });
    onPaper.push(i < altered ? votesOf(paper) : votesOf(cvr));
  }
  return { cvrs, paper: onPaper };
}

interface Outcome {
  readonly confirmed: boolean;
  readonly rounds: number;
  readonly draws: number;
}

/** One audit: rounds as Arlo sizes them, until confirmed or escalated to a full count. */
function runAudit(e: ReturnType<typeof election>, random: () => number): Outcome {
  const times = new Map<number, number>();
  let draws = 0;
  let counts = null as ReturnType<typeof countDiscrepancies> | null;
  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    const options = computeSupersimpleSampleSizes(reported, ALPHA, counts);
    // A full hand count finds the true outcome: the wrong one is not confirmed.
    if (options.supersimple === undefined) return { confirmed: false, rounds: round, draws };
    for (let k = 0; k < options.supersimple.size; k += 1) {
      const i = Math.floor(random() * N);
      times.set(i, (times.get(i) ?? 0) + 1);
    }
    draws += options.supersimple.size;
    const audited: AuditedBallot[] = [...times].map(([i, t]) => ({
      id: `${i}`,
      timesSampled: t,
      votes: e.paper[i] ?? new Map(),
    }));
    const risk = computeSupersimpleRisk(reported, ALPHA, e.cvrs, audited);
    if (risk.confirmed) return { confirmed: true, rounds: round, draws };
    counts = countDiscrepancies(risk.discrepancies, draws);
  }
  return { confirmed: false, rounds: MAX_ROUNDS, draws };
}

const TRIALS = 2000;
const bound = binomialQuantile(0.999, TRIALS, ALPHA);

describe('super-simple audits of a wrong outcome confirm it at most alpha of the time', () => {
  // 201 Yes ballots are No on paper: No wins 5001–4999 (two-vote overstatements).
  it('two-vote overstatements flipping the outcome', () => {
    const e = election(201, 'No');
    const random = createSeededRandom(20_100);
    let confirmed = 0;
    for (let t = 0; t < TRIALS; t += 1) if (runAudit(e, random).confirmed) confirmed += 1;
    expect(confirmed).toBeLessThanOrEqual(bound);
    // The test can fail: a count blind to discrepancies would confirm every time.
    expect(bound).toBeLessThan(TRIALS / 2);
  });

  // 401 Yes ballots are blank on paper: No wins 4800–4799 (one-vote overstatements).
  it('one-vote overstatements flipping the outcome', () => {
    const e = election(401, 'blank');
    const random = createSeededRandom(40_100);
    let confirmed = 0;
    for (let t = 0; t < TRIALS; t += 1) if (runAudit(e, random).confirmed) confirmed += 1;
    expect(confirmed).toBeLessThanOrEqual(bound);
  });
});

describe('super-simple audits of right CVRs', () => {
  it('confirm in the first round, at the planned size', () => {
    const e = election(0, 'Yes');
    const random = createSeededRandom(7);
    const planned = computeSupersimpleSampleSizes(reported, ALPHA, null).supersimple?.size;
    for (let t = 0; t < 200; t += 1) {
      expect(runAudit(e, random)).toEqual({ confirmed: true, rounds: 1, draws: planned });
    }
  });
});
