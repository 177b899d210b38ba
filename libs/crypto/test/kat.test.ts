// Known-answer vectors for Acta's proofs (spec §8): test/vectors/acta-v1-proofs.json.
// (1) Regenerating every case from its seed must reproduce the committed file
// byte for byte — run `ACTA_WRITE_VECTORS=1 npx vitest run libs/crypto/test/kat.test.ts`
// to rewrite it after a deliberate, spec-versioned change. (2) Every committed
// proof must verify from the file alone, and its statement must match its
// recorded secret inputs, so the file is a verification suite for any backend.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GroupElement,
  Scalar,
  computeDecryptionShare,
  decodeChaumPedersenProof,
  decodeCiphertext,
  decodeEncryptedContest,
  decodeHex,
  decodeRangeProof,
  decodeSchnorrProof,
  decodeSelectionProof,
  encrypt,
  removeDecryptionShare,
  solveDiscreteLog,
  unwrap,
  verifyChaumPedersen,
  verifyContest,
  verifyRange,
  verifySchnorr,
  verifySelection,
  type Ciphertext,
  type ProofContext,
} from '../src/index.js';
import {
  VECTORS_SOURCE,
  generateProofVectors,
  serializeProofVectors,
  type ContextJson,
  type ProofVectors,
} from './generate-vectors.js';

const FILE = new URL('./vectors/acta-v1-proofs.json', import.meta.url);

if (process.env['ACTA_WRITE_VECTORS'] === '1') {
  writeFileSync(FILE, serializeProofVectors(generateProofVectors()));
}

const committedText = readFileSync(FILE, 'utf8');
const committed = JSON.parse(committedText) as ProofVectors;

function element(hex: string): GroupElement {
  return unwrap(GroupElement.decodeHex(hex, 'vector'));
}

function scalar(hex: string): Scalar {
  return unwrap(Scalar.decodeHex(hex, 'vector'));
}

function proofContext(json: ContextJson): ProofContext {
  return { electionHash: unwrap(decodeHex(json.electionHash, 'vector', 32)), label: json.label };
}

function ciphertext(json: unknown): Ciphertext {
  return unwrap(decodeCiphertext(json));
}

function decrypt(secretKey: Scalar, ct: Ciphertext): number {
  return unwrap(
    solveDiscreteLog(removeDecryptionShare(ct, computeDecryptionShare(secretKey, ct)), 1000),
  );
}

