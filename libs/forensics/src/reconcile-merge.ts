/**
 * Merging collected copies of the same acta, and each acta's own arithmetic
 * (issue #7, item 2). Witnesses often hold several copies of one mesa's acta
 * (a photo, a QR scan, a transcription); the merge must be a function of the
 * set of copies, never of their order, so that the same evidence always gives
 * the same report.
 *
 * Rules: a forged copy is flagged and never used. Copies with the same figures
 * are one (counted as duplicates). Copies that differ only where one says
 * nothing (`null`, or a candidate it does not list) are merged field by field.
 * Copies that disagree on a figure are a conflict: one or more verified copies
 * that agree among themselves decide it (the conflict is still listed);
 * disagreeing verified copies, or disagreeing copies none of which is verified,
 * leave the mesa uncollected — the worst case for the proof, since its
 * registered voters then count as uncovered.
 */
import type { MesaResult } from './mesa-result.js';
import type {
  CollectedActa,
  ReconcileCode,
  ReconcileFinding,
  SignatureStatus,
} from './reconcile-types.js';

/** A copy's figures, checked. */
export interface ActaFigures {
  readonly id: string;
  readonly registered: number | null;
  readonly voters: number | null;
  readonly valid: number | null;
  readonly invalid: number | null;
  readonly blank: number | null;
  readonly votes: ReadonlyMap<string, number>;
}

/** The scalar fields compared between copies, in report order. */
export const SCALAR_FIELDS = ['registered', 'voters', 'valid', 'invalid', 'blank'] as const;
export type ScalarField = (typeof SCALAR_FIELDS)[number];

/** Field name of a candidate's votes in findings and comparisons. */
export function voteField(key: string): string {
  return `votes.${key}`;
}

/** Thousands separators without locale data, so messages read the same everywhere. */
export function formatCount(n: number): string {
  const s = String(Math.abs(n));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `−${grouped}` : grouped;
}

/** A hostile value, shown in a message (JSON where it can be, so objects do not read as `[object Object]`). */
function showValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return typeof v;
  }
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function makeFinding(
  code: ReconcileCode,
  mesa: string | null,
  sources: readonly string[],
  message: string,
  figures: Readonly<Record<string, number | null>> = {},
): ReconcileFinding {
  return { code, mesa, sources: [...new Set(sources)].sort(), message, figures };
}

/**
 * Checks a record's counts (every external byte is hostile: an importer may be
 * buggy or the record hand-made). Returns the figures, or a finding.
 */
export function checkFigures(
  r: MesaResult,
  source: string,
):
  | { readonly ok: true; readonly figures: ActaFigures }
  | { readonly ok: false; readonly finding: ReconcileFinding } {
  if (typeof r.id !== 'string' || r.id.length === 0) {
    return {
      ok: false,
      finding: makeFinding('ACTA_BAD_ID', null, [source], `${source}: the acta has no mesa id`),
    };
  }
  const bad: string[] = [];
  for (const f of SCALAR_FIELDS) {
    const v: unknown = r[f];
    if (v !== null && !isCount(v)) bad.push(`${f} = ${showValue(v)}`);
  }
  for (const [k, v] of r.votes) if (!isCount(v)) bad.push(`${voteField(k)} = ${showValue(v)}`);
  if (bad.length > 0) {
    return {
      ok: false,
      finding: makeFinding(
        'ACTA_BAD_COUNT',
        r.id,
        [source],
        `${source}: mesa ${r.id} has counts that are not non-negative integers (${bad.join(', ')}); the copy is left out`,
      ),
    };
  }
  return {
    ok: true,
    // A MesaResult is already ActaFigures: no copy (30,000 of them per election).
    figures: r,
  };
}

/** A canonical text of a copy's figures: equal texts ⇔ identical figures (candidate order aside). */
export function figuresKey(f: ActaFigures): string {
  const entries = [...f.votes].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify([f.registered, f.voters, f.valid, f.invalid, f.blank, entries]);
}

