/**
 * Acta's signed acta QR payloads (issue #7, item 1; docs/spec.md chapter 2,
 * "Actas"; libs/protocol acta-qr.ts): `ACTA1!…` texts a witness scanned from
 * printed actas, one per line, verified offline against the mesa devices'
 * keys the caller supplies (from the record — `importActaRecord(...).deviceKeys`
 * — or a file of keys, `parseDeviceKeyLines`).
 *
 * Each payload becomes a collected acta:
 *  - `verified`: the device key of its mesa is known and signs the payload;
 *  - `forged`: the key is known and the signature fails, or the payload is
 *    signed for another election than the one expected;
 *  - `unsigned`: no key is known for the mesa — nothing proves who wrote it
 *    (listed in `unsigned`, so the caller can say so).
 * A payload whose numbers contradict themselves (checked in above registered,
 * cast above checked in, a card marked more often than ballots were cast, more
 * contests or cards than the mesa's ballot style) is still returned, and
 * listed in `inconsistent`: a signed but inconsistent acta is evidence against
 * the device that signed it, not something to drop. Payloads that do not
 * parse are problems naming their line and the protocol's error code.
 *
 * Figures: registered, checked in (`voters`), one contest's card counts summed
 * per candidate with the manifest (without one, per card: keys `card 1`, …);
 * `valid` = the marks, `invalid` = 0 (an encrypted ballot cannot be null),
 * `blank` = cast − marks for a single-selection contest, else null.
 */
import { SigningPublicKey, decodeHex, err, ok, type Result } from '@acta/crypto';
import {
  candidateTotals,
  contestsOfStyle,
  findMesa,
  parseActaQr,
  verifyActaQr,
  type ActaQrErrorCode,
  type ActaQrExpectations,
  type Contest,
  type Manifest,
  type ParsedActaQr,
} from '@acta/protocol';
import type { ImportProblem, MesaResult } from './mesa-result.js';
import type { CollectedActa } from './reconcile-types.js';

/** What the caller knows to verify payloads against. */
export interface ActaQrContext {
  /** Mesa id → the device's Ed25519 public key (64 hex digits). */
  readonly deviceKeys: ReadonlyMap<string, string>;
  /** The election hash (64 hex digits): payloads naming another election are `forged`. */
  readonly electionHash?: string;
  /** The manifest: candidates, the mesa's ballot style and its place. */
  readonly manifest?: Manifest;
  /** The contest imported (with a manifest: its id; default the first). */
  readonly contest?: string;
  /** Renames candidate ids (`gonzalez` → `EG`). */
  readonly candidateKeys?: ReadonlyMap<string, string>;
}

/** A payload that decoded but does not hold together, or whose signature failed. */
export interface ActaQrFinding {
  readonly mesa: string;
  readonly source: string;
  /** The protocol's code (`ACTA_QR_SIGNATURE_INVALID`, `ACTA_QR_COUNTS_INCONSISTENT`, …) or `NO_DEVICE_KEY`. */
  readonly code: ActaQrErrorCode | 'NO_DEVICE_KEY';
  readonly reason: string;
}

/** One decoded payload. */
export interface DecodedActaQr {
  readonly acta: CollectedActa;
  /** Why it is forged, unsigned or inconsistent; undefined for a verified, consistent acta. */
  readonly finding?: ActaQrFinding;
  /** True when the numbers contradict themselves (whatever the signature). */
  readonly inconsistent: boolean;
}

/** What a file of payloads gave. */
export interface ActaQrImport {
  readonly actas: readonly CollectedActa[];
  readonly forged: readonly ActaQrFinding[];
  readonly unsigned: readonly ActaQrFinding[];
  readonly inconsistent: readonly ActaQrFinding[];
  readonly problems: readonly ImportProblem[];
  /** Payload lines seen (blank lines are not payloads); `actas.length + skipped`. */
  readonly rows: number;
  readonly skipped: number;
}

const hexKeyCache = new Map<string, SigningPublicKey | null>();

function decodeKey(hex: string): SigningPublicKey | null {
  let key = hexKeyCache.get(hex);
  if (key === undefined) {
    const k = SigningPublicKey.decodeHex(hex);
    key = k.ok ? k.value : null;
    if (hexKeyCache.size > 4096) hexKeyCache.clear();
    hexKeyCache.set(hex, key);
  }
  return key;
}

