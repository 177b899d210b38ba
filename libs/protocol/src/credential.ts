/**
 * Voter credentials, the "electronic ID card" (docs/spec.md chapter 2,
 * "Credentials"; product brief components 1 and 2). A credential is an Ed25519
 * key pair (RFC 8032; @acta/crypto signatures, spec §7). The voter holds the
 * secret half on a card (a JSON file, or a QR code); the registry publishes
 * only a pseudonymous record: the public key and a commitment to the voter's
 * identity, so anyone can count registrations per mesa and a voter can find
 * their own entry, while nobody learns who an entry belongs to.
 *
 * Identity commitment (hiding and binding, as a salted hash commitment):
 *
 *   identityCommitment = SHA-256(encodeHashInput(ACTA_V1_IDENTITY_COMMITMENT,
 *                                  [electionId, nationalId, salt]))
 *
 * with a fresh 32-byte salt per credential. National ids are few and
 * guessable; the salt is what keeps the commitment from being inverted by
 * enumerating them. The registry keeps (nationalId, salt); the card carries
 * the salt so that the voter can recompute the commitment and find their own
 * registry entry. The national id is used exactly as given: callers normalize
 * it (trim, NFC, the registry's letter case) before calling, and anything not
 * already canonical is refused rather than silently rewritten.
 *
 * Card file (JSON, SECRET), every field required, nothing else allowed:
 *
 *   { "format": "acta-credential-v1", "electionId": "ve-2024-presidential",
 *     "manifestHash": <64 hex>, "mesa": "010101001.01", "serial": 1,
 *     "publicKey": <64 hex>, "secretKey": <64 hex>, "identitySalt": <64 hex>,
 *     "nationalIdHint": <the last 1–3 characters of the national id> }
 *
 * Hex is lowercase. The public key must be the one the secret key derives
 * (a mismatch is CARD_KEY_MISMATCH: a damaged or tampered file). The hint lets
 * a person tell cards apart without the file naming its holder.
 *
 * Card QR code (SECRET): the text `ACTA1C:` followed by the unpadded
 * base64url (RFC 4648 §5) of this byte layout, version 1:
 *
 *   offset   size  field
 *   0        1     version, 0x01
 *   1        4     serial, unsigned big-endian, 1 … 1,000,000
 *   5        32    Ed25519 secret key (the RFC 8032 seed)
 *   37       32    identity salt
 *   69       1     n, the byte length of electionId, 3 … 64
 *   70       n     electionId, UTF-8, [a-z0-9-]{3,64}
 *   70+n     1     m, the byte length of the mesa id, exactly 12
 *   71+n     m     mesa id, UTF-8, `<9-digit centre code>.<2-digit mesa number>`
 *   71+n+m         end: no trailing bytes
 *
 * At most 147 bytes, 203 characters of text: a version-10 QR code at level M
 * (a typical card, 103 bytes, fits version 8).
 * The manifest hash and the hint are left out to keep the code small; a card
 * read from its QR code gets them from the reader's context (the poll book
 * knows its election), or has none.
 *
 * Check-in (possession proof, spec chapter 2 "Check-in"): the card signs the
 * poll book's challenge,
 *
 *   signMessage(credential secret key, ACTA_V1_CHECKIN,
 *               [electionId, mesa, nonce (32 bytes), pollBookKey (32 bytes),
 *                credentialPublicKey (32 bytes)])
 *
 * binding the election, the mesa, the station's own key and its fresh nonce,
 * so that a signature recorded at one station can neither be replayed at
 * another nor later. The poll worker's countersignature and the check-in
 * entry belong to the record (entries.ts, state.ts).
 *
 * Secrets (secret key, salt, national id) never appear in an error message, in
 * `toString()`, in `JSON.stringify(card)` or in `util.inspect(card)`.
 */
import { z } from 'zod';
import {
  Signature,
  SigningPublicKey,
  SigningSecretKey,
  concat,
  decodeHex,
  defaultRng,
  encodeHex,
  err,
  generateSigningKeyPair,
  hashToBytes,
  ok,
  signMessage,
  utf8,
  verifySignature,
  type Result,
  type Rng,
} from '@acta/crypto';
import { decodeBase64Url, decodeUtf8Strict, encodeBase64Url, isLowerHex } from './encoding.js';

// ---------------------------------------------------------------------------
// Errors

/**
 * The codes of credential failures. Local to this module until they join the
 * package's `ProtocolErrorCode` union (errors.ts): same shape, same meaning.
 */
