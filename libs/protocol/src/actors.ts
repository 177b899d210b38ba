/**
 * The parties of an election as pure entry builders (docs/spec.md §2.10): the
 * authority, the registry, a trustee, a mesa's poll book and its voting
 * device. Each holds its own secret key(s) and state and produces signed
 * entries (entries.ts); none does I/O. The service (apps/service) submits the
 * entries to the board, the demo and the tests drive the parties.
 */
import { GroupElement, Scalar, decodeCiphertext, decodeHex } from '@acta/crypto';
import {
  addCiphertexts,
  createDecryptionShare,
  createShareMessages,
  createTrusteeRound1,
  encodeCiphertext,
  encodeDecryptionShare,
  encodeHex,
  encodeJointKey,
  encodeRound1Message,
  encodeShareMessage,
  finishCeremony,
  receiveShare,
  ZERO_CIPHERTEXT,
  type Ciphertext,
  type CeremonyOutcome,
  type Result,
  type Rng,
  type Round1Message,
  type ShareMessage,
  type TrusteeSecretState,
  type TrusteeSecretStateJson,
  err,
  ok,
  computeJointKey,
  decodeTrusteeSecretState,
  encodeTrusteeSecretState,
  SigningSecretKey,
  decodeRound1Message,
  decodeShareMessage,
  type JointKey,
} from '@acta/crypto';
import { encodeActaQr } from './acta-qr.js';
import {
  computeTrackingSeed,
  encryptBallot,
  makePaperRecord,
  makeReceipt,
  type BallotReceipt,
  type ContestChoice,
  type PaperRecord,
} from './ballot.js';
import { signCheckInChallenge, type CredentialCard } from './credential.js';
import { computeBaseHash, computeElectionHash } from './election.js';
import { hashManifest, type Manifest } from './manifest.js';
import { signEntryBody, type Entry, type EntryBody, type RefusedOperation } from './entries.js';
import { protocolError, type ProtocolError } from './errors.js';
import {
  combineMesaResult,
  computeTotals,
  decryptionContext,
  type ElectionState,
  type MesaState,
} from './state.js';

function entry<T extends Entry['type']>(type: T, time: number, body: EntryBody<T>): Entry {
  return { type, time, body } as Entry;
}

/** The authority: defines the election, registers devices and witnesses, posts results. */
export class Authority {
  constructor(readonly key: SigningSecretKey) {}

  get publicKey(): string {
    return this.key.publicKey().toHex();
  }

  sign<T extends Entry['type']>(
    type: T,
    time: number,
    body: Omit<EntryBody<T>, 'signature'>,
  ): Entry {
    return entry(type, time, signEntryBody(type, body as never, this.key) as EntryBody<T>);
  }

  /**
   * `election`: the first entry of a board — the manifest, the keys of the
   * authority and the registry, the trustees (named `Trustee <i>` by their
   * signing keys) and the quorum, with the manifest and base hashes (§2.4).
   */
  defineElection(
    time: number,
    args: {
      readonly manifest: Manifest;
      readonly registryKey: string;
      readonly trusteeKeys: readonly string[];
      readonly quorum: number;
    },
  ): Entry {
    const manifestHash = hashManifest(args.manifest);
    const trustees = args.trusteeKeys.map((key, i) => ({
      index: i + 1,
      name: `Trustee ${i + 1}`,
      key,
    }));
    const baseHash = computeBaseHash({
      manifestHash,
      authorityKey: this.publicKey,
      registryKey: args.registryKey,
      quorum: args.quorum,
      trustees,
    });
    return this.sign('election', time, {
      manifest: args.manifest,
      manifestHash: encodeHex(manifestHash),
      authorityKey: this.publicKey,
      registryKey: args.registryKey,
      trustees,
      quorum: args.quorum,
      baseHash: encodeHex(baseHash),
    });
  }

