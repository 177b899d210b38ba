/**
 * Known-answer tests against SHANGRLA (P. B. Stark, "Sets of Half-Average Nulls
 * Generate Risk-Limiting Audits: SHANGRLA", 2020; repository pbstark/SHANGRLA):
 * the super-simple p-value (src/supersimple.ts) against SHANGRLA's
 * Kaplan–Markov test of the overstatement assorter, and the BRAVO p-value
 * (src/bravo.ts) against SHANGRLA's ALPHA martingale with a fixed alternative.
 * Expected values: vectors/shangrla-nonneg-mean.json, from
 * generate-shangrla.py (SHANGRLA's formulas, anchored on its published tests),
 * and SHANGRLA's published overstatement-assorter values themselves.
 *
 * Why the two comparison tests agree. For the assertion "winner w beats loser
 * l" SHANGRLA's plurality assorter is A = (vote for w − vote for l + 1)/2, in
 * [0, u] with u = 1, whose margin over the CVRs is v = (W − L)/N, the pair's
 * diluted margin. A ballot whose CVR overstates the pair's margin by k votes
 * (k = 0, 1, 2) has overstatement ω = A(CVR) − A(paper) = k/2 and overstatement
 * assorter B_k = (1 − ω/u)/(2 − v/u) = (1 − k/2)/(2 − v) = (1 − k/2)·B_0, and
 * SHANGRLA tests "mean of B ≤ t = 1/2". Its Kaplan–Markov p-value over the
 * whole sample is Π (t + g)/(B_i + g). Choose g = (γ − 1)·B_0 = (γ − 1)/(2 − v):
 *   clean factor     (1/2 + g)/(B_0 + g) = ((2 − v)/2 + γ − 1)/γ = 1 − v/(2γ);
 *   k-vote factor    (1/2 + g)/(B_k + g) = (1 − v/(2γ)) · (B_0 + g)/(B_0(1 − k/2) + g)
 *                                        = (1 − v/(2γ)) / (1 − (k/2)·B_0/(B_0 + g))
 *                                        = (1 − v/(2γ)) / (1 − k/(2γ)),
 * which is Stark's super-simple factor (1 − 1/U)/(1 − e·V/(2γ)) with
 * U = 2γ/v and e·V = k when the pair is the one with the smallest margin (V its
 * margin in votes, e = k/V the ballot's taint). So with that g the two p-values
 * are one number. (SHANGRLA's Kaplan–Wald with g' = 2g/(1 + 2g) is the same
 * test again: 1/((1 − g')·2B + g') = (1/2 + g)/(B + g).)
 *
 * Where they part, by Acta's design and on the side of caution: Acta counts an
 * understatement (k < 0) as no error, where SHANGRLA's factor drops below the
 * clean one; a ballot not found is a two-vote overstatement for Acta whatever
 * its CVR, where SHANGRLA reads a missing paper as a vote for the loser (ω =
 * A(CVR)); and Acta's risk is the product over the whole sample, not the
 * minimum over its history (SHANGRLA's `random_order`). Those cases are
 * checked as "Acta's p-value is not below SHANGRLA's". Only the pair with the
 * smallest margin matches exactly: Acta scales every pair's errors by that
 * margin (one simultaneous test), SHANGRLA tests each pair on its own.
 *
 * BRAVO: ALPHA with a fixed alternative η, sampling with replacement, has the
 * factor x·η/t + (1 − x)(1 − η)/(1 − t): 2·s_wl for a vote for w (x = 1),
 * 2·(1 − s_wl) for l (x = 0), 1 for anything else (x = 1/2) when η = s_wl —
 * BRAVO's likelihood ratio. The last entry of ALPHA's p-value history is then
 * BRAVO's p-value.
 */
import { describe, expect, it } from 'vitest';
import { computeBravoRisk } from '../src/bravo.js';
import { createContest, type Contest } from '../src/contest.js';
import {
  SUPERSIMPLE_GAMMA,
  computeSupersimpleRisk,
  type AuditedBallot,
  type CvrBallot,
} from '../src/supersimple.js';
import vectorsJson from './vectors/shangrla-nonneg-mean.json' with { type: 'json' };

type Votes = Readonly<Record<string, number>>;

interface ContestSpec {
  readonly candidates: Votes;
  readonly ballots: number;
}