export type CredentialErrorCode =
  /** The card file is not a JSON object of the right field types, or a field is missing. */
  | 'CARD_MALFORMED'
  /** The card file has a field the format does not define. */
  | 'CARD_UNKNOWN_FIELD'
  /** The card file's `format` is not `acta-credential-v1`. */
  | 'CARD_UNSUPPORTED_FORMAT'
  /** A hex field of the card file is not 64 lowercase hex digits. */
  | 'CARD_BAD_HEX'
  /** The card file's public key is not the one its secret key derives. */
  | 'CARD_KEY_MISMATCH'
  /** An election id that is not [a-z0-9-]{3,64}. */
  | 'CREDENTIAL_BAD_ELECTION_ID'
  /** A mesa id that is not `<9-digit centre code>.<2-digit mesa number>`. */
  | 'CREDENTIAL_BAD_MESA_ID'
  /** A serial outside 1 … 1,000,000. */
  | 'CREDENTIAL_BAD_SERIAL'
  /** A national id that is empty, too long, not NFC, untrimmed or has control characters. */
  | 'CREDENTIAL_BAD_NATIONAL_ID'
  /** An identity salt that is not 32 bytes. */
  | 'CREDENTIAL_BAD_SALT'
  /** A manifest hash that is not 32 bytes. */
  | 'CREDENTIAL_BAD_MANIFEST_HASH'
  /** A national-id hint that is not 1–3 printable characters. */
  | 'CREDENTIAL_BAD_HINT'
  /** The card belongs to another election than the reader's. */
  | 'CREDENTIAL_ELECTION_MISMATCH'
  /** The card belongs to another mesa than the reader's. */
  | 'CREDENTIAL_MESA_MISMATCH'
  /** QR text that does not start with `ACTA1C:`. */
  | 'CREDENTIAL_QR_PREFIX'
  /** QR text longer than the largest version-1 card (checked before decoding). */
  | 'CREDENTIAL_QR_TOO_LONG'
  /** QR text whose payload is not canonical unpadded base64url. */
  | 'CREDENTIAL_QR_BASE64'
  /** A layout version other than 1. */
  | 'CREDENTIAL_QR_VERSION'
  /** The bytes end before the layout does. */
  | 'CREDENTIAL_QR_TRUNCATED'
  /** Bytes after the end of the layout. */
  | 'CREDENTIAL_QR_TRAILING_BYTES'
  /** A length prefix larger than its string may be. */
  | 'CREDENTIAL_QR_OVERLONG_STRING'
  /** A string of the layout that is not well-formed UTF-8. */
  | 'CREDENTIAL_QR_BAD_UTF8'
  /** A check-in challenge of the wrong shape (ids, 32-byte hex nonce and key). */
  | 'CHECKIN_MALFORMED'
  /** A credential key that is not a valid Ed25519 public key. */
  | 'CHECKIN_BAD_KEY'
  /** A signature that is not 128 lowercase hex digits of a canonical Ed25519 signature. */
  | 'CHECKIN_BAD_SIGNATURE_ENCODING'
  /** The check-in signature does not verify for this credential and challenge. */
  | 'CHECKIN_SIGNATURE_INVALID';

/** An expected failure of a credential operation: a stable code, a location, a message. */
export class CredentialError extends Error {
  readonly code: CredentialErrorCode;
  readonly where: string;

  constructor(code: CredentialErrorCode, where: string, message: string) {
    super(message);
    this.name = 'CredentialError';
    this.code = code;
    this.where = where;
  }

  /** `CODE at where: message`, for logs and command-line output. */
  override toString(): string {
    return `${this.code} at ${this.where}: ${this.message}`;
  }
}

function fail<T>(
  code: CredentialErrorCode,
  where: string,
  message: string,
): Result<T, CredentialError> {
  return err(new CredentialError(code, where, message));
}

// ---------------------------------------------------------------------------
// Field rules

/** Domain-separation tags of this module (to join PROTOCOL_TAG in tags.ts). */
export const CREDENTIAL_TAG = {
  /** The registry's commitment to a voter's identity. */
  IDENTITY_COMMITMENT: 'ACTA_V1_IDENTITY_COMMITMENT',
  /** A card's signature over a poll book's check-in challenge. */
  CHECKIN: 'ACTA_V1_CHECKIN',
} as const;

/** The `format` of a card file. */
export const CREDENTIAL_CARD_FORMAT = 'acta-credential-v1';
/** The text every card QR code starts with. */
export const CREDENTIAL_QR_PREFIX = 'ACTA1C:';
/** The byte-layout version of card QR codes. */
export const CREDENTIAL_QR_VERSION = 1;
/** The largest serial (reissues of one voter's credential); as the registration entry allows. */
export const MAX_CREDENTIAL_SERIAL = 1_000_000;
/** Length of the identity salt. */
export const IDENTITY_SALT_LENGTH = 32;
/** Length of a check-in nonce. */
export const CHECKIN_NONCE_LENGTH = 32;

