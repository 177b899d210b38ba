// The Minerva ballot-polling audit (issue #6, item 2) against the published
// tests of VotingWorks Arlo (server/tests/audit_math/test_minerva.py) and of
// r2b2 (src/r2b2/tests/test_minerva.py, tests/data/arlo_tests.json), copied as
// vectors with their sources; plus the cases where we deliberately differ
// (ties, full counts, bad input) and the speed on a close 5-million-ballot contest.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  computeMinervaKmins,
  computeMinervaRisk,
  computeMinervaSampleSizes,
} from '../src/minerva.js';
import {
  createContest,
  parseContest,
  parseSampleResults,
  type Contest,
  type SampleRound,
} from '../src/contest.js';

interface Source {
  repository: string;
  path: string;
  test: string;
}

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as T;

const ARLO = load<{
  sampleSizes: {
    source: Source;
    contest: unknown;
    riskLimitPercent: number;
    expected: Record<string, number>;
  }[];
  ties: { source: Source; contest: unknown; riskLimitPercent: number; arloSize: number }[];
  risks: {
    source: Source;
    contest: unknown;
    riskLimitPercent: number;
    sampleResults: unknown;
    pValue: number;
    confirmed: boolean;
  }[];
}>('arlo-minerva.json');

const R2B2 = load<{
  risks: {
    source: Source;
    contest: unknown;
    alpha: number;
    sampleResults: unknown;
    pValue: number;
    confirmed?: boolean;
    pairwise?: Record<string, number>;
    tolerance: number;
  }[];
  roundByRound: {
    source: Source;
    contest: unknown;
    alpha: number;
    sampleResults: Record<string, unknown>;
    pValueAfterRound?: number[];
    confirmedAfterRound?: boolean[];
    tolerance?: number;
  }[];
  sampleSizes: {
    source: Source;
    contest: unknown;
    alpha: number;
    sampleResults: unknown;
    sprob: '0.7' | '0.8' | '0.9';
    size: number;
    /** Tens of seconds (a second round after 45,081 draws). */
    slow?: boolean;
  }[];
  georgiaEstimates: {
    source: Source;
    contest: unknown;
    alpha: number;
    scale: number;
    expected: Record<'0.7' | '0.8' | '0.9', number>;
  };
  kmins: {
    source: Source;
    winner: number;
    loser: number;
    alpha: number;
    schedule: number[];
    kmins: (number | null)[];
  }[];
}>('r2b2-minerva.json');

function contestOf(json: unknown): Contest {
  const c = parseContest(json);
  if (!c.ok) throw new Error(JSON.stringify(c.error));
  return c.value;
}

