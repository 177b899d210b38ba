/**
 * Range proof (docs/spec.md §5.4): proves that an exponential ElGamal
 * ciphertext (α, β) = (r·G, m·G + r·K) encrypts an integer m in [0, L]
 * without revealing m. It is the OR-composition of Cramer, Damgård and
 * Schoenmakers ("Proofs of partial knowledge and simplified design of witness
 * hiding protocols", CRYPTO 1994) of L+1 Chaum-Pedersen branches, as in the
 * range proofs of ElectionGuard 2.x §3.3.5. Branch j states that
 * (α, β − j·G) encrypts 0, i.e. log_G(α) = log_K(β − j·G):
 *
 *   real branch m:       u ← random, A_m = u·G, B_m = u·K
 *   simulated branch j:  c_j, z_j ← random,
 *                        A_j = z_j·G − c_j·α, B_j = z_j·K − c_j·(β − j·G)
 *   challenge  c = H(tag, [electionHash, label, K, α, β, L, [A_0, B_0, …, A_L, B_L]])
 *   real       c_m = c − Σ_{j≠m} c_j, z_m = u + c_m·r
 *   verifier:  Σ c_j = c, and for every j
 *              z_j·G = A_j + c_j·α and z_j·K = B_j + c_j·(β − j·G)
 *
 * Unlike ElectionGuard the proof carries the commitments (A_j, B_j) rather
 * than only the challenges, so that its 2(L+1) equations go into one batch MSM
 * with every other proof of a ballot or a whole board.
 *
 * The core is parameterised by the domain-separation tag: the 0/1 selection
 * proof (spec §5.3, selection-proof.ts) is this proof with L = 1 under its own
 * tag, so that a selection proof can never be replayed as a range proof or the
 * other way round.
 */
import { z } from 'zod';
import { verifyBatch, verifyLinearChecks, type BatchOutcome, type LinearCheck } from './batch.js';
import type { Ciphertext } from './elgamal.js';
import { parseShape } from './json.js';
import { cryptoError, type CryptoError } from './errors.js';
import { GroupElement, Scalar } from './group.js';
import { hashToScalar } from './hash.js';
import { checkProofContext, contextHashParts, type ProofContext } from './proof-context.js';
import { err, ok, type Result } from './result.js';
import { defaultRng, type Rng } from './rng.js';
import { TAG } from './tags.js';

/**
 * The largest bound L a verifier accepts. A proof has L+1 branches and costs
 * the verifier 2(L+1) equations, so hostile input must not choose L freely;
 * no contest limit in Acta's design comes near this.
 */
export const MAX_RANGE_BOUND = 1000;

/** The tags under which the disjunctive core runs (range and 0/1 selection proofs). */
export type RangeProofTag = typeof TAG.RANGE_CHALLENGE | typeof TAG.SELECTION_CHALLENGE;

/** The commitments (A_j, B_j) of one branch. */
export interface RangeCommitment {
  readonly a: GroupElement;
  readonly b: GroupElement;
}

/** A range proof: L+1 commitments, challenges and responses, branch j at index j. */
export interface RangeProof {
  readonly commitments: readonly RangeCommitment[];
  readonly challenges: readonly Scalar[];
  readonly responses: readonly Scalar[];
}

/** The JSON form of a range proof (hex encodings). */
export interface RangeProofJson {
  readonly commitments: readonly { readonly a: string; readonly b: string }[];
  readonly challenges: readonly string[];
  readonly responses: readonly string[];
}

/** One item of a range-proof batch. */
export interface RangeItem {
  readonly context: ProofContext;
  readonly publicKey: GroupElement;
  readonly ciphertext: Ciphertext;
  readonly bound: number;
  readonly proof: RangeProof;
}

function isValidBound(bound: number): boolean {
  return Number.isSafeInteger(bound) && bound >= 1 && bound <= MAX_RANGE_BOUND;
}

