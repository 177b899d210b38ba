/**
 * `acta demo`: a complete simulated election at the cryptographic level, in
 * memory — key ceremony among n trustees, voters casting encrypted one-of-38
 * ballots with proofs, batch verification of every proof, per-mesa
 * homomorphic tallies, threshold decryption by any k present trustees with a
 * proof per decryption share, national totals as the sum of the mesas, and a
 * final check against the plaintext choices the simulation made.
 *
 * The bulletin board, registry, poll book and actas come with issue #4; this
 * module then becomes a driver of the real lifecycle.
 */
import {
  batchVerifyContests,
  batchVerifyDecryptionShares,
  computeJointKey,
  createDecryptionShare,
  createSeededRng,
  getCryptoBackend,
  decryptWithShares,
  encodeHex,
  encryptContest,
  hashToBytes,
  jointKeysEqual,
  runLocalCeremony,
  sumCiphertexts,
  type Ciphertext,
  type ContestItem,
  type DecryptionShare,
  type DecryptionShareItem,
  type ProofContext,
  type Rng,
} from '@acta/crypto';
import type { Progress } from './progress.js';
import { VE2024_CANDIDATES, VE2024_CARDS } from './ve2024-ballot.js';

/** Domain tag of the demo's stand-in for the election manifest hash. */
const DEMO_ELECTION_TAG = 'ACTA_V1_DEMO_ELECTION';

/** Parameters of a demo election. */
export interface DemoOptions {
  readonly voters: number;
  readonly mesas: number;
  readonly trustees: number;
  readonly quorum: number;
  readonly seed: string;
}

/** One mesa's decrypted result. */
export interface MesaResult {
  readonly mesa: string;
  readonly ballots: number;
  readonly cardVotes: readonly number[];
}

/** Everything the demo reports. */
export interface DemoReport {
  readonly options: DemoOptions;
  /** The crypto backend that ran the election (native kernel or noble). */
  readonly backend: string;
  readonly electionHash: string;
  readonly jointPublicKey: string;
  readonly presentTrustees: readonly number[];
  readonly absentTrustees: readonly number[];
  readonly mesas: readonly MesaResult[];
  readonly cardTotals: readonly { party: string; candidate: string; votes: number }[];
  readonly candidateTotals: readonly { code: string; name: string; votes: number }[];
  readonly blankBallots: number;
  readonly ballots: number;
  readonly checks: {
    readonly round1MessagesVerified: number;
    readonly jointKeyRecomputed: boolean;
    readonly selectionProofsVerified: number;
    readonly limitProofsVerified: number;
    readonly decryptionSharesVerified: number;
    readonly totalsMatchPlaintext: boolean;
  };
  readonly seconds: Record<string, number>;
}

/** A failure of the demo's own checks (a bug if it ever happens). */
export class DemoCheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoCheckFailed';
  }
}

// Voter preferences of the simulation: roughly the shape of the collected
// 2024 actas (González about two thirds, Maduro about 30%), with the first
// card of each candidate taking most of its votes, and a few blank ballots.
const CANDIDATE_WEIGHTS = [30, 0.6, 0.4, 0.3, 0.3, 0.2, 0.2, 67, 0.5, 0.5];
const BLANK_WEIGHT = 0.4;

