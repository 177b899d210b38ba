/**
 * The comparison point of the benchmark (docs/performance.md, "ElectionGuard
 * arithmetic"): ElectionGuard 1.x/2.x works in a 4096-bit multiplicative group
 * mod p with 256-bit exponents, where every proof equation is a modular
 * exponentiation. Acta works in ristretto255, where it is a 253-bit scalar
 * multiplication. To compare like with like on the same machine, this module
 * measures the cost of one 4096-bit modpow with a 256-bit exponent in two ways:
 *
 * - `modPow`: pure-JavaScript BigInt, left-to-right sliding window (width 5)
 *   with Barrett reduction (Menezes, van Oorschot, Vanstone, "Handbook of
 *   Applied Cryptography", algorithms 14.42 and 14.85). Barrett beats BigInt's
 *   `%` here because V8's division is slower than its multiplication.
 * - `createOpenSslModPow`: OpenSSL's native, constant-time Montgomery
 *   exponentiation (assembly multiplication), reached through node's
 *   Diffie-Hellman API: with prime p, private key x and "peer public key" b,
 *   `computeSecret(b)` returns b^x mod p. Node has no public modpow; this is
 *   the closest native one.
 *
 * GMP's mpz_powm (electionguard-python uses it through gmpy2) is native too
 * and faster than BigInt; it is not measured here. The BigInt figure is what
 * ElectionGuard's arithmetic costs in pure JavaScript, the OpenSSL figure a
 * fair native one.
 *
 * The modulus is the 4096-bit MODP prime of RFC 3526 group 16 (its value comes
 * from node's built-in `getDiffieHellman('modp16')`, the same constant). Its
 * size and the exponent size are those of ElectionGuard's p and q; the
 * particular prime does not change the cost.
 */
import { createDiffieHellman, getDiffieHellman } from 'node:crypto';

/** Bits of the comparison modulus (ElectionGuard's p is also 4096 bits). */
export const MODP_BITS = 4096;

/** Bits of the comparison exponents (ElectionGuard's q is a 256-bit prime). */
export const EXPONENT_BITS = 256;

/** Name of the modulus, as printed in the report. */
export const MODP_NAME = 'RFC 3526 group 16 (4096-bit MODP) prime';

/**
 * Modular exponentiations with a ≤256-bit exponent that ElectionGuard 2.0
 * (§3.3.5, verification 5) needs to verify one 0/1 selection proof (a range
 * proof with L = 1): for each branch j ∈ {0, 1}, a_j = g^{v_j}·α^{c_j} and
 * b_j = K^{w_j}·β^{c_j} (4 exponentiations per branch, 8 in all), plus the
 * subgroup membership checks α^q = 1 and β^q = 1 (2 more).
 */
export const EG_SELECTION_VERIFY_MODPOWS = 10;

/** The RFC 3526 group 16 prime as a bigint. */
export function getModp4096Prime(): bigint {
  return BigInt(`0x${getDiffieHellman('modp16').getPrime('hex')}`);
}

/** Number of bits of a non-negative bigint (0 for 0). */
function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * A modulus with its Barrett constant μ = ⌊4^k / m⌋ (k = bit length of m):
 * x mod m for 0 ≤ x < m² costs two multiplications and at most two
 * subtractions (HAC 14.42).
 */
export class BarrettModulus {
  readonly modulus: bigint;
  readonly #mu: bigint;
  readonly #shiftLow: bigint;
  readonly #shiftHigh: bigint;

  constructor(modulus: bigint) {
    if (modulus <= 1n) throw new RangeError('the modulus must be greater than 1');
    const k = bitLength(modulus);
    this.modulus = modulus;
    this.#mu = (1n << BigInt(2 * k)) / modulus;
    this.#shiftLow = BigInt(k - 1);
    this.#shiftHigh = BigInt(k + 1);
  }

  /** x mod m, for 0 ≤ x < m². */
  reduce(x: bigint): bigint {
    const q = ((x >> this.#shiftLow) * this.#mu) >> this.#shiftHigh;
    let r = x - q * this.modulus;
    while (r >= this.modulus) r -= this.modulus;
    return r;
  }

  /** a·b mod m, for 0 ≤ a, b < m. */
  multiply(a: bigint, b: bigint): bigint {
    return this.reduce(a * b);
  }
}

/** Sliding-window width: 5 is optimal for exponents of about 256 bits. */
const WINDOW = 5;

/**
 * base^exponent mod modulus in variable time (public data only, like every
 * exponentiation a verifier does). Left-to-right sliding window over the
 * exponent's bits with a table of the odd powers base^1, base^3, …, base^31.
 */
export function modPow(base: bigint, exponent: bigint, modulus: bigint | BarrettModulus): bigint {
  const m = modulus instanceof BarrettModulus ? modulus : new BarrettModulus(modulus);
  if (exponent < 0n) throw new RangeError('negative exponents are not supported');
  const b = ((base % m.modulus) + m.modulus) % m.modulus;
  if (exponent === 0n) return 1n % m.modulus;
  const square = m.multiply(b, b);
  const oddPowers: bigint[] = [b];
  for (let i = 1; i < 1 << (WINDOW - 1); i++) {
    oddPowers.push(m.multiply(oddPowers[i - 1] ?? 1n, square));
  }
  const bits = exponent.toString(2);
  let result = 1n;
  let i = 0;
  while (i < bits.length) {
    if (bits[i] === '0') {
      result = m.multiply(result, result);
      i++;
      continue;
    }
    // The longest window of at most WINDOW bits starting here and ending in a 1.
    let width = Math.min(WINDOW, bits.length - i);
    while (bits[i + width - 1] === '0') width--;
    for (let j = 0; j < width; j++) result = m.multiply(result, result);
    const value = Number.parseInt(bits.slice(i, i + width), 2);
    const power = oddPowers[(value - 1) >> 1];
    if (power === undefined) throw new RangeError('window value out of table');
    result = m.multiply(result, power);
    i += width;
  }
  return result;
}

/**
 * A native modpow mod `modulus` with a fixed exponent, through OpenSSL:
 * returns b ↦ b^exponent mod modulus. OpenSSL rejects "public keys" outside
 * [2, p − 2], so the base must lie there.
 */
export function createOpenSslModPow(modulus: bigint, exponent: bigint): (base: bigint) => bigint {
  const length = Math.ceil(bitLength(modulus) / 8);
  const dh = createDiffieHellman(toBytes(modulus, length), Uint8Array.of(2));
  dh.setPrivateKey(toBytes(exponent, Math.ceil(bitLength(exponent) / 8)));
  return (base) => {
    const out = dh.computeSecret(toBytes(base, length));
    return out.length === 0 ? 0n : BigInt(`0x${out.toString('hex')}`);
  };
}

/** Big-endian encoding of a non-negative bigint in exactly `length` bytes. */
export function toBytes(n: bigint, length: number): Buffer {
  if (n < 0n) throw new RangeError('negative values have no encoding');
  const hex = n.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new RangeError(`value does not fit in ${length} bytes`);
  return Buffer.from(hex, 'hex');
}
