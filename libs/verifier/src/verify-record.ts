/**
 * The independent verifier (issue #5; docs/spec-verifier.md): checks an
 * exported election record (docs/spec-record.md §10) end to end, trusting
 * neither the authority, the service that ran the board, nor the files.
 *
 * One pass over the entries, in order (spec-verifier §3):
 *  - each line is parsed with the checks of the entry language and hashed
 *    into a Merkle frontier; the root after each signed tree head's size is
 *    compared with that head (V2), so every entry is proven included in every
 *    head that covers it, and every two heads consistent;
 *  - each entry is replayed through the protocol's state machine
 *    (`applyEntry`, spec-record §5), which checks every signature, the key
 *    ceremony, every ballot's place in its mesa's chain, the spoiled ballots'
 *    openings, every acta against the homomorphic tally, every decryption
 *    share's proof and every recombination, and the totals (V3);
 *  - the zero-knowledge proofs of the ballots — nearly all of the work — are
 *    not checked during the replay: they are handed to a pool of worker
 *    threads (@acta/crypto-parallel) that verifies them in batches on every
 *    core, re-checking a failing batch proof by proof to name the culprit.
 * Then the record as a whole (V4): complete, findings, per-mesa invariants,
 * trust anchors, and the convenience files against what they copy.
 *
 * A refused entry is reported and left out of the state, and the replay goes
 * on, so one report lists every failure (later failures may follow from an
 * earlier one: the report is sorted by place in the record).
 *
 * Pure: the caller supplies the files' text and the entry lines (the CLI
 * reads them from a directory); nothing here reads a file or a clock.
 */
import {
  encodeHashPart,
  encodeHex,
  err,
  getCryptoBackend,
  SigningPublicKey,
  utf8,
  type HashPart,
} from '@acta/crypto';
import {
  createVerificationPool,
  type EncodedContestJob,
  type ParallelBatchOutcome,
} from '@acta/crypto-parallel';
import {
  EMPTY_TREE_ROOT,
  MerkleFrontier,
  hashLeaf,
  parseSignedTreeHead,
  verifyTreeHead,
  type SignedTreeHead,
} from '@acta/board';
import {
  applyEntry,
  computeTotals,
  createElectionState,
  formatTrackingCode,
  hashEntry,
  parseEntryLine,
  protocolError,
  toCanonicalParts,
  type DeferredContestProof,
  type ElectionState,
} from '@acta/protocol';
import type {
  VerificationCode,
  VerificationIssue,
  VerificationWarning,
  VerifierWarningCode,
} from './codes.js';
import { JobQueue } from './job-queue.js';
import { decodeRecordLine, type RecordLine } from './record-lines.js';
import { checkCopies, type RecordFileName } from './record-files.js';

/** The record to verify: the small files' text, and the lines of entries.ndjson. */
export interface RecordSource {
  /**
   * The text of each small file present (`record.json`, `tree-heads.ndjson`,
   * `tree-head.json`, `manifest.json`, `totals.json`); absent files are absent.
   */
  readonly files: Readonly<Partial<Record<Exclude<RecordFileName, 'entries.ndjson'>, string>>>;
  /**
   * The lines of entries.ndjson, in order: as read from the file
   * (`splitRecordLines` of its bytes, decoded and checked here), or as text
   * without its `\n`; undefined when the file is absent.
   */
  readonly entryLines:
    AsyncIterable<RecordLine | string> | Iterable<RecordLine | string> | undefined;
}

/** Progress of a verification. */
export interface VerificationProgress {
  /** Entries replayed so far. */
  readonly entries: number;
  /** Entries the record says it holds (record.json or the latest tree head), if known. */
  readonly totalEntries: number | undefined;
  /** Ballot contests whose proofs were handed to the pool, and verified so far. */
  readonly proofsQueued: number;
  readonly proofsVerified: number;
}

