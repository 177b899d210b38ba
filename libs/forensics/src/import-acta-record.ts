/**
 * Actas from Acta's own exported record (issue #7, item 1; docs/spec-record.md
 * §5 and §10): the `acta` entries of `entries.ndjson` as collected actas for
 * the reconciliation, each with its signature status.
 *
 * An acta is `verified` only when every link from the record's authority key
 * to its numbers checks out:
 *  - the `election` entry is signed by the authority key it names (and, when
 *    the caller pins one, that key is the expected one);
 *  - the mesa's `mesa-device` entry, earlier in the record, is signed by that
 *    authority key (only the first registration of a mesa counts, as on the
 *    board);
 *  - the `acta` entry is signed by that device key;
 *  - its QR payload parses, is signed by the same device for this election
 *    (the `election-key` entry's hash) and states the same numbers;
 *  - where the record holds the mesa's `mesa-result` (the counts decrypted by
 *    the trustees, signed by the authority), the acta's counts equal them: an
 *    acta the decryption contradicts is reported `forged` (the device signed
 *    counts the ballots do not hold), with the reason.
 * Anything else is `forged`, with the reason in `forged`.
 *
 * This importer does NOT replay the election: it does not recount check-ins
 * and ballots, verify ballot proofs, decryption proofs, the Merkle tree or the
 * signed tree heads — that is `acta verify`'s job (libs/verifier), which a
 * citizen should run on the whole record. It answers a narrower question, the
 * reconciliation's: "which of these actas did the registered devices sign?".
 *
 * Figures: registered and checked-in voters (`voters`) from the acta's
 * counters; the chosen contest's card counts summed per candidate (the
 * manifest's card → candidate table); `valid` = the sum of the marks;
 * `invalid` = 0 (an encrypted ballot cannot be null: its proofs bound every
 * selection, spec §5.3); `blank` = cast − marks for a single-selection contest
 * (a ballot with no mark), else null. `region` = the manifest's state,
 * municipality and parish names and the 9-digit centre code, as the 2024
 * Venezuelan CSV importer gives them.
 *
 * Lines are read as the verifier receives them (the text of each line of
 * entries.ndjson without its `\n`). Lines of types the importer does not need
 * (ballots, check-ins, …: nearly all of a national record) are recognised by
 * their canonical prefix and never parsed.
 */
import { SigningPublicKey, decodeHex, encodeHex } from '@acta/crypto';
import {
  candidateTotals,
  contestsOfStyle,
  findMesa,
  parseActaQr,
  parseEntryLine,
  parseManifest,
  verifyActaQr,
  matchesActaQr,
  verifyEntryBody,
  type Contest,
  type Entry,
  type EntryBody,
  type Manifest,
} from '@acta/protocol';
import type { ImportProblem, MesaResult } from './mesa-result.js';
import type { CollectedActa } from './reconcile-types.js';

/** Why an acta of the record is not `verified`. */
export type ActaForgeryCode =
  /** The record's election entry is not signed by its own authority key, or not by the pinned one. */
  | 'AUTHORITY_UNTRUSTED'
  /** No device registration signed by the authority precedes the acta. */
  | 'NO_DEVICE'
  /** The acta entry's signature does not verify with the mesa's device key. */
  | 'ACTA_SIGNATURE_INVALID'
  /** The QR payload does not parse, is not signed by the device for this election, or disagrees with the entry. */
  | 'QR_MISMATCH'
  /** The authority-signed decrypted counts of the mesa differ from the acta's. */
  | 'RESULT_MISMATCH';

/** A forged acta and why. */
export interface ForgedActa {
  readonly mesa: string;
  /** The acta's `source` (`<where> line N`). */
  readonly source: string;
  readonly code: ActaForgeryCode;
  readonly reason: string;
}

/** The files of an exported record, as the caller read them. */
export interface ActaRecordFiles {
  /** The text of record.json, if present (its format is checked). */
  readonly recordJson?: string;
  /** The lines of entries.ndjson, in order, each without its `\n`. */
  readonly entryLines: Iterable<string>;
}