const ELECTION_ID_RE = /^[a-z0-9-]{3,64}$/;
const MESA_ID_RE = /^[0-9]{9}\.[0-9]{2}$/;
const MAX_ELECTION_ID_BYTES = 64;
const MESA_ID_BYTES = 12;
const MAX_NATIONAL_ID_LENGTH = 64;
const HINT_LENGTH = 3;
const CONTROL_RE = /\p{Cc}/u;
const FIXED_LENGTH = 1 + 4 + 32 + IDENTITY_SALT_LENGTH;
/** The largest card QR text (see the module header). */
export const MAX_CREDENTIAL_QR_LENGTH =
  CREDENTIAL_QR_PREFIX.length +
  Math.ceil(((FIXED_LENGTH + 1 + MAX_ELECTION_ID_BYTES + 1 + MESA_ID_BYTES) * 4) / 3);

function isSerial(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && n <= MAX_CREDENTIAL_SERIAL;
}

/** Characters of text that a person can read: well-formed, NFC, trimmed, no control characters. */
function isCleanText(text: string): boolean {
  return (
    text.isWellFormed() &&
    text === text.normalize('NFC') &&
    text === text.trim() &&
    !CONTROL_RE.test(text)
  );
}

function checkNationalId(nationalId: string, where: string): Result<true, CredentialError> {
  // The message never quotes the id: it is personal data.
  if (
    typeof nationalId !== 'string' ||
    nationalId.length === 0 ||
    nationalId.length > MAX_NATIONAL_ID_LENGTH ||
    !isCleanText(nationalId)
  ) {
    return fail(
      'CREDENTIAL_BAD_NATIONAL_ID',
      where,
      `a national id must be 1–${MAX_NATIONAL_ID_LENGTH} characters, trimmed, NFC, without control characters`,
    );
  }
  return ok(true);
}

function isHint(hint: string): boolean {
  const chars = [...hint].length;
  return chars >= 1 && chars <= HINT_LENGTH && isCleanText(hint);
}

/** The last three characters (code points) of a national id: the card's hint. */
function hintOf(nationalId: string): string {
  return [...nationalId].slice(-HINT_LENGTH).join('');
}

// ---------------------------------------------------------------------------
// The card

/** What makes a card (the public key is derived, never given). */
export interface CredentialCardFields {
  readonly electionId: string;
  /** The manifest hash, 64 lowercase hex digits; absent on a card read from a QR code alone. */
  readonly manifestHash?: string | undefined;
  readonly mesa: string;
  readonly serial: number;
  readonly secretKey: SigningSecretKey;
  readonly identitySalt: Uint8Array;
  /** The last 1–3 characters of the national id; absent on a card read from a QR code alone. */
  readonly nationalIdHint?: string | undefined;
}

/** The redacted JSON of a card object (what `JSON.stringify(card)` shows). */
export interface CredentialCardPublicView {
  readonly electionId: string;
  readonly mesa: string;
  readonly serial: number;
  readonly publicKey: string;
  readonly secret: '<secret>';
}

/**
 * A voter's credential card (SECRET). Every instance is valid: the
 * constructor checks its fields (throwing RangeError, a caller bug; parse
 * untrusted input with `parseCredentialCard` / `parseCredentialQr`) and
 * derives the public key, which therefore always matches the secret key.
 */
export class CredentialCard {
  readonly electionId: string;
  /** 64 lowercase hex digits, or undefined on a card read from its QR code without context. */
  readonly manifestHash: string | undefined;
  readonly mesa: string;
  readonly serial: number;
  /** The credential's public key, 64 lowercase hex digits (the registry's `credentialKey`). */
  readonly publicKey: string;
  /** The last 1–3 characters of the national id, or undefined (see `manifestHash`). */
  readonly nationalIdHint: string | undefined;
  /** The credential's secret key (its own string and JSON forms are redacted). */
  readonly secretKey: SigningSecretKey;
  readonly #identitySalt: Uint8Array;

  constructor(fields: CredentialCardFields) {
    if (!ELECTION_ID_RE.test(fields.electionId)) throw new RangeError('invalid election id');
    if (!MESA_ID_RE.test(fields.mesa)) throw new RangeError('invalid mesa id');
    if (!isSerial(fields.serial)) throw new RangeError('invalid serial');
    if (fields.identitySalt.length !== IDENTITY_SALT_LENGTH) {
      throw new RangeError(`the identity salt must be ${IDENTITY_SALT_LENGTH} bytes`);
    }
    if (fields.manifestHash !== undefined && !isLowerHex(fields.manifestHash, 64)) {
      throw new RangeError('the manifest hash must be 64 lowercase hex digits');
    }
    if (fields.nationalIdHint !== undefined && !isHint(fields.nationalIdHint)) {
      throw new RangeError('the national id hint must be 1–3 printable characters');
    }
    this.electionId = fields.electionId;
    this.manifestHash = fields.manifestHash;
    this.mesa = fields.mesa;
    this.serial = fields.serial;
    this.secretKey = fields.secretKey;
    this.publicKey = fields.secretKey.publicKey().toHex();
    this.nationalIdHint = fields.nationalIdHint;
    this.#identitySalt = Uint8Array.from(fields.identitySalt);
  }

