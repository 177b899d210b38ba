// Range proof (spec §5.4): completeness for every value in [0, L], soundness
// against tampering of every field and of the statement, refusal to prove out
// of range, failure of forged proofs, separation from the 0/1 selection proof,
// batch verification with failure location, and decoding of hostile JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GroupElement,
  MAX_RANGE_BOUND,
  Scalar,
  addCiphertexts,
  batchVerifyRange,
  createSeededRng,
  decodeRangeProof,
  encodeRangeProof,
  encrypt,
  generateElGamalKeyPair,
  proveRange,
  proveSelection,
  unwrap,
  verifyRange,
  verifySelection,
  type Ciphertext,
  type RangeItem,
  type RangeProof,
} from '../src/index.js';
import {
  CONTEXT,
  OTHER_ELECTION_HASH,
  arbRng,
  bump,
  bumpElement,
  errorCode,
  replaceAt,
} from './helpers.js';

/** An honest statement and proof for `value` under `bound`, all from one seed. */
function honest(seed: string, value: number, bound: number) {
  const rng = createSeededRng(seed);
  const { secretKey, publicKey } = generateElGamalKeyPair(rng);
  const nonce = Scalar.random(rng);
  const ciphertext = encrypt(publicKey, Scalar.fromInt(value), nonce);
  const proof = proveRange(CONTEXT, publicKey, ciphertext, value, nonce, bound, rng);
  return { secretKey, publicKey, nonce, ciphertext, proof };
}

/** Every single-field change of a proof, with the error code it must produce. */
function tamperings(proof: RangeProof): [string, RangeProof, string][] {
  const out: [string, RangeProof, string][] = [];
  proof.commitments.forEach((c, j) => {
    out.push([
      `a[${j}]`,
      { ...proof, commitments: replaceAt(proof.commitments, j, { ...c, a: bumpElement(c.a) }) },
      'PROOF_CHALLENGE_MISMATCH',
    ]);
    out.push([
      `b[${j}]`,
      { ...proof, commitments: replaceAt(proof.commitments, j, { ...c, b: bumpElement(c.b) }) },
      'PROOF_CHALLENGE_MISMATCH',
    ]);
  });
  proof.challenges.forEach((c, j) => {
    out.push([
      `c[${j}]`,
      { ...proof, challenges: replaceAt(proof.challenges, j, bump(c)) },
      'PROOF_CHALLENGE_MISMATCH',
    ]);
  });
  proof.responses.forEach((z, j) => {
    out.push([
      `z[${j}]`,
      { ...proof, responses: replaceAt(proof.responses, j, bump(z)) },
      'PROOF_EQUATION_FAILED',
    ]);
  });
  return out;
}