export interface ImportActaRecordOptions {
  /** Names the record in sources and problems (e.g. its directory); default `record`. */
  readonly where?: string;
  /** The contest whose counts become the MesaResult's votes; default the manifest's first. */
  readonly contest?: string;
  /**
   * The authority key (64 hex digits) the caller trusts; when given, a record
   * whose election entry names another key has every acta `forged`.
   */
  readonly authorityKey?: string;
  /** Renames candidate ids (`gonzalez` → `EG`) so that other sources' keys line up. */
  readonly candidateKeys?: ReadonlyMap<string, string>;
}

/** What the record gave. */
export interface ActaRecordImport {
  /** Every acta entry read, verified or forged. */
  readonly actas: readonly CollectedActa[];
  /** The forged ones, with their reasons (sources match `actas`). */
  readonly forged: readonly ForgedActa[];
  /** Lines and actas that could not be read (malformed, unknown mesa, …). */
  readonly problems: readonly ImportProblem[];
  /** Acta entries seen (and lines that could not be parsed at all); `actas.length + skipped`. */
  readonly rows: number;
  readonly skipped: number;
  readonly electionId: string | null;
  /** The contest imported. */
  readonly contest: string | null;
  readonly manifest: Manifest | null;
  /** The election hash (from the `election-key` entry), hex, when verified. */
  readonly electionHash: string | null;
  /** Each mesa's device key (hex) from the authority-signed registrations: for `importActaQrPayloads`. */
  readonly deviceKeys: ReadonlyMap<string, string>;
}

/** Types the importer reads; every other line is skipped by its prefix. */
const NEEDED = new Set(['election', 'election-key', 'mesa-device', 'acta', 'mesa-result']);
const TYPE_PREFIX = '{"type":"';
const RECORD_FORMAT = 'acta-record-v1';

interface PendingActa {
  readonly body: EntryBody<'acta'>;
  readonly source: string;
  /** Set when a check already failed. */
  readonly failure: { code: ActaForgeryCode; reason: string } | undefined;
}

/** The type of a canonical entry line from its prefix, or undefined to parse it in full. */
function peekType(line: string): string | undefined {
  if (!line.startsWith(TYPE_PREFIX)) return undefined;
  const end = line.indexOf('"', TYPE_PREFIX.length);
  return end < 0 || end > TYPE_PREFIX.length + 64 ? undefined : line.slice(TYPE_PREFIX.length, end);
}

function sameCounts(
  a: readonly { readonly counts: readonly number[] }[],
  b: readonly { readonly counts: readonly number[] }[],
): boolean {
  return (
    a.length === b.length &&
    a.every(
      (row, i) =>
        row.counts.length === b[i]!.counts.length &&
        row.counts.every((n, j) => n === b[i]!.counts[j]),
    )
  );
}

