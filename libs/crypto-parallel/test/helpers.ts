// Shared inputs of the pool and codec tests: honest contests (one-of-5 and
// 2-of-4) under several keys and contexts, and ways to tamper with them.
import {
  GroupElement,
  Scalar,
  createSeededRng,
  encryptContest,
  generateElGamalKeyPair,
  hashToBytes,
  type ContestItem,
  type EncryptedContest,
  type ProofContext,
  type RangeProof,
} from '@acta/crypto';

export const ELECTION_HASH: Uint8Array = hashToBytes('ACTA_V1_TEST_ELECTION', ['parallel']);
export const OTHER_ELECTION_HASH: Uint8Array = hashToBytes('ACTA_V1_TEST_ELECTION', [
  'another election',
]);

const rng = createSeededRng('crypto-parallel-tests');

/** Three election keys: precomputed, plain, and a second plain one. */
export const KEYS: readonly GroupElement[] = [
  generateElGamalKeyPair(rng).publicKey.precompute(),
  generateElGamalKeyPair(rng).publicKey,
  generateElGamalKeyPair(rng).publicKey,
];

/** One context object shared by every fourth contest (the codec sends it once per chunk). */
const SHARED_CONTEXT: ProofContext = { electionHash: ELECTION_HASH, label: ['shared'] };

/**
 * The context of contest `i`: the shared one when i is a multiple of 4, else
 * its own (ballot i, with a label that mixes every part type).
 */
export function contextOf(i: number, electionHash: Uint8Array = ELECTION_HASH): ProofContext {
  if (i % 4 === 0) return { ...SHARED_CONTEXT, electionHash };
  return {
    electionHash,
    label: ['ballot', i, ['mesa', Uint8Array.of(i % 3, 7)], 'presidente'],
  };
}

/** Votes of contest i: one-of-5 (limit 1) for even i, 2-of-4 (limit 2) for odd i. */
function votesOf(i: number): { votes: number[]; limit: number } {
  if (i % 2 === 0) return { votes: [0, 1, 2, 3, 4].map((j) => Number(j === i % 5)), limit: 1 };
  // 2-of-4: two marks, one mark or a blank contest.
  const marks = i % 3;
  return { votes: [0, 1, 2, 3].map((j) => Number(j < marks)), limit: 2 };
}

/** An honest contest job under key i mod 3. */
export function makeHonestJob(i: number): ContestItem {
  const publicKey = KEYS[i % KEYS.length]!;
  const context = i % 4 === 0 ? SHARED_CONTEXT : contextOf(i);
  const { votes, limit } = votesOf(i);
  return {
    context,
    publicKey,
    contest: encryptContest(context, publicKey, votes, limit, rng).contest,
    limit,
  };
}

/** A few dozen honest jobs, made once. */
export const HONEST: readonly ContestItem[] = Array.from({ length: 30 }, (_, i) =>
  makeHonestJob(i),
);

/** An element different from e. */
export function bumpElement(e: GroupElement): GroupElement {
  return e.add(GroupElement.GENERATOR);
}

function withSelection(
  contest: EncryptedContest,
  index: number,
  change: (s: EncryptedContest['selections'][number]) => EncryptedContest['selections'][number],
): EncryptedContest {
  const selections = contest.selections.slice();
  selections[index] = change(selections[index]!);
  return { ...contest, selections };
}

/** Selection 1's ciphertext β changed. */
export function changeCiphertext(job: ContestItem): ContestItem {
  return {
    ...job,
    contest: withSelection(job.contest, 1, (s) => ({
      ...s,
      ciphertext: { ...s.ciphertext, beta: bumpElement(s.ciphertext.beta) },
    })),
  };
}

/** The proofs of selections 0 and 1 swapped. */
export function swapProofs(job: ContestItem): ContestItem {
  const [s0, s1] = [job.contest.selections[0]!, job.contest.selections[1]!];
  const selections = job.contest.selections.slice();
  selections[0] = { ...s0, proof: s1.proof };
  selections[1] = { ...s1, proof: s0.proof };
  return { ...job, contest: { ...job.contest, selections } };
}

/** The same votes encrypted and proven for another election, presented under this one. */
export function fromOtherElection(i: number): ContestItem {
  const publicKey = KEYS[i % KEYS.length]!;
  const { votes, limit } = votesOf(i);
  const other = contextOf(i, OTHER_ELECTION_HASH);
  return {
    context: i % 4 === 0 ? SHARED_CONTEXT : contextOf(i),
    publicKey,
    contest: encryptContest(other, publicKey, votes, limit, rng).contest,
    limit,
  };
}

function mapProof(proof: RangeProof, change: Partial<RangeProof>): RangeProof {
  return { ...proof, ...change };
}

/** A response of selection 2's proof changed: the challenge holds, an equation fails. */
export function changeResponse(job: ContestItem): ContestItem {
  return {
    ...job,
    contest: withSelection(job.contest, 2, (s) => ({
      ...s,
      proof: mapProof(s.proof, {
        responses: [s.proof.responses[0]!.add(Scalar.ONE), s.proof.responses[1]!],
      }),
    })),
  };
}

/** The limit proof's first commitment B replaced by the identity. */
export function identityCommitment(job: ContestItem): ContestItem {
  const lp = job.contest.limitProof;
  const commitments = lp.commitments.slice();
  commitments[0] = { a: commitments[0]!.a, b: GroupElement.IDENTITY };
  return { ...job, contest: { ...job.contest, limitProof: { ...lp, commitments } } };
}