/** The arithmetic every honest acta satisfies, for payloads no key can verify (verifyActaQr checks it otherwise). */
function checkArithmetic(q: ParsedActaQr): string | undefined {
  if (q.checkedIn > q.registered)
    return `${q.checkedIn} checked in, only ${q.registered} registered`;
  if (q.cast > q.checkedIn) return `${q.cast} ballots cast, only ${q.checkedIn} checked in`;
  for (const row of q.counts) {
    for (const n of row)
      if (n > q.cast) return `${n} marks on one card, only ${q.cast} ballots cast`;
  }
  return undefined;
}

/**
 * Decodes and verifies one payload (surrounding spaces dropped); `where`
 * becomes the acta's `source`. An error is a payload that cannot be read
 * (unparseable, unknown mesa or contest with a manifest).
 */
export function decodeActaQrPayload(
  payload: string,
  where: string,
  context: ActaQrContext,
): Result<DecodedActaQr, ImportProblem> {
  const parsed = parseActaQr(payload.trim());
  if (!parsed.ok) {
    const e = parsed.error;
    return err({
      code: e.code === 'ACTA_QR_BAD_MESA_ID' ? 'IMPORT_BAD_ID' : 'IMPORT_MALFORMED',
      where,
      message: `${e.code} at ${e.where}: ${e.message}`,
    });
  }
  const q = parsed.value;
  const manifest = context.manifest;
  let contest: Contest | undefined;
  let contestIndex = 0;
  let region: string[];
  const expected: { contestCards?: number[]; selectionLimits?: number[] } = {};
  if (manifest !== undefined) {
    const info = findMesa(manifest, q.mesa);
    if (info === undefined) {
      return err({
        code: 'IMPORT_BAD_ID',
        where,
        message: `mesa ${q.mesa} is not in the manifest`,
      });
    }
    const style = contestsOfStyle(manifest, info.ballotStyle) ?? [];
    contestIndex =
      context.contest === undefined ? 0 : style.findIndex((c) => c.id === context.contest);
    contest = style[contestIndex];
    if (contest === undefined) {
      return err({
        code: 'IMPORT_BAD_ID',
        where,
        message: `mesa ${q.mesa} does not vote in contest ${JSON.stringify(context.contest ?? '')}`,
      });
    }
    expected.contestCards = style.map((c) => c.cards.length);
    expected.selectionLimits = style.map((c) => c.selectionLimit);
    region = [info.stateName, info.municipalityName, info.parishName, info.centreCode];
  } else {
    const centre = q.mesa.slice(0, 9);
    region = [centre.slice(0, 2), centre.slice(0, 4), centre.slice(0, 6), centre];
  }

  let signature: CollectedActa['signature'];
  let finding: ActaQrFinding | undefined;
  let inconsistent = false;
  const keyHex = context.deviceKeys.get(q.mesa);
  const key = keyHex === undefined ? null : decodeKey(keyHex);
  if (key === null) {
    signature = 'unsigned';
    finding = {
      mesa: q.mesa,
      source: where,
      code: 'NO_DEVICE_KEY',
      reason:
        keyHex === undefined
          ? `no device key is known for mesa ${q.mesa}: the payload cannot be verified`
          : `the device key given for mesa ${q.mesa} is not an Ed25519 public key`,
    };
    const fault = checkArithmetic(q);
    if (fault !== undefined) {
      inconsistent = true;
      finding = { ...finding, reason: `${finding.reason}; and ${fault}` };
    }
  } else {
    const hash =
      context.electionHash === undefined
        ? undefined
        : decodeHex(context.electionHash, 'electionHash', 32);
    if (hash !== undefined && !hash.ok)
      throw new RangeError('context.electionHash is not 64 hex digits');
    const expectations: ActaQrExpectations = {
      ...expected,
      ...(hash === undefined ? {} : { electionHash: hash.value }),
    };
    const check = verifyActaQr(q, key, expectations);
    if (check.ok) {
      signature = 'verified';
    } else {
      const e = check.error;
      const reason = `${e.code} at ${e.where}: ${e.message}`;
      if (e.code === 'ACTA_QR_SIGNATURE_INVALID' || e.code === 'ACTA_QR_ELECTION_MISMATCH') {
        signature = 'forged';
      } else {
        // verifyActaQr checks the signature first: any later failure is a
        // signed acta that does not hold together.
        signature = 'verified';
        inconsistent = true;
      }
      finding = { mesa: q.mesa, source: where, code: e.code, reason };
    }
  }

  const row = q.counts[contestIndex];
  if (row === undefined || (contest !== undefined && row.length !== contest.cards.length)) {
    return err({
      code: 'IMPORT_WRONG_FIELD_COUNT',
      where,
      message: `mesa ${q.mesa}: the payload's contest ${contestIndex + 1} has ${row?.length ?? 0} cards, the manifest ${contest?.cards.length ?? '?'}`,
    });
  }
  const votes = new Map<string, number>();
  let marks = 0;
  if (contest !== undefined) {
    const totals = candidateTotals(contest, row);
    for (const cand of contest.candidates) {
      const n = totals[cand.id] ?? 0;
      votes.set(context.candidateKeys?.get(cand.id) ?? cand.id, n);
      marks += n;
    }
  } else {
    row.forEach((n, i) => {
      votes.set(`card ${i + 1}`, n);
      marks += n;
    });
  }
  const limit = contest?.selectionLimit;
  const result: MesaResult = {
    id: q.mesa,
    region,
    registered: q.registered,
    voters: q.checkedIn,
    valid: marks,
    invalid: 0,
    blank: limit === 1 ? Math.max(0, q.cast - marks) : null,
    votes,
    source: where,
  };
  return ok({
    acta: { result, signature },
    inconsistent,
    ...(finding === undefined ? {} : { finding }),
  });
}

