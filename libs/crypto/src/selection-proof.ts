/**
 * Disjunctive 0/1 proof for one selection (docs/spec.md §5.3): proves that an
 * exponential ElGamal ciphertext encrypts 0 or 1, i.e. that a voter marked a
 * card at most once. It is the range proof of spec §5.4 (range-proof.ts) with
 * L = 1 — the Cramer-Damgård-Schoenmakers OR of two Chaum-Pedersen branches,
 * as ElectionGuard 2.x §3.3.5 — under its own tag ACTA_V1_SELECTION_CHALLENGE,
 * so that a 0/1 proof can never be replayed as a range proof or vice versa:
 *
 *   c = H(ACTA_V1_SELECTION_CHALLENGE, [electionHash, label, K, α, β, 1, [A_0, B_0, A_1, B_1]])
 *
 * The proof carries both branches' commitments, challenges and responses.
 */
import { verifyBatch, verifyLinearChecks, type BatchOutcome, type LinearCheck } from './batch.js';
import type { Ciphertext } from './elgamal.js';
import type { CryptoError } from './errors.js';
import type { GroupElement, Scalar } from './group.js';
import type { ProofContext } from './proof-context.js';
import {
  decodeRangeProofBranches,
  encodeRangeProof,
  proveRangeTagged,
  rangeChecksTagged,
  type RangeProof,
  type RangeProofJson,
} from './range-proof.js';
import type { Result } from './result.js';
import { defaultRng, type Rng } from './rng.js';
import { TAG } from './tags.js';

/** A 0/1 proof: a range proof with two branches (index 0: "encrypts 0", 1: "encrypts 1"). */
export type SelectionProof = RangeProof;

/** The JSON form of a selection proof (two entries in each array). */
export type SelectionProofJson = RangeProofJson;

/** One item of a selection-proof batch. */
export interface SelectionItem {
  readonly context: ProofContext;
  readonly publicKey: GroupElement;
  readonly ciphertext: Ciphertext;
  readonly proof: SelectionProof;
}

/** The bound L of a selection: a card is marked 0 or 1 times. */
const SELECTION_BOUND = 1;

/**
 * Proves that `ciphertext` = Enc(vote; nonce) with vote ∈ {0, 1}. Any other
 * vote is a bug (RangeError, without the vote in the message). Constant work
 * for either vote (see proveRangeTagged).
 */
export function proveSelection(
  context: ProofContext,
  publicKey: GroupElement,
  ciphertext: Ciphertext,
  vote: number,
  nonce: Scalar,
  rng: Rng = defaultRng,
): SelectionProof {
  return proveRangeTagged(
    TAG.SELECTION_CHALLENGE,
    context,
    publicKey,
    ciphertext,
    vote,
    nonce,
    SELECTION_BOUND,
    rng,
  );
}

/** Recomputes the challenge and returns the proof's four verification equations. */
export function selectionChecks(
  context: ProofContext,
  publicKey: GroupElement,
  ciphertext: Ciphertext,
  proof: SelectionProof,
  where = 'selection',
): Result<readonly LinearCheck[], CryptoError> {
  return rangeChecksTagged(
    TAG.SELECTION_CHALLENGE,
    context,
    publicKey,
    ciphertext,
    SELECTION_BOUND,
    proof,
    where,
  );
}

/** Verifies one selection proof. */
export function verifySelection(
  context: ProofContext,
  publicKey: GroupElement,
  ciphertext: Ciphertext,
  proof: SelectionProof,
  where = 'selection',
): Result<true, CryptoError> {
  return verifyLinearChecks(
    selectionChecks(context, publicKey, ciphertext, proof, where),
    'a 0/1 proof equation does not hold',
  );
}

/** Verifies many selection proofs with one MSM, locating failures on fallback. */
export function batchVerifySelection(items: readonly SelectionItem[]): BatchOutcome {
  return verifyBatch(items, (item, i) =>
    selectionChecks(item.context, item.publicKey, item.ciphertext, item.proof, `selection[${i}]`),
  );
}

/** The JSON form of a proof. */
export function encodeSelectionProof(proof: SelectionProof): SelectionProofJson {
  return encodeRangeProof(proof);
}

/**
 * Parses a selection proof from untrusted JSON, validating every encoding;
 * anything but exactly two branches is PROOF_SHAPE_MISMATCH.
 */
export function decodeSelectionProof(
  json: unknown,
  where = 'selection',
): Result<SelectionProof, CryptoError> {
  return decodeRangeProofBranches(json, where, SELECTION_BOUND + 1);
}
