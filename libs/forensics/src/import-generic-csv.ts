/**
 * Per-mesa results from any CSV file, given a mapping of its columns (issue #7,
 * item 1), and the CSV table reader every CSV importer of this package shares
 * (the Venezuelan 2024, Russian 2012 and Albanian 2013 files).
 *
 * The reader's rules, the same for every format:
 *
 * - The text is parsed by `csv-parse` (RFC 4180 quoting, any record delimiter);
 *   a leading byte-order mark is dropped. The first record is the header;
 *   names are compared exactly after trimming spaces.
 * - An empty file, or a header without rows, is one `IMPORT_EMPTY` problem.
 * - A required column missing from the header, or a header that names a
 *   column twice, fails the file: one problem, every data row counted as
 *   skipped (`results + skipped === rows` holds even then).
 * - A column the format does not know is one `IMPORT_UNKNOWN_COLUMN` problem
 *   (listed once, at the header); the rows are still read.
 * - Every data row becomes a mesa or is skipped with exactly one problem: a
 *   wrong number of fields, an empty, non-integer or negative count, a bad
 *   id, a mesa id already seen (the first occurrence is kept), or a stretch
 *   of text that is not CSV (an unclosed quote: `csv-parse` resumes after it;
 *   the problem names the lines it could not read).
 * - `source` and `where` are `"<file> row N"`, N the line of the file where
 *   the record starts (the header is row 1): a spreadsheet's row number, and
 *   the line number whenever no quoted field spans lines. Empty lines are not
 *   rows.
 * - Counts are non-negative decimal integers of at most 15 digits (exact in
 *   a double), spaces around them allowed; `-0` reads as 0.
 */
import { parse } from 'csv-parse/sync';
import type { ImportCode, ImportProblem, ImportResult, MesaResult } from './mesa-result.js';

// ---------------------------------------------------------------------------
// Counts

/** Why a cell is not a count (the fast parser's answers below zero). */
const COUNT_EMPTY = -1;
const COUNT_NOT_INTEGER = -2;
const COUNT_NEGATIVE = -3;
/** 15 decimal digits stay below 2^53: every count read is exact. */
const MAX_COUNT_DIGITS = 15;

/**
 * Reads a count without a regular expression or a substring (the hot loop of
 * the 95,415-station Russian file): the value, or one of the negative codes.
 */
function parseCountCell(cell: string): number {
  let start = 0;
  let end = cell.length;
  while (start < end && isSpace(cell.charCodeAt(start))) start++;
  while (end > start && isSpace(cell.charCodeAt(end - 1))) end--;
  if (start === end) return COUNT_EMPTY;
  let negative = false;
  if (cell.charCodeAt(start) === 45 /* - */) {
    negative = true;
    start++;
    if (start === end) return COUNT_NOT_INTEGER;
  }
  if (end - start > MAX_COUNT_DIGITS) return COUNT_NOT_INTEGER;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = cell.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return COUNT_NOT_INTEGER;
    value = value * 10 + digit;
  }
  return negative && value !== 0 ? COUNT_NEGATIVE : value;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