/** How to verify. */
export interface VerifyOptions {
  /** Worker threads for the proofs (default: one per core); 0 checks them in the calling thread. */
  readonly workers?: number;
  /** The authority key (hex) the election must have, from a source independent of the record. */
  readonly authorityKey?: string;
  /** The extended election hash (hex) the election must have, from an independent source. */
  readonly electionHash?: string;
  /** The base hash (hex, docs/spec-record.md §4.1) the election must have, from an independent source. */
  readonly baseHash?: string;
  /**
   * Signed tree heads (JSON text) the caller saw earlier — an observer's own
   * copies: each must describe a prefix of this record (else the board forked
   * or the record was truncated).
   */
  readonly knownTreeHeads?: readonly string[];
  /** Accept a record that ends before the totals (verify an election in progress). */
  readonly partial?: boolean;
  /** Errors listed at most (all are counted); default 1000. */
  readonly maxErrors?: number;
  /** Called now and then during long runs. */
  readonly onProgress?: (progress: VerificationProgress) => void;
  /**
   * What a voter looks for (docs/spec-verifier.md §1.3): their credential
   * keys (hex, from their card) and tracking codes (64 hex digits, the
   * receipt's display form XXXX-XXXX-XXXX-XXXX, or its `ACTA1R:` QR payload).
   * The report lists every entry that names them.
   */
  readonly lookup?: {
    readonly credentials?: readonly string[];
    readonly trackingCodes?: readonly string[];
  };
}

/** An entry a voter's lookup found. */
export interface LookupHit {
  /** The entry's index (its line is index + 1). */
  readonly entry: number;
  readonly type: string;
  readonly mesa: string;
  /** For ballots: the sequence in the mesa's chain, the disposition and the full tracking code. */
  readonly sequence?: number;
  readonly disposition?: 'cast' | 'spoiled';
  readonly trackingCode?: string;
  /** The entry passed every check of the verification. */
  readonly accepted: boolean;
}

/** What the record holds for one looked-up credential or tracking code. */
export interface LookupResult {
  readonly kind: 'credential' | 'tracking-code';
  /** As given. */
  readonly query: string;
  /** Null when the query is not in a recognised form. */
  readonly normalized: string | null;
  readonly found: readonly LookupHit[];
}

/** How many of each thing were checked. */
export interface VerificationCounts {
  entries: number;
  signatures: number;
  treeHeads: number;
  trustees: number;
  mesas: number;
  mesasOpened: number;
  registrations: number;
  revocations: number;
  checkins: number;
  refusals: number;
  ballots: number;
  castBallots: number;
  spoiledBallots: number;
  contestProofs: number;
  selectionProofs: number;
  actas: number;
  cosignatures: number;
  decryptionShares: number;
  mesaResults: number;
  totals: number;
}

/** The verifier's verdict. */
export interface VerificationReport {
  /** True iff no check failed. */
  readonly ok: boolean;
  readonly electionId: string | null;
  /** The authority key and the extended election hash the record states (compare them with an independent source). */
  readonly authorityKey: string | null;
  readonly electionHash: string | null;
  /** Whether the record reaches the totals. */
  readonly complete: boolean;
  /** Lines of entries.ndjson, and the size of the latest signed tree head. */
  readonly entries: number;
  readonly treeSize: number | null;
  readonly checked: VerificationCounts;
  /** The failures, in record order (at most `maxErrors`). */
  readonly errors: readonly VerificationIssue[];
  /** All failures, including those past `maxErrors`. */
  readonly errorCount: number;
  readonly warnings: readonly VerificationWarning[];
  /** The totals the record proves (per contest: per card and per candidate), when complete and ok. */
  readonly totals: ReturnType<typeof computeTotals> | null;
  /** Worker threads used for the proofs (0: the calling thread), and their crypto backend. */
  readonly workers: number;
  readonly backend: string;
  /** One result per looked-up credential and tracking code, in the order given. */
  readonly lookups: readonly LookupResult[];
  /** Every accepted acta, with the witnesses who co-signed it (docs/spec-record.md §7.7). */
  readonly actas: readonly ActaSummary[];
}

/** An accepted acta and who vouched for it. */
export interface ActaSummary {
  readonly mesa: string;
  /** The acta entry's index. */
  readonly entry: number;
  /** The names of the registered witnesses whose co-signatures were accepted, sorted. */
  readonly witnesses: readonly string[];
}

