/**
 * The opposition's per-mesa results of the 2024 Venezuelan presidential
 * election (`ve2024-actas-v1.csv`, transcribed from 24,532 actas collected by
 * witnesses; shared/BRIEF.md) as `MesaResult`s, for the acta cross-check and
 * the forensics of issue #7.
 *
 * Columns (UTF-8 with BOM): COD_EDO, EDO, COD_MUN, MUN, COD_PAR, PAR, CENTRO,
 * MESA, RE, VOTOS_VALIDOS, VOTOS_NULOS, EG, NM, LM, JABE, JOBR, AE, CF, DC,
 * EM, BERA, URL. The mapping:
 *
 * - id = CENTRO padded to 9 digits, ".", MESA padded to 2: `"010113042.01"`,
 *   the CNE's acta numbering (state 2, municipality 2, parish 2, centre 3
 *   digits), the same key the QR importer (import-ve-qr.ts) produces;
 * - region = [EDO, MUN, PAR, centre code] (names, and the 9-digit code);
 * - registered = RE, valid = VOTOS_VALIDOS, invalid = VOTOS_NULOS;
 * - blank = null: the file has no blank-vote column;
 * - voters = valid + invalid: **the file has no voters column** (the acta's
 *   count of voters is not transcribed), so turnout here means votes counted
 *   over registered, not people who signed the poll book;
 * - votes = the ten candidate columns in the file's order, keyed by their
 *   column codes (`VE2024_CANDIDATES` gives the names).
 *
 * The URL of the acta's scan has no place in `MesaResult`; each result is a
 * `Ve2024Mesa`, a `MesaResult` with `url` (an http(s) URL, or `null` when the
 * cell is empty or not one — listed as an `IMPORT_MALFORMED` problem without
 * skipping the row, since the counts are unaffected). COD_EDO, COD_MUN and
 * COD_PAR are read as text only to be known columns: COD_PAR is a national
 * parish number, not the parish digits of the centre code, so they are not
 * cross-checked against it.
 */
import { readCsvTable, quoteCell, type CsvTableSpec } from './import-generic-csv.js';
import type { ImportResult, MesaResult } from './mesa-result.js';

/** A candidate of the 2024 Venezuelan presidential election. */
export interface VeCandidate {
  /** The column code of the opposition CSV, and the key in `MesaResult.votes`. */
  readonly code: string;
  readonly name: string;
}

/**
 * The ten candidates in the CSV's column order (the opposition's order:
 * González first), with their full names.
 */
export const VE2024_CANDIDATES: readonly VeCandidate[] = [
  { code: 'EG', name: 'Edmundo González Urrutia' },
  { code: 'NM', name: 'Nicolás Maduro Moros' },
  { code: 'LM', name: 'Luis Eduardo Martínez' },
  { code: 'JABE', name: 'Javier Bertucci' },
  { code: 'JOBR', name: 'José Brito' },
  { code: 'AE', name: 'Antonio Ecarri' },
  { code: 'CF', name: 'Claudio Fermín' },
  { code: 'DC', name: 'Daniel Ceballos' },
  { code: 'EM', name: 'Enrique Márquez' },
  { code: 'BERA', name: 'Benjamín Rausseo' },
];

/** The candidate codes of the CSV, in order. */
export const VE2024_CANDIDATE_CODES: readonly string[] = VE2024_CANDIDATES.map((c) => c.code);

/** One mesa of the opposition CSV: the results and the scan of its acta. */
export interface Ve2024Mesa extends MesaResult {
  /** The acta scan's URL (http or https), `null` when the cell is empty or not a URL. */
  readonly url: string | null;
}

/** The import of the opposition CSV. */
export interface Ve2024ImportResult extends ImportResult {
  readonly results: readonly Ve2024Mesa[];
}

/** The columns of `ve2024-actas-v1.csv` it needs, in the file's order (then `URL`, optional). */
export const VE2024_COLUMNS: readonly string[] = [
  'COD_EDO',
  'EDO',
  'COD_MUN',
  'MUN',
  'COD_PAR',
  'PAR',
  'CENTRO',
  'MESA',
  'RE',
  'VOTOS_VALIDOS',
  'VOTOS_NULOS',
  ...VE2024_CANDIDATE_CODES,
];

/** The scan's URL: the opposition's file has it; a transcription of one's own may not. */
const URL_NAME = 'URL';

// Indexes into VE2024_COLUMNS (the spec's `required` list).
const EDO = 1;
const MUN = 3;
const PAR = 5;
const CENTRO = 6;
const MESA = 7;
const RE = 8;
const VALID = 9;
const NULL_VOTES = 10;
const FIRST_CANDIDATE = 11;

/** Pads a code of 1..width digits; `null` when it is not that. */
function padDigits(text: string, width: number): string | null {
  if (text.length === 0 || text.length > width) return null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return text.padStart(width, '0');
}

/** The mesa id of a centre code and a mesa number as the CSV writes them. */
export function formatVeMesaId(centre: string, mesa: string): string | null {
  const c = padDigits(centre, 9);
  const m = padDigits(mesa, 2);
  return c === null || m === null ? null : `${c}.${m}`;
}

function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^\s"'<>\\]+$/i.test(text);
}

/**
 * Imports `ve2024-actas-v1.csv` (its text; a BOM is dropped). `where` names
 * the file in every `source` and problem.
 */
export function importVe2024(text: string, where: string): Ve2024ImportResult {
  const spec: CsvTableSpec = {
    required: VE2024_COLUMNS,
    optional: [URL_NAME],
    readRow: (row) => {
      const centre = row.text(CENTRO);
      const mesa = row.text(MESA);
      const id = formatVeMesaId(centre, mesa);
      if (id === null) {
        row.fail(
          'IMPORT_BAD_ID',
          `CENTRO ${quoteCell(centre)} and MESA ${quoteCell(mesa)} are not a centre code of ≤ 9 digits and a mesa number of ≤ 2`,
        );
        return null;
      }
      const registered = row.count(RE);
      const valid = row.count(VALID);
      const invalid = row.count(NULL_VOTES);
      const votes = new Map<string, number>();
      for (let c = 0; c < VE2024_CANDIDATES.length; c++) {
        votes.set(VE2024_CANDIDATE_CODES[c] ?? '', row.count(FIRST_CANDIDATE + c));
      }
      if (row.failed) return null;
      return {
        id,
        region: [row.text(EDO), row.text(MUN), row.text(PAR), id.slice(0, 9)],
        registered,
        voters: valid + invalid,
        valid,
        invalid,
        blank: null,
        votes,
      };
    },
  };
  return readCsvTable<Ve2024Mesa>(text, spec, where, (mesa, row, note) => {
    const url = row.optionalText(URL_NAME);
    if (url === null) return { ...mesa, url: null };
    if (isHttpUrl(url)) return { ...mesa, url };
    note(
      'IMPORT_MALFORMED',
      `URL ${quoteCell(url)} is not an http(s) URL; the row is read, its url is null`,
    );
    return { ...mesa, url: null };
  });
}