/** A run of `count` sampled ballots with this CVR and paper (null: not found), each drawn `times` times. */
interface BallotRun {
  readonly cvr: Votes;
  readonly mvr: Votes | null;
  readonly count: number;
  readonly times: number;
}

type Relation = 'equal' | 'at-least';

interface ShangrlaVectors {
  readonly gamma: number;
  readonly published: {
    readonly overstatementAssorter: {
      readonly winner: string;
      readonly loser: string;
      readonly cases: readonly {
        readonly margin: number;
        readonly cvr: Votes;
        readonly mvr: Votes;
        readonly value: number;
        readonly relation: Relation;
      }[];
    };
    readonly kaplanMarkov: {
      readonly cases: readonly {
        readonly x: readonly number[];
        readonly g: number;
        readonly randomOrder: boolean;
        readonly p: number;
      }[];
    };
  };
  readonly contests: Readonly<Record<string, ContestSpec>>;
  readonly comparisonCases: readonly {
    readonly name: string;
    readonly contest: string;
    readonly relation: Relation;
    readonly ballots: readonly BallotRun[];
    readonly g: number;
    readonly draws: number;
    readonly expected: number;
  }[];
  readonly pollingCases: readonly {
    readonly name: string;
    readonly contest: ContestSpec;
    readonly sample: Votes;
    readonly eta: number;
    readonly expected: number;
  }[];
}

const vectors = vectorsJson as unknown as ShangrlaVectors;

/** SHANGRLA's risk limit plays no part in a p-value; any alpha in range will do. */
const ALPHA = 0.05;
const RELATIVE = 1e-12;

