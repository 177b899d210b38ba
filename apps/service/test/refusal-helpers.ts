/**
 * Helpers of the refusal tests (issue #4, "Behaviour under bad input";
 * docs/spec.md §2.9, the rules of the state machine): a small simulated
 * election on a temporary SQLite board, stopped at the phase a test attacks;
 * a snapshot of everything stored (sizes, leaf hashes, the entries' bytes,
 * the state's counters) to show that a refusal lost or altered nothing; the
 * check that a refused check-in, ballot, acta or decryption left exactly one
 * signed `refusal` entry behind; and builders of hand-made bad entries,
 * signed with the RIGHT keys so that each one breaks exactly one rule.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  createSeededRng,
  encodeCiphertext,
  generateSigningKeyPair,
  utf8,
  type Rng,
  type SigningSecretKey,
} from '@acta/crypto';
import {
  buildDemoManifest,
  computeTrackingCode,
  encryptBallot,
  hashEntry,
  hashSubmission,
  openBallot,
  parseEntryLine,
  parseManifest,
  serializeEntry,
  signEntryBody,
  verifyEntryBody,
  type ContestChoice,
  type CredentialCard,
  type Entry,
  type EntryBody,
  type Manifest,
  type MesaState,
  type ProtocolError,
  type ProtocolErrorCode,
  type RefusedOperation,
} from '@acta/protocol';
import { openSqliteStore, type BoardStore } from '@acta/store';
import {
  ElectionService,
  simulateElection,
  type Receipt,
  type SimulationPhase,
  type SimulationResult,
} from '../src/index.js';

// ---------------------------------------------------------------------------
// Boards and elections

const boardsDir = mkdtempSync(join(tmpdir(), 'acta-refusals-'));
const openStores: BoardStore[] = [];
let boards = 0;

/** The example manifests shipped with @acta/protocol. */
export type ExampleName = 'national-ve2024' | 'municipal';

/** An example manifest, parsed (the boundary check every manifest goes through). */
export function loadExample(name: ExampleName): Manifest {
  const url = new URL(`../../../libs/protocol/examples/${name}.json`, import.meta.url);
  const m = parseManifest(JSON.parse(readFileSync(url, 'utf8')) as unknown);
  if (!m.ok) throw new Error(`example ${name}: ${m.error.message}`);
  return m.value;
}

/** A service on a fresh, empty SQLite board (closed by `closeBoards`). */
export async function openEmptyBoard(): Promise<{
  readonly store: BoardStore;
  readonly service: ElectionService;
}> {
  const store = await openSqliteStore(join(boardsDir, `board-${boards++}.sqlite`));
  openStores.push(store);
  let now = 1_790_000_000_000;
  const service = await ElectionService.open({
    store,
    authorityKey: generateSigningKeyPair(createSeededRng(`refusals-authority/${boards}`)).secretKey,
    clock: () => (now += 7),
  });
  return { store, service };
}

/** A simulated election in progress and the secrets of its parties. */
export interface Election {
  readonly store: BoardStore;
  readonly service: ElectionService;
  readonly manifest: Manifest;
  readonly electionId: string;
  readonly parties: SimulationResult['parties'];
  /** Randomness for hand-made entries (seeded: every run builds the same attacks). */
  readonly rng: Rng;
}

/** What election to open and where to stop it. */
export interface ElectionOptions {
  /** A manifest (default: the national example reduced to `mesas` demo mesas). */
  readonly manifest?: Manifest;
  readonly mesas?: number;
  readonly voters?: number;
  readonly seed: string;
  readonly stopAfter: SimulationPhase;
}

/**
 * Runs a small election (3 trustees, quorum 2) up to `stopAfter` on a fresh
 * board. Deterministic: the same seed gives the same keys, cards and ballots.
 */
