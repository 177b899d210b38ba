/**
 * Ed25519 signatures (docs/spec.md §7; RFC 8032 §5.1) for devices, the
 * registry, poll workers, trustees and voter credentials. A thin wrapper over
 * `ed25519` from `@noble/curves`: callers see `SigningSecretKey`,
 * `SigningPublicKey` and `Signature`, never noble's types.
 *
 * Framing. Acta never signs raw bytes: `signMessage(sk, tag, parts)` signs
 * encodeHashInput(ACTA_V1_SIGNED_MESSAGE, [tag, parts]) (spec §3), so a
 * signature made for one purpose (tag), e.g. a check-in, can never verify as
 * another, e.g. an acta. The tag is an `ACTA_V<n>_…` string chosen by the
 * caller; roles are just different tags.
 *
 * Verification rules: noble's strict mode (`zip215: false`), not the ZIP-215
 * rules noble uses by default. That is RFC 8032 §5.1.7 with canonical
 * encodings of A and R (y < p), s < L, the cofactored equation
 * [8][s]B = [8]R + [8][k]A, and public keys of small order rejected (noble does
 * this in strict mode for non-repudiation: a small-order key makes one
 * signature verify for many messages). Every signature Acta accepts is
 * therefore also accepted by any ZIP-215 verifier; the converse does not hold,
 * which is the point — ZIP-215's leniency exists for consensus compatibility
 * with legacy signatures, which Acta does not have. `SigningPublicKey.decode`
 * enforces the same key rules up front (canonical, on the curve, not of small
 * order), so the all-zero and identity keys are rejected with a coded error.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { bytesEqual, decodeHex, encodeHex } from './bytes.js';
import { cryptoError, type CryptoError } from './errors.js';
import { GROUP_ORDER } from './group.js';
import { encodeHashInput, type HashPart } from './hash.js';
import { err, ok, type Result } from './result.js';
import { defaultRng, type Rng } from './rng.js';
import { TAG } from './tags.js';

/** Length of an Ed25519 secret key (the RFC 8032 32-byte seed). */
export const SIGNING_SECRET_KEY_LENGTH = 32;
/** Length of an Ed25519 public key. */
export const SIGNING_PUBLIC_KEY_LENGTH = 32;
/** Length of an Ed25519 signature (R ‖ S). */
export const SIGNATURE_LENGTH = 64;

// The Ed25519 group order ℓ equals ristretto255's L (RFC 9496 §4).
const ED25519_ORDER = GROUP_ORDER;
const SIGNING_TAG_RE = /^ACTA_V[0-9]+_[A-Z0-9_]+$/;

let trustedPublicKey: (bytes: Uint8Array) => SigningPublicKey;
let seedOf: (key: SigningSecretKey) => Uint8Array;

function lengthError(where: string, what: string, expected: number, got: number): CryptoError {
  return cryptoError('INVALID_LENGTH', where, `${what} is ${expected} bytes, got ${got}`);
}

/** An Ed25519 public key: a canonical encoding of a point not of small order. */
export class SigningPublicKey {
  readonly #bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** Decodes a public key, rejecting non-canonical, off-curve and small-order points. */
  static decode(bytes: Uint8Array, where = 'publicKey'): Result<SigningPublicKey, CryptoError> {
    if (bytes.length !== SIGNING_PUBLIC_KEY_LENGTH) {
      return err(lengthError(where, 'a public key', SIGNING_PUBLIC_KEY_LENGTH, bytes.length));
    }
    let smallOrder: boolean;
    try {
      smallOrder = ed25519.Point.fromBytes(bytes, false).isSmallOrder();
    } catch {
      return err(cryptoError('INVALID_ELEMENT', where, 'not a canonical Ed25519 point encoding'));
    }
    if (smallOrder) {
      return err(cryptoError('INVALID_ELEMENT', where, 'the public key has small order'));
    }
    return ok(new SigningPublicKey(Uint8Array.from(bytes)));
  }

  /** Decodes a public key from 64 hex digits (see `decode`). */
  static decodeHex(hex: unknown, where = 'publicKey'): Result<SigningPublicKey, CryptoError> {
    const bytes = decodeHex(hex, where, SIGNING_PUBLIC_KEY_LENGTH);
    return bytes.ok ? SigningPublicKey.decode(bytes.value, where) : bytes;
  }