  /** The identity salt (a copy): for recomputing the identity commitment. */
  identitySalt(): Uint8Array {
    return this.#identitySalt.slice();
  }

  /** Redacted: names the credential, never its secrets. */
  toString(): string {
    return `CredentialCard(${this.electionId}, mesa ${this.mesa}, serial ${this.serial}, key ${this.publicKey})`;
  }

  /** Redacted: `JSON.stringify` of a card (or of an object holding one) must not leak it. */
  toJSON(): CredentialCardPublicView {
    return {
      electionId: this.electionId,
      mesa: this.mesa,
      serial: this.serial,
      publicKey: this.publicKey,
      secret: '<secret>',
    };
  }
}

// ---------------------------------------------------------------------------
// Identity commitment and issuance

/**
 * The registry's commitment to a voter's identity (see the module header).
 * Fails for a malformed election id, national id or salt.
 */
export function computeIdentityCommitment(args: {
  readonly electionId: string;
  readonly nationalId: string;
  readonly salt: Uint8Array;
}): Result<Uint8Array, CredentialError> {
  if (typeof args.electionId !== 'string' || !ELECTION_ID_RE.test(args.electionId)) {
    return fail('CREDENTIAL_BAD_ELECTION_ID', 'electionId', 'expected [a-z0-9-]{3,64}');
  }
  const id = checkNationalId(args.nationalId, 'nationalId');
  if (!id.ok) return id;
  if (!(args.salt instanceof Uint8Array) || args.salt.length !== IDENTITY_SALT_LENGTH) {
    return fail('CREDENTIAL_BAD_SALT', 'salt', `the salt must be ${IDENTITY_SALT_LENGTH} bytes`);
  }
  return ok(
    hashToBytes(CREDENTIAL_TAG.IDENTITY_COMMITMENT, [args.electionId, args.nationalId, args.salt]),
  );
}

/** What the registry publishes for a credential (the `registration` entry's data). */
export interface CredentialPublicRecord {
  readonly electionId: string;
  readonly mesa: string;
  readonly serial: number;
  /** 64 lowercase hex digits. */
  readonly credentialPublicKey: string;
  /** 64 lowercase hex digits. */
  readonly identityCommitment: string;
}

/** A freshly issued credential: the voter's secret card and the registry's public record. */
export interface IssuedCredential {
  readonly card: CredentialCard;
  readonly publicRecord: CredentialPublicRecord;
  /** The salt, for the registry's private (nationalId, salt) table. */
  readonly identitySalt: Uint8Array;
}

/**
 * Issues a credential: a fresh key pair and salt from `rng` (in that order:
 * 32 bytes of seed, then 32 bytes of salt; default the system CSPRNG), the
 * card, and the public record. `serial` is 1 for a first card and the previous
 * serial + 1 for a reissue (the registry's entry names the superseded key).
 */
export function issueCredential(args: {
  readonly electionId: string;
  readonly manifestHash: Uint8Array;
  readonly mesa: string;
  readonly nationalId: string;
  readonly serial: number;
  /**
   * The voter's existing identity salt, for a reissue (the registry keeps it
   * with the national id): the identity commitment stays the same, which is
   * what makes the new card a reissue of the old one. Fresh by default.
   */
  readonly identitySalt?: Uint8Array;
  readonly rng?: Rng;
}): Result<IssuedCredential, CredentialError> {
  if (typeof args.electionId !== 'string' || !ELECTION_ID_RE.test(args.electionId)) {
    return fail('CREDENTIAL_BAD_ELECTION_ID', 'electionId', 'expected [a-z0-9-]{3,64}');
  }
  if (!(args.manifestHash instanceof Uint8Array) || args.manifestHash.length !== 32) {
    return fail(
      'CREDENTIAL_BAD_MANIFEST_HASH',
      'manifestHash',
      'the manifest hash must be 32 bytes',
    );
  }
  if (typeof args.mesa !== 'string' || !MESA_ID_RE.test(args.mesa)) {
    return fail('CREDENTIAL_BAD_MESA_ID', 'mesa', 'expected a mesa id like 010101001.01');
  }
  if (!isSerial(args.serial)) {
    return fail(
      'CREDENTIAL_BAD_SERIAL',
      'serial',
      `expected an integer in 1 … ${MAX_CREDENTIAL_SERIAL}`,
    );
  }
  const id = checkNationalId(args.nationalId, 'nationalId');
  if (!id.ok) return id;
  const rng = args.rng ?? defaultRng;
  const keys = generateSigningKeyPair(rng);
  const salt =
    args.identitySalt !== undefined
      ? Uint8Array.from(args.identitySalt)
      : rng.randomBytes(IDENTITY_SALT_LENGTH);
  const commitment = computeIdentityCommitment({
    electionId: args.electionId,
    nationalId: args.nationalId,
    salt,
  });
  if (!commitment.ok) return commitment;
  const card = new CredentialCard({
    electionId: args.electionId,
    manifestHash: encodeHex(args.manifestHash),
    mesa: args.mesa,
    serial: args.serial,
    secretKey: keys.secretKey,
    identitySalt: salt,
    nationalIdHint: hintOf(args.nationalId),
  });
  return ok({
    card,
    identitySalt: salt,
    publicRecord: {
      electionId: args.electionId,
      mesa: args.mesa,
      serial: args.serial,
      credentialPublicKey: card.publicKey,
      identityCommitment: encodeHex(commitment.value),
    },
  });
}