  /** `refusal`: records an attempt the board turned away. */
  refusal(
    time: number,
    args: {
      operation: RefusedOperation;
      mesa?: string;
      subject?: string;
      error: ProtocolError;
      submission: string;
    },
  ): Entry {
    const body: Omit<EntryBody<'refusal'>, 'signature'> = {
      operation: args.operation,
      code: args.error.code,
      message: `${args.error.where}: ${args.error.message}`.slice(0, 500),
      submission: args.submission,
      ...(args.mesa !== undefined ? { mesa: args.mesa } : {}),
      ...(args.subject !== undefined ? { subject: args.subject.slice(0, 200) } : {}),
    };
    return this.sign('refusal', time, body);
  }

  /** `election-key` from the verified round-1 messages in `state`. */
  electionKey(time: number, state: ElectionState): Result<Entry, ProtocolError> {
    const e = state.election!;
    const outcomeKey = computeJointKeyFrom(state);
    if (!outcomeKey.ok) return outcomeKey;
    const electionHash = computeElectionHash(
      e.baseHash,
      outcomeKey.value.publicKey,
      outcomeKey.value.verificationKeys,
    );
    return ok(
      this.sign('election-key', time, {
        jointKey: encodeJointKey(outcomeKey.value),
        electionHash: encodeHex(electionHash),
      }),
    );
  }

  /** `mesa-result` for a closed mesa, combining the first `quorum` trustees that decrypted it. */
  mesaResult(time: number, state: ElectionState, mesa: MesaState): Result<Entry, ProtocolError> {
    const trustees = [...mesa.decryptions.keys()]
      .sort((a, b) => a - b)
      .slice(0, state.election!.quorum);
    const counts = combineMesaResult(state, mesa, trustees, `mesa ${mesa.id}`);
    if (!counts.ok) return counts;
    return ok(
      this.sign('mesa-result', time, {
        mesa: mesa.id,
        trustees,
        results: mesa.contests.map((c, i) => ({ contest: c.id, counts: counts.value[i]! })),
      }),
    );
  }

  /** `totals`: the sum of every mesa's result. */
  totals(time: number, state: ElectionState): Entry {
    return this.sign('totals', time, computeTotals(state));
  }
}

function computeJointKeyFrom(state: ElectionState): Result<JointKey, ProtocolError> {
  const e = state.election!;
  const r = computeJointKey(
    { electionHash: e.baseHash, trustees: e.trustees.length, quorum: e.quorum },
    [...state.round1.values()],
  );
  return r.ok ? r : err(protocolError('BAD_CEREMONY_MESSAGE', 'round1', r.error.message));
}

/** A trustee's secrets between sessions (see Trustee.exportSecrets). */
export interface TrusteeSecretsJson {
  readonly format: 'acta-trustee-secrets-v1';
  readonly index: number;
  readonly signingKey: string;
  readonly ceremony?: TrusteeSecretStateJson;
  readonly keyShare?: string;
}

/** A trustee: its signing key, its ceremony secrets and, after the ceremony, its share. */
export class Trustee {
  #state: TrusteeSecretState | undefined;
  #outcome: CeremonyOutcome | undefined;

  constructor(
    readonly index: number,
    readonly key: SigningSecretKey,
  ) {}

  get publicKey(): string {
    return this.key.publicKey().toHex();
  }

  /** `trustee-round1`: commitments to a fresh polynomial, with proofs. */
  round1(time: number, state: ElectionState, rng?: Rng): Entry {
    const e = state.election!;
    const r1 = createTrusteeRound1(
      { electionHash: e.baseHash, trustees: e.trustees.length, quorum: e.quorum },
      this.index,
      rng,
    );
    this.#state = r1.state;
    return entry(
      'trustee-round1',
      time,
      signEntryBody(
        'trustee-round1',
        { trustee: this.index, message: encodeRound1Message(r1.message) },
        this.key,
      ),
    );
  }

  /** `trustee-shares`: its polynomial evaluated for every other trustee, encrypted. */
  shares(time: number, state: ElectionState, rng?: Rng): Result<Entry, ProtocolError> {
    const e = state.election!;
    const messages = [...state.round1.values()];
    const r = createShareMessages(
      { electionHash: e.baseHash, trustees: e.trustees.length, quorum: e.quorum },
      this.#requireState(),
      messages,
      rng,
    );
    if (!r.ok) return err(protocolError('BAD_CEREMONY_MESSAGE', r.error.where, r.error.message));
    return ok(
      entry(
        'trustee-shares',
        time,
        signEntryBody(
          'trustee-shares',
          { trustee: this.index, shares: r.value.map(encodeShareMessage) },
          this.key,
        ),
      ),
    );
  }

