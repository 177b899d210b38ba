// The native kernel's encodings against RFC 9496 and @noble/curves: decoding
// (accept/reject decisions and elements on random and mutated strings, all 29
// invalid vectors), encoding (of every coset representative and projective
// scaling), element derivation, and the batch forms.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ristretto255_hasher } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import {
  NoblePoint,
  P,
  SQRT_M1,
  concat,
  fromHex,
  fromLe,
  le32,
  native,
  rawCoordinates,
  rawPoint,
  randomPoint,
  seededBytes,
  toHex,
  toNoble,
} from './helpers.js';

interface Rfc9496Vectors {
  smallMultiplesOfGenerator: { encodings: string[] };
  invalidEncodings: { cases: { reason: string; encoding: string }[] };
  hashToGroup: { cases: { label: string; sha512: string; element: string }[] };
}
const vectors = JSON.parse(
  readFileSync(
    new URL('../../crypto/test/vectors/rfc9496-ristretto255.json', import.meta.url),
    'utf8',
  ),
) as Rfc9496Vectors;

function nobleAccepts(bytes: Uint8Array): boolean {
  try {
    NoblePoint.fromBytes(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Same decision as noble, and for accepted strings the same element, re-encoded identically. */
function expectDecodeAgrees(bytes: Uint8Array): boolean {
  const p = native.decode(bytes);
  const accepted = nobleAccepts(bytes);
  expect(p !== null, toHex(bytes)).toBe(accepted);
  if (p !== null) {
    expect(p).toHaveLength(native.POINT_BYTES);
    expect(toHex(native.encode(p))).toBe(toHex(bytes));
  }
  return accepted;
}

/** The four points of order dividing 4 in extended coordinates: each is the ristretto identity. */
const TORSION4: readonly [bigint, bigint, bigint, bigint][] = [
  [0n, 1n, 1n, 0n],
  [0n, P - 1n, 1n, 0n],
  [SQRT_M1, 0n, 1n, 0n],
  [P - SQRT_M1, 0n, 1n, 0n],
];

describe('RFC 9496 A.1: multiples of the generator', () => {
  it('encodes 0·B … 15·B by repeated addition and decodes each back', () => {
    const g = native.generator();
    let acc = native.identity();
    vectors.smallMultiplesOfGenerator.encodings.forEach((encoding) => {
      expect(toHex(native.encode(acc))).toBe(encoding);
      const decoded = native.decode(fromHex(encoding));
      expect(decoded).not.toBeNull();
      expect(native.equals(decoded!, acc)).toBe(true);
      expect(toHex(native.encode(decoded!))).toBe(encoding);
      acc = native.add(acc, g);
    });
    expect(vectors.smallMultiplesOfGenerator.encodings).toHaveLength(16);
  });
});

describe('RFC 9496 A.2: invalid encodings', () => {
  it('has all 29 cases', () => {
    expect(vectors.invalidEncodings.cases).toHaveLength(29);
  });

  it.each(vectors.invalidEncodings.cases)('rejects $encoding ($reason)', ({ encoding }) => {
    expect(native.decode(fromHex(encoding))).toBeNull();
    expect(nobleAccepts(fromHex(encoding))).toBe(false);
  });

  it('rejects all of them in one decodeBatch', () => {
    const encodings = concat(vectors.invalidEncodings.cases.map((c) => fromHex(c.encoding)));
    const n = vectors.invalidEncodings.cases.length;
    const ok = new Uint8Array(n).fill(7);
    expect(native.decodeBatch(encodings, new Uint8Array(n * native.POINT_BYTES), ok)).toBe(0);
    expect([...ok]).toEqual(new Array<number>(n).fill(0));
  });
});

describe('RFC 9496 A.3: element derivation', () => {
  it.each(vectors.hashToGroup.cases)('maps SHA-512("$label")', ({ label, sha512, element }) => {
    const digest = new Uint8Array(createHash('sha512').update(label, 'utf8').digest());
    expect(toHex(digest)).toBe(sha512);
    expect(toHex(native.encode(native.fromUniform(digest)))).toBe(element);
  });

  it('agrees with noble on random 64-byte strings (top bits set or not)', () => {
    const bytes = seededBytes('from-uniform');
    for (let i = 0; i < 300; i++) {
      const b = bytes(64);
      if (i % 3 === 0) {
        b[31]! |= 0x80; // the map must ignore the top bit of each half
        b[63]! |= 0x80;
      }
      if (i % 50 === 1) b.fill(0xff); // halves ≥ p are reduced, not rejected
      if (i % 50 === 2) b.fill(0);
      const expected = ristretto255_hasher.deriveToCurve!(b).toBytes();
      expect(toHex(native.encode(native.fromUniform(b)))).toBe(toHex(expected));
    }
  });
});

describe('decode agrees with noble', () => {
  it('on uniformly random 32-byte strings', () => {
    const bytes = seededBytes('decode-random');
    for (let i = 0; i < 1500; i++) expectDecodeAgrees(bytes(32));
  });

  it('on random strings with the top and sign bits cleared (about a quarter valid)', () => {
    const bytes = seededBytes('decode-even');
    let valid = 0;
    for (let i = 0; i < 3000; i++) {
      const b = bytes(32);
      b[31]! &= 0x7f;
      b[0]! &= 0xfe;
      if (expectDecodeAgrees(b)) valid++;
    }
    expect(valid).toBeGreaterThan(300); // both outcomes are well exercised
    expect(valid).toBeLessThan(2700);
  });

  it('on mutations of valid encodings (non-canonical, negative, flipped bits)', () => {
    const bytes = seededBytes('decode-mutations');
    for (let i = 0; i < 300; i++) {
      const valid = native.encode(randomPoint(bytes));
      const s = fromLe(valid);
      expectDecodeAgrees(valid);
      // s + p: the same field element, non-canonical (only when it still fits in 32 bytes)
      if (s + P < 2n ** 256n) expectDecodeAgrees(le32(s + P));
      // p − s: the negative square root
      if (s !== 0n) expectDecodeAgrees(le32(P - s));
      // the top bit set
      const top = valid.slice();
      top[31]! |= 0x80;
      expectDecodeAgrees(top);
      // one random bit flipped
      const flipped = valid.slice();
      const bit = bytes(1)[0]!;
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expectDecodeAgrees(flipped);
    }
  });

  it('on the field boundary: p − 1, p, p + 1, 2^255 − 1, small values', () => {
    for (const s of [0n, 1n, 2n, 4n, P - 1n, P - 2n, P, P + 1n, P + 2n, 2n ** 255n - 1n]) {
      expectDecodeAgrees(le32(s));
    }
  });

  it('on fast-check generated strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (b) => {
        expectDecodeAgrees(b);
      }),
      { numRuns: 500 },
    );
  });
});

