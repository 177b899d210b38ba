/**
 * Coded errors of the election protocol (docs/spec.md chapter 2), in the style
 * of the crypto core's CryptoError (spec §9): every expected failure — a
 * manifest that does not validate, an entry the state machine refuses — is a
 * value carrying a stable code from `ProtocolErrorCode`, the place it was found
 * (a field path such as `manifest.contests[0].cards[3].candidateId`) and a
 * human message. Messages may quote public input (ids, codes), shortened; they
 * never carry secrets (keys, nonces, votes).
 *
 * All of the package's codes live in the one union below, grouped by the part
 * of the protocol that raises them, so that a verifier can switch on them
 * exhaustively and documentation can list them in one place.
 */

export type ProtocolErrorCode =
  // The election manifest (manifest.ts; spec chapter 2, "The manifest").
  /** Not the shape of a manifest: a missing field or a value of the wrong JSON type. */
  | 'MANIFEST_MALFORMED'
  /** A field the format does not define (every object is strict). */
  | 'MANIFEST_UNKNOWN_FIELD'
  /** `format` is not `acta-manifest-v1`. */
  | 'MANIFEST_UNSUPPORTED_FORMAT'
  /** A list or the whole geography is larger than the format allows. */
  | 'MANIFEST_TOO_LARGE'
  /** A list that must hold at least one element is empty. */
  | 'MANIFEST_EMPTY_LIST'
  /** An identifier (election, contest, candidate, card, ballot style) of the wrong shape. */
  | 'MANIFEST_BAD_ID'
  /** A name or label: empty, too long, untrimmed, not NFC, control characters, ill-formed. */
  | 'MANIFEST_BAD_TEXT'
  /** The election date is not a calendar date written YYYY-MM-DD. */
  | 'MANIFEST_BAD_DATE'
  /** A state, municipality, parish or centre code, or a mesa number, of the wrong shape. */
  | 'MANIFEST_BAD_CODE'
  /** A centre code that does not start with its state, municipality and parish codes. */
  | 'MANIFEST_CODE_PREFIX'
  /** Two contests, candidates, cards, ballot styles (or a style's contests) share an id. */
  | 'MANIFEST_DUPLICATE_ID'
  /** Two geographic units at the same level and under the same parent share a code. */
  | 'MANIFEST_DUPLICATE_CODE'
  /** Two mesas with the same id (the same number in one centre). */
  | 'MANIFEST_DUPLICATE_MESA'
  /** A card names a candidate its contest does not list. */
  | 'MANIFEST_UNKNOWN_CANDIDATE'
  /** A candidate appears on no card: nobody could vote for them. */
  | 'MANIFEST_CANDIDATE_WITHOUT_CARD'
  /** A ballot style names a contest the manifest does not define. */
  | 'MANIFEST_UNKNOWN_CONTEST'
  /** A mesa votes a ballot style the manifest does not define. */
  | 'MANIFEST_UNKNOWN_STYLE'
  /** A selection limit outside [1, number of cards] or above the proof bound. */
  | 'MANIFEST_SELECTION_LIMIT'
  /** A number of winners outside [1, number of candidates]. */
  | 'MANIFEST_WINNERS'
  // Geography (geography.ts).
  /** Text that is not a mesa id `<9-digit centre code>.<2-digit mesa number>`. */
  | 'BAD_MESA_ID'
  // Record entries (entries.ts; spec chapter 2, "Record entries").
  /** An entry that does not match its schema, or leaves the entry language. */
  | 'MALFORMED_ENTRY'
  /** An entry type spec v1 does not define. */
  | 'UNKNOWN_ENTRY_TYPE'
  /** An entry line longer than MAX_ENTRY_BYTES. */
  | 'ENTRY_TOO_LARGE'
  /** A line that is not JSON. */
  | 'MALFORMED_JSON'
  /** A public key that is not a valid Ed25519 key. */
  | 'BAD_KEY'
  /** A signature that does not verify under the key the rules require. */
  | 'SIGNATURE_INVALID'
  // The state machine (state.ts; spec chapter 2, "The rules").
  /** An entry that comes too early or too late (e.g. a ballot before the election key). */
  | 'OUT_OF_ORDER'
  /** A hash an entry states is not the one recomputed (manifest, base, election, acta). */
  | 'HASH_MISMATCH'
  /** A quorum larger than the number of trustees. */
  | 'BAD_QUORUM'
  /** Trustees not numbered 1…n in order. */
  | 'BAD_TRUSTEES'
  /** A trustee index the election does not define. */
  | 'UNKNOWN_TRUSTEE'
  /** Something posted twice that may be posted once. */
  | 'DUPLICATE'
  /** A key-ceremony message that does not decode, is misaddressed or fails its proofs. */
  | 'BAD_CEREMONY_MESSAGE'
  /** The posted joint key is not the one the round-1 commitments define. */
  | 'JOINT_KEY_MISMATCH'
  /** A mesa the manifest does not define. */
  | 'UNKNOWN_MESA'
  /** The mesa has no device yet, or the election key is not posted. */
  | 'POLLS_NOT_OPEN'
  /** The mesa's acta is posted: nothing more is accepted for it. */
  | 'MESA_CLOSED'
  /** A credential key the registry never registered. */
  | 'UNKNOWN_CREDENTIAL'
  /** A credential revoked (directly or by a reissue). */
  | 'REVOKED_CREDENTIAL'
  /** A reissue that does not keep the identity and increment the serial. */
  | 'BAD_REISSUE'
  /** A second check-in of one credential, in any mesa. */
  | 'ALREADY_CHECKED_IN'
  /** A check-in at a mesa other than the credential's. */
  | 'WRONG_MESA'
  /** A check-in countersigned by a key that is not a poll worker of the mesa. */
  | 'UNKNOWN_POLL_WORKER'
  /** A ballot of a style that is not its mesa's. */
  | 'WRONG_STYLE'
  /** A ballot whose contests or cards are not the style's. */
  | 'WRONG_CONTESTS'
  /** A ballot that does not continue its mesa's tracking-code chain. */
  | 'CHAIN_BROKEN'
  /** A cast ballot without an unused check-in at its mesa. */
  | 'NO_CHECKIN'
  /** A ballot whose encrypted contests do not decode or hold identity components. */
  | 'MALFORMED_BALLOT'
  /** A ballot whose 0/1 or limit proofs do not verify. */
  | 'BALLOT_PROOF'
  /** A spoiled ballot's opening that does not cover its contests. */
  | 'SPOIL_OPENING_SHAPE'
  /** A spoiled ballot's opening that does not reproduce its ciphertexts. */
  | 'SPOIL_OPENING_MISMATCH'
  /** An acta's counts differ from what the record holds. */
  | 'ACTA_COUNT_MISMATCH'
  /** An acta's chain head is not its mesa's. */
  | 'ACTA_CHAIN_MISMATCH'
  /** An acta's encrypted tally is not the sum of the mesa's cast ballots. */
  | 'ACTA_TALLY_MISMATCH'
  /** An acta's results claim more marks than its cast ballots allow. */
  | 'ACTA_RESULT_IMPLAUSIBLE'
  /** An acta's QR payload does not parse, verify or agree with the acta. */
  | 'ACTA_QR_MISMATCH'
  /** A co-signature by a key that is not a registered witness. */
  | 'UNKNOWN_WITNESS'
  /** A decryption entry without one share per card of every contest. */
  | 'DECRYPTION_SHAPE'
  /** A decryption share that does not decode or whose proof fails. */
  | 'DECRYPTION_SHARE_INVALID'
  /** Fewer than a quorum of trustees, or one that has not decrypted the mesa. */
  | 'DECRYPTION_QUORUM'
  /** Combining the shares gave no count in range. */
  | 'DECRYPTION_FAILED'
  /** A mesa result that is not what the decryption shares give. */
  | 'RESULT_MISMATCH'
  /** Totals that are not the sum of the mesas' results. */
  | 'TOTALS_MISMATCH'
  // The service (apps/service).
  /** The board failed to store an accepted entry: the service must be reopened. */
  | 'SERVICE_FAILED';

/** An expected failure of the protocol layer: a stable code, a location and a message. */
export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;
  readonly where: string;

  constructor(code: ProtocolErrorCode, where: string, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.where = where;
  }

  /** `CODE at where: message`, for logs and command-line output. */
  override toString(): string {
    return `${this.code} at ${this.where}: ${this.message}`;
  }
}

/** Builds a ProtocolError; the short form used throughout the package. */
export function protocolError(
  code: ProtocolErrorCode,
  where: string,
  message: string,
): ProtocolError {
  return new ProtocolError(code, where, message);
}
