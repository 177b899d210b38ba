// The fast ticket key of the consistent sampler (issue #6, item 1: 20 million
// ballots in seconds): the low decimal digits of the hash, computed in
// 32-bit integers, must order tickets exactly as their full text does on the digits
// they cover, and say "tie" otherwise — checked against BigInt arithmetic
// (an independent computation of the same digits) on random hashes, on hashes
// crafted to tie on the key and differ just beyond it, and on tickets of
// different lengths. The kept set, filtered on the key, must be exactly the
// smallest tickets of a full sort, even when most tickets tie on the key.
// Both ways of hashing (node:crypto one-shot, @noble/hashes from a midstate)
// must give node:crypto createHash's bytes, ids of every length included.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FIRST_TICKET_HASHING,
  FirstTicketHasher,
  LOW_DIGITS,
  SmallestFirstTickets,
  compareLowDigits,
  lowDigitsOf,
  uniformOfDigest,
  type FirstTicket,
} from '../src/consistent-sampler.js';

const FC = { seed: 20261125, numRuns: 400 } as const;
/** 10^LOW_DIGITS: the key is h mod M. */
const TOP = 1n << 256n;
const M = 10n ** BigInt(LOW_DIGITS);

function digestOf(h: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31, x = h; i >= 0; i--, x >>= 8n) out[i] = Number(x & 0xffn);
  return out;
}

function integerOf(d: Uint8Array): bigint {
  return d.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

/** The ticket's first LOW_DIGITS digits, from BigInt: h mod M on LOW_DIGITS digits, reversed. */
function keyText(h: bigint): string {
  return [...(h % M).toString().padStart(LOW_DIGITS, '0')].reverse().join('');
}

const sign = (x: number): number => (x < 0 ? -1 : x > 0 ? 1 : 0);
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Hashes of every size: uniform, small (many leading zeros), near 2^256, near multiples of M. */
const hashes = fc.oneof(
  fc.bigInt({ min: 0n, max: TOP - 1n }),
  fc.bigInt({ min: 0n, max: 10n ** 20n }),
  fc.bigInt({ min: TOP - 10n ** 15n, max: TOP - 1n }),
  fc
    .tuple(fc.bigInt({ min: 0n, max: TOP / M - 1n }), fc.bigInt({ min: -3n, max: 3n }))
    .map(([q, e]) => {
      const h = q * M + e;
      return h < 0n ? 0n : h >= TOP ? TOP - 1n : h;
    }),
);

/** A second hash that ties with h on the key and differs beyond it (as far as 2^256 allows). */
function tieWith(h: bigint, k: bigint): bigint {
  const step = (k % (TOP / M - 1n)) + 1n;
  if (h + step * M < TOP) return h + step * M;
  return h - step * M >= 0n ? h - step * M : h;
}

describe('lowDigitsOf', () => {
  it('is h mod 10^LOW_DIGITS of the big-endian digest (against BigInt)', () => {
    for (const h of [0n, 1n, M - 1n, M, M + 1n, TOP - 1n, TOP - M, 10n ** 77n]) {
      expect(lowDigitsOf(digestOf(h))).toBe(Number(h % M));
    }
    fc.assert(
      fc.property(hashes, (h) => {
        expect(lowDigitsOf(digestOf(h))).toBe(Number(h % M));
      }),
      FC,
    );
  });

  it('takes the digest bytes as they are (random 32-byte arrays)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (d) => {
        expect(lowDigitsOf(d)).toBe(Number(integerOf(d) % M));
      }),
      FC,
    );
  });
});

describe('compareLowDigits', () => {
  it('orders the first LOW_DIGITS ticket digits exactly, and agrees with the full ticket order', () => {
    const check = (a: bigint, b: bigint): void => {
      const c = compareLowDigits(lowDigitsOf(digestOf(a)), lowDigitsOf(digestOf(b)));
      expect(c).toBe(compareText(keyText(a), keyText(b)));
      const full = sign(compareText(uniformOfDigest(digestOf(a)), uniformOfDigest(digestOf(b))));
      if (c !== 0) expect(c).toBe(full);
    };
    fc.assert(
      fc.property(hashes, hashes, (a, b) => check(a, b)),
      FC,
    );
    // Ties on the key: only the full tickets order them, and they do.
    fc.assert(
      fc.property(hashes, fc.bigInt({ min: 0n, max: TOP }), (a, k) => {
        const b = tieWith(a, k);
        expect(compareLowDigits(lowDigitsOf(digestOf(a)), lowDigitsOf(digestOf(b)))).toBe(0);
        check(a, b);
      }),
      FC,
    );
    // Keys that differ in one digit only, anywhere among the 11.
    fc.assert(
      fc.property(hashes, fc.nat(LOW_DIGITS - 1), fc.integer({ min: 1, max: 9 }), (a, i, d) => {
        const p = 10n ** BigInt(i);
        const digit = (a / p) % 10n;
        const b = a - digit * p + ((digit + BigInt(d)) % 10n) * p;
        if (b < TOP) check(a, b);
      }),
      FC,
    );
  });

  it('ties tickets of different lengths that share their first digits (a prefix is smaller)', () => {
    // h with 78 digits and h mod 10^64: the shorter ticket is a prefix of the longer.
    const a = TOP - 12345n;
    const b = a % 10n ** 64n;
    const ta = uniformOfDigest(digestOf(a));
    const tb = uniformOfDigest(digestOf(b));
    expect(ta.length).toBe(2 + 78);
    expect(tb.length).toBe(2 + 64);
    expect(ta.startsWith(tb)).toBe(true);
    expect(compareLowDigits(lowDigitsOf(digestOf(a)), lowDigitsOf(digestOf(b)))).toBe(0);
    // Trailing zeros of a short hash are the leading zeros of its 64-digit expansion.
    expect(uniformOfDigest(digestOf(7n))).toBe(`0.7${'0'.repeat(63)}`);
  });
});

