/**
 * Ballots (docs/spec.md §2.6–§2.8): what a voting device makes of a voter's
 * choices. Every contest of the mesa's ballot style is encrypted with its 0/1
 * and limit proofs (@acta/crypto `encryptContest`, spec §5.5) under the proof
 * context
 *
 *   { electionHash: extended election hash, label: ['ballot', mesa, sequence, contest] }
 *
 * so that a proof cannot be moved to another mesa, position or contest. Each
 * ballot gets a tracking code chained to the previous one of its mesa
 * (ElectionGuard 2.x §3.4.3 "confirmation codes", chained per device):
 *
 *   seed   = H(ACTA_V1_TRACKING_SEED, [electionHash, mesa, deviceKey])
 *   code_i = H(ACTA_V1_TRACKING_CODE, [electionHash, mesa, i, code_{i−1}, content_i])
 *   content_i = H(ACTA_V1_BALLOT_CONTENT, [canonical form of the encrypted contests])
 *
 * so dropping, inserting or reordering ballots breaks every later code: a
 * voter who finds their code on the board knows everything before it stands.
 * A ballot is cast or spoiled (the Benaloh challenge: a spoiled ballot
 * publishes its nonces and votes, anyone can check the encryption, and it is
 * never counted). The paper record for audits carries a random ballot id that
 * nothing on the board links to the voter or to the encrypted ballot.
 */
import type { Ciphertext, GroupElement } from '@acta/crypto';
import {
  Scalar,
  decodeHex,
  encodeEncryptedContest,
  encodeHex,
  encrypt,
  encryptContest,
  err,
  hashToBytes,
  ok,
  type EncryptedContest,
  type EncryptedContestJson,
  type ProofContext,
  type Result,
  type Rng,
} from '@acta/crypto';
import { toCanonicalParts, type CanonicalMemo } from './canonical.js';
import { protocolError, type ProtocolError } from './errors.js';
import { PROTOCOL_TAG } from './tags.js';

/** The proof context of one contest of one ballot. */
export function ballotContestContext(
  electionHash: Uint8Array,
  mesa: string,
  sequence: number,
  contest: string,
): ProofContext {
  return { electionHash, label: ['ballot', mesa, sequence, contest] };
}

/** The first link of a mesa's chain. */
export function computeTrackingSeed(
  electionHash: Uint8Array,
  mesa: string,
  deviceKeyHex: string,
): string {
  return encodeHex(hashToBytes(PROTOCOL_TAG.TRACKING_SEED, [electionHash, mesa, deviceKeyHex]));
}

/** One encrypted contest of a ballot entry (JSON form). */
export interface BallotContestJson {
  readonly contest: string;
  /** An EncryptedContestJson when well-formed (any JSON when read from a record). */
  readonly encrypted: unknown;
}

/** The hash of a ballot's encrypted contests (chained into its tracking code). */
export function computeBallotContent(
  contests: readonly BallotContestJson[],
  memo?: CanonicalMemo,
): Uint8Array {
  return hashToBytes(PROTOCOL_TAG.BALLOT_CONTENT, [toCanonicalParts(contests, 'contests', memo)]);
}

/** code_i of the chain (see the module header). */
export function computeTrackingCode(
  electionHash: Uint8Array,
  mesa: string,
  sequence: number,
  previousCode: string,
  contests: readonly BallotContestJson[],
  memo?: CanonicalMemo,
): string {
  return encodeHex(
    hashToBytes(PROTOCOL_TAG.TRACKING_CODE, [
      electionHash,
      mesa,
      sequence,
      previousCode,
      computeBallotContent(contests, memo),
    ]),
  );
}

/** One contest the device encrypts: its id, the 0/1 vote of each card, its selection limit. */
export interface ContestChoice {
  readonly contest: string;
  readonly votes: readonly number[];
  readonly limit: number;
}