export async function openElection(options: ElectionOptions): Promise<Election> {
  const manifest =
    options.manifest ??
    buildDemoManifest(loadExample('national-ve2024'), {
      mesas: options.mesas ?? 3,
      seed: options.seed,
    });
  const { store, service } = await openEmptyBoard();
  const sim = await simulateElection(service, {
    manifest,
    voters: options.voters ?? 20,
    trustees: 3,
    quorum: 2,
    seed: options.seed,
    deterministicCrypto: true,
    spoilRate: 0,
    stopAfter: options.stopAfter,
  });
  return {
    store,
    service,
    manifest,
    electionId: manifest.electionId,
    parties: sim.parties,
    rng: createSeededRng(`refusals-attacks/${options.seed}`),
  };
}

/** Closes every board opened since the last call (afterEach). */
export async function closeBoards(): Promise<void> {
  await Promise.all(openStores.splice(0).map((s) => s.close()));
}

/** Deletes the boards' directory (afterAll). */
export function removeBoards(): void {
  rmSync(boardsDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------
// Snapshots: what a refusal must not change

/** Everything a refusal must leave as it was (digests over the board's first entries). */
export interface BoardSnapshot {
  readonly serviceSize: number;
  readonly storeSize: number;
  /** SHA-256 of the packed leaf hashes of entries 0…n−1. */
  readonly leafDigest: string;
  /** SHA-256 over the stored bytes (length-prefixed) and kinds of entries 0…n−1. */
  readonly payloadDigest: string;
  readonly kinds: Readonly<Record<string, number>>;
  /** The state machine's view: per mesa counters, chain, tally; credentials; ceremony. */
  readonly state: string;
  /** Accepted entries per type, by the state machine. */
  readonly counts: Readonly<Record<string, number>>;
}

function describeMesa(m: MesaState): unknown {
  return {
    id: m.id,
    device: m.device === undefined ? null : [m.device.deviceKey, ...m.device.pollWorkerKeys],
    registered: m.registered,
    checkedIn: m.checkedIn,
    cast: m.cast,
    spoiled: m.spoiled,
    sequence: m.sequence,
    chainHead: m.chainHead,
    tally: m.tally.map((row) => row.map((c) => encodeCiphertext(c))),
    acta:
      m.acta === undefined ? null : [m.acta.index, m.acta.leafHash, [...m.acta.cosigners].sort()],
    decryptions: [...m.decryptions.keys()].sort(),
    result: m.result === undefined ? null : [m.result.index, m.result.counts],
  };
}

function describeState(service: ElectionService): string {
  const s = service.state;
  return JSON.stringify({
    election: s.election?.id ?? null,
    round1: [...s.round1.keys()].sort(),
    shares: [...s.sharesPosted].sort(),
    key: s.key !== undefined,
    mesas: [...s.mesas.values()].map(describeMesa),
    witnesses: [...s.witnesses.keys()].sort(),
    credentials: [...s.credentials.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, c]) => [k, c.mesa, c.serial, c.revoked, c.checkedIn?.index ?? null]),
    findings: s.findings,
    totals: s.totals?.index ?? null,
  });
}

async function digestBoard(
  store: BoardStore,
  n: number,
): Promise<{ leafDigest: string; payloadDigest: string }> {
  const leaves = await store.leafHashes(0, n);
  expect(leaves.length).toBe(32 * n);
  const payloads = createHash('sha256');
  for (let from = 0; from < n; from += 10_000) {
    for (const e of await store.range(from, Math.min(n, from + 10_000))) {
      payloads.update(`${e.index}:${e.kind}:${e.payload.length}:`).update(e.payload);
    }
  }
  return {
    leafDigest: createHash('sha256').update(leaves).digest('hex'),
    payloadDigest: payloads.digest('hex'),
  };
}

/** A snapshot of the board and the state (digests over the first `n` entries, default all). */
export async function takeSnapshot(
  store: BoardStore,
  service: ElectionService,
  n?: number,
): Promise<BoardSnapshot> {
  const storeSize = await store.size();
  const counts: Record<string, number> = { ...service.state.counts };
  return {
    serviceSize: service.size,
    storeSize,
    ...(await digestBoard(store, n ?? storeSize)),
    kinds: await store.countByKind(),
    state: describeState(service),
    counts,
  };
}