function rangeChallenge(
  tag: RangeProofTag,
  context: ProofContext,
  publicKey: GroupElement,
  ciphertext: Ciphertext,
  bound: number,
  commitments: readonly RangeCommitment[],
): Scalar {
  return hashToScalar(tag, [
    ...contextHashParts(context),
    publicKey,
    ciphertext.alpha,
    ciphertext.beta,
    bound,
    commitments.flatMap((c) => [c.a, c.b]),
  ]);
}

/**
 * The disjunctive core under `tag`: proves that `ciphertext` = Enc(value; nonce)
 * under `publicKey` with 0 ≤ value ≤ bound. A bound outside [1,
 * MAX_RANGE_BOUND] or a value outside [0, bound] is a bug (RangeError, whose
 * message never states the secret value). The ciphertext must really encrypt
 * `value` with `nonce`; otherwise the proof simply does not verify.
 *
 * The prover knows r and m, so it computes the simulator's commitments with
 * the fixed bases G and K only (fixed-base tables; precompute() the key),
 * instead of variable-base multiplications of α and β − j·G, which are about
 * three times slower. The values are those of the formulas above whenever
 * (α, β) = Enc(m; r):
 *   A_j = z_j·G − c_j·α          = t_j·G                  with t_j = z_j − c_j·r
 *   B_j = z_j·K − c_j·(β − j·G)  = t_j·K + (c_j·(j − m))·G
 * Every branch does the same work: two random scalars and three constant-time
 * multiplications. The real branch runs these formulas with its simulated
 * challenge forced to 0 (A_m = u·G, B_m = u·K), and it is selected by
 * multiplying with a 0/1 scalar rather than by branching, so the position of
 * the real branch, i.e. the vote, does not show in which or how many group
 * operations run. (BigInt scalar arithmetic is not strictly constant-time;
 * the group operations dominate by far.)
 *
 * Randomness is drawn in a fixed order (docs/spec.md §8.1): for j = 0…L, first
 * z_j (u on the real branch), then c_j (discarded on the real branch).
 */
export function proveRangeTagged(
  tag: RangeProofTag,
  context: ProofContext,
  publicKey: GroupElement,
  ciphertext: Ciphertext,
  value: number,
  nonce: Scalar,
  bound: number,
  rng: Rng = defaultRng,
): RangeProof {
  const commitment = commitRangeTagged(publicKey, value, nonce, bound, rng);
  const doubled = GroupElement.doubleMany(commitment.halves);
  return respondRangeTagged(tag, context, publicKey, ciphertext, bound, commitment, doubled);
}

/**
 * @internal The prover between its two moves: the secret scalars it drew and
 * the halves of its commitments (A_j/2, B_j/2 for j = 0…L, interleaved).
 */
export interface RangeCommitmentPhase {
  readonly halves: readonly GroupElement[];
  readonly nonce: Scalar;
  readonly initial: readonly Scalar[];
  readonly simulated: readonly Scalar[];
  readonly isReal: readonly Scalar[];
  readonly simulatedSum: Scalar;
}

/**
 * @internal The prover's first move (see proveRangeTagged): draws the
 * randomness and computes the halves of the commitments. A caller proving
 * many statements doubles and encodes all their halves in one batch
 * (contest.ts) and then calls respondRangeTagged for each.
 */