function pickWeighted(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  const bytes = rng.randomBytes(6);
  const u = Buffer.from(bytes).readUIntBE(0, 6) / 2 ** 48;
  let x = u * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** The card a simulated voter marks, or -1 for a blank ballot. */
function simulateChoice(rng: Rng): number {
  const candidate = pickWeighted(rng, [...CANDIDATE_WEIGHTS, BLANK_WEIGHT]);
  if (candidate === CANDIDATE_WEIGHTS.length) return -1;
  const cards = VE2024_CARDS.filter((c) => c.candidate === candidate);
  const cardWeights = cards.map((_, i) => (i === 0 ? 10 : 1));
  return cards[pickWeighted(rng, cardWeights)]!.index;
}

function pickAbsent(rng: Rng, trustees: number, quorum: number): number[] {
  const indices = Array.from({ length: trustees }, (_, i) => i + 1);
  const absent: number[] = [];
  while (absent.length < trustees - quorum) {
    const i = pickWeighted(
      rng,
      indices.map(() => 1),
    );
    absent.push(indices.splice(i, 1)[0]!);
  }
  return absent.sort((a, b) => a - b);
}

/** Checks demo options; returns a message for the user or undefined. */
export function checkDemoOptions(o: DemoOptions): string | undefined {
  if (!Number.isSafeInteger(o.voters) || o.voters < 1 || o.voters > 1_000_000) {
    return `--voters must be an integer from 1 to 1000000, got ${o.voters}`;
  }
  if (!Number.isSafeInteger(o.mesas) || o.mesas < 1 || o.mesas > o.voters) {
    return `--mesas must be an integer from 1 to the number of voters (${o.voters}), got ${o.mesas}`;
  }
  if (!Number.isSafeInteger(o.trustees) || o.trustees < 1 || o.trustees > 255) {
    return `--trustees must be an integer from 1 to 255, got ${o.trustees}`;
  }
  if (!Number.isSafeInteger(o.quorum) || o.quorum < 1 || o.quorum > o.trustees) {
    return `--quorum must be an integer from 1 to --trustees (${o.trustees}), got ${o.quorum}`;
  }
  if (o.seed.length === 0) return '--seed must not be empty';
  return undefined;
}

function timed<T>(seconds: Record<string, number>, key: string, f: () => T): T {
  const start = performance.now();
  const value = f();
  seconds[key] = (performance.now() - start) / 1000;
  return value;
}

/** Runs the whole demo election. Throws DemoCheckFailed if any check fails. */
export function runDemoElection(options: DemoOptions, progress: Progress): DemoReport {
  const problem = checkDemoOptions(options);
  if (problem !== undefined) throw new RangeError(problem);
  const rng = createSeededRng(`acta-demo:${options.seed}`);
  const seconds: Record<string, number> = {};
  const electionHash = hashToBytes(DEMO_ELECTION_TAG, [
    've2024-presidential',
    options.seed,
    options.voters,
    options.mesas,
    options.trustees,
    options.quorum,
  ]);
  const params = { electionHash, trustees: options.trustees, quorum: options.quorum };
  const ncards = VE2024_CARDS.length;

  // 1. Key ceremony: every trustee's round-1 message is verified; then anyone
  // recomputes the joint key from the public messages alone.
  progress.note(`Key ceremony: ${options.trustees} trustees, quorum ${options.quorum}`);
  const ceremony = timed(seconds, 'keyCeremony', () => runLocalCeremony(params, rng));
  const recomputed = computeJointKey(
    params,
    ceremony.round1.map((t) => t.message),
  );
  if (!recomputed.ok || !jointKeysEqual(recomputed.value, ceremony.jointKey)) {
    throw new DemoCheckFailed('the joint key does not follow from the round-1 messages');
  }
  const publicKey = ceremony.jointKey.publicKey;

  // 2. Voting: each voter belongs to a mesa and casts one encrypted one-of-38
  // contest, its proofs bound to the election, the mesa and the ballot.
  const mesaIds = Array.from(
    { length: options.mesas },
    (_, i) => `mesa-${String(i + 1).padStart(2, '0')}`,
  );
  const ballots: { mesa: number; context: ProofContext; item: ContestItem; card: number }[] = [];
  const castStep = progress.step('Encrypting and proving ballots', options.voters);
  timed(seconds, 'voting', () => {
    for (let v = 0; v < options.voters; v++) {
      const mesa = v % options.mesas;
      const card = simulateChoice(rng);
      const votes = Array.from({ length: ncards }, (_, i) => (i === card ? 1 : 0));
      const context: ProofContext = { electionHash, label: [mesaIds[mesa]!, 'ballot', v] };
      const { contest } = encryptContest(context, publicKey, votes, 1, rng);
      ballots.push({ mesa, context, card, item: { context, publicKey, contest, limit: 1 } });
      castStep.tick();
    }
  });
  castStep.done();

  // 3. Verification of every ballot proof, in batches of one combined MSM.
  const BATCH = 25;
  const verifyStep = progress.step('Verifying ballot proofs (batched)', ballots.length);
  timed(seconds, 'ballotVerification', () => {
    for (let i = 0; i < ballots.length; i += BATCH) {
      const chunk = ballots.slice(i, i + BATCH);
      const outcome = batchVerifyContests(chunk.map((b) => b.item));
      if (!outcome.ok) {
        const f = outcome.failures[0]!;
        throw new DemoCheckFailed(`ballot ${i + f.index} failed verification: ${f.error.message}`);
      }
      verifyStep.tick(chunk.length);
    }
  });
  verifyStep.done();

  // 4. Per-mesa homomorphic tallies, one ciphertext per card.
  const tallies: Ciphertext[][] = timed(seconds, 'tally', () =>
    mesaIds.map((_, m) => {
      const mine = ballots.filter((b) => b.mesa === m);
      return Array.from({ length: ncards }, (_, c) =>
        sumCiphertexts(mine.map((b) => b.item.contest.selections[c]!.ciphertext)),
      );
    }),
  );

  // 5. Threshold decryption: the absent trustees post nothing; each present
  // trustee posts a share with a Chaum-Pedersen proof for every tally
  // ciphertext; the shares are verified in one batch, then combined.
  const absent = pickAbsent(rng, options.trustees, options.quorum);
  const present = ceremony.outcomes.filter((o) => !absent.includes(o.index));
  const verificationKeys = ceremony.jointKey.verificationKeys;
  const tallyContext = (m: number): ProofContext => ({
    electionHash,
    label: [mesaIds[m]!, 'tally'],
  });
  const shareStep = progress.step(
    'Decryption shares (per trustee)',
    present.length * options.mesas,
  );
  const shares: DecryptionShare[][][] = timed(seconds, 'decryptionShares', () =>
    tallies.map((cts, m) => {
      const perCard: DecryptionShare[][] = cts.map(() => []);
      for (const trustee of present) {
        cts.forEach((ct, c) => {
          const share = createDecryptionShare(
            { electionHash, label: [...tallyContext(m).label!, c] },
            trustee.index,
            trustee.secretShare,
            verificationKeys[trustee.index - 1]!,
            ct,
            rng,
          );
          // A card nobody in the mesa marked still has α ≠ identity (every
          // ballot encrypts every card), so a share is always needed.
          if (!share.ok) throw new DemoCheckFailed(share.error.message);
          perCard[c]!.push(share.value);
        });
        shareStep.tick();
      }
      return perCard;
    }),
  );
  shareStep.done();

  const shareItems: DecryptionShareItem[] = [];
  shares.forEach((perCard, m) =>
    perCard.forEach((list, c) =>
      list.forEach((share) =>
        shareItems.push({
          context: { electionHash, label: [...tallyContext(m).label!, c] },
          verificationKey: verificationKeys[share.trustee - 1]!,
          ciphertext: tallies[m]![c]!,
          share,
        }),
      ),
    ),
  );
  const shareOutcome = timed(seconds, 'decryptionShareVerification', () =>
    batchVerifyDecryptionShares(shareItems),
  );
  if (!shareOutcome.ok)
    throw new DemoCheckFailed(
      `a decryption share failed: ${shareOutcome.failures[0]!.error.message}`,
    );

  const mesas: MesaResult[] = timed(seconds, 'decryption', () =>
    tallies.map((cts, m) => ({
      mesa: mesaIds[m]!,
      ballots: ballots.filter((b) => b.mesa === m).length,
      cardVotes: cts.map((ct, c) => {
        const r = decryptWithShares(
          ct,
          shares[m]![c]!,
          options.quorum,
          1_000_000,
          `${mesaIds[m]}.card[${c}]`,
        );
        if (!r.ok) throw new DemoCheckFailed(r.error.message);
        return r.value;
      }),
    })),
  );

  // 6. National totals are the sum of the mesas, and nothing else.
  const cardTotals = VE2024_CARDS.map((card, c) => ({
    party: card.party,
    candidate: VE2024_CANDIDATES[card.candidate]!.code,
    votes: mesas.reduce((sum, r) => sum + r.cardVotes[c]!, 0),
  }));
  const candidateTotals = VE2024_CANDIDATES.map((cand, i) => ({
    code: cand.code,
    name: cand.name,
    votes: cardTotals
      .filter((_, c) => VE2024_CARDS[c]!.candidate === i)
      .reduce((s, x) => s + x.votes, 0),
  }));
  const expectedCards = VE2024_CARDS.map((_, c) => ballots.filter((b) => b.card === c).length);
  const totalsMatchPlaintext = expectedCards.every((n, c) => n === cardTotals[c]!.votes);
  const perMesaMatch = mesas.every((r, m) =>
    r.cardVotes.every((n, c) => n === ballots.filter((b) => b.mesa === m && b.card === c).length),
  );
  if (!totalsMatchPlaintext || !perMesaMatch) {
    throw new DemoCheckFailed('the decrypted tallies differ from the simulated plaintext choices');
  }
  const blankBallots = ballots.filter((b) => b.card === -1).length;
  const round1Count = ceremony.round1.length;
  return {
    options,
    backend: getCryptoBackend().name,
    electionHash: encodeHex(electionHash),
    jointPublicKey: publicKey.toHex(),
    presentTrustees: present.map((t) => t.index),
    absentTrustees: absent,
    mesas,
    cardTotals,
    candidateTotals,
    blankBallots,
    ballots: ballots.length,
    checks: {
      round1MessagesVerified: round1Count,
      jointKeyRecomputed: true,
      selectionProofsVerified: ballots.length * ncards,
      limitProofsVerified: ballots.length,
      decryptionSharesVerified: shareItems.length,
      totalsMatchPlaintext,
    },
    seconds,
  };
}
