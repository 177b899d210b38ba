/**
 * Ed25519 signatures (docs/spec.md §7; RFC 8032 §5.1) for devices, the
 * registry, poll workers, trustees and voter credentials. Callers see
 * `SigningSecretKey`, `SigningPublicKey` and `Signature`, never the types of
 * the libraries underneath.
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
 *
 * Implementations. `ed25519` from @noble/curves in strict mode is the
 * reference and runs everywhere (about 1 ms per signature or verification).
 * On Node.js, signing and verification go to node:crypto, i.e. OpenSSL's
 * ossl_ed25519_sign / ossl_ed25519_verify (crypto/ec/curve25519.c): measured
 * here about 30 µs to sign and 85 µs to verify, with exactly noble's results:
 *
 * - Signing is deterministic (RFC 8032 §5.1.6): both give the same bytes. A
 *   self-test at load (RFC 8032 §7.1 TEST 2) keeps noble if they do not.
 * - Verification. OpenSSL rejects s ≥ L, decodes A leniently (y ≥ p and
 *   x = 0 with the sign bit set pass), hashes the exact bytes of R and A, and
 *   accepts iff the canonical encoding of [s]B − [k]A equals the 32 bytes of
 *   R: the cofactorless equation. Our A has passed `SigningPublicKey.decode`
 *   (canonical, so both libraries decode the same point; not of small order)
 *   and our s passed `Signature.decode` (s < L). So when OpenSSL accepts, R is
 *   the canonical encoding of [s]B − [k]A, noble decodes it to that point, and
 *   noble's cofactored equation holds: noble accepts too. The converse fails
 *   exactly when R + [k]A − [s]B is a non-zero point of order 2, 4 or 8,
 *   which needs a torsion component in R or A — never produced by an honest
 *   signer, but constructible (speccheck vectors 4 and 5, in the tests). So
 *   OpenSSL's "valid" is final and its "invalid" goes to noble, which decides:
 *   a rejected signature costs noble's time plus OpenSSL's. A non-canonical R
 *   (y ≥ p, or x = 0 with the sign bit set) is rejected up front, as noble
 *   rejects it, so that the argument above does not rest on how OpenSSL
 *   treats such an R.
 *
 * Key handles. node:crypto works on KeyObjects; each key builds its own once,
 * from the raw 32 bytes through JWK (measured here: ~5 µs, against 140–600 µs
 * for SPKI/PKCS#8 DER, which goes through OpenSSL's generic decoders), and
 * keeps it in a private field (about 1.2 KB of native memory per key).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, hexToBytes } from '@noble/curves/utils.js';
import type { KeyObject } from 'node:crypto';
import { bytesEqual, decodeHex, encodeHex } from './bytes.js';
import { cryptoError, type CryptoError } from './errors.js';
import { GROUP_ORDER } from './group.js';
import { encodeHashInput, type HashPart } from './hash.js';
import { isNode } from './platform.js';
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

/** The node:crypto calls this module makes, on raw 32-byte keys (see the module header). */
interface NodeEd25519 {
  importPublicKey(bytes: Uint8Array): KeyObject;
  importSecretKey(seed: Uint8Array): KeyObject;
  derivePublicKey(secretKey: KeyObject): { readonly bytes: Uint8Array; readonly key: KeyObject };
  sign(secretKey: KeyObject, message: Uint8Array): Uint8Array;
  verify(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean;
}

// Node builds an OKP private key from `d` alone (it derives the public key
// itself) but insists that `x` be a string; this placeholder (32 zero bytes)
// fills it. A Node that used or checked it would fail the self-test below.
const UNUSED_JWK_X = 'A'.repeat(43);

// RFC 8032 §7.1 TEST 2, for the self-test.
const SELF_TEST = {
  seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
  publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
  message: '72',
  signature:
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da' +
    '085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
} as const;

/** True if `impl` derives, signs and verifies RFC 8032 §7.1 TEST 2 exactly. */
function passesSelfTest(impl: NodeEd25519): boolean {
  const message = hexToBytes(SELF_TEST.message);
  const secretKey = impl.importSecretKey(hexToBytes(SELF_TEST.seed));
  const derived = impl.derivePublicKey(secretKey);
  const signature = impl.sign(secretKey, message);
  const publicKey = impl.importPublicKey(hexToBytes(SELF_TEST.publicKey));
  return (
    encodeHex(derived.bytes) === SELF_TEST.publicKey &&
    encodeHex(signature) === SELF_TEST.signature &&
    impl.verify(publicKey, message, signature) &&
    impl.verify(derived.key, message, signature) &&
    !impl.verify(publicKey, Uint8Array.of(0x73), signature)
  );
}

/** node:crypto's Ed25519 when it is OpenSSL's and passes the self-test; otherwise undefined. */
async function loadNodeEd25519(): Promise<NodeEd25519 | undefined> {
  // The equivalence argument of the module header was made for OpenSSL's code.
  const versions = (globalThis as { process?: { versions?: { openssl?: string } } }).process
    ?.versions;
  if (!isNode || typeof versions?.openssl !== 'string') return undefined;
  try {
    const { createPrivateKey, createPublicKey, sign, verify } = await import('node:crypto');
    const base64url = (bytes: Uint8Array): string =>
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url');
    const impl: NodeEd25519 = {
      importPublicKey: (bytes) =>
        createPublicKey({
          key: { kty: 'OKP', crv: 'Ed25519', x: base64url(bytes) },
          format: 'jwk',
        }),
      importSecretKey: (seed) =>
        createPrivateKey({
          key: { kty: 'OKP', crv: 'Ed25519', d: base64url(seed), x: UNUSED_JWK_X },
          format: 'jwk',
        }),
      derivePublicKey: (secretKey) => {
        const key = createPublicKey(secretKey);
        const { x } = key.export({ format: 'jwk' });
        const bytes = Uint8Array.from(Buffer.from(x ?? '', 'base64url'));
        if (bytes.length !== SIGNING_PUBLIC_KEY_LENGTH) {
          throw new Error('node:crypto exported a malformed Ed25519 public key');
        }
        return { bytes, key };
      },
      sign: (secretKey, message) => sign(null, message, secretKey),
      verify: (publicKey, message, signature) => verify(null, message, publicKey, signature),
    };
    return passesSelfTest(impl) ? impl : undefined;
  } catch {
    return undefined;
  }
}

const nodeEd25519 = await loadNodeEd25519();

let trustedPublicKey: (bytes: Uint8Array, nodeKey?: KeyObject) => SigningPublicKey;
let publicKeyBytesOf: (key: SigningPublicKey) => Uint8Array;
let nodePublicKeyOf: (key: SigningPublicKey) => KeyObject | undefined;
let seedOf: (key: SigningSecretKey) => Uint8Array;
let nodeSecretKeyOf: (key: SigningSecretKey) => KeyObject | undefined;
let signatureBytesOf: (signature: Signature) => Uint8Array;

function lengthError(where: string, what: string, expected: number, got: number): CryptoError {
  return cryptoError('INVALID_LENGTH', where, `${what} is ${expected} bytes, got ${got}`);
}

/** An Ed25519 public key: a canonical encoding of a point not of small order. */
export class SigningPublicKey {
  readonly #bytes: Uint8Array;
  // node:crypto's handle on this key, made on first use (null: node:crypto refused it).
  #nodeKey: KeyObject | null | undefined;

