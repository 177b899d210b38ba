/**
 * The files of an exported record (docs/spec-record.md §10) other than the
 * entries: `record.json` describes the record, and `manifest.json`,
 * `totals.json` and `tree-head.json` are convenience copies of values the
 * entries and tree heads hold. A reader may open a copy instead of the
 * entries, so each must be exactly — byte for byte — the rendering of what it
 * copies (docs/spec-verifier.md §3.4): a copy that merely parses to the same
 * value could still differ in ways a careless reader would take at face value.
 */
import type { VerificationCode } from './codes.js';

/** The files an export writes. */
export const RECORD_FILES = [
  'entries.ndjson',
  'manifest.json',
  'record.json',
  'totals.json',
  'tree-head.json',
  'tree-heads.ndjson',
] as const;

/** A file of the record. */
export type RecordFileName = (typeof RECORD_FILES)[number];

/** The record format `record.json` names. */
export const RECORD_FORMAT = 'acta-record-v1';

/** What the entries and tree heads established, to check the small files against. */
export interface RecordFacts {
  readonly entries: number;
  readonly entriesPresent: boolean;
  readonly electionId: string | null;
  /** The election entry's manifest, as its line holds it (undefined: no accepted election entry). */
  readonly manifest: unknown;
  /** The totals entry's body, as its line holds it (undefined: none accepted). */
  readonly totals: unknown;
  /** The last line of tree-heads.ndjson, if it parsed. */
  readonly latestHeadLine: string | undefined;
}

type Report = (code: VerificationCode, where: string, message: string) => void;

function pretty(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Checks record.json and the copies against the facts; reports every disagreement. */
export function checkCopies(
  files: Readonly<Partial<Record<RecordFileName, string>>>,
  facts: RecordFacts,
  report: Report,
): void {
  const present = RECORD_FILES.filter((name) =>
    name === 'entries.ndjson' ? facts.entriesPresent : files[name] !== undefined,
  );
  copy('manifest.json', facts.manifest);
  copy('totals.json', facts.totals);
  if (facts.latestHeadLine !== undefined) {
    const text = files['tree-head.json'];
    if (text === undefined) {
      report(
        'RECORD_FILE_MISSING',
        'tree-head.json',
        'the record has tree heads but no tree-head.json',
      );
    } else if (text !== `${facts.latestHeadLine}\n`) {
      report('COPY_MISMATCH', 'tree-head.json', 'not the last line of tree-heads.ndjson');
    }
  } else if (files['tree-head.json'] !== undefined) {
    report('COPY_MISMATCH', 'tree-head.json', 'tree-heads.ndjson has no (valid) tree head to copy');
  }

  const text = files['record.json'];
  if (text === undefined) return;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    report('RECORD_JSON_INVALID', 'record.json', 'not JSON');
    return;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    report('RECORD_JSON_INVALID', 'record.json', 'not a JSON object');
    return;
  }
  const r = json as Record<string, unknown>;
  if (r['format'] !== RECORD_FORMAT) {
    report('RECORD_JSON_INVALID', 'record.json format', `not ${RECORD_FORMAT}`);
    return;
  }
  const listed = Array.isArray(r['files']) ? (r['files'] as unknown[]) : [];
  for (const name of listed) {
    if (typeof name !== 'string' || !(RECORD_FILES as readonly string[]).includes(name)) {
      report(
        'RECORD_JSON_INVALID',
        'record.json files',
        `${JSON.stringify(name)} is not a file of a record`,
      );
    } else if (!present.includes(name as RecordFileName)) {
      report('RECORD_FILE_MISSING', name, `record.json lists ${name}, which is missing`);
    }
  }
  const expected = pretty({
    format: RECORD_FORMAT,
    electionId: facts.electionId,
    entries: facts.entries,
    treeHead:
      facts.latestHeadLine === undefined ? null : (JSON.parse(facts.latestHeadLine) as unknown),
    files: [...present],
  });
  if (text !== expected) {
    const fields = ['format', 'electionId', 'entries', 'treeHead', 'files'];
    const want = JSON.parse(expected) as Record<string, unknown>;
    const differing = fields.filter((f) => JSON.stringify(r[f]) !== JSON.stringify(want[f]));
    const extra = Object.keys(r).filter((k) => !fields.includes(k));
    report(
      'RECORD_JSON_MISMATCH',
      'record.json',
      differing.length + extra.length > 0
        ? `disagrees with the record in ${[...differing, ...extra].join(', ')}`
        : 'not in its written form (2-space JSON and a newline)',
    );
  }

  function copy(name: 'manifest.json' | 'totals.json', value: unknown): void {
    const text = files[name];
    if (value === undefined) {
      if (text !== undefined) {
        report(
          'COPY_MISMATCH',
          name,
          `the entries hold no ${name === 'manifest.json' ? 'election' : 'totals'} entry to copy`,
        );
      }
      return;
    }
    if (text === undefined) {
      report('RECORD_FILE_MISSING', name, `the record has no ${name}`);
    } else if (text !== pretty(value)) {
      report(
        'COPY_MISMATCH',
        name,
        `not the copy of the ${name === 'manifest.json' ? "election entry's manifest" : 'totals entry'}`,
      );
    }
  }
}
