// Ed25519 on node:crypto against the reference, @noble/curves in strict mode
// (zip215: false), which is what signatures.ts used before: RFC 8032 §7.1
// vectors, thousands of random keys and messages (fast-check), random
// tampering, and the 12 edge-case vectors of "Taming the many EdDSAs"
// (Chalkias, Garillot, Nikolaenko, SSR 2020; novifinancial/ed25519-speccheck).
// Acta's verdict on raw bytes (decode the key, decode the signature, verifyRaw)
// must equal noble's on every input, and signatures and public keys must be
// byte-identical. Hand-built edge cases are in signatures-edge-cases.test.ts.
import { createPublicKey, verify as opensslVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Signature,
  SigningPublicKey,
  SigningSecretKey,
  bytesEqual,
  decodeHex,
  signRaw,
  unwrap,
  verifyRaw,
} from '../src/index.js';
import { ed25519TestHooks } from '../src/signatures.js';

const { Point } = ed25519;
const L = Point.Fn.ORDER;

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

/** OpenSSL alone on raw bytes, without Acta's checks: shows what those checks are for. */
function opensslVerdict(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const x = Buffer.from(publicKey).toString('base64url');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  return opensslVerify(null, message, key, signature);
}

/**
 * Asserts that Acta decides as noble strict, and that node:crypto's own verdict
 * (before any fallback) agrees with noble wherever it gives one. Returns it.
 */
