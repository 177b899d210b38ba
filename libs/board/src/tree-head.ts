/**
 * Signed tree heads: the board operator's signed statement "my log `logId`
 * had `treeSize` entries with RFC 6962 root `rootHash` at `timestamp`", the
 * analogue of RFC 6962 §3.5 / RFC 9162 §4.10 signed tree heads with Acta's
 * signature framing instead of TLS structures: Ed25519 over
 * signedMessageBytes('ACTA_V1_TREE_HEAD', [logId, treeSize, rootHash,
 * timestamp]) (docs/spec.md §7: canonical, typed, length-prefixed and
 * domain-separated, so a tree-head signature can never pass for another
 * record's).
 *
 * Two validly signed heads of one log must be consistent (RFC 9162 §2.1.4):
 * `checkTreeHeadConsistency` turns a failure into INCONSISTENT_TREES, the
 * evidence that the operator showed different histories to different people.
 */
import {
  Signature,
  bytesEqual,
  encodeHex,
  err,
  ok,
  signMessage,
  verifySignature,
  type Result,
  type SigningPublicKey,
  type SigningSecretKey,
} from '@acta/crypto';
import { z } from 'zod';
import { isSafeUint } from './bits.js';
import { boardError, type BoardError } from './errors.js';
import { HASH_LENGTH, isEmptyRoot } from './hash.js';
import { decodeHash, decodeHexExact, parseShape } from './json.js';
import { verifyConsistency } from './verify.js';

/** Domain-separation tag of tree-head signatures. */
export const TREE_HEAD_TAG = 'ACTA_V1_TREE_HEAD';

/** Longest accepted log id, in UTF-16 code units. */
export const MAX_LOG_ID_LENGTH = 256;

/** A log's state at a moment: what the operator signs. */
export interface TreeHead {
  readonly logId: string;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  /** Milliseconds since the epoch, supplied by the caller (libraries read no clock). */
  readonly timestamp: number;
}

/** A tree head with the operator's Ed25519 signature. */
export interface SignedTreeHead extends TreeHead {
  readonly signature: Signature;
}

/** JSON form of a signed tree head (hashes and signature in lowercase hex). */
export interface SignedTreeHeadJson {
  readonly logId: string;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly timestamp: number;
  readonly signature: string;
}

const signedTreeHeadSchema = z.strictObject({
  logId: z.string(),
  treeSize: z.number(),
  rootHash: z.string(),
  timestamp: z.number(),
  signature: z.string(),
});

// C0 and C1 controls and DEL: an id that prints differently from its bytes
// could make two logs look alike to a human.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;

/** Checks the fields of a tree head (before signing, verifying or after parsing). */
function checkTreeHead(head: TreeHead, where: string): Result<true, BoardError> {
  const { logId, treeSize, rootHash, timestamp } = head;
  if (
    typeof logId !== 'string' ||
    logId.length === 0 ||
    logId.length > MAX_LOG_ID_LENGTH ||
    !logId.isWellFormed() ||
    CONTROL_RE.test(logId)
  ) {
    return err(
      boardError(
        'INVALID_LOG_ID',
        `${where}.logId`,
        `expected 1 to ${MAX_LOG_ID_LENGTH} well-formed characters, no control characters`,
      ),
    );
  }
  if (!isSafeUint(treeSize)) {
    return err(
      boardError('SIZE_OUT_OF_RANGE', `${where}.treeSize`, 'expected a non-negative safe integer'),
    );
  }
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== HASH_LENGTH) {
    return err(boardError('INVALID_LENGTH', `${where}.rootHash`, 'expected a 32-byte hash'));
  }
  if (!isSafeUint(timestamp)) {
    return err(
      boardError(
        'INVALID_TIMESTAMP',
        `${where}.timestamp`,
        'expected milliseconds since the epoch as a non-negative safe integer',
      ),
    );
  }
  return ok(true);
}

function signedParts(head: TreeHead): [string, number, Uint8Array, number] {
  return [head.logId, head.treeSize, head.rootHash, head.timestamp];
}

/**
 * Signs a tree head. Throws RangeError for a head whose fields are invalid,
 * or a size-0 head whose root is not SHA-256("") (the signer built it: a bug).
 */
export function signTreeHead(head: TreeHead, secretKey: SigningSecretKey): SignedTreeHead {
  const checked = checkTreeHead(head, 'head');
  if (!checked.ok) throw new RangeError(checked.error.message);
  if (head.treeSize === 0 && !isEmptyRoot(head.rootHash)) {
    throw new RangeError('a tree head of size 0 must have root SHA-256("")');
  }
  const copy: TreeHead = {
    logId: head.logId,
    treeSize: head.treeSize,
    rootHash: Uint8Array.from(head.rootHash),
    timestamp: head.timestamp,
  };
  return { ...copy, signature: signMessage(secretKey, TREE_HEAD_TAG, signedParts(copy)) };
}

/**
 * Verifies a signed tree head under the log's public key. Errors:
 * INVALID_LOG_ID, SIZE_OUT_OF_RANGE, INVALID_LENGTH, INVALID_TIMESTAMP,
 * SIGNATURE_INVALID, and ROOT_MISMATCH for a signed size-0 head whose root is
 * not SHA-256("") (a false claim on its face).
 */