interface Sorted extends VerificationIssue {
  /** Order of report: record-file issues first, then by entry, then whole-record checks. */
  readonly rank: number;
}

const RANK_FILES = -1;
const RANK_END = Number.MAX_SAFE_INTEGER;

/** Growable list of non-negative integers (entry index of each queued proof). */
class IndexList {
  #data = new Uint32Array(1024);
  #length = 0;
  push(n: number): void {
    if (this.#length === this.#data.length) {
      const next = new Uint32Array(this.#data.length * 2);
      next.set(this.#data);
      this.#data = next;
    }
    this.#data[this.#length++] = n;
  }
  at(i: number): number {
    return this.#data[i]!;
  }
}

interface HeadAt {
  readonly label: string;
  readonly head: SignedTreeHead;
  readonly known: boolean;
  matched?: boolean;
}

/** Verifies an exported record; resolves with the report (rejects only on a bug or a worker crash). */
export async function verifyRecord(
  source: RecordSource,
  options: VerifyOptions = {},
): Promise<VerificationReport> {
  const maxErrors = options.maxErrors ?? 1000;
  const issues: Sorted[] = [];
  let errorCount = 0;
  const warnings: VerificationWarning[] = [];
  // Every entry with a failure, however many errors are listed.
  const failedEntries = new Set<number>();
  const report = (code: VerificationCode, where: string, message: string, rank: number): void => {
    errorCount += 1;
    if (rank >= 0 && rank !== RANK_END) failedEntries.add(rank);
    if (issues.length < maxErrors) issues.push({ code, where, message, rank });
  };
  const warn = (code: VerifierWarningCode, where: string, message: string): void => {
    warnings.push({ code, where, message });
  };
  const counts: VerificationCounts = {
    entries: 0,
    signatures: 0,
    treeHeads: 0,
    trustees: 0,
    mesas: 0,
    mesasOpened: 0,
    registrations: 0,
    revocations: 0,
    checkins: 0,
    refusals: 0,
    ballots: 0,
    castBallots: 0,
    spoiledBallots: 0,
    contestProofs: 0,
    selectionProofs: 0,
    actas: 0,
    cosignatures: 0,
    decryptionShares: 0,
    mesaResults: 0,
    totals: 0,
  };

  // V1: the files (docs/spec-verifier.md §3.1).
  for (const name of ['record.json', 'tree-heads.ndjson'] as const) {
    if (source.files[name] === undefined) {
      report('RECORD_FILE_MISSING', name, `the record has no ${name}`, RANK_FILES);
    }
  }
  if (source.entryLines === undefined) {
    report('RECORD_FILE_MISSING', 'entries.ndjson', 'the record has no entries.ndjson', RANK_FILES);
  }
  const heads = parseTreeHeads(source.files['tree-heads.ndjson'] ?? '', report);
  const known: HeadAt[] = (options.knownTreeHeads ?? []).flatMap((text, i) => {
    // An observer's copy: any JSON text of a signed tree head.
    const label = `known tree head ${i + 1}`;
    const head = parseHead(text, label, false, report);
    return head === undefined ? [] : [{ label, head, known: true }];
  });
  const latest = heads.at(-1);
  const totalEntries = recordEntryCount(source.files['record.json']) ?? latest?.head.treeSize;
  const bySize = new Map<number, HeadAt[]>();
  for (const h of [...heads, ...known]) {
    const list = bySize.get(h.head.treeSize) ?? [];
    list.push(h);
    bySize.set(h.head.treeSize, list);
  }

  // V2–V3: the entries, their tree, their rules.
  const pool = createVerificationPool(
    options.workers === undefined ? {} : { workers: options.workers },
  );
  const queue = new JobQueue<EncodedContestJob>(Math.max(256, pool.workers * 64));
  const jobEntries = new IndexList();
  let queued = 0;
  let verified = 0;
  const progress = (entries: number): void =>
    options.onProgress?.({
      entries,
      totalEntries,
      proofsQueued: queued,
      proofsVerified: verified,
    });
  const outcome: Promise<ParallelBatchOutcome> = pool.verifyEncodedContests(queue, {
    onProgress: (done) => {
      verified = done;
    },
  });
  // Surface a pool failure (a crashed worker) only once the replay is done.
  outcome.catch(() => undefined);
  const deferContestProof = (job: DeferredContestProof): void => {
    queue.push({
      context: job.context,
      publicKey: job.publicKey,
      contest: job.encrypted,
      limit: job.limit,
    });
    jobEntries.push(job.entry);
    queued += 1;
    counts.contestProofs += 1;
    counts.selectionProofs += job.selections;
  };

  const lookups = prepareLookups(options.lookup);
  const state = createElectionState();
  const frontier = new MerkleFrontier();
  compareHeads(bySize.get(0), EMPTY_TREE_ROOT);
  let index = 0;
  // The first election and totals entries as their lines hold them (what the
  // copies must equal, whether or not the entries pass their rules).
  let election: { id: string | null; raw: unknown } | undefined;
  let totalsRaw: unknown;
  let electionKeyIndex: number | undefined;
  try {
    for await (const item of source.entryLines ?? []) {
      const where = `entries.ndjson:${index + 1}`;
      let line: string | undefined;
      if (typeof item === 'string') {
        line = item;
      } else {
        line = decodeRecordLine(item.bytes);
        if (!item.terminated) {
          report('MALFORMED_ENTRY', where, 'the file does not end with a newline', index);
        }
      }
      const parsed =
        line === undefined
          ? err(protocolError('MALFORMED_ENTRY', `entries[${index}]`, 'not well-formed UTF-8'))
          : parseEntryLine(line, `entries[${index}]`);
      if (!parsed.ok) {
        report(parsed.error.code, `${where} ${parsed.error.where}`, parsed.error.message, index);
        // The line still occupies its leaf: hash its bytes, which no signed root can match.
        frontier.append(hashLeaf(typeof item === 'string' ? utf8(item) : item.bytes));
      } else {
        const entry = parsed.value;
        // A ballot's contests are encoded once, for its leaf, its tracking
        // code and its signature (see CanonicalMemo).
        const memo = new Map<object, HashPart>();
        if (entry.type === 'ballot') {
          memo.set(entry.body.contests, encodeHashPart(toCanonicalParts(entry.body.contests)));
        }
        frontier.append(hashEntry(entry, memo));
        if (entry.type === 'election' && election === undefined) {
          const raw = (JSON.parse(line!) as { body: { manifest: unknown } }).body.manifest;
          const id = (raw as { electionId?: unknown }).electionId;
          election = { id: typeof id === 'string' ? id : null, raw };
        } else if (entry.type === 'totals' && totalsRaw === undefined) {
          totalsRaw = (JSON.parse(line!) as { body: unknown }).body;
        }
        if (lookups.length > 0) lookUp(lookups, state, entry, index);
        state.size = index;
        const applied = applyEntry(state, entry, { deferContestProof, memo });
        if (!applied.ok) {
          report(
            applied.error.code,
            `${where} ${applied.error.where}`,
            applied.error.message,
            index,
          );
        } else {
          countAccepted(counts, state, entry);
          if (entry.type === 'election-key') electionKeyIndex = index;
        }
      }
      index += 1;
      compareHeads(bySize.get(index), undefined);
      if (queue.length > 0) await queue.waitForRoom();
      if ((index & 255) === 0) progress(index);
    }
  } finally {
    queue.close();
  }
  const proofs = await outcome.finally(() => pool.close());
  verified = proofs.checked;
  progress(index);
  counts.entries = index;
  for (const f of proofs.failures) {
    const entry = jobEntries.at(f.index);
    let contest = 0;
    while (f.index - contest - 1 >= 0 && jobEntries.at(f.index - contest - 1) === entry)
      contest += 1;
    const path = `entries[${entry}].body.contests[${contest}].encrypted`;
    report(
      f.stage === 'decode' ? 'MALFORMED_BALLOT' : 'BALLOT_PROOF',
      `entries.ndjson:${entry + 1} ${f.where.replace(/^contest\[\d+\]/, path)}`,
      // The crypto message repeats code and place ("CODE at where: detail").
      `${f.code}: ${f.message.replace(/^[A-Z_]+ at [^:]*: /, '')}`,
      entry,
    );
  }

  // V2 (end): every head against the tree, signatures, order.
  const authorityKey = state.election?.authorityKey ?? options.authorityKey;
  checkHeads(heads, known, index, authorityKey, state.election?.id, report, counts);
  if (latest === undefined) {
    if (source.files['tree-heads.ndjson'] !== undefined) {
      report('TREE_HEAD_MISSING', 'tree-heads.ndjson', 'no signed tree head', RANK_END);
    }
  } else if (latest.head.treeSize < index) {
    report(
      'ENTRIES_NOT_COVERED',
      `entries.ndjson:${latest.head.treeSize + 1}`,
      `entries ${latest.head.treeSize}…${index - 1} are after the latest signed tree head`,
      latest.head.treeSize,
    );
  }

  // V4: the record as a whole.
  const complete = state.totals !== undefined;
  if (!complete) {
    if (options.partial === true) {
      warn('RECORD_PARTIAL', 'entries.ndjson', 'the record ends before the totals');
    } else {
      report(
        'RECORD_INCOMPLETE',
        `entries.ndjson:${index}`,
        'the record ends before the totals entry',
        RANK_END,
      );
    }
  }
  for (const f of state.findings) {
    const m = /^entries\[(\d+)\]/.exec(f.where);
    const at = m === null ? RANK_END : Number(m[1]);
    report(f.code, `entries.ndjson:${at + 1} ${f.where}`, f.message, at);
  }
  for (const mesa of state.mesas.values()) {
    if (mesa.checkedIn > mesa.registered || mesa.cast > mesa.checkedIn) {
      report(
        'MESA_COUNTS_IMPOSSIBLE',
        `mesa ${mesa.id}`,
        `registered ${mesa.registered}, checked in ${mesa.checkedIn}, cast ${mesa.cast}`,
        RANK_END,
      );
    } else if (mesa.acta !== undefined && mesa.cast < mesa.checkedIn) {
      warn(
        'CHECKIN_WITHOUT_BALLOT',
        `mesa ${mesa.id}`,
        `${mesa.checkedIn - mesa.cast} voter(s) checked in without a cast ballot`,
      );
    }
  }
  const stateHash = state.key === undefined ? null : encodeHex(state.key.electionHash);
  for (const mesa of state.mesas.values()) {
    if (mesa.device === undefined && mesa.registered > 0) {
      warn(
        'MESA_NOT_OPENED',
        `mesa ${mesa.id}`,
        `${mesa.registered} voter(s) registered at a mesa that never opened (no mesa-device entry)`,
      );
    }
  }
  checkAnchors(options, state, stateHash, electionKeyIndex, report, warn);
  checkCopies(
    source.files,
    {
      entries: index,
      entriesPresent: source.entryLines !== undefined,
      electionId: election?.id ?? null,
      manifest: election?.raw,
      totals: totalsRaw,
      latestHeadLine: latest?.line,
    },
    (code, where, message) => report(code, where, message, RANK_FILES),
  );

  issues.sort((a, b) => a.rank - b.rank);
  const ok = errorCount === 0;
  // An entry is accepted if nothing failed at it and a signed tree head covers it.
  const covered = latest?.head.treeSize ?? 0;
  const accepted = (entry: number): boolean => entry < covered && !failedEntries.has(entry);
  return {
    ok,
    electionId: state.election?.id ?? null,
    authorityKey: state.election?.authorityKey ?? null,
    electionHash: stateHash,
    complete,
    entries: index,
    treeSize: latest?.head.treeSize ?? null,
    checked: counts,
    errors: issues.map(({ code, where, message }) => ({ code, where, message })),
    errorCount,
    warnings,
    totals: ok && complete ? computeTotals(state) : null,
    workers: pool.workers,
    backend: getCryptoBackend().name,
    actas: [...state.mesas.values()].flatMap((m) =>
      m.acta === undefined
        ? []
        : [
            {
              mesa: m.id,
              entry: m.acta.index,
              witnesses: [...m.acta.cosigners].map((k) => state.witnesses.get(k) ?? k).sort(),
            },
          ],
    ),
    lookups: lookups.map((l) => ({
      kind: l.kind,
      query: l.query,
      normalized: l.normalized,
      found: l.found.map((h) => ({ ...h, accepted: accepted(h.entry) })),
    })),
  };

  function compareHeads(list: HeadAt[] | undefined, root: Uint8Array | undefined): void {
    if (list === undefined) return;
    const r = root ?? frontier.root();
    for (const h of list) h.matched = encodeHex(h.head.rootHash) === encodeHex(r);
  }
}

interface PendingLookup {
  readonly kind: 'credential' | 'tracking-code';
  readonly query: string;
  readonly normalized: string | null;
  readonly found: Omit<LookupHit, 'accepted'>[];
}

/** The receipt QR payload: `ACTA1R:<electionId>:<mesa>:<sequence>:<tracking code hex>`. */
const RECEIPT_QR = /^ACTA1R:.*:([0-9a-f]{64})$/;
const DISPLAY_CODE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

function prepareLookups(lookup: VerifyOptions['lookup']): PendingLookup[] {
  const out: PendingLookup[] = [];
  for (const query of lookup?.credentials ?? []) {
    const hex = query.trim().toLowerCase();
    out.push({
      kind: 'credential',
      query,
      normalized: /^[0-9a-f]{64}$/.test(hex) ? hex : null,
      found: [],
    });
  }
  for (const query of lookup?.trackingCodes ?? []) {
    const q = query.trim();
    const receipt = RECEIPT_QR.exec(q);
    const normalized = /^[0-9a-fA-F]{64}$/.test(q)
      ? q.toLowerCase()
      : receipt !== null
        ? receipt[1]!
        : DISPLAY_CODE.test(q.toUpperCase())
          ? q.toUpperCase()
          : null;
    out.push({ kind: 'tracking-code', query, normalized, found: [] });
  }
  return out;
}

function lookUp(
  lookups: PendingLookup[],
  state: ElectionState,
  entry: Parameters<typeof applyEntry>[1],
  index: number,
): void {
  switch (entry.type) {
    case 'registration':
    case 'revocation':
    case 'checkin': {
      const keys = [entry.body.credentialKey];
      if (entry.type === 'registration' && entry.body.supersedes !== undefined) {
        keys.push(entry.body.supersedes);
      }
      // A revocation names no mesa: the credential's own.
      const mesa =
        entry.type === 'revocation'
          ? (state.credentials.get(entry.body.credentialKey)?.mesa ?? '')
          : entry.body.mesa;
      for (const l of lookups) {
        if (l.kind === 'credential' && l.normalized !== null && keys.includes(l.normalized)) {
          l.found.push({ entry: index, type: entry.type, mesa });
        }
      }
      return;
    }
    case 'ballot': {
      const b = entry.body;
      let display: string | undefined;
      for (const l of lookups) {
        if (l.kind !== 'tracking-code' || l.normalized === null) continue;
        let match = l.normalized === b.trackingCode;
        if (!match && l.normalized.includes('-') && /^[0-9a-f]{64}$/.test(b.trackingCode)) {
          display ??= formatTrackingCode(b.trackingCode);
          match = display === l.normalized;
        }
        if (match) {
          l.found.push({
            entry: index,
            type: 'ballot',
            mesa: b.mesa,
            sequence: b.sequence,
            disposition: b.disposition,
            trackingCode: b.trackingCode,
          });
        }
      }
      return;
    }
    case 'refusal': {
      // A refused check-in names the credential it tried to use.
      const subject = entry.body.subject;
      if (subject === undefined) return;
      for (const l of lookups) {
        if (l.kind === 'credential' && l.normalized === subject) {
          l.found.push({ entry: index, type: 'refusal', mesa: entry.body.mesa ?? '' });
        }
      }
      return;
    }
    // Nothing a voter looks up is named by the other entries.
    case 'election':
    case 'trustee-round1':
    case 'trustee-shares':
    case 'election-key':
    case 'mesa-device':
    case 'witness':
    case 'acta':
    case 'acta-cosign':
    case 'decryption':
    case 'mesa-result':
    case 'totals':
      return;
    default: {
      const never: never = entry;
      throw new Error(`unknown entry ${String(never)}`);
    }
  }
}

interface ParsedHead extends HeadAt {
  readonly line: string;
}

type Report = (code: VerificationCode, where: string, message: string, rank: number) => void;

/** A signed tree head from its JSON text (V1.5, V1.6), or undefined after reporting why not. */
function parseHead(
  text: string,
  label: string,
  canonical: boolean,
  report: Report,
): SignedTreeHead | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    report('TREE_HEAD_MALFORMED', label, 'not JSON', RANK_FILES);
    return undefined;
  }
  if (canonical && JSON.stringify(json) !== text) {
    report('TREE_HEAD_MALFORMED', label, 'not in canonical JSON text form', RANK_FILES);
    return undefined;
  }
  const h = parseSignedTreeHead(json, 'treeHead');
  if (!h.ok) {
    report('TREE_HEAD_MALFORMED', `${label} ${h.error.where}`, h.error.message, RANK_FILES);
    return undefined;
  }
  return h.value;
}

