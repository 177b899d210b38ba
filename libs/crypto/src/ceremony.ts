/**
 * The threshold key ceremony (docs/spec.md §6): n trustees jointly generate
 * the election key K so that any k of them can decrypt a tally and any k − 1
 * learn nothing about it. It is Pedersen's "joint-Feldman" distributed key
 * generation (Pedersen, "A threshold cryptosystem without a trusted party",
 * EUROCRYPT 1991) with Feldman commitments (FOCS 1987) and Schnorr proofs of
 * every coefficient, as in ElectionGuard 2.x §3.2, over ristretto255.
 *
 * Round 1 (spec §6.2). Trustee i picks a secret polynomial
 * P_i(x) = Σ_j a_{i,j}·x^j of degree k − 1 and a transport key pair
 * (e_i, E_i = e_i·G), and publishes the commitments K_{i,j} = a_{i,j}·G, a
 * Schnorr proof for each (label ['ceremony', 'coefficient', i, j]) and E_i with
 * its own proof (label ['ceremony', 'transport', i]). The proofs stop a
 * trustee from choosing K_{i,0} as a function of the others' (rogue keys).
 *
 * Round 2 (spec §6.3). Trustee i sends P_i(l) to each l ≠ i, encrypted with
 * hashed ElGamal (DHIES: Abdalla, Bellare, Rogaway, CT-RSA 2001) to E_l:
 *   ρ ← random, R = ρ·G, D = ρ·E_l
 *   keystream = H_bytes(ACTA_V1_CEREMONY_SHARE_KEY, [electionHash, i, l, R, E_l, D])
 *   ciphertext = keystream ⊕ LE32(P_i(l))
 *   mac = H_bytes(ACTA_V1_CEREMONY_SHARE_MAC, [electionHash, i, l, R, E_l, D, ciphertext])
 * The MAC is the tagged SHA-256 of the canonical encoding keyed by the secret
 * D (not HMAC): every field has a fixed length and the encoding starts with
 * the part count, so no length extension yields another valid input. The
 * recipient checks the MAC, the scalar's canonical encoding and Feldman's
 * equation P_i(l)·G = Σ_j l^j·K_{i,j}.
 *
 * Complaints (spec §6.4). A recipient whose share fails publishes an
 * accusation revealing D = e_l·R with a Chaum-Pedersen proof that
 * log_G(E_l) = log_R(D) (label ['ceremony', 'accusation', l, i]); anyone can
 * then open the share and decide who is at fault. Revealing D exposes only
 * that one share, which is compromised anyway. The ceremony succeeds only
 * when every trustee is qualified; a faulty trustee is removed and the
 * ceremony restarted with new parameters (as ElectionGuard does), so the
 * qualified set is always {1, …, n}.
 *
 * Result (spec §6.5). K = Σ_i K_{i,0}; trustee l's share is
 * s_l = Σ_i P_i(l); its public verification key is V_l = s_l·G = Σ_j l^j·C_j
 * with C_j = Σ_i K_{i,j}; anyone can recompute K and every V_l from round 1.
 * Joint-Feldman lets a last-moving trustee bias the distribution of K
 * (Gennaro, Jarecki, Krawczyk, Rabin, EUROCRYPT 1999); that bias does not
 * affect the security of ElGamal encryption under K (Gennaro et al., "Secure
 * applications of Pedersen's distributed key generation protocol", CT-RSA 2003).
 *
 * Randomness order (needed to reproduce the known-answer vectors, spec §8):
 * createTrusteeRound1 draws a_{i,0}, …, a_{i,k−1}, e_i, then the Schnorr
 * nonces of the k coefficient proofs and of the transport proof;
 * createShareMessages draws ρ for l = 1, …, n (l ≠ i) in order.
 *
 * Every function here is pure over plain data: publishing and collecting the
 * messages (the board) is someone else's job, and so is checking that a
 * message really comes from the trustee it names.
 */
import { z } from 'zod';
import { verifyBatch, type LinearCheck } from './batch.js';
import { bytesEqual, decodeHex, encodeHex } from './bytes.js';
import {
  decodeChaumPedersenProof,
  encodeChaumPedersenProof,
  proveChaumPedersen,
  verifyChaumPedersen,
  type ChaumPedersenProof,
  type ChaumPedersenProofJson,
} from './chaum-pedersen.js';
import { parseShape } from './json.js';
import { cryptoError, type CryptoError } from './errors.js';
import { GroupElement, Scalar, SCALAR_LENGTH } from './group.js';
import { hashToBytes } from './hash.js';
import { evaluateCommitments, evaluatePolynomial, MAX_TRUSTEES } from './polynomial.js';
import { ELECTION_HASH_LENGTH, type ProofContext } from './proof-context.js';
import { err, ok, type Result } from './result.js';
import { defaultRng, type Rng } from './rng.js';
import {
  decodeSchnorrProof,
  encodeSchnorrProof,
  proveSchnorr,
  schnorrChecks,
  type SchnorrProof,
  type SchnorrProofJson,
} from './schnorr.js';
import { TAG } from './tags.js';

export { MAX_TRUSTEES } from './polynomial.js';

/** Length of an encrypted share: one 32-byte scalar encoding. */
export const SHARE_CIPHERTEXT_LENGTH = SCALAR_LENGTH;
/** Length of a share message's MAC (SHA-256). */
export const SHARE_MAC_LENGTH = 32;

/** The public parameters of a ceremony: the election it is for, n and k. */
export interface CeremonyParams {
  /** The election base hash (32 bytes): every proof and share is bound to it. */
  readonly electionHash: Uint8Array;
  /** n: the number of trustees, indexed 1…n (n ≤ 255). */
  readonly trustees: number;
  /** k: how many trustees are needed to decrypt (1 ≤ k ≤ n). */
  readonly quorum: number;
}

