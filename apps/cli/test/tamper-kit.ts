/**
 * The tamper suite's workshop (issue #5, "The tamper suite"): ONE honest
 * election, run by the real service on a SQLite board and exported by
 * `exportRecord`, together with every secret an insider could hold — the
 * authority's key, the registry's, every trustee (with its key share), every
 * device, poll book, witness and voter card. The tests take the honest record
 * apart and put it back together the way an attacker would:
 *
 *  - `resign` edits an entry's body and signs it again with the key of the
 *    party that signs it (or any other key), so that the signature is valid
 *    and only the deep check can catch what the edit did;
 *  - `reseal` replays a modified list of entries through the rules, exactly as
 *    the verifier does (ballot proofs deferred, refused entries left out of the
 *    state), and has every insider repair what follows — the mesa's chain, the
 *    acta (counts, chain head, tally, results decrypted by the trustees, QR),
 *    the co-signatures, the decryptions, the mesa results and the totals — so
 *    that the record is consistent everywhere except where the attack is;
 *  - `seal` rebuilds the record files from a list of lines: the tree head
 *    re-signed with the authority key over the new Merkle root (an insider),
 *    kept as published (an outsider, who cannot sign), or any list of heads;
 *    the convenience files are rewritten to agree, since nobody signs them;
 *  - `verify` runs `verifyRecord` on an in-memory `RecordSource` (no disk).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MerkleFrontier,
  encodeSignedTreeHead,
  hashLeaf,
  parseSignedTreeHead,
  signTreeHead,
  type SignedTreeHead,
} from '@acta/board';
import {
  createSeededRng,
  decodeDecryptionShare,
  decryptWithShares,
  encodeCiphertext,
  generateSigningKeyPair,
  utf8,
  type DecryptionShare,
  type Rng,
  type SigningSecretKey,
} from '@acta/crypto';
import {
  Authority,
  applyEntry,
  buildDemoManifest,
  combineMesaResult,
  computeTotals,
  computeTrackingCode,
  createElectionState,
  encodeActaQr,
  encryptBallot,
  hashEntry,
  openBallot,
  parseEntryLine,
  parseManifest,
  serializeEntry,
  signEntryBody,
  type CredentialCard,
  type ElectionState,
  type Entry,
  type EntryBody,
  type EntryType,
  type Manifest,
  type MesaState,
  type PollBook,
  type Trustee,
  type VotingDevice,
} from '@acta/protocol';
import { openSqliteStore } from '@acta/store';
import {
  ElectionService,
  exportRecord,
  simulateElection,
  type SimulationResult,
} from '@acta/service';
import {
  verifyRecord,
  type RecordSource,
  type VerificationReport,
  type VerifyOptions,
} from '@acta/verifier';

/** The record files other than entries.ndjson (what `RecordSource.files` holds). */
export type SmallFiles = RecordSource['files'];

/** An exported record in memory: the lines of entries.ndjson and the other files' text. */
export interface TamperRecord {
  readonly lines: readonly string[];
  readonly files: SmallFiles;
}

/** The shape of the honest election (small: the suite verifies it some forty times). */
export const HONEST_ELECTION = {
  example: 'national-ve2024',
  mesas: 3,
  voters: 60,
  trustees: 5,
  quorum: 3,
  /** Trustee 2 does not show up to decrypt: trustees 1, 3, 4, 5 do, results combine 1, 3, 4. */
  absentTrustees: [2],
  spoilRate: 0.1,
  seed: 'tamper-suite',
} as const;

/** Everything an insider could hold: the secrets of every party of the election. */
export interface Insiders {
  readonly authority: Authority;
  readonly registry: SigningSecretKey;
  readonly trustees: readonly Trustee[];
  readonly devices: ReadonlyMap<string, VotingDevice>;
  readonly pollBooks: ReadonlyMap<string, PollBook>;
  readonly witnesses: readonly SigningSecretKey[];
  /** Every voter's card (the registry could have kept them). */
  readonly cards: readonly CredentialCard[];
}