/** A freshly encrypted ballot: the entry's contests, its code, and the secret nonces. */
export interface EncryptedBallot {
  readonly contests: readonly {
    readonly contest: string;
    readonly encrypted: EncryptedContestJson;
  }[];
  readonly trackingCode: string;
  /** SECRET until spoiled: nonces per contest, per card (never publish a cast ballot's). */
  readonly nonces: readonly (readonly Scalar[])[];
  /** The decoded contests (for the device's own tally and checks). */
  readonly encrypted: readonly EncryptedContest[];
}

/**
 * Encrypts a ballot: every contest of the style in order (the caller has
 * validated the choices against the manifest: a vote that is not 0/1 or more
 * marks than the limit is a bug, RangeError).
 */
export function encryptBallot(args: {
  readonly electionHash: Uint8Array;
  readonly publicKey: GroupElement;
  readonly mesa: string;
  readonly sequence: number;
  readonly previousCode: string;
  readonly choices: readonly ContestChoice[];
  readonly rng?: Rng;
}): EncryptedBallot {
  const contests: { contest: string; encrypted: EncryptedContestJson }[] = [];
  const nonces: Scalar[][] = [];
  const encrypted: EncryptedContest[] = [];
  for (const choice of args.choices) {
    const { contest, nonces: n } = encryptContest(
      ballotContestContext(args.electionHash, args.mesa, args.sequence, choice.contest),
      args.publicKey,
      choice.votes,
      choice.limit,
      args.rng,
    );
    contests.push({ contest: choice.contest, encrypted: encodeEncryptedContest(contest) });
    nonces.push([...n]);
    encrypted.push(contest);
  }
  const trackingCode = computeTrackingCode(
    args.electionHash,
    args.mesa,
    args.sequence,
    args.previousCode,
    contests,
  );
  return { contests, trackingCode, nonces, encrypted };
}

/** A spoiled ballot's opening: per contest the votes and the nonces (hex). */
export interface BallotOpening {
  readonly contest: string;
  readonly votes: readonly number[];
  readonly nonces: readonly string[];
}

/** The opening a device publishes when a voter spoils a ballot. */
export function openBallot(
  choices: readonly ContestChoice[],
  ballot: EncryptedBallot,
): BallotOpening[] {
  return choices.map((c, i) => ({
    contest: c.contest,
    votes: [...c.votes],
    nonces: ballot.nonces[i]!.map((n) => n.toHex()),
  }));
}

/**
 * Checks a spoiled ballot's opening (the Benaloh challenge, spec §2.8): for
 * every contest and card, Enc(vote; nonce) must equal the published
 * ciphertext. Errors: SPOIL_OPENING_SHAPE, SPOIL_OPENING_MISMATCH.
 */
export function verifyBallotOpening(
  publicKey: GroupElement,
  contests: readonly {
    readonly contest: string;
    /** Only the ciphertexts are read (an EncryptedContest will do). */
    readonly encrypted: { readonly selections: readonly { readonly ciphertext: Ciphertext }[] };
  }[],
  opening: readonly BallotOpening[],
  where: string,
): Result<true, ProtocolError> {
  if (opening.length !== contests.length) {
    return err(
      protocolError('SPOIL_OPENING_SHAPE', where, 'the opening does not cover every contest'),
    );
  }
  for (let c = 0; c < contests.length; c++) {
    const o = opening[c]!;
    const encrypted = contests[c]!;
    const at = `${where}[${c}]`;
    const selections = encrypted.encrypted.selections;
    if (o.contest !== encrypted.contest || o.votes.length !== selections.length) {
      return err(
        protocolError('SPOIL_OPENING_SHAPE', at, 'the opening does not match the contest'),
      );
    }
    if (o.nonces.length !== selections.length) {
      return err(protocolError('SPOIL_OPENING_SHAPE', at, 'one nonce per card is required'));
    }
    for (let i = 0; i < selections.length; i++) {
      const bytes = decodeHex(o.nonces[i], `${at}.nonces[${i}]`, 32);
      if (!bytes.ok)
        return err(protocolError('SPOIL_OPENING_SHAPE', `${at}.nonces[${i}]`, bytes.error.message));
      const nonce = Scalar.decode(bytes.value, `${at}.nonces[${i}]`);
      if (!nonce.ok)
        return err(protocolError('SPOIL_OPENING_SHAPE', `${at}.nonces[${i}]`, nonce.error.message));
      const expected = encrypt(publicKey, Scalar.fromInt(o.votes[i]!), nonce.value);
      const published = selections[i]!.ciphertext;
      if (!expected.alpha.equals(published.alpha) || !expected.beta.equals(published.beta)) {
        return err(
          protocolError(
            'SPOIL_OPENING_MISMATCH',
            `${at}.votes[${i}]`,
            'the vote and nonce do not produce the published ciphertext',
          ),
        );
      }
    }
  }
  return ok(true);
}

