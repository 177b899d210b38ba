/**
 * Chaum-Pedersen proof of equal discrete logs (docs/spec.md §5.2; Chaum and
 * Pedersen, "Wallet databases with observers", CRYPTO 1992): proves knowledge
 * of s with X = s·G and Y = s·H for public G, H, X, Y. Used for decryption
 * shares (G = generator, X = trustee verification key, H = α, Y = s·α) and for
 * key ceremony accusations.
 *
 *   prover:   u ← random, A = u·G, B = u·H
 *   challenge c = H(ACTA_V1_CHAUM_PEDERSEN_CHALLENGE, [electionHash, label, G, X, H, Y, A, B])
 *   response  z = u + c·s
 *   verifier: recompute c, check z·G = A + c·X and z·H = B + c·Y
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

/** The public statement: log_G(X) = log_H(Y). */
export interface ChaumPedersenStatement {
  readonly g: GroupElement;
  readonly x: GroupElement;
  readonly h: GroupElement;
  readonly y: GroupElement;
}

/** A Chaum-Pedersen proof (A, B, c, z). */
export interface ChaumPedersenProof {
  readonly commitmentG: GroupElement;
  readonly commitmentH: GroupElement;
  readonly challenge: Scalar;
  readonly response: Scalar;
}

/** The JSON form of a Chaum-Pedersen proof (hex encodings). */
export interface ChaumPedersenProofJson {
  readonly commitmentG: string;
  readonly commitmentH: string;
  readonly challenge: string;
  readonly response: string;
}

/** One item of a Chaum-Pedersen batch. */
export interface ChaumPedersenItem {
  readonly context: ProofContext;
  readonly statement: ChaumPedersenStatement;
  readonly proof: ChaumPedersenProof;
}

function chaumPedersenChallenge(
  context: ProofContext,
  st: ChaumPedersenStatement,
  a: GroupElement,
  b: GroupElement,
): Scalar {
  return hashToScalar(TAG.CHAUM_PEDERSEN_CHALLENGE, [
    ...contextHashParts(context),
    st.g,
    st.x,
    st.h,
    st.y,
    a,
    b,
  ]);
}

/** Proves log_G(X) = log_H(Y) = secret. */
export function proveChaumPedersen(
  context: ProofContext,
  statement: ChaumPedersenStatement,
  secret: Scalar,
  rng: Rng = defaultRng,
): ChaumPedersenProof {
  const u = Scalar.random(rng);
  const commitmentG = statement.g.multiply(u);
  const commitmentH = statement.h.multiply(u);
  const challenge = chaumPedersenChallenge(context, statement, commitmentG, commitmentH);
  return { commitmentG, commitmentH, challenge, response: u.add(challenge.multiply(secret)) };
}

/** Recomputes the challenge and returns the two verification equations. */
export function chaumPedersenChecks(
  context: ProofContext,
  statement: ChaumPedersenStatement,
  proof: ChaumPedersenProof,
  where = 'chaumPedersen',
): Result<readonly LinearCheck[], CryptoError> {
  const ctx = checkProofContext(context, where);
  if (!ctx.ok) return ctx;
  // A statement over the identity is vacuous (any s works for G or H = 0).
  if (statement.g.isIdentity() || statement.h.isIdentity()) {
    return err(
      cryptoError(
        'IDENTITY_ELEMENT',
        `${where}.statement`,
        'a base of the statement is the identity',
      ),
    );
  }
  const expected = chaumPedersenChallenge(context, statement, proof.commitmentG, proof.commitmentH);
  if (!expected.equals(proof.challenge)) {
    return err(
      cryptoError(
        'PROOF_CHALLENGE_MISMATCH',
        `${where}.challenge`,
        'the challenge does not match the statement and commitments',
      ),
    );
  }
  const minusOne = Scalar.ONE.negate();
  const minusC = proof.challenge.negate();
  return ok([
    {
      where: `${where}[G]`,
      terms: [
        [proof.response, statement.g],
        [minusOne, proof.commitmentG],
        [minusC, statement.x],
      ],
    },
    {
      where: `${where}[H]`,
      terms: [
        [proof.response, statement.h],
        [minusOne, proof.commitmentH],
        [minusC, statement.y],
      ],
    },
  ]);
}

/** Verifies one Chaum-Pedersen proof. */
export function verifyChaumPedersen(
  context: ProofContext,
  statement: ChaumPedersenStatement,
  proof: ChaumPedersenProof,
  where = 'chaumPedersen',
): Result<true, CryptoError> {
  return verifyLinearChecks(
    chaumPedersenChecks(context, statement, proof, where),
    'a Chaum-Pedersen equation does not hold',
  );
}

/** Verifies many Chaum-Pedersen proofs with one MSM, locating failures on fallback. */
export function batchVerifyChaumPedersen(items: readonly ChaumPedersenItem[]): BatchOutcome {
  return verifyBatch(items, (item, i) =>
    chaumPedersenChecks(item.context, item.statement, item.proof, `chaumPedersen[${i}]`),
  );
}

/** The JSON form of a proof. */
export function encodeChaumPedersenProof(proof: ChaumPedersenProof): ChaumPedersenProofJson {
  return {
    commitmentG: proof.commitmentG.toHex(),
    commitmentH: proof.commitmentH.toHex(),
    challenge: proof.challenge.toHex(),
    response: proof.response.toHex(),
  };
}

const ChaumPedersenProofJsonSchema = z
  .object({
    commitmentG: z.string(),
    commitmentH: z.string(),
    challenge: z.string(),
    response: z.string(),
  })
  .strict();

/** Parses a proof from untrusted JSON, validating every encoding. */
export function decodeChaumPedersenProof(
  json: unknown,
  where = 'chaumPedersen',
): Result<ChaumPedersenProof, CryptoError> {
  const parsed = parseShape(
    ChaumPedersenProofJsonSchema,
    json,
    where,
    'expected {"commitmentG", "commitmentH", "challenge", "response"} hex strings',
  );
  if (!parsed.ok) return parsed;
  const commitmentG = GroupElement.decodeHex(parsed.value.commitmentG, `${where}.commitmentG`);
  if (!commitmentG.ok) return commitmentG;
  const commitmentH = GroupElement.decodeHex(parsed.value.commitmentH, `${where}.commitmentH`);
  if (!commitmentH.ok) return commitmentH;
  const challenge = Scalar.decodeHex(parsed.value.challenge, `${where}.challenge`);
  if (!challenge.ok) return challenge;
  const response = Scalar.decodeHex(parsed.value.response, `${where}.response`);
  if (!response.ok) return response;
  return ok({
    commitmentG: commitmentG.value,
    commitmentH: commitmentH.value,
    challenge: challenge.value,
    response: response.value,
  });
}