export function commitRangeTagged(
  publicKey: GroupElement,
  value: number,
  nonce: Scalar,
  bound: number,
  rng: Rng,
): RangeCommitmentPhase {
  if (!isValidBound(bound)) {
    throw new RangeError(`the bound must be an integer in [1, ${MAX_RANGE_BOUND}], got ${bound}`);
  }
  if (!Number.isSafeInteger(value) || value < 0 || value > bound) {
    // The value is a secret (a vote): say what is wrong, never what it is.
    throw new RangeError(`the proven value is not an integer in [0, ${bound}]`);
  }
  const branches = bound + 1;
  const m = Scalar.fromInt(value);
  const initial: Scalar[] = [];
  const simulated: Scalar[] = [];
  const isReal: Scalar[] = [];
  const halves: GroupElement[] = [];
  let simulatedSum = Scalar.ZERO;
  for (let j = 0; j < branches; j++) {
    const zj = Scalar.random(rng);
    const realBit = Scalar.fromInt(Number(j === value));
    // 0 on the real branch, a uniformly random challenge elsewhere.
    const cj = Scalar.random(rng).multiply(Scalar.ONE.subtract(realBit));
    const tj = zj.subtract(cj.multiply(nonce));
    const dj = cj.multiply(Scalar.fromInt(j).subtract(m));
    // Halves: A_j = 2·((t_j/2)·G) and B_j = 2·((t_j/2)·K + (d_j/2)·G), so
    // that all commitments and their encodings come out of one batch
    // double-and-encode (the same points, computed more cheaply).
    const tHalf = tj.multiply(INVERSE_OF_TWO);
    halves.push(GroupElement.multiplyGenerator(tHalf));
    halves.push(
      publicKey.multiply(tHalf).add(GroupElement.multiplyGenerator(dj.multiply(INVERSE_OF_TWO))),
    );
    initial.push(zj);
    simulated.push(cj);
    isReal.push(realBit);
    simulatedSum = simulatedSum.add(cj);
  }
  return { halves, nonce, initial, simulated, isReal, simulatedSum };
}

/**
 * @internal The prover's second move: `doubled` holds 2·h for the commitment
 * phase's halves h (GroupElement.doubleMany), i.e. the commitments A_j, B_j.
 */
export function respondRangeTagged(
  tag: RangeProofTag,
  context: ProofContext,
  publicKey: GroupElement,
  ciphertext: Ciphertext,
  bound: number,
  phase: RangeCommitmentPhase,
  doubled: readonly GroupElement[],
): RangeProof {
  const branches = bound + 1;
  if (phase.halves.length !== 2 * branches || doubled.length !== 2 * branches) {
    throw new RangeError('the commitment phase does not match the bound');
  }
  const commitments: RangeCommitment[] = [];
  for (let j = 0; j < branches; j++) {
    commitments.push({ a: doubled[2 * j]!, b: doubled[2 * j + 1]! });
  }
  const c = rangeChallenge(tag, context, publicKey, ciphertext, bound, commitments);
  const realChallenge = c.subtract(phase.simulatedSum);
  const challenges: Scalar[] = [];
  const responses: Scalar[] = [];
  for (let j = 0; j < branches; j++) {
    const bit = phase.isReal[j]!;
    const cj = phase.simulated[j]!.add(realChallenge.multiply(bit));
    challenges.push(cj);
    // z_j on simulated branches; u + c_m·r on the real one.
    responses.push(phase.initial[j]!.add(cj.multiply(phase.nonce).multiply(bit)));
  }
  return { commitments, challenges, responses };
}

/**
 * The disjunctive core's verifier under `tag`: checks the shape and the
 * challenge sum, and returns the 2(L+1) equations
 *   z_j·G − A_j − c_j·α = 0   and   z_j·K − B_j − c_j·β + (c_j·j)·G = 0.
 * The caller's `publicKey` object and `GroupElement.GENERATOR` appear by
 * reference, so a batch merges them across proofs.
 */