/** A trustee's SECRET ceremony state: never publish or log it. */
export interface TrusteeSecretState {
  readonly index: number;
  /** a_{i,0}, …, a_{i,k−1}: the secret polynomial. */
  readonly coefficients: readonly Scalar[];
  /** e_i: the secret transport key that decrypts the shares sent to i. */
  readonly transportSecretKey: Scalar;
}

/** Trustee i's public round-1 message. */
export interface Round1Message {
  readonly index: number;
  /** K_{i,j} = a_{i,j}·G for j = 0…k−1. */
  readonly coefficientCommitments: readonly GroupElement[];
  /** A Schnorr proof of knowledge of each a_{i,j}. */
  readonly coefficientProofs: readonly SchnorrProof[];
  /** E_i = e_i·G: the key shares to i are encrypted to. */
  readonly transportKey: GroupElement;
  /** A Schnorr proof of knowledge of e_i. */
  readonly transportProof: SchnorrProof;
}

/** What round 1 produces for one trustee: its secret state and its public message. */
export interface TrusteeRound1 {
  readonly state: TrusteeSecretState;
  readonly message: Round1Message;
}

/** The public round-2 message carrying P_from(to), encrypted to E_to. */
export interface ShareMessage {
  readonly from: number;
  readonly to: number;
  /** R = ρ·G. */
  readonly ephemeral: GroupElement;
  /** keystream ⊕ LE32(P_from(to)) (32 bytes). */
  readonly ciphertext: Uint8Array;
  /** The MAC over the whole message (32 bytes). */
  readonly mac: Uint8Array;
}

/** A public complaint by `accuser` that `accused` sent it a bad share. */
export interface Accusation {
  readonly accuser: number;
  readonly accused: number;
  readonly shareMessage: ShareMessage;
  /** D = e_accuser·R, which opens the share. */
  readonly revealedKey: GroupElement;
  /** Chaum-Pedersen proof that log_G(E_accuser) = log_R(D). */
  readonly proof: ChaumPedersenProof;
}

/** What was wrong with a share that an accusation opened. */
export type ShareFault = 'mac' | 'encoding' | 'feldman';

/** The outcome of a founded accusation: the accused trustee is at fault. */
export interface AccusationVerdict {
  readonly verdict: 'accused-at-fault';
  readonly accused: number;
  readonly fault: ShareFault;
}

/** The public result of a ceremony, recomputable by anyone from round 1. */
export interface JointKey {
  readonly trustees: number;
  readonly quorum: number;
  /** K = Σ_i K_{i,0}, with fixed-base tables attached. */
  readonly publicKey: GroupElement;
  /** verificationKeys[l − 1] = V_l = s_l·G. */
  readonly verificationKeys: readonly GroupElement[];
}

/** What a trustee keeps at the end: its SECRET share s_l and the public result. */
export interface CeremonyOutcome {
  readonly index: number;
  readonly secretShare: Scalar;
  readonly jointKey: JointKey;
}

// ---------------------------------------------------------------------------
// Parameters and contexts

function isIndex(n: number, max: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= max;
}

/** Checks n, k and the election hash (CEREMONY_PARAMETERS). */
export function validateCeremonyParams(
  params: CeremonyParams,
  where = 'params',
): Result<true, CryptoError> {
  if (params.electionHash.length !== ELECTION_HASH_LENGTH) {
    return err(
      cryptoError(
        'CEREMONY_PARAMETERS',
        `${where}.electionHash`,
        `the election hash is ${ELECTION_HASH_LENGTH} bytes, got ${params.electionHash.length}`,
      ),
    );
  }
  if (!isIndex(params.trustees, MAX_TRUSTEES)) {
    return err(
      cryptoError(
        'CEREMONY_PARAMETERS',
        `${where}.trustees`,
        `the number of trustees must be an integer in [1, ${MAX_TRUSTEES}]`,
      ),
    );
  }
  if (!isIndex(params.quorum, params.trustees)) {
    return err(
      cryptoError(
        'CEREMONY_PARAMETERS',
        `${where}.quorum`,
        'the quorum must be an integer in [1, trustees]',
      ),
    );
  }
  return ok(true);
}

/** Parameters come from the caller's configuration: invalid ones are a bug. */
function assertParams(params: CeremonyParams): void {
  const r = validateCeremonyParams(params);
  if (!r.ok) throw new RangeError(r.error.message);
}

function assertIndex(params: CeremonyParams, index: number, what: string): void {
  if (!isIndex(index, params.trustees)) {
    throw new RangeError(`${what} must be an integer in [1, ${params.trustees}], got ${index}`);
  }
}

function assertState(params: CeremonyParams, state: TrusteeSecretState): void {
  assertIndex(params, state.index, 'the trustee index');
  if (state.coefficients.length !== params.quorum) {
    throw new RangeError(
      `the trustee state has ${state.coefficients.length} coefficients, the quorum is ${params.quorum}`,
    );
  }
}

function coefficientContext(params: CeremonyParams, i: number, j: number): ProofContext {
  return { electionHash: params.electionHash, label: ['ceremony', 'coefficient', i, j] };
}

function transportContext(params: CeremonyParams, i: number): ProofContext {
  return { electionHash: params.electionHash, label: ['ceremony', 'transport', i] };
}

function accusationContext(params: CeremonyParams, accuser: number, accused: number): ProofContext {
  return { electionHash: params.electionHash, label: ['ceremony', 'accusation', accuser, accused] };
}

function shareWhere(from: number, to: number): string {
  return `trustee[${from}].shares[${to}]`;
}

// ---------------------------------------------------------------------------
// Round 1