// ---------------------------------------------------------------------------
// Card file

/** The JSON form of a card file (SECRET). */
export interface CredentialCardJson {
  readonly format: typeof CREDENTIAL_CARD_FORMAT;
  readonly electionId: string;
  readonly manifestHash: string;
  readonly mesa: string;
  readonly serial: number;
  readonly publicKey: string;
  readonly secretKey: string;
  readonly identitySalt: string;
  readonly nationalIdHint: string;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

const cardSchema = z.strictObject({
  format: z.literal(CREDENTIAL_CARD_FORMAT),
  electionId: z.string().regex(ELECTION_ID_RE),
  manifestHash: hex64,
  mesa: z.string().regex(MESA_ID_RE),
  serial: z.number().int().min(1).max(MAX_CREDENTIAL_SERIAL),
  publicKey: hex64,
  secretKey: hex64,
  identitySalt: hex64,
  nationalIdHint: z
    .string()
    .max(4 * HINT_LENGTH)
    .refine(isHint),
});

type CardField = keyof CredentialCardJson;
const CARD_FIELDS = Object.keys(cardSchema.shape) as CardField[];

/** The code and message for a field that has the right JSON type but a wrong value. */
function fieldFault(field: CardField): [CredentialErrorCode, string] {
  switch (field) {
    case 'format':
      return ['CARD_UNSUPPORTED_FORMAT', `expected "${CREDENTIAL_CARD_FORMAT}"`];
    case 'electionId':
      return ['CREDENTIAL_BAD_ELECTION_ID', 'expected [a-z0-9-]{3,64}'];
    case 'mesa':
      return ['CREDENTIAL_BAD_MESA_ID', 'expected a mesa id like 010101001.01'];
    case 'serial':
      return ['CREDENTIAL_BAD_SERIAL', `expected an integer in 1 … ${MAX_CREDENTIAL_SERIAL}`];
    case 'nationalIdHint':
      return ['CREDENTIAL_BAD_HINT', 'expected the last 1–3 characters of the national id'];
    case 'manifestHash':
    case 'publicKey':
    case 'secretKey':
    case 'identitySalt':
      return ['CARD_BAD_HEX', 'expected 64 lowercase hex digits'];
    default: {
      const never: never = field;
      throw new Error(`unhandled card field ${String(never)}`);
    }
  }
}

/**
 * The card file's JSON (SECRET: it holds the secret key). Throws RangeError
 * for a card without a manifest hash or hint (one read from its QR code
 * without context): a card file always names both.
 */
export function encodeCredentialCard(card: CredentialCard): CredentialCardJson {
  if (card.manifestHash === undefined || card.nationalIdHint === undefined) {
    throw new RangeError('a card file needs the manifest hash and the national id hint');
  }
  return {
    format: CREDENTIAL_CARD_FORMAT,
    electionId: card.electionId,
    manifestHash: card.manifestHash,
    mesa: card.mesa,
    serial: card.serial,
    publicKey: card.publicKey,
    secretKey: card.secretKey.toHex(),
    identitySalt: encodeHex(card.identitySalt()),
    nationalIdHint: card.nationalIdHint,
  };
}

/**
 * Parses a card file's JSON value (not its text: `JSON.parse` first). Checks,
 * in order: an object; `format` (a future format is reported as such, not as
 * unknown fields); no unknown field; each field's type and form; the public
 * key against the secret key. Error messages never quote field values.
 */
export function parseCredentialCard(json: unknown): Result<CredentialCard, CredentialError> {
  const where = 'card';
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail('CARD_MALFORMED', where, 'a card file is a JSON object');
  }
  const record = json as Record<string, unknown>;
  if (typeof record['format'] !== 'string') {
    return fail('CARD_MALFORMED', `${where}.format`, 'missing the format string');
  }
  if (record['format'] !== CREDENTIAL_CARD_FORMAT) {
    return fail(
      'CARD_UNSUPPORTED_FORMAT',
      `${where}.format`,
      `expected "${CREDENTIAL_CARD_FORMAT}"`,
    );
  }
  const unknown = Object.keys(record).filter((k) => !(CARD_FIELDS as string[]).includes(k));
  if (unknown.length > 0) {
    // Field names are the file's structure, not its secrets; shortened all the same.
    return fail(
      'CARD_UNKNOWN_FIELD',
      `${where}.${unknown[0]!.slice(0, 40)}`,
      'a field the card format does not define',
    );
  }
  const parsed = cardSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path[0] as CardField | undefined;
    if (field === undefined) return fail('CARD_MALFORMED', where, 'not a card file');
    if (issue.code === 'invalid_type') {
      return fail('CARD_MALFORMED', `${where}.${field}`, 'missing, or not of the right JSON type');
    }
    const [code, message] = fieldFault(field);
    return fail(code, `${where}.${field}`, message);
  }
  const c = parsed.data;
  const secretKey = SigningSecretKey.decodeHex(c.secretKey, `${where}.secretKey`);
  const salt = decodeHex(c.identitySalt, `${where}.identitySalt`, IDENTITY_SALT_LENGTH);
  if (!secretKey.ok || !salt.ok) throw new Error('hex validated by the schema failed to decode');
  if (secretKey.value.publicKey().toHex() !== c.publicKey) {
    return fail(
      'CARD_KEY_MISMATCH',
      `${where}.publicKey`,
      'the public key is not the one the secret key derives (damaged or altered file)',
    );
  }
  return ok(
    new CredentialCard({
      electionId: c.electionId,
      manifestHash: c.manifestHash,
      mesa: c.mesa,
      serial: c.serial,
      secretKey: secretKey.value,
      identitySalt: salt.value,
      nationalIdHint: c.nationalIdHint,
    }),
  );
}