export function verifyTreeHead(
  signed: SignedTreeHead,
  publicKey: SigningPublicKey,
  where = 'treeHead',
): Result<true, BoardError> {
  const checked = checkTreeHead(signed, where);
  if (!checked.ok) return checked;
  if (!(signed.signature instanceof Signature)) {
    return err(boardError('SIGNATURE_INVALID', `${where}.signature`, 'not a signature'));
  }
  const verified = verifySignature(publicKey, TREE_HEAD_TAG, signedParts(signed), signed.signature);
  if (!verified.ok) {
    return err(
      boardError(
        'SIGNATURE_INVALID',
        `${where}.signature`,
        'the signature does not verify for this key and head',
      ),
    );
  }
  if (signed.treeSize === 0 && !isEmptyRoot(signed.rootHash)) {
    return err(
      boardError('ROOT_MISMATCH', `${where}.rootHash`, 'a tree of size 0 has root SHA-256("")'),
    );
  }
  return ok(true);
}

/** The JSON form of a signed tree head. */
export function encodeSignedTreeHead(head: SignedTreeHead): SignedTreeHeadJson {
  return {
    logId: head.logId,
    treeSize: head.treeSize,
    rootHash: encodeHex(head.rootHash),
    timestamp: head.timestamp,
    signature: head.signature.toHex(),
  };
}

/**
 * Parses a signed tree head (does not verify the signature: see
 * `verifyTreeHead`). Errors: MALFORMED_JSON, INVALID_LOG_ID,
 * SIZE_OUT_OF_RANGE, INVALID_TIMESTAMP, INVALID_LENGTH, INVALID_HEX, and
 * SIGNATURE_INVALID for a signature whose S is not reduced (RFC 8032 §5.1.7).
 */
export function parseSignedTreeHead(
  json: unknown,
  where = 'treeHead',
): Result<SignedTreeHead, BoardError> {
  const shape = parseShape(signedTreeHeadSchema, json, where);
  if (!shape.ok) return shape;
  const { logId, treeSize, timestamp } = shape.value;
  const rootHash = decodeHash(shape.value.rootHash, `${where}.rootHash`);
  if (!rootHash.ok) return rootHash;
  const head: TreeHead = { logId, treeSize, rootHash: rootHash.value, timestamp };
  const checked = checkTreeHead(head, where);
  if (!checked.ok) return checked;
  const sigBytes = decodeHexExact(shape.value.signature, 64, `${where}.signature`);
  if (!sigBytes.ok) return sigBytes;
  const signature = Signature.decode(sigBytes.value, `${where}.signature`);
  if (!signature.ok) {
    return err(
      boardError(
        'SIGNATURE_INVALID',
        `${where}.signature`,
        'S is not reduced modulo the group order',
      ),
    );
  }
  return ok({ ...head, signature: signature.value });
}

/**
 * Checks that two signed heads of one log are consistent: both signatures
 * (under `publicKey`), the same log id, older.treeSize ≤ newer.treeSize, and
 * the consistency `proof` between them (RFC 9162 §2.1.4.2).
 *
 * INCONSISTENT_TREES when the heads cannot both be honest: equal sizes with
 * different roots (a fork proven by the two heads alone, whatever the proof),
 * or a well-formed proof that does not reconcile the roots. An honest log can
 * always produce that proof, so a log that cannot is caught; before accusing
 * it publicly, make sure the proof came from the log (or recompute it from the
 * entries). Other errors: those of `verifyTreeHead` (at `older` / `newer`),
 * LOG_ID_MISMATCH, SIZE_OUT_OF_RANGE (heads passed in the wrong order),
 * PROOF_LENGTH_MISMATCH, INVALID_LENGTH.
 */
export function checkTreeHeadConsistency(
  older: SignedTreeHead,
  newer: SignedTreeHead,
  proof: readonly Uint8Array[],
  publicKey: SigningPublicKey,
): Result<true, BoardError> {
  const olderOk = verifyTreeHead(older, publicKey, 'older');
  if (!olderOk.ok) return olderOk;
  const newerOk = verifyTreeHead(newer, publicKey, 'newer');
  if (!newerOk.ok) return newerOk;
  if (older.logId !== newer.logId) {
    return err(boardError('LOG_ID_MISMATCH', 'newer.logId', `expected log ${older.logId}`));
  }
  if (older.treeSize > newer.treeSize) {
    return err(
      boardError(
        'SIZE_OUT_OF_RANGE',
        'older.treeSize',
        `the older head (${older.treeSize}) is larger than the newer (${newer.treeSize})`,
      ),
    );
  }
  if (older.treeSize === newer.treeSize && !bytesEqual(older.rootHash, newer.rootHash)) {
    return err(
      boardError(
        'INCONSISTENT_TREES',
        'newer.rootHash',
        `two signed heads of size ${older.treeSize} have different roots: the log forked`,
      ),
    );
  }
  const consistent = verifyConsistency(
    {
      oldSize: older.treeSize,
      newSize: newer.treeSize,
      oldRoot: older.rootHash,
      newRoot: newer.rootHash,
      proof,
    },
    'proof',
  );
  if (!consistent.ok && consistent.error.code === 'ROOT_MISMATCH') {
    return err(
      boardError(
        'INCONSISTENT_TREES',
        'newer.rootHash',
        `the head of size ${newer.treeSize} does not extend the head of size ${older.treeSize}: the log forked or rewrote history`,
      ),
    );
  }
  return consistent;
}