function roundsOf(json: unknown, contest: Contest): SampleRound[] {
  const r = parseSampleResults(json, contest);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** The single p-value Arlo and r2b2 report: the largest over the pairs. */
function maxPValue(contest: Contest, alpha: number, rounds: SampleRound[]): number {
  return Math.max(...computeMinervaRisk(contest, alpha, rounds).pValues.map((p) => p.pValue));
}

const named = <T extends { source: Source }>(cases: T[]): [string, T][] =>
  cases.map((c) => [`${c.source.repository} ${c.source.test}`, c]);

describe("computeMinervaSampleSizes: Arlo's published sample sizes", () => {
  it.each(named(ARLO.sampleSizes))('%s', (_name, c) => {
    const contest = contestOf(c.contest);
    const sizes = computeMinervaSampleSizes(contest, c.riskLimitPercent / 100, []);
    expect(sizes).toEqual({
      '0.7': { size: c.expected['0.7'], prob: 0.7 },
      '0.8': { size: c.expected['0.8'], prob: 0.8 },
      '0.9': { size: c.expected['0.9'], prob: 0.9 },
    });
  });

  it.each(named(ARLO.ties))('%s: a full count', (_name, c) => {
    const contest = contestOf(c.contest);
    expect(computeMinervaSampleSizes(contest, c.riskLimitPercent / 100, [])).toEqual({
      'all-ballots': { size: c.arloSize, prob: null },
    });
  });
});

describe("computeMinervaRisk: Arlo's published risks", () => {
  it.each(named(ARLO.risks))('%s', (_name, c) => {
    const contest = contestOf(c.contest);
    const rounds = roundsOf(c.sampleResults, contest);
    const alpha = c.riskLimitPercent / 100;
    const risk = computeMinervaRisk(contest, alpha, rounds);
    const p = Math.max(...risk.pValues.map((x) => x.pValue));
    // Arlo's values come from another implementation (Athena) of the same
    // arithmetic; they agree to ~1e-12 relative.
    if (c.pValue === 0) expect(p).toBeLessThan(1e-12);
    else expect(Math.abs(p - c.pValue) / c.pValue).toBeLessThan(1e-9);
    expect(risk.confirmed).toBe(c.confirmed);
    expect(risk.pValues).toHaveLength(contest.winners.length * contest.losers.length);
  });
});

describe("r2b2's published tests", () => {
  it.each(named(R2B2.risks))('risk: %s', (_name, c) => {
    const contest = contestOf(c.contest);
    const rounds = roundsOf(c.sampleResults, contest);
    const risk = computeMinervaRisk(contest, c.alpha, rounds);
    expect(Math.abs(maxPValue(contest, c.alpha, rounds) - c.pValue)).toBeLessThan(c.tolerance);
    if (c.confirmed !== undefined) expect(risk.confirmed).toBe(c.confirmed);
    for (const [pair, expected] of Object.entries(c.pairwise ?? {})) {
      const [w, l] = pair.split('-');
      const got = risk.pValues.find((p) => p.winner === w && p.loser === l);
      expect(got).toBeDefined();
      expect(Math.abs((got?.pValue ?? NaN) - expected)).toBeLessThan(c.tolerance);
    }
  });

  it.each(named(R2B2.roundByRound))('round by round: %s', (_name, c) => {
    const contest = contestOf(c.contest);
    const rounds = roundsOf(c.sampleResults, contest);
    rounds.forEach((_r, i) => {
      const risk = computeMinervaRisk(contest, c.alpha, rounds.slice(0, i + 1));
      const expectedP = c.pValueAfterRound?.[i];
      if (expectedP !== undefined) {
        const p = Math.max(...risk.pValues.map((x) => x.pValue));
        expect(Math.abs(p - expectedP)).toBeLessThan(c.tolerance ?? 0);
      }
      const expectedConfirmed = c.confirmedAfterRound?.[i];
      if (expectedConfirmed !== undefined) expect(risk.confirmed).toBe(expectedConfirmed);
    });
  });

  // One case (a second round after 45,081 draws) takes tens of seconds: the
  // direct convolution r2b2 does, repeated on every step of the search.
  it.each(named(R2B2.sampleSizes))(
    'next sample size: %s',
    (_name, c) => {
      const contest = contestOf(c.contest);
      const sizes = computeMinervaSampleSizes(contest, c.alpha, roundsOf(c.sampleResults, contest));
      expect(sizes[c.sprob]).toEqual({ size: c.size, prob: Number(c.sprob) });
    },
    180_000,
  );

  it(`next sample sizes: ${R2B2.georgiaEstimates.source.test}`, () => {
    const g = R2B2.georgiaEstimates;
    const sizes = computeMinervaSampleSizes(contestOf(g.contest), g.alpha, []);
    for (const key of ['0.7', '0.8', '0.9'] as const) {
      expect(Math.ceil(g.scale * (sizes[key]?.size ?? NaN))).toBe(g.expected[key]);
    }
  });

  it.each(named(R2B2.kmins))('kmins: %s', (_name, c) => {
    expect(computeMinervaKmins(c.winner, c.loser, c.alpha, c.schedule)).toEqual(c.kmins);
  });
});

describe('Minerva edge cases', () => {
  const make = (candidates: [string, number][], ballots: number, numWinners = 1): Contest => {
    const c = createContest({
      candidates: candidates.map(([name, votes]) => ({ name, votes })),
      ballots,
      numWinners,
      votesAllowed: 1,
    });
    if (!c.ok) throw new Error(JSON.stringify(c.error));
    return c.value;
  };
  const round = (round: string, counts: Record<string, number>): SampleRound => ({
    round,
    tally: new Map(Object.entries(counts)),
  });

  it('a winner tied with a loser can never be confirmed: p-value 1, a full count', () => {
    const c = make(
      [
        ['a', 500],
        ['b', 300],
        ['c', 300],
      ],
      1100,
      2,
    );
    const risk = computeMinervaRisk(c, 0.1, [round('r1', { a: 900, b: 100, c: 0 })]);
    expect(risk.confirmed).toBe(false);
    expect(risk.pValues.find((p) => p.winner === 'b' && p.loser === 'c')?.pValue).toBe(1);
    expect(computeMinervaSampleSizes(c, 0.1, [])).toEqual({
      'all-ballots': { size: 1100, prob: null },
    });
  });

  it('no rounds yet: every pair at p-value 1, not confirmed', () => {
    const c = make(
      [
        ['a', 600],
        ['b', 400],
      ],
      1000,
    );
    expect(computeMinervaRisk(c, 0.1, [])).toEqual({
      pValues: [{ winner: 'a', loser: 'b', pValue: 1 }],
      confirmed: false,
    });
  });

  it('nothing more to sample once confirmed, and later rounds are ignored', () => {
    const c = make(
      [
        ['a', 600],
        ['b', 400],
      ],
      1000,
    );
    const done = [round('r1', { a: 221, b: 179 })];
    expect(computeMinervaRisk(c, 0.1, done).confirmed).toBe(true);
    expect(computeMinervaSampleSizes(c, 0.1, done)).toEqual({});
    const after = computeMinervaRisk(c, 0.1, [...done, round('r2', { a: 0, b: 500 })]);
    expect(after).toEqual(computeMinervaRisk(c, 0.1, done));
  });

  it('a second-round estimate exceeds the sample already drawn', () => {
    const c = make(
      [
        ['a', 600],
        ['b', 400],
        ['c', 100],
      ],
      1200,
    );
    const r1 = [round('r1', { a: 40, b: 40, c: 3 })];
    const sizes = computeMinervaSampleSizes(c, 0.1, r1);
    const s7 = sizes['0.7']?.size ?? 0;
    const s9 = sizes['0.9']?.size ?? 0;
    expect(s7).toBeGreaterThan(83);
    expect(s9).toBeGreaterThanOrEqual(s7);
  });

  it('refuses a risk limit outside (0, 0.5] and a count that is not one', () => {
    const c = make(
      [
        ['a', 600],
        ['b', 400],
      ],
      1000,
    );
    expect(() => computeMinervaRisk(c, 0, [])).toThrow(RangeError);
    expect(() => computeMinervaSampleSizes(c, 0.6, [])).toThrow(RangeError);
    expect(() => computeMinervaRisk(c, 0.1, [round('r1', { a: 1.5, b: 1 })])).toThrow(RangeError);
    expect(() => computeMinervaKmins(400, 600, 0.1, [100])).toThrow(RangeError);
    expect(() => computeMinervaKmins(600, 400, 0.1, [100, 100])).toThrow(RangeError);
  });

  it('sizes a close 5-million-ballot contest quickly (2,510,000 vs 2,490,000, alpha 0.05)', () => {
    const c = make(
      [
        ['a', 2_510_000],
        ['b', 2_490_000],
      ],
      5_000_000,
    );
    const t0 = performance.now();
    const sizes = computeMinervaSampleSizes(c, 0.05, []);
    const ms = performance.now() - t0;
    const s7 = sizes['0.7']?.size ?? 0;
    const s8 = sizes['0.8']?.size ?? 0;
    const s9 = sizes['0.9']?.size ?? 0;
    expect(s7).toBeGreaterThan(0);
    expect(s8).toBeGreaterThan(s7);
    expect(s9).toBeGreaterThan(s8);
    expect(ms).toBeLessThan(20_000);
  });
});
