/**
 * Which importer a file needs, from its first line or first bytes (issue #7:
 * `acta forensics report` detects the format when `--format` is not given).
 *
 * - `ru2012`: a zip (local-file magic `PK\x03\x04`) whose first entry is a
 *   `.csv` — the only zipped input, the Russian 2012 stations — or a CSV
 *   header with the Russian file's columns;
 * - `ve2024`: a CSV header with every column of the opposition's 2024 file;
 * - `al2013`: a CSV header with every column of the Albanian 2013 file;
 * - `ve-qr`: a line that starts like a Venezuelan acta QR payload
 *   (`CCCCCCCCC.MM.D.DDDD!`);
 * - `acta`: Acta's own records — a signed acta QR payload (`ACTA1!`), an
 *   exported `record.json` (`"format": "acta-record-v1"`), or a board entry
 *   line of `entries.ndjson` (`{"type":"…`);
 * - `csv`: any other CSV header of two or more distinct names, not all of
 *   them numbers (a line of data is no header); it needs a column mapping;
 * - `null`: nothing recognisable, or a header that fits two known formats
 *   (ambiguous).
 *
 * The caller passes the start of the file: a few kilobytes are enough (the
 * Russian header, the longest, is about 2.3 KB of UTF-8); a header cut short
 * is treated as what it is and may come back `csv` or `null`.
 */
import { parse } from 'csv-parse/sync';
import { VE2024_COLUMNS } from './import-ve2024.js';
import { RU2012_REQUIRED_COLUMNS } from './import-ru2012.js';
import { AL2013_COLUMNS } from './import-al2013.js';

/** The formats the importers read. */
export type DetectedFormat = 've2024' | 'ru2012' | 'al2013' | 'csv' | 'acta' | 've-qr';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;
/** Offsets in a zip local file header (APPNOTE 4.3.7). */
const ZIP_NAME_LENGTH_AT = 26;
const ZIP_NAME_AT = 30;

const VE_QR_START = /^[0-9]{9}\.[0-9]{2}\.[0-9]\.[0-9]{4}!/;
/** A header fits a known format when it has all of the format's columns. */
const KNOWN_HEADERS: readonly (readonly [DetectedFormat, readonly string[]])[] = [
  ['ve2024', VE2024_COLUMNS],
  ['ru2012', RU2012_REQUIRED_COLUMNS],
  ['al2013', AL2013_COLUMNS],
];

function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** The first entry's name, when the bytes reach that far. */
function firstZipEntryName(bytes: Uint8Array): string | null {
  const lo = bytes[ZIP_NAME_LENGTH_AT];
  const hi = bytes[ZIP_NAME_LENGTH_AT + 1];
  if (lo === undefined || hi === undefined) return null;
  const length = lo | (hi << 8);
  if (bytes.length < ZIP_NAME_AT + length) return null;
  return new TextDecoder('utf-8').decode(bytes.subarray(ZIP_NAME_AT, ZIP_NAME_AT + length));
}

/** The first non-empty line of a text, without BOM and line end. */
function firstLine(text: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const line of body.split('\n', 64)) {
    const trimmed = line.replace(/\r$/, '');
    if (trimmed.trim() !== '') return trimmed;
  }
  return '';
}

/** The header's column names, or null when the line is not one CSV record. */
function headerNames(line: string): readonly string[] | null {
  try {
    const records = parse(line, { relax_column_count: true, relax_quotes: true });
    const first = records[0];
    if (records.length !== 1 || first === undefined) return null;
    return first.map((name) => name.trim());
  } catch {
    // csv-parse throws on text that is not CSV: an answer (null), not a bug.
    return null;
  }
}

/** Detects the format of a file from its first line (text) or first bytes. */
export function detectFormat(start: string | Uint8Array): DetectedFormat | null {
  let text: string;
  if (typeof start === 'string') {
    text = start;
  } else {
    if (isZip(start)) {
      const name = firstZipEntryName(start);
      return name !== null && /\.csv$/i.test(name) ? 'ru2012' : null;
    }
    // A multi-byte character cut at the end only spoils the (partial) last line.
    text = new TextDecoder('utf-8').decode(start);
  }
  const line = firstLine(text);
  if (line === '') return null;
  if (line.startsWith('ACTA1!')) return 'acta';
  if (VE_QR_START.test(line)) return 've-qr';
  if (line.startsWith('{')) {
    if (/^\{\s*"type"\s*:\s*"/.test(line)) return 'acta';
    // record.json is pretty-printed: its format key is on a later line.
    return /"format"\s*:\s*"acta-record-v1"/.test(text.slice(0, 4096)) ? 'acta' : null;
  }
  const names = headerNames(line);
  if (names === null || names.length < 2) return null;
  const present = new Set(names);
  const fits = KNOWN_HEADERS.filter(([, columns]) => columns.every((c) => present.has(c)));
  if (fits.length > 1) return null;
  const fit = fits[0];
  if (fit !== undefined) return fit[0];
  // A generic CSV header: distinct names, at least one non-empty — not data.
  if (present.size !== names.length) return null;
  if (names.every((n) => n === '' || /^-?[0-9.]+$/.test(n))) return null;
  return 'csv';
}
