/**
 * The election service (issue #4): the one writer of an election's bulletin
 * board. Every submission — from the authority, the registry, a trustee, a
 * poll book or a voting device — is checked by the protocol's state machine
 * (@acta/protocol `applyEntry`) and, if it follows the rules, appended to the
 * store; a refused check-in, ballot, acta or decryption is answered with its
 * coded error and recorded as a `refusal` entry (what was refused and why,
 * never its content). An entry is acknowledged only once the store says it is
 * durable. After a crash the service replays the store through the same state
 * machine, so it comes back exactly where the last acknowledged entry left it.
 *
 * Concurrency: submissions are checked and applied in arrival order, in one
 * synchronous step each, then appended; appends issued in the same tick are
 * committed together by the store (group commit) in the same order, so board
 * indices always equal the state machine's positions. A failed append (I/O) is
 * fatal for the service object: the state already moved on, so the service
 * refuses everything until it is reopened (and replays what really landed).
 */
import {
  MerkleFrontier,
  encodeSignedTreeHead,
  hashLeaf,
  signTreeHead,
  type SignedTreeHead,
} from '@acta/board';
import { encodeHex, err, ok, utf8, type Result, type SigningSecretKey } from '@acta/crypto';
import {
  Authority,
  applyEntry,
  createElectionState,
  encodeEntry,
  hashSubmission,
  parseEntryLine,
  protocolError,
  serializeEntry,
  type ElectionState,
  type Entry,
  type ProtocolError,
  type RefusedOperation,
} from '@acta/protocol';
import type { AppendRequest, BoardStore, EntryKey, UniqueClaim } from '@acta/store';

/** How to open a service. */
export interface ServiceOptions {
  readonly store: BoardStore;
  /** The authority's key: signs refusals, results and tree heads. */
  readonly authorityKey: SigningSecretKey;
  /** The log id in signed tree heads (default: the election id, once known). */
  readonly logId?: string;
  /** Milliseconds since the epoch (injected: tests and simulations fix it). */
  readonly clock?: () => number;
}

/** An acknowledged entry: its board index and leaf hash. */
export interface Receipt {
  readonly index: number;
  readonly leafHash: string;
}

/** Lookup keys and unique claims of an entry (what the store indexes). */
function indexOf(entry: Entry, electionId: string): { keys: EntryKey[]; claims: UniqueClaim[] } {
  const keys: EntryKey[] = [];
  const claims: UniqueClaim[] = [];
  const b = entry.body as Record<string, unknown>;
  if (typeof b['mesa'] === 'string') keys.push({ name: 'mesa', value: b['mesa'] });
  switch (entry.type) {
    case 'registration':
      keys.push({ name: 'credential', value: entry.body.credentialKey });
      keys.push({ name: 'identity', value: entry.body.identityCommitment });
      break;
    case 'revocation':
      keys.push({ name: 'credential', value: entry.body.credentialKey });
      break;
    case 'checkin':
      keys.push({ name: 'credential', value: entry.body.credentialKey });
      // One check-in per voter per election, across all mesas: a UNIQUE
      // constraint in the store, not only the state machine's bookkeeping.
      claims.push({ scope: `checkin/${electionId}`, key: entry.body.credentialKey });
      break;
    case 'ballot':
      keys.push({ name: 'tracking', value: entry.body.trackingCode });
      claims.push({ scope: `tracking/${electionId}`, key: entry.body.trackingCode });
      break;
    case 'decryption':
      claims.push({
        scope: `decryption/${electionId}`,
        key: `${entry.body.trustee}/${entry.body.mesa}`,
      });
      break;
    case 'acta':
      claims.push({ scope: `acta/${electionId}`, key: entry.body.mesa });
      break;
    case 'election':
    case 'trustee-round1':
    case 'trustee-shares':
    case 'election-key':
    case 'mesa-device':
    case 'witness':
    case 'refusal':
    case 'acta-cosign':
    case 'mesa-result':
    case 'totals':
      break;
    default: {
      const never: never = entry;
      throw new Error(`unknown entry type ${String(never)}`);
    }
  }
  return { keys, claims };
}

/** The refusal context of a submission type (undefined: not recorded). */
function refusalOperation(entry: Entry): RefusedOperation | undefined {
  switch (entry.type) {
    case 'checkin':
      return 'checkin';
    case 'ballot':
      return 'ballot';
    case 'acta':
      return 'acta';
    case 'decryption':
      return 'decryption';
    case 'election':
    case 'trustee-round1':
    case 'trustee-shares':
    case 'election-key':
    case 'mesa-device':
    case 'witness':
    case 'registration':
    case 'revocation':
    case 'refusal':
    case 'acta-cosign':
    case 'mesa-result':
    case 'totals':
      return undefined;
    default: {
      const never: never = entry;
      throw new Error(`unknown entry type ${String(never)}`);
    }
  }
}

/** The election service over one board store. */
export class ElectionService {
  readonly state: ElectionState = createElectionState();
  readonly #store: BoardStore;
  readonly #authority: Authority;
  readonly #clock: () => number;
  readonly #frontier = new MerkleFrontier();
  #logId: string | undefined;
  #failed: Error | undefined;
  #pending: Promise<unknown>[] = [];

  private constructor(options: ServiceOptions) {
    this.#store = options.store;
    this.#authority = new Authority(options.authorityKey);
    this.#clock = options.clock ?? Date.now;
    this.#logId = options.logId;
  }

