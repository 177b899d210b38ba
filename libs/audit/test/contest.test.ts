import { describe, expect, it } from 'vitest';
import { createContest, parseContest, parseRiskLimit, parseSampleResults } from '../src/contest.js';

function contestOf(json: unknown) {
  const r = parseContest(json, 'contest.json');
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

function problemsOf(json: unknown) {
  const r = parseContest(json, 'contest.json');
  if (r.ok) throw new Error('accepted');
  return r.error;
}

describe('parseContest', () => {
  it('reads Arlo’s shape and derives winners, losers and the diluted margin as Arlo does', () => {
    const c = contestOf({ cand1: 600, cand2: 400, ballots: 1000, numWinners: 1, votesAllowed: 1 });
    expect(c.winners).toEqual([{ name: 'cand1', votes: 600 }]);
    expect(c.losers).toEqual([{ name: 'cand2', votes: 400 }]);
    expect(c.dilutedMargin).toBeCloseTo(0.2, 12);
  });

  it('ranks most votes first, ties in the order given (Python’s stable sort)', () => {
    const c = contestOf({
      b: 300,
      a: 500,
      c: 300,
      d: 500,
      ballots: 2000,
      numWinners: 2,
      votesAllowed: 1,
    });
    expect(c.winners.map((w) => w.name)).toEqual(['a', 'd']);
    expect(c.losers.map((l) => l.name)).toEqual(['b', 'c']);
    expect(c.dilutedMargin).toBeCloseTo(200 / 2000, 12);
  });

  it('keeps candidate names that look like numbers in the order given', () => {
    const c = contestOf({ '2': 10, '1': 20, ballots: 40, numWinners: 1, votesAllowed: 1 });
    expect(c.candidates.map((x) => x.name)).toEqual(['1', '2']);
    expect(c.winners.map((x) => x.name)).toEqual(['1']);
  });

  it('refuses negative, fractional and non-numeric counts, naming each', () => {
    const p = problemsOf({ a: -1, b: 2.5, c: '7', ballots: 10, numWinners: 1, votesAllowed: 1 });
    expect(p.map((x) => [x.code, x.where])).toEqual([
      ['CONTEST_BAD_COUNT', 'contest.json: a'],
      ['CONTEST_BAD_COUNT', 'contest.json: b'],
      ['CONTEST_BAD_COUNT', 'contest.json: c'],
    ]);
  });

  it('refuses votes above the ballots', () => {
    const p = problemsOf({ a: 700, b: 400, ballots: 1000, numWinners: 1, votesAllowed: 1 });
    expect(p.map((x) => x.code)).toEqual(['CONTEST_VOTES_ABOVE_BALLOTS']);
    const q = problemsOf({ a: 1200, b: 400, ballots: 1000, numWinners: 1, votesAllowed: 2 });
    expect(q.map((x) => [x.code, x.where])).toEqual([
      ['CONTEST_VOTES_ABOVE_BALLOTS', 'contest.json: a'],
    ]);
  });

  it('refuses a reported winner with fewer votes than a loser, and unknown winners', () => {
    const p = problemsOf({
      a: 400,
      b: 600,
      winners: ['a'],
      ballots: 1000,
      numWinners: 1,
      votesAllowed: 1,
    });
    expect(p.map((x) => x.code)).toEqual(['CONTEST_WINNER_BELOW_LOSER']);
    expect(p[0]?.message).toMatch(/a has 400 votes, fewer than b with 600/);
    const q = problemsOf({
      a: 400,
      b: 600,
      winners: ['z'],
      ballots: 1000,
      numWinners: 1,
      votesAllowed: 1,
    });
    expect(q.map((x) => x.code)).toEqual(['CONTEST_UNKNOWN_WINNER']);
    expect(
      contestOf({ a: 400, b: 600, winners: ['b'], ballots: 1000, numWinners: 1, votesAllowed: 1 })
        .winners[0]?.name,
    ).toBe('b');
  });

  it('refuses missing fields, no candidates, no loser and non-objects', () => {
    expect(problemsOf({ a: 1, ballots: 3 }).map((x) => x.code)).toEqual([
      'CONTEST_MISSING_FIELD',
      'CONTEST_MISSING_FIELD',
    ]);
    expect(problemsOf({ ballots: 3, numWinners: 1, votesAllowed: 1 }).map((x) => x.code)).toEqual([
      'CONTEST_NO_CANDIDATES',
    ]);
    expect(
      problemsOf({ a: 3, ballots: 3, numWinners: 1, votesAllowed: 1 }).map((x) => x.code),
    ).toEqual(['CONTEST_TOO_MANY_WINNERS']);
    expect(problemsOf([1, 2]).map((x) => x.code)).toEqual(['CONTEST_NOT_OBJECT']);
    expect(problemsOf(null).map((x) => x.code)).toEqual(['CONTEST_NOT_OBJECT']);
  });

  it('createContest is the same check for data', () => {
    const r = createContest({
      candidates: [
        { name: 'x', votes: 5 },
        { name: 'y', votes: 3 },
      ],
      ballots: 8,
      numWinners: 1,
      votesAllowed: 1,
    });
    expect(r.ok && r.value.name).toBe('contest');
  });
});

describe('parseSampleResults', () => {
  const contest = contestOf({
    cand1: 600,
    cand2: 400,
    ballots: 1000,
    numWinners: 1,
    votesAllowed: 1,
  });

  it('keeps rounds in order; a missing candidate sampled no vote', () => {
    const r = parseSampleResults(
      { round1: { cand1: 72, cand2: 47 }, round2: { cand1: 5 } },
      contest,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((x) => x.round)).toEqual(['round1', 'round2']);
    expect(r.value[1]?.tally.get('cand2')).toBeUndefined();
    expect(r.value[0]?.tally.get('cand1')).toBe(72);
  });

  it('names unknown candidates and bad counts', () => {
    const r = parseSampleResults(
      { round1: { cand1: -2, cand9: 1 }, round2: 5 },
      contest,
      'results.json',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((x) => [x.code, x.where])).toEqual([
      ['SAMPLE_RESULTS_BAD_COUNT', 'results.json: round1.cand1'],
      ['SAMPLE_RESULTS_UNKNOWN_CANDIDATE', 'results.json: round1.cand9'],
      ['SAMPLE_RESULTS_NOT_OBJECT', 'results.json: round2'],
    ]);
  });
});

describe('parseRiskLimit', () => {
  it('accepts (0, 50] percent as a fraction', () => {
    expect(parseRiskLimit(10)).toEqual({ ok: true, value: 0.1 });
    expect(parseRiskLimit(50)).toEqual({ ok: true, value: 0.5 });
    for (const bad of [0, -5, 50.5, 100, Number.NaN, Infinity]) {
      expect(parseRiskLimit(bad).ok).toBe(false);
    }
  });
});

describe('reported winners', () => {
  it('a tie broken by lot: the reported winner is the one audited', () => {
    const r = parseContest({
      a: 500,
      b: 500,
      winners: ['b'],
      ballots: 1000,
      numWinners: 1,
      votesAllowed: 1,
    });
    expect(r.ok && r.value.winners.map((w) => w.name)).toEqual(['b']);
    expect(r.ok && r.value.losers.map((w) => w.name)).toEqual(['a']);
  });
});
