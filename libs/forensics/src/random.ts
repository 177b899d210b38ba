/**
 * A small seeded pseudo-random generator for the forensic tests' Monte Carlo
 * nulls and bootstraps, and for the fraud simulations (issue #7). The package
 * is pure: randomness never comes from `Math.random` or a clock, only from a
 * seed the caller passes, so every report is reproducible from its seed.
 *
 * Generator: xoshiro128** 1.1 (Blackman and Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 2021): 128 bits of state, period
 * 2^128 − 1, 32-bit outputs, all arithmetic in 32-bit integers (`Math.imul`),
 * which keeps it fast in JavaScript without BigInt. It is not cryptographic:
 * never use it for secrets or for audit sampling (that is `@acta/audit`'s
 * SHA-256 sampler).
 *
 * Seeding: the 128-bit state is the first 16 bytes of
 * SHA-256("ACTA_FORENSICS_RANDOM_V1" ‖ 0x00 ‖ kind ‖ 0x00 ‖ UTF-8 text), where
 * kind is "number" (text = the number's decimal form) or "string". Hashing
 * makes nearby seeds (1, 2, 3) give unrelated streams, and keeps number and
 * string seeds apart ("1" and 1 differ).
 *
 * Binomial sampling is exact (the draws follow Binomial(n, p) up to the
 * precision of doubles, no normal or Poisson approximation):
 * - with n·min(p, 1−p) < 30, sequential inversion (Kachitvichyanukul and
 *   Schmeiser 1988, algorithm BINV), O(n·p) uniforms' worth of work;
 * - otherwise BTPE (Kachitvichyanukul and Schmeiser, "Binomial random
 *   variate generation", CACM 31(2), 1988): a triangle, two parallelograms
 *   and two exponential tails dominate the mass function; most draws are
 *   accepted in the triangle with two uniforms. Where the paper's final
 *   acceptance test uses a Stirling expansion, we compare with the exact log
 *   ratio of the mass function from log-factorials (a table below 256,
 *   Stirling's series with its correct signs above), which avoids the
 *   well-known constant typo of some published transcriptions.
 * p > 1/2 is drawn as n − Binomial(n, 1 − p).
 */
import { sha256 } from '@acta/crypto';

/** A seeded stream of pseudo-random numbers. Not safe for secrets. */
export interface Random {
  /** A uniform 32-bit unsigned integer, 0 … 2^32 − 1. */
  nextUint32(): number;
  /** A uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** A uniform integer in 0 … n − 1, without modulo bias; n an integer in 1 … 2^53. */
  nextInt(n: number): number;
  /** A standard normal draw (Marsaglia's polar method). */
  nextNormal(): number;
  /** One draw from Binomial(n, p): n a non-negative integer below 2^31, p in [0, 1]. */
  nextBinomial(n: number, p: number): number;
  /**
   * Fills `out` with independent Binomial(n, p) draws, computing BTPE's setup
   * once: the hot loop of a Monte Carlo null that resamples one mesa many times.
   */
  fillBinomial(n: number, p: number, out: Int32Array | Float64Array | Uint32Array): void;
  /** A new, independent stream derived from this one's next outputs (for sub-tasks). */
  split(): Random;
}

const SEED_TAG = 'ACTA_FORENSICS_RANDOM_V1';
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const INV_TWO_POW_53 = 1 / TWO_POW_53;
const INV_TWO_POW_32 = 1 / TWO_POW_32;
/** BTPE pays off above this mean (n·min(p, 1−p)); below it inversion is faster and simple. */
const INVERSION_LIMIT = 30;

/**
 * Creates a generator from a seed: a finite number or a string (e.g. a
 * published seed phrase). The same seed always gives the same stream.
 */
export function createRandom(seed: number | string): Random {
  let kind: string;
  let text: string;
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) throw new RangeError(`random seed must be finite, got ${seed}`);
    kind = 'number';
    // Object.is keeps −0 apart from 0 only if we ask; treat them as the same seed.
    text = String(seed === 0 ? 0 : seed);
  } else {
    kind = 'string';
    text = seed;
  }
  const bytes = sha256(new TextEncoder().encode(`${SEED_TAG}\u0000${kind}\u0000${text}`));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return createRandomFromState(
    view.getUint32(0, true),
    view.getUint32(4, true),
    view.getUint32(8, true),
    view.getUint32(12, true),
  );
}

/**
 * A generator started from an explicit xoshiro128** state (for known-answer
 * tests against the reference C code). The all-zero state is a fixed point
 * and is refused.
 */
export function createRandomFromState(a: number, b: number, c: number, d: number): Random {
  return new Xoshiro128(a >>> 0, b >>> 0, c >>> 0, d >>> 0);
}

