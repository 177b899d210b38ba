/**
 * The election state machine (docs/spec.md §2.9): what the record means.
 * `applyEntry` takes the state built from entries 0…i−1 and entry i, and
 * either accepts it — updating the state — or refuses it with a coded
 * ProtocolError naming the field, leaving the state untouched. The service
 * runs it before appending anything to the board (so the board only ever holds
 * entries that follow the rules, plus `refusal` entries recording what was
 * turned away); a verifier can replay a whole record through it.
 *
 * The rules, in the order an election meets them:
 *  1. `election` comes first and only once; its manifest parses, its hashes
 *     are recomputed, it is signed by the authority key it names.
 *  2. each trustee posts `trustee-round1` once (signed by its key, proofs
 *     checked when all are in), then `trustee-shares`; `election-key` holds the
 *     joint key recomputed from round 1 and the extended election hash.
 *  3. `mesa-device` and `witness` entries are signed by the authority; a mesa
 *     exists in the manifest and gets one device.
 *  4. `registration` (signed by the registry) for a manifest mesa, a fresh key;
 *     a reissue names the key it supersedes, which is revoked by it.
 *     `revocation` revokes a registered key.
 *  5. `checkin`: polls open (election key posted), the mesa is open, the key is
 *     registered AT THAT MESA and not revoked, never checked in before (in any
 *     mesa), the voter's possession signature and a poll worker's signature of
 *     that mesa verify.
 *  6. `ballot`: the mesa is open, the style is the mesa's, the contests are the
 *     style's, every proof verifies under the ballot's context, the sequence
 *     and previous code continue the mesa's chain and the tracking code is
 *     recomputed; a cast ballot needs a check-in not yet used (cast ≤ checked
 *     in); a spoiled ballot's opening reproduces its ciphertexts.
 *  7. `acta`: signed by the mesa's device; counts, chain head and encrypted
 *     tally equal what the record holds; the results are plausible (every
 *     contest's marks ≤ cast × limit); the QR payload agrees with the body.
 *     The mesa is then closed. `acta-cosign` by a registered witness.
 *  8. `decryption`: a trustee's shares for a closed mesa, each proof verified
 *     against V_l and the mesa's tally; once per trustee and mesa.
 *  9. `mesa-result`: the counts recombined from the named trustees' shares
 *     (≥ quorum) — recomputed here. If they differ from the acta's results the
 *     entry is still accepted (the decrypted tally is the truth) and the state
 *     records an ACTA_RESULT_MISMATCH finding against the acta.
 * 10. `totals`: every mesa with a device has its result; the totals are their
 *     exact sum, per card and per candidate.
 */
import {
  SigningPublicKey,
  addCiphertexts,
  computeJointKey,
  decodeCiphertext,
  decodeContestCiphertexts,
  decodeDecryptionShare,
  decodeEncryptedContest,
  encodeHashPart,
  decodeJointKey,
  decodeRound1Message,
  decodeShareMessage,
  decryptWithShares,
  decryptionShareChecks,
  encodeHex,
  err,
  jointKeysEqual,
  ok,
  verifyContest,
  verifyLinearChecks,
  ZERO_CIPHERTEXT,
  type Ciphertext,
  type DecryptionShare,
  type EncryptedContest,
  type GroupElement,
  type HashPart,
  type JointKey,
  type ProofContext,
  type Result,
  type Round1Message,
} from '@acta/crypto';
import { matchesActaQr, parseActaQr, verifyActaQr } from './acta-qr.js';
import {
  ballotContestContext,
  computeTrackingCode,
  computeTrackingSeed,
  verifyBallotOpening,
} from './ballot.js';
import { verifyCheckInSignature } from './credential.js';
import { computeBaseHash, computeElectionHash } from './election.js';
import { toCanonicalParts } from './canonical.js';
import { hashEntry, verifyEntryBody, type Entry, type EntryBody } from './entries.js';
import { protocolError, type ProtocolError } from './errors.js';
import { hashManifest, parseManifest, type Manifest } from './manifest.js';
import { listMesas } from './geography.js';

/** A contest as the state machine needs it. */
export interface ContestInfo {
  readonly id: string;
  readonly limit: number;
  readonly cardIds: readonly string[];
  /** candidate id of each card, in ballot order. */
  readonly cardCandidates: readonly string[];
  readonly candidateIds: readonly string[];
}

/** Everything the record says about one mesa so far. */
export interface MesaState {
  readonly id: string;
  readonly style: string;
  readonly contests: readonly ContestInfo[];
  device?: { readonly deviceKey: string; readonly pollWorkerKeys: ReadonlySet<string> };
  registered: number;
  checkedIn: number;
  cast: number;
  spoiled: number;
  /** The next ballot's sequence number and previous code. */
  sequence: number;
  chainHead: string;
  /** Running homomorphic sums of the cast ballots, per contest, per card. */
  tally: Ciphertext[][];
  acta?: {
    readonly index: number;
    readonly leafHash: string;
    readonly results: readonly (readonly number[])[];
    readonly cosigners: Set<string>;
  };
  /** Verified decryption shares by trustee: per contest, per card. */
  readonly decryptions: Map<number, DecryptionShare[][]>;
  result?: { readonly index: number; readonly counts: readonly (readonly number[])[] };
}

/** A credential the registry issued. */
export interface CredentialState {
  readonly mesa: string;
  readonly serial: number;
  readonly identityCommitment: string;
  readonly index: number;
  revoked: boolean;
  /** The key of the card that replaced this one (a reissue), if any. */
  supersededBy?: string;
  checkedIn?: { readonly mesa: string; readonly index: number };
}

/** Something the record shows that a verifier must report, though no rule refused it. */
export interface Finding {
  readonly code: 'ACTA_RESULT_MISMATCH';
  readonly where: string;
  readonly message: string;
}

