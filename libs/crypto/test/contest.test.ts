// Encrypted contests (spec §5.5): the one-of-38 Venezuelan ballot with every
// single card and a blank vote, k-of-m contests, homomorphic tallies that
// decrypt to the marks, detection of tampered, swapped and over-voted
// selections, batch verification with failure location, and hostile JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_CONTEST_SELECTIONS,
  Scalar,
  addCiphertexts,
  batchVerifyContests,
  computeDecryptionShare,
  createSeededRng,
  decodeContestCiphertexts,
  decodeEncryptedContest,
  deriveLimitContext,
  deriveSelectionContext,
  encodeEncryptedContest,
  encrypt,
  encryptContest,
  generateElGamalKeyPair,
  proveRange,
  proveSelection,
  removeDecryptionShare,
  solveDiscreteLog,
  sumCiphertexts,
  unwrap,
  verifyContest,
  type Ciphertext,
  type ContestItem,
  type EncryptedContest,
} from '../src/index.js';
import {
  CONTEXT,
  OTHER_ELECTION_HASH,
  arbRng,
  bumpElement,
  errorCode,
  replaceAt,
} from './helpers.js';

function errorOf(r: { ok: boolean; error?: { code: string; where: string } }): [string, string] {
  return r.ok ? ['ok', ''] : [r.error?.code ?? '?', r.error?.where ?? '?'];
}

const keyRng = createSeededRng('contest-key');
const KEYS = generateElGamalKeyPair(keyRng);
const K = KEYS.publicKey.precompute();

function decryptCount(ct: Ciphertext): number {
  const share = computeDecryptionShare(KEYS.secretKey, ct);
  return unwrap(solveDiscreteLog(removeDecryptionShare(ct, share), 1000));
}

function oneHot(n: number, marked: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === marked ? 1 : 0));
}

