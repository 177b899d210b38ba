/**
 * The 5,508 precincts of the 2013 Albanian parliamentary election
 * (`al2013-parliament-precincts.csv`; shared/BRIEF.md) as `MesaResult`s, a
 * real case for the forensic tests of issue #7 (Klimek et al., PNAS 2012,
 * Mebane's digit tests, Kobak et al., AOAS 2016).
 *
 * Columns: an unnamed row key (1 … 5,508), Prefectures, Communes,
 * Precincts, Ballots, Registered, then one column per party, C007 … C072
 * (the file carries codes, not party names). The mapping:
 *
 * - id = `"<precinct>#<row key>"`: **the precinct number is not unique** —
 *   60 numbers occur twice, with different figures. The file writes a
 *   sub-precinct "31/1" as 311 (rows run …, 31, 311, 32, …), which collides
 *   with precinct 311; the row key tells the two apart, and keeping both
 *   (rather than skipping the second as a duplicate) keeps 60 real precincts;
 * - region = [Prefectures, Communes];
 * - registered = Registered; voters = Ballots (ballots cast, the turnout
 *   numerator);
 * - valid = the sum of the 66 party columns — **an assumption**: the file has
 *   no valid-votes column, and the parties' sum exceeds Ballots in 14
 *   precincts, so neither the parties nor Ballots is a clean total;
 * - invalid = null: Ballots − valid would be invalid + blank only if both
 *   figures were exact, and it is negative where the parties exceed Ballots;
 *   blank = null;
 * - votes = the 66 parties keyed by their column codes (C007 …).
 *
 * Two rows have "NA" in a party column: like any non-integer count they are
 * skipped and listed (5,506 precincts read).
 */
import { readCsvTable, quoteCell, type CsvTableSpec } from './import-generic-csv.js';
import type { ImportResult } from './mesa-result.js';

/** The party columns, C007 … C072, in the file's order. */
export const AL2013_PARTIES: readonly string[] = Array.from(
  { length: 72 - 7 + 1 },
  (_, i) => `C${String(i + 7).padStart(3, '0')}`,
);

/** The columns of the file, in its order (the first is unnamed). */
export const AL2013_COLUMNS: readonly string[] = [
  '',
  'Prefectures',
  'Communes',
  'Precincts',
  'Ballots',
  'Registered',
  ...AL2013_PARTIES,
];

const ROW_KEY = 0;
const PREFECTURE = 1;
const COMMUNE = 2;
const PRECINCT = 3;
const BALLOTS = 4;
const REGISTERED = 5;
const FIRST_PARTY = 6;

const DIGITS = /^[0-9]{1,9}$/;

const SPEC: CsvTableSpec = {
  required: AL2013_COLUMNS,
  readRow: (row) => {
    const key = row.text(ROW_KEY);
    const precinct = row.text(PRECINCT);
    if (!DIGITS.test(key) || !DIGITS.test(precinct)) {
      row.fail(
        'IMPORT_BAD_ID',
        `precinct ${quoteCell(precinct)} and row key ${quoteCell(key)} are not both numbers`,
      );
      return null;
    }
    const ballots = row.count(BALLOTS);
    const registered = row.count(REGISTERED);
    const votes = new Map<string, number>();
    let valid = 0;
    for (let p = 0; p < AL2013_PARTIES.length; p++) {
      const n = row.count(FIRST_PARTY + p);
      votes.set(AL2013_PARTIES[p] ?? '', n);
      valid += n;
    }
    if (row.failed) return null;
    return {
      id: `${precinct}#${key}`,
      region: [row.text(PREFECTURE), row.text(COMMUNE)],
      registered,
      voters: ballots,
      valid,
      invalid: null,
      blank: null,
      votes,
    };
  },
};

/** Imports `al2013-parliament-precincts.csv` (its text); `where` names the file. */
export function importAl2013(text: string, where: string): ImportResult {
  return readCsvTable(text, SPEC, where);
}