/** The state of an election after a prefix of its record. */
export interface ElectionState {
  /** Entries accepted so far. */
  size: number;
  election?: {
    readonly id: string;
    readonly manifest: Manifest;
    readonly manifestHash: Uint8Array;
    readonly baseHash: Uint8Array;
    readonly authorityKey: string;
    readonly registryKey: string;
    readonly quorum: number;
    readonly trustees: readonly {
      readonly index: number;
      readonly name: string;
      readonly key: string;
    }[];
    readonly contests: ReadonlyMap<string, ContestInfo>;
  };
  readonly round1: Map<number, Round1Message>;
  readonly sharesPosted: Set<number>;
  key?: { readonly jointKey: JointKey; readonly electionHash: Uint8Array };
  readonly mesas: Map<string, MesaState>;
  readonly witnesses: Map<string, string>;
  readonly credentials: Map<string, CredentialState>;
  readonly findings: Finding[];
  totals?: { readonly index: number };
  readonly counts: Record<string, number>;
}

/** An empty state (before the `election` entry). */
export function createElectionState(): ElectionState {
  return {
    size: 0,
    round1: new Map(),
    sharesPosted: new Set(),
    mesas: new Map(),
    witnesses: new Map(),
    credentials: new Map(),
    findings: [],
    counts: {},
  };
}

type Check = Result<true, ProtocolError>;
const OK: Check = ok(true);

function fail(code: Parameters<typeof protocolError>[0], where: string, message: string): Check {
  return err(protocolError(code, where, message));
}

function contestInfoOf(manifest: Manifest): Map<string, ContestInfo> {
  const out = new Map<string, ContestInfo>();
  for (const c of manifest.contests) {
    out.set(c.id, {
      id: c.id,
      limit: c.selectionLimit,
      cardIds: c.cards.map((card) => card.id),
      cardCandidates: c.cards.map((card) => card.candidateId),
      candidateIds: c.candidates.map((cand) => cand.id),
    });
  }
  return out;
}

/** A ballot contest whose proofs `applyEntry` left to its caller (see ApplyOptions). */
export interface DeferredContestProof {
  /** The entry's index in the record. */
  readonly entry: number;
  /** Where a failure is reported (`entries[i].body.contests[c].encrypted`). */
  readonly where: string;
  readonly context: ProofContext;
  readonly publicKey: GroupElement;
  /** The contest as the entry holds it (`EncryptedContestJson`): only its ciphertexts were decoded. */
  readonly encrypted: unknown;
  /** Its number of selections (one per card). */
  readonly selections: number;
  readonly limit: number;
}

/** How `applyEntry` runs. */
export interface ApplyOptions {
  /**
   * When given, the zero-knowledge proofs of ballot contests (rules 11b and
   * 11e of docs/spec-record.md §5.11, for the proofs) are handed to this
   * function, undecoded, instead of being decoded and verified here: only the
   * ciphertexts are decoded, and the ballot is otherwise checked and applied
   * as if its proofs decoded and held. A verifier uses it to verify every proof of the record in batches on
   * all cores; it must then report each failing proof itself. The service
   * never sets it: it accepts nothing it has not verified.
   */
  readonly deferContestProof?: (job: DeferredContestProof) => void;
  /**
   * Parts already encoded for objects of this entry (see `CanonicalMemo`),
   * shared with the caller's own hashing of the entry (its leaf). A ballot's
   * contests are added to it (or to a memo of the call's own) so that its
   * tracking code and signature encode them once.
   */
  readonly memo?: Map<object, HashPart>;
}

/**
 * Applies entry number `state.size` (its leaf hash is recomputed here) or
 * refuses it. On refusal the state is exactly as before.
 */
export function applyEntry(state: ElectionState, entry: Entry, options: ApplyOptions = {}): Check {
  const where = `entries[${state.size}]`;
  const r = checkAndApply(state, entry, where, options);
  if (r.ok) {
    state.size += 1;
    state.counts[entry.type] = (state.counts[entry.type] ?? 0) + 1;
  }
  return r;
}

function checkAndApply(
  state: ElectionState,
  entry: Entry,
  where: string,
  options: ApplyOptions,
): Check {
  const body = `${where}.body`;
  if (entry.type !== 'election' && state.election === undefined) {
    return fail('OUT_OF_ORDER', `${where}.type`, 'the first entry must define the election');
  }
  if (state.totals !== undefined) {
    return fail('OUT_OF_ORDER', `${where}.type`, 'the totals are posted: the record is complete');
  }
  switch (entry.type) {
    case 'election':
      return applyElection(state, entry.body, body);
    case 'trustee-round1':
      return applyRound1(state, entry.body, body);
    case 'trustee-shares':
      return applyShares(state, entry.body, body);
    case 'election-key':
      return applyElectionKey(state, entry.body, body);
    case 'mesa-device':
      return applyDevice(state, entry.body, body);
    case 'witness':
      return applyWitness(state, entry.body, body);
    case 'registration':
      return applyRegistration(state, entry.body, body);
    case 'revocation':
      return applyRevocation(state, entry.body, body);
    case 'checkin':
      return applyCheckin(state, entry.body, body);
    case 'refusal':
      return verifyEntryBody('refusal', entry.body, state.election!.authorityKey, body);
    case 'ballot':
      return applyBallot(state, entry.body, body, options);
    case 'acta':
      return applyActa(state, entry, body);
    case 'acta-cosign':
      return applyCosign(state, entry.body, body);
    case 'decryption':
      return applyDecryption(state, entry.body, body);
    case 'mesa-result':
      return applyMesaResult(state, entry.body, body);
    case 'totals':
      return applyTotals(state, entry.body, body);
    default: {
      const never: never = entry;
      return fail('UNKNOWN_ENTRY_TYPE', where, `unknown entry ${String(never)}`);
    }
  }
}

// ---------------------------------------------------------------------------
// 1–2: election and ceremony

