/**
 * The acta QR payload (docs/spec.md chapter 2, "Actas"; product brief
 * component 6): a mesa's tally sheet in a compact text that anyone can verify
 * offline against the device key published on the board — what the
 * Venezuelan acta QR code of 2024 lacked (its payload is unsigned; the paper
 * acta's HMAC can only be checked by the authority).
 *
 * Grammar (ASCII, version 1; at most 4096 characters):
 *
 *   payload   = "ACTA1" "!" election "!" mesa "!" counters "!" counts "!" chain "!" signature
 *   election  = 16 lowercase hex digits: the first 8 bytes of the election hash
 *   mesa      = 9 digits "." 2 digits (centre code, mesa number)
 *   counters  = registered "," checkedIn "," cast "," spoiled
 *   counts    = contest *( ";" contest )      ; ≤ 100 contests, the ballot style's order
 *   contest   = uint *( "," uint )            ; ≤ 1000 cards, ballot order
 *   uint      = "0" / %x31-39 0*8DIGIT        ; no sign, no leading zero, ≤ 9 digits
 *   chain     = 64 lowercase hex digits: the mesa's tracking-code chain head
 *   signature = 86 base64url characters (RFC 4648 §5, unpadded, canonical): 64 bytes
 *
 * Signature: the device key's Ed25519 signature (spec §7)
 *
 *   signMessage(deviceKey, ACTA_V1_ACTA_QR, [signedText])
 *
 * where signedText is the payload up to, not including, its last "!". The
 * text itself is signed, so every spelling rule above is canonical (one text
 * per acta): otherwise a re-spelled payload would carry a valid signature
 * over a text it is not. The 8-byte election prefix (64 bits) names the
 * election among the few a verifier holds; the signature, not the prefix, is
 * what binds the numbers to the device, and the device key is bound to the
 * election by the board.
 *
 * Verification (`verifyActaQr`) recomputes the signed text from the parsed
 * fields, checks the signature, the election prefix and, when the manifest is
 * at hand, the number of contests and cards of the mesa's ballot style, and
 * the arithmetic every honest acta satisfies: cast ≤ checked in ≤ registered,
 * no card counted more often than ballots were cast (each selection is 0 or
 * 1, spec §5.3), and a contest's marks ≤ cast × its selection limit.
 *
 * The Venezuelan payload (`parseVenezuelanActaQr`) is parsed too, for the
 * acta cross-check and the forensics: `<acta id>!<38 counts>!<int>!<int>`,
 * acta id `CCCCCCCCC.MM.D.DDDD` (product brief, "Real data").
 */
import {
  Signature,
  encodeHex,
  err,
  ok,
  signMessage,
  verifySignature,
  type Result,
  type SigningPublicKey,
  type SigningSecretKey,
} from '@acta/crypto';
import {
  base64UrlLength,
  decodeBase64Url,
  encodeBase64Url,
  isLowerHex,
  parseCanonicalUint,
} from './encoding.js';

// ---------------------------------------------------------------------------
// Errors

/**
 * The codes of acta QR failures. Local to this module until they join the
 * package's `ProtocolErrorCode` union (errors.ts): same shape, same meaning.
 */
