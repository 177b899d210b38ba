// Disjunctive 0/1 selection proof (spec §5.3): completeness for both votes,
// soundness against tampering of every field and of the statement, refusal to
// prove a vote of 2, failure of forged proofs, separation from the range proof,
// batch verification with failure location, and decoding of hostile JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GroupElement,
  Scalar,
  batchVerifySelection,
  createSeededRng,
  decodeSelectionProof,
  encodeSelectionProof,
  encrypt,
  generateElGamalKeyPair,
  proveRange,
  proveSelection,
  unwrap,
  verifyRange,
  verifySelection,
  type Ciphertext,
  type SelectionItem,
  type SelectionProof,
} from '../src/index.js';
import {
  CONTEXT,
  OTHER_ELECTION_HASH,
  arbRng,
  arbScalar,
  bump,
  bumpElement,
  errorCode,
  replaceAt,
} from './helpers.js';

function honest(seed: string, vote: number) {
  const rng = createSeededRng(seed);
  const { publicKey } = generateElGamalKeyPair(rng);
  const nonce = Scalar.random(rng);
  const ciphertext = encrypt(publicKey, Scalar.fromInt(vote), nonce);
  const proof = proveSelection(CONTEXT, publicKey, ciphertext, vote, nonce, rng);
  return { publicKey, nonce, ciphertext, proof };
}

