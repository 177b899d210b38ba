// Ed25519 edge cases, built by hand with @noble/curves' point arithmetic,
// where OpenSSL's rules (cofactorless equation, lenient decoding of A) and
// Acta's (noble strict: canonical A and R, A not of small order, S < L,
// cofactored equation; docs/spec.md §7.3) could part: every small-order and
// mixed-order point as A and as R, every non-canonical encoding (y ≥ p, x = 0
// with the sign bit set), the identity, S = L, L + 1, 2^253, all-zero and
// all-ones bytes, wrong keys and flipped bits. Acta's verdict must equal
// noble's every time; where OpenSSL alone would decide differently the test
// says so, to show which check or fallback makes the difference.
import { createPublicKey, verify as opensslVerify } from 'node:crypto';
import { inspect } from 'node:util';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  Signature,
  SigningPublicKey,
  SigningSecretKey,
  createSeededRng,
  signRaw,
  unwrap,
  utf8,
  verifyRaw,
} from '../src/index.js';
import { ed25519TestHooks } from '../src/signatures.js';

const { Point } = ed25519;
type EdPoint = InstanceType<typeof Point>;
const Fn = Point.Fn;
const L = Fn.ORDER;
const P = Point.Fp.ORDER;
const B = Point.BASE;

const hasOpenSsl = typeof process.versions.openssl === 'string';

/** Acta's verdict on raw bytes: what a verifier of untrusted records computes. */
function actaVerdict(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const key = SigningPublicKey.decode(publicKey);
  const sig = Signature.decode(signature);
  return key.ok && sig.ok && verifyRaw(key.value, message, sig.value);
}

/** The reference verdict: noble strict (or ZIP-215) on raw bytes. */
function nobleVerdict(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  zip215 = false,
): boolean {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215 });
  } catch {
    return false;
  }
}

/** OpenSSL alone on raw bytes, without Acta's checks. */
function opensslVerdict(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const x = Buffer.from(publicKey).toString('base64url');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  return opensslVerify(null, message, key, signature);
}

