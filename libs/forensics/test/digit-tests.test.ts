/**
 * Mebane's digit tests: the 2BL expectation from Benford's law against the
 * published 4.187 and Nigrini's table, digits by hand, honest synthetic
 * elections flagged at about the stated rate, planted rounding flagged.
 */
import { describe, expect, it } from 'vitest';
import {
  computeBinomialUpperTail,
  computeSecondDigitMean,
  computeSecondDigitProbabilities,
  findSecondDigit,
  runDigitTests,
  type DigitTestResult,
} from '../src/digit-tests.js';
import type { MesaResult } from '../src/mesa-result.js';
import { createRandom } from '../src/random.js';

function makeMesa(id: string, voters: number, votes: readonly [string, number][]): MesaResult {
  return {
    id,
    region: [],
    registered: null,
    voters,
    valid: null,
    invalid: null,
    blank: null,
    votes: new Map(votes),
    source: 'synthetic',
  };
}

/** Honest mesas: sizes 300–1,500, turnout 50–80%, three candidates drawn binomially. */
function honestMesas(seed: number | string, count: number): MesaResult[] {
  const r = createRandom(seed);
  const mesas: MesaResult[] = [];
  for (let i = 0; i < count; i++) {
    const registered = 300 + r.nextInt(1201);
    const voters = r.nextBinomial(registered, 0.5 + 0.3 * r.nextFloat());
    const a = r.nextBinomial(voters, 0.4 + 0.2 * r.nextFloat());
    const b = r.nextBinomial(voters - a, 0.7);
    mesas.push(
      makeMesa(`m${i}`, voters, [
        ['A', a],
        ['B', b],
        ['C', voters - a - b],
      ]),
    );
  }
  return mesas;
}

function find(results: readonly DigitTestResult[], series: string, kind: string): DigitTestResult {
  const result = results.find((r) => r.series === series && r.kind === kind);
  if (result === undefined) throw new Error(`no ${kind} result for ${series}`);
  return result;
}

describe('Benford second-digit law', () => {
  it('gives the published expectation 4.187 and Nigrini’s table', () => {
    // Mebane (2006): mean second digit 4.187. Nigrini, "Benford's Law" (2012), table 5.1.
    expect(computeSecondDigitMean()).toBeCloseTo(4.187, 3);
    const table = [
      0.11968, 0.11389, 0.10882, 0.10433, 0.10031, 0.09668, 0.09337, 0.09035, 0.08757, 0.085,
    ];
    const p = computeSecondDigitProbabilities();
    for (let d = 0; d <= 9; d++) expect(p[d]).toBeCloseTo(table[d] ?? 0, 5);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });

  it('reads second digits by hand', () => {
    expect(findSecondDigit(9)).toBe(-1);
    expect(findSecondDigit(10)).toBe(0);
    expect(findSecondDigit(123)).toBe(2);
    expect(findSecondDigit(98765)).toBe(8);
    expect(findSecondDigit(1_000_000)).toBe(0);
  });

  it('computes binomial tails by hand', () => {
    // P(X ≥ 2), X ~ Bin(3, 0.2) = 3·0.04·0.8 + 0.008 = 0.104.
    expect(computeBinomialUpperTail(2, 3, 0.2)).toBeCloseTo(0.104, 14);
    expect(computeBinomialUpperTail(0, 3, 0.2)).toBe(1);
    expect(computeBinomialUpperTail(4, 3, 0.2)).toBe(0);
  });
});

