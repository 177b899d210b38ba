/**
 * The ballot rows of the benchmark (docs/performance.md, "Ballot"): the 2024
 * Venezuelan presidential ballot is one contest of 38 party cards with limit 1
 * (BRIEF "Scale to design for"), so a voting device produces 38 encrypted
 * selections with a 0/1 proof each (docs/spec.md §5.3) and one limit proof
 * (§5.4, §5.5). The rows time producing such a ballot and verifying it three
 * ways: one proof at a time, batched within the ballot, and batched across
 * ballots — the last is what a verifier of a whole bulletin board does.
 * Producing a ballot is timed with the system RNG, as a voting device runs it;
 * the inputs of the verification rows come from the seeded generator.
 */
import {
  batchVerifyContests,
  batchVerifySelection,
  deriveLimitContext,
  deriveSelectionContext,
  encryptContest,
  generateElGamalKeyPair,
  sumCiphertexts,
  verifyContest,
  verifyRange,
  verifySelection,
  type ContestItem,
  type EncryptedContest,
  type GroupElement,
  type ProofContext,
  type Rng,
  type SelectionItem,
} from '@acta/crypto';
import { BALLOT_BATCH, VE2024_CARDS } from './figures.js';
import { cycle, type BenchRow } from './row.js';

/** The selection limit of the presidential contest: one card. */
const LIMIT = 1;

/** A one-of-38 vote marking card `card` (0-based, ballot order). */
function markCard(card: number): number[] {
  return Array.from({ length: VE2024_CARDS }, (_, i) => (i === card ? 1 : 0));
}

/**
 * Verifies a contest the slow way: every selection proof, then the limit
 * proof on the recomputed sum, each with its own equations. Returns whether
 * all of them hold.
 */
export function verifyContestOneByOne(
  context: ProofContext,
  publicKey: GroupElement,
  contest: EncryptedContest,
  limit: number,
): boolean {
  let allOk = true;
  contest.selections.forEach((s, i) => {
    const r = verifySelection(deriveSelectionContext(context, i), publicKey, s.ciphertext, s.proof);
    allOk &&= r.ok;
  });
  const total = sumCiphertexts(contest.selections.map((s) => s.ciphertext));
  const r = verifyRange(deriveLimitContext(context), publicKey, total, limit, contest.limitProof);
  return allOk && r.ok;
}

function contextOfBallot(context: ProofContext, ballot: number): ProofContext {
  return {
    electionHash: context.electionHash,
    label: [...(context.label ?? []), 'ballot', ballot],
  };
}

/** Builds the ballot rows: encrypts BALLOT_BATCH ballots under a fresh precomputed election key. */
export function buildBallotRows(rng: Rng, context: ProofContext): BenchRow[] {
  // One key instance shared by every item, so batches merge its terms.
  const publicKey = generateElGamalKeyPair(rng).publicKey.precompute();
  const items: ContestItem[] = Array.from({ length: BALLOT_BATCH }, (_, b) => {
    const ballotContext = contextOfBallot(context, b);
    const { contest } = encryptContest(
      ballotContext,
      publicKey,
      markCard((b * 7) % VE2024_CARDS),
      LIMIT,
      rng,
    );
    return { context: ballotContext, publicKey, contest, limit: LIMIT };
  });
  const selectionItems: SelectionItem[] = items.flatMap((item) =>
    item.contest.selections.map((s, i) => ({
      context: deriveSelectionContext(item.context, i),
      publicKey,
      ciphertext: s.ciphertext,
      proof: s.proof,
    })),
  );
  // The batches vouch for every ballot; the first one is also checked through
  // the single-ballot paths, which derive the proof contexts themselves.
  const first = items[0];
  if (
    first === undefined ||
    !verifyContestOneByOne(first.context, publicKey, first.contest, LIMIT) ||
    !verifyContest(first.context, publicKey, first.contest, LIMIT).ok
  ) {
    throw new Error('benchmark setup: a ballot did not verify on its own');
  }
  if (!batchVerifyContests(items).ok || !batchVerifySelection(selectionItems).ok) {
    throw new Error('benchmark setup: a batch of ballots did not verify');
  }

  let ballot = 0;
  const item = cycle(items);
  const selection = cycle(selectionItems);
  return [
    {
      // The system RNG (no rng argument), as a voting device encrypts: the
      // seeded generator would add a SHA-512 per scalar drawn.
      key: 'ballot38_encrypt_prove_ms',
      opsPerCall: 1,
      fn: () =>
        encryptContest(
          contextOfBallot(context, BALLOT_BATCH + ballot),
          publicKey,
          markCard(ballot++ % VE2024_CARDS),
          LIMIT,
        ),
    },
    {
      key: 'ballot38_verify_one_by_one_ms',
      opsPerCall: 1,
      fn: () => {
        const it = item();
        return verifyContestOneByOne(it.context, publicKey, it.contest, LIMIT);
      },
    },
    {
      key: 'ballot38_verify_contest_ms',
      opsPerCall: 1,
      fn: () => {
        const it = item();
        return verifyContest(it.context, publicKey, it.contest, LIMIT);
      },
    },
    {
      key: 'ballot38_batch10_ms_per_ballot',
      opsPerCall: BALLOT_BATCH,
      fn: () => batchVerifyContests(items),
    },
    {
      key: 'selection_verify_us',
      opsPerCall: 1,
      fn: () => {
        const s = selection();
        return verifySelection(s.context, s.publicKey, s.ciphertext, s.proof);
      },
    },
    {
      key: 'selection_batch380_us_per_proof',
      opsPerCall: selectionItems.length,
      fn: () => batchVerifySelection(selectionItems),
    },
  ];
}