describe('proof known-answer vectors', () => {
  it('has the documented header and number of cases', () => {
    expect(committed.source).toBe(VECTORS_SOURCE);
    expect(committed.specVersion).toBe(1);
    expect(committed.schnorr).toHaveLength(2);
    expect(committed.chaumPedersen).toHaveLength(2);
    expect(committed.selection.map((c) => c.inputs.vote)).toEqual([0, 1]);
    expect(committed.range.map((c) => [c.statement.bound, c.inputs.value])).toEqual([
      [3, 0],
      [3, 3],
    ]);
    expect(committed.contest.map((c) => [c.statement.limit, c.inputs.votes.length])).toEqual([
      [1, 5],
    ]);
  });

  it('regenerates bit for bit from the seeds', () => {
    expect(serializeProofVectors(generateProofVectors())).toBe(committedText);
  });

  it('Schnorr vectors verify and match their inputs', () => {
    for (const c of committed.schnorr) {
      const X = element(c.statement.publicKey);
      expect(GroupElement.multiplyGenerator(scalar(c.inputs.secret)).equals(X)).toBe(true);
      const proof = unwrap(decodeSchnorrProof(c.proof));
      expect(verifySchnorr(proofContext(c.context), X, proof).ok).toBe(true);
    }
  });

  it('Chaum-Pedersen vectors verify and match their inputs', () => {
    for (const c of committed.chaumPedersen) {
      const st = {
        g: element(c.statement.g),
        x: element(c.statement.x),
        h: element(c.statement.h),
        y: element(c.statement.y),
      };
      const s = scalar(c.inputs.secret);
      expect(st.g.equals(GroupElement.GENERATOR)).toBe(true);
      expect(st.x.equals(st.g.multiply(s))).toBe(true);
      expect(st.h.equals(GroupElement.multiplyGenerator(scalar(c.inputs.baseLog)))).toBe(true);
      expect(st.y.equals(st.h.multiply(s))).toBe(true);
      const proof = unwrap(decodeChaumPedersenProof(c.proof));
      expect(verifyChaumPedersen(proofContext(c.context), st, proof).ok).toBe(true);
    }
  });

  it('selection vectors verify and match their inputs', () => {
    for (const c of committed.selection) {
      const K = element(c.statement.publicKey);
      const ct = ciphertext(c.statement.ciphertext);
      const sk = scalar(c.inputs.secretKey);
      expect(GroupElement.multiplyGenerator(sk).equals(K)).toBe(true);
      const expected = encrypt(K, Scalar.fromInt(c.inputs.vote), scalar(c.inputs.nonce));
      expect(expected.alpha.equals(ct.alpha) && expected.beta.equals(ct.beta)).toBe(true);
      expect(decrypt(sk, ct)).toBe(c.inputs.vote);
      const proof = unwrap(decodeSelectionProof(c.proof));
      expect(verifySelection(proofContext(c.context), K, ct, proof).ok).toBe(true);
    }
  });

  it('range vectors verify and match their inputs', () => {
    for (const c of committed.range) {
      const K = element(c.statement.publicKey);
      const ct = ciphertext(c.statement.ciphertext);
      const sk = scalar(c.inputs.secretKey);
      expect(GroupElement.multiplyGenerator(sk).equals(K)).toBe(true);
      const expected = encrypt(K, Scalar.fromInt(c.inputs.value), scalar(c.inputs.nonce));
      expect(expected.alpha.equals(ct.alpha) && expected.beta.equals(ct.beta)).toBe(true);
      expect(decrypt(sk, ct)).toBe(c.inputs.value);
      const proof = unwrap(decodeRangeProof(c.proof));
      const ctx = proofContext(c.context);
      expect(verifyRange(ctx, K, ct, c.statement.bound, proof).ok).toBe(true);
    }
  });

  it('contest vectors verify and match their inputs', () => {
    for (const c of committed.contest) {
      const K = element(c.statement.publicKey);
      const sk = scalar(c.inputs.secretKey);
      expect(GroupElement.multiplyGenerator(sk).equals(K)).toBe(true);
      const contest = unwrap(decodeEncryptedContest(c.contest));
      expect(contest.selections).toHaveLength(c.inputs.votes.length);
      contest.selections.forEach((s, i) => {
        const expected = encrypt(
          K,
          Scalar.fromInt(c.inputs.votes[i]!),
          scalar(c.inputs.nonces[i]!),
        );
        expect(expected.alpha.equals(s.ciphertext.alpha)).toBe(true);
        expect(expected.beta.equals(s.ciphertext.beta)).toBe(true);
        expect(decrypt(sk, s.ciphertext)).toBe(c.inputs.votes[i]);
      });
      const ctx = proofContext(c.context);
      expect(verifyContest(ctx, K, contest, c.statement.limit).ok).toBe(true);
    }
  });

  it('committed proofs do not verify against another case', () => {
    // Guards the checks above against a verifier that accepts everything.
    const [s0, s1] = committed.selection;
    const [r0, r3] = committed.range;
    const selectionProof = unwrap(decodeSelectionProof(s0!.proof));
    expect(
      verifySelection(
        proofContext(s0!.context),
        element(s0!.statement.publicKey),
        ciphertext(s1!.statement.ciphertext),
        selectionProof,
      ).ok,
    ).toBe(false);
    const rangeProof = unwrap(decodeRangeProof(r3!.proof));
    expect(
      verifyRange(
        proofContext(r0!.context),
        element(r3!.statement.publicKey),
        ciphertext(r3!.statement.ciphertext),
        3,
        rangeProof,
      ).ok,
    ).toBe(false);
    const [p0, p1] = committed.schnorr;
    expect(
      verifySchnorr(
        proofContext(p0!.context),
        element(p1!.statement.publicKey),
        unwrap(decodeSchnorrProof(p0!.proof)),
      ).ok,
    ).toBe(false);
  });
});
