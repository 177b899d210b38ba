// Schnorr proof of knowledge (spec §5.1): completeness, soundness against
// tampering of every field, binding to the election and label, batch
// verification with failure location, and decoding of hostile JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GroupElement,
  Scalar,
  batchVerifySchnorr,
  createSeededRng,
  decodeSchnorrProof,
  encodeSchnorrProof,
  proveSchnorr,
  unwrap,
  verifySchnorr,
  type SchnorrItem,
  type SchnorrProof,
} from '../src/index.js';
import {
  CONTEXT,
  OTHER_ELECTION_HASH,
  arbRng,
  arbScalar,
  bump,
  bumpElement,
  errorCode,
} from './helpers.js';

describe('Schnorr proof', () => {
  it('verifies when honest', () => {
    fc.assert(
      fc.property(arbScalar, arbRng, (s, rng) => {
        const X = GroupElement.multiplyGenerator(s);
        const proof = proveSchnorr(CONTEXT, s, X, rng);
        expect(verifySchnorr(CONTEXT, X, proof).ok).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('fails when any single field or the statement is changed', () => {
    fc.assert(
      fc.property(arbScalar, arbRng, (s, rng) => {
        const X = GroupElement.multiplyGenerator(s);
        const p = proveSchnorr(CONTEXT, s, X, rng);
        const tampered: [string, () => { ok: boolean }][] = [
          [
            'commitment',
            () => verifySchnorr(CONTEXT, X, { ...p, commitment: bumpElement(p.commitment) }),
          ],
          ['challenge', () => verifySchnorr(CONTEXT, X, { ...p, challenge: bump(p.challenge) })],
          ['response', () => verifySchnorr(CONTEXT, X, { ...p, response: bump(p.response) })],
          ['public key', () => verifySchnorr(CONTEXT, bumpElement(X), p)],
          [
            'election hash',
            () => verifySchnorr({ ...CONTEXT, electionHash: OTHER_ELECTION_HASH }, X, p),
          ],
          ['label', () => verifySchnorr({ ...CONTEXT, label: ['other'] }, X, p)],
        ];
        for (const [, run] of tampered) expect(run().ok).toBe(false);
      }),
      { numRuns: 15 },
    );
  });

  it('reports a changed response as a failed equation and a changed challenge as a mismatch', () => {
    const rng = createSeededRng('schnorr-codes');
    const s = Scalar.random(rng);
    const X = GroupElement.multiplyGenerator(s);
    const p = proveSchnorr(CONTEXT, s, X, rng);
    expect(errorCode(verifySchnorr(CONTEXT, X, { ...p, response: bump(p.response) }))).toBe(
      'PROOF_EQUATION_FAILED',
    );
    expect(errorCode(verifySchnorr(CONTEXT, X, { ...p, challenge: bump(p.challenge) }))).toBe(
      'PROOF_CHALLENGE_MISMATCH',
    );
    expect(errorCode(verifySchnorr(CONTEXT, GroupElement.IDENTITY, p))).toBe('IDENTITY_ELEMENT');
    expect(errorCode(verifySchnorr({ electionHash: new Uint8Array(31) }, X, p))).toBe(
      'INVALID_LENGTH',
    );
  });

  it('batch-verifies and locates bad proofs', () => {
    const rng = createSeededRng('schnorr-batch');
    const items: SchnorrItem[] = Array.from({ length: 12 }, () => {
      const s = Scalar.random(rng);
      const X = GroupElement.multiplyGenerator(s);
      return { context: CONTEXT, publicKey: X, proof: proveSchnorr(CONTEXT, s, X, rng) };
    });
    const good = batchVerifySchnorr(items);
    expect(good).toMatchObject({ ok: true, checked: 12, failures: [], fellBack: false });

    const bad = items.slice();
    const p3 = bad[3]!.proof;
    const p8 = bad[8]!.proof;
    bad[3] = { ...bad[3]!, proof: { ...p3, response: bump(p3.response) } };
    bad[8] = { ...bad[8]!, proof: { ...p8, challenge: bump(p8.challenge) } };
    const out = batchVerifySchnorr(bad);
    expect(out.ok).toBe(false);
    expect(out.fellBack).toBe(true);
    expect(out.failures.map((f) => [f.index, f.error.code])).toEqual([
      [3, 'PROOF_EQUATION_FAILED'],
      [8, 'PROOF_CHALLENGE_MISMATCH'],
    ]);
    expect(out.failures[0]!.error.where).toBe('schnorr[3]');
  });

  it('round-trips through JSON and rejects malformed JSON with coded errors', () => {
    const rng = createSeededRng('schnorr-json');
    const s = Scalar.random(rng);
    const X = GroupElement.multiplyGenerator(s);
    const p = proveSchnorr(CONTEXT, s, X, rng);
    const json = encodeSchnorrProof(p);
    const back: SchnorrProof = unwrap(decodeSchnorrProof(JSON.parse(JSON.stringify(json))));
    expect(verifySchnorr(CONTEXT, X, back).ok).toBe(true);

    const cases: [unknown, string][] = [
      [null, 'MALFORMED'],
      [{ ...json, extra: 1 }, 'MALFORMED'],
      [{ ...json, response: json.response.slice(2) }, 'INVALID_LENGTH'],
      [{ ...json, response: 'ff'.repeat(32) }, 'NON_CANONICAL_SCALAR'],
      [{ ...json, commitment: '00'.repeat(32) }, 'IDENTITY_ELEMENT'],
      [{ ...json, commitment: 'ff'.repeat(32) }, 'INVALID_ELEMENT'],
      [{ ...json, challenge: 'xy'.repeat(32) }, 'INVALID_HEX'],
    ];
    for (const [input, code] of cases) {
      const r = decodeSchnorrProof(input, 'p');
      expect(errorCode(r)).toBe(code);
    }
  });
});