function applyElection(state: ElectionState, b: EntryBody<'election'>, where: string): Check {
  if (state.election !== undefined || state.size !== 0) {
    return fail('OUT_OF_ORDER', where, 'the election is defined once, by the first entry');
  }
  const manifest = parseManifest(b.manifest);
  if (!manifest.ok) {
    return fail(
      manifest.error.code,
      `${where}.manifest${manifest.error.where.replace(/^manifest/, '')}`,
      manifest.error.message,
    );
  }
  const manifestHash = hashManifest(manifest.value);
  if (encodeHex(manifestHash) !== b.manifestHash) {
    return fail('HASH_MISMATCH', `${where}.manifestHash`, 'not the hash of the manifest');
  }
  if (b.quorum > b.trustees.length) {
    return fail('BAD_QUORUM', `${where}.quorum`, 'the quorum exceeds the number of trustees');
  }
  for (let i = 0; i < b.trustees.length; i++) {
    if (b.trustees[i]!.index !== i + 1) {
      return fail(
        'BAD_TRUSTEES',
        `${where}.trustees[${i}].index`,
        'trustees are numbered 1…n in order',
      );
    }
  }
  const baseHash = computeBaseHash({
    manifestHash,
    authorityKey: b.authorityKey,
    registryKey: b.registryKey,
    quorum: b.quorum,
    trustees: b.trustees,
  });
  if (encodeHex(baseHash) !== b.baseHash) {
    return fail('HASH_MISMATCH', `${where}.baseHash`, 'not the base hash of this election');
  }
  const sig = verifyEntryBody('election', b, b.authorityKey, where);
  if (!sig.ok) return sig;
  const contests = contestInfoOf(manifest.value);
  for (const mesa of listMesas(manifest.value)) {
    const style = manifest.value.ballotStyles.find((s) => s.id === mesa.ballotStyle)!;
    const cs = style.contests.map((id) => contests.get(id)!);
    state.mesas.set(mesa.id, {
      id: mesa.id,
      style: style.id,
      contests: cs,
      registered: 0,
      checkedIn: 0,
      cast: 0,
      spoiled: 0,
      sequence: 0,
      chainHead: '',
      tally: cs.map((c) => c.cardIds.map(() => ZERO_CIPHERTEXT)),
      decryptions: new Map(),
    });
  }
  state.election = {
    id: manifest.value.electionId,
    manifest: manifest.value,
    manifestHash,
    baseHash,
    authorityKey: b.authorityKey,
    registryKey: b.registryKey,
    quorum: b.quorum,
    trustees: b.trustees,
    contests,
  };
  return OK;
}

function trusteeKey(
  state: ElectionState,
  index: number,
  where: string,
): Result<string, ProtocolError> {
  const t = state.election!.trustees[index - 1];
  if (t === undefined) return err(protocolError('UNKNOWN_TRUSTEE', where, `no trustee ${index}`));
  return ok(t.key);
}

function ceremonyParams(state: ElectionState) {
  const e = state.election!;
  return { electionHash: e.baseHash, trustees: e.trustees.length, quorum: e.quorum };
}

function applyRound1(state: ElectionState, b: EntryBody<'trustee-round1'>, where: string): Check {
  if (state.key !== undefined) return fail('OUT_OF_ORDER', where, 'the ceremony is over');
  const key = trusteeKey(state, b.trustee, `${where}.trustee`);
  if (!key.ok) return key;
  if (state.round1.has(b.trustee)) {
    return fail('DUPLICATE', `${where}.trustee`, `trustee ${b.trustee} already posted round 1`);
  }
  const sig = verifyEntryBody('trustee-round1', b, key.value, where);
  if (!sig.ok) return sig;
  const msg = decodeRound1Message(b.message, `${where}.message`);
  if (!msg.ok) return fail('BAD_CEREMONY_MESSAGE', msg.error.where, msg.error.message);
  if (msg.value.index !== b.trustee) {
    return fail('BAD_CEREMONY_MESSAGE', `${where}.message.index`, 'not the posting trustee');
  }
  if (msg.value.coefficientCommitments.length !== state.election!.quorum) {
    return fail(
      'BAD_CEREMONY_MESSAGE',
      `${where}.message`,
      'one commitment per coefficient (quorum)',
    );
  }
  state.round1.set(b.trustee, msg.value);
  return OK;
}

function applyShares(state: ElectionState, b: EntryBody<'trustee-shares'>, where: string): Check {
  if (state.key !== undefined) return fail('OUT_OF_ORDER', where, 'the ceremony is over');
  const key = trusteeKey(state, b.trustee, `${where}.trustee`);
  if (!key.ok) return key;
  if (!state.round1.has(b.trustee)) {
    return fail('OUT_OF_ORDER', where, 'round 1 of this trustee comes first');
  }
  if (state.sharesPosted.has(b.trustee)) {
    return fail('DUPLICATE', `${where}.trustee`, `trustee ${b.trustee} already posted shares`);
  }
  const sig = verifyEntryBody('trustee-shares', b, key.value, where);
  if (!sig.ok) return sig;
  const n = state.election!.trustees.length;
  if (b.shares.length !== n - 1) {
    return fail(
      'BAD_CEREMONY_MESSAGE',
      `${where}.shares`,
      `one share for each of the ${n - 1} others`,
    );
  }
  const recipients = new Set<number>();
  for (let i = 0; i < b.shares.length; i++) {
    const m = decodeShareMessage(b.shares[i], `${where}.shares[${i}]`);
    if (!m.ok) return fail('BAD_CEREMONY_MESSAGE', m.error.where, m.error.message);
    if (
      m.value.from !== b.trustee ||
      m.value.to === b.trustee ||
      m.value.to > n ||
      recipients.has(m.value.to)
    ) {
      return fail('BAD_CEREMONY_MESSAGE', `${where}.shares[${i}]`, 'misaddressed share');
    }
    recipients.add(m.value.to);
  }
  state.sharesPosted.add(b.trustee);
  return OK;
}

function applyElectionKey(
  state: ElectionState,
  b: EntryBody<'election-key'>,
  where: string,
): Check {
  if (state.key !== undefined)
    return fail('DUPLICATE', where, 'the election key is already posted');
  const n = state.election!.trustees.length;
  if (state.round1.size !== n || state.sharesPosted.size !== n) {
    return fail('OUT_OF_ORDER', where, 'every trustee must post round 1 and its shares first');
  }
  const sig = verifyEntryBody('election-key', b, state.election!.authorityKey, where);
  if (!sig.ok) return sig;
  const computed = computeJointKey(ceremonyParams(state), [...state.round1.values()]);
  if (!computed.ok) return fail('BAD_CEREMONY_MESSAGE', where, computed.error.message);
  const posted = decodeJointKey(b.jointKey, `${where}.jointKey`);
  if (!posted.ok) return fail('BAD_CEREMONY_MESSAGE', posted.error.where, posted.error.message);
  if (!jointKeysEqual(posted.value, computed.value)) {
    return fail('JOINT_KEY_MISMATCH', `${where}.jointKey`, 'not the key the commitments define');
  }
  const electionHash = computeElectionHash(
    state.election!.baseHash,
    computed.value.publicKey,
    computed.value.verificationKeys,
  );
  if (encodeHex(electionHash) !== b.electionHash) {
    return fail('HASH_MISMATCH', `${where}.electionHash`, 'not the extended election hash');
  }
  state.key = { jointKey: computed.value, electionHash };
  for (const mesa of state.mesas.values()) {
    if (mesa.device !== undefined) {
      mesa.chainHead = computeTrackingSeed(electionHash, mesa.id, mesa.device.deviceKey);
    }
  }
  return OK;
}