  /**
   * Opens a service on `store`, replaying every stored entry through the state
   * machine. A stored entry the machine refuses means the store was written by
   * something else or damaged: that is an error (the service never wrote it).
   */
  static async open(options: ServiceOptions): Promise<ElectionService> {
    const service = new ElectionService(options);
    for await (const stored of options.store.entries()) {
      const where = `board entry ${stored.index}`;
      const parsed = parseEntryLine(new TextDecoder().decode(stored.payload), where);
      if (!parsed.ok) throw new Error(`${where} does not parse: ${parsed.error.message}`);
      const leaf = hashLeaf(encodeEntry(parsed.value));
      if (encodeHex(leaf) !== encodeHex(stored.leafHash)) {
        throw new Error(`${where}: the stored leaf hash is not the entry's`);
      }
      const applied = applyEntry(service.state, parsed.value);
      if (!applied.ok) {
        throw new Error(
          `${where} breaks the rules: ${applied.error.code} at ${applied.error.where}`,
        );
      }
      service.#frontier.append(leaf);
    }
    return service;
  }

  /** The authority's public key. */
  get authorityKey(): string {
    return this.#authority.publicKey;
  }

  /** The authority as an entry builder (results, totals, devices…). */
  get authority(): Authority {
    return this.#authority;
  }

  /** Milliseconds since the epoch, from the injected clock. */
  now(): number {
    return this.#clock();
  }

  /** Entries on the board. */
  get size(): number {
    return this.state.size;
  }

  /**
   * Submits one entry. Resolves once it is durable on the board (ok), or with
   * the coded reason it was refused; a refused check-in, ballot, acta or
   * decryption is itself recorded as a `refusal` entry first.
   */
  async submit(entry: Entry): Promise<Result<Receipt, ProtocolError>> {
    if (this.#failed !== undefined) {
      return err(
        protocolError('SERVICE_FAILED', 'service', 'the board failed; reopen the service'),
      );
    }
    // What is stored is the entry's JSON text: it goes through the same
    // parser as any line read from outside (size in UTF-8 bytes, schema,
    // entry language) before the rules see it, so a submission built
    // in-process can never hold what a record file could not.
    const text = serializeEntry(entry);
    const parsed = parseEntryLine(text, `entries[${this.state.size}]`);
    const applied = parsed.ok ? applyEntry(this.state, parsed.value) : parsed;
    if (!applied.ok) {
      const operation = refusalOperation(entry);
      if (operation !== undefined && this.state.election !== undefined) {
        const body = entry.body as Record<string, unknown>;
        const refusal = this.#authority.refusal(this.#clock(), {
          operation,
          error: applied.error,
          submission: hashSubmission(utf8(text)),
          ...(typeof body['mesa'] === 'string' && /^[0-9]{9}\.[0-9]{2}$/.test(body['mesa'])
            ? { mesa: body['mesa'] }
            : {}),
          // Only well-formed values go into the refusal: a hostile submission's
          // text could not be signed (lone surrogates) or would mislead.
          ...(typeof body['credentialKey'] === 'string' &&
          /^[0-9a-f]{64}$/.test(body['credentialKey'])
            ? { subject: body['credentialKey'] }
            : {}),
        });
        const refusalText = serializeEntry(refusal);
        const recorded = applyEntry(this.state, refusal);
        if (recorded.ok) await this.#append(refusal, refusalText);
      }
      return applied;
    }
    return this.#append(parsed.ok ? parsed.value : entry, text);
  }

  async #append(entry: Entry, text: string): Promise<Result<Receipt, ProtocolError>> {
    const expected = this.state.size - 1;
    const leafHash = hashLeaf(encodeEntry(entry));
    this.#frontier.append(leafHash);
    const { keys, claims } = indexOf(entry, this.state.election!.id);
    const request: AppendRequest = {
      kind: entry.type,
      payload: utf8(text),
      leafHash,
      keys,
      claims,
    };
    const p = this.#store.append([request]);
    this.#pending.push(p);
    const r = await p;
    this.#pending = this.#pending.filter((q) => q !== p);
    if (!r.ok || r.value.first !== expected) {
      // The state machine accepted it, the store did not (or put it elsewhere):
      // the two disagree, and only a replay can reconcile them.
      this.#failed = new Error(
        r.ok ? `the store put entry ${expected} at ${r.value.first}` : r.error.message,
      );
      return err(
        protocolError(
          r.ok || r.error.code !== 'CLAIM_TAKEN' ? 'SERVICE_FAILED' : 'DUPLICATE',
          'board',
          `the board did not take entry ${expected}: ${this.#failed.message}`,
        ),
      );
    }
    return ok({ index: expected, leafHash: encodeHex(leafHash) });
  }

  /** Signs and stores a tree head for the current board (after every pending append). */
  async signTreeHead(): Promise<SignedTreeHead> {
    await Promise.all(this.#pending);
    const head = signTreeHead(
      {
        logId: this.#logId ?? this.state.election?.id ?? 'acta',
        treeSize: this.#frontier.size,
        rootHash: this.#frontier.root(),
        timestamp: this.#clock(),
      },
      this.#authority.key,
    );
    await this.#store.putTreeHead({
      treeSize: head.treeSize,
      json: JSON.stringify(encodeSignedTreeHead(head)),
    });
    return head;
  }

  /** Waits for every append in flight. */
  async flush(): Promise<void> {
    await Promise.all(this.#pending);
  }
}
