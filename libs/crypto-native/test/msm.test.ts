// The native kernel's variable-time multi-scalar multiplication against
// @noble/curves' pippenger, for sizes on both sides of the Straus/Pippenger
// switch, with zero scalars, scalars ≥ L, identity and repeated points; and,
// for sizes too large for noble, against Σ s_i·r_i computed in the exponent.
import { pippenger } from '@noble/curves/abstract/curve.js';
import { describe, expect, it } from 'vitest';
import {
  EDGE_SCALARS,
  L,
  NoblePoint,
  concat,
  fromLe,
  le32,
  native,
  randomPoint,
  seededBytes,
  toHex,
  toNoble,
} from './helpers.js';
import type { NativePoint } from '../index.js';

interface Terms {
  scalars: Uint8Array[];
  points: NativePoint[];
}

function randomTerms(n: number, seed: string): Terms {
  const bytes = seededBytes(seed);
  const scalars: Uint8Array[] = [];
  const points: NativePoint[] = [];
  for (let i = 0; i < n; i++) {
    // mostly uniform 256-bit scalars; some edge cases, zeros, identities and repeats
    const kind = i % 13;
    if (kind === 5) scalars.push(le32(EDGE_SCALARS[i % EDGE_SCALARS.length]!));
    else if (kind === 9) scalars.push(new Uint8Array(32));
    else scalars.push(bytes(32));
    if (kind === 7) points.push(native.identity());
    else if (kind === 11 && i > 0) points.push(points[i - 1]!);
    else points.push(randomPoint(bytes));
  }
  return { scalars, points };
}

function nobleMsm({ scalars, points }: Terms): string {
  if (points.length === 0) return NoblePoint.ZERO.toHex();
  return pippenger(
    NoblePoint,
    points.map((p) => toNoble(p)),
    scalars.map((s) => fromLe(s) % L),
  ).toHex();
}

function nativeMsm({ scalars, points }: Terms): string {
  return toHex(native.encode(native.msmVartime(concat(scalars), concat(points))));
}

describe('msmVartime', () => {
  it.each([0, 1, 2, 3, 7, 8, 31, 64, 189, 190, 257, 2000])(
    'agrees with noble pippenger for n = %i',
    (n) => {
      const terms = randomTerms(n, `msm-${n}`);
      expect(nativeMsm(terms)).toBe(nobleMsm(terms));
    },
  );

  it('handles all-identity points, all-zero scalars and all-(L−1) scalars', () => {
    for (const n of [1, 5, 150, 300]) {
      const { scalars, points } = randomTerms(n, `msm-special-${n}`);
      const ids = points.map(() => native.identity());
      expect(native.isIdentity(native.msmVartime(concat(scalars), concat(ids)))).toBe(true);
      const zeros = scalars.map(() => new Uint8Array(32));
      expect(native.isIdentity(native.msmVartime(concat(zeros), concat(points)))).toBe(true);
      const minusOne = scalars.map(() => le32(L - 1n));
      // Σ (L−1)·P_i = −Σ P_i
      let sum = native.identity();
      for (const p of points) sum = native.add(sum, p);
      expect(
        native.equals(native.msmVartime(concat(minusOne), concat(points)), native.neg(sum)),
      ).toBe(true);
    }
  });

  it('is exact for every edge-case scalar on a single point', () => {
    const p = randomPoint(seededBytes('msm-edge'));
    for (const s of EDGE_SCALARS) {
      for (const copies of [1, 200]) {
        const scalars = concat(new Array<Uint8Array>(copies).fill(le32(s)));
        const points = concat(new Array<Uint8Array>(copies).fill(p));
        const expected = native.mulVartime(p, le32((BigInt(copies) * s) % L));
        expect(native.equals(native.msmVartime(scalars, points), expected)).toBe(true);
      }
    }
  });

  it.each([3000, 20000])(
    'is exact for n = %i (large windows), checked in the exponent: Σ s_i·(r_i·G) = (Σ s_i·r_i)·G',
    (n) => {
      const bytes = seededBytes(`msm-large-${n}`);
      const table = native.generatorTable();
      const scalars: Uint8Array[] = [];
      const points: NativePoint[] = [];
      let exponent = 0n;
      for (let i = 0; i < n; i++) {
        const r = bytes(32);
        const s = bytes(32);
        scalars.push(s);
        points.push(native.mulTable(table, r));
        exponent = (exponent + fromLe(s) * fromLe(r)) % L;
      }
      const got = native.msmVartime(concat(scalars), concat(points));
      expect(native.equals(got, native.mulTable(table, le32(exponent)))).toBe(true);
      // and one wrong term changes the result
      scalars[n >> 1] = le32((fromLe(scalars[n >> 1]!) + 1n) % L);
      const wrong = native.msmVartime(concat(scalars), concat(points));
      expect(native.equals(wrong, got)).toBe(false);
    },
  );
});