// ---------------------------------------------------------------------------
// Card QR code

/** The card's QR text (SECRET): `ACTA1C:` + base64url of the layout in the module header. */
export function encodeCredentialQr(card: CredentialCard): string {
  const electionId = utf8(card.electionId);
  const mesa = utf8(card.mesa);
  const fixed = new Uint8Array(FIXED_LENGTH);
  const view = new DataView(fixed.buffer);
  fixed[0] = CREDENTIAL_QR_VERSION;
  view.setUint32(1, card.serial);
  fixed.set(card.secretKey.toBytes(), 5);
  fixed.set(card.identitySalt(), 37);
  const bytes = concat(
    fixed,
    Uint8Array.of(electionId.length),
    electionId,
    Uint8Array.of(mesa.length),
    mesa,
  );
  const text = CREDENTIAL_QR_PREFIX + encodeBase64Url(bytes);
  bytes.fill(0);
  fixed.fill(0);
  return text;
}

/** What the reader of a card QR code knows, checked against or added to the card. */
export interface CredentialQrContext {
  /** The reader's election: a card for another election is refused. */
  readonly electionId?: string;
  /** The reader's mesa: a card for another mesa is refused. */
  readonly mesa?: string;
  /** The reader's manifest hash (64 lowercase hex digits), recorded on the card. */
  readonly manifestHash?: string;
  /** A hint to record on the card, if the reader knows it. */
  readonly nationalIdHint?: string;
}

/** Reads one length-prefixed UTF-8 string of the layout. */
function readString(
  bytes: Uint8Array,
  offset: number,
  maxLength: number,
  where: string,
): Result<{ text: string; next: number }, CredentialError> {
  if (offset >= bytes.length) {
    return fail('CREDENTIAL_QR_TRUNCATED', where, 'the code ends before this length prefix');
  }
  const length = bytes[offset]!;
  if (length > maxLength) {
    return fail(
      'CREDENTIAL_QR_OVERLONG_STRING',
      where,
      `a length of ${length} exceeds ${maxLength}`,
    );
  }
  const end = offset + 1 + length;
  if (end > bytes.length) {
    return fail('CREDENTIAL_QR_TRUNCATED', where, 'the code ends inside this string');
  }
  const text = decodeUtf8Strict(bytes.subarray(offset + 1, end));
  if (text === undefined) return fail('CREDENTIAL_QR_BAD_UTF8', where, 'not well-formed UTF-8');
  return ok({ text, next: end });
}

/**
 * Parses a card's QR text (strict: every malformation has its code; see the
 * module header for the layout) and checks it against the reader's
 * `context`. Error messages never quote the text (it holds the secret key).
 * A malformed `context` (the reader's own data) throws RangeError.
 */