  /** Reads the shares sent to it from the posted `trustee-shares` entries and derives its key share. */
  finish(
    state: ElectionState,
    shareEntries: readonly EntryBody<'trustee-shares'>[],
  ): Result<true, ProtocolError> {
    const e = state.election!;
    const params = { electionHash: e.baseHash, trustees: e.trustees.length, quorum: e.quorum };
    const own = this.#requireState();
    const messages: Round1Message[] = [...state.round1.values()];
    const received = new Map<number, Scalar>();
    for (const body of shareEntries) {
      if (body.trustee === this.index) continue;
      for (const json of body.shares) {
        const m = decodeShareMessage(json);
        if (!m.ok)
          return err(protocolError('BAD_CEREMONY_MESSAGE', m.error.where, m.error.message));
        const msg: ShareMessage = m.value;
        if (msg.to !== this.index) continue;
        const sender = decodeRound1Message(encodeRound1Message(state.round1.get(msg.from)!));
        if (!sender.ok)
          return err(protocolError('BAD_CEREMONY_MESSAGE', 'round1', sender.error.message));
        const share = receiveShare(params, own, sender.value, msg);
        if (!share.ok)
          return err(protocolError('BAD_CEREMONY_MESSAGE', share.error.where, share.error.message));
        received.set(msg.from, share.value);
      }
    }
    const outcome = finishCeremony(params, own, messages, received);
    if (!outcome.ok)
      return err(protocolError('BAD_CEREMONY_MESSAGE', outcome.error.where, outcome.error.message));
    this.#outcome = outcome.value;
    return ok(true);
  }

  /** `decryption`: its partial decryption of a closed mesa's tally, with proofs. */
  decrypt(
    time: number,
    state: ElectionState,
    mesa: MesaState,
    rng?: Rng,
  ): Result<Entry, ProtocolError> {
    const outcome = this.#outcome;
    if (outcome === undefined) throw new Error('the trustee has not finished the ceremony');
    const electionHash = state.key!.electionHash;
    const vk = state.key!.jointKey.verificationKeys[this.index - 1]!;
    const shares: EntryBody<'decryption'>['shares'] = [];
    for (let ci = 0; ci < mesa.contests.length; ci++) {
      const info = mesa.contests[ci]!;
      const list: unknown[] = [];
      if (mesa.cast > 0) {
        for (let i = 0; i < info.cardIds.length; i++) {
          const s = createDecryptionShare(
            decryptionContext(electionHash, mesa.id, info.id, i),
            this.index,
            outcome.secretShare,
            vk,
            mesa.tally[ci]![i]!,
            rng,
          );
          if (!s.ok)
            return err(protocolError('DECRYPTION_FAILED', `${info.id}[${i}]`, s.error.message));
          list.push(encodeDecryptionShare(s.value));
        }
      }
      shares.push({ contest: info.id, shares: list });
    }
    return ok(
      entry(
        'decryption',
        time,
        signEntryBody('decryption', { trustee: this.index, mesa: mesa.id, shares }, this.key),
      ),
    );
  }