describe('encrypted contest', () => {
  it('one-of-38: every single card and a blank vote verify and tally to the marks', () => {
    const rng = createSeededRng('contest-38');
    const ballots = [...Array.from({ length: 38 }, (_, card) => oneHot(38, card)), oneHot(38, -1)];
    const items: ContestItem[] = ballots.map((votes, b) => {
      const context = { ...CONTEXT, label: ['ballot', b, 'president'] };
      const { contest, nonces } = encryptContest(context, K, votes, 1, rng);
      expect(contest.selections).toHaveLength(38);
      expect(nonces).toHaveLength(38);
      expect(contest.limitProof.commitments).toHaveLength(2);
      return { context, publicKey: K, contest, limit: 1 };
    });
    // Single-contest verification of the first and the blank ballot; the rest in one batch.
    expect(verifyContest(items[0]!.context, K, items[0]!.contest, 1)).toEqual({
      ok: true,
      value: true,
    });
    expect(verifyContest(items[38]!.context, K, items[38]!.contest, 1).ok).toBe(true);
    expect(batchVerifyContests(items)).toMatchObject({
      ok: true,
      checked: 39,
      failures: [],
      fellBack: false,
    });

    // Each ballot decrypts to its marks, selection by selection and in total.
    for (const [b, votes] of [ballots[0]!, ballots[17]!, ballots[37]!, ballots[38]!].entries()) {
      const index = [0, 17, 37, 38][b]!;
      const sels = items[index]!.contest.selections;
      expect(sels.map((s) => decryptCount(s.ciphertext))).toEqual(votes);
      expect(decryptCount(sumCiphertexts(sels.map((s) => s.ciphertext)))).toBe(
        votes.reduce((x, y) => x + y, 0),
      );
    }
    // The homomorphic tally of each card over the 39 ballots is 1.
    for (const card of [0, 12, 13, 37]) {
      const tally = sumCiphertexts(items.map((it) => it.contest.selections[card]!.ciphertext));
      expect(decryptCount(tally)).toBe(1);
    }
  });

  it('k-of-m: 3-of-7 with 0 to 3 marks verifies and tallies', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }),
        arbRng,
        (marked, rng) => {
          const votes = Array.from({ length: 7 }, (_, i) => (marked.includes(i) ? 1 : 0));
          const { contest } = encryptContest(CONTEXT, K, votes, 3, rng);
          expect(contest.limitProof.commitments).toHaveLength(4);
          expect(verifyContest(CONTEXT, K, contest, 3).ok).toBe(true);
          const total = sumCiphertexts(contest.selections.map((s) => s.ciphertext));
          expect(decryptCount(total)).toBe(marked.length);
          expect(contest.selections.map((s) => decryptCount(s.ciphertext))).toEqual(votes);
          // The limit is part of the statement.
          expect(errorCode(verifyContest(CONTEXT, K, contest, 2))).toBe('PROOF_SHAPE_MISMATCH');
        },
      ),
      { numRuns: 8 },
    );
  });

  it('refuses invalid ballots (the device validates first)', () => {
    const rng = createSeededRng('contest-refuse');
    const cases: [number[], number][] = [
      [[0, 2, 0], 1],
      [[0, -1, 0], 1],
      [[0, 0.5], 1],
      [[1, 1, 0], 1],
      [[1, 1, 1, 1, 0, 0, 0], 3],
      [[], 1],
      [[0, 1], 0],
      [[0, 1], 1.5],
      [new Array<number>(MAX_CONTEST_SELECTIONS + 1).fill(0), 1],
    ];
    for (const [votes, limit] of cases) {
      expect(() => encryptContest(CONTEXT, K, votes, limit, rng)).toThrow(RangeError);
    }
  });

  it('fails when a selection ciphertext is tampered with or proofs are swapped', () => {
    const rng = createSeededRng('contest-tamper');
    const { contest } = encryptContest(CONTEXT, K, oneHot(7, 2), 1, rng);
    const sels = contest.selections;
    expect(verifyContest(CONTEXT, K, contest, 1).ok).toBe(true);
    const s4 = sels[4]!;
    const cases: [string, EncryptedContest, string, string][] = [
      [
        'alpha of selection 4',
        {
          ...contest,
          selections: replaceAt(sels, 4, {
            ...s4,
            ciphertext: { ...s4.ciphertext, alpha: bumpElement(s4.ciphertext.alpha) },
          }),
        },
        'PROOF_CHALLENGE_MISMATCH',
        'contest.selections[4].challenges',
      ],
      [
        'beta of selection 4',
        {
          ...contest,
          selections: replaceAt(sels, 4, {
            ...s4,
            ciphertext: { ...s4.ciphertext, beta: bumpElement(s4.ciphertext.beta) },
          }),
        },
        'PROOF_CHALLENGE_MISMATCH',
        'contest.selections[4].challenges',
      ],
      [
        'proofs of selections 1 and 2 swapped',
        {
          ...contest,
          selections: replaceAt(replaceAt(sels, 1, { ...sels[1]!, proof: sels[2]!.proof }), 2, {
            ...sels[2]!,
            proof: sels[1]!.proof,
          }),
        },
        'PROOF_CHALLENGE_MISMATCH',
        'contest.selections[1].challenges',
      ],
      [
        'selections 2 and 5 swapped whole (moving the mark)',
        { ...contest, selections: replaceAt(replaceAt(sels, 2, sels[5]!), 5, sels[2]!) },
        'PROOF_CHALLENGE_MISMATCH',
        'contest.selections[2].challenges',
      ],
      [
        'a selection dropped',
        { ...contest, selections: sels.slice(0, 6) },
        'PROOF_CHALLENGE_MISMATCH',
        'contest.limitProof.challenges',
      ],
      [
        'limit proof response',
        {
          ...contest,
          limitProof: {
            ...contest.limitProof,
            responses: replaceAt(
              contest.limitProof.responses,
              1,
              contest.limitProof.responses[1]!.add(Scalar.ONE),
            ),
          },
        },
        'PROOF_EQUATION_FAILED',
        'contest.limitProof.branch[1][G]',
      ],
      [
        'no selections',
        { ...contest, selections: [] },
        'PROOF_SHAPE_MISMATCH',
        'contest.selections',
      ],
    ];
    for (const [name, bad, code, where] of cases) {
      expect([name, ...errorOf(verifyContest(CONTEXT, K, bad, 1))]).toEqual([name, code, where]);
    }
    // Bound to the election and to the contest's label.
    expect(
      errorCode(verifyContest({ ...CONTEXT, electionHash: OTHER_ELECTION_HASH }, K, contest, 1)),
    ).toBe('PROOF_CHALLENGE_MISMATCH');
    expect(errorCode(verifyContest({ ...CONTEXT, label: ['other'] }, K, contest, 1))).toBe(
      'PROOF_CHALLENGE_MISMATCH',
    );
  });

  it('detects an over-vote even when every selection proof is valid', () => {
    // A dishonest device marks two cards of a one-of-5 contest: each 0/1 proof
    // is honest, but no limit proof for Enc(2) under L = 1 can verify.
    const rng = createSeededRng('contest-overvote');
    const votes = [0, 1, 0, 1, 0];
    const nonces = votes.map(() => Scalar.random(rng));
    const selections = votes.map((v, i) => {
      const ciphertext = encrypt(K, Scalar.fromInt(v), nonces[i]!);
      const ctx = deriveSelectionContext(CONTEXT, i);
      return { ciphertext, proof: proveSelection(ctx, K, ciphertext, v, nonces[i]!, rng) };
    });
    const total = sumCiphertexts(selections.map((s) => s.ciphertext));
    const nonceSum = nonces.reduce((a, b) => a.add(b), Scalar.ZERO);
    for (const claimed of [0, 1]) {
      const limitProof = proveRange(
        deriveLimitContext(CONTEXT),
        K,
        total,
        claimed,
        nonceSum,
        1,
        rng,
      );
      const [code, where] = errorOf(verifyContest(CONTEXT, K, { selections, limitProof }, 1));
      expect(code).toBe('PROOF_EQUATION_FAILED');
      expect(where).toMatch(/^contest\.limitProof\.branch\[[01]\]\[K\]$/);
    }
    // A limit proof made for a different sum (one selection re-encrypted) fails too.
    const honestLimit = proveRange(deriveLimitContext(CONTEXT), K, total, 2, nonceSum, 2, rng);
    expect(verifyContest(CONTEXT, K, { selections, limitProof: honestLimit }, 2).ok).toBe(true);
    const zero = encrypt(K, Scalar.ZERO, Scalar.random(rng));
    const reRandomised = replaceAt(selections, 0, {
      ...selections[0]!,
      ciphertext: addCiphertexts(selections[0]!.ciphertext, zero),
    });
    expect(
      errorCode(
        verifyContest(CONTEXT, K, { selections: reRandomised, limitProof: honestLimit }, 2),
      ),
    ).toBe('PROOF_CHALLENGE_MISMATCH');
  });

  it('batch-verifies many contests and locates the bad ones', () => {
    const rng = createSeededRng('contest-batch');
    const items: ContestItem[] = Array.from({ length: 6 }, (_, k) => {
      const context = { ...CONTEXT, label: ['ballot', k] };
      const votes = oneHot(9, k);
      return {
        context,
        publicKey: K,
        contest: encryptContest(context, K, votes, 1, rng).contest,
        limit: 1,
      };
    });
    expect(batchVerifyContests(items)).toMatchObject({
      ok: true,
      checked: 6,
      fellBack: false,
    });

    const bad = items.slice();
    const c3 = bad[3]!.contest;
    const s7 = c3.selections[7]!;
    bad[3] = {
      ...bad[3]!,
      contest: {
        ...c3,
        selections: replaceAt(c3.selections, 7, {
          ...s7,
          proof: {
            ...s7.proof,
            responses: replaceAt(s7.proof.responses, 1, s7.proof.responses[1]!.add(Scalar.ONE)),
          },
        }),
      },
    };
    bad[5] = { ...bad[5]!, context: bad[4]!.context };
    const out = batchVerifyContests(bad);
    expect(out.ok).toBe(false);
    expect(out.fellBack).toBe(true);
    expect(out.failures.map((f) => [f.index, f.error.code, f.error.where])).toEqual([
      [3, 'PROOF_EQUATION_FAILED', 'contest[3].selections[7].branch[1][G]'],
      [5, 'PROOF_CHALLENGE_MISMATCH', 'contest[5].selections[0].challenges'],
    ]);
  });

  it('round-trips through JSON and rejects hostile JSON with coded errors', () => {
    const rng = createSeededRng('contest-json');
    const { contest } = encryptContest(CONTEXT, K, [0, 0, 1], 2, rng);
    const json = encodeEncryptedContest(contest);
    const back = unwrap(decodeEncryptedContest(JSON.parse(JSON.stringify(json))));
    expect(verifyContest(CONTEXT, K, back, 2).ok).toBe(true);
    expect(encodeEncryptedContest(back)).toEqual(json);

    const s0 = json.selections[0]!;
    const cases: [unknown, string, string][] = [
      [null, 'MALFORMED', 'c'],
      [{ ...json, limit: 2 }, 'MALFORMED', 'c'],
      [{ selections: json.selections }, 'MALFORMED', 'c'],
      [{ ...json, selections: {} }, 'MALFORMED', 'c'],
      [{ ...json, selections: [] }, 'PROOF_SHAPE_MISMATCH', 'c.selections'],
      [
        { ...json, selections: new Array<unknown>(MAX_CONTEST_SELECTIONS + 1).fill(s0) },
        'PROOF_SHAPE_MISMATCH',
        'c.selections',
      ],
      [
        { ...json, selections: replaceAt<unknown>(json.selections, 1, { ...s0, vote: 1 }) },
        'MALFORMED',
        'c.selections[1]',
      ],
      [
        { ...json, selections: replaceAt<unknown>(json.selections, 2, { proof: s0.proof }) },
        'MALFORMED',
        'c.selections[2]',
      ],
      [
        {
          ...json,
          selections: replaceAt(json.selections, 1, {
            ...s0,
            ciphertext: { ...s0.ciphertext, beta: 'ff'.repeat(32) },
          }),
        },
        'INVALID_ELEMENT',
        'c.selections[1].ciphertext.beta',
      ],
      [
        { ...json, selections: replaceAt(json.selections, 0, { ...s0, proof: json.limitProof }) },
        'PROOF_SHAPE_MISMATCH',
        'c.selections[0].proof',
      ],
      [
        {
          ...json,
          limitProof: { ...json.limitProof, challenges: json.limitProof.challenges.slice(1) },
        },
        'PROOF_SHAPE_MISMATCH',
        'c.limitProof',
      ],
      [
        {
          ...json,
          limitProof: {
            ...json.limitProof,
            responses: replaceAt(json.limitProof.responses, 0, 'ff'.repeat(32)),
          },
        },
        'NON_CANONICAL_SCALAR',
        'c.limitProof.responses[0]',
      ],
    ];
    for (const [input, code, where] of cases) {
      const r = decodeEncryptedContest(input, 'c');
      expect(r.ok).toBe(false);
      if (!r.ok) expect([r.error.code, r.error.where]).toEqual([code, where]);
    }
  });

  it('decodes only the ciphertexts, with the codes and places of the full decoder up to them', () => {
    const rng = createSeededRng('contest-ciphertexts');
    const { contest } = encryptContest(CONTEXT, K, [0, 1, 0, 0], 1, rng);
    const json = encodeEncryptedContest(contest);
    const cts = unwrap(decodeContestCiphertexts(JSON.parse(JSON.stringify(json))));
    expect(cts.map((c) => [c.alpha.toHex(), c.beta.toHex()])).toEqual(
      contest.selections.map((s) => [s.ciphertext.alpha.toHex(), s.ciphertext.beta.toHex()]),
    );
    const s0 = json.selections[0]!;
    const withCiphertext = (i: number, ciphertext: unknown): unknown => ({
      ...json,
      selections: replaceAt<unknown>(json.selections, i, { ...s0, ciphertext }),
    });
    // Failures at or before the ciphertexts: both decoders agree exactly.
    const shared: unknown[] = [
      null,
      { ...json, limit: 2 },
      { ...json, selections: [] },
      { ...json, selections: new Array<unknown>(MAX_CONTEST_SELECTIONS + 1).fill(s0) },
      { ...json, selections: replaceAt<unknown>(json.selections, 2, { proof: s0.proof }) },
      withCiphertext(1, { ...s0.ciphertext, beta: 'ff'.repeat(32) }),
      withCiphertext(3, { ...s0.ciphertext, alpha: 'AB'.repeat(32) }),
      withCiphertext(2, { ...s0.ciphertext, alpha: 'ab'.repeat(31) }),
      withCiphertext(0, { alpha: s0.ciphertext.alpha }),
    ];
    for (const input of shared) {
      const light = decodeContestCiphertexts(input, 'c');
      const full = decodeEncryptedContest(input, 'c');
      expect(light.ok).toBe(false);
      expect(errorOf(light)).toEqual(errorOf(full));
    }
    // The identity is a valid component (as in decodeCiphertext); callers apply their rules.
    const identity = '00'.repeat(32);
    expect(
      decodeContestCiphertexts(withCiphertext(1, { ...s0.ciphertext, beta: identity })).ok,
    ).toBe(true);
    // The proofs are not read: a broken proof is the full decoder's (or verifier's) business.
    const badProof = {
      ...json,
      limitProof: {
        ...json.limitProof,
        responses: replaceAt(json.limitProof.responses, 0, 'ff'.repeat(32)),
      },
    };
    expect(decodeContestCiphertexts(badProof).ok).toBe(true);
    expect(decodeEncryptedContest(badProof).ok).toBe(false);
  });
});