/** Imports the actas of an exported record (see the module header). */
export function importActaRecord(
  files: ActaRecordFiles,
  options: ImportActaRecordOptions = {},
): ActaRecordImport {
  const where = options.where ?? 'record';
  const problems: ImportProblem[] = [];
  if (files.recordJson !== undefined) checkRecordJson(files.recordJson, where, problems);

  let electionId: string | null = null;
  let manifest: Manifest | null = null;
  let authorityKey: string | null = null;
  let authorityFailure: string | undefined;
  let electionHash: Uint8Array | null = null;
  const deviceKeys = new Map<string, string>();
  const pending: PendingActa[] = [];
  /** The first authority-signed decrypted result of each mesa. */
  const decrypted = new Map<string, EntryBody<'mesa-result'>>();
  let unparsed = 0;

  let lineNumber = 0;
  for (const line of files.entryLines) {
    lineNumber += 1;
    const at = `${where} line ${lineNumber}`;
    const peeked = peekType(line);
    if (peeked !== undefined && !NEEDED.has(peeked)) continue;
    const parsed = parseEntryLine(line, at);
    if (!parsed.ok) {
      // A line that does not parse may have been an acta: counted, never dropped silently.
      unparsed += 1;
      problems.push({
        code: 'IMPORT_MALFORMED',
        where: at,
        message: `${parsed.error.code} at ${parsed.error.where}: ${parsed.error.message}`,
      });
      continue;
    }
    const entry: Entry = parsed.value;
    switch (entry.type) {
      case 'election': {
        if (electionId !== null) {
          problems.push({
            code: 'IMPORT_MALFORMED',
            where: at,
            message: 'a second election entry, ignored',
          });
          break;
        }
        const b = entry.body;
        electionId = null;
        const m = parseManifest(b.manifest);
        if (!m.ok) {
          problems.push({
            code: 'IMPORT_MALFORMED',
            where: `${at} manifest`,
            message: `${m.error.code} at ${m.error.where}: ${m.error.message}`,
          });
        } else {
          manifest = m.value;
          electionId = m.value.electionId;
        }
        authorityKey = b.authorityKey;
        const sig = verifyEntryBody('election', b, b.authorityKey, at);
        if (!sig.ok) {
          authorityFailure = `the election entry (${at}) is not signed by the authority key it names`;
        } else if (options.authorityKey !== undefined && options.authorityKey !== b.authorityKey) {
          authorityFailure = `the record's authority key ${b.authorityKey.slice(0, 16)}… is not the expected ${options.authorityKey.slice(0, 16)}…`;
        }
        break;
      }
      case 'election-key': {
        if (authorityKey === null || electionHash !== null) break;
        const hash = decodeHex(entry.body.electionHash, at, 32);
        if (verifyEntryBody('election-key', entry.body, authorityKey, at).ok && hash.ok) {
          electionHash = hash.value;
        } else {
          problems.push({
            code: 'IMPORT_MALFORMED',
            where: at,
            message:
              'the election-key entry is not signed by the authority; acta QR payloads cannot be checked',
          });
        }
        break;
      }
      case 'mesa-device': {
        const b = entry.body;
        if (authorityKey === null || deviceKeys.has(b.mesa)) break;
        if (verifyEntryBody('mesa-device', b, authorityKey, at).ok) {
          deviceKeys.set(b.mesa, b.deviceKey);
        } else {
          problems.push({
            code: 'IMPORT_MALFORMED',
            where: at,
            message: `the device registration of mesa ${b.mesa} is not signed by the authority: ignored`,
          });
        }
        break;
      }
      case 'acta':
        pending.push({
          body: entry.body,
          source: at,
          failure: checkActa(entry.body, deviceKeys.get(entry.body.mesa), electionHash),
        });
        break;
      case 'mesa-result': {
        const b = entry.body;
        if (authorityKey === null || decrypted.has(b.mesa)) break;
        if (verifyEntryBody('mesa-result', b, authorityKey, at).ok) decrypted.set(b.mesa, b);
        break;
      }
      case 'trustee-round1':
      case 'trustee-shares':
      case 'witness':
      case 'registration':
      case 'revocation':
      case 'checkin':
      case 'refusal':
      case 'ballot':
      case 'acta-cosign':
      case 'decryption':
      case 'totals':
        break;
      default: {
        const never: never = entry;
        throw new Error(`unhandled entry ${String(never)}`);
      }
    }
  }

  const contest = pickContest(manifest, options.contest);
  if (manifest === null) {
    problems.push({
      code: 'IMPORT_MALFORMED',
      where,
      message: 'the record has no readable election entry (no manifest)',
    });
  } else if (contest === undefined) {
    problems.push({
      code: 'IMPORT_MALFORMED',
      where,
      message: `the manifest has no contest ${JSON.stringify(options.contest ?? '')}`,
    });
  }

  const actas: CollectedActa[] = [];
  const forged: ForgedActa[] = [];
  for (const p of pending) {
    const b = p.body;
    const info = manifest === null ? undefined : findMesa(manifest, b.mesa);
    if (manifest === null || contest === undefined || info === undefined) {
      problems.push({
        code: 'IMPORT_BAD_ID',
        where: p.source,
        message:
          manifest === null || contest === undefined
            ? `acta of mesa ${b.mesa}: no manifest contest to read it against`
            : `acta of mesa ${b.mesa}: the mesa is not in the manifest`,
      });
      continue;
    }
    const styleContests = contestsOfStyle(manifest, info.ballotStyle) ?? [];
    const ci = styleContests.findIndex((c) => c.id === contest.id);
    const row = ci < 0 ? undefined : b.results[ci];
    if (
      row === undefined ||
      row.contest !== contest.id ||
      row.counts.length !== contest.cards.length
    ) {
      problems.push({
        code: 'IMPORT_WRONG_FIELD_COUNT',
        where: p.source,
        message:
          ci < 0
            ? `mesa ${b.mesa} does not vote in contest ${contest.id}`
            : `acta of mesa ${b.mesa}: its results do not hold contest ${contest.id}'s ${contest.cards.length} cards`,
      });
      continue;
    }
    let failure =
      authorityFailure === undefined
        ? p.failure
        : { code: 'AUTHORITY_UNTRUSTED' as const, reason: authorityFailure };
    const result = decrypted.get(b.mesa);
    if (failure === undefined && result !== undefined && !sameCounts(b.results, result.results)) {
      failure = {
        code: 'RESULT_MISMATCH',
        reason: `the counts decrypted by the trustees differ from the acta's (the device signed counts the ballots do not hold)`,
      };
    }
    const totals = candidateTotals(contest, row.counts);
    const votes = new Map<string, number>();
    let marks = 0;
    for (const cand of contest.candidates) {
      const n = totals[cand.id] ?? 0;
      votes.set(options.candidateKeys?.get(cand.id) ?? cand.id, n);
      marks += n;
    }
    const mesaResult: MesaResult = {
      id: b.mesa,
      region: [info.stateName, info.municipalityName, info.parishName, info.centreCode],
      registered: b.counts.registered,
      voters: b.counts.checkedIn,
      valid: marks,
      invalid: 0,
      blank: contest.selectionLimit === 1 ? Math.max(0, b.counts.cast - marks) : null,
      votes,
      source: p.source,
    };
    actas.push({ result: mesaResult, signature: failure === undefined ? 'verified' : 'forged' });
    if (failure !== undefined) forged.push({ mesa: b.mesa, source: p.source, ...failure });
  }
  const rows = pending.length + unparsed;
  return {
    actas,
    forged,
    problems,
    rows,
    skipped: rows - actas.length,
    electionId,
    contest: contest?.id ?? null,
    manifest,
    electionHash: electionHash === null ? null : encodeHex(electionHash),
    deviceKeys,
  };
}