describe('encode', () => {
  it('matches noble on computed points (non-trivial Z and T)', () => {
    const bytes = seededBytes('encode-computed');
    for (let i = 0; i < 200; i++) {
      const a = randomPoint(bytes);
      const b = randomPoint(bytes);
      const sum = native.add(a, b);
      expect(toHex(native.encode(sum))).toBe(toHex(toNoble(a).add(toNoble(b)).toBytes()));
    }
  });

  it('is invariant under projective scaling (λX : λY : λZ : λT)', () => {
    const bytes = seededBytes('encode-scaling');
    for (let i = 0; i < 100; i++) {
      const p = randomPoint(bytes);
      const [x, y, z, t] = rawCoordinates(p);
      const lambda = (fromLe(bytes(32)) % (P - 1n)) + 1n;
      const scaled = rawPoint(
        (lambda * x) % P,
        (lambda * y) % P,
        (lambda * z) % P,
        (lambda * t) % P,
      );
      expect(toHex(native.encode(scaled))).toBe(toHex(native.encode(p)));
      expect(native.equals(scaled, p)).toBe(true);
    }
  });

  it('gives every coset representative P + T (T of order dividing 4) the encoding of P', () => {
    const bytes = seededBytes('encode-cosets');
    for (let i = 0; i < 60; i++) {
      const p = randomPoint(bytes);
      const expected = toHex(native.encode(p));
      for (const [x, y, z, t] of TORSION4) {
        const q = native.add(p, rawPoint(x, y, z, t));
        expect(toHex(native.encode(q))).toBe(expected);
        expect(native.equals(q, p)).toBe(true);
        expect(toHex(native.encode(native.neg(q)))).toBe(toHex(native.encode(native.neg(p))));
      }
    }
  });

  it('encodes every representative of the identity as 32 zero bytes', () => {
    for (const [x, y, z, t] of TORSION4) {
      const id = rawPoint(x, y, z, t);
      expect(native.isIdentity(id)).toBe(true);
      expect(toHex(native.encode(id))).toBe('00'.repeat(32));
      expect(native.equals(id, native.identity())).toBe(true);
    }
  });

  it('round-trips decode(encode(P)) for random points', () => {
    const bytes = seededBytes('encode-roundtrip');
    for (let i = 0; i < 300; i++) {
      const p = randomPoint(bytes);
      const e = native.encode(p);
      const q = native.decode(e);
      expect(q).not.toBeNull();
      expect(native.equals(p, q!)).toBe(true);
      expect(toHex(native.encode(q!))).toBe(toHex(e));
    }
  });
});

