/**
 * Bit arithmetic on tree sizes and indices, which are JavaScript safe integers
 * (< 2^53): JavaScript's bitwise operators truncate to 32 bits, so every helper
 * here splits a value into 21 high and 32 low bits. Used by the proof-length
 * formulas and the RFC 9162 §2.1.3.2 / §2.1.4.2 verification loops, whose
 * inputs are untrusted and may be as large as Number.MAX_SAFE_INTEGER.
 */

const TWO_32 = 2 ** 32;

function hi(x: number): number {
  return Math.floor(x / TWO_32);
}

function lo(x: number): number {
  // ToUint32 is reduction modulo 2^32, exact for every integral double.
  return x >>> 0;
}

function popcount32(v: number): number {
  let n = v >>> 0;
  n = n - ((n >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Number of significant bits of x (0 for 0). */
export function bitLength(x: number): number {
  const h = hi(x);
  return h !== 0 ? 64 - Math.clz32(h) : 32 - Math.clz32(lo(x));
}

/** Number of set bits of x. */
export function popcount(x: number): number {
  return popcount32(hi(x)) + popcount32(lo(x));
}

/** Number of trailing zero bits of x > 0. */
export function trailingZeros(x: number): number {
  const l = lo(x);
  if (l !== 0) return 31 - Math.clz32(l & -l);
  const h = hi(x);
  return 32 + 31 - Math.clz32(h & -h);
}

/** a XOR b. */
export function xor(a: number, b: number): number {
  return ((hi(a) ^ hi(b)) >>> 0) * TWO_32 + ((lo(a) ^ lo(b)) >>> 0);
}

/** floor(x / 2^k). */
export function shiftRight(x: number, k: number): number {
  return Math.floor(x / 2 ** k);
}

/** Whether x > 0 is a power of two. */
export function isPowerOfTwo(x: number): boolean {
  return x > 0 && popcount(x) === 1;
}

/** Whether x is a non-negative safe integer (a valid size or index). */
export function isSafeUint(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}