/** Trustee `index` draws its polynomial and transport key and builds its public message. */
export function createTrusteeRound1(
  params: CeremonyParams,
  index: number,
  rng: Rng = defaultRng,
): TrusteeRound1 {
  assertParams(params);
  assertIndex(params, index, 'the trustee index');
  const coefficients = Array.from({ length: params.quorum }, () => Scalar.random(rng));
  const transportSecretKey = Scalar.random(rng);
  const coefficientCommitments = coefficients.map((a) => GroupElement.multiplyGenerator(a));
  const coefficientProofs = coefficients.map((a, j) =>
    proveSchnorr(coefficientContext(params, index, j), a, coefficientCommitments[j]!, rng),
  );
  const transportKey = GroupElement.multiplyGenerator(transportSecretKey);
  const transportProof = proveSchnorr(
    transportContext(params, index),
    transportSecretKey,
    transportKey,
    rng,
  );
  return {
    state: { index, coefficients, transportSecretKey },
    message: { index, coefficientCommitments, coefficientProofs, transportKey, transportProof },
  };
}

/** The shape checks of a round-1 message against the parameters. */
function checkRound1Shape(params: CeremonyParams, msg: Round1Message): Result<true, CryptoError> {
  if (!isIndex(msg.index, params.trustees)) {
    return err(
      cryptoError(
        'CEREMONY_PARAMETERS',
        'round1.index',
        `the trustee index must be in [1, ${params.trustees}]`,
      ),
    );
  }
  const where = `trustee[${msg.index}]`;
  if (msg.coefficientCommitments.length !== params.quorum) {
    return err(
      cryptoError(
        'CEREMONY_PARAMETERS',
        `${where}.coefficientCommitments`,
        `expected ${params.quorum} commitments (the quorum), got ${msg.coefficientCommitments.length}`,
      ),
    );
  }
  if (msg.coefficientProofs.length !== params.quorum) {
    return err(
      cryptoError(
        'CEREMONY_PARAMETERS',
        `${where}.coefficientProofs`,
        `expected ${params.quorum} proofs (the quorum), got ${msg.coefficientProofs.length}`,
      ),
    );
  }
  return ok(true);
}

interface Round1Proof {
  readonly where: string;
  readonly context: ProofContext;
  readonly publicKey: GroupElement;
  readonly proof: SchnorrProof;
}

function round1Proofs(params: CeremonyParams, msg: Round1Message): Round1Proof[] {
  const where = `trustee[${msg.index}]`;
  const proofs: Round1Proof[] = msg.coefficientCommitments.map((k, j) => ({
    where: `${where}.coefficientProofs[${j}]`,
    context: coefficientContext(params, msg.index, j),
    publicKey: k,
    proof: msg.coefficientProofs[j]!,
  }));
  proofs.push({
    where: `${where}.transportProof`,
    context: transportContext(params, msg.index),
    publicKey: msg.transportKey,
    proof: msg.transportProof,
  });
  return proofs;
}

/**
 * Batch-verifies Schnorr proofs of one or more round-1 messages; the first
 * failure (in message, then proof order) becomes CEREMONY_COMMITMENT_PROOF at
 * the proof's path, e.g. `trustee[3].coefficientProofs[1]`.
 */
function verifyRound1Proofs(proofs: readonly Round1Proof[]): Result<true, CryptoError> {
  const outcome = verifyBatch(proofs, (p): Result<readonly LinearCheck[], CryptoError> =>
    schnorrChecks(p.context, p.publicKey, p.proof, p.where),
  );
  const first = outcome.failures[0];
  if (first === undefined) return ok(true);
  return err(
    cryptoError(
      'CEREMONY_COMMITMENT_PROOF',
      proofs[first.index]!.where,
      `the Schnorr proof does not verify (${first.error.code})`,
    ),
  );
}

/** Verifies one round-1 message: its shape against n and k, and every proof (one MSM). */
export function verifyRound1Message(
  params: CeremonyParams,
  msg: Round1Message,
): Result<true, CryptoError> {
  const p = validateCeremonyParams(params);
  if (!p.ok) return p;
  const shape = checkRound1Shape(params, msg);
  if (!shape.ok) return shape;
  return verifyRound1Proofs(round1Proofs(params, msg));
}

/**
 * Verifies a complete set of round-1 messages: exactly one per trustee 1…n,
 * each well-formed, all proofs valid (one MSM for the whole set). Returns the
 * messages ordered by index; on failure, the first fault in index order.
 */
export function verifyRound1Messages(
  params: CeremonyParams,
  messages: readonly Round1Message[],
): Result<readonly Round1Message[], CryptoError> {
  const sorted = sortRound1Messages(params, messages);
  if (!sorted.ok) return sorted;
  const proofs: Round1Proof[] = [];
  for (const msg of sorted.value) {
    const shape = checkRound1Shape(params, msg);
    if (!shape.ok) return shape;
    proofs.push(...round1Proofs(params, msg));
  }
  const verified = verifyRound1Proofs(proofs);
  return verified.ok ? sorted : verified;
}

/** Orders the messages by index, requiring exactly one per trustee. */
function sortRound1Messages(
  params: CeremonyParams,
  messages: readonly Round1Message[],
): Result<Round1Message[], CryptoError> {
  const p = validateCeremonyParams(params);
  if (!p.ok) return p;
  const byIndex = new Map<number, Round1Message>();
  for (const [position, msg] of messages.entries()) {
    if (!isIndex(msg.index, params.trustees)) {
      return err(
        cryptoError(
          'CEREMONY_PARAMETERS',
          `round1[${position}].index`,
          `the trustee index must be in [1, ${params.trustees}]`,
        ),
      );
    }
    if (byIndex.has(msg.index)) {
      return err(
        cryptoError(
          'CEREMONY_PARAMETERS',
          `trustee[${msg.index}]`,
          'more than one round-1 message for this trustee',
        ),
      );
    }
    byIndex.set(msg.index, msg);
  }
  const sorted: Round1Message[] = [];
  for (let i = 1; i <= params.trustees; i++) {
    const msg = byIndex.get(i);
    if (msg === undefined) {
      return err(
        cryptoError('CEREMONY_PARAMETERS', `trustee[${i}]`, 'no round-1 message for this trustee'),
      );
    }
    sorted.push(msg);
  }
  return ok(sorted);
}