function pickContest(manifest: Manifest | null, id: string | undefined): Contest | undefined {
  if (manifest === null) return undefined;
  return id === undefined ? manifest.contests[0] : manifest.contests.find((c) => c.id === id);
}

/** The device-side checks of one acta; undefined when they pass. */
function checkActa(
  b: EntryBody<'acta'>,
  deviceKey: string | undefined,
  electionHash: Uint8Array | null,
): { code: ActaForgeryCode; reason: string } | undefined {
  if (deviceKey === undefined) {
    return {
      code: 'NO_DEVICE',
      reason: `no authority-signed device registration of mesa ${b.mesa} precedes the acta`,
    };
  }
  const sig = verifyEntryBody('acta', b, deviceKey, 'acta');
  if (!sig.ok) {
    return {
      code: 'ACTA_SIGNATURE_INVALID',
      reason: `the acta is not signed by the device of mesa ${b.mesa}`,
    };
  }
  const qr = parseActaQr(b.qr);
  if (!qr.ok)
    return { code: 'QR_MISMATCH', reason: `its QR payload does not parse: ${qr.error.code}` };
  const key = SigningPublicKey.decodeHex(deviceKey);
  if (!key.ok) return { code: 'NO_DEVICE', reason: 'the device key does not decode' };
  const check = verifyActaQr(qr.value, key.value, electionHash === null ? {} : { electionHash });
  if (!check.ok)
    return { code: 'QR_MISMATCH', reason: `its QR payload fails: ${check.error.code}` };
  const same = matchesActaQr(qr.value, {
    mesa: b.mesa,
    counts: b.counts,
    chainHead: b.chainHead,
    results: b.results.map((r) => r.counts),
  });
  return same
    ? undefined
    : { code: 'QR_MISMATCH', reason: 'its QR payload states other numbers than the entry' };
}

/** record.json must name the record format; anything else is reported (the entries are still read). */
function checkRecordJson(text: string, where: string, problems: ImportProblem[]): void {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problems.push({ code: 'IMPORT_MALFORMED', where: `${where} record.json`, message: 'not JSON' });
    return;
  }
  const format =
    typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)['format']
      : undefined;
  if (format !== RECORD_FORMAT) {
    problems.push({
      code: 'IMPORT_MALFORMED',
      where: `${where} record.json`,
      message: `not an Acta record (format ${JSON.stringify(format ?? null)}, expected ${RECORD_FORMAT})`,
    });
  }
}
