/**
 * Encrypted contests (docs/spec.md §5.5): what a voting device produces for
 * one contest of n selections with a selection limit L — one ciphertext per
 * selection with a 0/1 proof (spec §5.3), and a range proof (spec §5.4) that
 * the homomorphic sum of the selections encrypts a value in [0, L]. The 2024
 * Venezuelan ballot is one-of-38 (38 party cards, L = 1); municipal contests
 * may be k-of-m. This is the ballot structure of ElectionGuard 2.x §3.3
 * (selection proofs plus a contest limit proof), with Acta's proofs.
 *
 * Proof contexts: selection i is proven under the label
 * [...context.label, 'selection', i], the limit under [...context.label,
 * 'limit'], so that no proof can be moved to another position or contest.
 */
import { z } from 'zod';
import { verifyBatch, type BatchOutcome, type LinearCheck, verifyLinearChecks } from './batch.js';
import {
  CiphertextJsonSchema,
  decodeCiphertext,
  encodeCiphertext,
  sumCiphertexts,
  type Ciphertext,
  type CiphertextJson,
} from './elgamal.js';
import { parseShape } from './json.js';
import { cryptoError, type CryptoError } from './errors.js';
import { ELEMENT_LENGTH, GroupElement, Scalar } from './group.js';
import { decodeHex } from './bytes.js';
import type { ProofContext } from './proof-context.js';
import {
  INVERSE_OF_TWO,
  MAX_RANGE_BOUND,
  commitRangeTagged,
  decodeRangeProof,
  encodeRangeProof,
  rangeChecks,
  respondRangeTagged,
  type RangeCommitmentPhase,
  type RangeProof,
  type RangeProofJson,
} from './range-proof.js';
import { err, ok, type Result } from './result.js';
import { defaultRng, type Rng } from './rng.js';
import { TAG } from './tags.js';
import {
  decodeSelectionProof,
  encodeSelectionProof,
  selectionChecks,
  type SelectionProof,
  type SelectionProofJson,
} from './selection-proof.js';

/** G/2, with a fixed-base table: the halves of β take m·(G/2) for a vote m. */
const HALF_GENERATOR = GroupElement.multiplyGenerator(INVERSE_OF_TWO).precompute();
/** Votes are 0 or 1: the short constant-time comb of multiplyBelow suffices. */
const VOTE_BITS = 1;
/** A selection proof is the range proof with L = 1 (selection-proof.ts). */
const SELECTION_BOUND = 1;

/** The largest number of selections a contest may have (bounds verifier work). */
export const MAX_CONTEST_SELECTIONS = 1000;

/** One encrypted selection: Enc(vote) and its 0/1 proof. */
export interface EncryptedSelection {
  readonly ciphertext: Ciphertext;
  readonly proof: SelectionProof;
}

/** An encrypted contest: the selections in ballot order and the limit proof. */
export interface EncryptedContest {
  readonly selections: readonly EncryptedSelection[];
  readonly limitProof: RangeProof;
}

/** The JSON form of an encrypted contest. */
export interface EncryptedContestJson {
  readonly selections: readonly {
    readonly ciphertext: CiphertextJson;
    readonly proof: SelectionProofJson;
  }[];
  readonly limitProof: RangeProofJson;
}

/** A freshly encrypted contest and its per-selection nonces (secret: Benaloh spoil only). */
export interface ContestEncryption {
  readonly contest: EncryptedContest;
  readonly nonces: readonly Scalar[];
}

/** One item of a contest batch. */
export interface ContestItem {
  readonly context: ProofContext;
  readonly publicKey: GroupElement;
  readonly contest: EncryptedContest;
  readonly limit: number;
}

/** The proof context of selection `index` of a contest. */
export function deriveSelectionContext(context: ProofContext, index: number): ProofContext {
  return {
    electionHash: context.electionHash,
    label: [...(context.label ?? []), 'selection', index],
  };
}

/** The proof context of a contest's limit proof. */
export function deriveLimitContext(context: ProofContext): ProofContext {
  return { electionHash: context.electionHash, label: [...(context.label ?? []), 'limit'] };
}

