/**
 * Pearson and Spearman, plain and weighted, against scipy; the bootstrap
 * interval's coverage on synthetic data with a known correlation.
 */
import { describe, expect, it } from 'vitest';
import {
  computePearson,
  computeSpearman,
  testTurnoutShareCorrelation,
} from '../src/correlation.js';
import type { MesaResult } from '../src/mesa-result.js';
import { createRandom } from '../src/random.js';

// Reference values: scipy 1.17.1, stats.pearsonr / stats.spearmanr on x, y, and
// on x, y with each row repeated w times (np.repeat): integer weights are
// replications, an independent check of the weighted forms.
const x = [0.61, 0.72, 0.55, 0.9, 0.72, 0.43, 0.81, 0.66];
const y = [0.48, 0.66, 0.51, 0.95, 0.7, 0.4, 0.7, 0.52];
const w = [1, 3, 2, 1, 4, 1, 2, 1];

describe('correlations', () => {
  it('match scipy', () => {
    expect(computePearson(x, y)).toBeCloseTo(0.9340621349812805, 13);
    expect(computeSpearman(x, y)).toBeCloseTo(0.9578313253012046, 13);
  });

  it('weighted forms equal the statistics of the replicated rows', () => {
    expect(computePearson(x, y, w)).toBeCloseTo(0.9265478822677636, 13);
    expect(computeSpearman(x, y, w)).toBeCloseTo(0.9003353480179437, 13);
  });

  it('are NaN for a constant variable, and check lengths', () => {
    expect(computePearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(() => computePearson([1, 2], [1])).toThrow(RangeError);
  });
});

function syntheticMesas(seed: number, count: number, slope: number): MesaResult[] {
  const r = createRandom(seed);
  const mesas: MesaResult[] = [];
  for (let i = 0; i < count; i++) {
    const registered = 300 + r.nextInt(900);
    const t = 0.4 + 0.4 * r.nextFloat();
    const voters = r.nextBinomial(registered, t);
    const share = Math.min(0.95, Math.max(0.05, 0.5 + slope * (t - 0.6) + 0.08 * r.nextNormal()));
    const a = r.nextBinomial(voters, share);
    mesas.push({
      id: `m${i}`,
      region: [],
      registered,
      voters,
      valid: voters,
      invalid: 0,
      blank: null,
      votes: new Map([
        ['A', a],
        ['B', voters - a],
      ]),
      source: 'synthetic',
    });
  }
  return mesas;
}

describe('testTurnoutShareCorrelation', () => {
  it('finds a planted positive association and brackets its own estimate', () => {
    const report = testTurnoutShareCorrelation(syntheticMesas(1, 2000, 1.5), {
      seed: 'corr',
      bootstrap: 300,
    });
    for (const pair of [report.byMesa, report.byVoters]) {
      for (const e of [pair.pearson, pair.spearman]) {
        expect(e.estimate).toBeGreaterThan(0.5);
        expect(e.low).toBeLessThan(e.estimate);
        expect(e.high).toBeGreaterThan(e.estimate);
        expect(e.excludesZero).toBe(true);
      }
    }
  });

  it('rarely excludes zero without an association (≈5% of seeds)', () => {
    let excluded = 0;
    const seeds = 20;
    for (let s = 0; s < seeds; s++) {
      const report = testTurnoutShareCorrelation(syntheticMesas(100 + s, 400, 0), {
        seed: s,
        bootstrap: 200,
      });
      if (report.byMesa.spearman.excludesZero) excluded++;
    }
    // Expected 1 of 20; P(≥ 5) under a 5% rate is about 0.3%.
    expect(excluded).toBeLessThanOrEqual(4);
  });
});