// ---------------------------------------------------------------------------
// Round 2: share encryption (DHIES)

function xor32(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let t = 0; t < 32; t++) out[t] = a[t]! ^ b[t]!;
  return out;
}

function shareKeystream(
  params: CeremonyParams,
  from: number,
  to: number,
  ephemeral: GroupElement,
  transportKey: GroupElement,
  dh: GroupElement,
): Uint8Array {
  return hashToBytes(TAG.CEREMONY_SHARE_KEY, [
    params.electionHash,
    from,
    to,
    ephemeral,
    transportKey,
    dh,
  ]);
}

function shareMac(
  params: CeremonyParams,
  from: number,
  to: number,
  ephemeral: GroupElement,
  transportKey: GroupElement,
  dh: GroupElement,
  ciphertext: Uint8Array,
): Uint8Array {
  return hashToBytes(TAG.CEREMONY_SHARE_MAC, [
    params.electionHash,
    from,
    to,
    ephemeral,
    transportKey,
    dh,
    ciphertext,
  ]);
}

/**
 * Encrypts 32 plaintext bytes from `from` to `to` (spec §6.3). Exposed for
 * tests that need to send a malformed share; use `encryptShare`.
 * @internal
 */
export function sealShareBytes(
  params: CeremonyParams,
  from: number,
  to: number,
  recipientTransportKey: GroupElement,
  plaintext: Uint8Array,
  rng: Rng = defaultRng,
): ShareMessage {
  if (plaintext.length !== SHARE_CIPHERTEXT_LENGTH) {
    throw new RangeError(`a share is ${SHARE_CIPHERTEXT_LENGTH} bytes, got ${plaintext.length}`);
  }
  const rho = Scalar.random(rng);
  const ephemeral = GroupElement.multiplyGenerator(rho);
  const dh = recipientTransportKey.multiply(rho);
  const keystream = shareKeystream(params, from, to, ephemeral, recipientTransportKey, dh);
  const ciphertext = xor32(keystream, plaintext);
  const mac = shareMac(params, from, to, ephemeral, recipientTransportKey, dh, ciphertext);
  return { from, to, ephemeral, ciphertext, mac };
}

/** Encrypts the share P_from(to) to the recipient's transport key E_to. */
export function encryptShare(
  params: CeremonyParams,
  from: number,
  to: number,
  recipientTransportKey: GroupElement,
  share: Scalar,
  rng: Rng = defaultRng,
): ShareMessage {
  assertParams(params);
  assertIndex(params, from, 'the sender index');
  assertIndex(params, to, 'the recipient index');
  if (from === to) throw new RangeError('a trustee does not send a share to itself');
  return sealShareBytes(params, from, to, recipientTransportKey, share.toBytes(), rng);
}

/**
 * Trustee `state.index` encrypts P_i(l) for every other trustee l. Verifies
 * the whole round-1 set first (a share must never go to an unproven key), and
 * checks that the published message for i is the one this state produced.
 */
export function createShareMessages(
  params: CeremonyParams,
  state: TrusteeSecretState,
  round1Messages: readonly Round1Message[],
  rng: Rng = defaultRng,
): Result<readonly ShareMessage[], CryptoError> {
  assertParams(params);
  assertState(params, state);
  // `rng` draws only the ρ of each share (spec §8 order); batch verification
  // weights always come from the system CSPRNG (spec §5.6).
  const verified = verifyRound1Messages(params, round1Messages);
  if (!verified.ok) return verified;
  const own = verified.value[state.index - 1]!;
  const matches =
    own.transportKey.equals(GroupElement.multiplyGenerator(state.transportSecretKey)) &&
    state.coefficients.every((a, j) =>
      own.coefficientCommitments[j]!.equals(GroupElement.multiplyGenerator(a)),
    );
  if (!matches) {
    return err(
      cryptoError(
        'CEREMONY_PARAMETERS',
        `trustee[${state.index}]`,
        "the published round-1 message is not this trustee's",
      ),
    );
  }
  const messages: ShareMessage[] = [];
  for (const recipient of verified.value) {
    if (recipient.index === state.index) continue;
    const share = evaluatePolynomial(state.coefficients, recipient.index);
    messages.push(
      sealShareBytes(
        params,
        state.index,
        recipient.index,
        recipient.transportKey,
        share.toBytes(),
        rng,
      ),
    );
  }
  return ok(messages);
}

type OpenedShare =
  | { readonly ok: true; readonly share: Scalar }
  | { readonly ok: false; readonly fault: ShareFault; readonly error: CryptoError };

/**
 * Opens a share with the DH value D and checks it: MAC, canonical scalar,
 * Feldman's equation against the sender's commitments. Shared by the
 * recipient (who computes D) and the judge of an accusation (who is given D).
 */
function openShare(
  params: CeremonyParams,
  message: ShareMessage,
  transportKey: GroupElement,
  dh: GroupElement,
  senderCommitments: readonly GroupElement[],
): OpenedShare {
  const where = shareWhere(message.from, message.to);
  const { from, to, ephemeral, ciphertext } = message;
  const mac = shareMac(params, from, to, ephemeral, transportKey, dh, ciphertext);
  if (!bytesEqual(mac, message.mac)) {
    return {
      ok: false,
      fault: 'mac',
      error: cryptoError('CEREMONY_SHARE_DECRYPTION', `${where}.mac`, 'the MAC does not match'),
    };
  }
  const keystream = shareKeystream(params, from, to, ephemeral, transportKey, dh);
  const decoded = Scalar.decode(xor32(keystream, ciphertext), `${where}.ciphertext`);
  if (!decoded.ok) {
    return {
      ok: false,
      fault: 'encoding',
      error: cryptoError(
        'CEREMONY_SHARE_INVALID',
        `${where}.ciphertext`,
        'the decrypted share is not a canonical scalar',
      ),
    };
  }
  const share = decoded.value;
  // The share is secret to its recipient: compute share·G in constant time.
  if (!GroupElement.multiplyGenerator(share).equals(evaluateCommitments(senderCommitments, to))) {
    return {
      ok: false,
      fault: 'feldman',
      error: cryptoError(
        'CEREMONY_SHARE_INVALID',
        where,
        "the share does not match the sender's commitments (Feldman check)",
      ),
    };
  }
  return { ok: true, share };
}