/**
 * Encrypts one contest: each vote (0 or 1, in ballot order) under a fresh
 * nonce with its 0/1 proof, then the limit proof for Σ votes ∈ [0, limit]
 * with nonce Σ r_i. The device validates the ballot first: votes that are not
 * 0/1, more marks than the limit, an empty contest, more than
 * MAX_CONTEST_SELECTIONS selections, or a limit outside [1, MAX_RANGE_BOUND]
 * are bugs (RangeError; messages never state a vote). Randomness order: for
 * each selection its nonce then its proof's scalars, then the limit proof's.
 */
export function encryptContest(
  context: ProofContext,
  publicKey: GroupElement,
  votes: readonly number[],
  limit: number,
  rng: Rng = defaultRng,
): ContestEncryption {
  if (votes.length < 1 || votes.length > MAX_CONTEST_SELECTIONS) {
    throw new RangeError(`a contest has 1 to ${MAX_CONTEST_SELECTIONS} selections`);
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_RANGE_BOUND) {
    throw new RangeError(`the limit must be an integer in [1, ${MAX_RANGE_BOUND}], got ${limit}`);
  }
  let marks = 0;
  for (const v of votes) {
    if (v !== 0 && v !== 1) throw new RangeError('every vote must be 0 or 1');
    marks += v;
  }
  if (marks > limit) throw new RangeError('the votes exceed the selection limit');

  // Three phases, so that every element the ballot publishes — each α and β,
  // each commitment, the limit statement's sum — is computed as a half h and
  // comes out of ONE batch double-and-encode (2·h and its encoding cost a
  // shared inversion instead of one inverse square root per element). The
  // randomness is drawn in the order of docs/spec.md §8.1: per selection its
  // nonce then its proof's scalars, then the limit proof's.
  const nonces: Scalar[] = [];
  const phases: RangeCommitmentPhase[] = [];
  const halves: GroupElement[] = [];
  let nonceSum = Scalar.ZERO;
  let alphaHalfSum = GroupElement.IDENTITY;
  let betaHalfSum = GroupElement.IDENTITY;
  votes.forEach((vote) => {
    const nonce = Scalar.random(rng);
    // (α/2, β/2) = ((r/2)·G, (r/2)·K + m·(G/2)), constant-time in r and m.
    const nonceHalf = nonce.multiply(INVERSE_OF_TWO);
    const alphaHalf = GroupElement.multiplyGenerator(nonceHalf);
    const betaHalf = publicKey
      .multiply(nonceHalf)
      .add(HALF_GENERATOR.multiplyBelow(Scalar.fromInt(vote), VOTE_BITS));
    const phase = commitRangeTagged(publicKey, vote, nonce, SELECTION_BOUND, rng);
    halves.push(alphaHalf, betaHalf, ...phase.halves);
    phases.push(phase);
    nonces.push(nonce);
    nonceSum = nonceSum.add(nonce);
    alphaHalfSum = alphaHalfSum.add(alphaHalf);
    betaHalfSum = betaHalfSum.add(betaHalf);
  });
  const limitPhase = commitRangeTagged(publicKey, marks, nonceSum, limit, rng);
  halves.push(alphaHalfSum, betaHalfSum, ...limitPhase.halves);

  const doubled = GroupElement.doubleMany(halves);

  const perSelection = 2 + phases[0]!.halves.length;
  const selections: EncryptedSelection[] = phases.map((phase, i) => {
    const at = perSelection * i;
    const ciphertext = { alpha: doubled[at]!, beta: doubled[at + 1]! };
    const proof = respondRangeTagged(
      TAG.SELECTION_CHALLENGE,
      deriveSelectionContext(context, i),
      publicKey,
      ciphertext,
      SELECTION_BOUND,
      phase,
      doubled.slice(at + 2, at + perSelection),
    );
    return { ciphertext, proof };
  });
  const at = perSelection * phases.length;
  // The sum of the selections' ciphertexts (the limit proof's statement).
  const total = { alpha: doubled[at]!, beta: doubled[at + 1]! };
  const limitProof = respondRangeTagged(
    TAG.RANGE_CHALLENGE,
    deriveLimitContext(context),
    publicKey,
    total,
    limit,
    limitPhase,
    doubled.slice(at + 2),
  );
  return { contest: { selections, limitProof }, nonces };
}