  equals(other: SigningPublicKey): boolean {
    return bytesEqual(this.#bytes, other.#bytes);
  }

  toBytes(): Uint8Array {
    return this.#bytes.slice();
  }

  toHex(): string {
    return encodeHex(this.#bytes);
  }

  toString(): string {
    return `SigningPublicKey(${this.toHex()})`;
  }

  static {
    // Keys derived from a secret key are valid by construction: skip decoding.
    trustedPublicKey = (bytes) => new SigningPublicKey(Uint8Array.from(bytes));
  }
}

/** An Ed25519 secret key (RFC 8032 seed). Its string form never shows the key. */
export class SigningSecretKey {
  readonly #seed: Uint8Array;
  #publicKey: SigningPublicKey | undefined;

  private constructor(seed: Uint8Array) {
    this.#seed = seed;
  }

  /** Wraps a 32-byte seed (any 32 bytes are a valid Ed25519 secret key). */
  static decode(bytes: Uint8Array, where = 'secretKey'): Result<SigningSecretKey, CryptoError> {
    if (bytes.length !== SIGNING_SECRET_KEY_LENGTH) {
      return err(lengthError(where, 'a secret key', SIGNING_SECRET_KEY_LENGTH, bytes.length));
    }
    return ok(new SigningSecretKey(Uint8Array.from(bytes)));
  }

  /** Decodes a secret key from 64 hex digits. */
  static decodeHex(hex: unknown, where = 'secretKey'): Result<SigningSecretKey, CryptoError> {
    const bytes = decodeHex(hex, where, SIGNING_SECRET_KEY_LENGTH);
    return bytes.ok ? SigningSecretKey.decode(bytes.value, where) : bytes;
  }

  /** The matching public key (computed once). */
  publicKey(): SigningPublicKey {
    this.#publicKey ??= trustedPublicKey(ed25519.getPublicKey(this.#seed));
    return this.#publicKey;
  }

  /** The 32-byte seed: for the key holder's own protected storage only. */
  toBytes(): Uint8Array {
    return this.#seed.slice();
  }

  /** The seed in hex: for the key holder's own protected storage only. */
  toHex(): string {
    return encodeHex(this.#seed);
  }

  /** Redacted, so that a logged key does not leak. */
  toString(): string {
    return 'SigningSecretKey(<secret>)';
  }

  /** Redacted: JSON.stringify of an object holding a key must not leak it. */
  toJSON(): string {
    return '<secret>';
  }

  static {
    // Module-private access to the seed for signing, without a public getter.
    seedOf = (key) => key.#seed;
  }
}

/** An Ed25519 signature R ‖ S, with S < ℓ checked on decoding. */
export class Signature {
  readonly #bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** Decodes a signature: 64 bytes, S canonical (< ℓ). R is checked by verification. */
  static decode(bytes: Uint8Array, where = 'signature'): Result<Signature, CryptoError> {
    if (bytes.length !== SIGNATURE_LENGTH) {
      return err(lengthError(where, 'a signature', SIGNATURE_LENGTH, bytes.length));
    }
    if (bytesToNumberLE(bytes.subarray(32)) >= ED25519_ORDER) {
      return err(
        cryptoError(
          'NON_CANONICAL_SCALAR',
          `${where}.s`,
          'S is not reduced modulo the group order',
        ),
      );
    }
    return ok(new Signature(Uint8Array.from(bytes)));
  }

  /** Decodes a signature from 128 hex digits (see `decode`). */
  static decodeHex(hex: unknown, where = 'signature'): Result<Signature, CryptoError> {
    const bytes = decodeHex(hex, where, SIGNATURE_LENGTH);
    return bytes.ok ? Signature.decode(bytes.value, where) : bytes;
  }

  equals(other: Signature): boolean {
    return bytesEqual(this.#bytes, other.#bytes);
  }

  toBytes(): Uint8Array {
    return this.#bytes.slice();
  }

  toHex(): string {
    return encodeHex(this.#bytes);
  }

  toString(): string {
    return `Signature(${this.toHex()})`;
  }
}

/** An Ed25519 key pair. */
export interface SigningKeyPair {
  readonly secretKey: SigningSecretKey;
  readonly publicKey: SigningPublicKey;
}

/** Generates a key pair from 32 bytes of `rng` (default: the system CSPRNG). */
export function generateSigningKeyPair(rng: Rng = defaultRng): SigningKeyPair {
  const secretKey = SigningSecretKey.decode(rng.randomBytes(SIGNING_SECRET_KEY_LENGTH));
  if (!secretKey.ok) throw new RangeError('the rng returned the wrong number of bytes');
  return { secretKey: secretKey.value, publicKey: secretKey.value.publicKey() };
}

/**
 * The exact bytes that `signMessage` signs: the canonical encoding of
 * [tag, parts] under ACTA_V1_SIGNED_MESSAGE (spec §7.1). Throws RangeError for
 * a tag that is not an `ACTA_V<n>_…` string (a caller bug).
 */
export function signedMessageBytes(tag: string, parts: readonly HashPart[]): Uint8Array {
  if (!SIGNING_TAG_RE.test(tag)) {
    throw new RangeError(`a signature tag must look like ACTA_V1_PURPOSE, got ${tag}`);
  }
  return encodeHashInput(TAG.SIGNED_MESSAGE, [tag, parts]);
}

/** Signs raw bytes (RFC 8032 Ed25519, deterministic). Use `signMessage` in Acta. */
export function signRaw(secretKey: SigningSecretKey, message: Uint8Array): Signature {
  const sig = Signature.decode(ed25519.sign(message, seedOf(secretKey)));
  if (!sig.ok) throw new Error('ed25519 produced a malformed signature');
  return sig.value;
}

/** Verifies a signature over raw bytes with the strict rules of the module header. */
export function verifyRaw(
  publicKey: SigningPublicKey,
  message: Uint8Array,
  signature: Signature,
): boolean {
  try {
    return ed25519.verify(signature.toBytes(), message, publicKey.toBytes(), { zip215: false });
  } catch {
    return false;
  }
}

/** Signs `parts` for the purpose `tag` (see the module header). */
export function signMessage(
  secretKey: SigningSecretKey,
  tag: string,
  parts: readonly HashPart[],
): Signature {
  return signRaw(secretKey, signedMessageBytes(tag, parts));
}

/** Verifies a signature made by `signMessage` with the same tag and parts (SIGNATURE_INVALID). */
export function verifySignature(
  publicKey: SigningPublicKey,
  tag: string,
  parts: readonly HashPart[],
  signature: Signature,
  where = 'signature',
): Result<true, CryptoError> {
  if (!verifyRaw(publicKey, signedMessageBytes(tag, parts), signature)) {
    return err(
      cryptoError(
        'SIGNATURE_INVALID',
        where,
        'the signature does not verify for this key and message',
      ),
    );
  }
  return ok(true);
}
