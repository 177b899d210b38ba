// The comparison modpow must compute the right thing: against textbook
// square-and-multiply, against OpenSSL, and with Fermat's little theorem on
// the RFC 3526 prime, whose value is re-derived from its published formula.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BarrettModulus,
  MODP_BITS,
  createOpenSslModPow,
  getModp4096Prime,
  modPow,
  toBytes,
} from '../src/modpow.js';

/** Right-to-left square-and-multiply, the textbook reference. */
function naiveModPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n % modulus;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if ((e & 1n) === 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** arctan(1/x) · 2^bits, by its Taylor series in fixed point. */
function arctanInverse(x: bigint, bits: bigint): bigint {
  const one = 1n << bits;
  let power = one / x;
  let sum = power;
  const x2 = x * x;
  for (let k = 1n; power !== 0n; k++) {
    power /= x2;
    sum += (k % 2n === 1n ? -power : power) / (2n * k + 1n);
  }
  return sum;
}

/** ⌊2^bits · π⌋, by Machin's formula π = 16·arctan(1/5) − 4·arctan(1/239). */
function piTimesPowerOfTwo(bits: number): bigint {
  const guard = 64n;
  const b = BigInt(bits) + guard;
  return (16n * arctanInverse(5n, b) - 4n * arctanInverse(239n, b)) >> guard;
}

const bigintOfBits = (bits: number): fc.Arbitrary<bigint> =>
  fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });

describe('getModp4096Prime', () => {
  it('is the RFC 3526 group 16 prime 2^4096 − 2^4032 − 1 + 2^64·(⌊2^3966·π⌋ + 240904)', () => {
    const expected =
      2n ** 4096n - 2n ** 4032n - 1n + 2n ** 64n * (piTimesPowerOfTwo(3966) + 240904n);
    expect(getModp4096Prime()).toBe(expected);
    expect(getModp4096Prime().toString(2)).toHaveLength(MODP_BITS);
  });

  it("satisfies Fermat's little theorem for a few bases (a check of modPow at full size)", () => {
    const p = getModp4096Prime();
    const m = new BarrettModulus(p);
    for (const a of [2n, 3n, 0xdeadbeefn]) expect(modPow(a, p - 1n, m)).toBe(1n);
    // And a non-trivial value: 2^((p−1)/2) is the Legendre symbol of 2, ±1.
    const half = modPow(2n, (p - 1n) / 2n, m);
    expect(half === 1n || half === p - 1n).toBe(true);
  });
});

describe('modPow', () => {
  it('agrees with square-and-multiply on small and medium moduli', () => {
    fc.assert(
      fc.property(
        bigintOfBits(300),
        bigintOfBits(260),
        fc.bigInt({ min: 2n, max: (1n << 300n) - 1n }),
        (base, exponent, modulus) => {
          expect(modPow(base, exponent, modulus)).toBe(naiveModPow(base, exponent, modulus));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('agrees with square-and-multiply at 4096 bits with 256-bit exponents', () => {
    const p = getModp4096Prime();
    const m = new BarrettModulus(p);
    fc.assert(
      fc.property(bigintOfBits(4096), bigintOfBits(256), (base, exponent) => {
        expect(modPow(base, exponent, m)).toBe(naiveModPow(base, exponent, p));
      }),
      { numRuns: 10 },
    );
  });

  it('handles the edge cases: exponent 0 and 1, base 0, negative base, tiny moduli', () => {
    expect(modPow(5n, 0n, 7n)).toBe(1n);
    expect(modPow(5n, 1n, 7n)).toBe(5n);
    expect(modPow(0n, 5n, 7n)).toBe(0n);
    expect(modPow(-2n, 3n, 7n)).toBe(6n); // (−2)^3 = −8 ≡ 6
    expect(modPow(3n, 5n, 2n)).toBe(1n);
    expect(() => modPow(2n, -1n, 7n)).toThrow(RangeError);
    expect(() => new BarrettModulus(1n)).toThrow(RangeError);
  });
});

describe('createOpenSslModPow', () => {
  it('agrees with modPow on the 4096-bit prime', () => {
    const p = getModp4096Prime();
    fc.assert(
      fc.property(
        fc.bigInt({ min: 2n, max: p - 2n }),
        fc.bigInt({ min: 1n << 255n, max: (1n << 256n) - 1n }),
        (base, exponent) => {
          expect(createOpenSslModPow(p, exponent)(base)).toBe(modPow(base, exponent, p));
        },
      ),
      { numRuns: 10 },
    );
  });
});

describe('toBytes', () => {
  it('encodes big-endian in exactly the given length, and refuses what does not fit', () => {
    expect([...toBytes(0x0102n, 4)]).toEqual([0, 0, 1, 2]);
    expect(() => toBytes(0x10000n, 2)).toThrow(RangeError);
    expect(() => toBytes(-1n, 2)).toThrow(RangeError);
  });
});
