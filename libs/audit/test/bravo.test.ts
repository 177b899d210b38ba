/**
 * BRAVO (src/bravo.ts) against VotingWorks Arlo's published BRAVO tests
 * (vectors/arlo-bravo.json, each case naming its Arlo test), against an
 * independent Decimal + scipy computation of Arlo's algorithm over a grid of
 * contests (vectors/bravo-scipy.json, from generate-bravo-scipy.py), the
 * shortened quantile search against Arlo's one-by-one search, and argument
 * checks.
 */
import { readFileSync } from 'node:fs';
import binomialQuantile from '@stdlib/stats-base-dists-binomial-quantile';
import erfcinv from '@stdlib/math-base-special-erfcinv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeBravoAsnProbability,
  computeBravoQuantileSize,
  computeBravoRisk,
  computeBravoSampleSizes,
} from '../src/bravo.js';
import {
  createContest,
  parseContest,
  parseSampleResults,
  type Contest,
  type SampleRound,
  type SampleSizeOptions,
} from '../src/contest.js';

function readVectors<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as T;
}

type ArloOptions = Record<string, { type: string | null; size: number; prob: number | null }>;

interface ArloVectors {
  riskLimitPercent: number;
  contests: Record<string, Record<string, number>>;
  sampleSizeCases: {
    test: string;
    contest: string;
    sampleResults: Record<string, Record<string, number>>;
    expected: ArloOptions | 'contest-refused' | 'audit-over';
    /** Where Acta deliberately differs from Arlo (on the side of caution), and what it gives. */
    actaDeviation?: { why: string; expected: ArloOptions };
  }[];
  riskCases: {
    test: string;
    contest: string;
    sampleResults: Record<string, Record<string, number>>;
    expectedPValues?: [string, string, number][];
    tolerance?: number;
    relativeTolerance?: number;
    expectedConfirmed?: boolean;
    expectedBelowNotFound?: boolean;
    /** Where Acta deliberately differs from Arlo (on the side of caution), and what it gives. */
    actaDeviation?: {
      why: string;
      expectedPValues: [string, string, number][];
      expectedConfirmed: boolean;
    };
  }[];
  quantileSizeCases: {
    test: string;
    alpha: number;
    pWinner: number;
    pLoser: number;
    sampleWinner: number;
    sampleLoser: number;
    pCompletion: number;
    expected: number;
  }[];
  asnProbabilityCases: {
    test: string;
    alpha: number;
    pWinner: number;
    pLoser: number;
    sampleWinner: number;
    sampleLoser: number;
    asn: number;
    expected: number;
  }[];
}

interface ScipyVectors {
  cases: {
    contest: {
      name: string;
      candidates: Record<string, number>;
      ballots: number;
      numWinners: number;
      votesAllowed: number;
    };
    alpha: number;
    rounds: Record<string, number>[];
    sampleSizes: SampleSizeOptions;
    pValues: [string, string, number][];
    confirmed: boolean;
  }[];
}

const arlo = readVectors<ArloVectors>('arlo-bravo.json');
const scipy = readVectors<ScipyVectors>('bravo-scipy.json');
const ALPHA = arlo.riskLimitPercent / 100;