function checkShareAddressing(
  params: CeremonyParams,
  message: ShareMessage,
): Result<true, CryptoError> {
  if (
    !isIndex(message.from, params.trustees) ||
    !isIndex(message.to, params.trustees) ||
    message.from === message.to
  ) {
    return err(
      cryptoError(
        'CEREMONY_PARAMETERS',
        'shareMessage',
        `sender and recipient must be distinct indices in [1, ${params.trustees}]`,
      ),
    );
  }
  return ok(true);
}

/**
 * Recipient `ownState.index` decrypts and checks the share sent by
 * `senderRound1.index` (whose round-1 message must have been verified, e.g.
 * by `verifyRound1Messages`). A failure is grounds for an accusation.
 */
export function receiveShare(
  params: CeremonyParams,
  ownState: TrusteeSecretState,
  senderRound1: Round1Message,
  shareMessage: ShareMessage,
): Result<Scalar, CryptoError> {
  const p = validateCeremonyParams(params);
  if (!p.ok) return p;
  const addressing = checkShareAddressing(params, shareMessage);
  if (!addressing.ok) return addressing;
  const where = shareWhere(shareMessage.from, shareMessage.to);
  if (shareMessage.to !== ownState.index) {
    return err(
      cryptoError('CEREMONY_PARAMETERS', `${where}.to`, 'the share is for another trustee'),
    );
  }
  if (shareMessage.from !== senderRound1.index) {
    return err(
      cryptoError(
        'CEREMONY_PARAMETERS',
        `${where}.from`,
        "the sender is not the round-1 message's trustee",
      ),
    );
  }
  const shape = checkRound1Shape(params, senderRound1);
  if (!shape.ok) return shape;
  const transportKey = GroupElement.multiplyGenerator(ownState.transportSecretKey);
  const dh = shareMessage.ephemeral.multiply(ownState.transportSecretKey);
  const opened = openShare(
    params,
    shareMessage,
    transportKey,
    dh,
    senderRound1.coefficientCommitments,
  );
  return opened.ok ? ok(opened.share) : err(opened.error);
}

// ---------------------------------------------------------------------------
// Accusations (spec §6.4)

/**
 * Recipient `ownState.index` accuses the sender of `shareMessage`: reveals
 * D = e_l·R and proves it honest. Call it only after `receiveShare` failed.
 */
export function createAccusation(
  params: CeremonyParams,
  ownState: TrusteeSecretState,
  shareMessage: ShareMessage,
  rng: Rng = defaultRng,
): Accusation {
  assertParams(params);
  assertIndex(params, ownState.index, 'the trustee index');
  if (shareMessage.to !== ownState.index) {
    throw new RangeError('an accusation is about a share sent to the accuser');
  }
  const accuser = ownState.index;
  const accused = shareMessage.from;
  const transportKey = GroupElement.multiplyGenerator(ownState.transportSecretKey);
  const revealedKey = shareMessage.ephemeral.multiply(ownState.transportSecretKey);
  const proof = proveChaumPedersen(
    accusationContext(params, accuser, accused),
    { g: GroupElement.GENERATOR, x: transportKey, h: shareMessage.ephemeral, y: revealedKey },
    ownState.transportSecretKey,
    rng,
  );
  return { accuser, accused, shareMessage, revealedKey, proof };
}

/**
 * Judges an accusation from public data (anyone can run it). The caller must
 * check that `accusation.shareMessage` is the message the board attributes to
 * the accused. Returns:
 * - `CEREMONY_ACCUSATION_INVALID` if the accusation is malformed or its proof
 *   of D fails (the accuser is at fault);
 * - `CEREMONY_ACCUSATION_UNFOUNDED` if the opened share is valid (the accuser
 *   is at fault);
 * - ok({ verdict: 'accused-at-fault', … }) if the MAC, the encoding or
 *   Feldman's check fails.
 * The round-1 messages of both parties are verified first; an invalid one is
 * returned as its own error (that trustee is disqualified anyway).
 */
export function judgeAccusation(
  params: CeremonyParams,
  round1Messages: readonly Round1Message[],
  accusation: Accusation,
): Result<AccusationVerdict, CryptoError> {
  const p = validateCeremonyParams(params);
  if (!p.ok) return p;
  const { accuser, accused, shareMessage } = accusation;
  const where = `trustee[${accuser}].accusations[${accused}]`;
  if (
    !isIndex(accuser, params.trustees) ||
    !isIndex(accused, params.trustees) ||
    accuser === accused ||
    shareMessage.to !== accuser ||
    shareMessage.from !== accused
  ) {
    return err(
      cryptoError(
        'CEREMONY_ACCUSATION_INVALID',
        where,
        'the accuser and accused must be the recipient and sender of the share message',
      ),
    );
  }
  // The whole published set is verified (one message per trustee, all
  // proofs valid), so the accuser's and the accused's messages are unique.
  const verified = verifyRound1Messages(params, round1Messages);
  if (!verified.ok) return verified;
  const accuserRound1 = verified.value[accuser - 1]!;
  const accusedRound1 = verified.value[accused - 1]!;
  const proofOk = verifyChaumPedersen(
    accusationContext(params, accuser, accused),
    {
      g: GroupElement.GENERATOR,
      x: accuserRound1.transportKey,
      h: shareMessage.ephemeral,
      y: accusation.revealedKey,
    },
    accusation.proof,
    `${where}.proof`,
  );
  if (!proofOk.ok) {
    return err(
      cryptoError(
        'CEREMONY_ACCUSATION_INVALID',
        `${where}.proof`,
        `the proof of the revealed key does not verify (${proofOk.error.code})`,
      ),
    );
  }
  const opened = openShare(
    params,
    shareMessage,
    accuserRound1.transportKey,
    accusation.revealedKey,
    accusedRound1.coefficientCommitments,
  );
  if (opened.ok) {
    return err(
      cryptoError(
        'CEREMONY_ACCUSATION_UNFOUNDED',
        where,
        'the share is valid: the accuser is at fault',
      ),
    );
  }
  return ok({ verdict: 'accused-at-fault', accused, fault: opened.fault });
}

