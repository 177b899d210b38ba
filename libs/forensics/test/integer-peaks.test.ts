/**
 * Kobak–Shpilkin integer peaks: the integer rule by hand, the Monte Carlo
 * null against the exact expectation (binomial mass summed here), honest
 * mesas flagged at about the stated rate, planted integer turnout flagged in
 * the right integers and region.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  computePoissonBinomial,
  findIntegerPercent,
  testIntegerPeaks,
} from '../src/integer-peaks.js';
import type { MesaResult } from '../src/mesa-result.js';
import { createRandom } from '../src/random.js';

function makeMesa(
  id: string,
  region: string,
  registered: number,
  voters: number,
  leader: number,
): MesaResult {
  return {
    id,
    region: [region],
    registered,
    voters,
    valid: voters,
    invalid: 0,
    blank: null,
    votes: new Map([
      ['L', leader],
      ['O', voters - leader],
    ]),
    source: 'synthetic',
  };
}

function honestMesas(seed: number | string, count: number): MesaResult[] {
  const r = createRandom(seed);
  const mesas: MesaResult[] = [];
  for (let i = 0; i < count; i++) {
    const registered = 200 + r.nextInt(2000);
    const voters = r.nextBinomial(registered, 0.45 + 0.35 * r.nextFloat());
    const leader = r.nextBinomial(voters, 0.4 + 0.4 * r.nextFloat());
    mesas.push(makeMesa(`m${i}`, `region ${i % 5}`, registered, voters, leader));
  }
  return mesas;
}

/** log P(X = k), X ~ Bin(n, p), by summing logs (independent of the library). */
function logPmf(k: number, n: number, p: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s + k * Math.log(p) + (n - k) * Math.log(1 - p);
}

/** Exact P(Bin(d, p) is the nearest count to some integer percentage). */
function exactIntegerProbability(d: number, p: number): number {
  let total = 0;
  for (let k = 0; k <= 100; k++) {
    const target = (k * d) / 100;
    for (let n = Math.floor(target); n <= Math.ceil(target); n++) {
      if (n >= 0 && n <= d && Math.abs(n - target) < 0.5) total += Math.exp(logPmf(n, d, p));
    }
  }
  return total;
}

describe('findIntegerPercent', () => {
  it('applies the nearest-count rule by hand', () => {
    expect(findIntegerPercent(700, 1000)).toBe(70);
    expect(findIntegerPercent(701, 1000)).toBe(-1); // 70.1% : 1 count away from 700
    expect(findIntegerPercent(3, 7)).toBe(43); // 42.857…%: 43% of 7 is 3.01
    expect(findIntegerPercent(233, 700)).toBe(-1); // 33.29%: 33% of 700 is 231
    expect(findIntegerPercent(1169, 1670)).toBe(70); // 70% of 1670 is 1169 exactly
    expect(findIntegerPercent(1170, 1670)).toBe(-1);
    // A half-count tie (70% of 1675 is 1172.5) is not counted: |100n − kd| = 50 is not < 50.
    expect(findIntegerPercent(1172, 1675)).toBe(-1);
    expect(findIntegerPercent(1173, 1675)).toBe(-1);
    expect(findIntegerPercent(0, 0)).toBe(-1);
  });
});

describe('computePoissonBinomial', () => {
  it('equals the direct recursion, with the exact mean and variance', () => {
    const r = createRandom('pb');
    for (const n of [1, 7, 33, 300]) {
      const p = Array.from({ length: n }, (_, i) =>
        i % 11 === 0 ? 1 : i % 13 === 0 ? 0 : r.nextFloat(),
      );
      // The textbook O(n²) recursion over all n + 1 outcomes, written here.
      let direct = [1];
      for (const q of p) {
        const next = new Array<number>(direct.length + 1).fill(0);
        direct.forEach((v, x) => {
          next[x] = (next[x] ?? 0) + v * (1 - q);
          next[x + 1] = (next[x + 1] ?? 0) + v * q;
        });
        direct = next;
      }
      const d = computePoissonBinomial(p);
      for (let x = 0; x <= n; x++) {
        const got = x >= d.offset && x - d.offset < d.pmf.length ? (d.pmf[x - d.offset] ?? 0) : 0;
        expect(Math.abs(got - (direct[x] ?? 0))).toBeLessThan(1e-15);
      }
      let mean = 0;
      let second = 0;
      d.pmf.forEach((v, j) => {
        mean += (d.offset + j) * v;
        second += (d.offset + j) ** 2 * v;
      });
      const sumP = p.reduce((a, b) => a + b, 0);
      const sumVar = p.reduce((a, b) => a + b * (1 - b), 0);
      expect(mean).toBeCloseTo(sumP, 10);
      expect(second - mean * mean).toBeCloseTo(sumVar, 8);
    }
    expect(() => computePoissonBinomial([0.5, 1.5])).toThrow(RangeError);
  });
});