export type ActaQrErrorCode =
  /** Longer than 4096 characters (checked before anything else). */
  | 'ACTA_QR_TOO_LONG'
  /** Does not start with `ACTA1!`. */
  | 'ACTA_QR_PREFIX'
  /** Not exactly seven `!`-separated sections. */
  | 'ACTA_QR_SECTIONS'
  /** The election prefix or the chain head is not lowercase hex of the right length. */
  | 'ACTA_QR_BAD_HEX'
  /** Not a mesa id `<9-digit centre code>.<2-digit mesa number>`. */
  | 'ACTA_QR_BAD_MESA_ID'
  /** Not exactly four counters (registered, checked in, cast, spoiled). */
  | 'ACTA_QR_BAD_COUNTERS'
  /** Not a canonical decimal integer of at most 9 digits. */
  | 'ACTA_QR_BAD_INTEGER'
  /** More than 100 contests. */
  | 'ACTA_QR_TOO_MANY_CONTESTS'
  /** More than 1000 cards in a contest. */
  | 'ACTA_QR_TOO_MANY_CARDS'
  /** The signature is not 86 canonical base64url characters of a canonical Ed25519 signature. */
  | 'ACTA_QR_BAD_SIGNATURE_ENCODING'
  /** The signature does not verify with the device key. */
  | 'ACTA_QR_SIGNATURE_INVALID'
  /** The election prefix is not that of the expected election. */
  | 'ACTA_QR_ELECTION_MISMATCH'
  /** The mesa is not the expected one. */
  | 'ACTA_QR_MESA_MISMATCH'
  /** The number of contests is not that of the mesa's ballot style. */
  | 'ACTA_QR_CONTEST_COUNT'
  /** A contest's number of cards is not the manifest's. */
  | 'ACTA_QR_CARD_COUNT'
  /** The counters contradict each other (cast ≤ checked in ≤ registered). */
  | 'ACTA_QR_COUNTS_INCONSISTENT'
  /** More marks than the cast ballots allow (per card ≤ cast; per contest ≤ cast × limit). */
  | 'ACTA_QR_MARKS_EXCEED_LIMIT'
  /** A Venezuelan payload longer than 1024 characters. */
  | 'VE_ACTA_QR_TOO_LONG'
  /** A Venezuelan payload without exactly four `!`-separated sections. */
  | 'VE_ACTA_QR_SECTIONS'
  /** A Venezuelan acta id that is not `CCCCCCCCC.MM.D.DDDD`. */
  | 'VE_ACTA_QR_BAD_ACTA_ID'
  /** A Venezuelan count that is not a canonical decimal integer of at most 9 digits. */
  | 'VE_ACTA_QR_BAD_INTEGER'
  /** Not exactly 38 Venezuelan card counts. */
  | 'VE_ACTA_QR_COUNT_COUNT';

/** An expected failure of an acta QR operation: a stable code, a location, a message. */
export class ActaQrError extends Error {
  readonly code: ActaQrErrorCode;
  readonly where: string;

  constructor(code: ActaQrErrorCode, where: string, message: string) {
    super(message);
    this.name = 'ActaQrError';
    this.code = code;
    this.where = where;
  }

  /** `CODE at where: message`, for logs and command-line output. */
  override toString(): string {
    return `${this.code} at ${this.where}: ${this.message}`;
  }
}

function fail<T>(code: ActaQrErrorCode, where: string, message: string): Result<T, ActaQrError> {
  return err(new ActaQrError(code, where, message));
}