  private constructor(bytes: Uint8Array, nodeKey?: KeyObject) {
    this.#bytes = bytes;
    this.#nodeKey = nodeKey;
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
    trustedPublicKey = (bytes, nodeKey) => new SigningPublicKey(Uint8Array.from(bytes), nodeKey);
    publicKeyBytesOf = (key) => key.#bytes;
    nodePublicKeyOf = (key) => {
      if (key.#nodeKey === undefined && nodeEd25519 !== undefined) {
        try {
          key.#nodeKey = nodeEd25519.importPublicKey(key.#bytes);
        } catch {
          key.#nodeKey = null;
        }
      }
      return key.#nodeKey ?? undefined;
    };
  }
}

/** An Ed25519 secret key (RFC 8032 seed). Its string form never shows the key. */
export class SigningSecretKey {
  readonly #seed: Uint8Array;
  #publicKey: SigningPublicKey | undefined;
  // node:crypto's handle on this key, made on first use (null: node:crypto refused it).
  #nodeKey: KeyObject | null | undefined;

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
    this.#publicKey ??= derivePublicKey(this);
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
    nodeSecretKeyOf = (key) => {
      if (key.#nodeKey === undefined && nodeEd25519 !== undefined) {
        try {
          key.#nodeKey = nodeEd25519.importSecretKey(key.#seed);
        } catch {
          // Whatever node:crypto said is dropped unread: it might echo the key.
          key.#nodeKey = null;
        }
      }
      return key.#nodeKey ?? undefined;
    };
  }
}

