// Ed25519 signatures (spec §7): RFC 8032 §7.1 vectors on the raw layer, the
// Acta framing (tag and parts are both bound), tampering of every kind,
// strict key decoding (small-order and non-canonical keys rejected), and
// hex decoding with coded errors.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GroupElement,
  Scalar,
  Signature,
  SigningPublicKey,
  SigningSecretKey,
  TAG,
  createSeededRng,
  decodeHex,
  encodeHashInput,
  encodeHex,
  generateSigningKeyPair,
  signMessage,
  signRaw,
  signedMessageBytes,
  unwrap,
  verifyRaw,
  verifySignature,
  type HashPart,
} from '../src/index.js';
import { arbRng } from './helpers.js';

function errorOf(r: { ok: boolean; error?: { code: string; where: string } }): string {
  return r.ok ? 'ok' : `${r.error?.code ?? '?'} @ ${r.error?.where ?? '?'}`;
}

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

const CHECKIN = 'ACTA_V1_TEST_CHECKIN';
const ACTA = 'ACTA_V1_TEST_ACTA';
const PARTS: HashPart[] = [
  'mesa-0001',
  17,
  [GroupElement.GENERATOR, Scalar.ONE],
  new Uint8Array([1, 2, 3]),
];

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

describe('Ed25519: RFC 8032 §7.1 vectors (raw layer)', () => {
  it('has the committed vectors', () => {
    expect(RFC8032.source).toMatch(/RFC 8032/);
    expect(RFC8032.cases.length).toBeGreaterThanOrEqual(3);
  });

  for (const c of RFC8032.cases) {
    it(`reproduces ${c.name}`, () => {
      const sk = unwrap(SigningSecretKey.decodeHex(c.secretKey));
      expect(sk.publicKey().toHex()).toBe(c.publicKey);
      const message = unwrap(decodeHex(c.message, 'message'));
      const sig = signRaw(sk, message);
      expect(sig.toHex()).toBe(c.signature);
      const pk = unwrap(SigningPublicKey.decodeHex(c.publicKey));
      const expected = unwrap(Signature.decodeHex(c.signature));
      expect(verifyRaw(pk, message, expected)).toBe(true);
      expect(verifyRaw(pk, Uint8Array.of(...message, 0), expected)).toBe(false);
    });
  }
});