// ---------------------------------------------------------------------------
// 3–5: devices, witnesses, registry, check-in

function mesaOf(state: ElectionState, id: string, where: string): Result<MesaState, ProtocolError> {
  const m = state.mesas.get(id);
  return m === undefined
    ? err(protocolError('UNKNOWN_MESA', where, `mesa ${id} is not in the manifest`))
    : ok(m);
}

function applyDevice(state: ElectionState, b: EntryBody<'mesa-device'>, where: string): Check {
  const mesa = mesaOf(state, b.mesa, `${where}.mesa`);
  if (!mesa.ok) return mesa;
  if (mesa.value.device !== undefined) {
    return fail('DUPLICATE', `${where}.mesa`, 'the mesa already has a device');
  }
  for (const [i, k] of [b.deviceKey, ...b.pollWorkerKeys].entries()) {
    if (!SigningPublicKey.decodeHex(k).ok) {
      return fail(
        'BAD_KEY',
        i === 0 ? `${where}.deviceKey` : `${where}.pollWorkerKeys[${i - 1}]`,
        'not an Ed25519 public key',
      );
    }
  }
  const sig = verifyEntryBody('mesa-device', b, state.election!.authorityKey, where);
  if (!sig.ok) return sig;
  mesa.value.device = { deviceKey: b.deviceKey, pollWorkerKeys: new Set(b.pollWorkerKeys) };
  if (state.key !== undefined) {
    mesa.value.chainHead = computeTrackingSeed(state.key.electionHash, b.mesa, b.deviceKey);
  }
  return OK;
}

function applyWitness(state: ElectionState, b: EntryBody<'witness'>, where: string): Check {
  if (!SigningPublicKey.decodeHex(b.key).ok)
    return fail('BAD_KEY', `${where}.key`, 'not an Ed25519 public key');
  if (state.witnesses.has(b.key))
    return fail('DUPLICATE', `${where}.key`, 'witness already registered');
  const sig = verifyEntryBody('witness', b, state.election!.authorityKey, where);
  if (!sig.ok) return sig;
  state.witnesses.set(b.key, b.name);
  return OK;
}

function applyRegistration(
  state: ElectionState,
  b: EntryBody<'registration'>,
  where: string,
): Check {
  const mesa = mesaOf(state, b.mesa, `${where}.mesa`);
  if (!mesa.ok) return mesa;
  if (mesa.value.acta !== undefined)
    return fail('MESA_CLOSED', `${where}.mesa`, 'the mesa is closed');
  if (state.credentials.has(b.credentialKey)) {
    return fail('DUPLICATE', `${where}.credentialKey`, 'this credential key is already registered');
  }
  const pk = SigningPublicKey.decodeHex(b.credentialKey, `${where}.credentialKey`);
  if (!pk.ok) return fail('BAD_KEY', `${where}.credentialKey`, pk.error.message);
  let old: CredentialState | undefined;
  if (b.supersedes !== undefined) {
    old = state.credentials.get(b.supersedes);
    if (old === undefined) {
      return fail('UNKNOWN_CREDENTIAL', `${where}.supersedes`, 'no such credential to reissue');
    }
    // A lost card may be revoked first and replaced later, but a card is
    // replaced once: a second reissue would leave two live cards for one voter.
    if (old.supersededBy !== undefined) {
      return fail('BAD_REISSUE', `${where}.supersedes`, 'this credential was already reissued');
    }
    if (old.identityCommitment !== b.identityCommitment || b.serial !== old.serial + 1) {
      return fail(
        'BAD_REISSUE',
        `${where}.serial`,
        'a reissue keeps the identity and increments the serial',
      );
    }
    if (state.mesas.get(old.mesa)!.acta !== undefined) {
      return fail('MESA_CLOSED', `${where}.supersedes`, `mesa ${old.mesa} is closed`);
    }
    if (old.checkedIn !== undefined) {
      return fail('ALREADY_CHECKED_IN', `${where}.supersedes`, 'the voter already checked in');
    }
  } else if (b.serial !== 1) {
    return fail('BAD_REISSUE', `${where}.serial`, 'a first issue has serial 1');
  }
  const sig = verifyEntryBody('registration', b, state.election!.registryKey, where);
  if (!sig.ok) return sig;
  if (old !== undefined) {
    old.supersededBy = b.credentialKey;
    if (!old.revoked) {
      old.revoked = true;
      state.mesas.get(old.mesa)!.registered -= 1;
    }
  }
  state.credentials.set(b.credentialKey, {
    mesa: b.mesa,
    serial: b.serial,
    identityCommitment: b.identityCommitment,
    index: state.size,
    revoked: false,
  });
  mesa.value.registered += 1;
  return OK;
}

function applyRevocation(state: ElectionState, b: EntryBody<'revocation'>, where: string): Check {
  const cred = state.credentials.get(b.credentialKey);
  if (cred === undefined)
    return fail('UNKNOWN_CREDENTIAL', `${where}.credentialKey`, 'not registered');
  if (cred.revoked) return fail('REVOKED_CREDENTIAL', `${where}.credentialKey`, 'already revoked');
  if (cred.checkedIn !== undefined) {
    return fail('ALREADY_CHECKED_IN', `${where}.credentialKey`, 'the voter already checked in');
  }
  if (state.mesas.get(cred.mesa)!.acta !== undefined) {
    return fail('MESA_CLOSED', `${where}.credentialKey`, `mesa ${cred.mesa} is closed`);
  }
  const sig = verifyEntryBody('revocation', b, state.election!.registryKey, where);
  if (!sig.ok) return sig;
  cred.revoked = true;
  state.mesas.get(cred.mesa)!.registered -= 1;
  return OK;
}