describe('batch forms', () => {
  it('decodeBatch: a mix of valid and invalid encodings', () => {
    const bytes = seededBytes('decode-batch');
    const encodings: Uint8Array[] = [];
    for (let i = 0; i < 200; i++) {
      if (i % 3 === 0) encodings.push(native.encode(randomPoint(bytes)));
      else if (i % 3 === 1) encodings.push(bytes(32));
      else encodings.push(fromHex(vectors.invalidEncodings.cases[i % 29]!.encoding));
    }
    encodings.push(new Uint8Array(32)); // the identity is valid
    const n = encodings.length;
    const out = new Uint8Array(n * native.POINT_BYTES).fill(0xaa);
    const ok = new Uint8Array(n).fill(0xaa);
    const count = native.decodeBatch(concat(encodings), out, ok);
    let expectedCount = 0;
    encodings.forEach((e, i) => {
      const single = native.decode(e);
      const slot = out.subarray(i * native.POINT_BYTES, (i + 1) * native.POINT_BYTES);
      expect(ok[i]).toBe(single === null ? 0 : 1);
      expect(ok[i]).toBe(nobleAccepts(e) ? 1 : 0);
      if (single === null) {
        expect(native.isIdentity(slot)).toBe(true); // invalid slots hold the identity
      } else {
        expectedCount++;
        expect(toHex(native.encode(slot))).toBe(toHex(e));
      }
    });
    expect(count).toBe(expectedCount);
    expect(count).toBeGreaterThan(60);
  });

  it('decodeBatch and encodeBatch of nothing', () => {
    expect(native.decodeBatch(new Uint8Array(0), new Uint8Array(0), new Uint8Array(0))).toBe(0);
    expect(native.encodeBatch(new Uint8Array(0))).toHaveLength(0);
  });

  it('encodeBatch equals one encode per point', () => {
    const bytes = seededBytes('encode-batch');
    const points = [native.identity(), native.generator()];
    for (let i = 0; i < 100; i++) points.push(native.add(randomPoint(bytes), randomPoint(bytes)));
    const batch = native.encodeBatch(concat(points));
    expect(toHex(batch)).toBe(toHex(concat(points.map((p) => native.encode(p)))));
  });

  it('doubleAndEncodeBatch equals encode(P + P) and noble 2P, identity included', () => {
    const bytes = seededBytes('double-encode');
    const points: Uint8Array[] = [native.identity()];
    for (let i = 0; i < 150; i++) {
      const p = randomPoint(bytes);
      points.push(i % 5 === 0 ? native.add(p, native.generator()) : p);
      if (i === 70) points.push(native.identity(), native.sub(p, p));
      if (i % 10 === 3) {
        const [x, y, z, t] = TORSION4[i % 4]!;
        points.push(native.add(p, rawPoint(x, y, z, t)));
      }
    }
    for (const [x, y, z, t] of TORSION4) points.push(rawPoint(x, y, z, t));
    const out = native.doubleAndEncodeBatch(concat(points));
    expect(out).toHaveLength(32 * points.length);
    points.forEach((p, i) => {
      const got = toHex(out.subarray(32 * i, 32 * i + 32));
      expect(got).toBe(toHex(native.encode(native.add(p, p))));
      expect(got).toBe(toHex(toNoble(p).double().toBytes()));
    });
  });

  it('doubleAndEncodeBatch writes the doubled points when asked, even in place', () => {
    const PB = native.POINT_BYTES;
    const bytes = seededBytes('double-points');
    const points: Uint8Array[] = [native.identity(), native.generator()];
    for (let i = 0; i < 40; i++) points.push(randomPoint(bytes));
    const packed = concat(points);
    const doubled = new Uint8Array(packed.length);
    const out = native.doubleAndEncodeBatch(packed, doubled);
    points.forEach((p, i) => {
      const d = doubled.subarray(PB * i, PB * (i + 1));
      expect(native.equals(d, native.add(p, p))).toBe(true);
      expect(toHex(native.encode(d))).toBe(toHex(out.subarray(32 * i, 32 * i + 32)));
    });
    // The output may be the input itself: every input is read before any write.
    const inPlace = Uint8Array.from(packed);
    const out2 = native.doubleAndEncodeBatch(inPlace, inPlace);
    expect(toHex(out2)).toBe(toHex(out));
    points.forEach((p, i) => {
      expect(native.equals(inPlace.subarray(PB * i, PB * (i + 1)), native.add(p, p))).toBe(true);
    });
  });

  it('doubleAndEncodeBatch of zero and one point', () => {
    expect(native.doubleAndEncodeBatch(new Uint8Array(0))).toHaveLength(0);
    const g = native.generator();
    expect(toHex(native.doubleAndEncodeBatch(g))).toBe(toHex(native.encode(native.add(g, g))));
    expect(toHex(native.doubleAndEncodeBatch(native.identity()))).toBe('00'.repeat(32));
  });
});