// ---------------------------------------------------------------------------
// Result (spec §6.5)

/**
 * K = Σ_i K_{i,0} and V_l = Σ_j l^j·C_j with C_j = Σ_i K_{i,j}, from a
 * complete round-1 set (verified here: a joint key from unproven commitments
 * could be a rogue key).
 */
export function computeJointKey(
  params: CeremonyParams,
  round1Messages: readonly Round1Message[],
): Result<JointKey, CryptoError> {
  const verified = verifyRound1Messages(params, round1Messages);
  if (!verified.ok) return verified;
  const aggregate: GroupElement[] = [];
  for (let j = 0; j < params.quorum; j++) {
    let acc = GroupElement.IDENTITY;
    for (const msg of verified.value) acc = acc.add(msg.coefficientCommitments[j]!);
    aggregate.push(acc);
  }
  const verificationKeys: GroupElement[] = [];
  for (let l = 1; l <= params.trustees; l++) {
    verificationKeys.push(evaluateCommitments(aggregate, l));
  }
  const publicKey = aggregate[0]!;
  // K = identity would mean Σ a_{i,0} = 0: only possible if the proven
  // trustees coordinated, and encrypting to it would publish every vote.
  if (publicKey.isIdentity()) {
    return err(
      cryptoError('IDENTITY_ELEMENT', 'jointKey.publicKey', 'the joint key is the identity'),
    );
  }
  return ok({
    trustees: params.trustees,
    quorum: params.quorum,
    publicKey: publicKey.precompute(),
    verificationKeys,
  });
}

/**
 * Trustee `ownState.index` finishes: s_l = P_l(l) + Σ_{i≠l} P_i(l), from the
 * shares accepted by `receiveShare` (`receivedShares.get(i)` = P_i(l)).
 * Checks s_l·G = V_l, which holds exactly when every share matches its
 * sender's commitments in aggregate.
 */
export function finishCeremony(
  params: CeremonyParams,
  ownState: TrusteeSecretState,
  round1Messages: readonly Round1Message[],
  receivedShares: ReadonlyMap<number, Scalar>,
): Result<CeremonyOutcome, CryptoError> {
  assertParams(params);
  assertState(params, ownState);
  const l = ownState.index;
  const jointKey = computeJointKey(params, round1Messages);
  if (!jointKey.ok) return jointKey;
  let secretShare = evaluatePolynomial(ownState.coefficients, l);
  for (let i = 1; i <= params.trustees; i++) {
    if (i === l) continue;
    const share = receivedShares.get(i);
    if (share === undefined) {
      return err(
        cryptoError('CEREMONY_PARAMETERS', `receivedShares[${i}]`, 'no share from this trustee'),
      );
    }
    secretShare = secretShare.add(share);
  }
  if (receivedShares.size !== params.trustees - 1 || receivedShares.has(l)) {
    return err(
      cryptoError(
        'CEREMONY_PARAMETERS',
        'receivedShares',
        'expected exactly one share from every other trustee',
      ),
    );
  }
  const expected = jointKey.value.verificationKeys[l - 1]!;
  if (!GroupElement.multiplyGenerator(secretShare).equals(expected)) {
    return err(
      cryptoError(
        'CEREMONY_SHARE_INVALID',
        'receivedShares',
        'the combined share does not match the verification key',
      ),
    );
  }
  return ok({ index: l, secretShare, jointKey: jointKey.value });
}

/** Everything a local, honest run of the ceremony produces. */
export interface LocalCeremony {
  readonly round1: readonly TrusteeRound1[];
  readonly shareMessages: readonly ShareMessage[];
  readonly outcomes: readonly CeremonyOutcome[];
  readonly jointKey: JointKey;
}

/**
 * Runs a whole ceremony in one process with honest trustees (demo, tests,
 * benchmarks): every trustee's secrets pass through this one function, so a
 * real election must never use it.
 */
export function runLocalCeremony(params: CeremonyParams, rng: Rng = defaultRng): LocalCeremony {
  assertParams(params);
  const round1: TrusteeRound1[] = [];
  for (let i = 1; i <= params.trustees; i++) round1.push(createTrusteeRound1(params, i, rng));
  const messages = round1.map((t) => t.message);
  const shareMessages: ShareMessage[] = [];
  for (const t of round1) {
    shareMessages.push(...unwrapOrThrow(createShareMessages(params, t.state, messages, rng)));
  }
  const outcomes = round1.map((t) => {
    const received = new Map<number, Scalar>();
    for (const m of shareMessages) {
      if (m.to !== t.state.index) continue;
      const sender = messages[m.from - 1]!;
      received.set(m.from, unwrapOrThrow(receiveShare(params, t.state, sender, m)));
    }
    return unwrapOrThrow(finishCeremony(params, t.state, messages, received));
  });
  return { round1, shareMessages, outcomes, jointKey: outcomes[0]!.jointKey };
}

function unwrapOrThrow<T>(r: Result<T, CryptoError>): T {
  // An honest local run cannot fail: a failure is a bug.
  if (!r.ok) throw new Error(`local ceremony failed: ${r.error.message}`);
  return r.value;
}

