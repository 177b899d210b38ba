/**
 * numpy's default random generator, bit for bit (issue #6, item 1): VotingWorks
 * Arlo draws its batch-comparison (PPEB) samples with
 * `numpy.random.default_rng(int(sha256_hex(seed), 16)).choice(batches, n, p=…)`,
 * so a sample Acta draws can be redrawn by Arlo only if Acta reproduces, exactly:
 *
 *   - `SeedSequence` (M. E. O'Neill's seed_seq hash, as numpy's
 *     `bit_generator.pyx` implements it): the integer seed is cut into 32-bit
 *     words, least significant first, hashed into a pool of 4 words, and the
 *     pool is hashed again into the generator's 128-bit state and increment;
 *   - PCG64 (O'Neill, "PCG: A Family of Simple Fast Space-Efficient
 *     Statistically Good Algorithms for Random Number Generation", 2014;
 *     numpy `src/pcg64/pcg64.h`): a 128-bit LCG, each output the XSL-RR of the
 *     state after the step;
 *   - `Generator.random()`: the top 53 bits of an output times 2^-53;
 *   - `Generator.choice(n, size, replace=True, p)` (numpy `_generator.pyx`):
 *     the running sum of p (left to right, as `cumsum` adds), divided by its
 *     last element, then for each uniform u the first index whose sum exceeds u
 *     (`searchsorted(side='right')`).
 *
 * Cross-checked against numpy 2.4.6 itself (test/vectors/numpy-pcg64.json, made
 * by generate-numpy-pcg64.py). 128-bit and 32-bit wrap-around arithmetic is
 * done with BigInt; the draws are few (a sample, not a manifest).
 */

const MASK32 = 0xffffffffn;
const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;

// seed_seq hash constants (numpy bit_generator.pyx).
const INIT_A = 0x43b0d7e5n;
const MULT_A = 0x931e8875n;
const INIT_B = 0x8b51f9ddn;
const MULT_B = 0x58f38dedn;
const MIX_MULT_L = 0xca01f9ddn;
const MIX_MULT_R = 0x4973f715n;
const XSHIFT = 16n;
const POOL_SIZE = 4;

/** PCG's default 128-bit multiplier. */
const PCG_MULTIPLIER = 0x2360ed051fc65da44385df649fccf645n;

/** The 32-bit words of a non-negative integer, least significant first (0 is one word). */
function toUint32Words(n: bigint): bigint[] {
  if (n < 0n) throw new RangeError('a seed must be a non-negative integer');
  const words: bigint[] = [];
  if (n === 0n) words.push(0n);
  while (n > 0n) {
    words.push(n & MASK32);
    n >>= 32n;
  }
  return words;
}

/**
 * numpy's `SeedSequence(entropy).generate_state(words, uint32)`: the entropy
 * pool, then `words` 32-bit words of output.
 */
export function generateSeedSequenceState(entropy: bigint, words: number): bigint[] {
  const entropyWords = toUint32Words(entropy);
  // hashmix keeps its multiplier as running state across calls.
  let hashConst = INIT_A;
  const hashmix = (value: bigint): bigint => {
    value = (value ^ hashConst) & MASK32;
    hashConst = (hashConst * MULT_A) & MASK32;
    value = (value * hashConst) & MASK32;
    return value ^ (value >> XSHIFT);
  };
  const mix = (x: bigint, y: bigint): bigint => {
    const r = (MIX_MULT_L * x - MIX_MULT_R * y) & MASK32;
    return r ^ (r >> XSHIFT);
  };
  const pool: bigint[] = [];
  for (let i = 0; i < POOL_SIZE; i++) pool.push(hashmix(entropyWords[i] ?? 0n));
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) {
      if (src !== dst) pool[dst] = mix(pool[dst]!, hashmix(pool[src]!));
    }
  }
  for (let src = POOL_SIZE; src < entropyWords.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) {
      pool[dst] = mix(pool[dst]!, hashmix(entropyWords[src]!));
    }
  }
  let outConst = INIT_B;
  const out: bigint[] = [];
  for (let i = 0; i < words; i++) {
    let v = (pool[i % POOL_SIZE]! ^ outConst) & MASK32;
    outConst = (outConst * MULT_B) & MASK32;
    v = (v * outConst) & MASK32;
    out.push(v ^ (v >> XSHIFT));
  }
  return out;
}

