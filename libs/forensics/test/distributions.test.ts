/**
 * Turnout/share extraction, histograms and summary statistics: hand-counted
 * bins, numpy's quantiles, and every excluded mesa counted by reason.
 */
import { describe, expect, it } from 'vitest';
import {
  computeHistogram,
  describeDistributions,
  extractTurnoutShare,
  findLeader,
  summarize,
} from '../src/distributions.js';
import type { MesaResult } from '../src/mesa-result.js';

function mesa(
  id: string,
  registered: number | null,
  voters: number | null,
  votes: Record<string, number>,
  valid: number | null = null,
  invalid: number | null = null,
): MesaResult {
  return {
    id,
    region: ['R'],
    registered,
    voters,
    valid,
    invalid,
    blank: null,
    votes: new Map(Object.entries(votes)),
    source: `test ${id}`,
  };
}

describe('extractTurnoutShare', () => {
  const mesas = [
    mesa('a', 200, 100, { A: 60, B: 38 }, 98, 2),
    mesa('b', 100, 80, { A: 20, B: 60 }), // no valid count: share over voters
    mesa('c', null, 50, { A: 1, B: 2 }),
    mesa('d', 100, null, { A: 1, B: 2 }),
    mesa('e', 0, 0, { A: 0, B: 0 }),
    mesa('f', 100, 120, { A: 60, B: 60 }),
    mesa('g', 100, 50, { A: 0, B: 0 }, 0, 0),
    mesa('h', 100, 50, { A: 70, B: 0 }, 40, 0),
  ];

  it('finds the leader over all mesas', () => {
    // A: 60+20+1+1+0+60+0+70 = 212; B: 38+60+2+2+0+60+0+0 = 162.
    expect(findLeader(mesas)).toBe('A');
    expect(findLeader([])).toBeNull();
  });

  it('computes turnout and share, and counts every exclusion', () => {
    const data = extractTurnoutShare(mesas);
    expect(data.leader).toBe('A');
    expect(data.ids).toEqual(['a', 'b']);
    expect(Array.from(data.turnout)).toEqual([0.5, 0.8]);
    // a: 60 / (98 + 2); b: 20 / 80 voters.
    expect(Array.from(data.share)).toEqual([0.6, 0.25]);
    expect(data.excluded).toEqual({
      'missing-registered': 1,
      'missing-voters': 1,
      'zero-registered': 1,
      'voters-exceed-registered': 1,
      'missing-ballots': 0,
      'zero-ballots': 1,
      'leader-exceeds-ballots': 1,
    });
    expect(data.excludedMesas.map((m) => m.id)).toEqual(['c', 'd', 'e', 'f', 'g', 'h']);
    expect(data.ids.length + data.excludedMesas.length).toBe(mesas.length);
  });

  it('uses a named leader', () => {
    const data = extractTurnoutShare(mesas, { leader: 'B' });
    // h is kept now: B's 0 votes do not exceed its 40 ballots.
    expect(Array.from(data.share)).toEqual([0.38, 0.75, 0]);
  });
});

describe('computeHistogram', () => {
  it('puts values in the bins by hand, edges included', () => {
    const h = computeHistogram([0, 0.005, 0.01, 0.7, 0.999, 1, 1.2, -0.1], null, { bins: 100 });
    expect(h.edges.length).toBe(101);
    expect(h.edges[70]).toBe(0.7);
    expect(h.counts[0]).toBe(2);
    expect(h.counts[1]).toBe(1);
    expect(h.counts[70]).toBe(1); // 0.7 sits on the edge: the bin that starts there
    expect(h.counts[99]).toBe(2); // 0.999 and 1 (the last bin is closed)
    expect(h.total).toBe(6);
    expect(h.outside).toBe(2);
  });

  it('weights', () => {
    const h = computeHistogram([0.1, 0.6, 0.65], [10, 20, 30], { bins: 2 });
    expect(Array.from(h.counts)).toEqual([10, 50]);
    expect(() => computeHistogram([0.1], [1, 2])).toThrow(RangeError);
    expect(() => computeHistogram([0.1], null, { bins: 0 })).toThrow(RangeError);
  });
});

describe('summarize', () => {
  const x = [0.61, 0.72, 0.55, 0.9, 0.72, 0.43, 0.81, 0.66];

  it('matches numpy (quantile type 7, population sd)', () => {
    // numpy 2.4.6: np.quantile(x, [0, .05, .25, .5, .75, .95, 1]), x.mean(), x.std()
    const s = summarize(x, null, [0.05, 0.25, 0.75, 0.95]);
    expect(s.min).toBe(0.43);
    expect(s.max).toBe(0.9);
    expect(s.median).toBeCloseTo(0.69, 14);
    expect(s.quantiles.map((q) => q.value)).toEqual([
      expect.closeTo(0.472, 14),
      expect.closeTo(0.595, 14),
      expect.closeTo(0.7425, 14),
      expect.closeTo(0.8685, 14),
    ]);
    expect(s.mean).toBeCloseTo(0.675, 14);
    expect(s.sd).toBeCloseTo(0.13829316685939333, 14);
  });

  it('weighted quantiles are the weighted inverse distribution', () => {
    // Sorted: 1 (w 1), 2 (w 1), 3 (w 8): half the weight is reached at 3.
    const s = summarize([3, 1, 2], [8, 1, 1], [0.1, 0.2, 0.21]);
    expect(s.median).toBe(3);
    expect(s.quantiles.map((q) => q.value)).toEqual([1, 2, 3]);
    expect(s.mean).toBeCloseTo((24 + 1 + 2) / 10, 14);
  });

  it('is NaN on empty input and refuses NaN values', () => {
    expect(summarize([]).mean).toBeNaN();
    expect(() => summarize([0.1, Number.NaN])).toThrow(RangeError);
  });
});

describe('describeDistributions', () => {
  it('gives histograms by mesa and by voters', () => {
    const mesas = [
      mesa('a', 100, 50, { A: 30, B: 20 }),
      mesa('b', 200, 180, { A: 150, B: 30 }),
      mesa('c', 100, 55, { A: 20, B: 35 }),
    ];
    const report = describeDistributions(mesas, { bins: 10 });
    expect(report.leader).toBe('A');
    expect(report.mesas).toBe(3);
    expect(report.turnout.byMesa.counts[5]).toBe(2);
    expect(report.turnout.byMesa.counts[9]).toBe(1);
    expect(report.turnout.byVoters.counts[5]).toBe(105);
    expect(report.turnout.byVoters.counts[9]).toBe(180);
    // Voter-weighted mean turnout: (50·0.5 + 180·0.9 + 55·0.55) / 285.
    expect(report.turnout.statsByVoters.mean).toBeCloseTo((25 + 162 + 30.25) / 285, 12);
  });
});