export function rangeChecksTagged(
  tag: RangeProofTag,
  context: ProofContext,
  publicKey: GroupElement,
  ciphertext: Ciphertext,
  bound: number,
  proof: RangeProof,
  where: string,
): Result<readonly LinearCheck[], CryptoError> {
  const ctx = checkProofContext(context, where);
  if (!ctx.ok) return ctx;
  if (!isValidBound(bound)) {
    return err(
      cryptoError(
        'PROOF_SHAPE_MISMATCH',
        `${where}.bound`,
        `the bound must be an integer in [1, ${MAX_RANGE_BOUND}]`,
      ),
    );
  }
  const branches = bound + 1;
  if (
    proof.commitments.length !== branches ||
    proof.challenges.length !== branches ||
    proof.responses.length !== branches
  ) {
    return err(
      cryptoError(
        'PROOF_SHAPE_MISMATCH',
        where,
        `a proof for the bound ${bound} has ${branches} commitments, challenges and responses`,
      ),
    );
  }
  if (publicKey.isIdentity()) {
    return err(
      cryptoError('IDENTITY_ELEMENT', `${where}.publicKey`, 'the public key is the identity'),
    );
  }
  const expected = rangeChallenge(tag, context, publicKey, ciphertext, bound, proof.commitments);
  let sum = Scalar.ZERO;
  for (const cj of proof.challenges) sum = sum.add(cj);
  if (!sum.equals(expected)) {
    return err(
      cryptoError(
        'PROOF_CHALLENGE_MISMATCH',
        `${where}.challenges`,
        'the challenges do not sum to the hash of the statement and commitments',
      ),
    );
  }
  const minusOne = Scalar.ONE.negate();
  const checks: LinearCheck[] = [];
  for (let j = 0; j < branches; j++) {
    const { a, b } = proof.commitments[j]!;
    const cj = proof.challenges[j]!;
    const zj = proof.responses[j]!;
    const minusC = cj.negate();
    checks.push(
      {
        where: `${where}.branch[${j}][G]`,
        terms: [
          [zj, GroupElement.GENERATOR],
          [minusOne, a],
          [minusC, ciphertext.alpha],
        ],
      },
      {
        where: `${where}.branch[${j}][K]`,
        terms: [
          [zj, publicKey],
          [minusOne, b],
          [minusC, ciphertext.beta],
          [cj.multiply(Scalar.fromInt(j)), GroupElement.GENERATOR],
        ],
      },
    );
  }
  return ok(checks);
}

/** @internal 1/2 mod L (the prover computes halves of its commitments). */
export const INVERSE_OF_TWO: Scalar = Scalar.fromInt(2).invert();

/** Proves that `ciphertext` = Enc(value; nonce) with 0 ≤ value ≤ bound. */
export function proveRange(
  context: ProofContext,
  publicKey: GroupElement,
  ciphertext: Ciphertext,
  value: number,
  nonce: Scalar,
  bound: number,
  rng: Rng = defaultRng,
): RangeProof {
  return proveRangeTagged(
    TAG.RANGE_CHALLENGE,
    context,
    publicKey,
    ciphertext,
    value,
    nonce,
    bound,
    rng,
  );
}

/** Recomputes the challenge and returns the proof's 2(L+1) verification equations. */
export function rangeChecks(
  context: ProofContext,
  publicKey: GroupElement,
  ciphertext: Ciphertext,
  bound: number,
  proof: RangeProof,
  where = 'range',
): Result<readonly LinearCheck[], CryptoError> {
  return rangeChecksTagged(
    TAG.RANGE_CHALLENGE,
    context,
    publicKey,
    ciphertext,
    bound,
    proof,
    where,
  );
}

/** Verifies one range proof. */
export function verifyRange(
  context: ProofContext,
  publicKey: GroupElement,
  ciphertext: Ciphertext,
  bound: number,
  proof: RangeProof,
  where = 'range',
): Result<true, CryptoError> {
  return verifyLinearChecks(
    rangeChecks(context, publicKey, ciphertext, bound, proof, where),
    'a range proof equation does not hold',
  );
}

/** Verifies many range proofs with one MSM, locating failures on fallback. */
export function batchVerifyRange(items: readonly RangeItem[]): BatchOutcome {
  return verifyBatch(items, (item, i) =>
    rangeChecks(
      item.context,
      item.publicKey,
      item.ciphertext,
      item.bound,
      item.proof,
      `range[${i}]`,
    ),
  );
}

