// Threshold decryption (spec §6.5): Lagrange coefficients, decryption shares
// with Chaum-Pedersen proofs, combination by any k trustees (and refusal with
// fewer), tamper detection located in a batch, the identity-α case of an empty
// tally, and hostile JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GroupElement,
  Scalar,
  ZERO_CIPHERTEXT,
  batchVerifyDecryptionShares,
  combineDecryptionShares,
  createDecryptionShare,
  createSeededRng,
  decodeDecryptionShare,
  decryptWithShares,
  encodeDecryptionShare,
  encrypt,
  encryptRandom,
  lagrangeCoefficient,
  lagrangeCoefficients,
  needsDecryptionShares,
  runLocalCeremony,
  unwrap,
  verifyDecryptionShare,
  type Ciphertext,
  type DecryptionShare,
  type DecryptionShareItem,
  type LocalCeremony,
  type ProofContext,
} from '../src/index.js';
import { evaluatePolynomial } from '../src/polynomial.js';
import {
  ELECTION_HASH,
  OTHER_ELECTION_HASH,
  arbRng,
  arbScalar,
  bump,
  bumpElement,
} from './helpers.js';

function errorOf(r: { ok: boolean; error?: { code: string; where: string } }): string {
  return r.ok ? 'ok' : `${r.error?.code ?? '?'} @ ${r.error?.where ?? '?'}`;
}

function codeOf(r: { ok: boolean; error?: { code: string } }): string {
  return r.ok ? 'ok' : (r.error?.code ?? '?');
}

const TALLY: ProofContext = {
  electionHash: ELECTION_HASH,
  label: ['tally', 'mesa-0001', 'card-7'],
};

/** All subsets of `items` of size `size`. */
function subsets<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  if (items.length < size) return [];
  const [first, ...rest] = items as [T, ...T[]];
  return [...subsets(rest, size - 1).map((s) => [first, ...s]), ...subsets(rest, size)];
}

/** Each trustee's share of one ciphertext, indexed by trustee − 1. */
function sharesFor(
  ceremony: LocalCeremony,
  ciphertext: Ciphertext,
  rng = createSeededRng('shares'),
  present?: readonly number[],
): DecryptionShare[] {
  const outcomes = ceremony.outcomes.filter((o) => present?.includes(o.index) ?? true);
  return outcomes.map((o) =>
    unwrap(
      createDecryptionShare(
        TALLY,
        o.index,
        o.secretShare,
        ceremony.jointKey.verificationKeys[o.index - 1]!,
        ciphertext,
        rng,
      ),
    ),
  );
}

function itemsFor(
  ceremony: LocalCeremony,
  ciphertext: Ciphertext,
  shares: readonly DecryptionShare[],
): DecryptionShareItem[] {
  return shares.map((share) => ({
    context: TALLY,
    verificationKey: ceremony.jointKey.verificationKeys[share.trustee - 1]!,
    ciphertext,
    share,
  }));
}

// One 3-of-5 ceremony for the example-based tests.
const PARAMS = { electionHash: ELECTION_HASH, trustees: 5, quorum: 3 };
const CEREMONY = runLocalCeremony(PARAMS, createSeededRng('threshold-ceremony'));