function parseTreeHeads(text: string, report: Report): ParsedHead[] {
  const out: ParsedHead[] = [];
  if (text === '') return out;
  const lines = text.split('\n');
  if (lines.at(-1) !== '') {
    report(
      'TREE_HEAD_MALFORMED',
      `tree-heads.ndjson:${lines.length}`,
      'the file must end with a newline',
      RANK_FILES,
    );
  } else lines.pop();
  lines.forEach((line, i) => {
    const label = `tree-heads.ndjson:${i + 1}`;
    const head = parseHead(line, label, true, report);
    if (head !== undefined) out.push({ label, head, known: false, line });
  });
  return out;
}

function checkHeads(
  heads: readonly HeadAt[],
  known: readonly HeadAt[],
  entries: number,
  authorityKeyHex: string | undefined,
  electionId: string | undefined,
  report: Report,
  counts: VerificationCounts,
): void {
  const key =
    authorityKeyHex === undefined ? undefined : SigningPublicKey.decodeHex(authorityKeyHex);
  for (const [i, h] of heads.entries()) {
    const prev = heads[i - 1];
    if (
      prev !== undefined &&
      (h.head.treeSize < prev.head.treeSize || h.head.timestamp < prev.head.timestamp)
    ) {
      report(
        'TREE_HEADS_OUT_OF_ORDER',
        h.label,
        `size ${h.head.treeSize} at ${h.head.timestamp} after size ${prev.head.treeSize} at ${prev.head.timestamp}`,
        RANK_FILES,
      );
    }
  }
  // A head counts only if its signature verifies: without the authority key
  // (no valid election entry) none can be checked, and each is reported.
  const signed = new Map<HeadAt, boolean>();
  for (const h of [...heads, ...known]) {
    if (key === undefined || !key.ok) {
      report(
        'TREE_HEAD_SIGNATURE',
        `${h.label} treeHead.signature`,
        'no authority key to check it with (the record has no valid election entry)',
        RANK_FILES,
      );
      signed.set(h, false);
      continue;
    }
    const v = verifyTreeHead(h.head, key.value, 'treeHead');
    if (!v.ok) {
      report('TREE_HEAD_SIGNATURE', `${h.label} ${v.error.where}`, v.error.message, RANK_FILES);
    } else {
      counts.treeHeads += 1;
      counts.signatures += 1;
    }
    signed.set(h, v.ok);
  }
  const latest = heads.at(-1);
  const latestOk = latest !== undefined && latest.matched === true && signed.get(latest) === true;
  for (const h of [...heads, ...known]) {
    if (signed.get(h) !== true) continue;
    if (electionId !== undefined && h.head.logId !== electionId) {
      report(
        'TREE_HEAD_LOG_ID',
        `${h.label} treeHead.logId`,
        `the log ${h.head.logId} is not election ${electionId}`,
        RANK_FILES,
      );
    }
    if (h.head.treeSize > entries) {
      report(
        'TREE_HEAD_BEYOND_RECORD',
        h.label,
        `signed for ${h.head.treeSize} entries; the record holds ${entries}: entries were removed`,
        RANK_FILES,
      );
    } else if (h.matched !== true) {
      // A head that disagrees while the latest agrees is a validly signed
      // second history (once its signature verified above): a fork.
      const fork = h !== latest && latestOk;
      report(
        fork ? 'TREE_HEADS_FORK' : 'TREE_ROOT_MISMATCH',
        `${h.label} treeHead.rootHash`,
        fork
          ? `signed root of size ${h.head.treeSize} is not the root of this record's first ${h.head.treeSize} entries: the board signed two histories`
          : `the first ${h.head.treeSize} entries do not hash to the signed root`,
        RANK_FILES,
      );
    }
  }
}