// ---------------------------------------------------------------------------
// JSON (hex encodings; zod strict objects, then every field decoded with its path)

/** The JSON form of a round-1 message. */
export interface Round1MessageJson {
  readonly index: number;
  readonly coefficientCommitments: readonly string[];
  readonly coefficientProofs: readonly SchnorrProofJson[];
  readonly transportKey: string;
  readonly transportProof: SchnorrProofJson;
}

/** The JSON form of a share message. */
export interface ShareMessageJson {
  readonly from: number;
  readonly to: number;
  readonly ephemeral: string;
  readonly ciphertext: string;
  readonly mac: string;
}

/** The JSON form of an accusation. */
export interface AccusationJson {
  readonly accuser: number;
  readonly accused: number;
  readonly shareMessage: ShareMessageJson;
  readonly revealedKey: string;
  readonly proof: ChaumPedersenProofJson;
}

/** The JSON form of the joint key. */
export interface JointKeyJson {
  readonly trustees: number;
  readonly quorum: number;
  readonly publicKey: string;
  readonly verificationKeys: readonly string[];
}

/** The JSON form of a trustee's SECRET state (for its own encrypted storage only). */
export interface TrusteeSecretStateJson {
  readonly index: number;
  readonly coefficients: readonly string[];
  readonly transportSecretKey: string;
}

const IndexSchema = z.number().int().min(1).max(MAX_TRUSTEES);
const HexListSchema = z.array(z.string()).min(1).max(MAX_TRUSTEES);
// Proofs are objects decoded by their own decoders (which report their paths).
const ObjectSchema = z.record(z.string(), z.unknown());

const Round1MessageJsonSchema = z
  .object({
    index: IndexSchema,
    coefficientCommitments: HexListSchema,
    coefficientProofs: z.array(ObjectSchema).min(1).max(MAX_TRUSTEES),
    transportKey: z.string(),
    transportProof: ObjectSchema,
  })
  .strict();

const ShareMessageJsonSchema = z
  .object({
    from: IndexSchema,
    to: IndexSchema,
    ephemeral: z.string(),
    ciphertext: z.string(),
    mac: z.string(),
  })
  .strict();

const AccusationJsonSchema = z
  .object({
    accuser: IndexSchema,
    accused: IndexSchema,
    shareMessage: ObjectSchema,
    revealedKey: z.string(),
    proof: ObjectSchema,
  })
  .strict();

const JointKeyJsonSchema = z
  .object({
    trustees: IndexSchema,
    quorum: IndexSchema,
    publicKey: z.string(),
    verificationKeys: HexListSchema,
  })
  .strict();

const TrusteeSecretStateJsonSchema = z
  .object({
    index: IndexSchema,
    coefficients: HexListSchema,
    transportSecretKey: z.string(),
  })
  .strict();

function decodeElements(
  hexes: readonly string[],
  where: string,
): Result<GroupElement[], CryptoError> {
  const out: GroupElement[] = [];
  for (const [j, hex] of hexes.entries()) {
    const e = GroupElement.decodeHex(hex, `${where}[${j}]`);
    if (!e.ok) return e;
    out.push(e.value);
  }
  return ok(out);
}

/** The JSON form of a round-1 message. */
export function encodeRound1Message(msg: Round1Message): Round1MessageJson {
  return {
    index: msg.index,
    coefficientCommitments: msg.coefficientCommitments.map((k) => k.toHex()),
    coefficientProofs: msg.coefficientProofs.map((p) => encodeSchnorrProof(p)),
    transportKey: msg.transportKey.toHex(),
    transportProof: encodeSchnorrProof(msg.transportProof),
  };
}

/** Parses a round-1 message from untrusted JSON (shape only: verify it against the params). */
export function decodeRound1Message(
  json: unknown,
  where = 'round1',
): Result<Round1Message, CryptoError> {
  const parsed = parseShape(
    Round1MessageJsonSchema,
    json,
    where,
    'expected {"index", "coefficientCommitments", "coefficientProofs", "transportKey", "transportProof"}',
  );
  if (!parsed.ok) return parsed;
  const d = parsed.value;
  const commitments = decodeElements(d.coefficientCommitments, `${where}.coefficientCommitments`);
  if (!commitments.ok) return commitments;
  const proofs: SchnorrProof[] = [];
  for (const [j, p] of d.coefficientProofs.entries()) {
    const proof = decodeSchnorrProof(p, `${where}.coefficientProofs[${j}]`);
    if (!proof.ok) return proof;
    proofs.push(proof.value);
  }
  const transportKey = GroupElement.decodeHex(d.transportKey, `${where}.transportKey`);
  if (!transportKey.ok) return transportKey;
  const transportProof = decodeSchnorrProof(d.transportProof, `${where}.transportProof`);
  if (!transportProof.ok) return transportProof;
  return ok({
    index: d.index,
    coefficientCommitments: commitments.value,
    coefficientProofs: proofs,
    transportKey: transportKey.value,
    transportProof: transportProof.value,
  });
}

/** The JSON form of a share message. */
export function encodeShareMessage(msg: ShareMessage): ShareMessageJson {
  return {
    from: msg.from,
    to: msg.to,
    ephemeral: msg.ephemeral.toHex(),
    ciphertext: encodeHex(msg.ciphertext),
    mac: encodeHex(msg.mac),
  };
}