/** How `seal` treats the signed tree heads. */
export type HeadPolicy =
  /** An insider: the authority signs one head over the whole new record. */
  | 'resign'
  /** An outsider: tree-heads.ndjson stays exactly as published. */
  | 'keep'
  /** Exactly these head lines (JSON text, oldest first). */
  | { readonly heads: readonly string[] };

/** A body as JSON, being edited. */
export type BodyJson = Record<string, unknown>;

/** How a report's `where` names entry `index`: its line and path, e.g. `entries.ndjson:17 entries[16]`. */
export function lineOf(index: number): string {
  return `entries.ndjson:${index + 1} entries[${index}]`;
}

/** The record as the verifier reads it, from memory instead of a directory. */
export function toSource(record: TamperRecord): RecordSource {
  return { files: record.files, entryLines: record.lines };
}

/** `list` with `added` inserted after position `index` (a copy). */
export function insertAfter<T>(list: readonly T[], index: number, ...added: T[]): T[] {
  return [...list.slice(0, index + 1), ...added, ...list.slice(index + 1)];
}

/** `list` with the item at `index` replaced (a copy). */
export function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}

/** The leaf hash the verifier gives a line: its entry's, or its bytes' when it does not parse. */
function leafOf(line: string): Uint8Array {
  const parsed = parseEntryLine(line);
  return parsed.ok ? hashEntry(parsed.value) : hashLeaf(utf8(line));
}

/** The ballot proofs are the verifier's pool's business: the replay defers them, as it does. */
const DEFER = { deferContestProof: (): void => undefined };

/** The honest election and the attacker's tools. */
export class TamperKit {
  readonly #dir: string;

  private constructor(
    dir: string,
    readonly manifest: Manifest,
    readonly electionId: string,
    /** The record exactly as `exportRecord` wrote it. */
    readonly honest: TamperRecord,
    /** Its entries, parsed. */
    readonly entries: readonly Entry[],
    /** The state after replaying every honest entry. */
    readonly state: ElectionState,
    readonly insiders: Insiders,
    readonly simulation: SimulationResult,
    /** The latest signed tree head of the honest record. */
    readonly head: SignedTreeHead,
  ) {
    this.#dir = dir;
  }