function plusRefusals(
  counts: Readonly<Record<string, number>>,
  added: number,
): Record<string, number> {
  if (added === 0) return { ...counts };
  return { ...counts, refusal: (counts['refusal'] ?? 0) + added };
}

// ---------------------------------------------------------------------------
// Submitting: accepted, or refused with nothing lost

/** A board and its service (an Election, or an empty board). */
export interface Board {
  readonly store: BoardStore;
  readonly service: ElectionService;
}

/** What a refusal must look like. */
export interface ExpectedRefusal {
  readonly code: ProtocolErrorCode;
  /** The error's location after `entries[<board index>]`, e.g. `.body.mesa`. */
  readonly where: string;
  /** Match `where` as a prefix only (crypto errors name a deeper field, e.g. in a proof). */
  readonly wherePrefix?: boolean;
  /** The refusal entry the service must append; omitted: the board must not grow at all. */
  readonly recorded?: {
    readonly operation: RefusedOperation;
    readonly mesa?: string;
    readonly subject?: string;
  };
}

/**
 * Submits `entry`, expects it refused with `expected.code` at `expected.where`,
 * and checks that nothing stored was lost or altered: the same entries (bytes
 * and leaf hashes), the same state, and — for a check-in, ballot, acta or
 * decryption — exactly one new entry, a `refusal` signed by the authority that
 * names the operation, the code, the mesa and the submission's hash.
 */
export async function expectRefused(
  board: Board,
  entry: Entry,
  expected: ExpectedRefusal,
): Promise<ProtocolError> {
  const { store, service } = board;
  const before = await takeSnapshot(store, service);
  const n = before.storeSize;
  expect(before.serviceSize).toBe(n);

  const r = await service.submit(entry);
  expect(r.ok, 'the submission must be refused').toBe(false);
  if (r.ok) throw new Error('unreachable: the submission was accepted');
  const error = r.error;
  expect(error.code).toBe(expected.code);
  if (expected.wherePrefix === true) {
    expect(error.where.startsWith(`entries[${n}]${expected.where}`), error.where).toBe(true);
  } else {
    expect(error.where).toBe(`entries[${n}]${expected.where}`);
  }

  const added = expected.recorded === undefined ? 0 : 1;
  const after = await takeSnapshot(store, service, n);
  expect(after.leafDigest, 'the stored leaf hashes changed').toBe(before.leafDigest);
  expect(after.payloadDigest, 'the stored entries changed').toBe(before.payloadDigest);
  expect(after.storeSize).toBe(n + added);
  expect(after.serviceSize).toBe(n + added);
  expect(after.kinds).toEqual(plusRefusals(before.kinds, added));
  expect(after.counts).toEqual(plusRefusals(before.counts, added));
  expect(after.state, 'the state machine changed').toBe(before.state);

  if (expected.recorded !== undefined) {
    const stored = await store.get(n);
    expect(stored?.kind).toBe('refusal');
    const line = new TextDecoder().decode(stored!.payload);
    const parsed = parseEntryLine(line, `board entry ${n}`);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.value.type !== 'refusal') throw new Error('not a refusal entry');
    expect(Buffer.from(stored!.leafHash).toString('hex')).toBe(
      Buffer.from(hashEntry(parsed.value)).toString('hex'),
    );
    const body = parsed.value.body;
    expect(body.operation).toBe(expected.recorded.operation);
    expect(body.code).toBe(expected.code);
    expect(body.mesa).toBe(expected.recorded.mesa);
    expect(body.subject).toBe(expected.recorded.subject);
    expect(body.submission).toBe(hashSubmission(utf8(serializeEntry(entry))));
    expect(body.message.startsWith(`${error.where}: `)).toBe(true);
    const authority = service.state.election!.authorityKey;
    expect(verifyEntryBody('refusal', body, authority, 'refusal').ok).toBe(true);
  }
  return error;
}