  /**
   * The trustee's SECRETS as JSON, for its own protected storage between
   * sessions (the CLI's trustee files): its signing key, its ceremony state
   * and, once the ceremony is over, its key share. Never publish this.
   */
  exportSecrets(): TrusteeSecretsJson {
    return {
      format: 'acta-trustee-secrets-v1',
      index: this.index,
      signingKey: this.key.toHex(),
      ...(this.#state !== undefined ? { ceremony: encodeTrusteeSecretState(this.#state) } : {}),
      ...(this.#outcome !== undefined ? { keyShare: this.#outcome.secretShare.toHex() } : {}),
    };
  }

  /** Restores a trustee from `exportSecrets` (the joint key comes from the board's state). */
  static restore(json: TrusteeSecretsJson, state: ElectionState): Result<Trustee, ProtocolError> {
    const key = SigningSecretKey.decodeHex(json.signingKey, 'signingKey');
    if (!key.ok) return err(protocolError('BAD_KEY', 'signingKey', key.error.message));
    const t = new Trustee(json.index, key.value);
    if (json.ceremony !== undefined) {
      const c = decodeTrusteeSecretState(json.ceremony, 'ceremony');
      if (!c.ok) return err(protocolError('BAD_CEREMONY_MESSAGE', c.error.where, c.error.message));
      t.#state = c.value;
    }
    if (json.keyShare !== undefined) {
      if (state.key === undefined) {
        return err(protocolError('OUT_OF_ORDER', 'keyShare', 'the board has no election key yet'));
      }
      const share = Scalar.decodeHex(json.keyShare, 'keyShare');
      if (!share.ok) return err(protocolError('BAD_KEY', 'keyShare', share.error.message));
      t.#outcome = { index: json.index, secretShare: share.value, jointKey: state.key.jointKey };
    }
    return ok(t);
  }

  #requireState(): TrusteeSecretState {
    if (this.#state === undefined) throw new Error('round 1 comes first');
    return this.#state;
  }
}

/** A mesa's poll book: countersigns check-ins with a poll worker's key. */
export class PollBook {
  constructor(
    readonly mesa: string,
    readonly pollWorkerKey: SigningSecretKey,
  ) {}

  /** A fresh 32-byte challenge (hex) for the voter's card to sign. */
  challenge(rng: Rng): string {
    return encodeHex(rng.randomBytes(32));
  }

  /** `checkin`: the voter's card signs the challenge, the poll worker countersigns. */
  checkin(time: number, electionId: string, card: CredentialCard, nonce: string): Entry {
    const pollBookKey = this.pollWorkerKey.publicKey().toHex();
    const voterSignature = signCheckInChallenge(card, {
      electionId,
      mesa: this.mesa,
      nonce,
      pollBookKey,
    });
    return entry(
      'checkin',
      time,
      signEntryBody(
        'checkin',
        {
          mesa: this.mesa,
          credentialKey: card.publicKey,
          nonce,
          voterSignature,
          pollWorkerKey: pollBookKey,
        },
        this.pollWorkerKey,
      ),
    );
  }
}

/** A ballot to encrypt, as plain data (it may cross to a worker thread). */
export interface BallotRequest {
  /** The extended election hash and the joint key, hex. */
  readonly electionHash: string;
  readonly publicKey: string;
  readonly mesa: string;
  readonly sequence: number;
  readonly previousCode: string;
  readonly choices: readonly ContestChoice[];
}

/** An encrypted ballot as plain data: its contests, its tracking code, its nonces (SECRET). */
export interface BallotEncryption {
  readonly contests: readonly { readonly contest: string; readonly encrypted: unknown }[];
  readonly trackingCode: string;
  /** Per contest, per card, hex: secret unless the ballot is spoiled. */
  readonly nonces: readonly (readonly string[])[];
}

/**
 * Encrypts a prepared ballot (ballot.ts `encryptBallot`): what a device's
 * encryption thread runs. The request comes from the device itself, so a
 * malformed one is a bug (RangeError).
 */
export function encryptBallotRequest(request: BallotRequest, rng?: Rng): BallotEncryption {
  const electionHash = decodeHex(request.electionHash, 'electionHash', 32);
  const publicKey = GroupElement.decodeHex(request.publicKey, 'publicKey');
  if (!electionHash.ok || !publicKey.ok) throw new RangeError('a malformed ballot request');
  const encrypted = encryptBallot({
    electionHash: electionHash.value,
    publicKey: publicKey.value,
    mesa: request.mesa,
    sequence: request.sequence,
    previousCode: request.previousCode,
    choices: request.choices,
    ...(rng !== undefined ? { rng } : {}),
  });
  return {
    contests: encrypted.contests,
    trackingCode: encrypted.trackingCode,
    nonces: encrypted.nonces.map((row) => row.map((n) => n.toHex())),
  };
}

/** What a device returns for one ballot. */
export interface DeviceBallot {
  readonly entry: Entry;
  readonly receipt: BallotReceipt;
  /** Only for a cast ballot: the paper record it prints for audits. */
  readonly paper?: PaperRecord;
}

/**
 * A mesa's voting device: its key, its chain, and the plaintext counts of the
 * ballots it encrypted (the acta it prints at closing states them; the
 * threshold decryption of the tally later confirms or refutes them).
 */
export class VotingDevice {
  #sequence = 0;
  #head: string | undefined;
  #counts: number[][];
  #tally: Ciphertext[][];
  #cast = 0;
  #spoiled = 0;

  constructor(
    readonly mesa: MesaState,
    readonly key: SigningSecretKey,
    readonly electionId: string,
  ) {
    this.#counts = mesa.contests.map((c) => c.cardIds.map(() => 0));
    this.#tally = mesa.contests.map((c) => c.cardIds.map(() => ZERO_CIPHERTEXT));
  }

  get publicKey(): string {
    return this.key.publicKey().toHex();
  }

  /**
   * Encrypts a ballot and builds its entry; `disposition` is the voter's
   * choice after seeing the tracking code (cast, or spoil to challenge the
   * device). The device's own counts and chain advance only when the caller
   * confirms the board accepted the entry (`accept`). The same as
   * `prepareBallot`, `encryptBallotRequest` and `finishBallot` in a row.
   */
  ballot(
    time: number,
    state: ElectionState,
    votes: readonly (readonly number[])[],
    disposition: 'cast' | 'spoiled',
    rng: Rng,
  ): DeviceBallot {
    const request = this.prepareBallot(state, votes);
    return this.finishBallot(time, request, encryptBallotRequest(request, rng), disposition, rng);
  }

  /**
   * What the device encrypts next, as plain data: a device may hand it to
   * another thread (`encryptBallotRequest` there) and finish with the result.
   */
  prepareBallot(state: ElectionState, votes: readonly (readonly number[])[]): BallotRequest {
    const key = state.key!;
    return {
      electionHash: encodeHex(key.electionHash),
      publicKey: key.jointKey.publicKey.toHex(),
      mesa: this.mesa.id,
      sequence: this.#sequence,
      previousCode:
        this.#head ?? computeTrackingSeed(key.electionHash, this.mesa.id, this.publicKey),
      choices: this.mesa.contests.map((c, i) => ({
        contest: c.id,
        votes: [...votes[i]!],
        limit: c.limit,
      })),
    };
  }

  /** Builds the signed ballot entry, receipt and paper record from an encryption of `request`. */
  finishBallot(
    time: number,
    request: BallotRequest,
    encryption: BallotEncryption,
    disposition: 'cast' | 'spoiled',
    rng: Rng,
  ): DeviceBallot {
    if (request.sequence !== this.#sequence || request.mesa !== this.mesa.id) {
      throw new RangeError('the encryption is not of the next ballot of this device');
    }
    const body = {
      mesa: this.mesa.id,
      style: this.mesa.style,
      sequence: request.sequence,
      previousCode: request.previousCode,
      trackingCode: encryption.trackingCode,
      contests: encryption.contests.map((c) => ({ contest: c.contest, encrypted: c.encrypted })),
      disposition,
      ...(disposition === 'spoiled'
        ? {
            opening: request.choices.map((c, i) => ({
              contest: c.contest,
              votes: [...c.votes],
              nonces: [...encryption.nonces[i]!],
            })),
          }
        : {}),
    };
    const e = entry('ballot', time, signEntryBody('ballot', body, this.key));
    this.#pending = {
      disposition,
      votes: request.choices.map((c) => c.votes),
      ciphertexts: encryption.contests.map((c, i) => {
        const selections = (c.encrypted as { selections: { ciphertext: unknown }[] }).selections;
        return selections.map((s, k) => {
          const ct = decodeCiphertext(s.ciphertext, `contests[${i}].selections[${k}]`);
          if (!ct.ok) throw new RangeError('the encryption holds an invalid ciphertext');
          return ct.value;
        });
      }),
      code: encryption.trackingCode,
    };
    const receipt = makeReceipt({
      electionId: this.electionId,
      mesa: this.mesa.id,
      sequence: request.sequence,
      trackingCode: encryption.trackingCode,
      disposition,
    });
    if (disposition === 'spoiled') return { entry: e, receipt };
    const paper = makePaperRecord({
      mesa: this.mesa.id,
      style: this.mesa.style,
      choices: request.choices,
      cardIds: (id) => this.mesa.contests.find((c) => c.id === id)!.cardIds,
      rng,
    });
    return { entry: e, receipt, paper };
  }

  #pending:
    | {
        disposition: 'cast' | 'spoiled';
        votes: readonly (readonly number[])[];
        ciphertexts: Ciphertext[][];
        code: string;
      }
    | undefined;

  /**
   * The device's own state for its storage between sessions: the per-card
   * plaintext counts it will print on the acta (the board holds everything
   * else: the chain, the counts of ballots, the encrypted tally).
   */
  exportCounts(): number[][] {
    return this.#counts.map((row) => [...row]);
  }

  /**
   * A device resumed from the board's state of its mesa (chain head,
   * sequence, cast and spoiled counts, encrypted tally) and the plaintext
   * counts it stored (`exportCounts`). RangeError if the counts do not fit
   * the mesa's contests (a bug in the caller's storage).
   */
  static resume(
    mesa: MesaState,
    key: SigningSecretKey,
    electionId: string,
    counts: readonly (readonly number[])[],
  ): VotingDevice {
    const d = new VotingDevice(mesa, key, electionId);
    if (
      counts.length !== mesa.contests.length ||
      counts.some((row, i) => row.length !== mesa.contests[i]!.cardIds.length)
    ) {
      throw new RangeError('the stored counts do not fit the mesa');
    }
    d.#counts = counts.map((row) => [...row]);
    d.#sequence = mesa.sequence;
    d.#head = mesa.sequence === 0 ? undefined : mesa.chainHead;
    d.#cast = mesa.cast;
    d.#spoiled = mesa.spoiled;
    d.#tally = mesa.tally.map((row) => [...row]);
    return d;
  }

  /** The board accepted the last ballot: advance the chain and the counts. */
  accept(): void {
    const p = this.#pending;
    if (p === undefined) throw new Error('no ballot is pending');
    this.#pending = undefined;
    this.#sequence += 1;
    this.#head = p.code;
    if (p.disposition === 'spoiled') {
      this.#spoiled += 1;
      return;
    }
    this.#cast += 1;
    p.votes.forEach((row, ci) =>
      row.forEach((v, i) => {
        this.#counts[ci]![i]! += v;
        this.#tally[ci]![i] = addCiphertexts(this.#tally[ci]![i]!, p.ciphertexts[ci]![i]!);
      }),
    );
  }

  /** The board refused the last ballot: forget it. */
  reject(): void {
    this.#pending = undefined;
  }

  /** `acta`: closes the mesa with the counts the record must hold and the device's own results. */
  close(
    time: number,
    state: ElectionState,
    counts: { registered: number; checkedIn: number },
  ): Entry {
    const key = state.key!;
    const chainHead =
      this.#head ?? computeTrackingSeed(key.electionHash, this.mesa.id, this.publicKey);
    const all = { ...counts, cast: this.#cast, spoiled: this.#spoiled };
    const qr = encodeActaQr(
      {
        electionHash: key.electionHash,
        mesa: this.mesa.id,
        ...all,
        counts: this.#counts,
        chainHead,
      },
      this.key,
    );
    return entry(
      'acta',
      time,
      signEntryBody(
        'acta',
        {
          mesa: this.mesa.id,
          counts: all,
          chainHead,
          results: this.mesa.contests.map((c, i) => ({
            contest: c.id,
            counts: [...this.#counts[i]!],
          })),
          tally: this.mesa.contests.map((c, i) => ({
            contest: c.id,
            ciphertexts: this.#tally[i]!.map(encodeCiphertext),
          })),
          qr,
        },
        this.key,
      ),
    );
  }
}
