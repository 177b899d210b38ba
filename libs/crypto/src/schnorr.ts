/**
 * Schnorr proof of knowledge of a discrete log (docs/spec.md §5.1): proves
 * knowledge of s with X = s·G without revealing s. Used for trustee key
 * ceremony coefficients and any public key whose owner must prove possession.
 *
 *   prover:   u ← random, A = u·G
 *   challenge c = H(ACTA_V1_SCHNORR_CHALLENGE, [electionHash, label, X, A])
 *   response  z = u + c·s
 *   verifier: recompute c, check z·G = A + c·X
 *
 * The proof carries (A, c, z): A so that proofs batch (one MSM per batch),
 * c so that a changed challenge is reported as such.
 */
import { z } from 'zod';
import { verifyBatch, verifyLinearChecks, type BatchOutcome, type LinearCheck } from './batch.js';
import { parseShape } from './json.js';
import { cryptoError, type CryptoError } from './errors.js';
import { GroupElement, Scalar } from './group.js';
import { hashToScalar } from './hash.js';
import { checkProofContext, contextHashParts, type ProofContext } from './proof-context.js';
import { err, ok, type Result } from './result.js';
import { defaultRng, type Rng } from './rng.js';
import { TAG } from './tags.js';

/** A Schnorr proof of knowledge of log_G(X). */
export interface SchnorrProof {
  readonly commitment: GroupElement;
  readonly challenge: Scalar;
  readonly response: Scalar;
}

/** The JSON form of a Schnorr proof (hex encodings). */
export interface SchnorrProofJson {
  readonly commitment: string;
  readonly challenge: string;
  readonly response: string;
}

/** One item of a Schnorr batch. */
export interface SchnorrItem {
  readonly context: ProofContext;
  readonly publicKey: GroupElement;
  readonly proof: SchnorrProof;
}

function schnorrChallenge(
  context: ProofContext,
  publicKey: GroupElement,
  commitment: GroupElement,
): Scalar {
  return hashToScalar(TAG.SCHNORR_CHALLENGE, [...contextHashParts(context), publicKey, commitment]);
}

/** Proves knowledge of `secret` for publicKey = secret·G. */
export function proveSchnorr(
  context: ProofContext,
  secret: Scalar,
  publicKey: GroupElement,
  rng: Rng = defaultRng,
): SchnorrProof {
  const u = Scalar.random(rng);
  const commitment = GroupElement.multiplyGenerator(u);
  const challenge = schnorrChallenge(context, publicKey, commitment);
  return { commitment, challenge, response: u.add(challenge.multiply(secret)) };
}

/**
 * Recomputes the challenge and returns the proof's verification equation
 * z·G − A − c·X = 0, or the error that stops verification early.
 */
export function schnorrChecks(
  context: ProofContext,
  publicKey: GroupElement,
  proof: SchnorrProof,
  where = 'schnorr',
): Result<readonly LinearCheck[], CryptoError> {
  const ctx = checkProofContext(context, where);
  if (!ctx.ok) return ctx;
  if (publicKey.isIdentity()) {
    return err(
      cryptoError('IDENTITY_ELEMENT', `${where}.publicKey`, 'the public key is the identity'),
    );
  }
  const expected = schnorrChallenge(context, publicKey, proof.commitment);
  if (!expected.equals(proof.challenge)) {
    return err(
      cryptoError(
        'PROOF_CHALLENGE_MISMATCH',
        `${where}.challenge`,
        'the challenge does not match the statement and commitment',
      ),
    );
  }
  return ok([
    {
      where,
      terms: [
        [proof.response, GroupElement.GENERATOR],
        [Scalar.ONE.negate(), proof.commitment],
        [proof.challenge.negate(), publicKey],
      ],
    },
  ]);
}

/** Verifies one Schnorr proof. */
export function verifySchnorr(
  context: ProofContext,
  publicKey: GroupElement,
  proof: SchnorrProof,
  where = 'schnorr',
): Result<true, CryptoError> {
  return verifyLinearChecks(schnorrChecks(context, publicKey, proof, where), 'z·G ≠ A + c·X');
}

/** Verifies many Schnorr proofs with one MSM, locating failures on fallback. */
export function batchVerifySchnorr(items: readonly SchnorrItem[]): BatchOutcome {
  return verifyBatch(items, (item, i) =>
    schnorrChecks(item.context, item.publicKey, item.proof, `schnorr[${i}]`),
  );
}

/** The JSON form of a proof. */
export function encodeSchnorrProof(proof: SchnorrProof): SchnorrProofJson {
  return {
    commitment: proof.commitment.toHex(),
    challenge: proof.challenge.toHex(),
    response: proof.response.toHex(),
  };
}

const SchnorrProofJsonSchema = z
  .object({ commitment: z.string(), challenge: z.string(), response: z.string() })
  .strict();

/** Parses a proof from untrusted JSON, validating every encoding. */
export function decodeSchnorrProof(
  json: unknown,
  where = 'schnorr',
): Result<SchnorrProof, CryptoError> {
  const parsed = parseShape(
    SchnorrProofJsonSchema,
    json,
    where,
    'expected {"commitment", "challenge", "response"} hex strings',
  );
  if (!parsed.ok) return parsed;
  const commitment = GroupElement.decodeHex(parsed.value.commitment, `${where}.commitment`);
  if (!commitment.ok) return commitment;
  const challenge = Scalar.decodeHex(parsed.value.challenge, `${where}.challenge`);
  if (!challenge.ok) return challenge;
  const response = Scalar.decodeHex(parsed.value.response, `${where}.response`);
  if (!response.ok) return response;
  return ok({ commitment: commitment.value, challenge: challenge.value, response: response.value });
}
