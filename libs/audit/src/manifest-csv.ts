/**
 * Ballot manifests as Arlo's jurisdictions upload them (issue #6): CSV with
 * the columns `Batch Name,Number of Ballots` (others are ignored, as Arlo
 * ignores them), one row per batch. Every external byte is hostile: the text
 * is parsed by csv-parse (never by hand), every row is checked, and every
 * problem is reported with its row — a missing column, an empty or repeated
 * batch name, a count that is not a non-negative integer — with the rest of
 * the file still read so that all problems show at once.
 */
import type { ManifestBatch } from './arlo-sample.js';
import { readCsvRows } from './csv-rows.js';

/** Why a manifest was refused. */
export type ManifestCsvCode =
  | 'MANIFEST_CSV_MALFORMED'
  | 'MANIFEST_CSV_MISSING_COLUMN'
  | 'MANIFEST_CSV_EMPTY_BATCH_NAME'
  | 'MANIFEST_CSV_DUPLICATE_BATCH'
  | 'MANIFEST_CSV_BAD_COUNT'
  | 'MANIFEST_CSV_EMPTY';

/** One problem of a manifest, with its place (`row N`, 1-based, the header being row 1). */
export interface ManifestCsvProblem {
  readonly code: ManifestCsvCode;
  readonly where: string;
  readonly message: string;
}

/** The manifest, or every problem found. */
export type ManifestCsvResult =
  | { readonly ok: true; readonly value: ManifestBatch[]; readonly ballots: number }
  | { readonly ok: false; readonly problems: readonly ManifestCsvProblem[] };

export const BATCH_NAME_COLUMN = 'Batch Name';
export const BALLOTS_COLUMN = 'Number of Ballots';

/** Parses a manifest CSV (text, a BOM allowed at its start as spreadsheets write one). */
export function parseManifestCsv(text: string): ManifestCsvResult {
  const read = readCsvRows(text);
  if (!read.ok) {
    return {
      ok: false,
      problems: [{ code: 'MANIFEST_CSV_MALFORMED', where: read.where, message: read.message }],
    };
  }
  const { rows } = read;
  const header = (rows[0] ?? []).map((h) => h.trim());
  const nameAt = header.indexOf(BATCH_NAME_COLUMN);
  const countAt = header.indexOf(BALLOTS_COLUMN);
  const problems: ManifestCsvProblem[] = [];
  for (const [col, at] of [
    [BATCH_NAME_COLUMN, nameAt],
    [BALLOTS_COLUMN, countAt],
  ] as const) {
    if (at < 0) {
      problems.push({
        code: 'MANIFEST_CSV_MISSING_COLUMN',
        where: 'row 1',
        message: `no column "${col}" (the header is: ${header.join(', ') || 'empty'})`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const seen = new Map<string, number>();
  const value: ManifestBatch[] = [];
  let ballots = 0;
  rows.slice(1).forEach((row, i) => {
    const where = `row ${i + 2}`;
    const name = (row[nameAt] ?? '').trim();
    const count = (row[countAt] ?? '').trim();
    if (name === '') {
      problems.push({ code: 'MANIFEST_CSV_EMPTY_BATCH_NAME', where, message: 'no batch name' });
      return;
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      problems.push({
        code: 'MANIFEST_CSV_DUPLICATE_BATCH',
        where,
        message: `batch "${name}" is also on row ${earlier}`,
      });
      return;
    }
    seen.set(name, i + 2);
    if (!/^[0-9]{1,12}$/.test(count)) {
      problems.push({
        code: 'MANIFEST_CSV_BAD_COUNT',
        where,
        message: `"${count}" is not a number of ballots (a non-negative integer)`,
      });
      return;
    }
    value.push({ batch: name, ballots: Number(count) });
    ballots += Number(count);
  });
  if (problems.length === 0 && value.length === 0) {
    problems.push({ code: 'MANIFEST_CSV_EMPTY', where: 'file', message: 'no batch' });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value, ballots };
}