  /** Runs the honest election on a temporary SQLite board and exports it. */
  static async build(): Promise<TamperKit> {
    const dir = mkdtempSync(join(tmpdir(), 'acta-tamper-'));
    try {
      const h = HONEST_ELECTION;
      const url = new URL(`../../../libs/protocol/examples/${h.example}.json`, import.meta.url);
      const example = parseManifest(JSON.parse(readFileSync(url, 'utf8')) as unknown);
      if (!example.ok) throw new Error(`example manifest: ${example.error.message}`);
      const manifest = buildDemoManifest(example.value, { mesas: h.mesas, seed: h.seed });
      const store = await openSqliteStore(join(dir, 'board.sqlite'));
      const authorityKey = generateSigningKeyPair(createSeededRng(`${h.seed}/authority`)).secretKey;
      let now = 1_790_000_000_000;
      const service = await ElectionService.open({ store, authorityKey, clock: () => (now += 7) });
      let simulation: SimulationResult;
      try {
        simulation = await simulateElection(service, {
          manifest,
          voters: h.voters,
          trustees: h.trustees,
          quorum: h.quorum,
          absentTrustees: h.absentTrustees,
          seed: h.seed,
          deterministicCrypto: true,
          spoilRate: h.spoilRate,
        });
        await exportRecord(store, join(dir, 'record'));
      } finally {
        await store.close();
      }
      const read = async (name: string): Promise<string> =>
        readFile(join(dir, 'record', name), 'utf8');
      const text = await read('entries.ndjson');
      if (!text.endsWith('\n')) throw new Error('entries.ndjson must end with a newline');
      const lines = text.slice(0, -1).split('\n');
      const honest: TamperRecord = {
        lines,
        files: {
          'record.json': await read('record.json'),
          'tree-heads.ndjson': await read('tree-heads.ndjson'),
          'tree-head.json': await read('tree-head.json'),
          'manifest.json': await read('manifest.json'),
          'totals.json': await read('totals.json'),
        },
      };
      const entries = lines.map((line, i) => {
        const e = parseEntryLine(line, `entries[${i}]`);
        if (!e.ok) throw new Error(`honest line ${i + 1}: ${e.error.message}`);
        return e.value;
      });
      const state = createElectionState();
      for (const e of entries) {
        const r = applyEntry(state, e);
        if (!r.ok) throw new Error(`honest entry refused: ${r.error.code} at ${r.error.where}`);
      }
      const headText = honest.files['tree-head.json'] ?? '';
      const head = parseSignedTreeHead(JSON.parse(headText) as unknown);
      if (!head.ok) throw new Error(`honest tree head: ${head.error.message}`);
      const p = simulation.parties;
      return new TamperKit(
        dir,
        manifest,
        manifest.electionId,
        honest,
        entries,
        state,
        {
          authority: new Authority(authorityKey),
          registry: p.registryKey,
          trustees: p.trustees,
          devices: p.devices,
          pollBooks: p.pollBooks,
          witnesses: p.witnesses,
          cards: p.cards,
        },
        simulation,
        head.value,
      );
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Deletes the temporary board and export. */
  close(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }

  // -------------------------------------------------------------------------
  // Reading the honest record

  /** Indices of the honest entries of `type` matching `predicate`, in record order. */
  indicesOf<T extends EntryType>(
    type: T,
    predicate: (body: EntryBody<T>, index: number) => boolean = () => true,
  ): number[] {
    const out: number[] = [];
    this.entries.forEach((e, i) => {
      if (e.type === type && predicate(e.body as EntryBody<T>, i)) out.push(i);
    });
    return out;
  }

  /** The index of the only honest entry of `type` matching `predicate` (throws otherwise). */
  indexOf<T extends EntryType>(
    type: T,
    predicate: (body: EntryBody<T>, index: number) => boolean = () => true,
  ): number {
    const found = this.indicesOf(type, predicate);
    if (found.length !== 1) throw new Error(`${found.length} ${type} entries match, expected 1`);
    return found[0]!;
  }

  /** The honest entry at `index`, as the type the caller expects (throws otherwise). */
  entry<T extends EntryType>(index: number, type: T): Entry & { type: T; body: EntryBody<T> } {
    const e = this.entries[index];
    if (e === undefined || e.type !== type) throw new Error(`entry ${index} is not a ${type}`);
    return e as Entry & { type: T; body: EntryBody<T> };
  }

  /** The mesa ids, in manifest order. */
  get mesaIds(): string[] {
    return [...this.state.mesas.keys()];
  }

  /** The honest final state of mesa `id`. */
  mesa(id: string): MesaState {
    const m = this.state.mesas.get(id);
    if (m === undefined) throw new Error(`no mesa ${id}`);
    return m;
  }

  /** The trustees that decrypted (not absent), in index order. */
  get presentTrustees(): Trustee[] {
    const absent: readonly number[] = HONEST_ELECTION.absentTrustees;
    return this.insiders.trustees.filter((t) => !absent.includes(t.index));
  }

  // -------------------------------------------------------------------------
  // Keys and signatures

  /** The secret key of the party that signs `entry` under the rules. */
  signerOf(entry: Entry): SigningSecretKey {
    const p = this.insiders;
    const need = <T>(value: T | undefined, what: string): T => {
      if (value === undefined) throw new Error(`no ${what} for a ${entry.type} entry`);
      return value;
    };
    switch (entry.type) {
      case 'election':
      case 'election-key':
      case 'mesa-device':
      case 'witness':
      case 'refusal':
      case 'mesa-result':
      case 'totals':
        return p.authority.key;
      case 'trustee-round1':
      case 'trustee-shares':
      case 'decryption':
        return need(p.trustees[entry.body.trustee - 1], 'trustee').key;
      case 'registration':
      case 'revocation':
        return p.registry;
      case 'checkin':
        return need(p.pollBooks.get(entry.body.mesa), 'poll book').pollWorkerKey;
      case 'ballot':
      case 'acta':
        return need(p.devices.get(entry.body.mesa), 'device').key;
      case 'acta-cosign': {
        const key = entry.body.witnessKey;
        return need(
          p.witnesses.find((w) => w.publicKey().toHex() === key),
          'witness',
        );
      }
      default: {
        const never: never = entry;
        throw new Error(`unknown entry ${String(never)}`);
      }
    }
  }

  /**
   * `entry` with its body edited by `edit` (on a deep copy) and signed again,
   * by `key` or else by the party the rules expect: the signature verifies,
   * only what the edit did is wrong.
   */
  resign(
    entry: Entry,
    edit: (body: BodyJson) => void = () => undefined,
    key?: SigningSecretKey,
  ): Entry {
    const body = JSON.parse(JSON.stringify(entry.body)) as BodyJson;
    delete body['signature'];
    edit(body);
    return {
      type: entry.type,
      time: entry.time,
      body: signEntryBody(entry.type, body as never, key ?? this.signerOf(entry)),
    } as Entry;
  }

  /**
   * A ballot edited by `edit` and signed again by its device, with its
   * tracking code recomputed over the edited contests and chain position.
   */
  resignBallot(ballot: Entry, edit: (body: BodyJson) => void): Entry {
    const electionHash = this.state.key!.electionHash;
    return this.resign(ballot, (body) => {
      edit(body);
      body['trackingCode'] = computeTrackingCode(
        electionHash,
        body['mesa'] as string,
        body['sequence'] as number,
        body['previousCode'] as string,
        body['contests'] as { contest: string; encrypted: unknown }[],
      );
    });
  }

  /**
   * An acta edited by `edit` (counts, chain head, results) and signed again —
   * its QR payload re-encoded to state the same — by `key`, by default its
   * mesa's device: the acta agrees with itself, only its claims can be false.
   */
  resignActa(acta: Entry, edit: (body: BodyJson) => void, key?: SigningSecretKey): Entry {
    const signer = key ?? this.signerOf(acta);
    const electionHash = this.state.key!.electionHash;
    return this.resign(
      acta,
      (body) => {
        edit(body);
        const b = body as unknown as Omit<EntryBody<'acta'>, 'signature'>;
        body['qr'] = encodeActaQr(
          {
            electionHash,
            mesa: b.mesa,
            ...b.counts,
            counts: b.results.map((r) => r.counts),
            chainHead: b.chainHead,
          },
          signer,
        );
      },
      signer,
    );
  }

  /**
   * A ballot the device of `mesa` encrypts (valid proofs, tracking code,
   * signature) at chain position `sequence` after `previousCode`, marking
   * card `card` of each contest (default the first); cast, or spoiled with
   * its opening; under another election hash if `electionHash` is given (the
   * proofs then belong to that election). The same `rng` seed gives the same
   * ciphertexts, hence the same tracking code, whatever the disposition.
   */
  deviceBallot(args: {
    readonly mesa: string;
    readonly sequence: number;
    readonly previousCode: string;
    readonly time: number;
    readonly rng: Rng;
    readonly card?: number;
    readonly disposition?: 'cast' | 'spoiled';
    readonly electionHash?: Uint8Array;
  }): Entry {
    const key = this.state.key!;
    const mesa = this.mesa(args.mesa);
    const electionHash = args.electionHash ?? key.electionHash;
    const choices = mesa.contests.map((c) => ({
      contest: c.id,
      votes: c.cardIds.map((_, i) => (i === (args.card ?? 0) ? 1 : 0)),
      limit: c.limit,
    }));
    const encrypted = encryptBallot({
      electionHash,
      publicKey: key.jointKey.publicKey,
      mesa: mesa.id,
      sequence: args.sequence,
      previousCode: args.previousCode,
      choices,
      rng: args.rng,
    });
    const body: Omit<EntryBody<'ballot'>, 'signature'> = {
      mesa: mesa.id,
      style: mesa.style,
      sequence: args.sequence,
      previousCode: args.previousCode,
      // The tracking code of THIS election's chain, whatever hash the proofs were made under.
      trackingCode: computeTrackingCode(
        key.electionHash,
        mesa.id,
        args.sequence,
        args.previousCode,
        encrypted.contests,
      ),
      contests: encrypted.contests.map((c) => ({ contest: c.contest, encrypted: c.encrypted })),
      disposition: args.disposition ?? 'cast',
      ...(args.disposition === 'spoiled'
        ? {
            opening: openBallot(choices, encrypted).map((o) => ({
              contest: o.contest,
              votes: [...o.votes],
              nonces: [...o.nonces],
            })),
          }
        : {}),
    };
    const device = this.insiders.devices.get(mesa.id)!;
    return { type: 'ballot', time: args.time, body: signEntryBody('ballot', body, device.key) };
  }

  // -------------------------------------------------------------------------
  // Insiders repairing what follows an attack

  /** Replays `entries` as the verifier does; returns the state and the refused indices. */
  replay(entries: readonly Entry[]): { state: ElectionState; refused: number[] } {
    const state = createElectionState();
    const refused: number[] = [];
    entries.forEach((e, i) => {
      state.size = i;
      if (!applyEntry(state, e, DEFER).ok) refused.push(i);
    });
    return { state, refused };
  }

  /**
   * The entries as every insider would leave them after an attack: replayed
   * in order the way the verifier replays them, an entry the rules refuse is
   * rebuilt by its signer to fit what the record now holds — a ballot
   * re-chained (previous and tracking codes), an acta rebuilt from the
   * record's counters, chain head and tally with the results the trustees
   * decrypt, co-signatures of the new acta, fresh decryption shares, mesa
   * results and totals recomputed — unless its index is in `keep` (the
   * attack itself, which the insiders want exactly as it is). An entry that
   * still does not fit stays as it was.
   */
  reseal(entries: readonly Entry[], keep: ReadonlySet<number> = new Set()): Entry[] {
    const state = createElectionState();
    const rng = createSeededRng('tamper-kit/reseal');
    return entries.map((entry, i) => {
      state.size = i;
      if (applyEntry(state, entry, DEFER).ok) return entry;
      if (keep.has(i)) return entry;
      const repaired = this.#repair(state, entry, rng);
      if (repaired !== undefined && applyEntry(state, repaired, DEFER).ok) return repaired;
      return entry;
    });
  }

  #repair(state: ElectionState, entry: Entry, rng: Rng): Entry | undefined {
    if (entry.type === 'totals') {
      return this.insiders.authority.sign('totals', entry.time, computeTotals(state));
    }
    const key = state.key;
    if (key === undefined) return undefined;
    const mesaId = (entry.body as { mesa?: unknown }).mesa;
    const mesa = typeof mesaId === 'string' ? state.mesas.get(mesaId) : undefined;
    if (mesa === undefined) return undefined;
    switch (entry.type) {
      case 'ballot':
        return this.resign(entry, (body) => {
          body['previousCode'] = mesa.chainHead;
          body['trackingCode'] = computeTrackingCode(
            key.electionHash,
            mesa.id,
            entry.body.sequence,
            mesa.chainHead,
            entry.body.contests,
          );
        });
      case 'acta':
        return this.#acta(state, mesa, entry.time, rng);
      case 'acta-cosign': {
        const acta = mesa.acta;
        if (acta === undefined) return undefined;
        return this.resign(entry, (body) => {
          body['acta'] = acta.leafHash;
        });
      }
      case 'decryption': {
        const trustee = this.insiders.trustees[entry.body.trustee - 1];
        const d = trustee?.decrypt(entry.time, state, mesa, rng);
        return d?.ok === true ? d.value : undefined;
      }
      case 'mesa-result': {
        const counts = combineMesaResult(state, mesa, entry.body.trustees, 'reseal');
        if (!counts.ok) return undefined;
        return this.insiders.authority.sign('mesa-result', entry.time, {
          mesa: mesa.id,
          trustees: [...entry.body.trustees],
          results: mesa.contests.map((c, ci) => ({ contest: c.id, counts: counts.value[ci]! })),
        });
      }
      // What no insider rebuilds: the definition, the ceremony, the registry,
      // devices, witnesses and refusals come before the attacks, and a check-in
      // needs the voter's card.
      case 'election':
      case 'trustee-round1':
      case 'trustee-shares':
      case 'election-key':
      case 'mesa-device':
      case 'witness':
      case 'registration':
      case 'revocation':
      case 'checkin':
      case 'refusal':
        return undefined;
      default: {
        const never: never = entry;
        throw new Error(`unknown entry ${String(never)}`);
      }
    }
  }

  /** The mesa's counts as a quorum of trustees decrypts its tally today (before any decryption entry). */
  decryptTally(state: ElectionState, mesa: MesaState, rng: Rng): number[][] {
    const quorum = HONEST_ELECTION.quorum;
    if (mesa.cast === 0) return mesa.contests.map((c) => c.cardIds.map(() => 0));
    const shares = this.presentTrustees.slice(0, quorum).map((t) => {
      const d = t.decrypt(0, state, mesa, rng);
      if (!d.ok || d.value.type !== 'decryption') throw new Error('an insider cannot decrypt');
      return d.value.body.shares.map((list) =>
        list.shares.map((json) => {
          const s = decodeDecryptionShare(json);
          if (!s.ok) throw new Error(s.error.message);
          return s.value;
        }),
      );
    });
    return mesa.contests.map((c, ci) =>
      c.cardIds.map((_, i) => {
        const mine: DecryptionShare[] = shares.map((byContest) => byContest[ci]![i]!);
        const m = decryptWithShares(mesa.tally[ci]![i]!, mine, quorum, mesa.cast);
        if (!m.ok) throw new Error(`mesa ${mesa.id} does not decrypt: ${m.error.message}`);
        return m.value;
      }),
    );
  }

  /** The acta the mesa's device would sign for what the record holds now. */
  #acta(state: ElectionState, mesa: MesaState, time: number, rng: Rng): Entry {
    const device = this.insiders.devices.get(mesa.id)!;
    const results = this.decryptTally(state, mesa, rng);
    const counts = {
      registered: mesa.registered,
      checkedIn: mesa.checkedIn,
      cast: mesa.cast,
      spoiled: mesa.spoiled,
    };
    const qr = encodeActaQr(
      {
        electionHash: state.key!.electionHash,
        mesa: mesa.id,
        ...counts,
        counts: results,
        chainHead: mesa.chainHead,
      },
      device.key,
    );
    const body: Omit<EntryBody<'acta'>, 'signature'> = {
      mesa: mesa.id,
      counts,
      chainHead: mesa.chainHead,
      results: mesa.contests.map((c, ci) => ({ contest: c.id, counts: results[ci]! })),
      tally: mesa.contests.map((c, ci) => ({
        contest: c.id,
        ciphertexts: mesa.tally[ci]!.map(encodeCiphertext),
      })),
      qr,
    };
    return { type: 'acta', time, body: signEntryBody('acta', body, device.key) };
  }