function expectSameVerdict(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  label = '',
): boolean {
  const expected = nobleVerdict(publicKey, message, signature);
  expect(actaVerdict(publicKey, message, signature), label).toBe(expected);
  const key = SigningPublicKey.decode(publicKey);
  const sig = Signature.decode(signature);
  if (key.ok && sig.ok) {
    const fast = ed25519TestHooks.decideWithNode(key.value, message, sig.value);
    if (fast !== undefined) expect(fast, label).toBe(expected);
  }
  return expected;
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

const hasOpenSsl = typeof process.versions.openssl === 'string';

describe('Ed25519 implementation', () => {
  it('signs and verifies with node:crypto on Node, whatever ACTA_CRYPTO_BACKEND says', () => {
    // The group backend switch (ACTA_CRYPTO_BACKEND) is about ristretto255 only.
    expect(ed25519TestHooks.implementation).toBe(hasOpenSsl ? 'node:crypto' : 'noble');
  });
});

interface Rfc8032Case {
  readonly name: string;
  readonly secretKey: string;
  readonly publicKey: string;
  readonly message: string;
  readonly signature: string;
}

const RFC8032 = JSON.parse(
  readFileSync(new URL('./vectors/rfc8032-ed25519.json', import.meta.url), 'utf8'),
) as { source: string; cases: Rfc8032Case[] };

describe('Ed25519 differential: RFC 8032 §7.1 vectors', () => {
  for (const c of RFC8032.cases) {
    it(`${c.name}: node:crypto and noble both reproduce the RFC`, () => {
      const seed = unwrap(decodeHex(c.secretKey, 'seed'));
      const message = unwrap(decodeHex(c.message, 'message'));
      const sk = unwrap(SigningSecretKey.decode(seed));
      expect(sk.publicKey().toHex()).toBe(c.publicKey);
      expect(Buffer.from(ed25519.getPublicKey(seed)).toString('hex')).toBe(c.publicKey);
      const sig = signRaw(sk, message);
      expect(sig.toHex()).toBe(c.signature);
      expect(Buffer.from(ed25519.sign(message, seed)).toString('hex')).toBe(c.signature);

      const pkBytes = unwrap(decodeHex(c.publicKey, 'pk'));
      const pk = unwrap(SigningPublicKey.decode(pkBytes));
      // Decided by node:crypto alone, for the derived key and for the decoded one.
      expect(ed25519TestHooks.decideWithNode(pk, message, sig)).toBe(hasOpenSsl ? true : undefined);
      expect(ed25519TestHooks.decideWithNode(sk.publicKey(), message, sig)).toBe(
        hasOpenSsl ? true : undefined,
      );
      expect(expectSameVerdict(pkBytes, message, sig.toBytes())).toBe(true);
      expect(expectSameVerdict(pkBytes, Uint8Array.of(...message, 0), sig.toBytes())).toBe(false);
    });
  }
});

describe('Ed25519 differential: random keys and messages', () => {
  const arbSeed = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const arbMessage = fc.uint8Array({ minLength: 0, maxLength: 300 });

  it('gives noble’s public keys and signatures, byte for byte, and accepts them on its own', () => {
    fc.assert(
      fc.property(arbSeed, arbMessage, (seed, message) => {
        const sk = unwrap(SigningSecretKey.decode(seed));
        const pkBytes = ed25519.getPublicKey(seed);
        expect(sk.publicKey().toBytes()).toEqual(pkBytes);
        const sig = signRaw(sk, message);
        expect(sig.toBytes()).toEqual(ed25519.sign(message, seed));
        // Valid signatures never need the noble fallback.
        const decoded = unwrap(SigningPublicKey.decode(pkBytes));
        expect(ed25519TestHooks.decideWithNode(decoded, message, sig)).toBe(
          hasOpenSsl ? true : undefined,
        );
        expect(verifyRaw(sk.publicKey(), message, sig)).toBe(true);
        expect(nobleVerdict(pkBytes, message, sig.toBytes())).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('decides as noble on tampered and random inputs', () => {
    // 0: flip a signature bit; 1: flip a message bit; 2: another key; 3: random R;
    // 4: random 64 bytes; 5: random S below L; 6: S + L (malleated).
    const arbTamper = fc.record({
      seed: arbSeed,
      other: arbSeed,
      message: fc.uint8Array({ minLength: 1, maxLength: 200 }),
      kind: fc.integer({ min: 0, max: 6 }),
      bit: fc.nat(),
      noise: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    });
    let accepted = 0;
    fc.assert(
      fc.property(arbTamper, ({ seed, other, message, kind, bit, noise }) => {
        const sk = unwrap(SigningSecretKey.decode(seed));
        const sig = signRaw(sk, message).toBytes();
        let pk: Uint8Array = sk.publicKey().toBytes();
        let msg: Uint8Array = message;
        let bytes: Uint8Array = sig;
        switch (kind) {
          case 0:
            bytes = flipBit(sig, bit % 512);
            break;
          case 1:
            msg = flipBit(message, bit % (message.length * 8));
            break;
          case 2:
            pk = ed25519.getPublicKey(bytesEqual(other, seed) ? flipBit(other, 0) : other);
            break;
          case 3:
            bytes = Uint8Array.from([...noise.subarray(0, 32), ...sig.subarray(32)]);
            break;
          case 4:
            bytes = noise;
            break;
          case 5: {
            const s = bytesToNumberLE(noise.subarray(32)) % L;
            bytes = Uint8Array.from([...sig.subarray(0, 32), ...numberToBytesLE(s, 32)]);
            break;
          }
          case 6: {
            const s = bytesToNumberLE(sig.subarray(32)) + L;
            bytes = Uint8Array.from([...sig.subarray(0, 32), ...numberToBytesLE(s, 32)]);
            break;
          }
          default:
            throw new Error(`unexpected kind ${kind}`);
        }
        if (expectSameVerdict(pk, msg, bytes, `kind ${kind}`)) accepted++;
      }),
      { numRuns: 1500 },
    );
    // Every kind of tampering changes what was signed or who signed it.
    expect(accepted).toBe(0);
  });
});

interface SpeccheckCase {
  readonly index: number;
  readonly description: string;
  readonly message: string;
  readonly publicKey: string;
  readonly signature: string;
  readonly classes: { readonly s: string; readonly a: string; readonly r: string };
  readonly strict: boolean;
  readonly openssl30: boolean;
  readonly zip215: boolean;
}

const SPECCHECK = JSON.parse(
  readFileSync(new URL('./vectors/ed25519-speccheck.json', import.meta.url), 'utf8'),
) as { source: string; url: string; cases: SpeccheckCase[] };

/** The class of a point encoding, as the vectors file names them (computed with noble). */
function classifyPoint(bytes: Uint8Array): string {
  try {
    const point = Point.fromBytes(bytes, false);
    if (point.isSmallOrder()) return 'small';
    return point.isTorsionFree() ? 'prime' : 'mixed';
  } catch {
    return 'non-canonical';
  }
}

function classifyScalar(bytes: Uint8Array): string {
  const s = bytesToNumberLE(bytes);
  if (s === 0n) return 'zero';
  return s < L ? 'reduced' : 'unreduced';
}

describe('Ed25519 differential: ed25519-speccheck vectors (Taming the many EdDSAs)', () => {
  it('has the 12 committed vectors with their source', () => {
    expect(SPECCHECK.source).toMatch(/Taming the many EdDSAs/);
    expect(SPECCHECK.url).toMatch(/novifinancial\/ed25519-speccheck/);
    expect(SPECCHECK.cases.map((c) => c.index)).toEqual([...Array(12).keys()]);
  });

  for (const c of SPECCHECK.cases) {
    it(`case ${c.index}: ${c.description}`, () => {
      const message = unwrap(decodeHex(c.message, 'message'));
      const pk = unwrap(decodeHex(c.publicKey, 'publicKey'));
      const sig = unwrap(decodeHex(c.signature, 'signature'));
      // The vector is what its description says.
      expect({
        s: classifyScalar(sig.subarray(32)),
        a: classifyPoint(pk),
        r: classifyPoint(sig.subarray(0, 32)),
      }).toEqual(c.classes);
      // The published verdicts of the two other rule sets, as a check on the oracles.
      expect(nobleVerdict(pk, message, sig, true)).toBe(c.zip215);
      if (process.versions.openssl?.startsWith('3.')) {
        expect(opensslVerdict(pk, message, sig)).toBe(c.openssl30);
      }
      // Acta = noble strict = the rules of docs/spec.md §7.3.
      expect(nobleVerdict(pk, message, sig)).toBe(c.strict);
      expect(expectSameVerdict(pk, message, sig)).toBe(c.strict);

      const key = SigningPublicKey.decode(pk);
      const parsed = Signature.decode(sig);
      if (c.classes.a === 'small' || c.classes.a === 'non-canonical') {
        // OpenSSL accepts some of these (cases 0, 1, 11); Acta stops them at decoding.
        expect(key.ok).toBe(false);
      }
      if (c.classes.s === 'unreduced') {
        expect(parsed.ok).toBe(false);
        // S' = S mod L is the valid signature these were malleated from.
        const reduced = Uint8Array.from(sig);
        reduced.set(numberToBytesLE(bytesToNumberLE(sig.subarray(32)) % L, 32), 32);
        expect(expectSameVerdict(pk, message, reduced)).toBe(true);
      }
      if (key.ok && parsed.ok && c.strict && !c.openssl30 && hasOpenSsl) {
        // Cases 4 and 5: OpenSSL's cofactorless "no" goes to noble, which says yes.
        expect(ed25519TestHooks.decideWithNode(key.value, message, parsed.value)).toBeUndefined();
        expect(verifyRaw(key.value, message, parsed.value)).toBe(true);
      }
    });
  }
});