/** RFC 8032 §5.1.5 public key of `secretKey`, with its node:crypto handle when there is one. */
function derivePublicKey(secretKey: SigningSecretKey): SigningPublicKey {
  const nodeKey = nodeSecretKeyOf(secretKey);
  if (nodeEd25519 !== undefined && nodeKey !== undefined) {
    try {
      const derived = nodeEd25519.derivePublicKey(nodeKey);
      return trustedPublicKey(derived.bytes, derived.key);
    } catch {
      // noble below
    }
  }
  return trustedPublicKey(ed25519.getPublicKey(seedOf(secretKey)));
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

  static {
    signatureBytesOf = (signature) => signature.#bytes;
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
  const sig = Signature.decode(signBytes(secretKey, message));
  if (!sig.ok) throw new Error('ed25519 produced a malformed signature');
  return sig.value;
}

/** R ‖ S for `message`: node:crypto when it is there, noble otherwise (same bytes). */
function signBytes(secretKey: SigningSecretKey, message: Uint8Array): Uint8Array {
  const nodeKey = nodeSecretKeyOf(secretKey);
  if (nodeEd25519 !== undefined && nodeKey !== undefined) {
    try {
      return nodeEd25519.sign(nodeKey, message);
    } catch {
      // noble below; whatever node:crypto said is dropped unread (it might echo the key).
    }
  }
  return ed25519.sign(message, seedOf(secretKey));
}

/** Verifies a signature over raw bytes with the strict rules of the module header. */
export function verifyRaw(
  publicKey: SigningPublicKey,
  message: Uint8Array,
  signature: Signature,
): boolean {
  return (
    decideWithNode(publicKey, message, signature) ?? verifyWithNoble(publicKey, message, signature)
  );
}

// p = 2^255 − 19 and p − 1, little-endian: the bounds of the canonical-R test.
const FIELD_P_LE = hexToBytes('ed' + 'ff'.repeat(30) + '7f');
const FIELD_P_MINUS_1_LE = hexToBytes('ec' + 'ff'.repeat(30) + '7f');

/**
 * True if `r` is an encoding noble's strict decoding could accept: y (the low
 * 255 bits) < p, and not x = 0 with the sign bit set (x = 0 exactly when
 * y = 1 or y = p − 1). Whether y is on the curve is left to the libraries.
 */
function isCanonicalEncoding(r: Uint8Array): boolean {
  const last = r[31] ?? 0;
  const sign = last >> 7;
  const y = Uint8Array.from(r);
  y[31] = last & 0x7f;
  // y < p, compared from the most significant byte down.
  for (let i = 31; i >= 0; i--) {
    const a = y[i] ?? 0;
    const b = FIELD_P_LE[i] ?? 0;
    if (a < b) break;
    if (a > b || i === 0) return false;
  }
  if (sign === 1) {
    const isOne = y[0] === 1 && y.subarray(1).every((byte) => byte === 0);
    if (isOne || bytesEqual(y, FIELD_P_MINUS_1_LE)) return false;
  }
  return true;
}

/**
 * node:crypto's verdict where it provably equals noble's strict one (module
 * header): true when OpenSSL accepts, false for a non-canonical R, undefined
 * when only noble can decide (OpenSSL rejected, or there is no node:crypto).
 */
function decideWithNode(
  publicKey: SigningPublicKey,
  message: Uint8Array,
  signature: Signature,
): boolean | undefined {
  if (nodeEd25519 === undefined) return undefined;
  const sig = signatureBytesOf(signature);
  if (!isCanonicalEncoding(sig.subarray(0, 32))) return false;
  const nodeKey = nodePublicKeyOf(publicKey);
  if (nodeKey === undefined) return undefined;
  try {
    return nodeEd25519.verify(nodeKey, message, sig) ? true : undefined;
  } catch {
    return undefined;
  }
}

/** The reference: noble's strict verification. */
function verifyWithNoble(
  publicKey: SigningPublicKey,
  message: Uint8Array,
  signature: Signature,
): boolean {
  try {
    return ed25519.verify(signatureBytesOf(signature), message, publicKeyBytesOf(publicKey), {
      zip215: false,
    });
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

/**
 * For the differential tests only; the package index does not re-export it.
 * `implementation` says which library signs and verifies in this process;
 * `decideWithNode` is node:crypto's verdict before any fallback to noble
 * (undefined: noble decides).
 */
export const ed25519TestHooks: {
  readonly implementation: 'node:crypto' | 'noble';
  decideWithNode(
    publicKey: SigningPublicKey,
    message: Uint8Array,
    signature: Signature,
  ): boolean | undefined;
} = {
  implementation: nodeEd25519 === undefined ? 'noble' : 'node:crypto',
  decideWithNode,
};
