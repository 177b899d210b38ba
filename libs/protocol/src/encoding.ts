/**
 * Text encodings of Acta's compact payloads (docs/spec.md chapter 2: the
 * credential QR code and the acta QR payload): base64url without padding
 * (RFC 4648 §5, padding omitted as §3.2 allows), decimal integers, lowercase
 * hex and strict UTF-8.
 *
 * Every decoder here is canonical: a value has exactly one accepted spelling.
 * That matters for signed text (the acta payload is signed as text, so a
 * second spelling of the same numbers would be a second, unsigned payload)
 * and keeps parsers from being ambiguous. Hence base64url rejects non-zero
 * pad bits (RFC 4648 §3.5 lets decoders do so), integers reject signs and
 * leading zeros, hex is lowercase only, and UTF-8 decoding is fatal.
 *
 * Base64url is written out here rather than taken from Node's Buffer so the
 * package also runs in the browser applications (booth, poll-book station),
 * which read these payloads from QR codes.
 */
import { err, ok, type Result } from '@acta/crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_RE = /^[A-Za-z0-9_-]*$/;
const DIGITS_RE = /^(?:0|[1-9][0-9]*)$/;
const LOWER_HEX_RE = /^[0-9a-f]*$/;

/** Character value of each base64url letter (−1 for every other code unit below 128). */
const DECODE_TABLE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Why a base64url text was refused. */
export type Base64UrlFault =
  /** A character outside A–Z a–z 0–9 `-` `_` (padding `=` included: it is omitted). */
  | 'alphabet'
  /** A length of 1 mod 4: no byte string encodes to it. */
  | 'length'
  /** The unused bits of the last character are not zero: a second spelling of the bytes. */
  | 'non-canonical';

/** Encodes bytes as base64url without padding (RFC 4648 §5). */
export function encodeBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      ALPHABET[n >>> 18]! +
      ALPHABET[(n >>> 12) & 63]! +
      ALPHABET[(n >>> 6) & 63]! +
      ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]!;
  }
  return out;
}

/**
 * Decodes unpadded base64url strictly: alphabet, length (not 1 mod 4) and
 * canonical form (zero pad bits) are checked, so `encodeBase64Url` of the
 * result gives back exactly `text`.
 */
export function decodeBase64Url(text: string): Result<Uint8Array, Base64UrlFault> {
  if (!BASE64URL_RE.test(text)) return err('alphabet');
  const tail = text.length % 4;
  if (tail === 1) return err('length');
  const out = new Uint8Array(Math.floor(text.length / 4) * 3 + (tail === 0 ? 0 : tail - 1));
  let o = 0;
  let i = 0;
  const value = (k: number): number => DECODE_TABLE[text.charCodeAt(k)]!;
  for (; i + 4 <= text.length; i += 4) {
    const n = (value(i) << 18) | (value(i + 1) << 12) | (value(i + 2) << 6) | value(i + 3);
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 255;
    out[o++] = n & 255;
  }
  if (tail === 2) {
    const n = (value(i) << 18) | (value(i + 1) << 12);
    if ((n & 0xffff) !== 0) return err('non-canonical');
    out[o] = n >>> 16;
  } else if (tail === 3) {
    const n = (value(i) << 18) | (value(i + 1) << 12) | (value(i + 2) << 6);
    if ((n & 0xff) !== 0) return err('non-canonical');
    out[o++] = n >>> 16;
    out[o] = (n >>> 8) & 255;
  }
  return ok(out);
}

/** The length of the unpadded base64url encoding of `byteLength` bytes. */
export function base64UrlLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3);
}

/**
 * Parses a non-negative decimal integer written canonically: digits only, no
 * sign, no leading zero (except `0` itself), at most `maxDigits` digits (≤ 15,
 * so the value is always a safe integer). Returns undefined otherwise.
 */
export function parseCanonicalUint(text: string, maxDigits: number): number | undefined {
  if (!Number.isInteger(maxDigits) || maxDigits < 1 || maxDigits > 15) {
    throw new RangeError(`maxDigits must be an integer in [1, 15], got ${maxDigits}`);
  }
  if (text.length > maxDigits || !DIGITS_RE.test(text)) return undefined;
  return Number(text);
}

/** True when `text` is exactly `hexDigits` lowercase hex digits. */
export function isLowerHex(text: string, hexDigits: number): boolean {
  return text.length === hexDigits && LOWER_HEX_RE.test(text);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8, refusing ill-formed input (no silent U+FFFD); undefined if ill-formed. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}