function arloContest(name: string): Contest {
  const json = arlo.contests[name];
  const parsed = parseContest({ ...json, name });
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.error)}`);
  return parsed.value;
}

function arloRounds(contest: Contest, json: Record<string, Record<string, number>>): SampleRound[] {
  const parsed = parseSampleResults(json, contest);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

/** Arlo's options without its `type` field (our options are keyed by it). */
function withoutType(options: ArloOptions): SampleSizeOptions {
  return Object.fromEntries(
    Object.entries(options).map(([key, { size, prob }]) => [key, { size, prob }]),
  );
}

function contestOf(
  candidates: Record<string, number>,
  ballots: number,
  numWinners = 1,
  votesAllowed = 1,
): Contest {
  const created = createContest({
    candidates: Object.entries(candidates).map(([name, votes]) => ({ name, votes })),
    ballots,
    numWinners,
    votesAllowed,
  });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}

function round(name: string, tally: Record<string, number>): SampleRound {
  return { round: name, tally: new Map(Object.entries(tally)) };
}

describe("Arlo's get_sample_size tests", () => {
  it.each(arlo.sampleSizeCases.map((c) => [`${c.test}: ${c.contest}`, c] as const))(
    '%s',
    (_label, arloCase) => {
      const c =
        arloCase.actaDeviation === undefined
          ? arloCase
          : { ...arloCase, expected: arloCase.actaDeviation.expected };
      if (c.expected === 'contest-refused') {
        // No loser: Arlo raises, and such a contest never reaches BRAVO here.
        const parsed = parseContest({ ...arlo.contests[c.contest], name: c.contest });
        expect(parsed.ok).toBe(false);
        if (!parsed.ok)
          expect(parsed.error.map((p) => p.code)).toContain('CONTEST_TOO_MANY_WINNERS');
        return;
      }
      const contest = arloContest(c.contest);
      const options = computeBravoSampleSizes(contest, ALPHA, arloRounds(contest, c.sampleResults));
      expect(options).toEqual(c.expected === 'audit-over' ? {} : withoutType(c.expected));
    },
  );
});

describe("Arlo's compute_risk tests", () => {
  it.each(arlo.riskCases.map((c) => [`${c.test}: ${c.contest}`, c] as const))(
    '%s',
    (_l, arloCase) => {
      const c =
        arloCase.actaDeviation === undefined
          ? arloCase
          : { ...arloCase, ...arloCase.actaDeviation, tolerance: 0 };
      const contest = arloContest(c.contest);
      const risk = computeBravoRisk(contest, ALPHA, arloRounds(contest, c.sampleResults));
      if (c.expectedBelowNotFound === true) {
        // Every ballot found gives lower p-values than one not found (counted for every loser).
        const notFound = arlo.riskCases.find(
          (r) => r.contest === c.contest && r.expectedPValues !== undefined,
        );
        const worse = computeBravoRisk(
          contest,
          ALPHA,
          arloRounds(contest, notFound!.sampleResults),
        );
        risk.pValues.forEach((p, i) => expect(p.pValue).toBeLessThan(worse.pValues[i]!.pValue));
        return;
      }
      for (const [winner, loser, expected] of c.expectedPValues!) {
        const got = risk.pValues.find((p) => p.winner === winner && p.loser === loser);
        expect(got, `${winner}–${loser}`).toBeDefined();
        if (c.relativeTolerance !== undefined) {
          expect(Math.abs(got!.pValue - expected)).toBeLessThanOrEqual(
            expected * c.relativeTolerance,
          );
        } else {
          expect(Math.abs(got!.pValue - expected)).toBeLessThan(c.tolerance! || Number.MIN_VALUE);
        }
      }
      if (c.expectedConfirmed !== undefined) expect(risk.confirmed).toBe(c.expectedConfirmed);
    },
  );

  it('test_compute_risk: the Georgia presidential p-value to 9 digits', () => {
    // Arlo's test checks it to 0.01; Decimal gives 2.035688053599178e-09.
    const contest = arloContest('test_ga_presidential');
    const c = arlo.riskCases.find((r) => r.contest === 'test_ga_presidential')!;
    const risk = computeBravoRisk(contest, ALPHA, arloRounds(contest, c.sampleResults));
    expect(risk.pValues[0]).toMatchObject({ winner: 'Biden', loser: 'Trump' });
    expect(risk.pValues[0]!.pValue / 2.035688053599178e-9).toBeCloseTo(1, 8);
  });
});

describe("Arlo's bravo_sample_sizes and expected_prob tests", () => {
  it.each(arlo.quantileSizeCases.map((c) => [c.test, c] as const))('%s', (_l, c) => {
    const size = computeBravoQuantileSize(
      c.alpha,
      c.pWinner,
      c.pLoser,
      c.sampleWinner,
      c.sampleLoser,
      c.pCompletion,
      Number.MAX_SAFE_INTEGER,
    );
    expect(size).toBe(c.expected);
  });

  it.each(arlo.asnProbabilityCases.map((c) => [c.test, c] as const))('%s', (_l, c) => {
    const prob = computeBravoAsnProbability(
      c.alpha,
      c.pWinner,
      c.pLoser,
      c.sampleWinner,
      c.sampleLoser,
      c.asn,
    );
    expect(prob).toBe(c.expected);
  });
});

describe('Decimal + scipy computation of Arlo’s algorithm (bravo-scipy.json)', () => {
  it.each(
    scipy.cases.map(
      (c) => [`${c.contest.name} alpha ${c.alpha}, ${c.rounds.length} round(s)`, c] as const,
    ),
  )('%s', (_l, c) => {
    const contest = contestOf(
      c.contest.candidates,
      c.contest.ballots,
      c.contest.numWinners,
      c.contest.votesAllowed,
    );
    const rounds = c.rounds.map((t, i) => round(`round${i + 1}`, t));
    expect(computeBravoSampleSizes(contest, c.alpha, rounds)).toEqual(c.sampleSizes);
    const risk = computeBravoRisk(contest, c.alpha, rounds);
    expect(risk.confirmed).toBe(c.confirmed);
    expect(risk.pValues.map((p) => [p.winner, p.loser])).toEqual(c.pValues.map(([w, l]) => [w, l]));
    risk.pValues.forEach((p, i) => {
      const expected = c.pValues[i]![2];
      expect(Math.abs(p.pValue - expected)).toBeLessThanOrEqual(expected * 1e-9);
    });
  });
});

/**
 * Arlo's quantile search as Arlo runs it, one n at a time from the normal
 * estimate (its quadratic, restated here), up to `totalBallots`; returns n
 * before the adjustment for other votes, and how many n it tried.
 */
function searchOneByOne(
  alpha: number,
  pWinner: number,
  pLoser: number,
  pCompletion: number,
  totalBallots: number,
): { n: number; tried: number } {
  const pW2 = pWinner / (pWinner + pLoser);
  const plus = Math.log(pW2 / 0.5);
  const minus = Math.log((1 - pW2) / 0.5);
  const threshold = Math.log(1 / alpha);
  const z = Math.SQRT2 * erfcinv(2 * pCompletion); // −Φ⁻¹(p)
  const f = threshold / (plus - minus);
  const g = minus / (plus - minus) + pW2;
  const b = -(z * z * pW2 * (1 - pW2) + 2 * f * g);
  const root = Math.sqrt(Math.max(0, b * b - 4 * g * g * f * f));
  let n = Math.max(0, Math.floor((pCompletion > 0.5 ? -b + root : -b - root) / (2 * g * g)));
  let tried = 0;
  while (n < totalBallots) {
    const x = binomialQuantile(1.0 - pCompletion, n, pW2);
    tried += 1;
    if (x * plus + (n - x) * minus >= threshold) break;
    n += 1;
  }
  return { n, tried };
}

describe('the shortened quantile search', () => {
  it('returns what the one-by-one search returns, cap or no cap', () => {
    let searched = 0;
    let capped = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 510, max: 990 }),
        fc.integer({ min: 20, max: 100 }),
        fc.constantFrom(0.05, 0.1, 0.01, 0.25),
        fc.constantFrom(0.7, 0.8, 0.9, 0.6, 0.4),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (winnerPerMille, pairPercent, alpha, pCompletion, capAt) => {
          // Shares of the pair; the pair's share of the ballots only scales
          // the result, alike for both, so compare before that.
          const share = winnerPerMille / 1000;
          const pWR = pairPercent / 100;
          const pWinner = share * pWR;
          const pLoser = pWR - pWinner;
          const free = searchOneByOne(alpha, pWinner, pLoser, pCompletion, Infinity);
          // A cap between the estimate (where the search starts) and the answer.
          const estimate = free.n - free.tried + 1;
          const cap = Math.max(1, estimate + 1 + Math.floor(capAt * (free.tried - 1)));
          const reference = searchOneByOne(alpha, pWinner, pLoser, pCompletion, cap);
          if (free.tried > 2) searched += 1;
          if (reference.n < free.n) capped += 1;
          for (const [ref, total] of [
            [free.n, Number.MAX_SAFE_INTEGER],
            [reference.n, cap],
          ] as const) {
            const fast = computeBravoQuantileSize(alpha, pWinner, pLoser, 0, 0, pCompletion, total);
            const q = ref / (pWinner + pLoser);
            // Decimal and double ceilings can part only on a (nearly) whole quotient.
            const slack = Math.abs(q - Math.round(q)) < 1e-9 ? 1 : 0;
            expect(Math.abs(fast - Math.ceil(q))).toBeLessThanOrEqual(slack);
          }
        },
      ),
      { numRuns: 300, seed: 20240607 },
    );
    // The comparison is only worth something if searches (and capped ones) ran.
    expect(searched).toBeGreaterThan(10);
    expect(capped).toBeGreaterThan(5);
  });
});

describe('multi-round audits', () => {
  const contest = contestOf({ a: 5500, b: 4000, c: 500 }, 10_500);

  it('accumulates the rounds: two rounds measure as their sum', () => {
    const two = [round('round1', { a: 40, b: 30, c: 2 }), round('round2', { a: 35, b: 20 })];
    const one = [round('round1', { a: 75, b: 50, c: 2 })];
    expect(computeBravoRisk(contest, 0.05, two)).toEqual(computeBravoRisk(contest, 0.05, one));
    expect(computeBravoSampleSizes(contest, 0.05, two)).toEqual(
      computeBravoSampleSizes(contest, 0.05, one),
    );
  });

  it('asks for fewer ballots after a sample that favours the winner, more after one that does not', () => {
    const first = computeBravoSampleSizes(contest, 0.1, []);
    const good = computeBravoSampleSizes(contest, 0.1, [round('round1', { a: 30, b: 20 })]);
    const bad = computeBravoSampleSizes(contest, 0.1, [round('round1', { a: 30, b: 30 })]);
    expect(good['0.9']!.size).toBeLessThan(first['0.9']!.size);
    expect(bad['0.9']!.size).toBeGreaterThan(first['0.9']!.size);
  });

  it('gives no further round once the sample confirms the outcome', () => {
    const rounds = [round('round1', { a: 400, b: 150 })];
    expect(computeBravoRisk(contest, 0.1, rounds).confirmed).toBe(true);
    expect(computeBravoSampleSizes(contest, 0.1, rounds)).toEqual({});
  });
});

describe('special cases', () => {
  it('a tie needs every ballot, whatever the sample', () => {
    const tie = contestOf({ a: 300, b: 300, c: 100 }, 800);
    expect(computeBravoSampleSizes(tie, 0.1, [round('r1', { a: 50, b: 10 })])).toEqual({
      'all-ballots': { size: 800, prob: null },
    });
  });

  it('a large contest whose 0.9 option is a quarter of its ballots gets a full hand count', () => {
    const close = contestOf({ a: 2_510_000, b: 2_490_000 }, 5_000_000);
    expect(computeBravoSampleSizes(close, 0.01, [])).toEqual({
      'all-ballots': { size: 5_000_000, prob: null },
    });
  });

  it('a small contest is never sent to a full count by that rule (Arlo: only over 100,000 ballots)', () => {
    const small = contestOf({ a: 260, b: 240 }, 500);
    const options = computeBravoSampleSizes(small, 0.1, []);
    expect(options['0.9']!.size).toBeGreaterThan(500);
    expect(options['all-ballots']).toBeUndefined();
  });

  it('a vote for a loser the report gave none: p-value 1 for that pair', () => {
    const contest = contestOf({ a: 700, b: 300, c: 0 }, 1000);
    const risk = computeBravoRisk(contest, 0.1, [round('r1', { a: 60, b: 20, c: 1 })]);
    expect(risk.pValues.find((p) => p.loser === 'c')!.pValue).toBe(1);
    expect(risk.confirmed).toBe(false);
  });

  it('computes a close 5-million-ballot contest quickly', () => {
    const close = contestOf({ a: 2_510_000, b: 2_490_000 }, 5_000_000);
    const start = performance.now();
    const options = computeBravoSampleSizes(close, 0.05, []);
    const elapsed = performance.now() - start;
    // The sizes themselves are checked against scipy in bravo-scipy.json.
    expect(options['0.9']!.size).toBe(1_022_364);
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('argument checks', () => {
  const contest = contestOf({ a: 600, b: 400 }, 1000);

  it.each([0, -0.1, 0.51, 1, Number.NaN, Number.POSITIVE_INFINITY])('refuses alpha %s', (alpha) => {
    expect(() => computeBravoRisk(contest, alpha, [])).toThrow(RangeError);
    expect(() => computeBravoSampleSizes(contest, alpha, [])).toThrow(RangeError);
  });

  it('accepts alpha 0.5', () => {
    expect(computeBravoRisk(contest, 0.5, []).confirmed).toBe(false);
  });

  it('refuses a round naming a candidate of another contest, or a bad count', () => {
    expect(() => computeBravoRisk(contest, 0.1, [round('r1', { z: 1 })])).toThrow(RangeError);
    expect(() => computeBravoSampleSizes(contest, 0.1, [round('r1', { a: -1 })])).toThrow(
      RangeError,
    );
    expect(() => computeBravoRisk(contest, 0.1, [round('r1', { a: 1.5 })])).toThrow(RangeError);
  });

  it('refuses a contest without a loser', () => {
    const noLoser: Contest = { ...contest, losers: [] };
    expect(() => computeBravoSampleSizes(noLoser, 0.1, [])).toThrow(RangeError);
  });
});