/** `SeedSequence(entropy).generate_state(4, uint64)`: pairs of 32-bit words, little-endian. */
export function generateSeedSequenceState64(entropy: bigint): bigint[] {
  const w = generateSeedSequenceState(entropy, 8);
  const out: bigint[] = [];
  for (let i = 0; i < 8; i += 2) out.push(w[i]! | (w[i + 1]! << 32n));
  return out;
}

function rotateRight64(x: bigint, r: bigint): bigint {
  return ((x >> r) | (x << ((64n - r) & 63n))) & MASK64;
}

/** numpy's `Generator(PCG64(SeedSequence(seed)))`, as `default_rng(seed)` builds it. */
export class NumpyGenerator {
  private state: bigint;
  private readonly increment: bigint;

  constructor(seed: bigint) {
    const [s0, s1, i0, i1] = generateSeedSequenceState64(seed) as [bigint, bigint, bigint, bigint];
    const initState = (s0 << 64n) | s1;
    const initSeq = (i0 << 64n) | i1;
    // pcg_setseq_128_srandom_r: state 0, increment odd, step, add the seed, step.
    this.increment = ((initSeq << 1n) | 1n) & MASK128;
    this.state = 0n;
    this.step();
    this.state = (this.state + initState) & MASK128;
    this.step();
  }

  /** The LCG state and increment (numpy's `bit_generator.state`), for checks. */
  get pcgState(): { readonly state: bigint; readonly inc: bigint } {
    return { state: this.state, inc: this.increment };
  }

  private step(): void {
    this.state = (this.state * PCG_MULTIPLIER + this.increment) & MASK128;
  }

  /** The next 64-bit output (numpy's `random_raw()`): step, then XSL-RR of the new state. */
  nextUint64(): bigint {
    this.step();
    const hi = this.state >> 64n;
    const lo = this.state & MASK64;
    return rotateRight64(hi ^ lo, this.state >> 122n);
  }

  /** A double in [0, 1) (numpy's `random()`): the top 53 bits over 2^53. */
  random(): number {
    return Number(this.nextUint64() >> 11n) / 9007199254740992;
  }

  /**
   * `choice(len(p), size, replace=True, p=p)`: indices drawn with replacement
   * with probabilities p. Throws RangeError where numpy raises ValueError (p
   * negative, NaN, or not summing to 1 within √ε).
   */
  chooseWithReplacement(p: readonly number[], size: number): number[] {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(`size must be a non-negative integer, got ${size}`);
    }
    if (p.length === 0) throw new RangeError('a cannot be empty unless no samples are taken');
    if (p.some((x) => Number.isNaN(x))) throw new RangeError('probabilities contain NaN');
    if (p.some((x) => x < 0)) throw new RangeError('probabilities are not non-negative');
    const total = kahanSum(p);
    if (Math.abs(total - 1) > Math.sqrt(Number.EPSILON)) {
      throw new RangeError(`probabilities do not sum to 1 (${total})`);
    }
    const cdf: number[] = [];
    let running = 0;
    for (const x of p) {
      running += x;
      cdf.push(running);
    }
    const last = cdf[cdf.length - 1]!;
    for (let i = 0; i < cdf.length; i++) cdf[i] = cdf[i]! / last;
    const out: number[] = [];
    for (let k = 0; k < size; k++) out.push(searchSortedRight(cdf, this.random()));
    return out;
  }
}

/** numpy's `kahan_sum` (used only for the sums-to-one check). */
function kahanSum(values: readonly number[]): number {
  let sum = values[0] ?? 0;
  let c = 0;
  for (let i = 1; i < values.length; i++) {
    const y = values[i]! - c;
    const t = sum + y;
    c = t - sum - y;
    sum = t;
  }
  return sum;
}

/** Number of elements of the sorted `cdf` that are ≤ u (`searchsorted(u, side='right')`). */
function searchSortedRight(cdf: readonly number[], u: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