class Xoshiro128 implements Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The second normal of the last polar pair, or NaN when none is cached. */
  private spareNormal = Number.NaN;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128** state must not be all zero');
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  nextFloat(): number {
    // 27 + 26 bits, the usual construction of a 53-bit double from two words.
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) * INV_TWO_POW_53;
  }

  /**
   * A uniform double in (0, 1) from one 32-bit word (the centre of one of
   * 2^32 cells): half the cost of nextFloat, and fine where 2^−32 resolution
   * is (the binomial samplers, whose paper used single precision).
   */
  nextFloat32(): number {
    return (this.nextUint32() + 0.5) * INV_TWO_POW_32;
  }

  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_53) {
      throw new RangeError(`nextInt needs an integer bound in 1 … 2^53, got ${n}`);
    }
    if (n <= TWO_POW_32) {
      // Reject the top partial block of 2^32 so that every residue is equally likely.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      for (;;) {
        const x = this.nextUint32();
        if (x < limit) return x % n;
      }
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    for (;;) {
      const x = (this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6);
      if (x < limit) return x % n;
    }
  }

  nextNormal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    for (;;) {
      const u = 2 * this.nextFloat() - 1;
      const v = 2 * this.nextFloat() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * f;
        return u * f;
      }
    }
  }

  nextBinomial(n: number, p: number): number {
    checkBinomial(n, p);
    return drawBinomial(this, prepareBinomial(n, p));
  }

  fillBinomial(n: number, p: number, out: Int32Array | Float64Array | Uint32Array): void {
    checkBinomial(n, p);
    const plan = prepareBinomial(n, p);
    for (let i = 0; i < out.length; i++) out[i] = drawBinomial(this, plan);
  }

  split(): Random {
    let a = this.nextUint32();
    const b = this.nextUint32();
    const c = this.nextUint32();
    const d = this.nextUint32();
    if ((a | b | c | d) === 0) a = 1;
    return new Xoshiro128(a, b, c, d);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function checkBinomial(n: number, p: number): void {
  if (!Number.isInteger(n) || n < 0 || n >= 2147483648) {
    throw new RangeError(`binomial n must be an integer in 0 … 2^31 − 1, got ${n}`);
  }
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial p must be in [0, 1], got ${p}`);
}

/** Which method a binomial plan uses. */
type BinomialMethod = 'constant' | 'inversion' | 'btpe';

/**
 * Everything about Binomial(n, p) that does not change from draw to draw. A
 * class with every field set in the constructor, in one order, so that V8
 * gives all plans one hidden class and the draw loops stay monomorphic
 * (object spreads made plans dictionary-mode and draws 50× slower).
 */
class BinomialPlan {
  readonly method: BinomialMethod;
  readonly n: number;
  /** min(p, 1 − p) */
  readonly p: number;
  readonly q: number;
  /** Whether the draw is n − X (p was above 1/2). */
  readonly flip: boolean;
  /** For `constant`: the value. */
  readonly value: number;
  // Inversion.
  readonly q0: number;
  readonly bound: number;
  readonly ratio: number;
  // BTPE.
  readonly m: number;
  readonly npq: number;
  readonly xm: number;
  readonly xl: number;
  readonly xr: number;
  readonly c: number;
  readonly laml: number;
  readonly lamr: number;
  readonly p1: number;
  readonly p2: number;
  readonly p3: number;
  readonly p4: number;
  readonly logRatio: number;
  readonly logFactM: number;

  constructor(n: number, pIn: number) {
    const flip = pIn > 0.5;
    const p = flip ? 1 - pIn : pIn;
    const q = 1 - p;
    const np = n * p;
    this.n = n;
    this.p = p;
    this.q = q;
    this.flip = flip;
    this.value = flip ? n : 0;
    this.q0 = 0;
    this.bound = 0;
    this.ratio = p / q;
    this.m = 0;
    this.npq = np * q;
    this.xm = 0;
    this.xl = 0;
    this.xr = 0;
    this.c = 0;
    this.laml = 0;
    this.lamr = 0;
    this.p1 = 0;
    this.p2 = 0;
    this.p3 = 0;
    this.p4 = 0;
    this.logRatio = 0;
    this.logFactM = 0;
    if (n === 0 || p === 0) {
      this.method = 'constant';
    } else if (np < INVERSION_LIMIT) {
      this.method = 'inversion';
      // P(X = 0) = q^n ≥ e^(−1.39·30) here, so it does not underflow.
      this.q0 = Math.exp(n * Math.log1p(-p));
      // Restart the search far in the tail: P(X > bound) is negligible and this
      // bounds the loop should rounding leave u above the last cumulative mass.
      this.bound = Math.min(n, Math.floor(np + 10 * Math.sqrt(this.npq + 1)));
    } else {
      // BTPE setup, step 0 of the paper.
      this.method = 'btpe';
      const fm = np + p;
      const m = Math.floor(fm);
      const p1 = Math.floor(2.195 * Math.sqrt(this.npq) - 4.6 * q) + 0.5;
      const xm = m + 0.5;
      const xl = xm - p1;
      const xr = xm + p1;
      const c = 0.134 + 20.5 / (15.3 + m);
      let a = (fm - xl) / (fm - xl * p);
      const laml = a * (1 + a / 2);
      a = (xr - fm) / (xr * q);
      const lamr = a * (1 + a / 2);
      this.m = m;
      this.xm = xm;
      this.xl = xl;
      this.xr = xr;
      this.c = c;
      this.laml = laml;
      this.lamr = lamr;
      this.p1 = p1;
      this.p2 = p1 * (1 + 2 * c);
      this.p3 = this.p2 + c / laml;
      this.p4 = this.p3 + c / lamr;
      this.logRatio = Math.log(p / q);
      this.logFactM = logFactorial(m) + logFactorial(n - m);
    }
  }
}

function prepareBinomial(n: number, p: number): BinomialPlan {
  return new BinomialPlan(n, p);
}

function drawBinomial(random: Xoshiro128, plan: BinomialPlan): number {
  let x: number;
  switch (plan.method) {
    case 'constant':
      return plan.value;
    case 'inversion':
      x = drawInversion(random, plan);
      break;
    case 'btpe':
      x = drawBtpe(random, plan);
      break;
    default: {
      const never: never = plan.method;
      throw new Error(`unknown binomial method ${String(never)}`);
    }
  }
  return plan.flip ? plan.n - x : x;
}

/** BINV: walk the cumulative mass function from 0 until it passes a uniform. */
function drawInversion(random: Xoshiro128, plan: BinomialPlan): number {
  const { n, q0, bound, ratio } = plan;
  for (;;) {
    let u = random.nextFloat32();
    let px = q0;
    let x = 0;
    while (u > px) {
      u -= px;
      x++;
      if (x > bound) break;
      // P(X = x) / P(X = x − 1) = (n − x + 1)/x · p/q
      px *= ((n - x + 1) / x) * ratio;
    }
    if (x <= bound) return x;
  }
}

function drawBtpe(random: Xoshiro128, plan: BinomialPlan): number {
  const { n, p, m, npq, xm, xl, xr, c, laml, lamr, p1, p2, p3, p4 } = plan;
  for (;;) {
    const u = random.nextFloat32() * p4;
    let v = random.nextFloat32();
    let y: number;
    if (u <= p1) {
      // Step 1: the triangle, accepted at once.
      return Math.floor(xm - p1 * v + u);
    }
    if (u <= p2) {
      // Step 2: the parallelograms.
      const x = xl + (u - p1) / c;
      v = v * c + 1 - Math.abs(m - x + 0.5) / p1;
      if (v > 1) continue;
      y = Math.floor(x);
    } else if (u <= p3) {
      // Step 3: the left exponential tail.
      if (v === 0) continue;
      y = Math.floor(xl + Math.log(v) / laml);
      if (y < 0) continue;
      v = v * (u - p2) * laml;
    } else {
      // Step 4: the right exponential tail.
      if (v === 0) continue;
      y = Math.floor(xr - Math.log(v) / lamr);
      if (y > n) continue;
      v = v * (u - p3) * lamr;
    }
    // Step 5: accept y with probability f(y)/f(m) scaled by the envelope, i.e. if v ≤ f(y)/f(m).
    const k = Math.abs(y - m);
    if (k <= 20 || k >= npq / 2 - 1) {
      // 5.1: the ratio by the recursion f(i)/f(i − 1) = (a/i − s), a = (n + 1)s, s = p/q.
      const s = p / plan.q;
      const a = s * (n + 1);
      let f = 1;
      if (m < y) {
        for (let i = m + 1; i <= y; i++) f *= a / i - s;
      } else if (m > y) {
        for (let i = y + 1; i <= m; i++) f /= a / i - s;
      }
      if (v <= f) return y;
      continue;
    }
    // 5.2: squeeze on log v with the paper's bounds around the normal approximation.
    const rho = (k / npq) * ((k * (k / 3 + 0.625) + 1 / 6) / npq + 0.5);
    const t = (-k * k) / (2 * npq);
    const logV = Math.log(v);
    if (logV < t - rho) return y;
    if (logV > t + rho) continue;
    // 5.3: the exact log ratio ln f(y) − ln f(m).
    const logF = plan.logFactM - logFactorial(y) - logFactorial(n - y) + (y - m) * plan.logRatio;
    if (logV <= logF) return y;
  }
}

/** ln k! for k < 256, exact to a double's rounding (summed once at load). */
const LOG_FACTORIAL_TABLE: Float64Array = (() => {
  const table = new Float64Array(256);
  for (let k = 2; k < 256; k++) table[k] = (table[k - 1] ?? 0) + Math.log(k);
  return table;
})();

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln k! for a non-negative integer k: the table below 256, Stirling's series
 * ln k! = (k + ½) ln(k + 1) − (k + 1) + ½ ln 2π + 1/(12(k+1)) − 1/(360(k+1)^3) + …
 * above (relative error far below 1e-15 there). Exported for the tests and
 * for other analyses that need binomial log-probabilities.
 */
export function logFactorial(k: number): number {
  if (k < 256) return LOG_FACTORIAL_TABLE[k] ?? Number.NaN;
  // ln Γ(x) with x = k + 1.
  const x = k + 1;
  const x2 = x * x;
  const series = (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * x2)) / x2) / x2) / x;
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
}
