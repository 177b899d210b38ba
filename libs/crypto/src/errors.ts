/**
 * Coded errors of the crypto core. Every expected failure carries a stable code
 * from `CryptoErrorCode` and says where it happened (a field path such as
 * `proof.responses[2]`), never a secret value.
 */

export type CryptoErrorCode =
  // Encodings (docs/spec.md §2)
  | 'INVALID_HEX'
  | 'INVALID_LENGTH'
  | 'NON_CANONICAL_SCALAR'
  | 'ZERO_SCALAR'
  | 'INVALID_ELEMENT'
  | 'IDENTITY_ELEMENT'
  | 'MALFORMED'
  // Arithmetic
  | 'DLOG_OUT_OF_RANGE'
  | 'INVALID_ARGUMENT'
  // Proofs (docs/spec.md §5)
  | 'PROOF_CHALLENGE_MISMATCH'
  | 'PROOF_EQUATION_FAILED'
  | 'PROOF_SHAPE_MISMATCH'
  // Signatures (docs/spec.md §7)
  | 'SIGNATURE_INVALID'
  // Key ceremony and threshold decryption (docs/spec.md §6)
  | 'CEREMONY_PARAMETERS'
  | 'CEREMONY_COMMITMENT_PROOF'
  | 'CEREMONY_SHARE_DECRYPTION'
  | 'CEREMONY_SHARE_INVALID'
  | 'CEREMONY_ACCUSATION_INVALID'
  | 'CEREMONY_ACCUSATION_UNFOUNDED'
  | 'DECRYPTION_SHARE_PROOF'
  | 'DECRYPTION_QUORUM';

/** An expected failure of the crypto core: a stable code, a location and a message. */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode;
  readonly where: string;

  constructor(code: CryptoErrorCode, where: string, message: string) {
    super(`${code} at ${where}: ${message}`);
    this.name = 'CryptoError';
    this.code = code;
    this.where = where;
  }
}

/** Builds a CryptoError; short form used throughout the package. */
export function cryptoError(code: CryptoErrorCode, where: string, message: string): CryptoError {
  return new CryptoError(code, where, message);
}