/** Fields on which the versions give more than one value (nulls and unlisted candidates say nothing). */
export function disagreeingFields(versions: readonly ActaFigures[]): string[] {
  const out: string[] = [];
  for (const f of SCALAR_FIELDS) {
    let seen: number | null = null;
    for (const v of versions) {
      const x = v[f];
      if (x === null) continue;
      if (seen === null) seen = x;
      else if (seen !== x) {
        out.push(f);
        break;
      }
    }
  }
  const keys = new Set<string>();
  for (const v of versions) for (const k of v.votes.keys()) keys.add(k);
  for (const k of [...keys].sort()) {
    let seen: number | undefined;
    for (const v of versions) {
      const x = v.votes.get(k);
      if (x === undefined) continue;
      if (seen === undefined) seen = x;
      else if (seen !== x) {
        out.push(voteField(k));
        break;
      }
    }
  }
  return out;
}

/** Field-by-field union of versions that do not disagree. */
export function unionFigures(id: string, versions: readonly ActaFigures[]): ActaFigures {
  const pick = (f: (typeof SCALAR_FIELDS)[number]): number | null => {
    for (const v of versions) if (v[f] !== null) return v[f];
    return null;
  };
  const keys = new Set<string>();
  for (const v of versions) for (const k of v.votes.keys()) keys.add(k);
  const votes = new Map<string, number>();
  for (const k of [...keys].sort()) {
    for (const v of versions) {
      const x = v.votes.get(k);
      if (x !== undefined) {
        votes.set(k, x);
        break;
      }
    }
  }
  return {
    id,
    registered: pick('registered'),
    voters: pick('voters'),
    valid: pick('valid'),
    invalid: pick('invalid'),
    blank: pick('blank'),
    votes,
  };
}

function fieldValue(f: ActaFigures, field: string): number | null {
  switch (field) {
    case 'registered':
    case 'voters':
    case 'valid':
    case 'invalid':
    case 'blank':
      return f[field];
    default:
      return f.votes.get(field.slice('votes.'.length)) ?? null;
  }
}

interface Copy {
  readonly figures: ActaFigures;
  readonly source: string;
  readonly signature: SignatureStatus;
  readonly key: string;
}

interface Version {
  figures: ActaFigures;
  firstSource: string;
  readonly key: string;
  sources: string[];
  verified: boolean;
}

export type MergeOutcome =
  | {
      readonly kind: 'used';
      readonly figures: ActaFigures;
      readonly signature: 'verified' | 'unsigned';
    }
  | { readonly kind: 'conflict' | 'signed-conflict' | 'forged' | 'unusable' };

export interface MergedGroup {
  readonly id: string;
  readonly outcome: MergeOutcome;
  readonly sources: readonly string[];
  readonly duplicates: number;
  readonly complemented: boolean;
  readonly resolvedByVerified: boolean;
}

/** Describes the copies' values of the disagreeing fields, for a conflict finding. */
function describeConflict(
  versions: readonly Version[],
  fields: readonly string[],
): { text: string; figures: Record<string, number | null> } {
  const figures: Record<string, number | null> = {};
  const parts: string[] = [];
  for (const v of versions) {
    const values = fields.map((f) => {
      const x = fieldValue(v.figures, f);
      for (const s of v.sources) figures[`${f}@${s}`] = x;
      return `${f} ${x === null ? 'not given' : formatCount(x)}`;
    });
    parts.push(`${v.sources.join(' = ')}${v.verified ? ' (verified)' : ''}: ${values.join(', ')}`);
  }
  return { text: parts.join('; '), figures };
}

/** The common case, one copy: no canonical text, no versions. */
function mergeSingle(id: string, c: CollectedActa, findings: ReconcileFinding[]): MergedGroup {
  const source = c.result.source;
  const base = {
    id,
    sources: [source],
    duplicates: 0,
    complemented: false,
    resolvedByVerified: false,
  };
  const checked = checkFigures(c.result, source);
  if (!checked.ok) {
    findings.push(checked.finding);
    return { ...base, outcome: { kind: 'unusable' } };
  }
  switch (c.signature) {
    case 'forged':
      findings.push(forgedFinding(id, source));
      return { ...base, outcome: { kind: 'forged' } };
    case 'verified':
    case 'unsigned':
      return {
        ...base,
        outcome: { kind: 'used', figures: checked.figures, signature: c.signature },
      };
    default: {
      const never: never = c.signature;
      throw new RangeError(`unknown signature status ${String(never)}`);
    }
  }
}

