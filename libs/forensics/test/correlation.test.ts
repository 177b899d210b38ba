/**
 * Pearson and Spearman, plain and weighted, against scipy; the bootstrap
 * interval's coverage on synthetic data with a known correlation.
 */
import { describe, expect, it } from 'vitest';
import {
  computeCorrelationSet,
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

describe('computeCorrelationSet (the bootstrap kernel)', () => {
  it('matches scipy on the fixed example, by mesa and by voters', () => {
    const set = computeCorrelationSet(x, y, w);
    expect(set.pearsonByMesa).toBeCloseTo(0.9340621349812805, 12);
    expect(set.spearmanByMesa).toBeCloseTo(0.9578313253012046, 12);
    // With voters = w and unit counts, by-voters is the replicated-rows statistic.
    expect(set.pearsonByVoters).toBeCloseTo(0.9265478822677636, 12);
    expect(set.spearmanByVoters).toBeCloseTo(0.9003353480179437, 12);
  });

  it('equals the plain weighted forms for bootstrap counts with ties and zeros', () => {
    const r = createRandom('kernel');
    for (let trial = 0; trial < 5; trial++) {
      const n = 500;
      // Coarse values (many ties), voters 1…800, counts as a resample would give.
      const xs = Float64Array.from({ length: n }, () => r.nextInt(40) / 40);
      const ys = Float64Array.from(
        { length: n },
        (_, i) => (r.nextInt(30) + (xs[i] ?? 0) * 10) / 40,
      );
      const voters = Float64Array.from({ length: n }, () => 1 + r.nextInt(800));
      const counts = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const j = r.nextInt(n);
        counts[j] = (counts[j] ?? 0) + 1;
      }
      const byVoters = counts.map((c, i) => c * (voters[i] ?? 0));
      const set = computeCorrelationSet(xs, ys, voters, counts);
      expect(set.pearsonByMesa).toBeCloseTo(computePearson(xs, ys, counts), 12);
      expect(set.spearmanByMesa).toBeCloseTo(computeSpearman(xs, ys, counts), 12);
      expect(set.pearsonByVoters).toBeCloseTo(computePearson(xs, ys, byVoters), 12);
      expect(set.spearmanByVoters).toBeCloseTo(computeSpearman(xs, ys, byVoters), 12);
    }
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

  it('reports the plain statistics as its point estimates, and a sensible interval width', () => {
    const mesas = syntheticMesas(7, 3000, 1);
    const report = testTurnoutShareCorrelation(mesas, { seed: 'width', bootstrap: 400 });
    const t = mesas.map((m) => (m.voters ?? 0) / (m.registered ?? 1));
    const sh = mesas.map((m) => (m.votes.get('A') ?? 0) / (m.voters ?? 1));
    const v = mesas.map((m) => m.voters ?? 0);
    expect(report.byMesa.pearson.estimate).toBeCloseTo(computePearson(t, sh), 12);
    expect(report.byMesa.spearman.estimate).toBeCloseTo(computeSpearman(t, sh), 12);
    expect(report.byVoters.spearman.estimate).toBeCloseTo(computeSpearman(t, sh, v), 12);
    // The 95% interval of Pearson's r spans about 2·1.96·(1 − r²)/√n (Fisher).
    const r = report.byMesa.pearson.estimate;
    const width = report.byMesa.pearson.high - report.byMesa.pearson.low;
    const fisher = (2 * 1.96 * (1 - r * r)) / Math.sqrt(3000);
    expect(width).toBeGreaterThan(0.75 * fisher);
    expect(width).toBeLessThan(1.3 * fisher);
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