/** Quotes a piece of (hostile) input in a message, shortened. */
export function quoteCell(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

// ---------------------------------------------------------------------------
// The shared table reader

/**
 * One data row as a format's `readRow` sees it. Column k is the k-th name of
 * the spec's `required` list.
 * A method that finds a bad cell records the row's problem (the first one
 * wins) and returns NaN (or an empty text); `readRow` then returns `null`.
 */
export interface CsvRowReader {
  /** `"<file> row N"`. */
  readonly source: string;
  /** The trimmed text of required column k. */
  text(k: number): string;
  /** Required column k as a count; on a bad cell, records the problem and returns NaN. */
  count(k: number): number;
  /**
   * Required column k as a count, an empty cell read as `null` ("the source
   * does not say", never 0); another bad cell records the problem (NaN).
   */
  countOrNull(k: number): number | null;
  /** The trimmed text of an optional column, `null` when the file does not have it. */
  optionalText(name: string): string | null;
  /** Records the row's problem (kept only if it is the first). */
  fail(code: ImportCode, message: string): void;
  /** True once a problem has been recorded. */
  readonly failed: boolean;
}

/** The field separators a CSV file may use. */
export type CsvDelimiter = ',' | ';' | '\t';

/** What a CSV format declares. */
export interface CsvTableSpec {
  /** Columns that must be in the header: one missing fails the file. */
  readonly required: readonly string[];
  /** Columns the format knows but may lack (not reported as unknown). */
  readonly optional?: readonly string[];
  /** The field separator: "," unless given. */
  readonly delimiter?: CsvDelimiter;
  /**
   * Builds the mesa of one row (without `source`, which the reader adds), or
   * returns `null` after recording a problem with `row.fail` or a bad count.
   */
  readonly readRow: (row: CsvRowReader) => Omit<MesaResult, 'source'> | null;
}

/**
 * Lists a problem about a row that is still read (e.g. an unusable URL next
 * to good counts): it does not count as a skipped row.
 */
export type NoteProblem = (code: ImportCode, message: string) => void;

/** Every mesa read plus the extra fields a format adds to its rows. */
export interface CsvTableResult<T extends MesaResult> extends ImportResult {
  readonly results: readonly T[];
}

class RowReader implements CsvRowReader {
  source = '';
  failed = false;
  problem: ImportProblem | null = null;
  cells: readonly string[] = [];

  constructor(
    private readonly requiredIndex: Int32Array,
    private readonly requiredNames: readonly string[],
    private readonly optionalIndex: ReadonlyMap<string, number> = new Map(),
  ) {}

  reset(cells: readonly string[], source: string): void {
    this.cells = cells;
    this.source = source;
    this.failed = false;
    this.problem = null;
  }

  text(k: number): string {
    return this.cell(this.requiredIndex[k]).trim();
  }

  optionalText(name: string): string | null {
    const at = this.optionalIndex.get(name);
    return at === undefined ? null : this.cell(at).trim();
  }

  count(k: number): number {
    const value = this.countOrNull(k);
    if (value === null) {
      this.fail('IMPORT_BAD_COUNT', `column ${this.nameOf(k)} is empty, a count is required`);
      return Number.NaN;
    }
    return value;
  }

  countOrNull(k: number): number | null {
    const cell = this.cell(this.requiredIndex[k]);
    const value = parseCountCell(cell);
    if (value >= 0) return value;
    if (value === COUNT_EMPTY) return null;
    if (value === COUNT_NEGATIVE) {
      this.fail(
        'IMPORT_NEGATIVE_COUNT',
        `column ${this.nameOf(k)} is negative: ${quoteCell(cell)}`,
      );
    } else {
      this.fail(
        'IMPORT_BAD_COUNT',
        `column ${this.nameOf(k)} is not a whole number: ${quoteCell(cell)}`,
      );
    }
    return Number.NaN;
  }

  fail(code: ImportCode, message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.problem = { code, where: this.source, message };
  }

  private nameOf(k: number): string {
    return JSON.stringify(this.requiredNames[k] ?? `#${k}`);
  }

  private cell(at: number | undefined): string {
    if (at === undefined || at < 0) throw new RangeError('column index outside the spec');
    const cell = this.cells[at];
    // The reader checks every row's field count before readRow sees it.
    if (cell === undefined) throw new RangeError('row shorter than its header');
    return cell;
  }
}

/** One parsed record: its fields and the lines it spans. */
interface CsvRecord {
  readonly cells: readonly string[];
  readonly firstLine: number;
}

/** A stretch csv-parse could not read, with the lines it covered. */
interface CsvSkip {
  readonly firstLine: number;
  readonly lastLine: number;
  readonly message: string;
}

/**
 * Parses the whole text with csv-parse, keeping where every record starts.
 * `skip_records_with_error` makes a quoting error cost the records it
 * swallows, not the file: each such stretch comes back as a skip to report.
 */
function parseRecords(
  text: string,
  delimiter: string,
): {
  readonly records: readonly CsvRecord[];
  readonly skips: readonly CsvSkip[];
} {
  const records: CsvRecord[] = [];
  const skips: CsvSkip[] = [];
  let lastLine = 0;
  parse(text, {
    delimiter,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      const line = typeof error?.lines === 'number' ? error.lines : lastLine + 1;
      skips.push({
        firstLine: Math.min(lastLine + 1, line),
        lastLine: line,
        message: error?.message ?? 'not CSV',
      });
      lastLine = line;
      return undefined;
    },
    on_record: (record: string[], context) => {
      const line = context.lines;
      // An empty line is a record of one empty field: not a row.
      if (!(record.length === 1 && record[0] === '')) {
        records.push({ cells: record, firstLine: lastLine + 1 });
      }
      lastLine = line;
      return null;
    },
  });
  return { records, skips };
}

/** `"<file> row N"`, the place of every row and of its problems. */
function rowOf(where: string, line: number): string {
  return `${where} row ${line}`;
}

