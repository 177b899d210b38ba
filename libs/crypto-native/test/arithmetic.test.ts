// The native kernel's group law and scalar multiplications against
// @noble/curves: add/sub/neg/equals/isIdentity, and mulVartime, mulCT,
// mulTable (generator table and createTable) and doubleMulVartime on random
// and edge-case scalars (any value below 2^256 is reduced mod L), with the
// identity as input everywhere.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EDGE_SCALARS,
  L,
  NoblePoint,
  fromLe,
  fromNoble,
  le32,
  native,
  nobleMul,
  randomPoint,
  seededBytes,
  toHex,
  toNoble,
} from './helpers.js';
import type { NativePoint } from '../index.js';

const G = native.generator();
const ID = native.identity();
const GEN_TABLE = native.generatorTable();

function expectSame(p: NativePoint, q: NoblePoint, what: string): void {
  expect(p).toHaveLength(native.POINT_BYTES);
  expect(toHex(native.encode(p)), what).toBe(q.toHex());
}

describe('group law', () => {
  const bytes = seededBytes('group-law');

  it('add, sub and neg agree with noble on random points', () => {
    for (let i = 0; i < 200; i++) {
      const a = randomPoint(bytes);
      const b = i % 7 === 0 ? a : randomPoint(bytes);
      const na = toNoble(a);
      const nb = toNoble(b);
      expectSame(native.add(a, b), na.add(nb), 'add');
      expectSame(native.sub(a, b), na.subtract(nb), 'sub');
      expectSame(native.neg(a), na.negate(), 'neg');
    }
  });

  it('handles the identity as either operand', () => {
    for (let i = 0; i < 20; i++) {
      const a = randomPoint(bytes);
      const na = toNoble(a);
      expectSame(native.add(a, ID), na, 'a + 0');
      expectSame(native.add(ID, a), na, '0 + a');
      expectSame(native.sub(a, ID), na, 'a − 0');
      expectSame(native.sub(ID, a), na.negate(), '0 − a');
      expect(native.isIdentity(native.sub(a, a))).toBe(true);
      expect(native.isIdentity(native.add(a, native.neg(a)))).toBe(true);
    }
    expect(native.isIdentity(native.add(ID, ID))).toBe(true);
    expect(native.isIdentity(native.neg(ID))).toBe(true);
    expect(native.isIdentity(native.sub(ID, ID))).toBe(true);
  });

  it('equals and isIdentity agree with noble (different representations of one element)', () => {
    for (let i = 0; i < 100; i++) {
      const a = randomPoint(bytes);
      const b = randomPoint(bytes);
      // a + b − b has a different (X:Y:Z:T) from a, but is the same element
      const roundabout = native.sub(native.add(a, b), b);
      expect(native.equals(roundabout, a)).toBe(true);
      expect(native.equals(a, roundabout)).toBe(true);
      expect(native.equals(a, b)).toBe(toNoble(a).equals(toNoble(b)));
      expect(native.equals(a, native.neg(a))).toBe(false);
      expect(native.isIdentity(a)).toBe(false);
      expect(native.equals(a, ID)).toBe(false);
    }
    expect(native.isIdentity(ID)).toBe(true);
    expect(native.isIdentity(G)).toBe(false);
    expect(native.equals(ID, ID)).toBe(true);
    expect(native.equals(G, fromNoble(NoblePoint.BASE))).toBe(true);
    expect(toHex(native.encode(G))).toBe(NoblePoint.BASE.toHex());
  });

  it('is associative and commutative (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 192, maxLength: 192 }), (b) => {
        const [x, y, z] = [0, 64, 128].map((o) => native.fromUniform(b.subarray(o, o + 64))) as [
          NativePoint,
          NativePoint,
          NativePoint,
        ];
        const left = native.add(native.add(x, y), z);
        const right = native.add(x, native.add(z, y));
        expect(native.equals(left, right)).toBe(true);
        expect(toHex(native.encode(left))).toBe(toHex(native.encode(right)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('scalar multiplication', () => {
  const bytes = seededBytes('scalar-mul');
  const ownTable = (p: NativePoint) => native.createTable(p);

  it('all four methods agree with noble on random points and random 256-bit scalars', () => {
    for (let i = 0; i < 60; i++) {
      const p = randomPoint(bytes);
      const np = toNoble(p);
      const table = ownTable(p);
      for (let j = 0; j < 2; j++) {
        const sBytes = bytes(32);
        if (j === 1) sBytes[31]! &= 0x0f; // mostly below L too
        const s = fromLe(sBytes);
        const expected = nobleMul(np, s);
        expectSame(native.mulVartime(p, sBytes), expected, `mulVartime ${s}`);
        expectSame(native.mulCT(p, sBytes), expected, `mulCT ${s}`);
        expectSame(native.mulTable(table, sBytes), expected, `mulTable ${s}`);
      }
    }
  });

  it('generator table and doubleMulVartime agree with noble on random scalars', () => {
    for (let i = 0; i < 80; i++) {
      const aBytes = bytes(32);
      const bBytes = bytes(32);
      const a = fromLe(aBytes);
      const b = fromLe(bBytes);
      expectSame(native.mulTable(GEN_TABLE, bBytes), nobleMul(NoblePoint.BASE, b), 'mulTable(G)');
      const p = randomPoint(bytes);
      const expected = nobleMul(toNoble(p), a).add(nobleMul(NoblePoint.BASE, b));
      expectSame(native.doubleMulVartime(aBytes, p, bBytes), expected, 'doubleMulVartime');
    }
  });

  it('every method on the edge-case scalars, for G, a random point and the identity', () => {
    const p = randomPoint(bytes);
    const bases: [NativePoint, NoblePoint][] = [
      [G, NoblePoint.BASE],
      [p, toNoble(p)],
      [ID, NoblePoint.ZERO],
    ];
    for (const [base, nobleBase] of bases) {
      const table = ownTable(base);
      for (const s of EDGE_SCALARS) {
        const sBytes = le32(s);
        const expected = nobleMul(nobleBase, s);
        expectSame(native.mulVartime(base, sBytes), expected, `mulVartime ${s}`);
        expectSame(native.mulCT(base, sBytes), expected, `mulCT ${s}`);
        expectSame(native.mulTable(table, sBytes), expected, `mulTable ${s}`);
        // the other scalar random, then both edge cases together
        const r = bytes(32);
        const withG = nobleMul(NoblePoint.BASE, fromLe(r));
        expectSame(native.doubleMulVartime(sBytes, base, r), expected.add(withG), 'a edge');
        expectSame(
          native.doubleMulVartime(r, base, sBytes),
          nobleMul(nobleBase, fromLe(r)).add(nobleMul(NoblePoint.BASE, s)),
          'b edge',
        );
        expectSame(
          native.doubleMulVartime(sBytes, base, sBytes),
          expected.add(nobleMul(NoblePoint.BASE, s)),
          'both edge',
        );
      }
    }
    for (const s of EDGE_SCALARS) {
      expectSame(native.mulTable(GEN_TABLE, le32(s)), nobleMul(NoblePoint.BASE, s), `G·${s}`);
    }
  });

  it('small multiples equal repeated addition (all digits, both signs)', () => {
    const p = randomPoint(bytes);
    const table = ownTable(p);
    let acc = ID;
    for (let k = 0n; k < 300n; k++) {
      const s = le32(k);
      const expected = toHex(native.encode(acc));
      expect(toHex(native.encode(native.mulVartime(p, s)))).toBe(expected);
      expect(toHex(native.encode(native.mulCT(p, s)))).toBe(expected);
      expect(toHex(native.encode(native.mulTable(table, s)))).toBe(expected);
      // (L − k)·P = −k·P
      const minus = le32(L - k);
      const negated = toHex(native.encode(native.neg(acc)));
      expect(toHex(native.encode(native.mulCT(p, minus)))).toBe(negated);
      expect(toHex(native.encode(native.mulVartime(p, minus)))).toBe(negated);
      acc = native.add(acc, p);
    }
  });

  it('the methods agree with each other on many random scalars (linearity too)', () => {
    const p = randomPoint(bytes);
    const table = ownTable(p);
    for (let i = 0; i < 1000; i++) {
      const sBytes = bytes(32);
      const tBytes = bytes(32);
      const ct = native.mulCT(p, sBytes);
      expect(native.equals(native.mulVartime(p, sBytes), ct)).toBe(true);
      expect(native.equals(native.mulTable(table, sBytes), ct)).toBe(true);
      expect(native.equals(native.mulTable(GEN_TABLE, sBytes), native.mulCT(G, sBytes))).toBe(true);
      // (s + t)·P = s·P + t·P, with s + t reduced in bigint arithmetic
      const sum = le32((fromLe(sBytes) + fromLe(tBytes)) % L);
      expect(native.equals(native.mulCT(p, sum), native.add(ct, native.mulCT(p, tBytes)))).toBe(
        true,
      );
      expect(
        native.equals(
          native.doubleMulVartime(sBytes, p, tBytes),
          native.add(ct, native.mulTable(GEN_TABLE, tBytes)),
        ),
      ).toBe(true);
    }
  });

  it('createTable of the generator equals generatorTable, and tables are fresh buffers', () => {
    expect(toHex(native.createTable(G))).toBe(toHex(GEN_TABLE));
    const t1 = native.generatorTable();
    const t2 = native.generatorTable();
    expect(t1).not.toBe(t2);
    t1.fill(0);
    expect(toHex(native.generatorTable())).toBe(toHex(GEN_TABLE));
  });

  it('fast-check: mulCT and mulVartime agree with noble on the generator', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (s) => {
        const expected = nobleMul(NoblePoint.BASE, s);
        expectSame(native.mulCT(G, le32(s)), expected, `mulCT ${s}`);
        expectSame(native.mulVartime(G, le32(s)), expected, `mulVartime ${s}`);
      }),
      { numRuns: 100 },
    );
  });
});

describe('mulTableSmall (scalars below a public bound)', () => {
  const bytes = seededBytes('mul-table-small');

  it('equals mulTable for every scalar below 2^bits, at every bound', () => {
    const p = randomPoint(bytes);
    const table = native.createTable(p);
    for (const bits of [1, 2, 3, 4, 5, 7, 8, 9, 24, 32, 63, 64, 248]) {
      const bound = 2n ** BigInt(bits);
      const samples = [0n, 1n, bound - 1n, bound / 2n, bound / 2n - 1n, (bound * 15n) / 16n];
      for (let i = 0; i < 8; i++) samples.push(fromLe(bytes(32)) % bound);
      for (const s of samples) {
        if (s < 0n || s >= bound) continue;
        // Compare encodings: the internal coordinates are projective.
        const enc = (q: NativePoint): string => toHex(native.encode(q));
        const expected = native.mulTable(table, le32(s));
        expect(enc(native.mulTableSmall(table, le32(s), bits)), `bits ${bits}, s ${s}`).toBe(
          enc(expected),
        );
        expect(enc(native.mulTableSmall(GEN_TABLE, le32(s), bits))).toBe(
          enc(native.mulTable(GEN_TABLE, le32(s))),
        );
      }
    }
  });

  it('agrees with noble for votes 0 and 1 on the generator', () => {
    for (const s of [0n, 1n]) {
      expectSame(
        native.mulTableSmall(GEN_TABLE, le32(s), 1),
        nobleMul(NoblePoint.BASE, s),
        `G·${s}`,
      );
    }
  });

  it('refuses a scalar at or above the bound, and a bad bound', () => {
    expect(() => native.mulTableSmall(GEN_TABLE, le32(2n), 1)).toThrow(RangeError);
    expect(() => native.mulTableSmall(GEN_TABLE, le32(2n ** 24n), 24)).toThrow(RangeError);
    expect(() => native.mulTableSmall(GEN_TABLE, le32(L - 1n), 248)).toThrow(RangeError);
    expect(() => native.mulTableSmall(GEN_TABLE, le32(1n), 0)).toThrow(RangeError);
    expect(() => native.mulTableSmall(GEN_TABLE, le32(1n), 249)).toThrow(RangeError);
    expect(() => native.mulTableSmall(GEN_TABLE, le32(1n), Number.NaN)).toThrow();
  });
});
