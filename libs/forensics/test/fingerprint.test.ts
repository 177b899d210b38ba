/**
 * Tests of the election fingerprint (Klimek et al., PNAS 2012): bins placed
 * by hand, marginals, weights, exclusions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractTurnoutShare } from '../src/distributions.js';
import { binOf, computeFingerprint } from '../src/fingerprint.js';
import type { MesaResult } from '../src/mesa-result.js';

function mesa(
  id: string,
  registered: number | null,
  voters: number | null,
  a: number,
  b: number,
): MesaResult {
  return {
    id,
    region: [],
    registered,
    voters,
    valid: voters,
    invalid: 0,
    blank: null,
    votes: new Map([
      ['A', a],
      ['B', b],
    ]),
    source: 'test',
  };
}

describe('computeFingerprint', () => {
  it('places mesas in the bins computed by hand', () => {
    const data = [
      mesa('1', 100, 50, 30, 20), // turnout 0.50, share A 0.60 → (5, 6) with 10 bins
      mesa('2', 200, 190, 180, 10), // 0.95, 0.947 → (9, 9)
      mesa('3', 100, 100, 100, 0), // 1.00, 1.00 → last bins (9, 9)
      mesa('4', 400, 100, 25, 75), // 0.25, 0.25 → (2, 2)
    ];
    const fp = computeFingerprint(data, { bins: 10 });
    expect(fp.winner).toBe('A'); // 335 votes against 105
    expect(fp.used).toBe(4);
    expect(fp.total).toBe(4);
    expect(fp.counts[5 * 10 + 6]).toBe(1);
    expect(fp.counts[9 * 10 + 9]).toBe(2);
    expect(fp.counts[2 * 10 + 2]).toBe(1);
    expect(Array.from(fp.turnout)).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 0, 2]);
    expect(Array.from(fp.share)).toEqual([0, 0, 1, 0, 0, 0, 1, 0, 0, 2]);
    const byVoters = computeFingerprint(data, { bins: 10, weight: 'voters' });
    expect(byVoters.counts[9 * 10 + 9]).toBe(290);
    expect(byVoters.total).toBe(440);
  });

  it('counts every mesa it cannot place, by reason', () => {
    const data = [
      mesa('ok', 100, 50, 30, 20),
      mesa('noreg', null, 50, 30, 20),
      mesa('zeroreg', 0, 0, 0, 0),
      mesa('novoters', 100, null, 30, 20),
      mesa('over', 100, 120, 100, 20),
      mesa('winner-over', 100, 10, 30, 20),
    ];
    const fp = computeFingerprint(data, { bins: 10, winner: 'A' });
    expect(fp.used).toBe(1);
    // The reasons of distributions.ts, the one definition of turnout and share.
    expect(fp.excluded).toEqual({
      'missing-registered': 1,
      'missing-voters': 1,
      'zero-registered': 1,
      'voters-exceed-registered': 1,
      'missing-ballots': 0,
      'zero-ballots': 0,
      'leader-exceeds-ballots': 1,
    });
  });

  it('keeps totals: the marginals and cells sum to the mesas placed (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 1000 }),
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.double({ min: 0, max: 1, noNaN: true }),
          ),
          { minLength: 1, maxLength: 50 },
        ),
        fc.integer({ min: 1, max: 50 }),
        (rows, bins) => {
          const data = rows.map(([reg, t, s], i) => {
            const voters = Math.max(1, Math.round(reg * t));
            const a = Math.round(voters * s);
            return mesa(String(i), reg, voters, a, voters - a);
          });
          const fp = computeFingerprint(data, { bins, winner: 'A' });
          const sum = (x: Float64Array): number => x.reduce((p, c) => p + c, 0);
          expect(fp.used).toBe(data.length);
          expect(sum(fp.counts)).toBe(data.length);
          expect(sum(fp.turnout)).toBe(data.length);
          expect(sum(fp.share)).toBe(data.length);
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });

  it('refuses bad options and empty elections', () => {
    expect(() => computeFingerprint([mesa('1', 10, 5, 3, 2)], { bins: 0 })).toThrow(RangeError);
    expect(() => computeFingerprint([])).toThrow(RangeError);
  });
});

describe('helpers', () => {
  it('binOf puts 1 in the last bin and never outside', () => {
    expect(binOf(0, 10)).toBe(0);
    expect(binOf(0.0999, 10)).toBe(0);
    expect(binOf(0.1, 10)).toBe(1);
    expect(binOf(1, 10)).toBe(9);
  });
  it('extractTurnoutShare computes turnout and share as fractions', () => {
    const ts = extractTurnoutShare([mesa('1', 200, 150, 90, 60)], { leader: 'A' });
    expect(ts.turnout[0]).toBe(0.75);
    expect(ts.share[0]).toBe(0.6);
    expect(ts.ids).toEqual(['1']);
  });
});
