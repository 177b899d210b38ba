// Exponential ElGamal (spec §4): decryption inverts encryption, ciphertexts
// add homomorphically, encodings validate.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GroupElement,
  Scalar,
  addCiphertexts,
  ciphertextsEqual,
  computeDecryptionShare,
  createSeededRng,
  decodeCiphertext,
  encodeCiphertext,
  encrypt,
  encryptRandom,
  generateElGamalKeyPair,
  removeDecryptionShare,
  solveDiscreteLog,
  sumCiphertexts,
  unwrap,
  ZERO_CIPHERTEXT,
  type Ciphertext,
} from '../src/index.js';
import { arbRng, arbScalar } from './helpers.js';

const keys = generateElGamalKeyPair(createSeededRng('elgamal-keys'));
const K = keys.publicKey.precompute();

function decrypt(c: Ciphertext): number {
  return unwrap(
    solveDiscreteLog(removeDecryptionShare(c, computeDecryptionShare(keys.secretKey, c)), 10_000),
  );
}

describe('exponential ElGamal', () => {
  it('decryption inverts encryption', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), arbScalar, (m, r) => {
        expect(decrypt(encrypt(K, Scalar.fromInt(m), r))).toBe(m);
      }),
      { numRuns: 40 },
    );
  });

  it('is additively homomorphic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 20 }),
        arbRng,
        (votes, rng) => {
          const cts = votes.map((v) => encryptRandom(K, Scalar.fromInt(v), rng).ciphertext);
          expect(decrypt(sumCiphertexts(cts))).toBe(votes.reduce((a, b) => a + b, 0));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('Enc(a; r) + Enc(b; s) = Enc(a+b; r+s)', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), arbScalar, arbScalar, (a, b, r, s) => {
        const sum = addCiphertexts(
          encrypt(K, Scalar.fromInt(a), r),
          encrypt(K, Scalar.fromInt(b), s),
        );
        expect(ciphertextsEqual(sum, encrypt(K, Scalar.fromInt(a + b), r.add(s)))).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('the zero ciphertext is neutral and decrypts to 0', () => {
    const c = encryptRandom(K, Scalar.fromInt(5), createSeededRng('z')).ciphertext;
    expect(ciphertextsEqual(addCiphertexts(c, ZERO_CIPHERTEXT), c)).toBe(true);
    expect(decrypt(ZERO_CIPHERTEXT)).toBe(0);
    expect(ciphertextsEqual(sumCiphertexts([]), ZERO_CIPHERTEXT)).toBe(true);
  });

  it('encryption is randomized and hides the plaintext', () => {
    const rng = createSeededRng('r');
    const a = encryptRandom(K, Scalar.ONE, rng).ciphertext;
    const b = encryptRandom(K, Scalar.ONE, rng).ciphertext;
    expect(ciphertextsEqual(a, b)).toBe(false);
  });

  it('round-trips through JSON and rejects hostile JSON with codes', () => {
    const c = encryptRandom(K, Scalar.fromInt(3), createSeededRng('j')).ciphertext;
    const json = encodeCiphertext(c);
    expect(ciphertextsEqual(unwrap(decodeCiphertext(JSON.parse(JSON.stringify(json)))), c)).toBe(
      true,
    );
    const bad: [unknown, string][] = [
      [{ alpha: json.alpha }, 'MALFORMED'],
      [{ ...json, gamma: json.beta }, 'MALFORMED'],
      [{ ...json, beta: 'ff'.repeat(32) }, 'INVALID_ELEMENT'],
      [{ ...json, alpha: json.alpha + '00' }, 'INVALID_LENGTH'],
      ['x', 'MALFORMED'],
    ];
    for (const [input, code] of bad) {
      const r = decodeCiphertext(input, 'ballot.c');
      expect(r.ok ? 'ok' : r.error.code).toBe(code);
      if (!r.ok) expect(r.error.where.startsWith('ballot.c')).toBe(true);
    }
  });

  it('encrypting 0 and 1 runs the same multiplications (no zero shortcut)', () => {
    // A functional check of the constant-time path: 0·G through multiply() is the identity.
    expect(GroupElement.multiplyGenerator(Scalar.ZERO).isIdentity()).toBe(true);
    expect(
      GroupElement.multiplyGenerator(Scalar.ONE.negate()).equals(GroupElement.GENERATOR.negate()),
    ).toBe(true);
  });
});