describe('selection (0/1) proof', () => {
  it('verifies when honest, for both votes', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1), arbScalar, arbRng, (vote, nonce, rng) => {
        const { publicKey: K } = generateElGamalKeyPair(rng);
        const ct = encrypt(K, Scalar.fromInt(vote), nonce);
        const proof = proveSelection(CONTEXT, K, ct, vote, nonce, rng);
        expect(proof.commitments).toHaveLength(2);
        expect(proof.challenges).toHaveLength(2);
        expect(proof.responses).toHaveLength(2);
        expect(verifySelection(CONTEXT, K, ct, proof)).toEqual({ ok: true, value: true });
      }),
      { numRuns: 25 },
    );
  });

  it('fails with the expected code when any single field is changed', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1), arbRng, (vote, rng) => {
        const { publicKey: K } = generateElGamalKeyPair(rng);
        const nonce = Scalar.random(rng);
        const ct = encrypt(K, Scalar.fromInt(vote), nonce);
        const p = proveSelection(CONTEXT, K, ct, vote, nonce, rng);
        const cases: [string, SelectionProof, string][] = [];
        for (const j of [0, 1]) {
          const c = p.commitments[j]!;
          cases.push(
            [
              `a[${j}]`,
              { ...p, commitments: replaceAt(p.commitments, j, { ...c, a: bumpElement(c.a) }) },
              'PROOF_CHALLENGE_MISMATCH',
            ],
            [
              `b[${j}]`,
              { ...p, commitments: replaceAt(p.commitments, j, { ...c, b: bumpElement(c.b) }) },
              'PROOF_CHALLENGE_MISMATCH',
            ],
            [
              `c[${j}]`,
              { ...p, challenges: replaceAt(p.challenges, j, bump(p.challenges[j]!)) },
              'PROOF_CHALLENGE_MISMATCH',
            ],
            [
              `z[${j}]`,
              { ...p, responses: replaceAt(p.responses, j, bump(p.responses[j]!)) },
              'PROOF_EQUATION_FAILED',
            ],
          );
        }
        // Moving challenge weight between the branches keeps the sum but breaks the equations.
        const d = Scalar.fromInt(99);
        cases.push([
          'c[0]+d, c[1]−d',
          { ...p, challenges: [p.challenges[0]!.add(d), p.challenges[1]!.subtract(d)] },
          'PROOF_EQUATION_FAILED',
        ]);
        // Swapping the branches (the proof for "the other vote").
        cases.push([
          'branches swapped',
          {
            commitments: [p.commitments[1]!, p.commitments[0]!],
            challenges: [p.challenges[1]!, p.challenges[0]!],
            responses: [p.responses[1]!, p.responses[0]!],
          },
          'PROOF_CHALLENGE_MISMATCH',
        ]);
        for (const [name, bad, code] of cases) {
          expect([name, errorCode(verifySelection(CONTEXT, K, ct, bad))]).toEqual([name, code]);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('fails when the statement or context is changed', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1), arbRng, (vote, rng) => {
        const { publicKey: K } = generateElGamalKeyPair(rng);
        const nonce = Scalar.random(rng);
        const ct = encrypt(K, Scalar.fromInt(vote), nonce);
        const p = proveSelection(CONTEXT, K, ct, vote, nonce, rng);
        const cases: [string, () => { ok: boolean; error?: { code: string } }, string][] = [
          [
            'alpha',
            () => verifySelection(CONTEXT, K, { ...ct, alpha: bumpElement(ct.alpha) }, p),
            'PROOF_CHALLENGE_MISMATCH',
          ],
          [
            'beta',
            () => verifySelection(CONTEXT, K, { ...ct, beta: bumpElement(ct.beta) }, p),
            'PROOF_CHALLENGE_MISMATCH',
          ],
          [
            'key',
            () => verifySelection(CONTEXT, bumpElement(K), ct, p),
            'PROOF_CHALLENGE_MISMATCH',
          ],
          [
            'election hash',
            () => verifySelection({ ...CONTEXT, electionHash: OTHER_ELECTION_HASH }, K, ct, p),
            'PROOF_CHALLENGE_MISMATCH',
          ],
          [
            'label',
            () => verifySelection({ ...CONTEXT, label: ['test', 'selection', 1] }, K, ct, p),
            'PROOF_CHALLENGE_MISMATCH',
          ],
          [
            'identity key',
            () => verifySelection(CONTEXT, GroupElement.IDENTITY, ct, p),
            'IDENTITY_ELEMENT',
          ],
          [
            'short election hash',
            () => verifySelection({ electionHash: new Uint8Array(33) }, K, ct, p),
            'INVALID_LENGTH',
          ],
          [
            'three branches',
            () =>
              verifySelection(CONTEXT, K, ct, {
                commitments: [...p.commitments, p.commitments[0]!],
                challenges: [...p.challenges, Scalar.ZERO],
                responses: [...p.responses, p.responses[0]!],
              }),
            'PROOF_SHAPE_MISMATCH',
          ],
        ];
        for (const [name, run, code] of cases) {
          expect([name, errorCode(run())]).toEqual([name, code]);
        }
      }),
      { numRuns: 6 },
    );
  });

  it('cannot prove a vote of 2, and forged proofs for Enc(2) fail', () => {
    const rng = createSeededRng('selection-two');
    const { publicKey: K } = generateElGamalKeyPair(rng);
    const nonce = Scalar.random(rng);
    const ct2: Ciphertext = encrypt(K, Scalar.fromInt(2), nonce);
    expect(() => proveSelection(CONTEXT, K, ct2, 2, nonce, rng)).toThrow(RangeError);
    expect(() => proveSelection(CONTEXT, K, ct2, -1, nonce, rng)).toThrow(RangeError);
    // A device that lies about the vote and runs the protocol as if it were 0 or 1.
    for (const claimed of [0, 1]) {
      const forged = proveSelection(CONTEXT, K, ct2, claimed, nonce, rng);
      expect(errorCode(verifySelection(CONTEXT, K, ct2, forged))).toBe('PROOF_EQUATION_FAILED');
    }
    // A valid 0/1 proof for Enc(1) does not cover Enc(2) = Enc(1) + Enc(1).
    const one = encrypt(K, Scalar.ONE, nonce);
    const p1 = proveSelection(CONTEXT, K, one, 1, nonce, rng);
    expect(verifySelection(CONTEXT, K, one, p1).ok).toBe(true);
    expect(errorCode(verifySelection(CONTEXT, K, ct2, p1))).toBe('PROOF_CHALLENGE_MISMATCH');
  });

  it('is not interchangeable with a range proof for L = 1', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1), arbRng, (vote, rng) => {
        const { publicKey: K } = generateElGamalKeyPair(rng);
        const nonce = Scalar.random(rng);
        const ct = encrypt(K, Scalar.fromInt(vote), nonce);
        const selection = proveSelection(CONTEXT, K, ct, vote, nonce, rng);
        const range = proveRange(CONTEXT, K, ct, vote, nonce, 1, rng);
        expect(errorCode(verifyRange(CONTEXT, K, ct, 1, selection))).toBe(
          'PROOF_CHALLENGE_MISMATCH',
        );
        expect(errorCode(verifySelection(CONTEXT, K, ct, range))).toBe('PROOF_CHALLENGE_MISMATCH');
      }),
      { numRuns: 4 },
    );
  });

  it('reports the failing branch and equation', () => {
    const { publicKey: K, ciphertext: ct, proof } = honest('selection-where', 1);
    const bad = { ...proof, responses: replaceAt(proof.responses, 0, bump(proof.responses[0]!)) };
    const r = verifySelection(CONTEXT, K, ct, bad, 'ballot.selection');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.where).toBe('ballot.selection.branch[0][G]');
  });

  it('batch-verifies and locates bad proofs', () => {
    const rng = createSeededRng('selection-batch');
    const K = generateElGamalKeyPair(rng).publicKey.precompute();
    const items: SelectionItem[] = Array.from({ length: 16 }, (_, i) => {
      const vote = i % 2;
      const nonce = Scalar.random(rng);
      const ciphertext = encrypt(K, Scalar.fromInt(vote), nonce);
      const context = { ...CONTEXT, label: ['batch', i] };
      const proof = proveSelection(context, K, ciphertext, vote, nonce, rng);
      return { context, publicKey: K, ciphertext, proof };
    });
    expect(batchVerifySelection(items)).toMatchObject({
      ok: true,
      checked: 16,
      failures: [],
      fellBack: false,
    });

    const bad = items.slice();
    const p4 = bad[4]!.proof;
    bad[4] = {
      ...bad[4]!,
      proof: { ...p4, responses: replaceAt(p4.responses, 1, bump(p4.responses[1]!)) },
    };
    bad[11] = { ...bad[11]!, context: bad[10]!.context };
    bad[13] = { ...bad[13]!, ciphertext: bad[12]!.ciphertext };
    const out = batchVerifySelection(bad);
    expect(out.ok).toBe(false);
    expect(out.fellBack).toBe(true);
    expect(out.failures.map((f) => [f.index, f.error.code, f.error.where])).toEqual([
      [4, 'PROOF_EQUATION_FAILED', 'selection[4].branch[1][G]'],
      [11, 'PROOF_CHALLENGE_MISMATCH', 'selection[11].challenges'],
      [13, 'PROOF_CHALLENGE_MISMATCH', 'selection[13].challenges'],
    ]);
  });

  it('round-trips through JSON and rejects hostile JSON with coded errors', () => {
    const { publicKey: K, ciphertext: ct, proof } = honest('selection-json', 0);
    const json = encodeSelectionProof(proof);
    const back = unwrap(decodeSelectionProof(JSON.parse(JSON.stringify(json))));
    expect(verifySelection(CONTEXT, K, ct, back).ok).toBe(true);
    expect(encodeSelectionProof(back)).toEqual(json);

    const [c0, c1] = json.commitments as [{ a: string; b: string }, { a: string; b: string }];
    const cases: [unknown, string, string][] = [
      [undefined, 'MALFORMED', 's'],
      [[], 'MALFORMED', 's'],
      [{ ...json, bound: 1 }, 'MALFORMED', 's'],
      [{ ...json, commitments: [c0] }, 'PROOF_SHAPE_MISMATCH', 's'],
      [
        {
          commitments: [c0, c1, c0],
          challenges: [...json.challenges, json.challenges[0]],
          responses: [...json.responses, json.responses[0]],
        },
        'PROOF_SHAPE_MISMATCH',
        's',
      ],
      [{ ...json, commitments: [c0, { a: c1.a }] }, 'MALFORMED', 's.commitments[1]'],
      [
        { ...json, commitments: [{ ...c0, b: '00'.repeat(32) }, c1] },
        'IDENTITY_ELEMENT',
        's.commitments[0].b',
      ],
      [
        { ...json, commitments: [c0, { ...c1, a: c1.a.toUpperCase().slice(0, 62) + 'zz' }] },
        'INVALID_HEX',
        's.commitments[1].a',
      ],
      [
        { ...json, challenges: [json.challenges[0], 'ed'.repeat(32)] },
        'NON_CANONICAL_SCALAR',
        's.challenges[1]',
      ],
      [
        { ...json, responses: [json.responses[0], json.responses[1] + '00'] },
        'INVALID_LENGTH',
        's.responses[1]',
      ],
    ];
    for (const [input, code, where] of cases) {
      const r = decodeSelectionProof(input, 's');
      expect(r.ok).toBe(false);
      if (!r.ok) expect([r.error.code, r.error.where]).toEqual([code, where]);
    }
  });
});
