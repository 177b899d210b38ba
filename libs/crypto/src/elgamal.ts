/**
 * Exponential ElGamal over ristretto255 (docs/spec.md §4): a vote m is
 * encrypted as (α, β) = (r·G, m·G + r·K) under the joint election key K, so
 * ciphertexts add homomorphically and a tally is recovered as a small discrete
 * log. ElectionGuard 2.x §3.3 uses the same scheme in a multiplicative group.
 */
import { z } from 'zod';
import { parseShape } from './json.js';
import type { CryptoError } from './errors.js';
import { GroupElement, Scalar } from './group.js';
import { ok, type Result } from './result.js';
import { defaultRng, type Rng } from './rng.js';

/** An exponential ElGamal ciphertext (α, β). */
export interface Ciphertext {
  readonly alpha: GroupElement;
  readonly beta: GroupElement;
}

/** A secret key and its public key K = s·G. */
export interface ElGamalKeyPair {
  readonly secretKey: Scalar;
  readonly publicKey: GroupElement;
}

/** The JSON form of a ciphertext: two 64-hex-digit element encodings. */
export interface CiphertextJson {
  readonly alpha: string;
  readonly beta: string;
}

/** Generates a fresh key pair (single-key use: tests and the demo's devices). */
export function generateElGamalKeyPair(rng: Rng = defaultRng): ElGamalKeyPair {
  const secretKey = Scalar.random(rng);
  return { secretKey, publicKey: GroupElement.multiplyGenerator(secretKey) };
}

/**
 * Encrypts `message` with the given nonce: (r·G, m·G + r·K). The caller owns
 * the nonce (it is needed for proofs and for the Benaloh challenge); it must be
 * uniformly random and never reused. Constant-time in m and r.
 */
export function encrypt(publicKey: GroupElement, message: Scalar, nonce: Scalar): Ciphertext {
  return {
    alpha: GroupElement.multiplyGenerator(nonce),
    beta: multiplyMessage(message).add(publicKey.multiply(nonce)),
  };
}

/** Plaintexts below 2^24 (every count Acta decrypts: §4.3) take the short path. */
const MESSAGE_BITS = 24;

/**
 * m·G. A plaintext is a count far below 2^24 (and a range proof makes that
 * public), so only the low windows of the fixed-base comb are computed, in
 * constant time in m; a larger m (never an Acta plaintext) takes the full path.
 * Which path runs reveals only whether m < 2^24.
 */
function multiplyMessage(message: Scalar): GroupElement {
  return message.toBigInt() >> BigInt(MESSAGE_BITS) === 0n
    ? GroupElement.GENERATOR.multiplyBelow(message, MESSAGE_BITS)
    : GroupElement.multiplyGenerator(message);
}

/** Encrypts with a fresh random nonce and returns both. */
export function encryptRandom(
  publicKey: GroupElement,
  message: Scalar,
  rng: Rng = defaultRng,
): { ciphertext: Ciphertext; nonce: Scalar } {
  const nonce = Scalar.random(rng);
  return { ciphertext: encrypt(publicKey, message, nonce), nonce };
}

/** The encryption of 0 with nonce 0: the neutral element of ciphertext addition. */
export const ZERO_CIPHERTEXT: Ciphertext = {
  alpha: GroupElement.IDENTITY,
  beta: GroupElement.IDENTITY,
};

/** Homomorphic addition: Enc(a; r) + Enc(b; s) = Enc(a + b; r + s). */
export function addCiphertexts(a: Ciphertext, b: Ciphertext): Ciphertext {
  return { alpha: a.alpha.add(b.alpha), beta: a.beta.add(b.beta) };
}

/** Homomorphic sum of many ciphertexts (ZERO_CIPHERTEXT for none). */
export function sumCiphertexts(ciphertexts: readonly Ciphertext[]): Ciphertext {
  let acc = ZERO_CIPHERTEXT;
  for (const c of ciphertexts) acc = addCiphertexts(acc, c);
  return acc;
}

/** Whether two ciphertexts are equal component-wise. */
export function ciphertextsEqual(a: Ciphertext, b: Ciphertext): boolean {
  return a.alpha.equals(b.alpha) && a.beta.equals(b.beta);
}

/** A (partial) decryption share M = s·α for a secret key or key share s. */
export function computeDecryptionShare(secret: Scalar, ciphertext: Ciphertext): GroupElement {
  return ciphertext.alpha.multiply(secret);
}

/** m·G = β − M, where M is the (combined) decryption share s·α. */
export function removeDecryptionShare(ciphertext: Ciphertext, share: GroupElement): GroupElement {
  return ciphertext.beta.subtract(share);
}

/** The encoded JSON form of a ciphertext. */
export function encodeCiphertext(ciphertext: Ciphertext): CiphertextJson {
  return { alpha: ciphertext.alpha.toHex(), beta: ciphertext.beta.toHex() };
}

/** The JSON shape of a ciphertext (components not yet decoded). */
export const CiphertextJsonSchema = z.object({ alpha: z.string(), beta: z.string() }).strict();

/**
 * Parses and validates a ciphertext from untrusted JSON. Both components must
 * be canonical encodings; the identity is allowed (a sum can be the identity,
 * and a homomorphic tally of zero ballots is ZERO_CIPHERTEXT).
 */
export function decodeCiphertext(
  json: unknown,
  where = 'ciphertext',
): Result<Ciphertext, CryptoError> {
  const parsed = parseShape(
    CiphertextJsonSchema,
    json,
    where,
    'expected {"alpha": hex, "beta": hex}',
  );
  if (!parsed.ok) return parsed;
  const alpha = GroupElement.decodeHex(parsed.value.alpha, `${where}.alpha`, {
    allowIdentity: true,
  });
  if (!alpha.ok) return alpha;
  const beta = GroupElement.decodeHex(parsed.value.beta, `${where}.beta`, { allowIdentity: true });
  if (!beta.ok) return beta;
  return ok({ alpha: alpha.value, beta: beta.value });
}
