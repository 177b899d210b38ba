// ristretto255 group and scalar wrapper: RFC 9496 known answers, canonical
// encodings, rejection of bad input with coded errors, and algebraic laws.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  GROUP_ORDER,
  GroupElement,
  encodeHex,
  getCryptoBackend,
  Scalar,
  multiScalarMultiply,
  sumElements,
  unwrap,
} from '../src/index.js';
import { arbElement, arbScalar } from './helpers.js';

interface Rfc9496Vectors {
  smallMultiplesOfGenerator: { encodings: string[] };
  invalidEncodings: { cases: { reason: string; encoding: string }[] };
  hashToGroup: { cases: { label: string; sha512: string; element: string }[] };
}
const vectors = JSON.parse(
  readFileSync(new URL('./vectors/rfc9496-ristretto255.json', import.meta.url), 'utf8'),
) as Rfc9496Vectors;

describe('RFC 9496 A.1: multiples of the generator', () => {
  it('encodes B·0 … B·15 exactly', () => {
    vectors.smallMultiplesOfGenerator.encodings.forEach((encoding, i) => {
      expect(GroupElement.multiplyGenerator(Scalar.fromInt(i)).toHex()).toBe(encoding);
      expect(GroupElement.GENERATOR.multiplyPublic(Scalar.fromInt(i)).toHex()).toBe(encoding);
    });
    expect(vectors.smallMultiplesOfGenerator.encodings).toHaveLength(16);
  });

  it('decodes each and re-encodes it identically', () => {
    vectors.smallMultiplesOfGenerator.encodings.forEach((encoding, i) => {
      const e = unwrap(GroupElement.decodeHex(encoding, 'v', { allowIdentity: i === 0 }));
      expect(e.toHex()).toBe(encoding);
    });
  });
});

describe('RFC 9496 A.2: invalid encodings', () => {
  it.each(vectors.invalidEncodings.cases)('rejects $encoding ($reason)', ({ encoding }) => {
    const r = GroupElement.decodeHex(encoding, 'x', { allowIdentity: true });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_ELEMENT');
      expect(r.error.where).toBe('x');
    }
  });

  it('has all 29 cases of the RFC', () => {
    expect(vectors.invalidEncodings.cases).toHaveLength(29);
  });
});

describe('RFC 9496 A.3: element derivation from 64 bytes', () => {
  it.each(vectors.hashToGroup.cases)('maps SHA-512("$label")', ({ label, sha512, element }) => {
    const digest = createHash('sha512').update(label, 'utf8').digest();
    expect(digest.toString('hex')).toBe(sha512);
    expect(GroupElement.fromUniformBytes(new Uint8Array(digest)).toHex()).toBe(element);
  });
});

describe('element decoding errors', () => {
  it('rejects the identity unless allowed', () => {
    const zero = new Uint8Array(32);
    const r = GroupElement.decode(zero, 'pk');
    expect(r.ok ? 'ok' : r.error.code).toBe('IDENTITY_ELEMENT');
    expect(unwrap(GroupElement.decode(zero, 'pk', { allowIdentity: true })).isIdentity()).toBe(
      true,
    );
  });

  it.each([0, 31, 33, 64])('rejects %i-byte encodings', (n) => {
    const r = GroupElement.decode(new Uint8Array(n).fill(1), 'e');
    expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_LENGTH');
  });

  it('rejects malformed hex with a coded error', () => {
    for (const bad of [
      'zz'.repeat(32),
      'e2f2',
      42,
      null,
      'E2F2AE0A6ABC4E71A884A961C500515F58E30B6AA582DD8DB6A65945E08D2D7',
    ]) {
      const r = GroupElement.decodeHex(bad, 'e');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['INVALID_HEX', 'INVALID_LENGTH']).toContain(r.error.code);
    }
  });

  it('accepts uppercase hex of a valid encoding', () => {
    const upper = GroupElement.GENERATOR.toHex().toUpperCase();
    expect(unwrap(GroupElement.decodeHex(upper)).equals(GroupElement.GENERATOR)).toBe(true);
  });
});

