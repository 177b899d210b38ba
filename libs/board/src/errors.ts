/**
 * Coded errors of the bulletin board's logic. Every expected failure (a
 * malformed proof, a tree head that does not verify, a fork) carries a stable
 * code from `BoardErrorCode` and says where it happened (a field path such as
 * `inclusion.proof[3]`), so the verifier can report it and a test can pin it.
 * Board data is public: errors may quote sizes and indices, but no secret
 * ever reaches this package (it never sees a signing key except to sign).
 */

/** Stable error codes; `describeBoardErrorCode` documents each one. */
export type BoardErrorCode =
  | 'MALFORMED_JSON'
  | 'INVALID_HEX'
  | 'INVALID_LENGTH'
  | 'INDEX_OUT_OF_RANGE'
  | 'SIZE_OUT_OF_RANGE'
  | 'PROOF_LENGTH_MISMATCH'
  | 'ROOT_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'INVALID_LOG_ID'
  | 'INVALID_TIMESTAMP'
  | 'LOG_ID_MISMATCH'
  | 'INCONSISTENT_TREES';

/** An expected failure of the board logic: a stable code, a location and a message. */
export class BoardError extends Error {
  readonly code: BoardErrorCode;
  readonly where: string;

  constructor(code: BoardErrorCode, where: string, message: string) {
    super(`${code} at ${where}: ${message}`);
    this.name = 'BoardError';
    this.code = code;
    this.where = where;
  }
}

/** Builds a BoardError; short form used throughout the package. */
export function boardError(code: BoardErrorCode, where: string, message: string): BoardError {
  return new BoardError(code, where, message);
}

/** What each code means (for reports and docs); exhaustive over `BoardErrorCode`. */
export function describeBoardErrorCode(code: BoardErrorCode): string {
  switch (code) {
    case 'MALFORMED_JSON':
      return 'a JSON value does not have the expected shape (missing, extra or mistyped fields)';
    case 'INVALID_HEX':
      return 'a string that must be lowercase hex is not';
    case 'INVALID_LENGTH':
      return 'a hash, signature or list has the wrong length (hashes are 32 bytes)';
    case 'INDEX_OUT_OF_RANGE':
      return 'a leaf index is not a non-negative safe integer below the tree size';
    case 'SIZE_OUT_OF_RANGE':
      return 'a tree size is not a non-negative safe integer, exceeds the tree, or sizes are out of order';
    case 'PROOF_LENGTH_MISMATCH':
      return 'a proof does not have exactly the number of hashes its sizes imply (RFC 9162 §2.1.3-4)';
    case 'ROOT_MISMATCH':
      return 'the root recomputed from a proof (or a size-0 tree) differs from the claimed root';
    case 'SIGNATURE_INVALID':
      return "a tree head's signature does not verify under the log's key";
    case 'INVALID_LOG_ID':
      return 'a log id is empty, longer than 256 UTF-16 units, ill-formed or has control characters';
    case 'INVALID_TIMESTAMP':
      return 'a timestamp is not a non-negative safe integer (milliseconds since the epoch)';
    case 'LOG_ID_MISMATCH':
      return 'two tree heads compared for consistency belong to different logs';
    case 'INCONSISTENT_TREES':
      return 'two validly signed tree heads are not consistent: the log forked or rewrote history';
    default: {
      const unreachable: never = code;
      throw new Error(`unknown board error code ${String(unreachable)}`);
    }
  }
}