describe('range proof', () => {
  it('verifies when honest, for every value in [0, L]', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((bound) => fc.tuple(fc.constant(bound), fc.integer({ min: 0, max: bound }))),
        arbRng,
        fc.boolean(),
        ([bound, value], rng, precompute) => {
          const kp = generateElGamalKeyPair(rng);
          const K = precompute ? kp.publicKey.precompute() : kp.publicKey;
          const nonce = Scalar.random(rng);
          const ct = encrypt(K, Scalar.fromInt(value), nonce);
          const proof = proveRange(CONTEXT, K, ct, value, nonce, bound, rng);
          expect(proof.commitments).toHaveLength(bound + 1);
          expect(verifyRange(CONTEXT, K, ct, bound, proof)).toEqual({ ok: true, value: true });
        },
      ),
      { numRuns: 20 },
    );
  });

  it('fails with the expected code when any single field is changed', () => {
    for (const [value, bound] of [
      [0, 3],
      [2, 3],
      [3, 3],
    ] as const) {
      const { publicKey: K, ciphertext: ct, proof } = honest(`range-tamper-${value}`, value, bound);
      expect(verifyRange(CONTEXT, K, ct, bound, proof).ok).toBe(true);
      const cases = tamperings(proof);
      expect(cases).toHaveLength(4 * (bound + 1));
      for (const [name, bad, code] of cases) {
        expect([name, errorCode(verifyRange(CONTEXT, K, ct, bound, bad))]).toEqual([name, code]);
      }
    }
  });

  it('fails when a challenge is moved between branches (sum unchanged)', () => {
    const { publicKey: K, ciphertext: ct, proof } = honest('range-shift', 1, 2);
    const delta = Scalar.fromInt(12345);
    for (const [from, to] of [
      [0, 1],
      [1, 2],
      [2, 0],
    ] as const) {
      let challenges = replaceAt(proof.challenges, from, proof.challenges[from]!.add(delta));
      challenges = replaceAt(challenges, to, challenges[to]!.subtract(delta));
      const r = verifyRange(CONTEXT, K, ct, 2, { ...proof, challenges });
      expect(errorCode(r)).toBe('PROOF_EQUATION_FAILED');
    }
  });

  it('fails when the statement, bound or context is changed', () => {
    const { publicKey: K, ciphertext: ct, proof } = honest('range-statement', 1, 3);
    const cases: [string, () => { ok: boolean; error?: { code: string } }, string][] = [
      [
        'alpha',
        () => verifyRange(CONTEXT, K, { ...ct, alpha: bumpElement(ct.alpha) }, 3, proof),
        'PROOF_CHALLENGE_MISMATCH',
      ],
      [
        'beta',
        () => verifyRange(CONTEXT, K, { ...ct, beta: bumpElement(ct.beta) }, 3, proof),
        'PROOF_CHALLENGE_MISMATCH',
      ],
      ['key', () => verifyRange(CONTEXT, bumpElement(K), ct, 3, proof), 'PROOF_CHALLENGE_MISMATCH'],
      ['bound 2', () => verifyRange(CONTEXT, K, ct, 2, proof), 'PROOF_SHAPE_MISMATCH'],
      ['bound 4', () => verifyRange(CONTEXT, K, ct, 4, proof), 'PROOF_SHAPE_MISMATCH'],
      [
        'election hash',
        () => verifyRange({ ...CONTEXT, electionHash: OTHER_ELECTION_HASH }, K, ct, 3, proof),
        'PROOF_CHALLENGE_MISMATCH',
      ],
      [
        'label',
        () => verifyRange({ ...CONTEXT, label: ['other'] }, K, ct, 3, proof),
        'PROOF_CHALLENGE_MISMATCH',
      ],
      [
        'no label',
        () => verifyRange({ electionHash: CONTEXT.electionHash }, K, ct, 3, proof),
        'PROOF_CHALLENGE_MISMATCH',
      ],
      [
        'identity key',
        () => verifyRange(CONTEXT, GroupElement.IDENTITY, ct, 3, proof),
        'IDENTITY_ELEMENT',
      ],
      [
        'short election hash',
        () => verifyRange({ electionHash: new Uint8Array(31) }, K, ct, 3, proof),
        'INVALID_LENGTH',
      ],
    ];
    for (const [name, run, code] of cases) expect([name, errorCode(run())]).toEqual([name, code]);
  });

  it('fails when the shorter or longer proof matches a changed bound', () => {
    // A proof for L = 3 trimmed to L = 2 has the right shape but not the right challenge.
    const { publicKey: K, ciphertext: ct, proof } = honest('range-trim', 1, 3);
    const trimmed: RangeProof = {
      commitments: proof.commitments.slice(0, 3),
      challenges: proof.challenges.slice(0, 3),
      responses: proof.responses.slice(0, 3),
    };
    expect(errorCode(verifyRange(CONTEXT, K, ct, 2, trimmed))).toBe('PROOF_CHALLENGE_MISMATCH');
  });

  it('rejects bounds outside [1, MAX_RANGE_BOUND] in the verifier', () => {
    const { publicKey: K, ciphertext: ct, proof } = honest('range-bounds', 0, 1);
    for (const bound of [0, -1, 1.5, MAX_RANGE_BOUND + 1, Number.NaN]) {
      expect(errorCode(verifyRange(CONTEXT, K, ct, bound, proof))).toBe('PROOF_SHAPE_MISMATCH');
    }
  });

  it('refuses to prove a value outside [0, L] without revealing it', () => {
    const rng = createSeededRng('range-refuse');
    const { publicKey } = generateElGamalKeyPair(rng);
    const nonce = Scalar.random(rng);
    const ct2 = encrypt(publicKey, Scalar.fromInt(2), nonce);
    expect(() => proveRange(CONTEXT, publicKey, ct2, 2, nonce, 1, rng)).toThrow(RangeError);
    for (const value of [7, -3, 0.5, Number.NaN]) {
      let message = '';
      try {
        proveRange(CONTEXT, publicKey, ct2, value, nonce, 5, rng);
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        message = (e as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain(String(value));
    }
    for (const bound of [0, MAX_RANGE_BOUND + 1, 2.5]) {
      expect(() => proveRange(CONTEXT, publicKey, ct2, 0, nonce, bound, rng)).toThrow(RangeError);
    }
  });

  it('forged proofs for an out-of-range value fail', () => {
    const rng = createSeededRng('range-forge');
    const { publicKey: K } = generateElGamalKeyPair(rng);
    const nonce = Scalar.random(rng);
    const ct2 = encrypt(K, Scalar.fromInt(2), nonce);
    // A prover that lies about the value: runs the protocol for m = 0 or 1 on Enc(2).
    for (const claimed of [0, 1]) {
      const forged = proveRange(CONTEXT, K, ct2, claimed, nonce, 1, rng);
      expect(errorCode(verifyRange(CONTEXT, K, ct2, 1, forged))).toBe('PROOF_EQUATION_FAILED');
    }
    // An honest L = 2 proof for Enc(2) cut down to two branches.
    const p2 = proveRange(CONTEXT, K, ct2, 2, nonce, 2, rng);
    const cut: RangeProof = {
      commitments: p2.commitments.slice(1),
      challenges: p2.challenges.slice(1),
      responses: p2.responses.slice(1),
    };
    expect(errorCode(verifyRange(CONTEXT, K, ct2, 1, cut))).toBe('PROOF_CHALLENGE_MISMATCH');
    // Two honest 0/1 ciphertexts summed to 2 do not carry over their proofs.
    const r1 = Scalar.random(rng);
    const c1 = encrypt(K, Scalar.ONE, r1);
    const p1 = proveRange(CONTEXT, K, c1, 1, r1, 1, rng);
    const sum: Ciphertext = addCiphertexts(c1, c1);
    expect(errorCode(verifyRange(CONTEXT, K, sum, 1, p1))).toBe('PROOF_CHALLENGE_MISMATCH');
  });

  it('is not interchangeable with a 0/1 selection proof', () => {
    for (const vote of [0, 1]) {
      const rng = createSeededRng(`range-cross-${vote}`);
      const { publicKey: K } = generateElGamalKeyPair(rng);
      const nonce = Scalar.random(rng);
      const ct = encrypt(K, Scalar.fromInt(vote), nonce);
      const range = proveRange(CONTEXT, K, ct, vote, nonce, 1, rng);
      const selection = proveSelection(CONTEXT, K, ct, vote, nonce, rng);
      expect(verifyRange(CONTEXT, K, ct, 1, range).ok).toBe(true);
      expect(verifySelection(CONTEXT, K, ct, selection).ok).toBe(true);
      expect(errorCode(verifyRange(CONTEXT, K, ct, 1, selection))).toBe('PROOF_CHALLENGE_MISMATCH');
      expect(errorCode(verifySelection(CONTEXT, K, ct, range))).toBe('PROOF_CHALLENGE_MISMATCH');
    }
  });

  it('reports the failing branch and equation', () => {
    const { publicKey: K, ciphertext: ct, proof } = honest('range-where', 2, 3);
    const bad = { ...proof, responses: replaceAt(proof.responses, 1, bump(proof.responses[1]!)) };
    const r = verifyRange(CONTEXT, K, ct, 3, bad, 'ballot.range');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.where).toBe('ballot.range.branch[1][G]');
  });

  it('batch-verifies and locates bad proofs', () => {
    const rng = createSeededRng('range-batch');
    const { publicKey } = generateElGamalKeyPair(rng);
    const K = publicKey.precompute();
    const items: RangeItem[] = Array.from({ length: 10 }, (_, i) => {
      const bound = 1 + (i % 4);
      const value = i % (bound + 1);
      const nonce = Scalar.random(rng);
      const ciphertext = encrypt(K, Scalar.fromInt(value), nonce);
      const proof = proveRange(CONTEXT, K, ciphertext, value, nonce, bound, rng);
      return { context: CONTEXT, publicKey: K, ciphertext, bound, proof };
    });
    expect(batchVerifyRange(items)).toMatchObject({
      ok: true,
      checked: 10,
      failures: [],
      fellBack: false,
    });

    const bad = items.slice();
    const p2 = bad[2]!.proof;
    const p5 = bad[5]!.proof;
    bad[2] = {
      ...bad[2]!,
      proof: { ...p2, responses: replaceAt(p2.responses, 0, bump(p2.responses[0]!)) },
    };
    bad[5] = {
      ...bad[5]!,
      proof: { ...p5, challenges: replaceAt(p5.challenges, 1, bump(p5.challenges[1]!)) },
    };
    bad[7] = { ...bad[7]!, bound: bad[7]!.bound + 1 };
    const out = batchVerifyRange(bad);
    expect(out.ok).toBe(false);
    expect(out.fellBack).toBe(true);
    expect(out.failures.map((f) => [f.index, f.error.code, f.error.where])).toEqual([
      [2, 'PROOF_EQUATION_FAILED', 'range[2].branch[0][G]'],
      [5, 'PROOF_CHALLENGE_MISMATCH', 'range[5].challenges'],
      [7, 'PROOF_SHAPE_MISMATCH', 'range[7]'],
    ]);
  });

  it('round-trips through JSON and rejects hostile JSON with coded errors', () => {
    const { publicKey: K, ciphertext: ct, proof } = honest('range-json', 2, 3);
    const json = encodeRangeProof(proof);
    const back = unwrap(decodeRangeProof(JSON.parse(JSON.stringify(json))));
    expect(verifyRange(CONTEXT, K, ct, 3, back).ok).toBe(true);
    expect(encodeRangeProof(back)).toEqual(json);

    const first = json.commitments[0]!;
    const many = Array.from({ length: MAX_RANGE_BOUND + 2 }, () => json.challenges[0]!);
    const cases: [unknown, string, string][] = [
      [null, 'MALFORMED', 'p'],
      ['proof', 'MALFORMED', 'p'],
      [{ ...json, extra: 1 }, 'MALFORMED', 'p'],
      [{ commitments: json.commitments, challenges: json.challenges }, 'MALFORMED', 'p'],
      [{ ...json, challenges: json.challenges.slice(1) }, 'PROOF_SHAPE_MISMATCH', 'p'],
      [{ ...json, responses: [...json.responses, json.responses[0]] }, 'PROOF_SHAPE_MISMATCH', 'p'],
      [
        { commitments: [first], challenges: [json.challenges[0]], responses: [json.responses[0]] },
        'PROOF_SHAPE_MISMATCH',
        'p',
      ],
      [{ commitments: [], challenges: [], responses: [] }, 'PROOF_SHAPE_MISMATCH', 'p'],
      [
        {
          commitments: Array.from({ length: many.length }, () => first),
          challenges: many,
          responses: many,
        },
        'PROOF_SHAPE_MISMATCH',
        'p',
      ],
      [
        { ...json, commitments: replaceAt<unknown>(json.commitments, 1, { ...first, c: first.a }) },
        'MALFORMED',
        'p.commitments[1]',
      ],
      [
        { ...json, commitments: replaceAt<unknown>(json.commitments, 2, [first.a, first.b]) },
        'MALFORMED',
        'p.commitments[2]',
      ],
      [
        { ...json, commitments: replaceAt(json.commitments, 1, { ...first, a: '00'.repeat(32) }) },
        'IDENTITY_ELEMENT',
        'p.commitments[1].a',
      ],
      [
        { ...json, commitments: replaceAt(json.commitments, 3, { ...first, b: 'ff'.repeat(32) }) },
        'INVALID_ELEMENT',
        'p.commitments[3].b',
      ],
      [
        { ...json, challenges: replaceAt(json.challenges, 2, 'ff'.repeat(32)) },
        'NON_CANONICAL_SCALAR',
        'p.challenges[2]',
      ],
      [
        { ...json, responses: replaceAt(json.responses, 0, 'xy'.repeat(32)) },
        'INVALID_HEX',
        'p.responses[0]',
      ],
      [
        { ...json, responses: replaceAt(json.responses, 1, json.responses[1]!.slice(2)) },
        'INVALID_LENGTH',
        'p.responses[1]',
      ],
      [
        { ...json, challenges: replaceAt<unknown>(json.challenges, 0, 7) },
        'INVALID_HEX',
        'p.challenges[0]',
      ],
    ];
    for (const [input, code, where] of cases) {
      const r = decodeRangeProof(input, 'p');
      expect(r.ok).toBe(false);
      if (!r.ok) expect([r.error.code, r.error.where]).toEqual([code, where]);
    }
  });
});