/**
 * Returns the equations of every selection proof and of the limit proof (the
 * sum is recomputed from the selections), or the first error that stops
 * verification early, located as `${where}.selections[i]` or `${where}.limitProof`.
 */
export function contestChecks(
  context: ProofContext,
  publicKey: GroupElement,
  contest: EncryptedContest,
  limit: number,
  where = 'contest',
): Result<readonly LinearCheck[], CryptoError> {
  const n = contest.selections.length;
  if (n < 1 || n > MAX_CONTEST_SELECTIONS) {
    return err(
      cryptoError(
        'PROOF_SHAPE_MISMATCH',
        `${where}.selections`,
        `a contest has 1 to ${MAX_CONTEST_SELECTIONS} selections, got ${n}`,
      ),
    );
  }
  const checks: LinearCheck[] = [];
  for (let i = 0; i < n; i++) {
    const s = contest.selections[i]!;
    const r = selectionChecks(
      deriveSelectionContext(context, i),
      publicKey,
      s.ciphertext,
      s.proof,
      `${where}.selections[${i}]`,
    );
    if (!r.ok) return r;
    checks.push(...r.value);
  }
  const total = sumCiphertexts(contest.selections.map((s) => s.ciphertext));
  const r = rangeChecks(
    deriveLimitContext(context),
    publicKey,
    total,
    limit,
    contest.limitProof,
    `${where}.limitProof`,
  );
  if (!r.ok) return r;
  checks.push(...r.value);
  return ok(checks);
}

/** Verifies one encrypted contest: every selection proof and the limit proof. */
export function verifyContest(
  context: ProofContext,
  publicKey: GroupElement,
  contest: EncryptedContest,
  limit: number,
  where = 'contest',
): Result<true, CryptoError> {
  return verifyLinearChecks(
    contestChecks(context, publicKey, contest, limit, where),
    'a contest proof equation does not hold',
  );
}

/**
 * Verifies many contests in one combined MSM (one batch item per contest,
 * located as `contest[k]`); on failure each contest is re-checked on its own
 * and the failing equation's path names the selection or the limit proof.
 */
export function batchVerifyContests(items: readonly ContestItem[]): BatchOutcome {
  return verifyBatch(items, (item, k) =>
    contestChecks(item.context, item.publicKey, item.contest, item.limit, `contest[${k}]`),
  );
}

/** The JSON form of an encrypted contest. */
export function encodeEncryptedContest(contest: EncryptedContest): EncryptedContestJson {
  return {
    selections: contest.selections.map((s) => ({
      ciphertext: encodeCiphertext(s.ciphertext),
      proof: encodeSelectionProof(s.proof),
    })),
    limitProof: encodeRangeProof(contest.limitProof),
  };
}

const ContestJsonSchema = z
  .object({ selections: z.array(z.unknown()), limitProof: z.unknown() })
  .strict();
const SelectionJsonSchema = z.object({ ciphertext: z.unknown(), proof: z.unknown() }).strict();

/**
 * The outer shape of a contest's JSON (both decoders): `{selections,
 * limitProof}`, with 1 to MAX_CONTEST_SELECTIONS selections (counted before
 * any is decoded: PROOF_SHAPE_MISMATCH).
 */
function parseContestShape(
  json: unknown,
  where: string,
): Result<{ selections: unknown[]; limitProof: unknown }, CryptoError> {
  const parsed = parseShape(
    ContestJsonSchema,
    json,
    where,
    'expected {"selections": […], "limitProof": {…}}',
  );
  if (!parsed.ok) return parsed;
  const n = parsed.value.selections.length;
  if (n < 1 || n > MAX_CONTEST_SELECTIONS) {
    return err(
      cryptoError(
        'PROOF_SHAPE_MISMATCH',
        `${where}.selections`,
        `a contest has 1 to ${MAX_CONTEST_SELECTIONS} selections, got ${n}`,
      ),
    );
  }
  return parsed;
}

/** A plain JSON object with exactly these keys (own, enumerable). */
function hasExactKeys<K extends string>(
  value: unknown,
  ...keys: K[]
): value is Record<K, Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(value, k));
}