function makeContest(spec: ContestSpec): Contest {
  const r = createContest({
    candidates: Object.entries(spec.candidates).map(([name, votes]) => ({ name, votes })),
    ballots: spec.ballots,
    numWinners: 1,
    votesAllowed: 1,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

function toMarks(votes: Votes): ReadonlyMap<string, 0 | 1> {
  const marks = new Map<string, 0 | 1>();
  for (const [name, v] of Object.entries(votes)) {
    if (v !== 0 && v !== 1) throw new Error(`mark ${v}`);
    marks.set(name, v);
  }
  return marks;
}

/** The CVRs and audited ballots of a sample given as runs of alike ballots. */
function expandRuns(runs: readonly BallotRun[]): {
  cvrs: Map<string, CvrBallot>;
  audited: AuditedBallot[];
} {
  const cvrs = new Map<string, CvrBallot>();
  const audited: AuditedBallot[] = [];
  runs.forEach((run, r) => {
    for (let i = 0; i < run.count; i += 1) {
      const id = `run${r}-ballot${i}`;
      cvrs.set(id, { id, votes: toMarks(run.cvr) });
      audited.push({
        id,
        timesSampled: run.times,
        votes: run.mvr === null ? 'not-found' : toMarks(run.mvr),
      });
    }
  });
  return { cvrs, audited };
}

function expectRelation(ours: number, shangrla: number, relation: Relation, what: string): void {
  switch (relation) {
    case 'equal':
      expect(Math.abs(ours - shangrla), what).toBeLessThanOrEqual(RELATIVE * shangrla);
      break;
    case 'at-least':
      // Strictly above: a case marked so must exercise one of Acta's cautions.
      expect(ours, what).toBeGreaterThan(shangrla * (1 + RELATIVE));
      break;
    default: {
      const never: never = relation;
      throw new Error(`unknown relation ${String(never)}`);
    }
  }
}

/**
 * SHANGRLA's Kaplan–Markov p-value, Π (t + g)/(x + g) (the minimum over the
 * running product when the sample is in random order), written from its
 * definition here to check the published values below against the same
 * formula the test then applies to SHANGRLA's assorter values.
 */
function kaplanMarkov(x: readonly number[], g: number, randomOrder: boolean): number {
  let product = 1;
  let least = Infinity;
  for (const xi of x) {
    product *= (0.5 + g) / (xi + g);
    least = Math.min(least, product);
  }
  return Math.min(1, randomOrder ? least : product);
}

describe('SHANGRLA: the generator’s gamma is ours', () => {
  it('uses gamma = 1.03905', () => {
    expect(vectors.gamma).toBe(SUPERSIMPLE_GAMMA);
  });
});

describe('SHANGRLA: Kaplan–Markov as published (test_kaplan_markov)', () => {
  for (const [i, c] of vectors.published.kaplanMarkov.cases.entries()) {
    it(`case ${i + 1}: g = ${c.g}, random order ${String(c.randomOrder)}`, () => {
      expect(kaplanMarkov(c.x, c.g, c.randomOrder)).toBeCloseTo(c.p, 12);
    });
  }
});

describe('SHANGRLA: published overstatement-assorter values (test_overstatement_assorter)', () => {
  const { winner, loser, cases } = vectors.published.overstatementAssorter;
  for (const c of cases) {
    it(`margin ${c.margin}, CVR ${JSON.stringify(c.cvr)}, paper ${JSON.stringify(c.mvr)}: B = ${c.value}`, () => {
      // A contest whose (winner, loser) diluted margin is SHANGRLA's v, with a
      // third candidate far enough behind that the pair's taint is the largest.
      const ballots = 1000;
      const w = Math.round((ballots * (1 + c.margin)) / 2) - 100;
      const l = w - Math.round(ballots * c.margin);
      const contest = makeContest({
        candidates: { [winner]: w, [loser]: l, Candy: 50 },
        ballots,
      });
      expect(contest.dilutedMargin).toBe(c.margin);
      const g = (SUPERSIMPLE_GAMMA - 1) / (2 - c.margin);
      const clean = 1 / (2 - c.margin);
      const cleanRuns: BallotRun[] = [
        { cvr: { [winner]: 1 }, mvr: { [winner]: 1 }, count: 60, times: 1 },
        { cvr: { [loser]: 1 }, mvr: { [loser]: 1 }, count: 39, times: 1 },
      ];
      const { cvrs, audited } = expandRuns([
        ...cleanRuns,
        { cvr: c.cvr, mvr: c.mvr, count: 1, times: 1 },
      ]);
      const ours = computeSupersimpleRisk(contest, ALPHA, cvrs, audited).pValue;
      const shangrla = kaplanMarkov([...Array<number>(99).fill(clean), c.value], g, false);
      expectRelation(ours, shangrla, c.relation, 'p-value');
    });
  }
});

describe('SHANGRLA: Kaplan–Markov of the overstatement assorter is the super-simple p-value', () => {
  for (const c of vectors.comparisonCases) {
    it(c.name, () => {
      const spec = vectors.contests[c.contest];
      if (spec === undefined) throw new Error(c.contest);
      const contest = makeContest(spec);
      const { cvrs, audited } = expandRuns(c.ballots);
      expect(audited.reduce((s, b) => s + b.timesSampled, 0)).toBe(c.draws);
      const risk = computeSupersimpleRisk(contest, ALPHA, cvrs, audited);
      expect(risk.fullHandCount).toBe(false);
      expectRelation(risk.pValue, c.expected, c.relation, 'p-value');
      expect(risk.confirmed).toBe(risk.pValue < ALPHA);
    });
  }

  it('can fail: a one-vote overstatement read as clean changes the p-value', () => {
    const spec = vectors.contests['margin-0.2'];
    if (spec === undefined) throw new Error('margin-0.2');
    const contest = makeContest(spec);
    const { cvrs, audited } = expandRuns([
      { cvr: { Alice: 1 }, mvr: { Alice: 1 }, count: 50, times: 1 },
      { cvr: { Alice: 1 }, mvr: {}, count: 1, times: 1 },
    ]);
    const g = (SUPERSIMPLE_GAMMA - 1) / (2 - 0.2);
    const allClean = kaplanMarkov(Array<number>(51).fill(1 / 1.8), g, false);
    const ours = computeSupersimpleRisk(contest, ALPHA, cvrs, audited).pValue;
    expect(ours / allClean).toBeGreaterThan(1.5);
  });
});

describe('SHANGRLA: ALPHA with a fixed alternative is BRAVO', () => {
  for (const c of vectors.pollingCases) {
    it(c.name, () => {
      const contest = makeContest(c.contest);
      const risk = computeBravoRisk(contest, ALPHA, [
        { round: 'round1', tally: new Map(Object.entries(c.sample)) },
      ]);
      expect(risk.pValues).toHaveLength(contest.losers.length);
      const pair = risk.pValues.find((p) => p.winner === 'Alice' && p.loser === 'Bob');
      expect(pair).toBeDefined();
      expect(Math.abs((pair?.pValue ?? NaN) - c.expected)).toBeLessThanOrEqual(
        RELATIVE * c.expected,
      );
    });
  }
});
