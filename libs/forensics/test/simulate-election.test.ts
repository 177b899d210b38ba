/**
 * Tests of the synthetic honest elections: internal arithmetic of every
 * mesa, national figures against the inputs (no heterogeneity: binomial
 * expectations), and the planted regional effect visible between regions.
 */
import { describe, expect, it } from 'vitest';
import type { MesaResult } from '../src/mesa-result.js';
import { DEFAULT_SPREAD, simulateElection } from '../src/simulate-election.js';
import type { SimulationOptions } from '../src/simulate-election.js';

const base: SimulationOptions = {
  mesas: 5000,
  seed: 1,
  regions: 10,
  meanTurnout: 0.6,
  spread: { regionTurnout: 0, mesaTurnout: 0, regionPreference: 0, mesaPreference: 0 },
  candidates: [
    { name: 'A', share: 0.5 },
    { name: 'B', share: 0.3 },
    { name: 'C', share: 0.2 },
  ],
  mesaSize: { min: 200, max: 600 },
};

function sumVotes(r: MesaResult): number {
  let s = 0;
  for (const v of r.votes.values()) s += v;
  return s;
}

describe('simulateElection', () => {
  it('produces consistent actas', () => {
    const data = simulateElection({ ...base, spread: DEFAULT_SPREAD });
    expect(data).toHaveLength(5000);
    expect(new Set(data.map((r) => r.id)).size).toBe(5000);
    expect(new Set(data.map((r) => r.region[0])).size).toBe(10);
    for (const r of data) {
      const reg = r.registered ?? -1;
      expect(reg).toBeGreaterThanOrEqual(200);
      expect(reg).toBeLessThanOrEqual(600);
      expect(r.voters).toBeLessThanOrEqual(reg);
      expect((r.valid ?? 0) + (r.invalid ?? 0)).toBe(r.voters);
      expect(sumVotes(r)).toBe(r.valid);
      for (const v of r.votes.values()) expect(v).toBeGreaterThanOrEqual(0);
    }
  });

  it('matches the inputs without heterogeneity (binomial expectations)', () => {
    const data = simulateElection(base);
    let reg = 0;
    let vot = 0;
    let valid = 0;
    let a = 0;
    for (const r of data) {
      reg += r.registered ?? 0;
      vot += r.voters ?? 0;
      valid += r.valid ?? 0;
      a += r.votes.get('A') ?? 0;
    }
    // Mean electorate (200+600)/2 = 400: 2,000,000 ± a few thousand registered.
    expect(reg / 5000).toBeGreaterThan(395);
    expect(reg / 5000).toBeLessThan(405);
    // Binomial: sd of the national turnout ≈ √(0.24/2e6) ≈ 3.5e-4; allow 5 sd.
    expect(Math.abs(vot / reg - 0.6)).toBeLessThan(0.002);
    expect(Math.abs(valid / vot - 0.98)).toBeLessThan(0.002);
    expect(Math.abs(a / valid - 0.5)).toBeLessThan(0.003);
  });

  it('shows the planted regional turnout effect between regions', () => {
    const regionSd = (spread: SimulationOptions['spread']): number => {
      const data = simulateElection({ ...base, seed: 5, regions: 20, spread });
      const byRegion = new Map<string, [number, number]>();
      for (const r of data) {
        const k = r.region[0] ?? '';
        const [v, n] = byRegion.get(k) ?? [0, 0];
        byRegion.set(k, [v + (r.voters ?? 0), n + (r.registered ?? 0)]);
      }
      const t = [...byRegion.values()].map(([v, n]) => v / n);
      const mean = t.reduce((p, c) => p + c, 0) / t.length;
      return Math.sqrt(t.reduce((p, c) => p + (c - mean) ** 2, 0) / (t.length - 1));
    };
    // σ = 0.3 on the logit scale at p = 0.6 is ≈ 0.3 · 0.24 = 0.072 in turnout.
    const flat = regionSd(base.spread);
    const varied = regionSd({ ...base.spread, regionTurnout: 0.3 });
    expect(flat).toBeLessThan(0.01);
    expect(varied).toBeGreaterThan(0.035);
    expect(varied).toBeLessThan(0.12);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = simulateElection({ ...base, mesas: 50, spread: DEFAULT_SPREAD });
    const b = simulateElection({ ...base, mesas: 50, spread: DEFAULT_SPREAD });
    const c = simulateElection({ ...base, mesas: 50, seed: 2, spread: DEFAULT_SPREAD });
    expect(a.map((r) => r.voters)).toEqual(b.map((r) => r.voters));
    expect(a.map((r) => r.voters)).not.toEqual(c.map((r) => r.voters));
  });

  it('refuses bad options', () => {
    expect(() => simulateElection({ ...base, meanTurnout: 1 })).toThrow(RangeError);
    expect(() => simulateElection({ ...base, mesaSize: { min: 10, max: 5 } })).toThrow(RangeError);
    expect(() => simulateElection({ ...base, candidates: [] })).toThrow(RangeError);
    expect(() => simulateElection({ ...base, regions: 0 })).toThrow(RangeError);
  });
});