/** Quotes a piece of (public) input in a message, shortened. */
function quote(text: string): string {
  return JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}…` : text);
}

// ---------------------------------------------------------------------------
// Constants and types

/** The signature tag of acta QR payloads (to join PROTOCOL_TAG in tags.ts). */
export const ACTA_QR_TAG = 'ACTA_V1_ACTA_QR';
/** The first section of every version-1 payload. */
export const ACTA_QR_PREFIX = 'ACTA1';
/** The longest payload a parser looks at. */
export const MAX_ACTA_QR_LENGTH = 4096;
/** The most contests a payload may carry (as an entry's results). */
export const MAX_ACTA_QR_CONTESTS = 100;
/** The most cards a contest may carry (as a manifest's contest). */
export const MAX_ACTA_QR_CARDS = 1000;
/** The largest count: nine decimal digits. */
export const MAX_ACTA_QR_COUNT = 999_999_999;
/** Bytes of the election hash a payload carries. */
export const ACTA_QR_ELECTION_PREFIX_LENGTH = 8;

const SECTIONS = 7;
const MAX_DIGITS = 9;
const MESA_ID_RE = /^[0-9]{9}\.[0-9]{2}$/;
const SIGNATURE_CHARS = base64UrlLength(64);

/** The four counters of an acta. */
export interface ActaCounters {
  readonly registered: number;
  readonly checkedIn: number;
  readonly cast: number;
  readonly spoiled: number;
}

/** What an acta QR payload states (the input of `encodeActaQr`). */
export interface ActaQrFields extends ActaCounters {
  /** The election hash (32 bytes); the payload carries its first 8 bytes. */
  readonly electionHash: Uint8Array;
  readonly mesa: string;
  /** Per contest of the mesa's ballot style (style order), per card (ballot order). */
  readonly counts: readonly (readonly number[])[];
  /** The mesa's chain head, 64 lowercase hex digits. */
  readonly chainHead: string;
}

/** A parsed payload: its fields, its signature, and the exact text the signature covers. */
export interface ParsedActaQr extends ActaCounters {
  /** The first 8 bytes of the election hash, 16 lowercase hex digits. */
  readonly electionHashPrefix: string;
  readonly mesa: string;
  readonly counts: readonly (readonly number[])[];
  readonly chainHead: string;
  readonly signature: Signature;
  /** The payload up to, not including, its last `!`. */
  readonly signedText: string;
}

/** What the verifier knows about the acta it checks (from the board and the manifest). */
export interface ActaQrExpectations {
  /** The election hash (≥ 8 bytes; its first 8 are compared). */
  readonly electionHash?: Uint8Array;
  /** The mesa the acta should be for. */
  readonly mesa?: string;
  /** The number of cards of each contest of the mesa's ballot style, in style order. */
  readonly contestCards?: readonly number[];
  /** The selection limit of each contest of the mesa's ballot style, in style order. */
  readonly selectionLimits?: readonly number[];
}

// ---------------------------------------------------------------------------
// Encoding

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= MAX_ACTA_QR_COUNT;
}

/** The signed text from its parts, unchecked (callers check, or rely on the signature). */
function formatSignedText(
  electionHashPrefix: string,
  mesa: string,
  c: ActaCounters,
  counts: readonly (readonly number[])[],
  chainHead: string,
): string {
  return [
    ACTA_QR_PREFIX,
    electionHashPrefix,
    mesa,
    `${c.registered},${c.checkedIn},${c.cast},${c.spoiled}`,
    counts.map((row) => row.join(',')).join(';'),
    chainHead,
  ].join('!');
}

/**
 * The signed payload of an acta. Throws RangeError for fields outside the
 * grammar (a bug of the device that produced them: its counts are its own)
 * or a payload over 4096 characters.
 */
export function encodeActaQr(fields: ActaQrFields, deviceSecretKey: SigningSecretKey): string {
  if (fields.electionHash.length < ACTA_QR_ELECTION_PREFIX_LENGTH) {
    throw new RangeError('the election hash is shorter than 8 bytes');
  }
  if (!MESA_ID_RE.test(fields.mesa)) throw new RangeError('invalid mesa id');
  if (!isLowerHex(fields.chainHead, 64)) {
    throw new RangeError('the chain head must be 64 lowercase hex digits');
  }
  const counters = [fields.registered, fields.checkedIn, fields.cast, fields.spoiled];
  if (!counters.every(isCount)) throw new RangeError('a counter is not an integer in [0, 10^9)');
  if (fields.counts.length < 1 || fields.counts.length > MAX_ACTA_QR_CONTESTS) {
    throw new RangeError(`an acta has 1 … ${MAX_ACTA_QR_CONTESTS} contests`);
  }
  for (const row of fields.counts) {
    if (row.length < 1 || row.length > MAX_ACTA_QR_CARDS) {
      throw new RangeError(`a contest has 1 … ${MAX_ACTA_QR_CARDS} cards`);
    }
    if (!row.every(isCount)) throw new RangeError('a count is not an integer in [0, 10^9)');
  }
  const signedText = formatSignedText(
    encodeHex(fields.electionHash.subarray(0, ACTA_QR_ELECTION_PREFIX_LENGTH)),
    fields.mesa,
    fields,
    fields.counts,
    fields.chainHead,
  );
  const signature = signMessage(deviceSecretKey, ACTA_QR_TAG, [signedText]);
  const payload = `${signedText}!${encodeBase64Url(signature.toBytes())}`;
  if (payload.length > MAX_ACTA_QR_LENGTH) {
    throw new RangeError(`the payload is over ${MAX_ACTA_QR_LENGTH} characters`);
  }
  return payload;
}

// ---------------------------------------------------------------------------
// Parsing

function parseCount(text: string, where: string): Result<number, ActaQrError> {
  const n = parseCanonicalUint(text, MAX_DIGITS);
  if (n === undefined) {
    return fail(
      'ACTA_QR_BAD_INTEGER',
      where,
      `${quote(text)} is not a decimal integer (no sign, no leading zero, ≤ 9 digits)`,
    );
  }
  return ok(n);
}

/**
 * Parses a payload by the grammar of the module header: every malformation
 * has its code and the place it was found. Parsing does not verify: pass the
 * result to `verifyActaQr` with the device key.
 */
export function parseActaQr(text: string): Result<ParsedActaQr, ActaQrError> {
  const where = 'actaQr';
  if (typeof text !== 'string') return fail('ACTA_QR_PREFIX', where, 'not a text');
  if (text.length > MAX_ACTA_QR_LENGTH) {
    return fail(
      'ACTA_QR_TOO_LONG',
      where,
      `${text.length} characters, a payload has at most ${MAX_ACTA_QR_LENGTH}`,
    );
  }
  const sections = text.split('!');
  if (sections[0] !== ACTA_QR_PREFIX) {
    return fail('ACTA_QR_PREFIX', where, `a payload starts with ${ACTA_QR_PREFIX}!`);
  }
  if (sections.length !== SECTIONS) {
    return fail(
      'ACTA_QR_SECTIONS',
      where,
      `${sections.length} "!"-separated sections, a payload has ${SECTIONS}`,
    );
  }
  const [, election, mesa, countersText, countsText, chainHead, signatureText] = sections as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!isLowerHex(election, 2 * ACTA_QR_ELECTION_PREFIX_LENGTH)) {
    return fail('ACTA_QR_BAD_HEX', `${where}.electionHash`, 'expected 16 lowercase hex digits');
  }
  if (!MESA_ID_RE.test(mesa)) {
    return fail('ACTA_QR_BAD_MESA_ID', `${where}.mesa`, `${quote(mesa)} is not a mesa id`);
  }
  const counterTexts = countersText.split(',');
  if (counterTexts.length !== 4) {
    return fail(
      'ACTA_QR_BAD_COUNTERS',
      `${where}.counters`,
      `${counterTexts.length} counters, expected registered,checkedIn,cast,spoiled`,
    );
  }
  const names = ['registered', 'checkedIn', 'cast', 'spoiled'] as const;
  const counters: number[] = [];
  for (let i = 0; i < 4; i++) {
    const n = parseCount(counterTexts[i]!, `${where}.${names[i]!}`);
    if (!n.ok) return n;
    counters.push(n.value);
  }
  const contestTexts = countsText.split(';');
  if (contestTexts.length > MAX_ACTA_QR_CONTESTS) {
    return fail(
      'ACTA_QR_TOO_MANY_CONTESTS',
      `${where}.counts`,
      `${contestTexts.length} contests, at most ${MAX_ACTA_QR_CONTESTS}`,
    );
  }
  const counts: number[][] = [];
  for (let c = 0; c < contestTexts.length; c++) {
    const cardTexts = contestTexts[c]!.split(',');
    if (cardTexts.length > MAX_ACTA_QR_CARDS) {
      return fail(
        'ACTA_QR_TOO_MANY_CARDS',
        `${where}.counts[${c}]`,
        `${cardTexts.length} cards, at most ${MAX_ACTA_QR_CARDS}`,
      );
    }
    const row: number[] = [];
    for (let i = 0; i < cardTexts.length; i++) {
      const n = parseCount(cardTexts[i]!, `${where}.counts[${c}][${i}]`);
      if (!n.ok) return n;
      row.push(n.value);
    }
    counts.push(row);
  }
  if (!isLowerHex(chainHead, 64)) {
    return fail('ACTA_QR_BAD_HEX', `${where}.chainHead`, 'expected 64 lowercase hex digits');
  }
  if (signatureText.length !== SIGNATURE_CHARS) {
    return fail(
      'ACTA_QR_BAD_SIGNATURE_ENCODING',
      `${where}.signature`,
      `${signatureText.length} characters, a signature has ${SIGNATURE_CHARS}`,
    );
  }
  const signatureBytes = decodeBase64Url(signatureText);
  if (!signatureBytes.ok) {
    return fail(
      'ACTA_QR_BAD_SIGNATURE_ENCODING',
      `${where}.signature`,
      `not canonical unpadded base64url (${signatureBytes.error})`,
    );
  }
  const signature = Signature.decode(signatureBytes.value, `${where}.signature`);
  if (!signature.ok) {
    return fail('ACTA_QR_BAD_SIGNATURE_ENCODING', signature.error.where, signature.error.message);
  }
  return ok({
    electionHashPrefix: election,
    mesa,
    registered: counters[0]!,
    checkedIn: counters[1]!,
    cast: counters[2]!,
    spoiled: counters[3]!,
    counts,
    chainHead,
    signature: signature.value,
    signedText: text.slice(0, text.lastIndexOf('!')),
  });
}

// ---------------------------------------------------------------------------
// Verification

/** What an acta entry states that its QR payload must repeat. */
export interface ActaQrStatement {
  readonly mesa: string;
  readonly counts: ActaCounters;
  readonly chainHead: string;
  /** Per contest (style order), per card (ballot order). */
  readonly results: readonly (readonly number[])[];
}

/**
 * Whether a (parsed, separately verified) QR payload states exactly what its
 * acta entry states: the mesa, the four counters, the chain head and every
 * count. The one comparison the state machine and every reader of actas use.
 */
export function matchesActaQr(qr: ParsedActaQr, acta: ActaQrStatement): boolean {
  const c = acta.counts;
  return (
    qr.mesa === acta.mesa &&
    qr.registered === c.registered &&
    qr.checkedIn === c.checkedIn &&
    qr.cast === c.cast &&
    qr.spoiled === c.spoiled &&
    qr.chainHead === acta.chainHead &&
    qr.counts.length === acta.results.length &&
    qr.counts.every((row, i) => {
      const other = acta.results[i]!;
      return row.length === other.length && row.every((n, j) => n === other[j]);
    })
  );
}

/**
 * Verifies a parsed payload: the device signature over the text recomputed
 * from the fields (so a caller that edited a field of `parsed` is caught),
 * then the expectations, then the arithmetic (see the module header).
 */
export function verifyActaQr(
  parsed: ParsedActaQr,
  devicePublicKey: SigningPublicKey,
  expected: ActaQrExpectations = {},
): Result<true, ActaQrError> {
  const where = 'actaQr';
  const signedText = formatSignedText(
    parsed.electionHashPrefix,
    parsed.mesa,
    parsed,
    parsed.counts,
    parsed.chainHead,
  );
  const signature = verifySignature(devicePublicKey, ACTA_QR_TAG, [signedText], parsed.signature);
  if (!signature.ok) {
    return fail(
      'ACTA_QR_SIGNATURE_INVALID',
      `${where}.signature`,
      'the signature does not verify with the device key',
    );
  }
  if (expected.electionHash !== undefined) {
    const prefix = encodeHex(expected.electionHash.subarray(0, ACTA_QR_ELECTION_PREFIX_LENGTH));
    if (
      expected.electionHash.length < ACTA_QR_ELECTION_PREFIX_LENGTH ||
      prefix !== parsed.electionHashPrefix
    ) {
      return fail(
        'ACTA_QR_ELECTION_MISMATCH',
        `${where}.electionHash`,
        `the payload names election ${parsed.electionHashPrefix}…, expected ${prefix}…`,
      );
    }
  }
  if (expected.mesa !== undefined && expected.mesa !== parsed.mesa) {
    return fail(
      'ACTA_QR_MESA_MISMATCH',
      `${where}.mesa`,
      `the payload is for mesa ${parsed.mesa}, expected ${quote(expected.mesa)}`,
    );
  }
  for (const list of [expected.contestCards, expected.selectionLimits]) {
    if (list !== undefined && list.length !== parsed.counts.length) {
      return fail(
        'ACTA_QR_CONTEST_COUNT',
        `${where}.counts`,
        `${parsed.counts.length} contests, the ballot style has ${list.length}`,
      );
    }
  }
  if (expected.contestCards !== undefined) {
    for (let c = 0; c < parsed.counts.length; c++) {
      const cards = parsed.counts[c]!.length;
      if (cards !== expected.contestCards[c]) {
        return fail(
          'ACTA_QR_CARD_COUNT',
          `${where}.counts[${c}]`,
          `${cards} cards, the contest has ${expected.contestCards[c]}`,
        );
      }
    }
  }
  const { registered, checkedIn, cast, spoiled } = parsed;
  if (![registered, checkedIn, cast, spoiled].every(isCount)) {
    return fail('ACTA_QR_COUNTS_INCONSISTENT', where, 'a counter is not a non-negative integer');
  }
  if (checkedIn > registered) {
    return fail(
      'ACTA_QR_COUNTS_INCONSISTENT',
      `${where}.checkedIn`,
      `${checkedIn} checked in, only ${registered} registered`,
    );
  }
  if (cast > checkedIn) {
    return fail(
      'ACTA_QR_COUNTS_INCONSISTENT',
      `${where}.cast`,
      `${cast} ballots cast, only ${checkedIn} voters checked in`,
    );
  }
  for (let c = 0; c < parsed.counts.length; c++) {
    const row = parsed.counts[c]!;
    let marks = 0;
    for (let i = 0; i < row.length; i++) {
      if (!isCount(row[i]!) || row[i]! > cast) {
        return fail(
          'ACTA_QR_MARKS_EXCEED_LIMIT',
          `${where}.counts[${c}][${i}]`,
          `${row[i]} marks on one card, only ${cast} ballots cast`,
        );
      }
      marks += row[i]!;
    }
    const limit = expected.selectionLimits?.[c];
    if (limit !== undefined && marks > cast * limit) {
      return fail(
        'ACTA_QR_MARKS_EXCEED_LIMIT',
        `${where}.counts[${c}]`,
        `${marks} marks, at most ${cast} ballots × ${limit} selections`,
      );
    }
  }
  return ok(true);
}

// ---------------------------------------------------------------------------
// The Venezuelan acta QR payload (2024)

/** The number of party cards on the 2024 Venezuelan presidential ballot. */
export const VE_ACTA_CARDS = 38;
/** The longest Venezuelan payload a parser looks at. */
export const MAX_VE_ACTA_QR_LENGTH = 1024;

const VE_ACTA_ID_RE = /^([0-9]{9})\.([0-9]{2})\.([0-9])\.([0-9]{4})$/;

/** A Venezuelan acta QR payload (unsigned: nothing here is verified, only parsed). */
export interface VenezuelanActaQr {
  /** The acta id as written, e.g. `201301006.01.1.0001`. */
  readonly actaId: string;
  /** The 9-digit centre code: state 2, municipality 2, parish 2, centre 3 digits. */
  readonly centreCode: string;
  /** The mesa number (`.MM` of the acta id). */
  readonly mesaNumber: number;
  /** Acta's mesa id for the same mesa: `<centre code>.<MM>`. */
  readonly mesaId: string;
  /** The part of the acta id after the mesa (`1.0001`), kept as written. */
  readonly actaSuffix: string;
  /** The 38 card counts in ballot order (Maduro 13 cards, Martínez 6, …, Rausseo 1). */
  readonly counts: readonly number[];
  /** The two trailing integers (believed to be null and blank votes). */
  readonly trailing: readonly [number, number];
}

/**
 * Parses `<acta id>!<38 comma-separated integers>!<int>!<int>` strictly (no
 * whitespace, canonical integers of ≤ 9 digits; trim scanned text first).
 */
export function parseVenezuelanActaQr(text: string): Result<VenezuelanActaQr, ActaQrError> {
  const where = 'veActaQr';
  if (typeof text !== 'string' || text.length > MAX_VE_ACTA_QR_LENGTH) {
    return fail(
      'VE_ACTA_QR_TOO_LONG',
      where,
      `a Venezuelan payload has at most ${MAX_VE_ACTA_QR_LENGTH} characters`,
    );
  }
  const sections = text.split('!');
  if (sections.length !== 4) {
    return fail(
      'VE_ACTA_QR_SECTIONS',
      where,
      `${sections.length} "!"-separated sections, expected 4 (acta id, counts, two integers)`,
    );
  }
  const [actaId, countsText, firstText, secondText] = sections as [string, string, string, string];
  const id = VE_ACTA_ID_RE.exec(actaId);
  if (id === null) {
    return fail(
      'VE_ACTA_QR_BAD_ACTA_ID',
      `${where}.actaId`,
      `${quote(actaId)} is not an acta id CCCCCCCCC.MM.D.DDDD`,
    );
  }
  const countTexts = countsText.split(',');
  if (countTexts.length !== VE_ACTA_CARDS) {
    return fail(
      'VE_ACTA_QR_COUNT_COUNT',
      `${where}.counts`,
      `${countTexts.length} counts, the ballot has ${VE_ACTA_CARDS} cards`,
    );
  }
  const veCount = (t: string, at: string): Result<number, ActaQrError> => {
    const n = parseCanonicalUint(t, MAX_DIGITS);
    return n === undefined
      ? fail('VE_ACTA_QR_BAD_INTEGER', at, `${quote(t)} is not a decimal integer of ≤ 9 digits`)
      : ok(n);
  };
  const counts: number[] = [];
  for (let i = 0; i < countTexts.length; i++) {
    const n = veCount(countTexts[i]!, `${where}.counts[${i}]`);
    if (!n.ok) return n;
    counts.push(n.value);
  }
  const first = veCount(firstText, `${where}.trailing[0]`);
  if (!first.ok) return first;
  const second = veCount(secondText, `${where}.trailing[1]`);
  if (!second.ok) return second;
  const [, centreCode, mesaNumber, suffixA, suffixB] = id as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return ok({
    actaId,
    centreCode,
    mesaNumber: Number(mesaNumber),
    mesaId: `${centreCode}.${mesaNumber}`,
    actaSuffix: `${suffixA}.${suffixB}`,
    counts,
    trailing: [first.value, second.value],
  });
}
