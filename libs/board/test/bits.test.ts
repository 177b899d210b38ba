// The safe-integer bit helpers against BigInt arithmetic, over the whole
// safe range (JavaScript's own bitwise operators stop at 32 bits).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitLength, isPowerOfTwo, popcount, shiftRight, trailingZeros, xor } from '../src/bits.js';

const safe = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 32 + 5 }),
  fc.maxSafeNat(),
  fc.integer({ min: 0, max: 52 }).map((k) => 2 ** k),
  fc.integer({ min: 1, max: 53 }).map((k) => 2 ** k - 1),
);

function big(x: number): bigint {
  return BigInt(x);
}

describe('bit helpers on safe integers', () => {
  it('bitLength, popcount, xor, shiftRight agree with BigInt', () => {
    fc.assert(
      fc.property(safe, safe, fc.integer({ min: 0, max: 60 }), (a, b, k) => {
        expect(bitLength(a)).toBe(a === 0 ? 0 : big(a).toString(2).length);
        expect(popcount(a)).toBe([...big(a).toString(2)].filter((c) => c === '1').length);
        expect(xor(a, b)).toBe(Number(big(a) ^ big(b)));
        expect(shiftRight(a, k)).toBe(Number(big(a) >> BigInt(k)));
      }),
      { numRuns: 2000 },
    );
  });

  it('trailingZeros and isPowerOfTwo agree with BigInt', () => {
    fc.assert(
      fc.property(
        safe.filter((x) => x > 0),
        (a) => {
          const s = big(a).toString(2);
          expect(trailingZeros(a)).toBe(s.length - 1 - s.lastIndexOf('1'));
          expect(isPowerOfTwo(a)).toBe((big(a) & (big(a) - 1n)) === 0n);
        },
      ),
      { numRuns: 2000 },
    );
    expect(isPowerOfTwo(0)).toBe(false);
    expect(bitLength(Number.MAX_SAFE_INTEGER)).toBe(53);
    expect(trailingZeros(2 ** 52)).toBe(52);
  });
});