function forgedFinding(id: string, source: string): ReconcileFinding {
  return makeFinding(
    'RECONCILE_FORGED',
    id,
    [source],
    `${source}: the copy of mesa ${id} has a signature that does not verify; it is never counted`,
  );
}

/**
 * Merges the copies of one mesa (all with the same id, already checked and
 * with forged/unusable ones included so their sources are listed).
 */
export function mergeGroup(
  id: string,
  copies: readonly CollectedActa[],
  findings: ReconcileFinding[],
): MergedGroup {
  const only = copies.length === 1 ? copies[0] : undefined;
  if (only !== undefined) return mergeSingle(id, only, findings);
  const allSources = [...new Set(copies.map((c) => c.result.source))].sort();
  const usable: Copy[] = [];
  let unusable = 0;
  let forged = 0;
  // The very same copy given twice (same source, signature and figures) is one
  // copy: a duplicate, never a second finding.
  const seen = new Set<string>();
  let repeats = 0;
  for (const c of copies) {
    const checked = checkFigures(c.result, c.result.source);
    const exact = checked.ok
      ? `${c.signature}\n${c.result.source}\n${figuresKey(checked.figures)}`
      : `unusable\n${checked.finding.message}`;
    if (seen.has(exact)) {
      repeats++;
      continue;
    }
    seen.add(exact);
    if (!checked.ok) {
      findings.push(checked.finding);
      unusable++;
      continue;
    }
    switch (c.signature) {
      case 'forged':
        forged++;
        findings.push(forgedFinding(id, c.result.source));
        continue;
      case 'verified':
      case 'unsigned':
        usable.push({
          figures: checked.figures,
          source: c.result.source,
          signature: c.signature,
          key: figuresKey(checked.figures),
        });
        break;
      default: {
        const never: never = c.signature;
        throw new RangeError(`unknown signature status ${String(never)}`);
      }
    }
  }
  const base = { id, sources: allSources, complemented: false, resolvedByVerified: false };
  if (usable.length === 0) {
    return {
      ...base,
      duplicates: repeats,
      outcome: { kind: forged > 0 || unusable === 0 ? 'forged' : 'unusable' },
    };
  }
  const byKey = new Map<string, Version>();
  for (const c of usable) {
    const v = byKey.get(c.key);
    if (v === undefined) {
      byKey.set(c.key, {
        figures: c.figures,
        firstSource: c.source,
        key: c.key,
        sources: [c.source],
        verified: c.signature === 'verified',
      });
    } else {
      v.sources.push(c.source);
      if (c.signature === 'verified') v.verified = true;
      // Same figures, maybe candidates in another order: keep the copy with the
      // first source, so the map used never depends on the input order.
      if (c.source < (v.firstSource ?? '')) {
        v.figures = c.figures;
        v.firstSource = c.source;
      }
    }
  }
  // Versions in a canonical order (by their figures' text), sources sorted:
  // the merge and its messages never depend on the input order.
  const versions = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const v of versions) v.sources = [...new Set(v.sources)].sort();
  const duplicates = repeats + usable.length - versions.length;
  const first = versions[0];
  if (first === undefined) throw new RangeError('no version');
  const anyVerified = versions.some((v) => v.verified);
  if (versions.length === 1) {
    return {
      ...base,
      duplicates,
      outcome: {
        kind: 'used',
        figures: first.figures,
        signature: anyVerified ? 'verified' : 'unsigned',
      },
    };
  }
  const fields = disagreeingFields(versions.map((v) => v.figures));
  if (fields.length === 0) {
    return {
      ...base,
      duplicates,
      complemented: true,
      outcome: {
        kind: 'used',
        figures: unionFigures(
          id,
          versions.map((v) => v.figures),
        ),
        signature: anyVerified ? 'verified' : 'unsigned',
      },
    };
  }
  const conflict = describeConflict(versions, fields);
  const verified = versions.filter((v) => v.verified);
  const sources = usable.map((c) => c.source);
  if (verified.length > 0) {
    const verifiedFields = disagreeingFields(verified.map((v) => v.figures));
    if (verifiedFields.length > 0) {
      findings.push(
        makeFinding(
          'RECONCILE_SIGNED_CONFLICT',
          id,
          sources,
          `mesa ${id}: verified copies disagree on ${verifiedFields.join(', ')} (${conflict.text}); a signing key signed two different actas, so the mesa is counted as uncollected`,
          conflict.figures,
        ),
      );
      return { ...base, duplicates, outcome: { kind: 'signed-conflict' } };
    }
    findings.push(
      makeFinding(
        'RECONCILE_CONFLICT',
        id,
        sources,
        `mesa ${id}: copies disagree on ${fields.join(', ')} (${conflict.text}); the verified copy is used`,
        conflict.figures,
      ),
    );
    return {
      ...base,
      duplicates,
      resolvedByVerified: true,
      outcome: {
        kind: 'used',
        figures: unionFigures(
          id,
          verified.map((v) => v.figures),
        ),
        signature: 'verified',
      },
    };
  }
  findings.push(
    makeFinding(
      'RECONCILE_CONFLICT_UNRESOLVED',
      id,
      sources,
      `mesa ${id}: unsigned copies disagree on ${fields.join(', ')} (${conflict.text}); no copy is verified, so the mesa is counted as uncollected (worst case)`,
      conflict.figures,
    ),
  );
  return { ...base, duplicates, outcome: { kind: 'conflict' } };
}