/**
 * Reads a CSV table by a format's spec: the engine of every CSV importer.
 * `where` is the file's name as the caller wants it in messages; `finish`
 * turns a row's mesa into the format's own result type (after the duplicate
 * check), and may note problems that do not skip the row.
 */
export function readCsvTable<T extends MesaResult>(
  text: string,
  spec: CsvTableSpec,
  where: string,
  finish: (mesa: MesaResult, row: CsvRowReader, note: NoteProblem) => T = (mesa) => mesa as T,
): CsvTableResult<T> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    return failedFile(0, {
      code: 'IMPORT_EMPTY',
      where,
      message: `${where} is empty: no header, no rows`,
    });
  }
  const { records, skips } = parseRecords(body, spec.delimiter ?? ',');
  const header = records[0];
  if (header === undefined || (skips[0] !== undefined && skips[0].firstLine < header.firstLine)) {
    // Without a readable header nothing can be placed in a column.
    const dataRows = Math.max(0, records.length - 1) + skips.length;
    return failedFile(dataRows, {
      code: 'IMPORT_MALFORMED',
      where: rowOf(where, 1),
      message: `the header of ${where} is not readable CSV (${skips[0]?.message ?? 'no header'}); ${dataRows} rows not read`,
    });
  }
  const dataRecords = records.length - 1;
  const rows = dataRecords + skips.length;
  if (rows === 0) {
    return failedFile(0, {
      code: 'IMPORT_EMPTY',
      where,
      message: `${where} has a header and no rows`,
    });
  }
  const names = header.cells.map((name) => name.trim());

  // The header: each name once, every required column present.
  const position = new Map<string, number>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? '';
    if (position.has(name)) {
      return failedFile(rows, {
        code: 'IMPORT_MALFORMED',
        where: rowOf(where, header.firstLine),
        message: `the header names column ${quoteCell(name)} twice (columns ${(position.get(name) ?? 0) + 1} and ${i + 1}); ${rows} rows not read`,
      });
    }
    position.set(name, i);
  }
  const missing = spec.required.filter((name) => !position.has(name));
  if (missing.length > 0) {
    return failedFile(rows, {
      code: 'IMPORT_MISSING_COLUMN',
      where: rowOf(where, header.firstLine),
      message: `${where} lacks the required column${missing.length > 1 ? 's' : ''} ${missing.map(quoteCell).join(', ')}; ${rows} rows not read`,
    });
  }
  const requiredIndex = Int32Array.from(spec.required, (name) => position.get(name) ?? -1);
  const optional = spec.optional ?? [];
  const problems: ImportProblem[] = [];
  const known = new Set<string>([...spec.required, ...optional]);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? '';
    if (!known.has(name)) {
      problems.push({
        code: 'IMPORT_UNKNOWN_COLUMN',
        where: rowOf(where, header.firstLine),
        message: `column ${i + 1} ${quoteCell(name)} is not a column of this format; ignored (the rows are still read)`,
      });
    }
  }

  // The rows, interleaved with csv-parse's skips in line order.
  const results: T[] = [];
  const firstRowOf = new Map<string, number>();
  const optionalIndex = new Map<string, number>();
  for (const name of optional) {
    const at = position.get(name);
    if (at !== undefined) optionalIndex.set(name, at);
  }
  const reader = new RowReader(requiredIndex, spec.required, optionalIndex);
  const width = names.length;
  let skipped = 0;
  let nextSkip = 0;
  const flushSkips = (beforeLine: number): void => {
    while (nextSkip < skips.length && (skips[nextSkip]?.firstLine ?? Infinity) < beforeLine) {
      const skip = skips[nextSkip++];
      if (skip === undefined) break;
      skipped++;
      problems.push({
        code: 'IMPORT_MALFORMED',
        where: rowOf(where, skip.firstLine),
        message:
          skip.firstLine === skip.lastLine
            ? `row ${skip.firstLine} is not readable CSV (${skip.message}); skipped`
            : `rows ${skip.firstLine}–${skip.lastLine} are not readable CSV (${skip.message}); skipped as one`,
      });
    }
  };
  for (let r = 1; r < records.length; r++) {
    const record = records[r];
    if (record === undefined) continue;
    flushSkips(record.firstLine);
    const source = rowOf(where, record.firstLine);
    if (record.cells.length !== width) {
      skipped++;
      problems.push({
        code: 'IMPORT_WRONG_FIELD_COUNT',
        where: source,
        message: `${record.cells.length} fields, the header has ${width}; skipped`,
      });
      continue;
    }
    reader.reset(record.cells, source);
    const partial = spec.readRow(reader);
    if (partial === null || reader.failed) {
      skipped++;
      problems.push(
        reader.problem ?? {
          code: 'IMPORT_MALFORMED',
          where: source,
          message: 'row not read',
        },
      );
      continue;
    }
    const first = firstRowOf.get(partial.id);
    if (first !== undefined) {
      skipped++;
      problems.push({
        code: 'IMPORT_DUPLICATE_MESA',
        where: source,
        message: `mesa ${quoteCell(partial.id)} already read at row ${first}; this copy skipped`,
      });
      continue;
    }
    firstRowOf.set(partial.id, record.firstLine);
    results.push(
      finish({ ...partial, source }, reader, (code, message) => {
        problems.push({ code, where: source, message });
      }),
    );
  }
  flushSkips(Infinity);
  return { results, problems, rows, skipped };
}