describe('SmallestFirstTickets', () => {
  /** Tickets of n hashes, most of them in groups that tie on the key. */
  const streams = fc
    .tuple(
      fc.array(hashes, { minLength: 1, maxLength: 6 }),
      fc.array(fc.tuple(fc.nat(5), fc.bigInt({ min: 0n, max: TOP }), fc.boolean()), {
        minLength: 1,
        maxLength: 120,
      }),
    )
    .map(([bases, picks]) => {
      const seen = new Set<bigint>();
      const out: bigint[] = [];
      for (const [i, k, random] of picks) {
        const base = bases[i % bases.length]!;
        const h = random ? (base * 7919n + k) % TOP : tieWith(base, k);
        if (!seen.has(h)) out.push(h);
        seen.add(h);
      }
      return out;
    });

  it('keeps exactly the smallest tickets of a full sort, filtering on the key', () => {
    fc.assert(
      fc.property(streams, fc.integer({ min: 1, max: 40 }), (hs, wanted) => {
        const kept = new SmallestFirstTickets<number>(wanted);
        let filtered = 0;
        hs.forEach((h, id) => {
          const d = digestOf(h);
          const low = lowDigitsOf(d);
          if (kept.admits(low)) {
            kept.offer({ number: uniformOfDigest(d), key: String(id).padStart(4, '0'), id, low });
          } else filtered += 1;
        });
        const all: FirstTicket<number>[] = hs.map((h, id) => ({
          number: uniformOfDigest(digestOf(h)),
          key: String(id).padStart(4, '0'),
          id,
        }));
        const order = (a: FirstTicket<number>, b: FirstTicket<number>): number =>
          compareText(a.number, b.number) || compareText(a.key, b.key);
        const expected = all.sort(order).slice(0, wanted);
        expect(kept.tickets().sort(order)).toEqual(expected);
        expect(filtered).toBeLessThanOrEqual(Math.max(0, hs.length - wanted));
      }),
      { ...FC, numRuns: 200 },
    );
  });

  it('skips, on the key alone, a ticket beyond the largest kept one', () => {
    const kept = new SmallestFirstTickets<string>(1);
    const small = digestOf(10n); // ticket 0.01000…
    kept.offer({ number: uniformOfDigest(small), key: 'a', id: 'a', low: lowDigitsOf(small) });
    expect(kept.admits(lowDigitsOf(digestOf(2n)))).toBe(false); // 0.2…
    expect(kept.admits(lowDigitsOf(digestOf(100n)))).toBe(true); // 0.001…
    expect(kept.admits(lowDigitsOf(digestOf(10n + M)))).toBe(true); // a tie on the key
    expect(() => new SmallestFirstTickets(0)).toThrow(RangeError);
  });
});

describe('FirstTicketHasher', () => {
  const reference = (seed: string, text: string): string =>
    createHash('sha256')
      .update(createHash('sha256').update(seed, 'utf8').digest('hex') + text, 'utf8')
      .digest('hex');
  const hex = (d: Uint8Array): string => Buffer.from(d).toString('hex');
  /** The hash's key and bytes, against createHash and BigInt. */
  const expectHash = (low: number, h: FirstTicketHasher, expected: string): void => {
    expect(hex(h.digest())).toBe(expected);
    expect(low).toBe(Number(BigInt(`0x${expected}`) % M));
  };

  it('hashes hex(SHA-256(seed)) + id as createHash does, both ways, ids of any length', () => {
    expect(DEFAULT_FIRST_TICKET_HASHING).toBe('node');
    const utf8 = new TextEncoder();
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.array(fc.string({ unit: 'grapheme', maxLength: 150 }), { minLength: 1, maxLength: 6 }),
        (seed, texts) => {
          const hashers = [
            new FirstTicketHasher(seed, 'node'),
            new FirstTicketHasher(seed, 'noble'),
          ];
          for (const text of texts) {
            for (const h of hashers) {
              expectHash(h.hashText(utf8.encode(text)), h, reference(seed, text));
            }
          }
        },
      ),
      { seed: 11, numRuns: 150 },
    );
  });

  it('hashes ids written straight into its buffer, the buffer growing when asked', () => {
    for (const hashing of ['node', 'noble'] as const) {
      const h = new FirstTicketHasher('seed', hashing);
      const text = new TextEncoder().encode('x'.repeat(300));
      for (const n of [0, 1, 55, 56, 64, 119, 120, 300]) {
        h.buffer(n).set(text.subarray(0, n), h.idStart);
        expectHash(h.hashId(n), h, reference('seed', 'x'.repeat(n)));
      }
      // After growing, shorter ids (lengths hashed before) hash from the new buffer.
      h.buffer(55).set(new TextEncoder().encode('y'.repeat(55)), h.idStart);
      expectHash(h.hashId(55), h, reference('seed', 'y'.repeat(55)));
    }
  });
});