/** Why a check-in would be refused, or the mesa it goes to (shared with the service). */
export function checkCheckin(state: ElectionState, b: EntryBody<'checkin'>, where: string): Check {
  if (state.key === undefined)
    return fail('POLLS_NOT_OPEN', where, 'the election key is not posted yet');
  const mesa = mesaOf(state, b.mesa, `${where}.mesa`);
  if (!mesa.ok) return mesa;
  if (mesa.value.device === undefined)
    return fail('POLLS_NOT_OPEN', `${where}.mesa`, 'the mesa has no device');
  if (mesa.value.acta !== undefined)
    return fail('MESA_CLOSED', `${where}.mesa`, 'the mesa is closed');
  const cred = state.credentials.get(b.credentialKey);
  if (cred === undefined) {
    return fail(
      'UNKNOWN_CREDENTIAL',
      `${where}.credentialKey`,
      'this credential is not registered',
    );
  }
  if (cred.revoked)
    return fail('REVOKED_CREDENTIAL', `${where}.credentialKey`, 'this credential was revoked');
  if (cred.checkedIn !== undefined) {
    return fail(
      'ALREADY_CHECKED_IN',
      `${where}.credentialKey`,
      `this credential already checked in (entry ${cred.checkedIn.index}, mesa ${cred.checkedIn.mesa})`,
    );
  }
  if (cred.mesa !== b.mesa) {
    return fail('WRONG_MESA', `${where}.mesa`, `the credential is registered at mesa ${cred.mesa}`);
  }
  if (!mesa.value.device.pollWorkerKeys.has(b.pollWorkerKey)) {
    return fail('UNKNOWN_POLL_WORKER', `${where}.pollWorkerKey`, 'not a poll worker of this mesa');
  }
  const voter = verifyCheckInSignature({
    electionId: state.election!.id,
    mesa: b.mesa,
    nonce: b.nonce,
    pollBookKey: b.pollWorkerKey,
    credentialKey: b.credentialKey,
    signature: b.voterSignature,
  });
  if (!voter.ok) {
    return fail(
      'SIGNATURE_INVALID',
      `${where}.voterSignature`,
      'the voter signature does not verify',
    );
  }
  return verifyEntryBody('checkin', b, b.pollWorkerKey, where);
}

function applyCheckin(state: ElectionState, b: EntryBody<'checkin'>, where: string): Check {
  const r = checkCheckin(state, b, where);
  if (!r.ok) return r;
  const cred = state.credentials.get(b.credentialKey)!;
  cred.checkedIn = { mesa: b.mesa, index: state.size };
  state.mesas.get(b.mesa)!.checkedIn += 1;
  return OK;
}

// ---------------------------------------------------------------------------
// 6: ballots

/** Decodes and verifies a ballot entry (no state change); returns its ciphertexts, per contest and card. */
export function checkBallot(
  state: ElectionState,
  b: EntryBody<'ballot'>,
  where: string,
  options: ApplyOptions = {},
): Result<Ciphertext[][], ProtocolError> {
  if (state.key === undefined)
    return err(protocolError('POLLS_NOT_OPEN', where, 'no election key yet'));
  const m = mesaOf(state, b.mesa, `${where}.mesa`);
  if (!m.ok) return m;
  const mesa = m.value;
  if (mesa.device === undefined)
    return err(protocolError('POLLS_NOT_OPEN', `${where}.mesa`, 'no device'));
  if (mesa.acta !== undefined)
    return err(protocolError('MESA_CLOSED', `${where}.mesa`, 'the mesa is closed'));
  if (b.style !== mesa.style) {
    return err(
      protocolError('WRONG_STYLE', `${where}.style`, `mesa ${b.mesa} votes style ${mesa.style}`),
    );
  }
  if (b.contests.length !== mesa.contests.length) {
    return err(
      protocolError('WRONG_CONTESTS', `${where}.contests`, 'not the contests of the style'),
    );
  }
  if (b.sequence !== mesa.sequence) {
    return err(
      protocolError('CHAIN_BROKEN', `${where}.sequence`, `expected ballot ${mesa.sequence}`),
    );
  }
  if (b.previousCode !== mesa.chainHead) {
    return err(
      protocolError('CHAIN_BROKEN', `${where}.previousCode`, 'does not continue the chain'),
    );
  }
  if (b.disposition === 'cast' && mesa.cast >= mesa.checkedIn) {
    return err(protocolError('NO_CHECKIN', where, 'more cast ballots than check-ins at this mesa'));
  }
  if ((b.disposition === 'spoiled') !== (b.opening !== undefined)) {
    return err(
      protocolError(
        'SPOIL_OPENING_SHAPE',
        `${where}.opening`,
        'a spoiled ballot, and only one, carries its opening',
      ),
    );
  }
  const electionHash = state.key.electionHash;
  const publicKey = state.key.jointKey.publicKey;
  const decoded: Ciphertext[][] = [];
  // Handed over only once the whole ballot passed every other rule.
  const deferred: DeferredContestProof[] = [];
  for (let c = 0; c < b.contests.length; c++) {
    const info = mesa.contests[c]!;
    const at = `${where}.contests[${c}]`;
    if (b.contests[c]!.contest !== info.id) {
      return err(protocolError('WRONG_CONTESTS', `${at}.contest`, `expected contest ${info.id}`));
    }
    const defer = options.deferContestProof !== undefined;
    const encrypted = b.contests[c]!.encrypted;
    let contest: EncryptedContest | undefined;
    let ciphertexts: Ciphertext[];
    if (defer) {
      const cts = decodeContestCiphertexts(encrypted, `${at}.encrypted`);
      if (!cts.ok)
        return err(protocolError('MALFORMED_BALLOT', cts.error.where, cts.error.message));
      ciphertexts = cts.value;
    } else {
      const full = decodeEncryptedContest(encrypted, `${at}.encrypted`);
      if (!full.ok)
        return err(protocolError('MALFORMED_BALLOT', full.error.where, full.error.message));
      contest = full.value;
      ciphertexts = full.value.selections.map((s) => s.ciphertext);
    }
    if (ciphertexts.length !== info.cardIds.length) {
      return err(
        protocolError(
          'WRONG_CONTESTS',
          `${at}.encrypted.selections`,
          `contest ${info.id} has ${info.cardIds.length} cards`,
        ),
      );
    }
    for (const [i, ct] of ciphertexts.entries()) {
      if (ct.alpha.isIdentity() || ct.beta.isIdentity()) {
        return err(
          protocolError(
            'MALFORMED_BALLOT',
            `${at}.encrypted.selections[${i}].ciphertext`,
            'identity component',
          ),
        );
      }
    }
    const context: ProofContext = ballotContestContext(electionHash, b.mesa, b.sequence, info.id);
    if (contest === undefined) {
      deferred.push({
        entry: state.size,
        where: `${at}.encrypted`,
        context,
        publicKey,
        encrypted,
        selections: ciphertexts.length,
        limit: info.limit,
      });
    } else {
      const v = verifyContest(context, publicKey, contest, info.limit, `${at}.encrypted`);
      if (!v.ok) return err(protocolError('BALLOT_PROOF', v.error.where, v.error.message));
    }
    decoded.push(ciphertexts);
  }
  // The contests (nearly all of the entry) are encoded once for the tracking
  // code and the signature, and for the caller's leaf hash if it shares its memo.
  const memo = options.memo ?? new Map<object, HashPart>();
  if (!memo.has(b.contests)) {
    memo.set(b.contests, encodeHashPart(toCanonicalParts(b.contests, 'contests')));
  }
  const code = computeTrackingCode(
    electionHash,
    b.mesa,
    b.sequence,
    b.previousCode,
    b.contests,
    memo,
  );
  if (code !== b.trackingCode) {
    return err(
      protocolError('CHAIN_BROKEN', `${where}.trackingCode`, 'not the code of this ballot'),
    );
  }
  if (b.opening !== undefined) {
    const o = verifyBallotOpening(
      publicKey,
      decoded.map((cts, i) => ({
        contest: b.contests[i]!.contest,
        encrypted: { selections: cts.map((ciphertext) => ({ ciphertext })) },
      })),
      b.opening,
      `${where}.opening`,
    );
    if (!o.ok) return o;
  }
  const sig = verifyEntryBody('ballot', b, mesa.device.deviceKey, where, memo);
  if (!sig.ok) return sig;
  for (const job of deferred) options.deferContestProof!(job);
  return ok(decoded);
}

