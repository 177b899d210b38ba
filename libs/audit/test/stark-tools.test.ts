/**
 * Known-answer tests against P. B. Stark's online audit calculators ("Tools
 * for Comparison Risk-Limiting Election Audits", auditTools.htm, and "Tools for
 * Ballot-Polling Risk-Limiting Election Audits", ballotPollTools.htm), through
 * the published examples of their Python port rlacalc (nealmcb/audit_cvrs,
 * audit_cvrs/rlacalc.py): Stark's stopping size (the Gentle Introduction's
 * examples), the super-simple p-value, and BRAVO's p-value and average sample
 * number. Vectors: vectors/stark-tools-rlacalc.json (from
 * generate-stark-tools.py, which checks its copies of the doctest values
 * against rlacalc's formulas; its header says which examples do not apply).
 *
 * What each example reaches in Acta:
 * - nmin(α, margin, o1): Stark's stopping size n for o1 one-vote overstatements
 *   is where Acta's planner lands once it plans for the rate observed so far
 *   (Arlo's rule: o1 = ⌈rate·n0⌉), so after k draws holding those
 *   overstatements, computeSupersimpleSampleSizes asks for n − k more draws;
 * - KM_P_value(n, γ, margin, o1): the super-simple p-value of n draws holding
 *   o1 one-vote overstatements, which is computeSupersimpleRisk's pValue;
 * - ballot_polling_risk_level(W, L, w, l): BRAVO's 1/T for a two-candidate
 *   contest, computeBravoRisk's pValue;
 * - findAsn(margin): BRAVO's average sample number, Arlo's (and Stark's) ASN
 *   option of computeBravoSampleSizes with no sample yet.
 */
import { describe, expect, it } from 'vitest';
import { computeBravoRisk, computeBravoSampleSizes } from '../src/bravo.js';
import { createContest, type Contest } from '../src/contest.js';
import {
  SUPERSIMPLE_GAMMA,
  computeSupersimpleRisk,
  computeSupersimpleSampleSizes,
  type AuditedBallot,
  type CvrBallot,
} from '../src/supersimple.js';
import vectorsJson from './vectors/stark-tools-rlacalc.json' with { type: 'json' };

interface StarkVectors {
  readonly gamma: number;
  readonly nmin: {
    readonly cases: readonly {
      readonly call: string;
      readonly alpha: number;
      readonly margin: number;
      readonly oneVoteOver: number;
      readonly drawsSoFar: number;
      readonly expected: number;
    }[];
  };
  readonly comparisonPValue: {
    readonly cases: readonly {
      readonly call: string;
      readonly candidates: Readonly<Record<string, number>>;
      readonly ballots: number;
      readonly sampleSize: number;
      readonly oneVoteOver: number;
      readonly expected: number;
    }[];
  };
  readonly pollingPValue: {
    readonly cases: readonly {
      readonly call: string;
      readonly winnerVotes: number;
      readonly loserVotes: number;
      readonly winnerSampled: number;
      readonly loserSampled: number;
      readonly expected: number;
    }[];
  };
  readonly pollingAsn: {
    readonly cases: readonly {
      readonly call: string;
      readonly alpha: number;
      readonly winnerVotes: number;
      readonly loserVotes: number;
      readonly ballots: number;
      readonly expected: number;
    }[];
  };
}

const vectors = vectorsJson as unknown as StarkVectors;

/** rlacalc prints its p-values with all 17 digits; ours are sums of logarithms. */
const RELATIVE = 1e-12;