/** Submits `entry` and expects it accepted at the end of the board. */
export async function expectAccepted(board: Board, entry: Entry): Promise<Receipt> {
  const n = await board.store.size();
  const r = await board.service.submit(entry);
  if (!r.ok) {
    throw new Error(`refused: ${r.error.code} at ${r.error.where}: ${r.error.message}`);
  }
  expect(r.value.index).toBe(n);
  expect(await board.store.size()).toBe(n + 1);
  const stored = await board.store.get(n);
  expect(stored?.kind).toBe(entry.type);
  expect(new TextDecoder().decode(stored!.payload)).toBe(serializeEntry(entry));
  return r.value;
}

// ---------------------------------------------------------------------------
// The parties' usual moves

/** The mesa ids of the election, in manifest order. */
export function mesaIds(e: Election): string[] {
  return [...e.service.state.mesas.keys()];
}

/** The state of mesa `id` (it must exist). */
export function mesaState(e: Election, id: string): MesaState {
  const m = e.service.state.mesas.get(id);
  if (m === undefined) throw new Error(`no mesa ${id}`);
  return m;
}

/** The registered cards of mesa `id` that have not checked in (fails if fewer than `count`). */
export function cardsOf(e: Election, id: string, count = 1): CredentialCard[] {
  const cards = e.parties.cards.filter((c) => {
    const cred = e.service.state.credentials.get(c.publicKey);
    return c.mesa === id && cred !== undefined && !cred.revoked && cred.checkedIn === undefined;
  });
  if (cards.length < count) throw new Error(`mesa ${id} has only ${cards.length} fresh cards`);
  return cards.slice(0, count);
}

/** The check-in of `card` at `mesa` (default its own) by that mesa's poll book. */
export function buildCheckin(e: Election, card: CredentialCard, mesa = card.mesa): Entry {
  const pollBook = e.parties.pollBooks.get(mesa);
  if (pollBook === undefined) throw new Error(`no poll book at ${mesa}`);
  return pollBook.checkin(e.service.now(), e.electionId, card, pollBook.challenge(e.rng));
}

/** Checks `card` in at its mesa (must be accepted). */
export async function checkIn(e: Election, card: CredentialCard): Promise<Receipt> {
  return expectAccepted(e, buildCheckin(e, card));
}

/** A valid choice in every contest of the mesa: the first card marked. */
export function firstCardVotes(mesa: MesaState): number[][] {
  return mesa.contests.map((c) => c.cardIds.map((_, i) => (i === 0 ? 1 : 0)));
}

/** The device of mesa `id` encrypts and posts a ballot (must be accepted). */
export async function castBallot(
  e: Election,
  id: string,
  disposition: 'cast' | 'spoiled' = 'cast',
): Promise<Receipt> {
  const device = e.parties.devices.get(id)!;
  const b = device.ballot(
    e.service.now(),
    e.service.state,
    firstCardVotes(mesaState(e, id)),
    disposition,
    e.rng,
  );
  const receipt = await expectAccepted(e, b.entry);
  device.accept();
  return receipt;
}

/** Checks in a fresh voter of mesa `id` and casts their ballot. */
export async function voteAt(e: Election, id: string): Promise<void> {
  await checkIn(e, cardsOf(e, id)[0]!);
  await castBallot(e, id);
}

/** The device of mesa `id` posts its acta with the record's counts (must be accepted). */
export async function closeMesa(e: Election, id: string): Promise<Entry> {
  const m = mesaState(e, id);
  const acta = e.parties.devices
    .get(id)!
    .close(e.service.now(), e.service.state, { registered: m.registered, checkedIn: m.checkedIn });
  await expectAccepted(e, acta);
  return acta;
}

// ---------------------------------------------------------------------------
// Hand-made entries

/** A fresh signing key nobody registered. */
export function freshKey(e: Election): SigningSecretKey {
  return generateSigningKeyPair(e.rng).secretKey;
}