function applyBallot(
  state: ElectionState,
  b: EntryBody<'ballot'>,
  where: string,
  options: ApplyOptions,
): Check {
  const decoded = checkBallot(state, b, where, options);
  if (!decoded.ok) return decoded;
  const mesa = state.mesas.get(b.mesa)!;
  mesa.sequence += 1;
  mesa.chainHead = b.trackingCode;
  if (b.disposition === 'spoiled') {
    mesa.spoiled += 1;
    return OK;
  }
  mesa.cast += 1;
  decoded.value.forEach((ciphertexts, c) => {
    const row = mesa.tally[c]!;
    ciphertexts.forEach((ct, i) => {
      row[i] = addCiphertexts(row[i]!, ct);
    });
  });
  return OK;
}

// ---------------------------------------------------------------------------
// 7: actas

function applyActa(state: ElectionState, entry: Entry & { type: 'acta' }, where: string): Check {
  const b = entry.body;
  const m = mesaOf(state, b.mesa, `${where}.mesa`);
  if (!m.ok) return m;
  const mesa = m.value;
  if (mesa.device === undefined || state.key === undefined) {
    return fail('POLLS_NOT_OPEN', `${where}.mesa`, 'the mesa never opened');
  }
  if (mesa.acta !== undefined)
    return fail('MESA_CLOSED', `${where}.mesa`, 'the mesa is already closed');
  const sig = verifyEntryBody('acta', b, mesa.device.deviceKey, where);
  if (!sig.ok) return sig;
  const c = b.counts;
  const expected = {
    registered: mesa.registered,
    checkedIn: mesa.checkedIn,
    cast: mesa.cast,
    spoiled: mesa.spoiled,
  };
  for (const k of ['registered', 'checkedIn', 'cast', 'spoiled'] as const) {
    if (c[k] !== expected[k]) {
      return fail(
        'ACTA_COUNT_MISMATCH',
        `${where}.counts.${k}`,
        `the record holds ${expected[k]}, the acta says ${c[k]}`,
      );
    }
  }
  if (b.chainHead !== mesa.chainHead) {
    return fail('ACTA_CHAIN_MISMATCH', `${where}.chainHead`, 'not the head of the mesa chain');
  }
  if (b.tally.length !== mesa.contests.length) {
    return fail('ACTA_TALLY_MISMATCH', `${where}.tally`, 'one tally per contest of the style');
  }
  if (b.results.length !== mesa.contests.length) {
    return fail('ACTA_TALLY_MISMATCH', `${where}.results`, 'one result per contest of the style');
  }
  const results: number[][] = [];
  for (let ci = 0; ci < mesa.contests.length; ci++) {
    const info = mesa.contests[ci]!;
    const t = b.tally[ci]!;
    const r = b.results[ci]!;
    if (t.contest !== info.id) {
      return fail('ACTA_TALLY_MISMATCH', `${where}.tally[${ci}].contest`, `expected ${info.id}`);
    }
    if (r.contest !== info.id) {
      return fail('ACTA_TALLY_MISMATCH', `${where}.results[${ci}].contest`, `expected ${info.id}`);
    }
    if (t.ciphertexts.length !== info.cardIds.length) {
      return fail('ACTA_TALLY_MISMATCH', `${where}.tally[${ci}]`, 'one ciphertext per card');
    }
    if (r.counts.length !== info.cardIds.length) {
      return fail('ACTA_TALLY_MISMATCH', `${where}.results[${ci}]`, 'one count per card');
    }
    for (let i = 0; i < info.cardIds.length; i++) {
      const ct = decodeCiphertext(t.ciphertexts[i], `${where}.tally[${ci}].ciphertexts[${i}]`);
      if (!ct.ok) return fail('ACTA_TALLY_MISMATCH', ct.error.where, ct.error.message);
      const sum = mesa.tally[ci]![i]!;
      if (!ct.value.alpha.equals(sum.alpha) || !ct.value.beta.equals(sum.beta)) {
        return fail(
          'ACTA_TALLY_MISMATCH',
          `${where}.tally[${ci}].ciphertexts[${i}]`,
          'not the sum of the cast ballots',
        );
      }
    }
    const marks = r.counts.reduce((a, n) => a + n, 0);
    if (marks > mesa.cast * info.limit || r.counts.some((n) => n > mesa.cast)) {
      return fail(
        'ACTA_RESULT_IMPLAUSIBLE',
        `${where}.results[${ci}]`,
        'more marks than the cast ballots allow',
      );
    }
    results.push([...r.counts]);
  }
  const qr = parseActaQr(b.qr);
  if (!qr.ok) return fail('ACTA_QR_MISMATCH', `${where}.qr`, qr.error.message);
  const qrCheck = verifyActaQr(qr.value, unwrapKey(mesa.device.deviceKey), {
    electionHash: state.key.electionHash,
  });
  if (!qrCheck.ok) return fail('ACTA_QR_MISMATCH', `${where}.qr`, qrCheck.error.message);
  if (!matchesActaQr(qr.value, { mesa: b.mesa, counts: c, chainHead: b.chainHead, results }))
    return fail('ACTA_QR_MISMATCH', `${where}.qr`, 'the QR payload does not match the acta');
  mesa.acta = {
    index: state.size,
    leafHash: encodeHex(hashEntry(entry)),
    results,
    cosigners: new Set(),
  };
  return OK;
}