/** Parses a share message from untrusted JSON. */
export function decodeShareMessage(
  json: unknown,
  where = 'shareMessage',
): Result<ShareMessage, CryptoError> {
  const parsed = parseShape(
    ShareMessageJsonSchema,
    json,
    where,
    'expected {"from", "to", "ephemeral", "ciphertext", "mac"} with indices in [1, 255]',
  );
  if (!parsed.ok) return parsed;
  const d = parsed.value;
  if (d.from === d.to) {
    return err(cryptoError('MALFORMED', where, 'a share message goes to another trustee'));
  }
  const ephemeral = GroupElement.decodeHex(d.ephemeral, `${where}.ephemeral`);
  if (!ephemeral.ok) return ephemeral;
  const ciphertext = decodeHex(d.ciphertext, `${where}.ciphertext`, SHARE_CIPHERTEXT_LENGTH);
  if (!ciphertext.ok) return ciphertext;
  const mac = decodeHex(d.mac, `${where}.mac`, SHARE_MAC_LENGTH);
  if (!mac.ok) return mac;
  return ok({
    from: d.from,
    to: d.to,
    ephemeral: ephemeral.value,
    ciphertext: ciphertext.value,
    mac: mac.value,
  });
}

/** The JSON form of an accusation. */
export function encodeAccusation(accusation: Accusation): AccusationJson {
  return {
    accuser: accusation.accuser,
    accused: accusation.accused,
    shareMessage: encodeShareMessage(accusation.shareMessage),
    revealedKey: accusation.revealedKey.toHex(),
    proof: encodeChaumPedersenProof(accusation.proof),
  };
}

/** Parses an accusation from untrusted JSON (judge it with `judgeAccusation`). */
export function decodeAccusation(
  json: unknown,
  where = 'accusation',
): Result<Accusation, CryptoError> {
  const parsed = parseShape(
    AccusationJsonSchema,
    json,
    where,
    'expected {"accuser", "accused", "shareMessage", "revealedKey", "proof"}',
  );
  if (!parsed.ok) return parsed;
  const d = parsed.value;
  const shareMessage = decodeShareMessage(d.shareMessage, `${where}.shareMessage`);
  if (!shareMessage.ok) return shareMessage;
  const revealedKey = GroupElement.decodeHex(d.revealedKey, `${where}.revealedKey`);
  if (!revealedKey.ok) return revealedKey;
  const proof = decodeChaumPedersenProof(d.proof, `${where}.proof`);
  if (!proof.ok) return proof;
  return ok({
    accuser: d.accuser,
    accused: d.accused,
    shareMessage: shareMessage.value,
    revealedKey: revealedKey.value,
    proof: proof.value,
  });
}

/** The JSON form of the joint key. */
export function encodeJointKey(jointKey: JointKey): JointKeyJson {
  return {
    trustees: jointKey.trustees,
    quorum: jointKey.quorum,
    publicKey: jointKey.publicKey.toHex(),
    verificationKeys: jointKey.verificationKeys.map((v) => v.toHex()),
  };
}

/**
 * Parses a joint key from untrusted JSON. Only the encodings are checked:
 * compare it with `computeJointKey` over the round-1 messages to trust it.
 */
export function decodeJointKey(json: unknown, where = 'jointKey'): Result<JointKey, CryptoError> {
  const parsed = parseShape(
    JointKeyJsonSchema,
    json,
    where,
    'expected {"trustees", "quorum", "publicKey", "verificationKeys"}',
  );
  if (!parsed.ok) return parsed;
  const d = parsed.value;
  if (d.quorum > d.trustees || d.verificationKeys.length !== d.trustees) {
    return err(
      cryptoError(
        'CEREMONY_PARAMETERS',
        where,
        'need quorum ≤ trustees and one verification key per trustee',
      ),
    );
  }
  const publicKey = GroupElement.decodeHex(d.publicKey, `${where}.publicKey`);
  if (!publicKey.ok) return publicKey;
  // V_l = s_l·G is the identity only if s_l = 0: allowed, it is public anyway.
  const verificationKeys: GroupElement[] = [];
  for (const [l, hex] of d.verificationKeys.entries()) {
    const v = GroupElement.decodeHex(hex, `${where}.verificationKeys[${l}]`, {
      allowIdentity: true,
    });
    if (!v.ok) return v;
    verificationKeys.push(v.value);
  }
  return ok({
    trustees: d.trustees,
    quorum: d.quorum,
    publicKey: publicKey.value.precompute(),
    verificationKeys,
  });
}

/** Whether two joint keys are identical (e.g. a published one and a recomputed one). */
export function jointKeysEqual(a: JointKey, b: JointKey): boolean {
  return (
    a.trustees === b.trustees &&
    a.quorum === b.quorum &&
    a.publicKey.equals(b.publicKey) &&
    a.verificationKeys.length === b.verificationKeys.length &&
    a.verificationKeys.every((v, l) => v.equals(b.verificationKeys[l]!))
  );
}

/** The JSON form of a trustee's SECRET state: for its own protected storage, never the board. */
export function encodeTrusteeSecretState(state: TrusteeSecretState): TrusteeSecretStateJson {
  return {
    index: state.index,
    coefficients: state.coefficients.map((a) => a.toHex()),
    transportSecretKey: state.transportSecretKey.toHex(),
  };
}

/** Parses a trustee's secret state (errors name fields, never values). */
export function decodeTrusteeSecretState(
  json: unknown,
  where = 'trusteeState',
): Result<TrusteeSecretState, CryptoError> {
  const parsed = parseShape(
    TrusteeSecretStateJsonSchema,
    json,
    where,
    'expected {"index", "coefficients", "transportSecretKey"}',
  );
  if (!parsed.ok) return parsed;
  const d = parsed.value;
  const coefficients: Scalar[] = [];
  for (const [j, hex] of d.coefficients.entries()) {
    const a = Scalar.decodeHex(hex, `${where}.coefficients[${j}]`);
    if (!a.ok) return a;
    coefficients.push(a.value);
  }
  const transportSecretKey = Scalar.decodeHex(d.transportSecretKey, `${where}.transportSecretKey`);
  if (!transportSecretKey.ok) return transportSecretKey;
  if (transportSecretKey.value.isZero()) {
    return err(cryptoError('ZERO_SCALAR', `${where}.transportSecretKey`, 'the key is zero'));
  }
  return ok({ index: d.index, coefficients, transportSecretKey: transportSecretKey.value });
}