describe('Lagrange coefficients', () => {
  it('has the textbook values and rejects bad index sets', () => {
    const minusOne = Scalar.ONE.negate();
    expect(unwrap(lagrangeCoefficient(1, [1, 2])).equals(Scalar.fromInt(2))).toBe(true);
    expect(unwrap(lagrangeCoefficient(2, [1, 2])).equals(minusOne)).toBe(true);
    expect(unwrap(lagrangeCoefficient(2, [3, 1, 2])).equals(Scalar.fromInt(-3))).toBe(true);
    expect(unwrap(lagrangeCoefficient(4, [4])).equals(Scalar.ONE)).toBe(true);
    // 1·(1/2)… : w_3 for {1, 3} is 1/(1 − 3) = −1/2.
    expect(unwrap(lagrangeCoefficient(3, [1, 3])).equals(Scalar.fromInt(2).invert().negate())).toBe(
      true,
    );

    const cases: [number, number[], number | undefined, string][] = [
      [1, [1, 2, 1], undefined, 'INVALID_ARGUMENT @ indices[2]'],
      [3, [1, 2], undefined, 'INVALID_ARGUMENT @ index'],
      [0, [0, 1], undefined, 'INVALID_ARGUMENT @ indices[0]'],
      [1, [1, 256], undefined, 'INVALID_ARGUMENT @ indices[1]'],
      [1, [1, 6], 5, 'INVALID_ARGUMENT @ indices[1]'],
      [1, [1, 2.5], undefined, 'INVALID_ARGUMENT @ indices[1]'],
      [1, [1, -2], undefined, 'INVALID_ARGUMENT @ indices[1]'],
    ];
    for (const [index, set, n, expected] of cases) {
      expect(errorOf(lagrangeCoefficient(index, set, n))).toBe(expected);
    }
    expect(codeOf(lagrangeCoefficients([2, 2]))).toBe('INVALID_ARGUMENT');
  });

  it('interpolates P(0) from any |S| points of a polynomial of degree < |S|, and not beyond', () => {
    fc.assert(
      fc.property(
        fc.array(arbScalar, { minLength: 1, maxLength: 6 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { minLength: 6, maxLength: 6 }),
        (coefficients, indices) => {
          const set = indices.slice(0, coefficients.length);
          const ws = unwrap(lagrangeCoefficients(set));
          const at0 = set.reduce(
            (acc, l) => acc.add(ws.get(l)!.multiply(evaluatePolynomial(coefficients, l))),
            Scalar.ZERO,
          );
          expect(at0.equals(coefficients[0]!)).toBe(true);
          for (const l of set)
            expect(unwrap(lagrangeCoefficient(l, set)).equals(ws.get(l)!)).toBe(true);
          // One point too few (degree |S| − 1 ≥ 1): the result is wrong.
          if (set.length >= 2) {
            const fewer = set.slice(1);
            const wf = unwrap(lagrangeCoefficients(fewer));
            const wrong = fewer.reduce(
              (acc, l) => acc.add(wf.get(l)!.multiply(evaluatePolynomial(coefficients, l))),
              Scalar.ZERO,
            );
            expect(wrong.equals(coefficients[0]!)).toBe(false);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('computes each set once (order does not matter)', () => {
    const a = unwrap(lagrangeCoefficients([5, 1, 3]));
    const b = unwrap(lagrangeCoefficients([1, 3, 5]));
    expect(a).toBe(b);
    expect([...a.keys()]).toEqual([1, 3, 5]);
  });
});

describe('threshold decryption', () => {
  it('any k of n trustees decrypt a random count; all k-subsets agree; k − 1 cannot', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }))),
        fc.integer({ min: 0, max: 1000 }),
        arbRng,
        ([n, k], m, rng) => {
          const ceremony = runLocalCeremony(
            { electionHash: ELECTION_HASH, trustees: n, quorum: k },
            rng,
          );
          const { ciphertext } = encryptRandom(ceremony.jointKey.publicKey, Scalar.fromInt(m), rng);
          const shares = sharesFor(ceremony, ciphertext, rng);
          expect(batchVerifyDecryptionShares(itemsFor(ceremony, ciphertext, shares)).ok).toBe(true);

          const mG = GroupElement.multiplyGenerator(Scalar.fromInt(m));
          for (const subset of subsets(shares, k)) {
            expect(unwrap(combineDecryptionShares(ciphertext, subset, k)).equals(mG)).toBe(true);
            expect(unwrap(decryptWithShares(ciphertext, subset, k))).toBe(m);
          }
          // More than k shares: interpolation over the larger set gives the same point.
          expect(unwrap(combineDecryptionShares(ciphertext, shares, k)).equals(mG)).toBe(true);

          if (k >= 2) {
            for (const subset of subsets(shares, k - 1)) {
              expect(errorOf(combineDecryptionShares(ciphertext, subset, k))).toBe(
                'DECRYPTION_QUORUM @ shares',
              );
              // Forcing the interpolation over k − 1 trustees gives a wrong point.
              const forced = unwrap(combineDecryptionShares(ciphertext, subset, k - 1));
              expect(forced.equals(mG)).toBe(false);
            }
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  it('decrypts 38 party cards with trustees {1, 3, 5} and a batch of 114 shares', () => {
    const rng = createSeededRng('38-cards');
    const counts = Array.from({ length: 38 }, (_, i) => (i * 97) % 601);
    const cts = counts.map(
      (m) => encryptRandom(CEREMONY.jointKey.publicKey, Scalar.fromInt(m), rng).ciphertext,
    );
    const present = [1, 3, 5];
    const perCard = cts.map((c) => sharesFor(CEREMONY, c, rng, present));
    const items = cts.flatMap((c, i) => itemsFor(CEREMONY, c, perCard[i]!));
    expect(batchVerifyDecryptionShares(items)).toMatchObject({
      ok: true,
      checked: 114,
      fellBack: false,
    });
    expect(cts.map((c, i) => unwrap(decryptWithShares(c, perCard[i]!, 3)))).toEqual(counts);
  });

  it('rejects a tampered share (M or any proof field) and locates it in a batch', () => {
    const rng = createSeededRng('tamper');
    const { ciphertext } = encryptRandom(CEREMONY.jointKey.publicKey, Scalar.fromInt(42), rng);
    const shares = sharesFor(CEREMONY, ciphertext, rng);
    const good = shares[1]!;
    const v2 = CEREMONY.jointKey.verificationKeys[1]!;
    expect(verifyDecryptionShare(TALLY, v2, ciphertext, good).ok).toBe(true);
    const p = good.proof;
    const tampered: [string, DecryptionShare][] = [
      ['share', { ...good, share: bumpElement(good.share) }],
      ['commitmentG', { ...good, proof: { ...p, commitmentG: bumpElement(p.commitmentG) } }],
      ['commitmentH', { ...good, proof: { ...p, commitmentH: bumpElement(p.commitmentH) } }],
      ['challenge', { ...good, proof: { ...p, challenge: bump(p.challenge) } }],
      ['response', { ...good, proof: { ...p, response: bump(p.response) } }],
      ['trustee', { ...good, trustee: 3 }],
    ];
    for (const [, bad] of tampered) {
      expect(errorOf(verifyDecryptionShare(TALLY, v2, ciphertext, bad, 'share[2]'))).toBe(
        'DECRYPTION_SHARE_PROOF @ share[2].proof',
      );
      const items = itemsFor(CEREMONY, ciphertext, shares);
      // Keep V_2 for the tampered item: the statement is trustee 2's.
      items[1] = { ...items[1]!, share: bad };
      const out = batchVerifyDecryptionShares(items);
      expect(out.ok).toBe(false);
      expect(out.failures.map((f) => [f.index, f.error.code, f.error.where])).toEqual([
        [1, 'DECRYPTION_SHARE_PROOF', 'decryptionShares[1].proof'],
      ]);
    }
    // A wrong verification key, another ciphertext, another election or label.
    const v3 = CEREMONY.jointKey.verificationKeys[2]!;
    const other = encryptRandom(CEREMONY.jointKey.publicKey, Scalar.fromInt(42), rng).ciphertext;
    expect(codeOf(verifyDecryptionShare(TALLY, v3, ciphertext, good))).toBe(
      'DECRYPTION_SHARE_PROOF',
    );
    expect(codeOf(verifyDecryptionShare(TALLY, v2, other, good))).toBe('DECRYPTION_SHARE_PROOF');
    expect(
      codeOf(
        verifyDecryptionShare(
          { ...TALLY, electionHash: OTHER_ELECTION_HASH },
          v2,
          ciphertext,
          good,
        ),
      ),
    ).toBe('DECRYPTION_SHARE_PROOF');
    expect(
      codeOf(
        verifyDecryptionShare({ ...TALLY, label: ['tally', 'mesa-0002'] }, v2, ciphertext, good),
      ),
    ).toBe('DECRYPTION_SHARE_PROOF');
    // Two bad items in a larger batch are both found.
    const items = itemsFor(CEREMONY, ciphertext, shares);
    items[0] = { ...items[0]!, share: { ...shares[0]!, share: bumpElement(shares[0]!.share) } };
    items[4] = {
      ...items[4]!,
      share: {
        ...shares[4]!,
        proof: { ...shares[4]!.proof, challenge: bump(shares[4]!.proof.challenge) },
      },
    };
    expect(batchVerifyDecryptionShares(items).failures.map((f) => f.index)).toEqual([0, 4]);
  });

  it('a wrong but unverified share makes the combination wrong (combine is arithmetic only)', () => {
    const rng = createSeededRng('unverified');
    const { ciphertext } = encryptRandom(CEREMONY.jointKey.publicKey, Scalar.fromInt(7), rng);
    const shares = sharesFor(CEREMONY, ciphertext, rng).slice(0, 3);
    shares[0] = { ...shares[0]!, share: bumpElement(shares[0]!.share) };
    expect(
      unwrap(combineDecryptionShares(ciphertext, shares, 3)).equals(
        GroupElement.multiplyGenerator(Scalar.fromInt(7)),
      ),
    ).toBe(false);
  });

  it('treats α = identity (an empty tally) as needing no shares', () => {
    const vk = CEREMONY.jointKey.verificationKeys[0]!;
    const s1 = CEREMONY.outcomes[0]!.secretShare;
    expect(needsDecryptionShares(ZERO_CIPHERTEXT)).toBe(false);
    expect(errorOf(createDecryptionShare(TALLY, 1, s1, vk, ZERO_CIPHERTEXT))).toBe(
      'IDENTITY_ELEMENT @ ciphertext.alpha',
    );
    expect(unwrap(combineDecryptionShares(ZERO_CIPHERTEXT, [], 3)).isIdentity()).toBe(true);
    expect(unwrap(decryptWithShares(ZERO_CIPHERTEXT, [], 3))).toBe(0);
    // A nonce-0 "encryption" is public: β is its plaintext image.
    const open = encrypt(CEREMONY.jointKey.publicKey, Scalar.fromInt(5), Scalar.ZERO);
    expect(open.alpha.isIdentity()).toBe(true);
    expect(unwrap(decryptWithShares(open, [], 3))).toBe(5);
    // A share made for a real ciphertext does not verify against an identity α.
    const real = encryptRandom(
      CEREMONY.jointKey.publicKey,
      Scalar.ONE,
      createSeededRng('x'),
    ).ciphertext;
    const share = unwrap(createDecryptionShare(TALLY, 1, s1, vk, real));
    expect(errorOf(verifyDecryptionShare(TALLY, vk, ZERO_CIPHERTEXT, share))).toBe(
      'IDENTITY_ELEMENT @ decryptionShare.ciphertext.alpha',
    );
    expect(needsDecryptionShares(real)).toBe(true);
  });

  it('rejects duplicate or out-of-range trustees and a bad quorum', () => {
    const rng = createSeededRng('dups');
    const { ciphertext } = encryptRandom(CEREMONY.jointKey.publicKey, Scalar.fromInt(3), rng);
    const shares = sharesFor(CEREMONY, ciphertext, rng);
    expect(
      errorOf(combineDecryptionShares(ciphertext, [shares[0]!, shares[1]!, shares[0]!], 3)),
    ).toBe('INVALID_ARGUMENT @ shares[2].trustee');
    expect(
      errorOf(
        combineDecryptionShares(ciphertext, [shares[0]!, shares[1]!, shares[1]!, shares[2]!], 3),
      ),
    ).toBe('INVALID_ARGUMENT @ shares[2].trustee');
    expect(errorOf(combineDecryptionShares(ciphertext, [{ ...shares[0]!, trustee: 0 }], 1))).toBe(
      'INVALID_ARGUMENT @ shares[0].trustee',
    );
    expect(errorOf(combineDecryptionShares(ciphertext, [], 3))).toBe('DECRYPTION_QUORUM @ shares');
    expect(() => combineDecryptionShares(ciphertext, shares, 0)).toThrow(RangeError);
    expect(() => combineDecryptionShares(ciphertext, shares, 256)).toThrow(RangeError);
    expect(() =>
      createDecryptionShare(TALLY, 0, Scalar.ONE, GroupElement.GENERATOR, ciphertext),
    ).toThrow(RangeError);
    // A plaintext beyond the bound is reported, not looped on.
    expect(codeOf(decryptWithShares(ciphertext, shares.slice(0, 3), 3, 2))).toBe(
      'DLOG_OUT_OF_RANGE',
    );
    expect(unwrap(decryptWithShares(ciphertext, shares.slice(0, 3), 3, 3))).toBe(3);
  });

  it('round-trips decryption shares through JSON and rejects hostile JSON', () => {
    const rng = createSeededRng('share-json');
    const { ciphertext } = encryptRandom(CEREMONY.jointKey.publicKey, Scalar.fromInt(11), rng);
    const share = sharesFor(CEREMONY, ciphertext, rng)[3]!;
    const json = encodeDecryptionShare(share);
    const back = unwrap(decodeDecryptionShare(JSON.parse(JSON.stringify(json))));
    expect(
      verifyDecryptionShare(TALLY, CEREMONY.jointKey.verificationKeys[3]!, ciphertext, back).ok,
    ).toBe(true);
    expect(encodeDecryptionShare(back)).toEqual(json);
    const cases: [unknown, string][] = [
      [undefined, 'MALFORMED @ decryptionShare'],
      [{ ...json, extra: 1 }, 'MALFORMED @ decryptionShare'],
      [{ ...json, trustee: 0 }, 'MALFORMED @ decryptionShare'],
      [{ ...json, trustee: '4' }, 'MALFORMED @ decryptionShare'],
      [{ ...json, proof: 'x' }, 'MALFORMED @ decryptionShare'],
      [{ ...json, share: '00'.repeat(32) }, 'IDENTITY_ELEMENT @ decryptionShare.share'],
      [{ ...json, share: 'ff'.repeat(32) }, 'INVALID_ELEMENT @ decryptionShare.share'],
      [{ ...json, share: json.share.slice(1) }, 'INVALID_LENGTH @ decryptionShare.share'],
      [
        { ...json, proof: { ...json.proof, commitmentH: '00'.repeat(32) } },
        'IDENTITY_ELEMENT @ decryptionShare.proof.commitmentH',
      ],
      [
        { ...json, proof: { ...json.proof, challenge: 'ff'.repeat(32) } },
        'NON_CANONICAL_SCALAR @ decryptionShare.proof.challenge',
      ],
      [{ ...json, proof: { ...json.proof, extra: '' } }, 'MALFORMED @ decryptionShare.proof'],
    ];
    for (const [input, expected] of cases)
      expect(errorOf(decodeDecryptionShare(input))).toBe(expected);
  });
});