/** node:crypto's own verdict before any fallback (undefined: noble decided or undecodable). */
function nodeVerdict(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean | undefined {
  const key = SigningPublicKey.decode(publicKey);
  const sig = Signature.decode(signature);
  if (!key.ok || !sig.ok) return undefined;
  return ed25519TestHooks.decideWithNode(key.value, message, sig.value);
}

/** Asserts Acta = noble strict (and node:crypto's own verdict, when it gives one). */
function expectSameVerdict(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  label: string,
): boolean {
  const expected = nobleVerdict(publicKey, message, signature);
  expect(actaVerdict(publicKey, message, signature), label).toBe(expected);
  const fast = nodeVerdict(publicKey, message, signature);
  if (fast !== undefined) expect(fast, label).toBe(expected);
  return expected;
}

/** k = SHA-512(R ‖ A ‖ M) mod L over the bytes as given (RFC 8032 §5.1.7). */
function challenge(r: Uint8Array, a: Uint8Array, message: Uint8Array): bigint {
  return Fn.create(bytesToNumberLE(sha512(concatBytes(r, a, message))));
}

/** R ‖ S with S any integer below 2^256 (not reduced: the tests pick it). */
function signatureOf(r: Uint8Array, s: bigint): Uint8Array {
  return concatBytes(r, numberToBytesLE(s, 32));
}

function le(n: bigint): Uint8Array {
  return numberToBytesLE(n, 32);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

function withSignBit(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[31]! |= 0x80;
  return out;
}

// The 8 points of order dividing 8: multiples of a point of order 8 (its
// encoding is curve25519-dalek's EIGHT_TORSION[1]). Canonical encodings.
const T8 = Point.fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a');
const TORSION: EdPoint[] = [...Array(8).keys()].map((i) => T8.multiplyUnsafe(BigInt(i)));

// Every 32-byte string strict decoding rejects although a lenient decoder
// (ZIP-215, OpenSSL) reads a point from it: y ≥ p (y = p … p + 18, either
// sign bit; includes the all-ones string), and x = 0 with the sign bit set
// (y = 1: the identity; y = p − 1: the point of order 2).
const NON_CANONICAL: Uint8Array[] = [
  ...[...Array(19).keys()].flatMap((k) => [le(P + BigInt(k)), withSignBit(le(P + BigInt(k)))]),
  withSignBit(le(1n)),
  withSignBit(le(P - 1n)),
].filter((bytes) => {
  try {
    Point.fromBytes(bytes, true);
    return true;
  } catch {
    return false;
  }
});

/** The point a lenient decoder (OpenSSL, ZIP-215) reads from `bytes`. */
function lenientPoint(bytes: Uint8Array): EdPoint {
  return Point.fromBytes(bytes, true);
}

// An honest key: A = [a]B of prime order.
const SEED = createSeededRng('ed25519-edge-cases').randomBytes(32);
const SECRET = unwrap(SigningSecretKey.decode(SEED));
const A = SECRET.publicKey().toBytes();
const a = ed25519.utils.getExtendedPublicKey(SEED).scalar;
const MESSAGE = utf8('acta edge case');

describe('Ed25519 edge cases: the torsion points', () => {
  it('lists the 8 points of small order, each canonical and distinct', () => {
    const encodings = TORSION.map((t) => hex(t.toBytes()));
    expect(new Set(encodings).size).toBe(8);
    expect(encodings[0]).toBe('01' + '00'.repeat(31)); // the identity
    expect(encodings).toContain('00'.repeat(32)); // all-zero: (√−1, 0), order 4
    expect(encodings).toContain('ec' + 'ff'.repeat(30) + '7f'); // (0, −1), order 2
    for (const t of TORSION) {
      expect(t.isSmallOrder()).toBe(true);
      expect(Point.fromBytes(t.toBytes(), false).equals(t)).toBe(true);
    }
    expect(T8.multiplyUnsafe(8n).is0()).toBe(true);
    expect(T8.multiplyUnsafe(4n).is0()).toBe(false);
  });

  it('lists the non-canonical encodings of points', () => {
    // y = p + k is on the curve for k ∈ {0, 1, 3, 4, 5, 6, 9, 10, 14, 15, 16, 18} (two sign
    // bits each), plus the two x = 0 encodings with the sign bit set.
    expect(NON_CANONICAL.length).toBe(26);
    expect(NON_CANONICAL.map(hex)).toContain('ff'.repeat(32)); // all-ones: y = p + 18
    for (const bytes of NON_CANONICAL) {
      expect(() => Point.fromBytes(bytes, false)).toThrow();
    }
  });
});

describe('Ed25519 edge cases: the public key A', () => {
  /**
   * A signature OpenSSL accepts for a small-order key T, for any message we
   * like: R = [s]B − [j]T where j ≡ k (mod the order of T), found by trying
   * messages (it takes a few).
   */
  function forgeForSmallOrderKey(key: Uint8Array): { message: Uint8Array; signature: Uint8Array } {
    const t = lenientPoint(key);
    const s = 0x1234567890abcdefn;
    for (let i = 0; i < 1000; i++) {
      const message = utf8(`forged ${i}`);
      for (let j = 0n; j < 8n; j++) {
        const r = B.multiply(s).subtract(t.multiplyUnsafe(j)).toBytes();
        const k = challenge(r, key, message);
        if (t.multiplyUnsafe(k).equals(t.multiplyUnsafe(j))) {
          return { message, signature: signatureOf(r, s) };
        }
      }
    }
    throw new Error('no forgery found');
  }

  it('rejects every small-order key, canonical or not, though OpenSSL accepts forgeries for it', () => {
    const smallOrderKeys = [
      ...TORSION.map((t) => t.toBytes()),
      ...NON_CANONICAL.filter((bytes) => lenientPoint(bytes).isSmallOrder()),
    ];
    expect(smallOrderKeys.length).toBe(8 + 6);
    for (const key of smallOrderKeys) {
      const label = hex(key);
      const { message, signature } = forgeForSmallOrderKey(key);
      if (hasOpenSsl) expect(opensslVerdict(key, message, signature), label).toBe(true);
      expect(errorCode(SigningPublicKey.decode(key)), label).toBe('INVALID_ELEMENT');
      expect(expectSameVerdict(key, message, signature, label), label).toBe(false);
    }
  });

  it('rejects every non-canonical key of a mixed-order point, and off-curve keys', () => {
    const keys = [
      ...NON_CANONICAL.filter((bytes) => !lenientPoint(bytes).isSmallOrder()),
      le(2n), // y = 2: not on the curve
      le(7n),
      withSignBit(le(2n)),
    ];
    for (const key of keys) {
      const label = hex(key);
      expect(errorCode(SigningPublicKey.decode(key)), label).toBe('INVALID_ELEMENT');
      const signature = signRaw(SECRET, MESSAGE).toBytes();
      expect(expectSameVerdict(key, MESSAGE, signature, label), label).toBe(false);
    }
  });

  it('accepts mixed-order keys exactly as noble does, whether or not OpenSSL agrees', () => {
    // A = [a]B + T: a signature made with a verifies under the cofactored
    // equation always, under OpenSSL's cofactorless one only if [k]T = 0.
    for (const t of TORSION.slice(1)) {
      const key = B.multiply(a).add(t).toBytes();
      const label = hex(key);
      expect(SigningPublicKey.decode(key).ok, label).toBe(true);
      const seen = new Set<boolean>();
      for (let i = 0; i < 200 && seen.size < 2; i++) {
        const message = utf8(`mixed key ${i}`);
        const r = Fn.create(bytesToNumberLE(sha512(utf8(`nonce ${i}`))));
        const rBytes = B.multiply(r).toBytes();
        const k = challenge(rBytes, key, message);
        const signature = signatureOf(rBytes, Fn.create(r + k * a));
        const openssl = t.multiplyUnsafe(k).is0();
        if (hasOpenSsl) expect(opensslVerdict(key, message, signature), label).toBe(openssl);
        expect(expectSameVerdict(key, message, signature, label), label).toBe(true);
        expect(nodeVerdict(key, message, signature), label).toBe(
          hasOpenSsl && openssl ? true : undefined,
        );
        expect(expectSameVerdict(key, utf8(`other ${i}`), signature, label), label).toBe(false);
        seen.add(openssl);
      }
      // Both paths were taken: OpenSSL's own yes, and its no overruled by noble.
      expect(seen.size, label).toBe(2);
    }
  });
});

describe('Ed25519 edge cases: the commitment R', () => {
  it('accepts every small-order R with S = k·a (cofactored), OpenSSL only the identity', () => {
    for (const [index, t] of TORSION.entries()) {
      const rBytes = t.toBytes();
      const k = challenge(rBytes, A, MESSAGE);
      const signature = signatureOf(rBytes, Fn.create(k * a));
      const label = hex(rBytes);
      if (hasOpenSsl) expect(opensslVerdict(A, MESSAGE, signature), label).toBe(index === 0);
      expect(expectSameVerdict(A, MESSAGE, signature, label), label).toBe(true);
      const bumped = signatureOf(rBytes, Fn.create(k * a + 1n));
      expect(expectSameVerdict(A, MESSAGE, bumped, label), label).toBe(false);
    }
  });

  it('accepts every mixed-order R = [r]B + T with S = r + k·a, which OpenSSL rejects', () => {
    for (const t of TORSION.slice(1)) {
      const r = 0xfeedfacecafebeefn;
      const rBytes = B.multiply(r).add(t).toBytes();
      const k = challenge(rBytes, A, MESSAGE);
      const signature = signatureOf(rBytes, Fn.create(r + k * a));
      const label = hex(rBytes);
      if (hasOpenSsl) expect(opensslVerdict(A, MESSAGE, signature), label).toBe(false);
      expect(nodeVerdict(A, MESSAGE, signature), label).toBeUndefined();
      expect(expectSameVerdict(A, MESSAGE, signature, label), label).toBe(true);
    }
  });

  it('rejects every non-canonical R up front, even where a lenient verifier accepts', () => {
    for (const rBytes of NON_CANONICAL) {
      const label = hex(rBytes);
      const point = lenientPoint(rBytes);
      // For a small-order R, S = k·a (k over R's bytes as given) satisfies the
      // cofactored equation: ZIP-215 accepts it, the strict rules do not.
      const k = challenge(rBytes, A, MESSAGE);
      const s = point.isSmallOrder() ? Fn.create(k * a) : 1n;
      const signature = signatureOf(rBytes, s);
      if (point.isSmallOrder()) expect(nobleVerdict(A, MESSAGE, signature, true), label).toBe(true);
      if (hasOpenSsl) expect(opensslVerdict(A, MESSAGE, signature), label).toBe(false);
      expect(nodeVerdict(A, MESSAGE, signature), label).toBe(hasOpenSsl ? false : undefined);
      expect(expectSameVerdict(A, MESSAGE, signature, label), label).toBe(false);
    }
  });

  it('rejects an R that is not on the curve', () => {
    for (const rBytes of [le(2n), withSignBit(le(7n)), le(P - 2n)]) {
      const signature = signatureOf(rBytes, 1n);
      expect(expectSameVerdict(A, MESSAGE, signature, hex(rBytes))).toBe(false);
    }
  });
});

describe('Ed25519 edge cases: S, whole strings, keys and bits', () => {
  const valid = signRaw(SECRET, MESSAGE).toBytes();
  const r = valid.subarray(0, 32);
  const s = bytesToNumberLE(valid.subarray(32));

  it('rejects S = L, L + 1, 2^253, 2^256 − 1 and S + L at decoding, and S = 0 or L − 1', () => {
    const cases: [string, bigint, string][] = [
      ['S = L', L, 'NON_CANONICAL_SCALAR'],
      ['S = L + 1', L + 1n, 'NON_CANONICAL_SCALAR'],
      ['S = 2^253', 2n ** 253n, 'NON_CANONICAL_SCALAR'],
      ['S = 2^256 − 1', 2n ** 256n - 1n, 'NON_CANONICAL_SCALAR'],
      ['S + L (malleated)', s + L, 'NON_CANONICAL_SCALAR'],
      ['S = 0', 0n, 'ok'],
      ['S = L − 1', L - 1n, 'ok'],
    ];
    for (const [label, value, code] of cases) {
      const signature = signatureOf(r, value);
      expect(errorCode(Signature.decode(signature)), label).toBe(code);
      if (hasOpenSsl) expect(opensslVerdict(A, MESSAGE, signature), label).toBe(false);
      expect(expectSameVerdict(A, MESSAGE, signature, label), label).toBe(false);
    }
    expect(expectSameVerdict(A, MESSAGE, valid, 'the valid signature')).toBe(true);
  });

  it('rejects S = 0 with R = identity, and all-zero and all-ones strings in every position', () => {
    const zeros = new Uint8Array(64);
    const ones = new Uint8Array(64).fill(0xff);
    const identityR = signatureOf(TORSION[0]!.toBytes(), 0n);
    const keys = [A, zeros.subarray(0, 32), ones.subarray(0, 32)];
    for (const key of keys) {
      for (const signature of [zeros, ones, identityR]) {
        for (const message of [new Uint8Array(0), zeros, ones, MESSAGE]) {
          const label = `${hex(key)} ${hex(signature)} ${hex(message)}`;
          expect(expectSameVerdict(key, message, signature, label), label).toBe(false);
        }
      }
    }
  });

  it('rejects a signature checked against the wrong key', () => {
    const rng = createSeededRng('ed25519-wrong-key');
    for (let i = 0; i < 20; i++) {
      const other = unwrap(SigningSecretKey.decode(rng.randomBytes(32)))
        .publicKey()
        .toBytes();
      expect(expectSameVerdict(other, MESSAGE, valid, hex(other))).toBe(false);
    }
  });

  it('rejects every single-bit change of the signature and of the message', () => {
    for (let bit = 0; bit < 512; bit++) {
      const label = `signature bit ${bit}`;
      expect(expectSameVerdict(A, MESSAGE, flipBit(valid, bit), label), label).toBe(false);
    }
    for (let bit = 0; bit < MESSAGE.length * 8; bit++) {
      const label = `message bit ${bit}`;
      expect(expectSameVerdict(A, flipBit(MESSAGE, bit), valid, label), label).toBe(false);
    }
    for (let bit = 0; bit < 256; bit++) {
      const label = `key bit ${bit}`;
      expect(expectSameVerdict(flipBit(A, bit), MESSAGE, valid, label), label).toBe(false);
    }
  });
});

describe('Ed25519 edge cases: secrets stay out of sight', () => {
  it('shows no trace of the seed in a key that has signed, logged or serialised', () => {
    const sk = unwrap(SigningSecretKey.decode(SEED));
    signRaw(sk, MESSAGE);
    sk.publicKey();
    const shown = [
      String(sk),
      JSON.stringify({ sk }),
      inspect(sk, { showHidden: true, depth: 10 }),
      inspect({ sk }, { showHidden: true, depth: 10 }),
    ].join('\n');
    for (const form of [
      hex(SEED),
      Buffer.from(SEED).toString('base64'),
      Buffer.from(SEED).toString('base64url'),
    ]) {
      expect(shown).not.toContain(form);
    }
  });
});

function errorCode(r: { ok: boolean; error?: { code: string } }): string {
  return r.ok ? 'ok' : (r.error?.code ?? '?');
}