// ---------------------------------------------------------------------------
// Receipts and paper records

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A tracking code for people: the first 80 bits in Crockford base32, four
 * groups of four (e.g. `7Q2M-K9TD-0XW4-HB3R`); the board and the receipt's QR
 * carry all 256 bits.
 */
export function formatTrackingCode(codeHex: string): string {
  const bytes = decodeHex(codeHex, 'trackingCode', 32);
  if (!bytes.ok) throw new RangeError('formatTrackingCode needs a 32-byte hex code');
  let bits = 0n;
  for (const b of bytes.value.subarray(0, 10)) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 15; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(5 * i)) & 31n)];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}-${out.slice(12)}`;
}

/** What the voter takes home. */
export interface BallotReceipt {
  readonly electionId: string;
  readonly mesa: string;
  readonly sequence: number;
  readonly trackingCode: string;
  readonly display: string;
  readonly disposition: 'cast' | 'spoiled';
  /** The QR payload: `ACTA1R:<electionId>:<mesa>:<sequence>:<tracking code hex>`. */
  readonly qr: string;
}

/** The receipt of a ballot. */
export function makeReceipt(args: {
  readonly electionId: string;
  readonly mesa: string;
  readonly sequence: number;
  readonly trackingCode: string;
  readonly disposition: 'cast' | 'spoiled';
}): BallotReceipt {
  return {
    ...args,
    display: formatTrackingCode(args.trackingCode),
    qr: `ACTA1R:${args.electionId}:${args.mesa}:${args.sequence}:${args.trackingCode}`,
  };
}

/** The paper record a device prints for audits (never on the board). */
export interface PaperRecord {
  /** 128 random bits (hex): links the paper to nothing but itself. */
  readonly ballotId: string;
  readonly mesa: string;
  readonly style: string;
  /** Per contest, the ids of the marked cards (ballot order). */
  readonly choices: readonly { readonly contest: string; readonly marked: readonly string[] }[];
}

/** Builds the paper record from the choices and the contests' card ids. */
export function makePaperRecord(args: {
  readonly mesa: string;
  readonly style: string;
  readonly choices: readonly ContestChoice[];
  readonly cardIds: (contest: string) => readonly string[];
  readonly rng: Rng;
}): PaperRecord {
  return {
    ballotId: encodeHex(args.rng.randomBytes(16)),
    mesa: args.mesa,
    style: args.style,
    choices: args.choices.map((c) => {
      const ids = args.cardIds(c.contest);
      return { contest: c.contest, marked: c.votes.flatMap((v, i) => (v === 1 ? [ids[i]!] : [])) };
    }),
  };
}

/** The printed text of a paper record (plain text, one contest per line). */
export function formatPaperRecord(record: PaperRecord): string {
  const lines = [`ACTA ballot ${record.ballotId}`, `mesa ${record.mesa} style ${record.style}`];
  for (const c of record.choices) {
    lines.push(`${c.contest}: ${c.marked.length === 0 ? '(blank)' : c.marked.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