export function parseCredentialQr(
  text: string,
  context: CredentialQrContext = {},
): Result<CredentialCard, CredentialError> {
  const where = 'credentialQr';
  if (typeof text !== 'string' || !text.startsWith(CREDENTIAL_QR_PREFIX)) {
    return fail('CREDENTIAL_QR_PREFIX', where, `a card code starts with ${CREDENTIAL_QR_PREFIX}`);
  }
  if (text.length > MAX_CREDENTIAL_QR_LENGTH) {
    return fail(
      'CREDENTIAL_QR_TOO_LONG',
      where,
      `${text.length} characters, a card code has at most ${MAX_CREDENTIAL_QR_LENGTH}`,
    );
  }
  const decoded = decodeBase64Url(text.slice(CREDENTIAL_QR_PREFIX.length));
  if (!decoded.ok) {
    return fail(
      'CREDENTIAL_QR_BASE64',
      where,
      `not canonical unpadded base64url (${decoded.error})`,
    );
  }
  const bytes = decoded.value;
  try {
    if (bytes.length === 0) return fail('CREDENTIAL_QR_TRUNCATED', `${where}.version`, 'no bytes');
    if (bytes[0] !== CREDENTIAL_QR_VERSION) {
      return fail(
        'CREDENTIAL_QR_VERSION',
        `${where}.version`,
        `layout version ${bytes[0]}, this reader knows ${CREDENTIAL_QR_VERSION}`,
      );
    }
    if (bytes.length < FIXED_LENGTH) {
      return fail(
        'CREDENTIAL_QR_TRUNCATED',
        where,
        `${bytes.length} bytes, fewer than the ${FIXED_LENGTH} of the fixed fields`,
      );
    }
    const serial = new DataView(bytes.buffer, bytes.byteOffset).getUint32(1);
    if (!isSerial(serial)) {
      return fail(
        'CREDENTIAL_BAD_SERIAL',
        `${where}.serial`,
        `expected an integer in 1 … ${MAX_CREDENTIAL_SERIAL}`,
      );
    }
    const electionId = readString(
      bytes,
      FIXED_LENGTH,
      MAX_ELECTION_ID_BYTES,
      `${where}.electionId`,
    );
    if (!electionId.ok) return electionId;
    if (!ELECTION_ID_RE.test(electionId.value.text)) {
      return fail('CREDENTIAL_BAD_ELECTION_ID', `${where}.electionId`, 'expected [a-z0-9-]{3,64}');
    }
    const mesa = readString(bytes, electionId.value.next, MESA_ID_BYTES, `${where}.mesa`);
    if (!mesa.ok) return mesa;
    if (!MESA_ID_RE.test(mesa.value.text)) {
      return fail(
        'CREDENTIAL_BAD_MESA_ID',
        `${where}.mesa`,
        'expected a mesa id like 010101001.01',
      );
    }
    if (mesa.value.next !== bytes.length) {
      return fail(
        'CREDENTIAL_QR_TRAILING_BYTES',
        where,
        `${bytes.length - mesa.value.next} bytes after the end of the layout`,
      );
    }
    if (context.electionId !== undefined && context.electionId !== electionId.value.text) {
      return fail(
        'CREDENTIAL_ELECTION_MISMATCH',
        `${where}.electionId`,
        `the card is for election ${electionId.value.text}, not ${context.electionId}`,
      );
    }
    if (context.mesa !== undefined && context.mesa !== mesa.value.text) {
      return fail(
        'CREDENTIAL_MESA_MISMATCH',
        `${where}.mesa`,
        `the card is for mesa ${mesa.value.text}, not ${context.mesa}`,
      );
    }
    const secretKey = SigningSecretKey.decode(bytes.slice(5, 37), `${where}.secretKey`);
    if (!secretKey.ok) throw new Error('a 32-byte slice is not 32 bytes');
    return ok(
      new CredentialCard({
        electionId: electionId.value.text,
        manifestHash: context.manifestHash,
        mesa: mesa.value.text,
        serial,
        secretKey: secretKey.value,
        identitySalt: bytes.slice(37, 37 + IDENTITY_SALT_LENGTH),
        nationalIdHint: context.nationalIdHint,
      }),
    );
  } finally {
    // The decoded bytes hold the secret key: do not leave them for the collector.
    bytes.fill(0);
  }
}

// ---------------------------------------------------------------------------
// Check-in possession proof

/** A poll book's challenge to a card. */
export interface CheckInChallenge {
  readonly electionId: string;
  readonly mesa: string;
  /** 32 fresh bytes, or their 64 lowercase hex digits (as the check-in entry carries them). */
  readonly nonce: Uint8Array | string;
  /** The poll book's (poll worker's) Ed25519 public key, 64 lowercase hex digits. */
  readonly pollBookKey: string;
}

const challengeSchema = z.strictObject({
  electionId: z.string().regex(ELECTION_ID_RE),
  mesa: z.string().regex(MESA_ID_RE),
  nonce: hex64,
  pollBookKey: hex64,
});