describe('testIntegerPeaks', () => {
  it('matches the exact null expectation', () => {
    const mesas = honestMesas('exact', 300);
    const report = testIntegerPeaks(mesas, { seed: 5, draws: 2000 });
    let expectedTurnout = 0;
    let expectedShare = 0;
    for (const m of mesas) {
      const reg = m.registered ?? 0;
      const vot = m.voters ?? 0;
      const lead = m.votes.get('L') ?? 0;
      expectedTurnout += exactIntegerProbability(reg, vot / reg);
      expectedShare += exactIntegerProbability(vot, lead / vot);
    }
    // Monte Carlo error of the mean: sd/√draws.
    const seT = report.turnout.sd / Math.sqrt(2000);
    const seS = report.share.sd / Math.sqrt(2000);
    expect(Math.abs(report.turnout.expected - expectedTurnout)).toBeLessThan(4 * seT + 1e-9);
    expect(Math.abs(report.share.expected - expectedShare)).toBeLessThan(4 * seS + 1e-9);
    // The null's sd against the exact √Σ p(1 − p) (sd of a sample sd ≈ sd/√(2·draws)).
    let varTurnout = 0;
    for (const m of mesas) {
      const reg = m.registered ?? 0;
      const q = exactIntegerProbability(reg, (m.voters ?? 0) / reg);
      varTurnout += q * (1 - q);
    }
    const sdT = Math.sqrt(varTurnout);
    expect(Math.abs(report.turnout.sd - sdT)).toBeLessThan((4 * sdT) / Math.sqrt(2 * 2000));
    expect(report.leader).toBe('L');
    const sumPerInteger = report.perInteger.reduce((s, b) => s + b.turnoutExpected, 0);
    expect(Math.abs(sumPerInteger - expectedTurnout)).toBeLessThan(1e-9);
    // The paper's literal procedure (resampling the counts) gives the same null.
    const literal = testIntegerPeaks(mesas, { seed: 6, draws: 1000, method: 'resample' });
    expect(Math.abs(literal.turnout.expected - expectedTurnout)).toBeLessThan(
      (4 * report.turnout.sd) / Math.sqrt(1000),
    );
    expect(Math.abs(literal.share.sd - report.share.sd)).toBeLessThan(0.15 * report.share.sd);
  });

  it('flags honest elections at about the stated rate', () => {
    let flags = 0;
    const seeds = 20;
    for (let s = 0; s < seeds; s++) {
      const report = testIntegerPeaks(honestMesas(`honest ${s}`, 1500), {
        seed: s,
        draws: 200,
        alpha: 0.05,
      });
      if (report.either.flagged) flags++;
    }
    // Expected 1 of 20; P(≥ 5) under a 5% rate is about 0.3%.
    expect(flags).toBeLessThanOrEqual(4);
  });

  it('flags planted integer turnout, at the planted integers and in the planted region', () => {
    const mesas = honestMesas('planted', 3000).map((m, i) => {
      // 150 mesas of region 2 report turnout of exactly 70% or 80%.
      if (i % 5 !== 2 || i >= 750) return m;
      const reg = m.registered ?? 0;
      const target = i % 2 === 0 ? 70 : 80;
      const voters = Math.round((target * reg) / 100);
      const leader = Math.min(voters, m.votes.get('L') ?? 0);
      return makeMesa(m.id, 'region 2', reg, voters, leader);
    });
    const report = testIntegerPeaks(mesas, { seed: 'planted', draws: 500 });
    expect(report.turnout.flagged).toBe(true);
    expect(report.either.flagged).toBe(true);
    expect(report.turnout.pValue).toBeCloseTo(1 / 501, 12);
    // The 150 planted mesas, less each one's own chance of an integer under the
    // null (about 100/d near the mode: 5% to 50% for 200 to 2,200 voters).
    expect(report.turnout.excess).toBeGreaterThan(90);
    expect(report.turnout.excess).toBeLessThan(180);
    const bin70 = report.perInteger[70];
    const bin80 = report.perInteger[80];
    expect((bin70?.turnoutObserved ?? 0) - (bin70?.turnoutExpected ?? 0)).toBeGreaterThan(60);
    expect((bin80?.turnoutObserved ?? 0) - (bin80?.turnoutExpected ?? 0)).toBeGreaterThan(60);
    expect(report.byRegion[0]?.region).toBe('region 2');
    const listed = new Set(report.mesasOnIntegers.map((m) => m.id));
    expect(listed.has('m2')).toBe(true);
    expect(listed.has('m7')).toBe(true);
    expect(report.share.flagged).toBe(false);
  });

  it('excludes small denominators and refuses bad options', () => {
    const mesas = [makeMesa('tiny', 'r', 50, 25, 10), makeMesa('big', 'r', 1000, 700, 350)];
    const report = testIntegerPeaks(mesas, { seed: 1, draws: 10 });
    expect(report.turnoutTested).toBe(1);
    expect(report.shareTested).toBe(1);
    expect(report.turnout.observed).toBe(1);
    expect(() => testIntegerPeaks(mesas, { seed: 1, draws: 0 })).toThrow(RangeError);
    expect(() => testIntegerPeaks(mesas, { seed: 1, tolerance: 0.7 })).toThrow(RangeError);
  });
});