function failedFile<T extends MesaResult>(rows: number, problem: ImportProblem): CsvTableResult<T> {
  return { results: [], problems: [problem], rows, skipped: rows };
}

// ---------------------------------------------------------------------------
// Generic CSV with a column mapping

/**
 * Which columns hold what. Every named column must be in the header; a
 * column may serve twice (e.g. in the id and the region).
 */
export interface CsvColumnMapping {
  /** The mesa id: one column, or several joined with "." (e.g. centre and mesa). */
  readonly id: string | readonly string[];
  /** Region columns, largest area first. */
  readonly region?: readonly string[];
  readonly registered?: string;
  readonly voters?: string;
  readonly valid?: string;
  readonly invalid?: string;
  readonly blank?: string;
  /** Candidate (or party) columns, in ballot order; each column's name is the candidate's key. */
  readonly candidates: readonly string[];
  /** Columns known to be there and not needed (else each is reported once as unknown). */
  readonly ignore?: readonly string[];
  /** The field separator (default ","; ";" is common where "," is the decimal comma). */
  readonly delimiter?: CsvDelimiter;
}

/**
 * Imports a CSV file through a column mapping. An empty registered, voters,
 * valid, invalid or blank cell is `null` (the file does not say); an empty
 * candidate cell, like any non-integer or negative count, skips the row. An
 * empty id part is `IMPORT_BAD_ID`.
 */
export function importGenericCsv(
  text: string,
  mapping: CsvColumnMapping,
  where: string,
): ImportResult {
  const idColumns = typeof mapping.id === 'string' ? [mapping.id] : [...mapping.id];
  if (idColumns.length === 0) throw new RangeError('the mapping names no id column');
  if (mapping.candidates.length === 0) throw new RangeError('the mapping names no candidate');
  if (new Set(mapping.candidates).size !== mapping.candidates.length) {
    throw new RangeError('the mapping names a candidate column twice');
  }
  const required: string[] = [];
  const slot = (name: string): number => {
    const at = required.indexOf(name);
    if (at >= 0) return at;
    required.push(name);
    return required.length - 1;
  };
  const idSlots = idColumns.map(slot);
  const regionSlots = (mapping.region ?? []).map(slot);
  const countSlot = (name: string | undefined): number => (name === undefined ? -1 : slot(name));
  const registered = countSlot(mapping.registered);
  const voters = countSlot(mapping.voters);
  const valid = countSlot(mapping.valid);
  const invalid = countSlot(mapping.invalid);
  const blank = countSlot(mapping.blank);
  const candidateSlots = mapping.candidates.map(slot);
  const read = (row: CsvRowReader, k: number): number | null => (k < 0 ? null : row.countOrNull(k));

  const spec: CsvTableSpec = {
    required,
    optional: (mapping.ignore ?? []).filter((name) => !required.includes(name)),
    delimiter: mapping.delimiter ?? ',',
    readRow: (row) => {
      const parts = idSlots.map((k) => row.text(k));
      const emptyPart = parts.findIndex((part) => part === '');
      if (emptyPart >= 0) {
        row.fail('IMPORT_BAD_ID', `id column ${quoteCell(idColumns[emptyPart] ?? '')} is empty`);
        return null;
      }
      const votes = new Map<string, number>();
      for (let c = 0; c < candidateSlots.length; c++) {
        votes.set(mapping.candidates[c] ?? '', row.count(candidateSlots[c] ?? -1));
      }
      const mesa = {
        id: parts.join('.'),
        region: regionSlots.map((k) => row.text(k)),
        registered: read(row, registered),
        voters: read(row, voters),
        valid: read(row, valid),
        invalid: read(row, invalid),
        blank: read(row, blank),
        votes,
      };
      return row.failed ? null : mesa;
    },
  };
  return readCsvTable(text, spec, where);
}