describe('scalar decoding', () => {
  it('accepts L−1 and rejects L, L+1 and 2^256−1', () => {
    const enc = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex').reverse();
    expect(unwrap(Scalar.decode(new Uint8Array(enc(GROUP_ORDER - 1n)))).toBigInt()).toBe(
      GROUP_ORDER - 1n,
    );
    for (const n of [GROUP_ORDER, GROUP_ORDER + 1n, 2n ** 256n - 1n]) {
      const r = Scalar.decode(new Uint8Array(enc(n)), 's');
      expect(r.ok ? 'ok' : r.error.code).toBe('NON_CANONICAL_SCALAR');
    }
  });

  it('rejects wrong lengths', () => {
    for (const n of [0, 16, 31, 33]) {
      const r = Scalar.decode(new Uint8Array(n), 's');
      expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_LENGTH');
    }
  });

  it('round-trips', () => {
    fc.assert(
      fc.property(arbScalar, (s) => unwrap(Scalar.decode(s.toBytes())).equals(s)),
      { numRuns: 200 },
    );
  });

  it('refuses to invert zero (a bug, so it throws)', () => {
    expect(() => Scalar.ZERO.invert()).toThrow(RangeError);
  });
});

describe('group laws', () => {
  it('encodings round-trip', () => {
    fc.assert(
      fc.property(arbElement, (e) => unwrap(GroupElement.decode(e.toBytes())).equals(e)),
      { numRuns: 100 },
    );
  });

  it('(a+b)·G = a·G + b·G and a·(b·G) = (ab)·G', () => {
    fc.assert(
      fc.property(arbScalar, arbScalar, (a, b) => {
        const G = GroupElement.GENERATOR;
        expect(G.multiply(a.add(b)).equals(G.multiply(a).add(G.multiply(b)))).toBe(true);
        expect(
          G.multiply(b)
            .multiply(a)
            .equals(G.multiply(a.multiply(b))),
        ).toBe(true);
        expect(
          G.multiply(b)
            .multiplyPublic(a)
            .equals(G.multiply(a.multiply(b))),
        ).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('multiply handles 0, 1, L−1 and precomputed bases', () => {
    const P = GroupElement.multiplyGenerator(Scalar.fromInt(12345));
    const Pp = P.precompute();
    expect(P.multiply(Scalar.ZERO).isIdentity()).toBe(true);
    expect(Pp.multiply(Scalar.ZERO).isIdentity()).toBe(true);
    expect(P.multiply(Scalar.ONE).equals(P)).toBe(true);
    expect(P.multiply(Scalar.ONE.negate()).equals(P.negate())).toBe(true);
    expect(Pp.multiply(Scalar.ONE.negate()).equals(P.negate())).toBe(true);
    expect(P.multiplyPublic(Scalar.ZERO).isIdentity()).toBe(true);
    expect(P.subtract(P).isIdentity()).toBe(true);
  });

  it('multi-scalar multiplication equals the naive sum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arbScalar, arbElement), { minLength: 0, maxLength: 12 }),
        (pairs) => {
          const naive = sumElements(pairs.map(([s, e]) => e.multiply(s)));
          const msm = multiScalarMultiply(
            pairs.map((p) => p[0]),
            pairs.map((p) => p[1]),
          );
          expect(msm.equals(naive)).toBe(true);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('MSM rejects mismatched lengths (a bug)', () => {
    expect(() => multiScalarMultiply([Scalar.ONE], [])).toThrow(RangeError);
  });
});

describe('multiplyBelow (plaintexts below a public bound)', () => {
  it('equals multiply for scalars below 2^bits, with and without a table', () => {
    const K = GroupElement.multiplyGenerator(Scalar.fromInt(777));
    const Kp = K.precompute();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.bigInt({ min: 0n, max: 2n ** 60n - 1n }),
        (bits, raw) => {
          const s = Scalar.fromBigInt(raw % 2n ** BigInt(bits));
          for (const base of [GroupElement.GENERATOR, K, Kp]) {
            expect(base.multiplyBelow(s, bits).equals(base.multiply(s))).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a scalar at or above the bound, and a bad bound (bugs)', () => {
    expect(() => GroupElement.GENERATOR.multiplyBelow(Scalar.fromInt(2), 1)).toThrow(RangeError);
    expect(() => GroupElement.GENERATOR.multiplyBelow(Scalar.ONE.negate(), 248)).toThrow(
      RangeError,
    );
    expect(() => GroupElement.GENERATOR.multiplyBelow(Scalar.ONE, 0)).toThrow(RangeError);
    expect(() => GroupElement.GENERATOR.multiplyBelow(Scalar.ONE, 1.5)).toThrow(RangeError);
  });
});

describe('doubleMany', () => {
  it('doubles every element and carries the right encodings (identity included)', () => {
    fc.assert(
      fc.property(fc.array(arbElement, { maxLength: 9 }), (elements) => {
        const all = [...elements, GroupElement.IDENTITY];
        const doubled = GroupElement.doubleMany(all);
        expect(doubled).toHaveLength(all.length);
        doubled.forEach((d, i) => {
          const expected = all[i]!.add(all[i]!);
          expect(d.toHex()).toBe(expected.toHex());
          expect(d.equals(expected)).toBe(true);
        });
      }),
      { numRuns: 20 },
    );
    expect(GroupElement.doubleMany([])).toEqual([]);
  });
});

describe('the in-process transfer form', () => {
  it('round-trips elements (identity included) with their encodings, at an offset', () => {
    fc.assert(
      fc.property(fc.array(arbElement, { maxLength: 9 }), fc.nat(40), (elements, offset) => {
        const all = [GroupElement.IDENTITY, ...elements, GroupElement.GENERATOR];
        const stride = GroupElement.TRANSFER_LENGTH;
        const bytes = new Uint8Array(offset + stride * all.length + 3);
        GroupElement.writeTransfer(all, bytes, offset);
        const back = GroupElement.readTransfer(bytes, all.length, offset);
        expect(back).toHaveLength(all.length);
        back.forEach((b, i) => {
          expect(b.equals(all[i]!)).toBe(true);
          expect(b.toHex()).toBe(all[i]!.toHex());
          // The result computes like the original.
          expect(b.add(GroupElement.GENERATOR).toHex()).toBe(
            all[i]!.add(GroupElement.GENERATOR).toHex(),
          );
        });
      }),
      { numRuns: 20 },
    );
  });

  it('is the encoding plus the flat point on native, the encoding alone on noble', () => {
    expect(GroupElement.TRANSFER_LENGTH).toBe(getCryptoBackend().name === 'native' ? 160 : 32);
    const bytes = new Uint8Array(GroupElement.TRANSFER_LENGTH);
    GroupElement.writeTransfer([GroupElement.GENERATOR], bytes);
    expect(encodeHex(bytes.subarray(0, 32))).toBe(GroupElement.GENERATOR.toHex());
  });

  it('refuses outputs and inputs that are too short', () => {
    const stride = GroupElement.TRANSFER_LENGTH;
    const two = [GroupElement.GENERATOR, GroupElement.IDENTITY];
    expect(() => GroupElement.writeTransfer(two, new Uint8Array(2 * stride - 1))).toThrow(
      RangeError,
    );
    expect(() => GroupElement.writeTransfer(two, new Uint8Array(2 * stride), 1)).toThrow(
      RangeError,
    );
    expect(() => GroupElement.readTransfer(new Uint8Array(2 * stride - 1), 2)).toThrow(RangeError);
    expect(() => GroupElement.readTransfer(new Uint8Array(stride), 1, -1)).toThrow(RangeError);
    expect(() => GroupElement.readTransfer(new Uint8Array(stride), 0.5)).toThrow(RangeError);
    expect(GroupElement.readTransfer(new Uint8Array(0), 0)).toEqual([]);
  });
});