// The Russian 2012 presidential election, 95,415 stations (../shared/data), read
// here with fflate and csv-parse (the importer is written separately). Columns
// by position (BRIEF.md): 3 registered, 5–7 ballots issued (early, on the day
// inside, outside), 11 invalid, 12 valid, 21–25 the candidates, Putin last.
const dataDir = new URL('../../../../shared/data/', import.meta.url);
const ruFile = new URL('ru2012-president-stations.csv.zip', dataDir);
const ruPresent = existsSync(ruFile);

describe.skipIf(!ruPresent)('Russia 2012 (../shared/data; skipped when the file is absent)', () => {
  it('shows the integer-percentage excess the literature describes', () => {
    const zip = unzipSync(new Uint8Array(readFileSync(ruFile)));
    const name = Object.keys(zip)[0] ?? '';
    const text = new TextDecoder().decode(zip[name]);
    const rows: string[][] = parse(text, { from_line: 2 });
    const num = (row: readonly string[], i: number): number => Number(row[i]);
    const names = ['Zhirinovsky', 'Zyuganov', 'Mironov', 'Prokhorov', 'Putin'];
    const mesas: MesaResult[] = rows.map((row, r) => ({
      id: `${row[0]}/${row[1]}/${row[2]}`,
      region: [row[0] ?? ''],
      registered: num(row, 3),
      voters: num(row, 5) + num(row, 6) + num(row, 7),
      valid: num(row, 12),
      invalid: num(row, 11),
      blank: null,
      votes: new Map(names.map((candidate, k) => [candidate, num(row, 21 + k)])),
      source: `2012.csv row ${r + 2}`,
    }));
    expect(mesas.length).toBe(95_415);
    const started = performance.now();
    const report = testIntegerPeaks(mesas, { seed: 'ru2012', draws: 1000 });
    const elapsed = performance.now() - started;
    const top = report.perInteger
      .map((b) => ({
        k: b.percent,
        turnout: b.turnoutObserved - b.turnoutExpected,
        share: b.shareObserved - b.shareExpected,
      }))
      .filter((b) => b.turnout > 40 || b.share > 40);
    console.log(
      `ru2012 integer peaks (${elapsed.toFixed(0)} ms, 1000 draws): ${report.mesas} stations, ` +
        `turnout ${report.turnout.observed} vs ${report.turnout.expected.toFixed(1)} ± ${report.turnout.sd.toFixed(1)}, ` +
        `share ${report.share.observed} vs ${report.share.expected.toFixed(1)} ± ${report.share.sd.toFixed(1)}, ` +
        `either ${report.either.observed} vs ${report.either.expected.toFixed(1)} (excess ${report.either.excess.toFixed(0)}, p ${report.either.pValue.toExponential(2)})`,
    );
    console.log(
      'ru2012 integers with excess > 40:',
      JSON.stringify(top.map((b) => [b.k, Math.round(b.turnout), Math.round(b.share)])),
    );
    console.log(
      'ru2012 top regions:',
      JSON.stringify(
        report.byRegion.slice(0, 5).map((r) => [r.region, r.observed, Math.round(r.expected)]),
      ),
    );
    expect(report.leader).toBe('Putin');
    expect(report.either.flagged).toBe(true);
    // Observed on this file: excess ≈ 1,014 stations, z ≈ 9 (seed ru2012).
    expect(report.either.excess).toBeGreaterThan(5 * report.either.sd);
    expect(elapsed).toBeGreaterThan(0);
  });
});
