// Super-simple ballot-comparison audits (issue #6): Arlo's published test cases
// (vectors/arlo-supersimple.json, from votingworks/arlo
// server/tests/audit_math/test_supersimple.py) reproduced, plus the places where
// we deliberately differ from Arlo, each checked against a closed form.
import { describe, expect, it } from 'vitest';
import { createContest, type Contest } from '../src/contest.js';
import {
  SUPERSIMPLE_GAMMA,
  computeDiscrepancies,
  computeSupersimpleRisk,
  computeSupersimpleSampleSizes,
  countDiscrepancies,
  type AuditedBallot,
  type CvrBallot,
} from '../src/supersimple.js';
import vectors from './vectors/arlo-supersimple.json' with { type: 'json' };

type Marks = Readonly<Record<string, string>>;
type BallotContests = Readonly<Record<string, Marks>> | null;
interface ContestSpec {
  readonly name?: string;
  readonly candidates: Readonly<Record<string, number>>;
  readonly ballots: number;
  readonly numWinners: number;
  readonly votesAllowed: number;
}

const ALPHA = vectors.riskLimitPercent / 100;

function makeContest(name: string, spec: ContestSpec): Contest {
  const r = createContest({
    name,
    candidates: Object.entries(spec.candidates).map(([n, votes]) => ({ name: n, votes })),
    ballots: spec.ballots,
    numWinners: spec.numWinners,
    votesAllowed: spec.votesAllowed,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

const contests = new Map<string, Contest>(
  Object.entries(vectors.contests).map(([name, spec]) => [name, makeContest(name, spec)]),
);
function contestNamed(name: string): Contest {
  const c = contests.get(name);
  if (c === undefined) throw new Error(name);
  return c;
}

/** Arlo's marks as ours: ES&S "o" (overvote) is a mark on every choice, "u" none. */
function toVotes(marks: Marks | undefined): ReadonlyMap<string, 0 | 1> {
  const votes = new Map<string, 0 | 1>();
  for (const [cand, m] of Object.entries(marks ?? {})) {
    if (m !== '0' && m !== '1' && m !== 'o' && m !== 'u') throw new Error(`mark ${m}`);
    votes.set(cand, m === '1' || m === 'o' ? 1 : 0);
  }
  return votes;
}

/** The fixture CVR of ballot-i: every contest whose ranges hold i. */
function fixtureBallot(i: number): Record<string, Marks> {
  const out: Record<string, Marks> = {};
  for (const [name, ranges] of Object.entries(vectors.cvrFixture.ranges)) {
    for (const [from, to, marks] of ranges as [number, number, Marks][]) {
      if (i >= from && i < to) out[name] = marks;
    }
  }
  return out;
}

function cvrMap(
  contest: Contest,
  ballots: Readonly<Record<string, BallotContests>>,
): Map<string, CvrBallot> {
  const m = new Map<string, CvrBallot>();
  for (const [id, ballot] of Object.entries(ballots)) {
    if (ballot !== null) m.set(id, { id, votes: toVotes(ballot[contest.name]) });
  }
  return m;
}

function auditedList(
  contest: Contest,
  sample: Readonly<Record<string, { times_sampled: number; cvr: BallotContests }>>,
): AuditedBallot[] {
  return Object.entries(sample).map(([id, s]) => ({
    id,
    timesSampled: s.times_sampled,
    votes: s.cvr === null ? 'not-found' : toVotes(s.cvr[contest.name]),
  }));
}

describe('Arlo: diluted margins and first-round sizes (Stark’s tool)', () => {
  it('has Arlo’s diluted margins', () => {
    for (const [name, dm] of Object.entries(vectors.dilutedMargins.expected)) {
      expect(contestNamed(name).dilutedMargin).toBeCloseTo(dm, 15);
    }
  });

  it('sizes the first round as Stark’s tool', () => {
    for (const [name, size] of Object.entries(vectors.firstRoundSampleSizes.expected)) {
      expect(computeSupersimpleSampleSizes(contestNamed(name), ALPHA, null), name).toEqual({
        supersimple: { size, prob: null },
      });
    }
  });
});

interface DiscrepancyCase {
  readonly test: string;
  readonly contests: readonly string[];
  readonly contest?: ContestSpec;
  readonly cvrs?: Readonly<Record<string, BallotContests>>;
  readonly sample: Readonly<Record<string, { times_sampled: number; cvr: BallotContests }>>;
  readonly expected: Readonly<
    Record<string, { counted_as: number; weighted_error: readonly [number, number] }>
  >;
}

describe('Arlo: discrepancies', () => {
  for (const c of vectors.discrepancyCases as unknown as readonly DiscrepancyCase[]) {
    it(c.test, () => {
      for (const name of c.contests) {
        const contest = c.contest !== undefined ? makeContest(name, c.contest) : contestNamed(name);
        const sample = c.sample;
        const reported: Readonly<Record<string, BallotContests>> =
          c.cvrs ??
          Object.fromEntries(
            Object.keys(sample).map((id) => [id, fixtureBallot(Number(id.slice(7)))]),
          );
        const found = computeDiscrepancies(
          contest,
          cvrMap(contest, reported),
          auditedList(contest, sample),
        );
        const expected = Object.entries(c.expected).map(([ballot, d]) => ({
          ballot,
          counted: d.counted_as,
          weighted: d.weighted_error[0] / d.weighted_error[1],
        }));
        expect(found, name).toEqual(expected);
      }
    });
  }
});

describe('Arlo: test_compute_risk', () => {
  const cr = vectors.computeRisk;
  const stages = ['no_discrepancies', 'one_vote_over', 'two_vote_over'] as const;
  for (const name of contests.keys()) {
    it(name, () => {
      const contest = contestNamed(name);
      const first = computeSupersimpleSampleSizes(contest, ALPHA, null).supersimple?.size ?? -1;
      const ids = Array.from({ length: first }, (_, i) => `ballot-${i}`);
      const cvrs = cvrMap(contest, Object.fromEntries(ids.map((id, i) => [id, fixtureBallot(i)])));
      for (const stage of stages) {
        const ballot0 = {
          no_discrepancies: cr.auditedWinnerMarks,
          one_vote_over: cr.blankMarks,
          two_vote_over: cr.loserMarks,
        }[stage] as Record<string, Marks>;
        const audited: AuditedBallot[] = ids.map((id, i) => ({
          id,
          timesSampled: 1,
          votes: toVotes(
            (i === 0 ? ballot0 : (cr.auditedWinnerMarks as Record<string, Marks>))[name],
          ),
        }));
        const risk = computeSupersimpleRisk(contest, ALPHA, cvrs, audited);
        const expectedP = (cr.expectedPValues[stage] as Record<string, number>)[name] ?? NaN;
        expect(Math.abs(risk.pValue - expectedP), `${name} ${stage}`).toBeLessThan(0.001);
        expect(risk.confirmed, `${name} ${stage}`).toBe(cr.expectedFinished[stage].includes(name));
        expect(risk.pValues.every((p) => p.pValue === risk.pValue)).toBe(true);
        expect(risk.pValues).toHaveLength(contest.winners.length * contest.losers.length);

        // Arlo's test passes the counts of its stage (even to Contest F, which
        // ballot-0 does not touch); for the others they are what the sample holds.
        const counts = {
          sampleSize: first,
          oneVoteOver: stage === 'one_vote_over' ? 1 : 0,
          twoVoteOver: stage === 'two_vote_over' ? 1 : 0,
          oneVoteUnder: 0,
          twoVoteUnder: 0,
        };
        if (name !== 'Contest F') {
          expect(countDiscrepancies(risk.discrepancies, first)).toEqual(counts);
        }
        const next = computeSupersimpleSampleSizes(contest, ALPHA, counts);
        const stopping =
          stage === 'no_discrepancies'
            ? first
            : ((cr.nextStoppingSize[stage] as Record<string, number>)[name] ?? NaN);
        expect(next, `${name} ${stage}`).toEqual(
          stopping >= contest.ballots
            ? { 'all-ballots': { size: contest.ballots, prob: null } }
            : { supersimple: { size: stopping - first, prob: null } },
        );
      }
    });
  }
});

describe('Arlo: tied contest, snapshot, multiplicity, full hand tally', () => {
  it('test_tied_contest: every ballot, and only a full count ends it', () => {
    const t = vectors.tiedContest;
    const contest = makeContest(t.contest.name, t.contest);
    expect(
      computeSupersimpleSampleSizes(contest, ALPHA, {
        sampleSize: 0,
        oneVoteOver: 0,
        twoVoteOver: 0,
        oneVoteUnder: 0,
        twoVoteUnder: 0,
      }),
    ).toEqual({ 'all-ballots': { size: t.expectedSampleSize, prob: null } });
    const cvrs = new Map<string, CvrBallot>();
    for (let i = 0; i < contest.ballots; i += 1) {
      const votes = new Map<string, 0 | 1>(
        i < contest.ballots / 2
          ? [
              ['winner', 1],
              ['loser', 0],
            ]
          : [
              ['winner', 0],
              ['loser', 1],
            ],
      );
      cvrs.set(`ballot-${i}`, { id: `ballot-${i}`, votes });
    }
    const one = computeSupersimpleRisk(contest, ALPHA, cvrs, [
      { id: 'ballot-0', timesSampled: 1, votes: cvrs.get('ballot-0')?.votes ?? new Map() },
    ]);
    expect(one.pValue).toBeGreaterThan(ALPHA);
    expect(one.confirmed).toBe(false);
    const all = [...cvrs.values()].map((b) => ({ id: b.id, timesSampled: 1, votes: b.votes }));
    const full = computeSupersimpleRisk(contest, ALPHA, cvrs, all);
    expect(full.pValue).toBe(0);
    expect(full.confirmed).toBe(true);
    expect(full.fullHandCount).toBe(true);
  });

  const j = vectors.jonahTest;
  const jonah = makeContest(j.contest.name, j.contest);
  const blank = new Map<string, 0 | 1>([
    ['winner', 0],
    ['loser', 0],
  ]);
  // Arlo's test builds each paper record as the very dict of the CVR and then
  // blanks ballots 0 and 1 through it, so their CVRs are blank too: as Arlo runs
  // it, the sample holds no discrepancy (p = (1 − μ/2γ)^18 = 0.1201733).
  const jonahCvrs = new Map<string, CvrBallot>();
  for (let i = 0; i < jonah.ballots; i += 1) {
    const forWinner = i < 16;
    jonahCvrs.set(`ballot-${i}`, {
      id: `ballot-${i}`,
      votes:
        i < 2
          ? blank
          : new Map<string, 0 | 1>([
              ['winner', forWinner ? 1 : 0],
              ['loser', forWinner ? 0 : 1],
            ]),
    });
  }
  function jonahSample(count: number, times: number): AuditedBallot[] {
    return Array.from({ length: count }, (_, i) => ({
      id: `ballot-${i}`,
      timesSampled: times,
      votes: i < 2 ? blank : (jonahCvrs.get(`ballot-${i}`)?.votes ?? blank),
    }));
  }

  it('test_snapshot_test: two blank ballots among 18, then every ballot', () => {
    const r = computeSupersimpleRisk(jonah, ALPHA, jonahCvrs, jonahSample(18, 1));
    expect(Math.abs(r.pValue - j.expectedP)).toBeLessThan(0.0001);
    expect(r.confirmed).toBe(false);
    const all = computeSupersimpleRisk(jonah, ALPHA, jonahCvrs, jonahSample(26, 1));
    expect(all.confirmed).toBe(true);
    expect(all.pValue).toBeLessThan(1e-9);
  });

  it('test_multiplicity (as Arlo runs it: each ballot drawn once) and draws twice squaring p', () => {
    const once = computeSupersimpleRisk(jonah, ALPHA, jonahCvrs, jonahSample(18, 1));
    expect(Math.abs(once.pValue - j.expectedP)).toBeLessThan(0.0001);
    expect(once.confirmed).toBe(false);
    expect(once.pValue).not.toBe(0);
    // Kaplan–Markov multiplies one factor per draw: every ballot drawn twice squares p.
    const twice = computeSupersimpleRisk(jonah, ALPHA, jonahCvrs, jonahSample(18, 2));
    expect(twice.pValue).toBeCloseTo(once.pValue ** 2, 12);
    expect(twice.fullHandCount).toBe(false);
  });

  it('test_supersimple_full_hand_tally: we differ — 10 draws of 5 ballots are no full count', () => {
    const f = vectors.fullHandTallyWithReplacement;
    const contest = makeContest(f.contest.name, f.contest);
    const cvrs = new Map<string, CvrBallot>();
    for (let i = 1; i <= 10; i += 1) {
      cvrs.set(`ballot-${i}`, {
        id: `ballot-${i}`,
        votes: new Map<string, 0 | 1>([
          ['choice_1', i <= 5 ? 1 : 0],
          ['choice_2', i >= 6 && i <= 9 ? 1 : 0],
        ]),
      });
    }
    const audited = [1, 2, 6, 7, 8].map((i) => ({
      id: `ballot-${i}`,
      timesSampled: 2,
      votes: cvrs.get(`ballot-${i}`)?.votes ?? new Map<string, 0 | 1>(),
    }));
    const r = computeSupersimpleRisk(contest, ALPHA, cvrs, audited);
    expect(f.arloExpected).toEqual({ p: 0, confirmed: true });
    expect(r.pValue).toBeCloseTo((1 - 0.1 / (2 * 1.03905)) ** 10, 12);
    expect(r.confirmed).toBe(false);
    expect(r.fullHandCount).toBe(false);
  });
});

describe('our rules beyond Arlo’s tests', () => {
  const two = makeContest('Two-winner Contest', vectors.contests['Two-winner Contest']);

  it('takes the largest taint over the pairs, not that of the largest error in votes', () => {
    // CVR: winner1; paper: loser. Pair (winner1, loser): 2 votes over a 500-vote
    // margin; pair (winner2, loser): 1 vote over 200 — the larger taint.
    const cvrs = new Map<string, CvrBallot>([['b', { id: 'b', votes: new Map([['winner1', 1]]) }]]);
    const d = computeDiscrepancies(two, cvrs, [
      { id: 'b', timesSampled: 1, votes: new Map([['loser', 1]]) },
    ]);
    expect(d).toEqual([{ ballot: 'b', counted: 2, weighted: 1 / 200 }]);
    // The risk uses it: with 40 clean draws besides, the product is
    // (1 − μ/2γ)^41 / (1 − (1/200)·200/2γ), μ = 0.2.
    const clean = new Map<string, 0 | 1>([['winner2', 1]]);
    for (let i = 0; i < 40; i += 1) cvrs.set(`c${i}`, { id: `c${i}`, votes: clean });
    const r = computeSupersimpleRisk(two, ALPHA, cvrs, [
      { id: 'b', timesSampled: 1, votes: new Map([['loser', 1]]) },
      ...Array.from({ length: 40 }, (_, i) => ({ id: `c${i}`, timesSampled: 1, votes: clean })),
    ]);
    const g = SUPERSIMPLE_GAMMA;
    expect(r.pValue).toBeCloseTo((1 - 0.2 / (2 * g)) ** 41 / (1 - 1 / (2 * g)), 12);
    expect(r.pValue).toBeLessThan(1);
  });

  it('reads an overvote on paper as no vote (CVR winner, paper winner + loser2 → one-vote over)', () => {
    const c = makeContest('Two Losers', {
      candidates: { winner: 1000, loser1: 0, loser2: 500 },
      ballots: 1500,
      numWinners: 1,
      votesAllowed: 1,
    });
    const cvrs = new Map<string, CvrBallot>([['b', { id: 'b', votes: new Map([['winner', 1]]) }]]);
    const d = computeDiscrepancies(c, cvrs, [
      {
        id: 'b',
        timesSampled: 1,
        votes: new Map<string, 0 | 1>([
          ['winner', 1],
          ['loser2', 1],
        ]),
      },
    ]);
    expect(d).toEqual([{ ballot: 'b', counted: 1, weighted: 1 / 500 }]);
  });

  it('ends a full count unconfirmed when the hand count reverses the outcome', () => {
    const c = makeContest('Small', {
      candidates: { a: 3, b: 2 },
      ballots: 5,
      numWinners: 1,
      votesAllowed: 1,
    });
    const cvrs = new Map<string, CvrBallot>();
    const audited: AuditedBallot[] = [];
    for (let i = 0; i < 5; i += 1) {
      cvrs.set(`${i}`, { id: `${i}`, votes: new Map([[i < 3 ? 'a' : 'b', 1]]) });
      // On paper, ballot 0 and 1 are for b: b wins 4–1.
      audited.push({
        id: `${i}`,
        timesSampled: 1,
        votes: new Map([[i < 2 || i >= 3 ? 'b' : 'a', 1]]),
      });
    }
    const r = computeSupersimpleRisk(c, ALPHA, cvrs, audited);
    expect(r.fullHandCount).toBe(true);
    expect(r.confirmed).toBe(false);
    expect(r.pValue).toBe(1);
  });

  it('confirms from the logarithm of p, even where p itself underflows to 0', () => {
    const e = contestNamed('Contest E');
    const cvrs = new Map<string, CvrBallot>();
    const audited: AuditedBallot[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const votes = new Map<string, 0 | 1>([['winner', 1]]);
      cvrs.set(`${i}`, { id: `${i}`, votes });
      audited.push({ id: `${i}`, timesSampled: 1, votes });
    }
    const r = computeSupersimpleRisk(e, ALPHA, cvrs, audited);
    expect(r.confirmed).toBe(true);
    expect(r.pValue).toBe(0); // exp of about −1300 is below the smallest double
  });

  it('plans default misstatements as Arlo’s Decimal arithmetic does at whole numbers', () => {
    // With no error expected the size is ⌈−2γ ln α / μ⌉; planning one one-vote
    // overstatement and understatement per started thousand adds to it. For μ = 1
    // and α = 0.1: n0 = 5, o1 = u1 = 1 (⌈0.001·5⌉), o2 = u2 = 0, size 6 (Arlo's Contest E).
    const g = SUPERSIMPLE_GAMMA;
    const n = Math.ceil(
      (-2 * g * (Math.log(0.1) + Math.log(1 - 1 / (2 * g)) + Math.log(1 + 1 / (2 * g)))) / 1,
    );
    expect(computeSupersimpleSampleSizes(contestNamed('Contest E'), 0.1, null)).toEqual({
      supersimple: { size: n, prob: null },
    });
  });

  it('refuses alpha outside (0, 0.5] and bad draw counts (programmer errors)', () => {
    const a = contestNamed('Contest A');
    expect(() => computeSupersimpleSampleSizes(a, 0, null)).toThrow(RangeError);
    expect(() => computeSupersimpleSampleSizes(a, 0.6, null)).toThrow(RangeError);
    expect(() =>
      computeSupersimpleRisk(a, 0.1, new Map(), [{ id: 'x', timesSampled: 0, votes: 'not-found' }]),
    ).toThrow(RangeError);
    expect(() =>
      computeDiscrepancies(a, new Map(), [
        { id: 'x', timesSampled: 1, votes: 'not-found' },
        { id: 'x', timesSampled: 1, votes: 'not-found' },
      ]),
    ).toThrow(RangeError);
  });
});