/** Parses a challenge received from a poll book (JSON value; nonce and key as hex). */
export function parseCheckInChallenge(json: unknown): Result<CheckInChallenge, CredentialError> {
  const parsed = challengeSchema.safeParse(json);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const field = issue?.path[0];
  return fail(
    'CHECKIN_MALFORMED',
    typeof field === 'string' ? `challenge.${field}` : 'challenge',
    'expected { electionId, mesa, nonce: 64 hex, pollBookKey: 64 hex } and nothing else',
  );
}

/** The 32 bytes of a nonce or key given as bytes or lowercase hex; undefined if malformed. */
function bytes32(value: Uint8Array | string): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value.length === 32 ? value : undefined;
  if (typeof value !== 'string' || !isLowerHex(value, 64)) return undefined;
  const b = decodeHex(value, 'value', 32);
  return b.ok ? b.value : undefined;
}

function checkInParts(
  electionId: string,
  mesa: string,
  nonce: Uint8Array,
  pollBookKey: Uint8Array,
  credentialKey: Uint8Array,
): [string, string, Uint8Array, Uint8Array, Uint8Array] {
  return [electionId, mesa, nonce, pollBookKey, credentialKey];
}

/**
 * The card's signature over a check-in challenge (128 lowercase hex digits,
 * as the check-in entry's `voterSignature`). Throws RangeError for a
 * malformed challenge (a caller bug: parse a received one with
 * `parseCheckInChallenge`).
 */
export function signCheckInChallenge(card: CredentialCard, challenge: CheckInChallenge): string {
  const nonce = bytes32(challenge.nonce);
  const pollBookKey = bytes32(challenge.pollBookKey);
  if (
    !ELECTION_ID_RE.test(challenge.electionId) ||
    !MESA_ID_RE.test(challenge.mesa) ||
    nonce === undefined ||
    pollBookKey === undefined
  ) {
    throw new RangeError('malformed check-in challenge (parse it with parseCheckInChallenge)');
  }
  const credentialKey = card.secretKey.publicKey().toBytes();
  return signMessage(
    card.secretKey,
    CREDENTIAL_TAG.CHECKIN,
    checkInParts(challenge.electionId, challenge.mesa, nonce, pollBookKey, credentialKey),
  ).toHex();
}

/**
 * Verifies a check-in signature against the challenge and the credential's
 * public key (all as a check-in entry carries them: hex strings).
 */
export function verifyCheckInSignature(args: {
  readonly electionId: string;
  readonly mesa: string;
  readonly nonce: Uint8Array | string;
  readonly pollBookKey: string;
  readonly credentialKey: string;
  readonly signature: string;
}): Result<true, CredentialError> {
  const nonce = bytes32(args.nonce);
  const pollBookKey = bytes32(args.pollBookKey);
  if (
    typeof args.electionId !== 'string' ||
    !ELECTION_ID_RE.test(args.electionId) ||
    typeof args.mesa !== 'string' ||
    !MESA_ID_RE.test(args.mesa)
  ) {
    return fail('CHECKIN_MALFORMED', 'checkin', 'malformed election or mesa id');
  }
  if (nonce === undefined) {
    return fail(
      'CHECKIN_MALFORMED',
      'checkin.nonce',
      'expected 32 bytes (64 lowercase hex digits)',
    );
  }
  if (pollBookKey === undefined) {
    return fail('CHECKIN_MALFORMED', 'checkin.pollBookKey', 'expected 64 lowercase hex digits');
  }
  const credentialKey = isLowerHex(String(args.credentialKey), 64)
    ? SigningPublicKey.decodeHex(args.credentialKey, 'checkin.credentialKey')
    : undefined;
  if (credentialKey === undefined || !credentialKey.ok) {
    return fail('CHECKIN_BAD_KEY', 'checkin.credentialKey', 'not a valid Ed25519 public key');
  }
  const signature = isLowerHex(String(args.signature), 128)
    ? Signature.decodeHex(args.signature, 'checkin.signature')
    : undefined;
  if (signature === undefined || !signature.ok) {
    return fail(
      'CHECKIN_BAD_SIGNATURE_ENCODING',
      'checkin.signature',
      'expected 128 lowercase hex digits of a canonical Ed25519 signature',
    );
  }
  const verified = verifySignature(
    credentialKey.value,
    CREDENTIAL_TAG.CHECKIN,
    checkInParts(args.electionId, args.mesa, nonce, pollBookKey, credentialKey.value.toBytes()),
    signature.value,
    'checkin.signature',
  );
  if (!verified.ok) {
    return fail(
      'CHECKIN_SIGNATURE_INVALID',
      'checkin.signature',
      'the signature does not verify for this credential and challenge',
    );
  }
  return ok(true);
}
