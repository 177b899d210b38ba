/**
 * Batch tallies as CSV, in Arlo's shape for batch-comparison audits
 * (`Batch Name,<candidate 1>,<candidate 2>,…`, one column per candidate of the
 * contest, named as in the contest; issue #6, item 3): the reported actas of
 * every mesa, or the hand counts of the audited ones. An optional
 * `Number of Ballots` column gives each batch's ballots (the error bound of a
 * reported tally needs them; Arlo takes them from the ballot manifest).
 *
 * Every external byte is hostile: csv-parse reads the text (never by hand),
 * and every problem is reported with its row, all at once, in the house style
 * of manifest-csv.ts: a missing or unknown candidate column, an empty or
 * repeated batch name, a count that is not a non-negative integer, more votes
 * than the batch's ballots allow.
 */
import type { Contest } from './contest.js';
import { readCsvRows } from './csv-rows.js';
import type { BatchTally } from './macro.js';
import { BALLOTS_COLUMN, BATCH_NAME_COLUMN } from './manifest-csv.js';

export type BatchCsvCode =
  | 'BATCH_CSV_MALFORMED'
  | 'BATCH_CSV_MISSING_COLUMN'
  | 'BATCH_CSV_UNKNOWN_COLUMN'
  | 'BATCH_CSV_DUPLICATE_COLUMN'
  | 'BATCH_CSV_EMPTY_BATCH_NAME'
  | 'BATCH_CSV_DUPLICATE_BATCH'
  | 'BATCH_CSV_BAD_COUNT'
  | 'BATCH_CSV_VOTES_ABOVE_BALLOTS'
  | 'BATCH_CSV_EMPTY';

/** One problem, with its place (`row N`, 1-based, the header being row 1). */
export interface BatchCsvProblem {
  readonly code: BatchCsvCode;
  readonly where: string;
  readonly message: string;
}

export type BatchCsvResult =
  | { readonly ok: true; readonly value: BatchTally[] }
  | { readonly ok: false; readonly problems: readonly BatchCsvProblem[] };

const COUNT = /^[0-9]{1,12}$/;

/** Parses batch tallies of `contest` (text; a BOM allowed at its start). */
export function parseBatchTalliesCsv(text: string, contest: Contest): BatchCsvResult {
  const read = readCsvRows(text);
  if (!read.ok) {
    return {
      ok: false,
      problems: [{ code: 'BATCH_CSV_MALFORMED', where: read.where, message: read.message }],
    };
  }
  const { rows } = read;
  const header = (rows[0] ?? []).map((h) => h.trim());
  const problems: BatchCsvProblem[] = [];
  const candidates = new Set(contest.candidates.map((c) => c.name));
  header.forEach((h, i) => {
    if (header.indexOf(h) !== i) {
      problems.push({
        code: 'BATCH_CSV_DUPLICATE_COLUMN',
        where: 'row 1',
        message: `column "${h}" appears twice`,
      });
    } else if (h !== BATCH_NAME_COLUMN && h !== BALLOTS_COLUMN && !candidates.has(h)) {
      problems.push({
        code: 'BATCH_CSV_UNKNOWN_COLUMN',
        where: 'row 1',
        message: `"${h}" is not a candidate of ${contest.name}`,
      });
    }
  });
  for (const col of [BATCH_NAME_COLUMN, ...candidates]) {
    if (!header.includes(col)) {
      problems.push({
        code: 'BATCH_CSV_MISSING_COLUMN',
        where: 'row 1',
        message: `no column "${col}"`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const nameAt = header.indexOf(BATCH_NAME_COLUMN);
  const ballotsAt = header.indexOf(BALLOTS_COLUMN);
  const seen = new Map<string, number>();
  const value: BatchTally[] = [];
  rows.slice(1).forEach((row, i) => {
    const where = `row ${i + 2}`;
    const name = (row[nameAt] ?? '').trim();
    if (name === '') {
      problems.push({ code: 'BATCH_CSV_EMPTY_BATCH_NAME', where, message: 'no batch name' });
      return;
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      problems.push({
        code: 'BATCH_CSV_DUPLICATE_BATCH',
        where,
        message: `batch "${name}" is also on row ${earlier}`,
      });
      return;
    }
    seen.set(name, i + 2);
    const votes = new Map<string, number>();
    let bad = false;
    for (const c of candidates) {
      const cell = (row[header.indexOf(c)] ?? '').trim();
      if (!COUNT.test(cell)) {
        bad = true;
        problems.push({
          code: 'BATCH_CSV_BAD_COUNT',
          where: `${where}, ${c}`,
          message: `"${cell}" is not a number of votes (a non-negative integer)`,
        });
      } else votes.set(c, Number(cell));
    }
    let ballots: number | undefined;
    if (ballotsAt >= 0) {
      const cell = (row[ballotsAt] ?? '').trim();
      if (!COUNT.test(cell)) {
        bad = true;
        problems.push({
          code: 'BATCH_CSV_BAD_COUNT',
          where: `${where}, ${BALLOTS_COLUMN}`,
          message: `"${cell}" is not a number of ballots (a non-negative integer)`,
        });
      } else ballots = Number(cell);
    }
    if (bad) return;
    if (ballots !== undefined) {
      const total = [...votes.values()].reduce((s, v) => s + v, 0);
      const most = Math.max(0, ...votes.values());
      if (most > ballots || total > ballots * contest.votesAllowed) {
        problems.push({
          code: 'BATCH_CSV_VOTES_ABOVE_BALLOTS',
          where,
          message: `${total} votes in a batch of ${ballots} ballots (${contest.votesAllowed} vote(s) each)`,
        });
        return;
      }
    }
    value.push(ballots === undefined ? { batch: name, votes } : { batch: name, votes, ballots });
  });
  if (problems.length === 0 && value.length === 0) {
    problems.push({ code: 'BATCH_CSV_EMPTY', where: 'file', message: 'no batch' });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}