/**
 * Decodes a file of payloads, one per line (`lines`: the text split on
 * "\n"); `where` names the file, sources are `"<file> line N"`. Blank lines
 * are not payloads. Every copy is kept (the reconciliation compares copies of
 * the same mesa and flags conflicting ones).
 */
export function importActaQrPayloads(
  lines: readonly string[],
  where: string,
  context: ActaQrContext,
): ActaQrImport {
  const actas: CollectedActa[] = [];
  const forged: ActaQrFinding[] = [];
  const unsigned: ActaQrFinding[] = [];
  const inconsistent: ActaQrFinding[] = [];
  const problems: ImportProblem[] = [];
  let rows = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    rows++;
    const d = decodeActaQrPayload(line, `${where} line ${i + 1}`, context);
    if (!d.ok) {
      problems.push(d.error);
      continue;
    }
    actas.push(d.value.acta);
    const f = d.value.finding;
    if (d.value.acta.signature === 'forged' && f !== undefined) forged.push(f);
    if (d.value.acta.signature === 'unsigned' && f !== undefined) unsigned.push(f);
    if (d.value.inconsistent) {
      inconsistent.push(
        f !== undefined && f.code !== 'NO_DEVICE_KEY'
          ? f
          : {
              mesa: d.value.acta.result.id,
              source: d.value.acta.result.source,
              code: 'ACTA_QR_COUNTS_INCONSISTENT',
              reason: 'the counters or cards contradict each other (unverified payload)',
            },
      );
    }
  }
  if (rows === 0)
    problems.push({ code: 'IMPORT_EMPTY', where, message: `${where} holds no payload` });
  return { actas, forged, unsigned, inconsistent, problems, rows, skipped: rows - actas.length };
}

/**
 * A file of device keys, one mesa per line: `<mesa id> <64 hex digits>`
 * (spaces, a tab or a comma between; `#` starts a comment). Bad lines are
 * problems; a mesa given twice with different keys is a problem and its
 * first key is kept.
 */
export function parseDeviceKeyLines(
  lines: readonly string[],
  where: string,
): { readonly keys: ReadonlyMap<string, string>; readonly problems: readonly ImportProblem[] } {
  const keys = new Map<string, string>();
  const problems: ImportProblem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] ?? '').replace(/#.*$/, '').trim();
    if (text === '') continue;
    const at = `${where} line ${i + 1}`;
    const m = /^([0-9]{9}\.[0-9]{2})[\s,]+([0-9a-f]{64})$/.exec(text);
    if (m === null) {
      problems.push({
        code: 'IMPORT_MALFORMED',
        where: at,
        message: 'expected "<mesa id, e.g. 010101001.01> <device key, 64 lowercase hex digits>"',
      });
      continue;
    }
    const [, mesa = '', key = ''] = m;
    if (decodeKey(key) === null) {
      problems.push({
        code: 'IMPORT_MALFORMED',
        where: at,
        message: `the key of mesa ${mesa} is not an Ed25519 public key`,
      });
      continue;
    }
    const known = keys.get(mesa);
    if (known !== undefined && known !== key) {
      problems.push({
        code: 'IMPORT_DUPLICATE_MESA',
        where: at,
        message: `mesa ${mesa} already has another key; this one ignored`,
      });
      continue;
    }
    keys.set(mesa, key);
  }
  return { keys, problems };
}
