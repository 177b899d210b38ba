// Threshold key ceremony (spec §6): a full joint-Feldman run for random (n, k),
// round-1 verification with located errors, share encryption and its checks,
// accusations judged against the right party, and hostile JSON for every
// public message type.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GroupElement,
  Scalar,
  computeJointKey,
  createAccusation,
  createShareMessages,
  createTrusteeRound1,
  decodeAccusation,
  decodeJointKey,
  decodeRound1Message,
  decodeShareMessage,
  decodeTrusteeSecretState,
  encodeAccusation,
  encodeJointKey,
  encodeRound1Message,
  encodeShareMessage,
  encodeTrusteeSecretState,
  encryptShare,
  finishCeremony,
  judgeAccusation,
  jointKeysEqual,
  receiveShare,
  runLocalCeremony,
  sumElements,
  unwrap,
  validateCeremonyParams,
  verifyRound1Message,
  verifyRound1Messages,
  createSeededRng,
  type Accusation,
  type CeremonyParams,
  type Round1Message,
  type ShareMessage,
  type TrusteeRound1,
} from '../src/index.js';
import { sealShareBytes } from '../src/ceremony.js';
import { evaluatePolynomial } from '../src/polynomial.js';
import { ELECTION_HASH, OTHER_ELECTION_HASH, arbRng, bump, bumpElement } from './helpers.js';

function errorOf(r: { ok: boolean; error?: { code: string; where: string } }): string {
  return r.ok ? 'ok' : `${r.error?.code ?? '?'} @ ${r.error?.where ?? '?'}`;
}

function codeOf(r: { ok: boolean; error?: { code: string } }): string {
  return r.ok ? 'ok' : (r.error?.code ?? '?');
}

function paramsFor(trustees: number, quorum: number): CeremonyParams {
  return { electionHash: ELECTION_HASH, trustees, quorum };
}

/** Sizes 1 ≤ k ≤ n ≤ 6. */
const arbSizes = fc
  .integer({ min: 1, max: 6 })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n })));

/** Round 1 for every trustee, with a deterministic rng. */
function round1All(params: CeremonyParams, seed: string): TrusteeRound1[] {
  const rng = createSeededRng(seed);
  return Array.from({ length: params.trustees }, (_, i) => createTrusteeRound1(params, i + 1, rng));
}

/** A 2-of-3 setup through round 2, shared by the example-based tests (memoized per seed). */
const setups = new Map<string, ReturnType<typeof createSetup>>();
function setup(seed = 'ceremony-setup'): ReturnType<typeof createSetup> {
  let s = setups.get(seed);
  if (s === undefined) {
    s = createSetup(seed);
    setups.set(seed, s);
  }
  return s;
}

function createSetup(seed: string) {
  const params = paramsFor(3, 2);
  const rng = createSeededRng(seed);
  const trustees = round1All(params, `${seed}-r1`);
  const messages = trustees.map((t) => t.message);
  const shares = trustees.flatMap((t) =>
    unwrap(createShareMessages(params, t.state, messages, rng)),
  );
  const shareFrom = (from: number, to: number): ShareMessage =>
    shares.find((m) => m.from === from && m.to === to)!;
  return { params, rng, trustees, messages, shares, shareFrom };
}

