/**
 * Inclusion and consistency proofs as values and as JSON (RFC 6962 §2.1.1
 * audit paths and §2.1.2 consistency proofs; the JSON spelling is Acta's:
 * sizes as numbers, hashes as lowercase hex, bottom-up as the RFC orders them).
 *
 * Parsing is the boundary for proofs served by a board: the shape is checked
 * with zod (at most 64 hashes, no extra fields), then sizes, hex and the exact
 * number of hashes the sizes imply, so a verifier never hashes a malformed
 * proof. Verification itself is `verifyInclusion` / `verifyConsistency`.
 */
import { encodeHex, err, ok, type Result } from '@acta/crypto';
import { z } from 'zod';
import { isSafeUint } from './bits.js';
import { boardError, type BoardError } from './errors.js';
import { MAX_JSON_HASHES, decodeHashes, parseShape } from './json.js';
import { consistencyProofLength, inclusionProofLength } from './verify.js';

/** The audit path of leaf `index` in the tree of the first `treeSize` leaves. */
export interface InclusionProof {
  readonly index: number;
  readonly treeSize: number;
  readonly proof: readonly Uint8Array[];
}

/** JSON form of an inclusion proof. */
export interface InclusionProofJson {
  readonly index: number;
  readonly treeSize: number;
  readonly proof: readonly string[];
}

/** The proof that the tree of `newSize` leaves extends the tree of its first `oldSize` leaves. */
export interface ConsistencyProof {
  readonly oldSize: number;
  readonly newSize: number;
  readonly proof: readonly Uint8Array[];
}

/** JSON form of a consistency proof. */
export interface ConsistencyProofJson {
  readonly oldSize: number;
  readonly newSize: number;
  readonly proof: readonly string[];
}

const hashListSchema = z.array(z.string()).max(MAX_JSON_HASHES);

const inclusionSchema = z.strictObject({
  index: z.number(),
  treeSize: z.number(),
  proof: hashListSchema,
});

const consistencySchema = z.strictObject({
  oldSize: z.number(),
  newSize: z.number(),
  proof: hashListSchema,
});

function lengthMismatch(where: string, expected: number, got: number): BoardError {
  return boardError(
    'PROOF_LENGTH_MISMATCH',
    where,
    `these sizes imply ${expected} hashes, the proof has ${got}`,
  );
}

/** The JSON form of an inclusion proof. */
export function encodeInclusionProof(proof: InclusionProof): InclusionProofJson {
  return {
    index: proof.index,
    treeSize: proof.treeSize,
    proof: proof.proof.map((h) => encodeHex(h)),
  };
}

/**
 * Parses an inclusion proof. Errors: MALFORMED_JSON, SIZE_OUT_OF_RANGE,
 * INDEX_OUT_OF_RANGE, PROOF_LENGTH_MISMATCH, INVALID_LENGTH, INVALID_HEX.
 */
export function parseInclusionProof(
  json: unknown,
  where = 'inclusionProof',
): Result<InclusionProof, BoardError> {
  const shape = parseShape(inclusionSchema, json, where);
  if (!shape.ok) return shape;
  const { index, treeSize, proof } = shape.value;
  if (!isSafeUint(treeSize) || treeSize === 0) {
    return err(
      boardError('SIZE_OUT_OF_RANGE', `${where}.treeSize`, 'expected a positive safe integer'),
    );
  }
  if (!isSafeUint(index) || index >= treeSize) {
    return err(
      boardError('INDEX_OUT_OF_RANGE', `${where}.index`, `expected 0 ≤ index < ${treeSize}`),
    );
  }
  const expected = inclusionProofLength(index, treeSize);
  if (proof.length !== expected)
    return err(lengthMismatch(`${where}.proof`, expected, proof.length));
  const hashes = decodeHashes(proof, `${where}.proof`);
  if (!hashes.ok) return hashes;
  return ok({ index, treeSize, proof: hashes.value });
}

/** The JSON form of a consistency proof. */
export function encodeConsistencyProof(proof: ConsistencyProof): ConsistencyProofJson {
  return {
    oldSize: proof.oldSize,
    newSize: proof.newSize,
    proof: proof.proof.map((h) => encodeHex(h)),
  };
}

/**
 * Parses a consistency proof. Errors: MALFORMED_JSON, SIZE_OUT_OF_RANGE,
 * PROOF_LENGTH_MISMATCH, INVALID_LENGTH, INVALID_HEX.
 */
export function parseConsistencyProof(
  json: unknown,
  where = 'consistencyProof',
): Result<ConsistencyProof, BoardError> {
  const shape = parseShape(consistencySchema, json, where);
  if (!shape.ok) return shape;
  const { oldSize, newSize, proof } = shape.value;
  if (!isSafeUint(newSize)) {
    return err(
      boardError('SIZE_OUT_OF_RANGE', `${where}.newSize`, 'expected a non-negative safe integer'),
    );
  }
  if (!isSafeUint(oldSize) || oldSize > newSize) {
    return err(
      boardError('SIZE_OUT_OF_RANGE', `${where}.oldSize`, `expected 0 ≤ oldSize ≤ ${newSize}`),
    );
  }
  const expected = consistencyProofLength(oldSize, newSize);
  if (proof.length !== expected)
    return err(lengthMismatch(`${where}.proof`, expected, proof.length));
  const hashes = decodeHashes(proof, `${where}.proof`);
  if (!hashes.ok) return hashes;
  return ok({ oldSize, newSize, proof: hashes.value });
}
