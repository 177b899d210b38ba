import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHex, sha256 } from '@acta/crypto';
import {
  combineSeedCeremony,
  commitSeedContribution,
  type SeedCeremony,
} from '../src/seed-ceremony.js';

const N1 = '11'.repeat(32);
const N2 = '22'.repeat(32);
const N3 = '33'.repeat(32);

function ceremonyOf(parts: readonly (readonly [string, string, string])[]): SeedCeremony {
  return {
    commitments: parts.map(([observer, digits, nonce]) => ({
      observer,
      commitment: commitSeedContribution(observer, digits, nonce),
    })),
    reveals: parts.map(([observer, digits, nonce]) => ({ observer, digits, nonce })),
  };
}

function codesOf(c: SeedCeremony): string[] {
  const r = combineSeedCeremony(c);
  if (r.ok) throw new Error('accepted');
  return r.error.map((p) => `${p.code} ${p.where}`);
}

describe('commitSeedContribution', () => {
  it('is SHA-256 of the tag, observer, digits and nonce, NUL-separated', () => {
    const expected = encodeHex(
      sha256(new TextEncoder().encode(`ACTA_AUDIT_SEED_COMMIT_V1\u0000Ana\u000012345\u0000${N1}`)),
    );
    expect(commitSeedContribution('Ana', '12345', N1)).toBe(expected);
  });

  it('binds every field (no two contributions share a commitment)', () => {
    const base = commitSeedContribution('Ana', '12345', N1);
    expect(commitSeedContribution('Ana', '12346', N1)).not.toBe(base);
    expect(commitSeedContribution('Ana', '12345', N2)).not.toBe(base);
    expect(commitSeedContribution('Ane', '12345', N1)).not.toBe(base);
    // The separator keeps "Ana"+"1" and "Ana1"+"" apart.
    expect(() => commitSeedContribution('Ana1', '', N1)).toThrow(RangeError);
  });

  it('refuses malformed contributions', () => {
    expect(() => commitSeedContribution('', '1', N1)).toThrow(RangeError);
    expect(() => commitSeedContribution('A', '12a', N1)).toThrow(RangeError);
    expect(() => commitSeedContribution('A', '12', 'AB'.repeat(32))).toThrow(RangeError);
  });
});

describe('combineSeedCeremony', () => {
  it('joins the digits in the order the commitments were published', () => {
    const c = ceremonyOf([
      ['party A', '0123456789', N1],
      ['party B', '9876543210', N2],
      ['observers', '5555', N3],
    ]);
    // Reveals may come in any order.
    const r = combineSeedCeremony({ ...c, reveals: [...c.reveals].reverse() });
    expect(r).toEqual({
      ok: true,
      value: { seed: '012345678998765432105555', observers: ['party A', 'party B', 'observers'] },
    });
  });

  it('catches a contribution changed after committing', () => {
    const c = ceremonyOf([
      ['A', '01234567890123456789', N1],
      ['B', '11111111111111111111', N2],
    ]);
    const changed = {
      ...c,
      reveals: [c.reveals[0]!, { ...c.reveals[1]!, digits: '11111111111111111112' }],
    };
    expect(codesOf(changed)).toEqual(['SEED_REVEAL_MISMATCH ceremony: reveals[1]']);
  });

  it('any single changed digit of any reveal is caught (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[0-9]{1,30}$/), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.nat(),
        (digitsList, who, pos) => {
          const parts = digitsList.map(
            (d, i) =>
              [`obs${i}`, d.padEnd(20, '7'), encodeHex(sha256(new Uint8Array([i])))] as const,
          );
          const c = ceremonyOf(parts);
          const i = who % parts.length;
          const r = c.reveals[i]!;
          const p = pos % r.digits.length;
          const flipped = String((Number(r.digits[p]) + 1) % 10);
          const digits = r.digits.slice(0, p) + flipped + r.digits.slice(p + 1);
          const bad = { ...c, reveals: c.reveals.map((x, j) => (j === i ? { ...x, digits } : x)) };
          expect(codesOf(bad)).toEqual([`SEED_REVEAL_MISMATCH ceremony: reveals[${i}]`]);
          expect(combineSeedCeremony(c).ok).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('names missing, unknown, duplicate and malformed entries, all at once', () => {
    const c = ceremonyOf([
      ['A', '01234567890123456789', N1],
      ['B', '11111111111111111111', N2],
    ]);
    expect(codesOf({ ...c, reveals: [c.reveals[0]!] })).toEqual([
      'SEED_REVEAL_MISSING ceremony: commitments[1]',
    ]);
    expect(
      codesOf({
        commitments: [...c.commitments, c.commitments[0]!, { observer: 'C', commitment: 'xyz' }],
        reveals: [
          ...c.reveals,
          { observer: 'Z', digits: '1', nonce: N3 },
          { observer: 'C', digits: '1x', nonce: N3 },
        ],
      }),
    ).toEqual([
      'SEED_DUPLICATE_OBSERVER ceremony: commitments[2]',
      'SEED_CEREMONY_MALFORMED ceremony: commitments[3]',
      'SEED_REVEAL_UNKNOWN ceremony: reveals[2]',
      'SEED_CEREMONY_MALFORMED ceremony: reveals[3]',
      'SEED_REVEAL_MISSING ceremony: commitments[3]',
    ]);
    expect(codesOf({ commitments: [], reveals: [] })).toEqual(['SEED_NO_OBSERVERS ceremony']);
  });

  it('needs at least 20 digits in all', () => {
    expect(codesOf(ceremonyOf([['A', '1234567890123456789', N1]]))).toEqual([
      'SEED_TOO_SHORT ceremony',
    ]);
    expect(combineSeedCeremony(ceremonyOf([['A', '12345678901234567890', N1]])).ok).toBe(true);
  });
});