function checkAnchors(
  options: VerifyOptions,
  state: ElectionState,
  electionHash: string | null,
  electionKeyIndex: number | undefined,
  report: Report,
  warn: (code: VerifierWarningCode, where: string, message: string) => void,
): void {
  if (
    options.authorityKey === undefined &&
    options.electionHash === undefined &&
    options.baseHash === undefined
  ) {
    warn(
      'NO_TRUST_ANCHOR',
      'entries.ndjson:1',
      'no authority key, base hash or election hash was given: compare the ones reported with an independent source',
    );
    return;
  }
  if (
    options.authorityKey !== undefined &&
    options.authorityKey.toLowerCase() !== state.election?.authorityKey
  ) {
    report(
      'TRUST_ANCHOR_MISMATCH',
      'entries.ndjson:1 entries[0].body.authorityKey',
      `the record's authority key is ${state.election?.authorityKey ?? 'absent'}, expected ${options.authorityKey}`,
      RANK_FILES,
    );
  }
  const baseHash = state.election === undefined ? null : encodeHex(state.election.baseHash);
  if (options.baseHash !== undefined && options.baseHash.toLowerCase() !== (baseHash ?? '')) {
    report(
      'TRUST_ANCHOR_MISMATCH',
      'entries.ndjson:1 entries[0].body.baseHash',
      `the record's base hash is ${baseHash ?? 'absent'}, expected ${options.baseHash}`,
      RANK_FILES,
    );
  }
  if (
    options.electionHash !== undefined &&
    options.electionHash.toLowerCase() !== (electionHash ?? '')
  ) {
    report(
      'TRUST_ANCHOR_MISMATCH',
      electionKeyIndex === undefined
        ? 'entries.ndjson'
        : `entries.ndjson:${electionKeyIndex + 1} entries[${electionKeyIndex}].body.electionHash`,
      `the record's election hash is ${electionHash ?? 'absent'}, expected ${options.electionHash}`,
      RANK_FILES,
    );
  }
}

function recordEntryCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    const n = (JSON.parse(text) as { entries?: unknown }).entries;
    return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function countAccepted(
  counts: VerificationCounts,
  state: ElectionState,
  entry: Parameters<typeof applyEntry>[1],
): void {
  counts.signatures += 1;
  switch (entry.type) {
    case 'election':
      counts.trustees = entry.body.trustees.length;
      counts.mesas = state.mesas.size;
      return;
    case 'trustee-round1':
    case 'trustee-shares':
    case 'election-key':
    case 'witness':
      return;
    case 'mesa-device':
      counts.mesasOpened += 1;
      return;
    case 'registration':
      counts.registrations += 1;
      return;
    case 'revocation':
      counts.revocations += 1;
      return;
    case 'checkin':
      counts.checkins += 1;
      counts.signatures += 1; // the voter's possession signature
      return;
    case 'refusal':
      counts.refusals += 1;
      return;
    case 'ballot':
      counts.ballots += 1;
      if (entry.body.disposition === 'cast') counts.castBallots += 1;
      else counts.spoiledBallots += 1;
      return;
    case 'acta':
      counts.actas += 1;
      counts.signatures += 1; // the QR payload's signature
      return;
    case 'acta-cosign':
      counts.cosignatures += 1;
      return;
    case 'decryption':
      for (const s of entry.body.shares) counts.decryptionShares += s.shares.length;
      return;
    case 'mesa-result':
      counts.mesaResults += 1;
      return;
    case 'totals':
      counts.totals += 1;
      return;
    default: {
      const never: never = entry;
      throw new Error(`unknown entry ${String(never)}`);
    }
  }
}