describe('runDigitTests', () => {
  it('computes a small case exactly and excludes small counts', () => {
    const mesas = [
      makeMesa('a', 120, [
        ['A', 15],
        ['B', 7],
      ]),
      makeMesa('b', 134, [
        ['A', 25],
        ['B', 33],
      ]),
      makeMesa('c', 251, [
        ['A', 35],
        ['B', 40],
      ]),
    ];
    const report = runDigitTests(mesas, { seed: 1, bootstrap: 200 });
    expect(report.series).toEqual(['A', 'B', 'voters']);
    const a05 = find(report.results, 'A', 'zero-five-share');
    expect(a05.n).toBe(3);
    expect(a05.observed).toBe(1); // 15, 25, 35 all end in 5
    // Every bootstrap resample of three 5-endings has share 1: the interval is [1, 1].
    expect(a05.low).toBe(1);
    expect(a05.high).toBe(1);
    // …which says nothing with n = 3: reported, never flagged below 50 counts.
    expect(a05.tooFewCounts).toBe(true);
    expect(a05.flagged).toBe(false);
    expect(report.results.every((r) => !r.flagged)).toBe(true);
    // Lowering the minimum restores the collapsed interval's (meaningless) flag.
    const loose = runDigitTests(mesas, { seed: 1, bootstrap: 200, minSeriesCounts: 1 });
    expect(find(loose.results, 'A', 'zero-five-share').flagged).toBe(true);
    expect(loose.minSeriesCounts).toBe(1);
    const b2 = find(report.results, 'B', 'second-digit-mean');
    expect(b2.n).toBe(2); // 7 is below 10
    expect(b2.belowMinimum).toBe(1);
    expect(b2.observed).toBe(1.5); // 33 → 3, 40 → 0
    const votersLast = find(report.results, 'voters', 'last-digit-mean');
    expect(votersLast.observed).toBeCloseTo((0 + 4 + 1) / 3, 14);
    // a: 15 and 120 round, 2 of 2 (P = 0.04); c: 35, 40 round, 251 not (P = 0.104);
    // b: 25 of 25, 33, 134 (P = 0.488).
    expect(report.roundestMesas.map((m) => m.id)).toEqual(['a', 'c', 'b']);
    expect(report.roundestMesas[0]?.tailProbability).toBeCloseTo(0.04, 14);
  });

  it('flags honest binomial elections at about the stated rate (last digit, 0/5)', () => {
    let tests = 0;
    let flags = 0;
    for (let s = 0; s < 25; s++) {
      const report = runDigitTests(honestMesas(`honest ${s}`, 1500), { seed: s, bootstrap: 500 });
      for (const r of report.results) {
        if (r.kind === 'second-digit-mean') continue;
        tests++;
        if (r.flagged) flags++;
      }
    }
    // 25 seeds × 4 series × 2 tests = 200 tests at 5%: about 10 flags (sd ≈ 3.1).
    expect(tests).toBe(200);
    expect(flags).toBeLessThanOrEqual(20);
    expect(flags).toBeGreaterThanOrEqual(2);
  });

  it('the 2BL test holds its level on Benford-distributed counts', () => {
    let flags = 0;
    for (let s = 0; s < 20; s++) {
      const r = createRandom(`benford ${s}`);
      const mesas: MesaResult[] = [];
      for (let i = 0; i < 2000; i++) {
        // log-uniform on [10, 100,000): Benford in every digit
        const count = Math.floor(10 ** (1 + 4 * r.nextFloat()));
        mesas.push(makeMesa(`m${i}`, count, [['A', count]]));
      }
      const report = runDigitTests(mesas, { seed: s, bootstrap: 500, includeVoters: false });
      if (find(report.results, 'A', 'second-digit-mean').flagged) flags++;
    }
    expect(flags).toBeLessThanOrEqual(4); // expected 1 of 20
  });

  it('flags counts forced to end in 0 or 5, and lists the rounded mesas', () => {
    const mesas = honestMesas('planted', 2000).map((m, i) => {
      if (i % 4 !== 0) return m;
      // A quarter of mesas: candidate A's count rounded to the nearest 10.
      const a = m.votes.get('A') ?? 0;
      const rounded = Math.round(a / 10) * 10;
      return makeMesa(m.id, m.voters ?? 0, [
        ['A', rounded],
        ['B', m.votes.get('B') ?? 0],
        ['C', m.votes.get('C') ?? 0],
      ]);
    });
    const report = runDigitTests(mesas, { seed: 'planted', top: 50 });
    const a05 = find(report.results, 'A', 'zero-five-share');
    // Expected share ≈ 0.25·1 + 0.75·0.2 = 0.4.
    expect(a05.observed).toBeGreaterThan(0.35);
    expect(a05.flagged).toBe(true);
    expect(find(report.results, 'A', 'last-digit-mean').flagged).toBe(true);
    // Contributors are counts ending in 0/5, largest first among equals.
    expect(a05.topMesas.length).toBe(50);
    for (const m of a05.topMesas) expect(m.count % 5).toBe(0);
    for (let k = 1; k < a05.topMesas.length; k++) {
      expect(a05.topMesas[k - 1]!.count).toBeGreaterThanOrEqual(a05.topMesas[k]!.count);
    }
    // The short list equals a full sort of every contributor (by contribution,
    // then count, then id), computed here from the counts alone.
    const expected05 = mesas
      .map((m) => ({ id: m.id, count: m.votes.get('A') ?? 0 }))
      .filter((m) => m.count >= 10 && m.count % 5 === 0)
      .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))
      .slice(0, 50);
    expect(a05.topMesas.map((m) => [m.id, m.count])).toEqual(
      expected05.map((m) => [m.id, m.count]),
    );
    // The other candidates stay unflagged.
    expect(find(report.results, 'B', 'zero-five-share').flagged).toBe(false);
  });

  it('refuses bad options', () => {
    expect(() => runDigitTests([], { seed: 1, bootstrap: 0 })).toThrow(RangeError);
    expect(() => runDigitTests([], { seed: 1, minCountSecondDigit: 5 })).toThrow(RangeError);
    expect(() => runDigitTests([], { seed: 1, minSeriesCounts: 0 })).toThrow(RangeError);
  });
});