/** The JSON form of a proof. */
export function encodeRangeProof(proof: RangeProof): RangeProofJson {
  return {
    commitments: proof.commitments.map((c) => ({ a: c.a.toHex(), b: c.b.toHex() })),
    challenges: proof.challenges.map((c) => c.toHex()),
    responses: proof.responses.map((z) => z.toHex()),
  };
}

// Arrays are checked for length before any entry is decoded; JSON.parse has
// already paid for their size, the group decoding is what must be bounded.
const RangeProofJsonSchema = z
  .object({
    commitments: z.array(z.unknown()),
    challenges: z.array(z.unknown()),
    responses: z.array(z.unknown()),
  })
  .strict();

const CommitmentJsonSchema = z.object({ a: z.string(), b: z.string() }).strict();

/**
 * The disjunctive core's decoder: parses a proof from untrusted JSON. The
 * three arrays must have the same length, `branches` if given (2 for a 0/1
 * proof), otherwise between 2 and MAX_RANGE_BOUND + 1 (→ PROOF_SHAPE_MISMATCH);
 * commitments must be canonical non-identity elements and challenges and
 * responses canonical scalars.
 */
export function decodeRangeProofBranches(
  json: unknown,
  where: string,
  branches?: number,
): Result<RangeProof, CryptoError> {
  const parsed = parseShape(
    RangeProofJsonSchema,
    json,
    where,
    'expected {"commitments": [{"a", "b"}…], "challenges": […], "responses": […]}',
  );
  if (!parsed.ok) return parsed;
  const { commitments, challenges, responses } = parsed.value;
  const n = commitments.length;
  if (challenges.length !== n || responses.length !== n) {
    return err(
      cryptoError(
        'PROOF_SHAPE_MISMATCH',
        where,
        'commitments, challenges and responses must have the same length',
      ),
    );
  }
  if (branches !== undefined ? n !== branches : n < 2 || n > MAX_RANGE_BOUND + 1) {
    return err(
      cryptoError(
        'PROOF_SHAPE_MISMATCH',
        where,
        branches !== undefined
          ? `expected ${branches} branches, got ${n}`
          : `expected 2 to ${MAX_RANGE_BOUND + 1} branches, got ${n}`,
      ),
    );
  }
  const outCommitments: RangeCommitment[] = [];
  for (let j = 0; j < n; j++) {
    const w = `${where}.commitments[${j}]`;
    const c = parseShape(CommitmentJsonSchema, commitments[j], w, 'expected {"a": hex, "b": hex}');
    if (!c.ok) return c;
    const a = GroupElement.decodeHex(c.value.a, `${w}.a`);
    if (!a.ok) return a;
    const b = GroupElement.decodeHex(c.value.b, `${w}.b`);
    if (!b.ok) return b;
    outCommitments.push({ a: a.value, b: b.value });
  }
  const outChallenges: Scalar[] = [];
  for (let j = 0; j < n; j++) {
    const c = Scalar.decodeHex(challenges[j], `${where}.challenges[${j}]`);
    if (!c.ok) return c;
    outChallenges.push(c.value);
  }
  const outResponses: Scalar[] = [];
  for (let j = 0; j < n; j++) {
    const r = Scalar.decodeHex(responses[j], `${where}.responses[${j}]`);
    if (!r.ok) return r;
    outResponses.push(r.value);
  }
  return ok({ commitments: outCommitments, challenges: outChallenges, responses: outResponses });
}

/**
 * Parses a range proof from untrusted JSON, validating every encoding. The
 * bound is part of the statement, not of the proof: the verifier checks the
 * number of branches against it.
 */
export function decodeRangeProof(json: unknown, where = 'range'): Result<RangeProof, CryptoError> {
  return decodeRangeProofBranches(json, where);
}