function unwrapKey(hex: string): SigningPublicKey {
  const k = SigningPublicKey.decodeHex(hex);
  if (!k.ok) throw new Error('a device key on the board does not decode (checked when posted)');
  return k.value;
}

function applyCosign(state: ElectionState, b: EntryBody<'acta-cosign'>, where: string): Check {
  const m = mesaOf(state, b.mesa, `${where}.mesa`);
  if (!m.ok) return m;
  const acta = m.value.acta;
  if (acta === undefined) return fail('OUT_OF_ORDER', `${where}.mesa`, 'the mesa has no acta yet');
  if (b.acta !== acta.leafHash)
    return fail('HASH_MISMATCH', `${where}.acta`, 'not the leaf hash of the acta');
  if (!state.witnesses.has(b.witnessKey))
    return fail('UNKNOWN_WITNESS', `${where}.witnessKey`, 'not a registered witness');
  if (acta.cosigners.has(b.witnessKey))
    return fail('DUPLICATE', `${where}.witnessKey`, 'already co-signed');
  const sig = verifyEntryBody('acta-cosign', b, b.witnessKey, where);
  if (!sig.ok) return sig;
  acta.cosigners.add(b.witnessKey);
  return OK;
}

// ---------------------------------------------------------------------------
// 8–10: decryption, results, totals

/** The proof context of a mesa's decryption shares. */
export function decryptionContext(
  electionHash: Uint8Array,
  mesa: string,
  contest: string,
  card: number,
): ProofContext {
  return { electionHash, label: ['decryption', mesa, contest, card] };
}

function applyDecryption(state: ElectionState, b: EntryBody<'decryption'>, where: string): Check {
  const key = trusteeKey(state, b.trustee, `${where}.trustee`);
  if (!key.ok) return key;
  const m = mesaOf(state, b.mesa, `${where}.mesa`);
  if (!m.ok) return m;
  const mesa = m.value;
  if (mesa.acta === undefined || state.key === undefined) {
    return fail('OUT_OF_ORDER', `${where}.mesa`, 'the mesa is not closed');
  }
  if (mesa.decryptions.has(b.trustee))
    return fail('DUPLICATE', `${where}.trustee`, 'already decrypted this mesa');
  const sig = verifyEntryBody('decryption', b, key.value, where);
  if (!sig.ok) return sig;
  const vk = state.key.jointKey.verificationKeys[b.trustee - 1]!;
  if (b.shares.length !== mesa.contests.length) {
    return fail('DECRYPTION_SHAPE', `${where}.shares`, 'one list of shares per contest');
  }
  const out: DecryptionShare[][] = [];
  for (let ci = 0; ci < mesa.contests.length; ci++) {
    const info = mesa.contests[ci]!;
    const list = b.shares[ci]!;
    const at = `${where}.shares[${ci}]`;
    const expected = mesa.cast === 0 ? 0 : info.cardIds.length;
    if (list.contest !== info.id || list.shares.length !== expected) {
      return fail('DECRYPTION_SHAPE', at, `contest ${info.id}: ${expected} shares expected`);
    }
    const row: DecryptionShare[] = [];
    for (let i = 0; i < list.shares.length; i++) {
      const s = decodeDecryptionShare(list.shares[i], `${at}.shares[${i}]`);
      if (!s.ok) return fail('DECRYPTION_SHARE_INVALID', s.error.where, s.error.message);
      if (s.value.trustee !== b.trustee) {
        return fail(
          'DECRYPTION_SHARE_INVALID',
          `${at}.shares[${i}].trustee`,
          'not the posting trustee',
        );
      }
      const checks = decryptionShareChecks(
        decryptionContext(state.key.electionHash, b.mesa, info.id, i),
        vk,
        mesa.tally[ci]![i]!,
        s.value,
        `${at}.shares[${i}]`,
      );
      const v = verifyLinearChecks(checks, 'the decryption share proof does not hold');
      if (!v.ok) return fail('DECRYPTION_SHARE_INVALID', v.error.where, v.error.message);
      row.push(s.value);
    }
    out.push(row);
  }
  mesa.decryptions.set(b.trustee, out);
  return OK;
}

/** Combines the shares of `trustees` for a mesa: its decrypted counts. */
export function combineMesaResult(
  state: ElectionState,
  mesa: MesaState,
  trustees: readonly number[],
  where: string,
): Result<number[][], ProtocolError> {
  const quorum = state.election!.quorum;
  if (new Set(trustees).size !== trustees.length || trustees.length < quorum) {
    return err(
      protocolError(
        'DECRYPTION_QUORUM',
        `${where}.trustees`,
        `at least ${quorum} distinct trustees`,
      ),
    );
  }
  for (const t of trustees) {
    if (!mesa.decryptions.has(t)) {
      return err(
        protocolError(
          'DECRYPTION_QUORUM',
          `${where}.trustees`,
          `trustee ${t} has not decrypted this mesa`,
        ),
      );
    }
  }
  const counts: number[][] = [];
  for (let ci = 0; ci < mesa.contests.length; ci++) {
    const info = mesa.contests[ci]!;
    const row: number[] = [];
    for (let i = 0; i < info.cardIds.length; i++) {
      if (mesa.cast === 0) {
        row.push(0);
        continue;
      }
      const shares: DecryptionShare[] = [];
      for (const t of trustees) {
        const d = mesa.decryptions.get(t);
        if (d === undefined) {
          return err(
            protocolError(
              'DECRYPTION_QUORUM',
              `${where}.trustees`,
              `trustee ${t} has not decrypted this mesa`,
            ),
          );
        }
        shares.push(d[ci]![i]!);
      }
      const m = decryptWithShares(
        mesa.tally[ci]![i]!,
        shares,
        quorum,
        mesa.cast,
        `${where}.results[${ci}].counts[${i}]`,
      );
      if (!m.ok) return err(protocolError('DECRYPTION_FAILED', m.error.where, m.error.message));
      row.push(m.value);
    }
    counts.push(row);
  }
  return ok(counts);
}

