/**
 * Cast-vote records and audited paper ballots of one contest as CSV (issue #6),
 * for the super-simple ballot-comparison audit (supersimple.ts). The shape is
 * our own, kept simple so an official can write it from any export:
 *
 *     Ballot ID,<candidate 1>,<candidate 2>,…[,Times Sampled]
 *
 * one row per ballot, a column per candidate of the contest (named exactly as
 * in the contest, in any order), marks `1` or `0`. In a CVR file, a row with
 * every mark empty is a ballot without the contest. In an audited-ballots file,
 * a row with every mark empty is a ballot the audit board could not find (a
 * two-vote overstatement, as Arlo counts it), and the optional `Times Sampled`
 * column says how often the sample (with replacement) drew it (1 when absent).
 * More marks than votes allowed (an overvote) are kept as read: the audit counts
 * them as no valid vote, as Arlo does for an overvote in the CVR.
 *
 * Every external byte is hostile: the text is parsed by csv-parse (never by
 * hand), every row is checked and every problem reported with its row, all at
 * once, in the house style of manifest-csv.ts.
 */
import { err, ok, type Result } from '@acta/crypto';
import type { Contest } from './contest.js';
import { readCsvRows } from './csv-rows.js';
import type { AuditedBallot, CvrBallot } from './supersimple.js';

/** Why a CVR or audited-ballots file was refused. */
export type CvrCsvCode =
  | 'CVR_CSV_MALFORMED'
  | 'CVR_CSV_MISSING_COLUMN'
  | 'CVR_CSV_UNKNOWN_COLUMN'
  | 'CVR_CSV_DUPLICATE_COLUMN'
  | 'CVR_CSV_EMPTY_BALLOT_ID'
  | 'CVR_CSV_DUPLICATE_BALLOT'
  | 'CVR_CSV_BAD_MARK'
  | 'CVR_CSV_BAD_TIMES_SAMPLED'
  | 'CVR_CSV_EMPTY';

/** One problem of a file, with its place (`row N`, 1-based, the header being row 1). */
export interface CvrCsvProblem {
  readonly code: CvrCsvCode;
  readonly where: string;
  readonly message: string;
}

export const BALLOT_ID_COLUMN = 'Ballot ID';
export const TIMES_SAMPLED_COLUMN = 'Times Sampled';

type Kind = 'cvr' | 'audited';

interface Row {
  readonly where: string;
  readonly id: string;
  /** null: every mark empty. */
  readonly votes: ReadonlyMap<string, 0 | 1> | null;
  readonly timesSampled: number;
}

function readRows(
  text: string,
  contest: Contest,
  kind: Kind,
): Result<readonly Row[], CvrCsvProblem[]> {
  const read = readCsvRows(text);
  if (!read.ok)
    return err([{ code: 'CVR_CSV_MALFORMED', where: read.where, message: read.message }]);
  const records = read.rows;
  const header = (records[0] ?? []).map((h) => h.trim());
  const problems: CvrCsvProblem[] = [];
  const candidates = new Set(contest.candidates.map((c) => c.name));
  const known = new Set([BALLOT_ID_COLUMN, ...candidates]);
  if (kind === 'audited') known.add(TIMES_SAMPLED_COLUMN);
  const at = new Map<string, number>();
  header.forEach((name, i) => {
    if (at.has(name)) {
      problems.push({
        code: 'CVR_CSV_DUPLICATE_COLUMN',
        where: 'row 1',
        message: `column "${name}" appears twice`,
      });
    } else if (!known.has(name)) {
      // A misspelt candidate would silently lose its votes: refuse it.
      problems.push({
        code: 'CVR_CSV_UNKNOWN_COLUMN',
        where: 'row 1',
        message: `column "${name}" is neither "${BALLOT_ID_COLUMN}" nor a candidate of ${contest.name}${kind === 'audited' ? ` nor "${TIMES_SAMPLED_COLUMN}"` : ''}`,
      });
    }
    if (!at.has(name)) at.set(name, i);
  });
  for (const name of [BALLOT_ID_COLUMN, ...candidates]) {
    if (!at.has(name)) {
      problems.push({
        code: 'CVR_CSV_MISSING_COLUMN',
        where: 'row 1',
        message: `no column "${name}" (the header is: ${header.join(', ') || 'empty'})`,
      });
    }
  }
  if (problems.length > 0) return err(problems);
  const idAt = at.get(BALLOT_ID_COLUMN) ?? 0;
  const timesAt = at.get(TIMES_SAMPLED_COLUMN);
  const seen = new Map<string, number>();
  const rows: Row[] = [];
  records.slice(1).forEach((record, i) => {
    const where = `row ${i + 2}`;
    const id = (record[idAt] ?? '').trim();
    if (id === '') {
      problems.push({ code: 'CVR_CSV_EMPTY_BALLOT_ID', where, message: 'no ballot id' });
      return;
    }
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      problems.push({
        code: 'CVR_CSV_DUPLICATE_BALLOT',
        where,
        message: `ballot "${id}" is also on row ${earlier}`,
      });
      return;
    }
    seen.set(id, i + 2);
    const marks = contest.candidates.map((c) => ({
      name: c.name,
      mark: (record[at.get(c.name) ?? 0] ?? '').trim(),
    }));
    let votes: Map<string, 0 | 1> | null = null;
    if (!marks.every((m) => m.mark === '')) {
      votes = new Map();
      for (const { name, mark } of marks) {
        if (mark === '0' || mark === '1') {
          votes.set(name, mark === '1' ? 1 : 0);
        } else {
          problems.push({
            code: 'CVR_CSV_BAD_MARK',
            where: `${where}: ${name}`,
            message: `"${mark}" is not a mark (1 or 0; leave every mark empty for ${kind === 'cvr' ? 'a ballot without the contest' : 'a ballot not found'})`,
          });
        }
      }
    }
    let timesSampled = 1;
    if (timesAt !== undefined) {
      const t = (record[timesAt] ?? '').trim();
      if (t !== '') {
        if (/^[0-9]{1,9}$/.test(t) && Number(t) >= 1) {
          timesSampled = Number(t);
        } else {
          problems.push({
            code: 'CVR_CSV_BAD_TIMES_SAMPLED',
            where: `${where}: ${TIMES_SAMPLED_COLUMN}`,
            message: `"${t}" is not a number of draws (a positive integer)`,
          });
        }
      }
    }
    rows.push({ where, id, votes, timesSampled });
  });
  if (problems.length === 0 && rows.length === 0) {
    problems.push({ code: 'CVR_CSV_EMPTY', where: 'file', message: 'no ballot' });
  }
  return problems.length > 0 ? err(problems) : ok(rows);
}

/** Parses a CVR file of the contest: its ballots by id (a ballot without the contest has no marks). */
export function parseCvrCsv(
  text: string,
  contest: Contest,
): Result<Map<string, CvrBallot>, CvrCsvProblem[]> {
  const rows = readRows(text, contest, 'cvr');
  if (!rows.ok) return rows;
  return ok(new Map(rows.value.map((r) => [r.id, { id: r.id, votes: r.votes ?? new Map() }])));
}

/** Parses the audited paper ballots of the contest, in file order (a row without marks: not found). */
export function parseAuditedBallotsCsv(
  text: string,
  contest: Contest,
): Result<AuditedBallot[], CvrCsvProblem[]> {
  const rows = readRows(text, contest, 'audited');
  if (!rows.ok) return rows;
  return ok(
    rows.value.map((r) => ({
      id: r.id,
      timesSampled: r.timesSampled,
      votes: r.votes ?? 'not-found',
    })),
  );
}