function makeContest(candidates: Readonly<Record<string, number>>, ballots: number): Contest {
  const r = createContest({
    candidates: Object.entries(candidates).map(([name, votes]) => ({ name, votes })),
    ballots,
    numWinners: 1,
    votesAllowed: 1,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/**
 * A two-candidate contest of 100,000 ballots whose diluted margin is exactly
 * the double `margin` (as rlacalc is given it); large enough that no planned
 * size reaches a full hand count.
 */
function contestWithMargin(margin: number): Contest {
  const ballots = 100_000;
  const lead = Math.round(margin * ballots);
  const loser = (ballots - lead) / 2 - 1000;
  const contest = makeContest({ winner: loser + lead, loser }, ballots);
  if (contest.dilutedMargin !== margin) throw new Error(`margin ${margin} not representable`);
  return contest;
}

describe('Stark’s tools: the same gamma', () => {
  it('uses gamma = 1.03905', () => {
    expect(vectors.gamma).toBe(SUPERSIMPLE_GAMMA);
  });
});

describe('Stark’s tools: stopping sizes (rlacalc nmin, after the Gentle Introduction)', () => {
  for (const c of vectors.nmin.cases) {
    it(`${c.call} = ${c.expected}`, () => {
      const contest = contestWithMargin(c.margin);
      const next = computeSupersimpleSampleSizes(contest, c.alpha, {
        sampleSize: c.drawsSoFar,
        oneVoteOver: c.oneVoteOver,
        twoVoteOver: 0,
        oneVoteUnder: 0,
        twoVoteUnder: 0,
      });
      expect(next).toEqual({ supersimple: { size: c.expected - c.drawsSoFar, prob: null } });
    });
  }
});

describe('Stark’s tools: super-simple p-value (rlacalc KM_P_value)', () => {
  for (const c of vectors.comparisonPValue.cases) {
    it(`${c.call} = ${c.expected}`, () => {
      const contest = makeContest(c.candidates, c.ballots);
      const [winner] = contest.winners;
      if (winner === undefined) throw new Error('no winner');
      const cvrs = new Map<string, CvrBallot>();
      const audited: AuditedBallot[] = [];
      for (let i = 0; i < c.sampleSize; i += 1) {
        const id = `ballot-${i}`;
        const forWinner = new Map<string, 0 | 1>([[winner.name, 1]]);
        cvrs.set(id, { id, votes: forWinner });
        // The first oneVoteOver ballots: the CVR's vote for the winner is blank on paper.
        audited.push({ id, timesSampled: 1, votes: i < c.oneVoteOver ? new Map() : forWinner });
      }
      const risk = computeSupersimpleRisk(contest, 0.1, cvrs, audited);
      expect(risk.discrepancies).toHaveLength(c.oneVoteOver);
      expect(Math.abs(risk.pValue - c.expected)).toBeLessThanOrEqual(RELATIVE * c.expected);
    });
  }
});

describe('Stark’s tools: BRAVO p-value (rlacalc ballot_polling_risk_level)', () => {
  for (const c of vectors.pollingPValue.cases) {
    it(`${c.call} = ${c.expected}`, () => {
      const contest = makeContest(
        { winner: c.winnerVotes, loser: c.loserVotes },
        Math.max(1, c.winnerVotes + c.loserVotes),
      );
      const risk = computeBravoRisk(contest, 0.1, [
        {
          round: 'round1',
          tally: new Map([
            ['winner', c.winnerSampled],
            ['loser', c.loserSampled],
          ]),
        },
      ]);
      const [pair] = risk.pValues;
      expect(pair?.winner).toBe('winner');
      expect(Math.abs((pair?.pValue ?? NaN) - c.expected)).toBeLessThanOrEqual(
        RELATIVE * c.expected,
      );
    });
  }
});

describe('Stark’s tools: BRAVO average sample number (rlacalc findAsn, BRAVO Table 1)', () => {
  for (const c of vectors.pollingAsn.cases) {
    it(`${c.call} = ${c.expected}`, () => {
      const contest = makeContest({ winner: c.winnerVotes, loser: c.loserVotes }, c.ballots);
      const options = computeBravoSampleSizes(contest, c.alpha, []);
      expect(options.asn?.size).toBe(c.expected);
    });
  }
});
