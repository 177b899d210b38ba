/**
 * Reading the audit's CSV inputs (manifests, batch tallies, cast-vote
 * records) into rows of fields, one way for all of them: csv-parse (never
 * hand parsing), a BOM allowed at the start as spreadsheets write one, empty
 * lines skipped, rows of any length (each parser checks its own columns and
 * names the row), CRLF and LF both accepted since spreadsheets write the one
 * and editors the other. A file csv-parse cannot read is one problem with
 * the row where reading stopped.
 */
import { CsvError, parse } from 'csv-parse/sync';

/** The rows of a CSV text (the header first), or where and why it cannot be read. */
export type CsvRows =
  | { readonly ok: true; readonly rows: readonly (readonly string[])[] }
  | { readonly ok: false; readonly where: string; readonly message: string };

/** Reads a CSV text into rows of fields. */
export function readCsvRows(text: string): CsvRows {
  try {
    // Without `columns`, csv-parse returns one array of fields per record.
    const records: unknown = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
    });
    return { ok: true, rows: records as string[][] };
  } catch (e) {
    const line = e instanceof CsvError ? (e as { lines?: unknown }).lines : undefined;
    return {
      ok: false,
      where: typeof line === 'number' ? `row ${line}` : 'file',
      message: (e as Error).message,
    };
  }
}
