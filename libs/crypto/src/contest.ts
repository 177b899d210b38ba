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
  decodeCiphertext,
  encodeCiphertext,
  encrypt,
  sumCiphertexts,
  type Ciphertext,
  type CiphertextJson,
} from './elgamal.js';
import { parseShape } from './json.js';
import { cryptoError, type CryptoError } from './errors.js';
import { type GroupElement, Scalar } from './group.js';
import type { ProofContext } from './proof-context.js';
import {
  MAX_RANGE_BOUND,
  decodeRangeProof,
  encodeRangeProof,
  proveRange,
  rangeChecks,
  type RangeProof,
  type RangeProofJson,
} from './range-proof.js';
import { err, ok, type Result } from './result.js';
import { defaultRng, type Rng } from './rng.js';
import {
  decodeSelectionProof,
  encodeSelectionProof,
  proveSelection,
  selectionChecks,
  type SelectionProof,
  type SelectionProofJson,
} from './selection-proof.js';

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

  const selections: EncryptedSelection[] = [];
  const nonces: Scalar[] = [];
  votes.forEach((vote, i) => {
    const nonce = Scalar.random(rng);
    const ciphertext = encrypt(publicKey, Scalar.fromInt(vote), nonce);
    const proof = proveSelection(
      deriveSelectionContext(context, i),
      publicKey,
      ciphertext,
      vote,
      nonce,
      rng,
    );
    selections.push({ ciphertext, proof });
    nonces.push(nonce);
  });
  let nonceSum = Scalar.ZERO;
  for (const r of nonces) nonceSum = nonceSum.add(r);
  const total = sumCiphertexts(selections.map((s) => s.ciphertext));
  const limitProof = proveRange(
    deriveLimitContext(context),
    publicKey,
    total,
    marks,
    nonceSum,
    limit,
    rng,
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
 * Parses an encrypted contest from untrusted JSON, validating every encoding.
 * The number of selections is checked (1 to MAX_CONTEST_SELECTIONS →
 * PROOF_SHAPE_MISMATCH) before any of them is decoded.
 */
export function decodeEncryptedContest(
  json: unknown,
  where = 'contest',
): Result<EncryptedContest, CryptoError> {
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