/**
 * Decodes only the selection ciphertexts of an encrypted contest (untrusted
 * JSON), in one batch decode, without its proofs: for a verifier that sums
 * ciphertexts in one thread while other threads decode and verify the proofs
 * (`decodeEncryptedContest` there). The shape checks are those of
 * `decodeEncryptedContest` up to the ciphertexts, with the same codes and
 * places; the proofs are left unparsed, so a contest this accepts may still
 * fail `decodeEncryptedContest`. Components may be the identity (the caller
 * applies its own rule, as with `decodeCiphertext`).
 */
export function decodeContestCiphertexts(
  json: unknown,
  where = 'contest',
): Result<Ciphertext[], CryptoError> {
  const parsed = parseContestShape(json, where);
  if (!parsed.ok) return parsed;
  const n = parsed.value.selections.length;
  const encodings: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const w = `${where}.selections[${i}]`;
    const selection = parsed.value.selections[i];
    // Fast path (a verifier decodes millions): a selection of exactly the
    // expected shape needs no schema; anything else goes through the schemas,
    // which then report exactly what the full decoder would.
    let alpha: unknown;
    let beta: unknown;
    if (
      hasExactKeys(selection, 'ciphertext', 'proof') &&
      hasExactKeys(selection['ciphertext'], 'alpha', 'beta') &&
      typeof selection['ciphertext']['alpha'] === 'string' &&
      typeof selection['ciphertext']['beta'] === 'string'
    ) {
      alpha = selection['ciphertext']['alpha'];
      beta = selection['ciphertext']['beta'];
    } else {
      const s = parseShape(
        SelectionJsonSchema,
        selection,
        w,
        'expected {"ciphertext": {…}, "proof": {…}}',
      );
      if (!s.ok) return s;
      const c = parseShape(
        CiphertextJsonSchema,
        s.value.ciphertext,
        `${w}.ciphertext`,
        'expected {"alpha": hex, "beta": hex}',
      );
      if (!c.ok) return c;
      alpha = c.value.alpha;
      beta = c.value.beta;
    }
    for (const [part, hex] of [
      ['alpha', alpha],
      ['beta', beta],
    ] as const) {
      const bytes = decodeHex(hex, `${w}.ciphertext.${part}`, ELEMENT_LENGTH);
      if (!bytes.ok) return bytes;
      encodings.push(bytes.value);
    }
  }
  const elements = GroupElement.decodeMany(
    encodings,
    (k) => `${where}.selections[${k >> 1}].ciphertext.${k & 1 ? 'beta' : 'alpha'}`,
    { allowIdentity: true },
  );
  if (!elements.ok) return elements;
  const out: Ciphertext[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ alpha: elements.value[2 * i]!, beta: elements.value[2 * i + 1]! });
  }
  return ok(out);
}

/**
 * Parses an encrypted contest from untrusted JSON, validating every encoding.
 * The number of selections is checked (1 to MAX_CONTEST_SELECTIONS →
 * PROOF_SHAPE_MISMATCH) before any of them is decoded.
 */
export function decodeEncryptedContest(
  json: unknown,
  where = 'contest',
): Result<EncryptedContest, CryptoError> {
  const parsed = parseContestShape(json, where);
  if (!parsed.ok) return parsed;
  const n = parsed.value.selections.length;
  const selections: EncryptedSelection[] = [];
  for (let i = 0; i < n; i++) {
    const w = `${where}.selections[${i}]`;
    const s = parseShape(
      SelectionJsonSchema,
      parsed.value.selections[i],
      w,
      'expected {"ciphertext": {…}, "proof": {…}}',
    );
    if (!s.ok) return s;
    const ciphertext = decodeCiphertext(s.value.ciphertext, `${w}.ciphertext`);
    if (!ciphertext.ok) return ciphertext;
    const proof = decodeSelectionProof(s.value.proof, `${w}.proof`);
    if (!proof.ok) return proof;
    selections.push({ ciphertext: ciphertext.value, proof: proof.value });
  }
  const limitProof = decodeRangeProof(parsed.value.limitProof, `${where}.limitProof`);
  if (!limitProof.ok) return limitProof;
  return ok({ selections, limitProof: limitProof.value });
}