/** A body without its signature (what a signer signs). */
function unsigned(body: object): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  delete copy['signature'];
  return copy;
}

/**
 * `entry` with its body edited (a deep copy; `edit` may mutate it) and
 * signed again by `key`: the signature is valid, only what `edit` did is wrong.
 */
export function resign(
  entry: Entry,
  key: SigningSecretKey,
  edit: (body: Record<string, unknown>) => void = () => undefined,
): Entry {
  const body = unsigned(entry.body);
  edit(body);
  return {
    type: entry.type,
    time: entry.time,
    body: signEntryBody(entry.type, body as never, key),
  } as Entry;
}

/** What a hand-made ballot holds (defaults: the mesa's own style, contests, chain position). */
export interface HandBallot {
  readonly mesa: string;
  readonly style?: string;
  readonly choices?: readonly ContestChoice[];
  readonly sequence?: number;
  readonly previousCode?: string;
  readonly disposition?: 'cast' | 'spoiled';
  /** The signer (default: the mesa's device). */
  readonly key?: SigningSecretKey;
}

/** The choices of every contest of a mesa's style: the first card marked. */
export function mesaChoices(mesa: MesaState): ContestChoice[] {
  return mesa.contests.map((c) => ({
    contest: c.id,
    votes: c.cardIds.map((_, i) => (i === 0 ? 1 : 0)),
    limit: c.limit,
  }));
}

/**
 * A ballot built by hand (encrypted with valid proofs under the election
 * key, tracking code computed, signed by the mesa's device unless `key` is
 * given) — anything the device would refuse to produce, like a foreign
 * contest or a jump in the chain.
 */
export function buildBallot(e: Election, b: HandBallot): Entry {
  const state = e.service.state;
  const key = state.key!;
  const mesa = mesaState(e, b.mesa);
  const choices = b.choices ?? mesaChoices(mesa);
  const sequence = b.sequence ?? mesa.sequence;
  const previousCode = b.previousCode ?? mesa.chainHead;
  const encrypted = encryptBallot({
    electionHash: key.electionHash,
    publicKey: key.jointKey.publicKey,
    mesa: b.mesa,
    sequence,
    previousCode,
    choices,
    rng: e.rng,
  });
  const disposition = b.disposition ?? 'cast';
  const body: Omit<EntryBody<'ballot'>, 'signature'> = {
    mesa: b.mesa,
    style: b.style ?? mesa.style,
    sequence,
    previousCode,
    trackingCode: encrypted.trackingCode,
    contests: encrypted.contests.map((c) => ({ contest: c.contest, encrypted: c.encrypted })),
    disposition,
    ...(disposition === 'spoiled'
      ? {
          opening: openBallot(choices, encrypted).map((o) => ({
            contest: o.contest,
            votes: [...o.votes],
            nonces: [...o.nonces],
          })),
        }
      : {}),
  };
  const signer = b.key ?? e.parties.devices.get(b.mesa)!.key;
  return { type: 'ballot', time: e.service.now(), body: signEntryBody('ballot', body, signer) };
}

/** A ballot body as JSON, being edited. */
export type BallotBodyJson = { contests: { contest: string; encrypted: unknown }[] } & Record<
  string,
  unknown
>;

/**
 * A ballot edited by `edit` and signed again by its mesa's device, with its
 * tracking code recomputed over the edited contests: the chain and the
 * signature are right, only what `edit` broke is wrong.
 */
export function tamperBallot(
  e: Election,
  ballot: Entry,
  edit: (body: BallotBodyJson) => void,
): Entry {
  if (ballot.type !== 'ballot') throw new Error('not a ballot');
  const device = e.parties.devices.get(ballot.body.mesa)!;
  return resign(ballot, device.key, (body) => {
    const b = body as BallotBodyJson;
    edit(b);
    b['trackingCode'] = computeTrackingCode(
      e.service.state.key!.electionHash,
      ballot.body.mesa,
      ballot.body.sequence,
      ballot.body.previousCode,
      b.contests,
    );
  });
}