  // -------------------------------------------------------------------------
  // Tree heads and record files

  /**
   * A signed tree head (its JSON line) over the first `size` of `lines`
   * (default all), signed by `key` (default the authority) for `logId`
   * (default the election id) at `timestamp` (default the honest head's).
   */
  signHead(
    lines: readonly string[],
    options: {
      readonly size?: number;
      readonly key?: SigningSecretKey;
      readonly logId?: string;
      readonly timestamp?: number;
    } = {},
  ): string {
    const size = options.size ?? lines.length;
    const frontier = new MerkleFrontier();
    for (const line of lines.slice(0, size)) frontier.append(leafOf(line));
    const head = signTreeHead(
      {
        logId: options.logId ?? this.electionId,
        treeSize: size,
        rootHash: frontier.root(),
        timestamp: options.timestamp ?? this.head.timestamp,
      },
      options.key ?? this.insiders.authority.key,
    );
    return JSON.stringify(encodeSignedTreeHead(head));
  }

  /**
   * The record files for `lines` (entries, or their JSON lines) as
   * `exportRecord` writes them: tree heads per `heads`, and record.json,
   * tree-head.json, manifest.json and totals.json rewritten to agree with
   * them (nobody signs those files, so every attacker can).
   */
  seal(input: readonly (Entry | string)[], heads: HeadPolicy = 'resign'): TamperRecord {
    const lines = input.map((e) => (typeof e === 'string' ? e : serializeEntry(e)));
    let headLines: readonly string[];
    if (heads === 'resign') headLines = [this.signHead(lines)];
    else if (heads === 'keep') {
      const text = this.honest.files['tree-heads.ndjson'] ?? '';
      headLines = text === '' ? [] : text.slice(0, -1).split('\n');
    } else headLines = heads.heads;
    let manifest: unknown;
    let totals: unknown;
    for (const line of lines) {
      let json: { type?: unknown; body?: Record<string, unknown> };
      try {
        json = JSON.parse(line) as typeof json;
      } catch {
        continue;
      }
      if (json.type === 'election' && manifest === undefined) manifest = json.body?.['manifest'];
      if (json.type === 'totals' && totals === undefined) totals = json.body;
    }
    const pretty = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
    const latest = headLines.at(-1);
    const files: Record<string, string> = {
      'tree-heads.ndjson': headLines.map((h) => `${h}\n`).join(''),
    };
    const names = ['record.json', 'entries.ndjson', 'tree-heads.ndjson'];
    if (latest !== undefined) {
      files['tree-head.json'] = `${latest}\n`;
      names.push('tree-head.json');
    }
    if (manifest !== undefined) {
      files['manifest.json'] = pretty(manifest);
      names.push('manifest.json');
    }
    if (totals !== undefined) {
      files['totals.json'] = pretty(totals);
      names.push('totals.json');
    }
    const electionId = (manifest as { electionId?: string } | undefined)?.electionId;
    files['record.json'] = pretty({
      format: 'acta-record-v1',
      electionId: electionId ?? null,
      entries: lines.length,
      treeHead: latest === undefined ? null : (JSON.parse(latest) as unknown),
      files: names.sort(),
    });
    return { lines, files };
  }

  /** `record` with some small files replaced (or removed, with `undefined`). */
  withFiles(
    record: TamperRecord,
    changes: Partial<Record<keyof SmallFiles, string | undefined>>,
  ): TamperRecord {
    const files: Record<string, string> = {};
    for (const [name, text] of Object.entries({ ...record.files, ...changes })) {
      if (text !== undefined) files[name] = text;
    }
    return { lines: record.lines, files };
  }

  /** Verifies `record` in memory: proofs in this thread unless `options.workers` says otherwise. */
  async verify(record: TamperRecord, options: VerifyOptions = {}): Promise<VerificationReport> {
    return verifyRecord(toSource(record), { workers: 0, ...options });
  }
}
