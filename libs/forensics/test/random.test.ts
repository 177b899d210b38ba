/**
 * The seeded generator: xoshiro128** against the reference C code's output,
 * seeding, unbiased integers, and the binomial sampler's distribution against
 * the exact mass function (a chi-square goodness-of-fit test computed here,
 * not by the sampler's own code).
 */
import { describe, expect, it } from 'vitest';
import { createRandom, createRandomFromState, logFactorial } from '../src/random.js';

/** Upper 0.1% point of chi-square with `df` degrees of freedom (Wilson–Hilferty). */
function chiSquareCritical(df: number): number {
  const z = 3.0902; // the standard normal's 0.999 quantile
  const h = 2 / (9 * df);
  return df * (1 - h + z * Math.sqrt(h)) ** 3;
}

/** Binomial(n, p) mass function by the recursion from P(0), in logs to avoid underflow. */
function binomialPmf(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1);
  if (p === 0 || p === 1) {
    out[p === 0 ? 0 : n] = 1;
    return out;
  }
  let logP = n * Math.log(1 - p);
  out[0] = Math.exp(logP);
  for (let k = 1; k <= n; k++) {
    logP += Math.log((n - k + 1) / k) + Math.log(p / (1 - p));
    out[k] = Math.exp(logP);
  }
  return out;
}

/** Chi-square statistic and degrees of freedom, pooling cells with expected count < 5. */
function chiSquare(
  counts: Float64Array,
  pmf: Float64Array,
  draws: number,
): { stat: number; df: number } {
  let stat = 0;
  let cells = 0;
  let obs = 0;
  let exp = 0;
  for (let k = 0; k < pmf.length; k++) {
    obs += counts[k] ?? 0;
    exp += (pmf[k] ?? 0) * draws;
    if (exp >= 5) {
      stat += (obs - exp) ** 2 / exp;
      cells++;
      obs = 0;
      exp = 0;
    }
  }
  if (exp > 0 || obs > 0) {
    // Fold the leftover tail into the last cell's comparison.
    stat += exp > 0 ? (obs - exp) ** 2 / exp : obs > 0 ? Number.POSITIVE_INFINITY : 0;
    cells++;
  }
  return { stat, df: Math.max(1, cells - 1) };
}

describe('xoshiro128**', () => {
  it('matches the reference implementation from state {1, 2, 3, 4}', () => {
    // Output of Blackman and Vigna's xoshiro128starstar.c with s = {1, 2, 3, 4}
    // (also reproduced by an independent 10-line Python port).
    const random = createRandomFromState(1, 2, 3, 4);
    const got = Array.from({ length: 10 }, () => random.nextUint32());
    expect(got).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597,
      4258142804,
    ]);
  });

  it('refuses the all-zero state', () => {
    expect(() => createRandomFromState(0, 0, 0, 0)).toThrow(RangeError);
  });
});