describe('Ed25519: Acta signatures', () => {
  it('signs and verifies; any change of tag, parts, key or signature bit fails', () => {
    fc.assert(
      fc.property(
        arbRng,
        fc.string(),
        fc.nat(),
        fc.integer({ min: 0, max: 511 }),
        (rng, text, n, bit) => {
          const { secretKey, publicKey } = generateSigningKeyPair(rng);
          const parts: HashPart[] = [text, n];
          const sig = signMessage(secretKey, CHECKIN, parts);
          expect(verifySignature(publicKey, CHECKIN, parts, sig).ok).toBe(true);
          // Deterministic (RFC 8032): the same input gives the same signature.
          expect(signMessage(secretKey, CHECKIN, parts).equals(sig)).toBe(true);

          expect(errorOf(verifySignature(publicKey, ACTA, parts, sig))).toBe(
            'SIGNATURE_INVALID @ signature',
          );
          expect(verifySignature(publicKey, CHECKIN, [text, n + 1], sig).ok).toBe(false);
          expect(verifySignature(publicKey, CHECKIN, [text + 'x', n], sig).ok).toBe(false);
          expect(verifySignature(publicKey, CHECKIN, [[text, n]], sig).ok).toBe(false);
          expect(verifySignature(publicKey, CHECKIN, [text, n, 0], sig).ok).toBe(false);
          const other = generateSigningKeyPair(rng).publicKey;
          expect(verifySignature(other, CHECKIN, parts, sig).ok).toBe(false);

          // A flipped bit either fails decoding (S ≥ ℓ) or fails verification.
          const flipped = Signature.decode(flipBit(sig.toBytes(), bit));
          if (flipped.ok) {
            expect(errorOf(verifySignature(publicKey, CHECKIN, parts, flipped.value, 'sig'))).toBe(
              'SIGNATURE_INVALID @ sig',
            );
          } else {
            expect(flipped.error.code).toBe('NON_CANONICAL_SCALAR');
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('signs exactly encodeHashInput(ACTA_V1_SIGNED_MESSAGE, [tag, parts])', () => {
    const { secretKey, publicKey } = generateSigningKeyPair(createSeededRng('framing'));
    const bytes = encodeHashInput(TAG.SIGNED_MESSAGE, [ACTA, PARTS]);
    expect(signedMessageBytes(ACTA, PARTS)).toEqual(bytes);
    const sig = signMessage(secretKey, ACTA, PARTS);
    expect(verifyRaw(publicKey, bytes, sig)).toBe(true);
    expect(signRaw(secretKey, bytes).equals(sig)).toBe(true);
    // A raw signature over the unframed parts is not an Acta signature.
    const raw = signRaw(secretKey, new TextEncoder().encode('mesa-0001'));
    expect(verifySignature(publicKey, ACTA, ['mesa-0001'], raw).ok).toBe(false);
    // Tags must be Acta tags: a caller bug, not data.
    expect(() => signMessage(secretKey, 'checkin', [])).toThrow(RangeError);
    expect(() => verifySignature(publicKey, '', [], raw)).toThrow(RangeError);
  });

  it('generates keys from the rng and never prints a secret key', () => {
    const a = generateSigningKeyPair(createSeededRng('same'));
    const b = generateSigningKeyPair(createSeededRng('same'));
    expect(a.publicKey.equals(b.publicKey)).toBe(true);
    expect(a.secretKey.toHex()).toBe(b.secretKey.toHex());
    expect(a.publicKey.equals(generateSigningKeyPair(createSeededRng('other')).publicKey)).toBe(
      false,
    );
    expect(a.secretKey.publicKey().equals(a.publicKey)).toBe(true);
    const hex = a.secretKey.toHex();
    expect(String(a.secretKey)).not.toContain(hex);
    expect(JSON.stringify(a)).not.toContain(hex);
    // A secret key round-trips through its own storage encoding.
    expect(unwrap(SigningSecretKey.decodeHex(hex)).publicKey().equals(a.publicKey)).toBe(true);
  });
});

describe('Ed25519: decoding', () => {
  const { publicKey } = generateSigningKeyPair(createSeededRng('decode'));
  const sig = signMessage(generateSigningKeyPair(createSeededRng('decode')).secretKey, ACTA, PARTS);

  it('rejects small-order, non-canonical and off-curve public keys', () => {
    const identity = '01' + '00'.repeat(31);
    const cases: [string, string][] = [
      ['00'.repeat(32), 'INVALID_ELEMENT @ pk'], // (√−1, 0): order 4
      [identity, 'INVALID_ELEMENT @ pk'], // the identity (0, 1)
      ['ec' + 'ff'.repeat(30) + '7f', 'INVALID_ELEMENT @ pk'], // y = p − 1: (0, −1), order 2
      // y = p + 1 ≡ 1: a non-canonical encoding of the identity.
      ['ee' + 'ff'.repeat(30) + '7f', 'INVALID_ELEMENT @ pk'],
      // A small-order point of order 8 (y = 0x…c7 from the Ed25519 torsion list).
      ['c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', 'INVALID_ELEMENT @ pk'],
      // Off the curve (y = 2 has no x on Ed25519).
      ['02' + '00'.repeat(31), 'INVALID_ELEMENT @ pk'],
      [publicKey.toHex().slice(2), 'INVALID_LENGTH @ pk'],
      [publicKey.toHex() + '00', 'INVALID_LENGTH @ pk'],
      ['zz'.repeat(32), 'INVALID_HEX @ pk'],
    ];
    for (const [hex, expected] of cases) {
      expect(errorOf(SigningPublicKey.decodeHex(hex, 'pk'))).toBe(expected);
    }
    expect(errorOf(SigningPublicKey.decodeHex(42, 'pk'))).toBe('INVALID_HEX @ pk');
    expect(unwrap(SigningPublicKey.decodeHex(publicKey.toHex())).equals(publicKey)).toBe(true);
    expect(errorOf(SigningPublicKey.decode(new Uint8Array(31), 'pk'))).toBe('INVALID_LENGTH @ pk');
  });

  it('checks signature and secret-key lengths and S < ℓ', () => {
    const hex = sig.toHex();
    expect(unwrap(Signature.decodeHex(hex)).equals(sig)).toBe(true);
    const highS = hex.slice(0, 64) + 'ff'.repeat(32);
    const cases: [unknown, string][] = [
      [hex.slice(0, 126), 'INVALID_LENGTH @ sig'],
      [hex + '00', 'INVALID_LENGTH @ sig'],
      ['', 'INVALID_LENGTH @ sig'],
      ['xy'.repeat(64), 'INVALID_HEX @ sig'],
      [null, 'INVALID_HEX @ sig'],
      [highS, 'NON_CANONICAL_SCALAR @ sig.s'],
    ];
    for (const [input, expected] of cases)
      expect(errorOf(Signature.decodeHex(input, 'sig'))).toBe(expected);
    // S + ℓ (a malleated signature) is rejected at decoding.
    const s = unwrap(decodeHex(hex.slice(64), 's'));
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let n = 0n;
    for (let i = 31; i >= 0; i--) n = (n << 8n) | BigInt(s[i]!);
    const malleated = n + L;
    const bytes = new Uint8Array(32);
    for (let i = 0, m = malleated; i < 32; i++, m >>= 8n) bytes[i] = Number(m & 0xffn);
    expect(errorOf(Signature.decodeHex(hex.slice(0, 64) + encodeHex(bytes), 'sig'))).toBe(
      'NON_CANONICAL_SCALAR @ sig.s',
    );
    expect(errorOf(SigningSecretKey.decodeHex('00'.repeat(31), 'sk'))).toBe('INVALID_LENGTH @ sk');
    expect(errorOf(SigningSecretKey.decode(new Uint8Array(33), 'sk'))).toBe('INVALID_LENGTH @ sk');
    expect(errorOf(SigningSecretKey.decodeHex('q'.repeat(64), 'sk'))).toBe('INVALID_HEX @ sk');
  });

  it('rejects a signature whose R is not a canonical point', () => {
    const bytes = sig.toBytes();
    // R = y ≥ p (non-canonical), keeping S.
    bytes.set(unwrap(decodeHex('ee' + 'ff'.repeat(30) + '7f', 'r')), 0);
    const bad = unwrap(Signature.decode(bytes));
    expect(verifySignature(publicKey, ACTA, PARTS, bad).ok).toBe(false);
  });
});