/** The ballots an acta accounts for: valid (or the candidates' sum) + invalid + blank; null if unknown. */
export function ballotsOf(f: ActaFigures): number | null {
  let valid = f.valid;
  if (valid === null) {
    if (f.votes.size === 0) return null;
    valid = 0;
    for (const v of f.votes.values()) valid += v;
  }
  return valid + (f.invalid ?? 0) + (f.blank ?? 0);
}

/**
 * Checks one acta's own arithmetic; pushes a finding per violation and returns
 * whether it fails. `ACTA_NO_REGISTERED` is pushed by the caller (it is not a
 * failure of the acta).
 */
export function checkArithmetic(
  f: ActaFigures,
  sources: readonly string[],
  findings: ReconcileFinding[],
): boolean {
  let fails = false;
  const id = f.id;
  if (f.valid !== null && f.votes.size > 0) {
    let sum = 0;
    for (const v of f.votes.values()) sum += v;
    if (sum !== f.valid) {
      fails = true;
      findings.push(
        makeFinding(
          'ACTA_SUM_MISMATCH',
          id,
          sources,
          `mesa ${id} (${sources.join(', ')}): the candidates' votes sum to ${formatCount(sum)} but the acta states ${formatCount(f.valid)} valid votes (difference ${formatCount(sum - f.valid)})`,
          { candidatesSum: sum, valid: f.valid },
        ),
      );
    }
  }
  const ballots = ballotsOf(f);
  // Built only for a finding: most actas pass, and formatting is the slow part.
  const ballotText = (): string =>
    `valid ${f.valid === null ? '(the candidates’ sum) ' : ''}+ invalid + blank = ${ballots === null ? '' : formatCount(ballots)}`;
  if (ballots !== null && f.voters !== null && ballots > f.voters) {
    fails = true;
    findings.push(
      makeFinding(
        'ACTA_BALLOTS_ABOVE_VOTERS',
        id,
        sources,
        `mesa ${id} (${sources.join(', ')}): ${ballotText()} is above the ${formatCount(f.voters)} voters`,
        { ballots, voters: f.voters },
      ),
    );
  }
  if (f.voters !== null && f.registered !== null && f.voters > f.registered) {
    fails = true;
    findings.push(
      makeFinding(
        'ACTA_VOTERS_ABOVE_REGISTERED',
        id,
        sources,
        `mesa ${id} (${sources.join(', ')}): ${formatCount(f.voters)} voters is above the ${formatCount(f.registered)} registered`,
        { voters: f.voters, registered: f.registered },
      ),
    );
  }
  if (ballots !== null && f.registered !== null && ballots > f.registered) {
    fails = true;
    findings.push(
      makeFinding(
        'ACTA_BALLOTS_ABOVE_REGISTERED',
        id,
        sources,
        `mesa ${id} (${sources.join(', ')}): ${ballotText()} is above the ${formatCount(f.registered)} registered`,
        { ballots, registered: f.registered },
      ),
    );
  }
  return fails;
}