describe('createRandom', () => {
  it('is deterministic per seed, and seeds of different kinds differ', () => {
    const take = (seed: number | string): number[] => {
      const r = createRandom(seed);
      return Array.from({ length: 8 }, () => r.nextUint32());
    };
    expect(take(42)).toEqual(take(42));
    expect(take('acta')).toEqual(take('acta'));
    expect(take(42)).not.toEqual(take(43));
    expect(take(1)).not.toEqual(take('1'));
    expect(take(0)).toEqual(take(-0));
  });

  it('refuses non-finite seeds', () => {
    expect(() => createRandom(Number.NaN)).toThrow(RangeError);
    expect(() => createRandom(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('gives uniform floats in [0, 1)', () => {
    const r = createRandom('floats');
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = r.nextFloat();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
      sumSq += x * x;
    }
    expect(outside).toBe(0);
    // Mean 1/2 (sd of the mean 0.29/√n ≈ 6.5e-4), variance 1/12.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(sumSq / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
  });

  it('gives unbiased integers, for small and above-2^32 bounds', () => {
    const r = createRandom(7);
    const n = 7;
    const counts = new Float64Array(n);
    const draws = 70_000;
    for (let i = 0; i < draws; i++) {
      counts[r.nextInt(n)]! += 1;
    }
    const { stat, df } = chiSquare(counts, new Float64Array(n).fill(1 / n), draws);
    expect(df).toBe(n - 1);
    expect(stat).toBeLessThan(chiSquareCritical(df));
    const big = 3 * 2 ** 40 + 1;
    let high = 0;
    let bad = 0;
    for (let i = 0; i < 10_000; i++) {
      const k = r.nextInt(big);
      if (!(k >= 0 && k < big && Number.isInteger(k))) bad++;
      if (k >= big / 2) high++;
    }
    expect(bad).toBe(0);
    expect(Math.abs(high - 5000)).toBeLessThan(250);
    expect(() => r.nextInt(0)).toThrow(RangeError);
    expect(() => r.nextInt(2.5)).toThrow(RangeError);
    expect(r.nextInt(1)).toBe(0);
  });

  it('gives standard normals', () => {
    const r = createRandom('normal');
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    let beyond = 0;
    for (let i = 0; i < n; i++) {
      const z = r.nextNormal();
      sum += z;
      sumSq += z * z;
      if (Math.abs(z) > 1.959964) beyond++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.015);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.02);
    // 5% beyond ±1.96: sd of the count √(n·0.05·0.95) ≈ 69.
    expect(Math.abs(beyond - 0.05 * n)).toBeLessThan(300);
  });

  it('splits into independent-looking streams', () => {
    const r = createRandom(1);
    const a = r.split();
    const b = r.split();
    expect(a.nextUint32()).not.toBe(b.nextUint32());
  });
});

describe('binomial sampling', () => {
  // Cases cover every method: constants, inversion (n·p < 30), BTPE, and p > 1/2 by symmetry.
  const cases: readonly (readonly [number, number])[] = [
    [1, 0.5],
    [10, 0.3],
    [5, 0.93],
    [59, 0.5], // n·p = 29.5: inversion at the limit
    [61, 0.5], // n·p = 30.5: BTPE at the limit
    [100, 0.5],
    [750, 0.62], // a Russian polling station's turnout
    [1500, 0.02],
    [3000, 0.99],
    [20_000, 0.35],
  ];
  for (const [n, p] of cases) {
    it(`follows Binomial(${n}, ${p}) (chi-square, 0.1% level)`, () => {
      const r = createRandom(`binomial ${n} ${p}`);
      const draws = 100_000;
      const out = new Int32Array(draws);
      r.fillBinomial(n, p, out);
      const counts = new Float64Array(n + 1);
      let outside = 0;
      for (const x of out) {
        if (x < 0 || x > n) outside++;
        else counts[x]! += 1;
      }
      expect(outside).toBe(0);
      const { stat, df } = chiSquare(counts, binomialPmf(n, p), draws);
      expect(stat).toBeLessThan(chiSquareCritical(df));
    });
  }

  it('gives the right mean and variance for a large n (BTPE tails)', () => {
    const r = createRandom('large');
    const n = 1_000_000;
    const p = 0.3;
    const draws = 50_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < draws; i++) {
      const x = r.nextBinomial(n, p);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / draws;
    const variance = sumSq / draws - mean * mean;
    const sd = Math.sqrt(n * p * (1 - p));
    // Mean within 4 standard errors; variance within 3%.
    expect(Math.abs(mean - n * p)).toBeLessThan((4 * sd) / Math.sqrt(draws));
    expect(Math.abs(variance / (n * p * (1 - p)) - 1)).toBeLessThan(0.03);
  });

  it('handles the degenerate cases and refuses bad arguments', () => {
    const r = createRandom(3);
    expect(r.nextBinomial(0, 0.4)).toBe(0);
    expect(r.nextBinomial(17, 0)).toBe(0);
    expect(r.nextBinomial(17, 1)).toBe(17);
    expect(() => r.nextBinomial(-1, 0.5)).toThrow(RangeError);
    expect(() => r.nextBinomial(2.5, 0.5)).toThrow(RangeError);
    expect(() => r.nextBinomial(10, 1.5)).toThrow(RangeError);
    expect(() => r.nextBinomial(10, Number.NaN)).toThrow(RangeError);
  });

  it('agrees between nextBinomial and fillBinomial for the same seed', () => {
    const a = createRandom('same');
    const b = createRandom('same');
    const out = new Float64Array(50);
    a.fillBinomial(800, 0.55, out);
    for (const x of out) expect(b.nextBinomial(800, 0.55)).toBe(x);
  });
});

describe('logFactorial', () => {
  it('matches Python math.lgamma(k + 1)', () => {
    // Values from Python 3's math.lgamma (an independent implementation).
    const expected: readonly (readonly [number, number])[] = [
      [0, 0],
      [1, 0],
      [2, 0.693147180559945],
      [10, 15.104412573075514],
      [255, 1161.7121011184006],
      [256, 1167.2572785628802],
      [257, 1172.8063546477754],
      [1000, 5912.128178488163],
      [123456, 1323904.4924837977],
      [1_000_000, 12815518.384658169],
      [2147483646, 43996705633.89096],
    ];
    for (const [k, value] of expected) {
      expect(Math.abs(logFactorial(k) - value)).toBeLessThanOrEqual(1e-13 * Math.max(1, value));
    }
  });
});
