/**
 * Byte helpers: strict hex decoding (lowercase or uppercase, even length, no
 * prefix), constant-shape concatenation and comparison. Every hex string that
 * enters Acta goes through `decodeHex`, which checks the expected length before
 * anything else looks at the bytes.
 */
import { bytesToHex, concatBytes, equalBytes } from '@noble/curves/utils.js';
import { cryptoError, type CryptoError } from './errors.js';
import { err, ok, type Result } from './result.js';

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Encodes bytes as lowercase hex. */
export function encodeHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

/**
 * Decodes a hex string, checking its form and, when given, its decoded length.
 * `where` names the field for the error message.
 */
export function decodeHex(
  hex: unknown,
  where: string,
  expectedLength?: number,
): Result<Uint8Array, CryptoError> {
  if (typeof hex !== 'string')
    return err(cryptoError('INVALID_HEX', where, 'expected a hex string'));
  if (expectedLength !== undefined && hex.length !== expectedLength * 2) {
    return err(
      cryptoError(
        'INVALID_LENGTH',
        where,
        `expected ${expectedLength} bytes (${expectedLength * 2} hex digits), got ${hex.length} hex digits`,
      ),
    );
  }
  if (!HEX_RE.test(hex))
    return err(cryptoError('INVALID_HEX', where, 'not an even-length hex string'));
  return ok(Uint8Array.from(Buffer.from(hex, 'hex')));
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(...parts);
}

/** Compares two byte arrays in time independent of their contents. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return equalBytes(a, b);
}

/** UTF-8 encodes a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