function applyMesaResult(state: ElectionState, b: EntryBody<'mesa-result'>, where: string): Check {
  const m = mesaOf(state, b.mesa, `${where}.mesa`);
  if (!m.ok) return m;
  const mesa = m.value;
  if (mesa.acta === undefined)
    return fail('OUT_OF_ORDER', `${where}.mesa`, 'the mesa is not closed');
  if (mesa.result !== undefined)
    return fail('DUPLICATE', `${where}.mesa`, 'the mesa already has its result');
  const sig = verifyEntryBody('mesa-result', b, state.election!.authorityKey, where);
  if (!sig.ok) return sig;
  const combined = combineMesaResult(state, mesa, b.trustees, where);
  if (!combined.ok) return combined;
  if (b.results.length !== combined.value.length) {
    return fail('RESULT_MISMATCH', `${where}.results`, 'one result per contest');
  }
  for (let ci = 0; ci < combined.value.length; ci++) {
    const got = b.results[ci]!;
    const want = combined.value[ci]!;
    if (
      got.contest !== mesa.contests[ci]!.id ||
      got.counts.length !== want.length ||
      got.counts.some((n, i) => n !== want[i])
    ) {
      return fail(
        'RESULT_MISMATCH',
        `${where}.results[${ci}]`,
        'not what the decryption shares give',
      );
    }
  }
  const acta = mesa.acta.results;
  const same = acta.every((row, ci) => row.every((n, i) => n === combined.value[ci]![i]));
  if (!same) {
    state.findings.push({
      code: 'ACTA_RESULT_MISMATCH',
      where: `entries[${mesa.acta.index}].body.results`,
      message: `mesa ${mesa.id}: the acta's counts differ from the decrypted tally (entry ${state.size})`,
    });
  }
  mesa.result = { index: state.size, counts: combined.value };
  return OK;
}

/** The totals the record implies: per contest, per card and per candidate. */
export function computeTotals(state: ElectionState): {
  mesas: number;
  results: { contest: string; cards: number[]; candidates: Record<string, number> }[];
} {
  const contests = [...state.election!.contests.values()];
  const cards = new Map(contests.map((c) => [c.id, c.cardIds.map(() => 0)]));
  let mesas = 0;
  for (const mesa of state.mesas.values()) {
    if (mesa.result === undefined) continue;
    mesas += 1;
    mesa.contests.forEach((c, ci) => {
      const row = cards.get(c.id)!;
      mesa.result!.counts[ci]!.forEach((n, i) => (row[i]! += n));
    });
  }
  return {
    mesas,
    results: contests.map((c) => {
      const row = cards.get(c.id)!;
      const candidates: Record<string, number> = {};
      for (const id of c.candidateIds) candidates[id] = 0;
      row.forEach((n, i) => (candidates[c.cardCandidates[i]!]! += n));
      return { contest: c.id, cards: row, candidates };
    }),
  };
}

/** One contest's totals with the manifest's names: what results tables print. */
export interface ContestTotalsView {
  readonly contest: string;
  /** The contest's English name. */
  readonly name: string;
  readonly selectionLimit: number;
  readonly candidates: readonly {
    readonly id: string;
    readonly name: string;
    readonly votes: number;
  }[];
  readonly cards: readonly {
    readonly id: string;
    readonly label: string;
    readonly candidate: string;
    readonly votes: number;
  }[];
}

/**
 * Totals (as `computeTotals` or a `totals` entry gives them) with the
 * manifest's names, in manifest order; a contest the totals lack counts 0.
 */
export function describeTotals(
  manifest: Manifest,
  results: readonly {
    contest: string;
    cards: readonly number[];
    candidates: Readonly<Record<string, number>>;
  }[],
): ContestTotalsView[] {
  return manifest.contests.map((c) => {
    const t = results.find((r) => r.contest === c.id);
    return {
      contest: c.id,
      name: c.name.en,
      selectionLimit: c.selectionLimit,
      candidates: c.candidates.map((cand) => ({
        id: cand.id,
        name: cand.name,
        votes: t?.candidates[cand.id] ?? 0,
      })),
      cards: c.cards.map((card, i) => ({
        id: card.id,
        label: card.label,
        candidate: card.candidateId,
        votes: t?.cards[i] ?? 0,
      })),
    };
  });
}

function applyTotals(state: ElectionState, b: EntryBody<'totals'>, where: string): Check {
  if (state.totals !== undefined) return fail('DUPLICATE', where, 'the totals are already posted');
  for (const mesa of state.mesas.values()) {
    if (mesa.device !== undefined && mesa.result === undefined) {
      return fail('OUT_OF_ORDER', where, `mesa ${mesa.id} has no result yet`);
    }
  }
  const sig = verifyEntryBody('totals', b, state.election!.authorityKey, where);
  if (!sig.ok) return sig;
  const t = computeTotals(state);
  const same =
    b.mesas === t.mesas &&
    b.results.length === t.results.length &&
    b.results.every((r, i) => {
      const w = t.results[i]!;
      return (
        r.contest === w.contest &&
        r.cards.length === w.cards.length &&
        r.cards.every((n, j) => n === w.cards[j]) &&
        Object.keys(w.candidates).length === Object.keys(r.candidates).length &&
        Object.entries(w.candidates).every(([k, n]) => r.candidates[k] === n)
      );
    });
  if (!same)
    return fail('TOTALS_MISMATCH', `${where}.results`, "not the sum of the mesas' results");
  state.totals = { index: state.size };
  return OK;
}