describe('key ceremony: full run', () => {
  it('for random 1 ≤ k ≤ n ≤ 6, every step succeeds and the keys are consistent', () => {
    fc.assert(
      fc.property(arbSizes, arbRng, ([n, k], rng) => {
        const params = paramsFor(n, k);
        const trustees = Array.from({ length: n }, (_, i) =>
          createTrusteeRound1(params, i + 1, rng),
        );
        const messages = trustees.map((t) => t.message);
        for (const m of messages) expect(errorOf(verifyRound1Message(params, m))).toBe('ok');
        expect(verifyRound1Messages(params, [...messages].reverse()).ok).toBe(true);

        const shares = trustees.flatMap((t) =>
          unwrap(createShareMessages(params, t.state, messages, rng)),
        );
        expect(shares).toHaveLength(n * (n - 1));
        const outcomes = trustees.map((t) => {
          const received = new Map<number, Scalar>();
          for (const m of shares.filter((s) => s.to === t.state.index)) {
            const share = receiveShare(params, t.state, messages[m.from - 1]!, m);
            expect(errorOf(share)).toBe('ok');
            // The recipient gets exactly P_i(l).
            const sender = trustees[m.from - 1]!.state;
            expect(unwrap(share).equals(evaluatePolynomial(sender.coefficients, m.to))).toBe(true);
            received.set(m.from, unwrap(share));
          }
          return unwrap(finishCeremony(params, t.state, messages, received));
        });

        const joint = unwrap(computeJointKey(params, messages));
        // K = Σ_i K_{i,0} = (Σ_i a_{i,0})·G.
        expect(
          joint.publicKey.equals(sumElements(messages.map((m) => m.coefficientCommitments[0]!))),
        ).toBe(true);
        const secret = trustees.reduce((acc, t) => acc.add(t.state.coefficients[0]!), Scalar.ZERO);
        expect(joint.publicKey.equals(GroupElement.multiplyGenerator(secret))).toBe(true);
        for (const o of outcomes) {
          expect(jointKeysEqual(o.jointKey, joint)).toBe(true);
          // s_l = Σ_i P_i(l) and V_l = s_l·G.
          const expected = trustees.reduce(
            (acc, t) => acc.add(evaluatePolynomial(t.state.coefficients, o.index)),
            Scalar.ZERO,
          );
          expect(o.secretShare.equals(expected)).toBe(true);
          expect(
            joint.verificationKeys[o.index - 1]!.equals(
              GroupElement.multiplyGenerator(o.secretShare),
            ),
          ).toBe(true);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('runLocalCeremony gives the same result as the step-by-step protocol', () => {
    const params = paramsFor(4, 3);
    const local = runLocalCeremony(params, createSeededRng('local'));
    expect(local.outcomes).toHaveLength(4);
    expect(local.shareMessages).toHaveLength(12);
    const messages = local.round1.map((t) => t.message);
    expect(jointKeysEqual(unwrap(computeJointKey(params, messages)), local.jointKey)).toBe(true);
  });
});

describe('key ceremony: parameters and round 1', () => {
  it('validates n, k and the election hash', () => {
    expect(validateCeremonyParams(paramsFor(5, 3)).ok).toBe(true);
    expect(validateCeremonyParams(paramsFor(255, 255)).ok).toBe(true);
    const bad: [CeremonyParams, string][] = [
      [paramsFor(0, 0), 'params.trustees'],
      [paramsFor(256, 1), 'params.trustees'],
      [paramsFor(3, 0), 'params.quorum'],
      [paramsFor(3, 4), 'params.quorum'],
      [paramsFor(3.5, 1), 'params.trustees'],
      [{ electionHash: new Uint8Array(31), trustees: 3, quorum: 2 }, 'params.electionHash'],
    ];
    for (const [p, where] of bad) {
      expect(errorOf(validateCeremonyParams(p))).toBe(`CEREMONY_PARAMETERS @ ${where}`);
    }
    expect(() => createTrusteeRound1(paramsFor(3, 4), 1)).toThrow(RangeError);
    expect(() => createTrusteeRound1(paramsFor(3, 2), 4)).toThrow(RangeError);
    expect(() => createTrusteeRound1(paramsFor(3, 2), 0)).toThrow(RangeError);
  });

  it('locates a bad proof, commitment or shape in a round-1 message', () => {
    const params = paramsFor(4, 3);
    const [, , t3] = round1All(params, 'r1-tamper');
    const m = t3!.message;
    expect(verifyRound1Message(params, m).ok).toBe(true);
    const proofs = m.coefficientProofs;
    const withProof = (j: number, p: (typeof proofs)[number]): Round1Message => ({
      ...m,
      coefficientProofs: proofs.map((q, i) => (i === j ? p : q)),
    });
    const p1 = proofs[1]!;
    const cases: [Round1Message, string][] = [
      [
        withProof(1, { ...p1, response: bump(p1.response) }),
        'CEREMONY_COMMITMENT_PROOF @ trustee[3].coefficientProofs[1]',
      ],
      [
        withProof(1, { ...p1, challenge: bump(p1.challenge) }),
        'CEREMONY_COMMITMENT_PROOF @ trustee[3].coefficientProofs[1]',
      ],
      [
        withProof(2, { ...proofs[2]!, commitment: bumpElement(proofs[2]!.commitment) }),
        'CEREMONY_COMMITMENT_PROOF @ trustee[3].coefficientProofs[2]',
      ],
      [
        {
          ...m,
          coefficientCommitments: m.coefficientCommitments.map((k, j) =>
            j === 0 ? bumpElement(k) : k,
          ),
        },
        'CEREMONY_COMMITMENT_PROOF @ trustee[3].coefficientProofs[0]',
      ],
      // Proofs swapped between coefficients: each is bound to its own label.
      [withProof(0, proofs[1]!), 'CEREMONY_COMMITMENT_PROOF @ trustee[3].coefficientProofs[0]'],
      [
        { ...m, transportKey: bumpElement(m.transportKey) },
        'CEREMONY_COMMITMENT_PROOF @ trustee[3].transportProof',
      ],
      [
        {
          ...m,
          transportProof: { ...m.transportProof, response: bump(m.transportProof.response) },
        },
        'CEREMONY_COMMITMENT_PROOF @ trustee[3].transportProof',
      ],
      // Claiming to be another trustee: the labels carry the index.
      [{ ...m, index: 2 }, 'CEREMONY_COMMITMENT_PROOF @ trustee[2].coefficientProofs[0]'],
      [{ ...m, index: 5 }, 'CEREMONY_PARAMETERS @ round1.index'],
      [
        { ...m, coefficientCommitments: m.coefficientCommitments.slice(1) },
        'CEREMONY_PARAMETERS @ trustee[3].coefficientCommitments',
      ],
      [
        { ...m, coefficientProofs: proofs.slice(1) },
        'CEREMONY_PARAMETERS @ trustee[3].coefficientProofs',
      ],
      [
        { ...m, coefficientCommitments: [...m.coefficientCommitments, GroupElement.GENERATOR] },
        'CEREMONY_PARAMETERS @ trustee[3].coefficientCommitments',
      ],
    ];
    for (const [msg, expected] of cases)
      expect(errorOf(verifyRound1Message(params, msg))).toBe(expected);
    // Bound to the election.
    expect(
      errorOf(verifyRound1Message({ ...params, electionHash: OTHER_ELECTION_HASH }, m)),
    ).toMatch(/^CEREMONY_COMMITMENT_PROOF @ trustee\[3\]/);
    // Bound to the quorum through the number of commitments.
    expect(codeOf(verifyRound1Message({ ...params, quorum: 2 }, m))).toBe('CEREMONY_PARAMETERS');
  });

  it('checks a round-1 set for completeness and finds the first bad trustee', () => {
    const params = paramsFor(4, 2);
    const messages = round1All(params, 'r1-set').map((t) => t.message);
    expect(
      unwrap(verifyRound1Messages(params, [...messages].reverse())).map((m) => m.index),
    ).toEqual([1, 2, 3, 4]);
    expect(errorOf(verifyRound1Messages(params, messages.slice(0, 3)))).toBe(
      'CEREMONY_PARAMETERS @ trustee[4]',
    );
    expect(errorOf(verifyRound1Messages(params, [...messages, messages[1]!]))).toBe(
      'CEREMONY_PARAMETERS @ trustee[2]',
    );
    const bad = messages.slice();
    bad[2] = { ...bad[2]!, transportKey: bumpElement(bad[2]!.transportKey) };
    bad[3] = { ...bad[3]!, transportKey: bumpElement(bad[3]!.transportKey) };
    expect(errorOf(verifyRound1Messages(params, bad))).toBe(
      'CEREMONY_COMMITMENT_PROOF @ trustee[3].transportProof',
    );
    expect(codeOf(computeJointKey(params, bad))).toBe('CEREMONY_COMMITMENT_PROOF');
  });
});

describe('key ceremony: round 2 and accusations', () => {
  it('refuses to send shares when round 1 is bad or is not this trustee’s', () => {
    const { params, trustees, messages } = setup();
    const t1 = trustees[0]!.state;
    expect(codeOf(createShareMessages(params, t1, messages.slice(1)))).toBe('CEREMONY_PARAMETERS');
    const other = createTrusteeRound1(params, 1, createSeededRng('impostor')).message;
    expect(errorOf(createShareMessages(params, t1, [other, ...messages.slice(1)]))).toBe(
      'CEREMONY_PARAMETERS @ trustee[1]',
    );
  });

  it('rejects a tampered share message (MAC) and checks its addressing', () => {
    const { params, trustees, messages, shareFrom } = setup();
    const t2 = trustees[1]!.state;
    const good = shareFrom(1, 2);
    expect(receiveShare(params, t2, messages[0]!, good).ok).toBe(true);
    const flip = (b: Uint8Array, i: number): Uint8Array => b.map((x, j) => (j === i ? x ^ 1 : x));
    const tampered: [ShareMessage, string][] = [
      [
        { ...good, ciphertext: flip(good.ciphertext, 0) },
        'CEREMONY_SHARE_DECRYPTION @ trustee[1].shares[2].mac',
      ],
      [
        { ...good, ciphertext: flip(good.ciphertext, 31) },
        'CEREMONY_SHARE_DECRYPTION @ trustee[1].shares[2].mac',
      ],
      [{ ...good, mac: flip(good.mac, 7) }, 'CEREMONY_SHARE_DECRYPTION @ trustee[1].shares[2].mac'],
      [
        { ...good, ephemeral: bumpElement(good.ephemeral) },
        'CEREMONY_SHARE_DECRYPTION @ trustee[1].shares[2].mac',
      ],
    ];
    for (const [m, expected] of tampered) {
      expect(errorOf(receiveShare(params, t2, messages[0]!, m))).toBe(expected);
    }
    // Another recipient's share, a sender mismatch, a self-addressed share.
    expect(codeOf(receiveShare(params, t2, messages[0]!, shareFrom(1, 3)))).toBe(
      'CEREMONY_PARAMETERS',
    );
    expect(codeOf(receiveShare(params, t2, messages[2]!, good))).toBe('CEREMONY_PARAMETERS');
    expect(codeOf(receiveShare(params, t2, messages[1]!, { ...good, from: 2 }))).toBe(
      'CEREMONY_PARAMETERS',
    );
    // A relabelled message (from 1 claimed as from 3) fails the MAC, which binds the indices.
    expect(codeOf(receiveShare(params, t2, messages[2]!, { ...good, from: 3 }))).toBe(
      'CEREMONY_SHARE_DECRYPTION',
    );
  });

  it('catches a bad share P_i(l) + 1 and judges the accusation against the sender', () => {
    fc.assert(
      fc.property(
        arbRng,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        (rng, i, d) => {
          const { params, trustees, messages } = setup('ceremony-bad-share');
          const l = ((i - 1 + d) % 3) + 1; // l ≠ i
          const sender = trustees[i - 1]!.state;
          const recipient = trustees[l - 1]!.state;
          const badShare = evaluatePolynomial(sender.coefficients, l).add(Scalar.ONE);
          const bad = encryptShare(params, i, l, messages[l - 1]!.transportKey, badShare, rng);
          expect(errorOf(receiveShare(params, recipient, messages[i - 1]!, bad))).toBe(
            `CEREMONY_SHARE_INVALID @ trustee[${i}].shares[${l}]`,
          );
          const accusation = createAccusation(params, recipient, bad, rng);
          expect(accusation).toMatchObject({ accuser: l, accused: i });
          expect(unwrap(judgeAccusation(params, messages, accusation))).toEqual({
            verdict: 'accused-at-fault',
            accused: i,
            fault: 'feldman',
          });
          // The judge's verdict survives a JSON round trip of the accusation.
          const back = unwrap(
            decodeAccusation(JSON.parse(JSON.stringify(encodeAccusation(accusation)))),
          );
          expect(unwrap(judgeAccusation(params, messages, back)).verdict).toBe('accused-at-fault');
        },
      ),
      { numRuns: 6 },
    );
  });

  it('judges a garbled or non-canonical share against the sender', () => {
    const { params, rng, trustees, messages, shareFrom } = setup();
    const t3 = trustees[2]!.state;
    const good = shareFrom(2, 3);
    const garbled = { ...good, mac: good.mac.map((x, j) => (j === 0 ? x ^ 0x80 : x)) };
    expect(codeOf(receiveShare(params, t3, messages[1]!, garbled))).toBe(
      'CEREMONY_SHARE_DECRYPTION',
    );
    expect(
      unwrap(judgeAccusation(params, messages, createAccusation(params, t3, garbled, rng))),
    ).toEqual({
      verdict: 'accused-at-fault',
      accused: 2,
      fault: 'mac',
    });

    const notReduced = sealShareBytes(
      params,
      2,
      3,
      messages[2]!.transportKey,
      new Uint8Array(32).fill(0xff),
      rng,
    );
    expect(errorOf(receiveShare(params, t3, messages[1]!, notReduced))).toBe(
      'CEREMONY_SHARE_INVALID @ trustee[2].shares[3].ciphertext',
    );
    expect(
      unwrap(judgeAccusation(params, messages, createAccusation(params, t3, notReduced, rng)))
        .fault,
    ).toBe('encoding');
  });

  it('judges a false accusation against an honest sender as unfounded', () => {
    fc.assert(
      fc.property(arbRng, (rng) => {
        const { params, trustees, messages, shareFrom } = setup();
        const good = shareFrom(3, 1);
        expect(receiveShare(params, trustees[0]!.state, messages[2]!, good).ok).toBe(true);
        const accusation = createAccusation(params, trustees[0]!.state, good, rng);
        expect(errorOf(judgeAccusation(params, messages, accusation))).toBe(
          'CEREMONY_ACCUSATION_UNFOUNDED @ trustee[1].accusations[3]',
        );
      }),
      { numRuns: 4 },
    );
  });

  it('rejects a forged accusation (wrong D, bad proof, wrong parties)', () => {
    const { params, rng, trustees, messages } = setup();
    const sender = trustees[0]!.state;
    const recipient = trustees[1]!.state;
    const bad = encryptShare(
      params,
      1,
      2,
      messages[1]!.transportKey,
      evaluatePolynomial(sender.coefficients, 2).add(Scalar.ONE),
      rng,
    );
    const a = createAccusation(params, recipient, bad, rng);
    expect(judgeAccusation(params, messages, a).ok).toBe(true);
    const where = 'trustee[2].accusations[1]';
    const forged: [Accusation, string][] = [
      [
        { ...a, revealedKey: bumpElement(a.revealedKey) },
        `CEREMONY_ACCUSATION_INVALID @ ${where}.proof`,
      ],
      [
        { ...a, proof: { ...a.proof, response: bump(a.proof.response) } },
        `CEREMONY_ACCUSATION_INVALID @ ${where}.proof`,
      ],
      [
        { ...a, proof: { ...a.proof, challenge: bump(a.proof.challenge) } },
        `CEREMONY_ACCUSATION_INVALID @ ${where}.proof`,
      ],
      [
        { ...a, proof: { ...a.proof, commitmentH: bumpElement(a.proof.commitmentH) } },
        `CEREMONY_ACCUSATION_INVALID @ ${where}.proof`,
      ],
      // A third trustee cannot accuse on the recipient's behalf, even with a valid-looking D.
      [{ ...a, accuser: 3 }, 'CEREMONY_ACCUSATION_INVALID @ trustee[3].accusations[1]'],
      [{ ...a, accused: 3 }, 'CEREMONY_ACCUSATION_INVALID @ trustee[2].accusations[3]'],
    ];
    for (const [f, expected] of forged)
      expect(errorOf(judgeAccusation(params, messages, f))).toBe(expected);
    // A trustee other than the recipient reveals its own D for the message: the proof is for E_3, not E_2.
    const impostor = createAccusation(params, trustees[2]!.state, { ...bad, to: 3 }, rng);
    expect(
      codeOf(judgeAccusation(params, messages, { ...impostor, accuser: 2, shareMessage: bad })),
    ).toBe('CEREMONY_ACCUSATION_INVALID');
    // Bound to the election.
    expect(
      codeOf(judgeAccusation({ ...params, electionHash: OTHER_ELECTION_HASH }, messages, a)),
    ).not.toBe('ok');
    // The judge verifies the whole published round-1 set (one message per
    // trustee), so a tampered or missing message is reported where it is.
    const tamperedRound1 = messages.map((m) =>
      m.index === 1 ? { ...m, transportKey: bumpElement(m.transportKey) } : m,
    );
    expect(errorOf(judgeAccusation(params, tamperedRound1, a))).toBe(
      'CEREMONY_COMMITMENT_PROOF @ trustee[1].transportProof',
    );
    expect(errorOf(judgeAccusation(params, messages.slice(1), a))).toBe(
      'CEREMONY_PARAMETERS @ trustee[1]',
    );
    expect(errorOf(judgeAccusation(params, [...messages, messages[2]!], a))).toMatch(
      /^CEREMONY_PARAMETERS @ /,
    );
  });

  it('finishCeremony requires every share and checks them against V_l', () => {
    const { params, trustees, messages, shareFrom } = setup();
    const t1 = trustees[0]!.state;
    const s2 = unwrap(receiveShare(params, t1, messages[1]!, shareFrom(2, 1)));
    const s3 = unwrap(receiveShare(params, t1, messages[2]!, shareFrom(3, 1)));
    expect(
      finishCeremony(
        params,
        t1,
        messages,
        new Map([
          [2, s2],
          [3, s3],
        ]),
      ).ok,
    ).toBe(true);
    expect(errorOf(finishCeremony(params, t1, messages, new Map([[2, s2]])))).toBe(
      'CEREMONY_PARAMETERS @ receivedShares[3]',
    );
    expect(
      errorOf(
        finishCeremony(
          params,
          t1,
          messages,
          new Map([
            [2, s2],
            [3, bump(s3)],
          ]),
        ),
      ),
    ).toBe('CEREMONY_SHARE_INVALID @ receivedShares');
    expect(
      codeOf(
        finishCeremony(
          params,
          t1,
          messages,
          new Map([
            [1, s2],
            [2, s2],
            [3, s3],
          ]),
        ),
      ),
    ).toBe('CEREMONY_PARAMETERS');
  });
});

describe('key ceremony: JSON', () => {
  const { params, trustees, messages, shares } = setup('ceremony-json');
  const accusation = createAccusation(
    params,
    trustees[1]!.state,
    shares.find((m) => m.to === 2)!,
    createSeededRng('a'),
  );
  const joint = unwrap(computeJointKey(params, messages));

  it('round-trips every public message type', () => {
    const rt = <T>(x: T): unknown => JSON.parse(JSON.stringify(x));
    for (const m of messages) {
      const back = unwrap(decodeRound1Message(rt(encodeRound1Message(m))));
      expect(verifyRound1Message(params, back).ok).toBe(true);
      expect(encodeRound1Message(back)).toEqual(encodeRound1Message(m));
    }
    for (const s of shares) {
      const back = unwrap(decodeShareMessage(rt(encodeShareMessage(s))));
      expect(encodeShareMessage(back)).toEqual(encodeShareMessage(s));
      expect(receiveShare(params, trustees[s.to - 1]!.state, messages[s.from - 1]!, back).ok).toBe(
        true,
      );
    }
    expect(encodeAccusation(unwrap(decodeAccusation(rt(encodeAccusation(accusation)))))).toEqual(
      encodeAccusation(accusation),
    );
    expect(jointKeysEqual(unwrap(decodeJointKey(rt(encodeJointKey(joint)))), joint)).toBe(true);
    const state = trustees[0]!.state;
    const stateBack = unwrap(decodeTrusteeSecretState(rt(encodeTrusteeSecretState(state))));
    expect(encodeTrusteeSecretState(stateBack)).toEqual(encodeTrusteeSecretState(state));
  });

  it('rejects hostile round-1 JSON with coded errors', () => {
    const json = encodeRound1Message(messages[0]!);
    const proof = json.coefficientProofs[0]!;
    const cases: [unknown, string][] = [
      [null, 'MALFORMED @ round1'],
      ['round1', 'MALFORMED @ round1'],
      [{ ...json, extra: true }, 'MALFORMED @ round1'],
      [{ ...json, index: 0 }, 'MALFORMED @ round1'],
      [{ ...json, index: 256 }, 'MALFORMED @ round1'],
      [{ ...json, index: 1.5 }, 'MALFORMED @ round1'],
      [{ ...json, index: '1' }, 'MALFORMED @ round1'],
      [{ ...json, coefficientCommitments: [] }, 'MALFORMED @ round1'],
      [{ ...json, coefficientCommitments: 'ab' }, 'MALFORMED @ round1'],
      [
        { ...json, coefficientCommitments: Array(256).fill(json.transportKey) },
        'MALFORMED @ round1',
      ],
      [
        { ...json, coefficientCommitments: [json.transportKey, '00'.repeat(32)] },
        'IDENTITY_ELEMENT @ round1.coefficientCommitments[1]',
      ],
      [
        { ...json, coefficientCommitments: ['ff'.repeat(32)] },
        'INVALID_ELEMENT @ round1.coefficientCommitments[0]',
      ],
      [{ ...json, coefficientCommitments: [42] }, 'MALFORMED @ round1'],
      [
        { ...json, coefficientProofs: [proof, { ...proof, response: 'ff'.repeat(32) }] },
        'NON_CANONICAL_SCALAR @ round1.coefficientProofs[1].response',
      ],
      [
        { ...json, coefficientProofs: [{ ...proof, extra: 1 }] },
        'MALFORMED @ round1.coefficientProofs[0]',
      ],
      [
        { ...json, transportKey: json.transportKey.slice(2) },
        'INVALID_LENGTH @ round1.transportKey',
      ],
      [{ ...json, transportKey: undefined }, 'MALFORMED @ round1'],
      [{ ...json, transportProof: null }, 'MALFORMED @ round1'],
      [{ ...json, transportProof: {} }, 'MALFORMED @ round1.transportProof'],
      [
        { ...json, transportProof: { ...json.transportProof, challenge: 'zz'.repeat(32) } },
        'INVALID_HEX @ round1.transportProof.challenge',
      ],
    ];
    for (const [input, expected] of cases)
      expect(errorOf(decodeRound1Message(input))).toBe(expected);
  });

  it('rejects hostile share-message, accusation, joint-key and state JSON', () => {
    const share = encodeShareMessage(shares[0]!);
    const shareCases: [unknown, string][] = [
      [[], 'MALFORMED @ shareMessage'],
      [{ ...share, to: share.from }, 'MALFORMED @ shareMessage'],
      [{ ...share, from: -1 }, 'MALFORMED @ shareMessage'],
      [{ ...share, mac: undefined }, 'MALFORMED @ shareMessage'],
      [{ ...share, extra: 0 }, 'MALFORMED @ shareMessage'],
      [{ ...share, ephemeral: '00'.repeat(32) }, 'IDENTITY_ELEMENT @ shareMessage.ephemeral'],
      [{ ...share, ephemeral: 'ff'.repeat(32) }, 'INVALID_ELEMENT @ shareMessage.ephemeral'],
      [
        { ...share, ciphertext: share.ciphertext + '00' },
        'INVALID_LENGTH @ shareMessage.ciphertext',
      ],
      [{ ...share, ciphertext: 'g'.repeat(64) }, 'INVALID_HEX @ shareMessage.ciphertext'],
      [{ ...share, mac: share.mac.slice(0, 62) }, 'INVALID_LENGTH @ shareMessage.mac'],
    ];
    for (const [input, expected] of shareCases)
      expect(errorOf(decodeShareMessage(input))).toBe(expected);

    const acc = encodeAccusation(accusation);
    const accCases: [unknown, string][] = [
      [{ ...acc, proof: undefined }, 'MALFORMED @ accusation'],
      [{ ...acc, accuser: 0 }, 'MALFORMED @ accusation'],
      [{ ...acc, extra: 1 }, 'MALFORMED @ accusation'],
      [
        { ...acc, shareMessage: { ...acc.shareMessage, mac: 'x' } },
        'INVALID_LENGTH @ accusation.shareMessage.mac',
      ],
      [{ ...acc, revealedKey: '00'.repeat(32) }, 'IDENTITY_ELEMENT @ accusation.revealedKey'],
      [
        { ...acc, proof: { ...acc.proof, commitmentG: 'ff'.repeat(32) } },
        'INVALID_ELEMENT @ accusation.proof.commitmentG',
      ],
      [
        { ...acc, proof: { ...acc.proof, response: 'ff'.repeat(32) } },
        'NON_CANONICAL_SCALAR @ accusation.proof.response',
      ],
    ];
    for (const [input, expected] of accCases)
      expect(errorOf(decodeAccusation(input))).toBe(expected);

    const jk = encodeJointKey(joint);
    const jkCases: [unknown, string][] = [
      [{ ...jk, quorum: 4 }, 'CEREMONY_PARAMETERS @ jointKey'],
      [{ ...jk, verificationKeys: jk.verificationKeys.slice(1) }, 'CEREMONY_PARAMETERS @ jointKey'],
      [{ ...jk, trustees: 0 }, 'MALFORMED @ jointKey'],
      [{ ...jk, publicKey: '00'.repeat(32) }, 'IDENTITY_ELEMENT @ jointKey.publicKey'],
      [
        { ...jk, verificationKeys: [jk.publicKey, jk.publicKey, 'ff'.repeat(32)] },
        'INVALID_ELEMENT @ jointKey.verificationKeys[2]',
      ],
      [{ ...jk, more: 1 }, 'MALFORMED @ jointKey'],
    ];
    for (const [input, expected] of jkCases) expect(errorOf(decodeJointKey(input))).toBe(expected);

    const st = encodeTrusteeSecretState(trustees[0]!.state);
    const stCases: [unknown, string][] = [
      [{ ...st, index: 0 }, 'MALFORMED @ trusteeState'],
      [
        { ...st, coefficients: ['ff'.repeat(32)] },
        'NON_CANONICAL_SCALAR @ trusteeState.coefficients[0]',
      ],
      [
        { ...st, transportSecretKey: '00'.repeat(32) },
        'ZERO_SCALAR @ trusteeState.transportSecretKey',
      ],
    ];
    for (const [input, expected] of stCases) {
      const r = decodeTrusteeSecretState(input);
      expect(errorOf(r)).toBe(expected);
      // Errors name the field, never a secret value.
      if (!r.ok) expect(r.error.message).not.toContain(st.coefficients[0]!);
    }
  });
});
