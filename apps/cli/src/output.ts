/**
 * Printing results: tables for people (cli-table3), JSON for programs. Every
 * command that prints results takes --json and then writes exactly one JSON
 * document to stdout.
 */
import Table from 'cli-table3';

/** Writes a value as pretty JSON to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Renders a table with a header row; numbers are right-aligned. */
export function renderTable(
  head: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const table = new Table({
    head: [...head],
    style: { head: [], border: [] },
    colAligns: head.map((_, i) => (rows.some((r) => typeof r[i] === 'number') ? 'right' : 'left')),
  });
  for (const row of rows)
    table.push(row.map((c) => (typeof c === 'number' ? c.toLocaleString('en-US') : c)));
  return table.toString();
}

/** A percentage with two decimals, or a dash when the total is zero. */
export function percent(part: number, total: number): string {
  return total === 0 ? '—' : `${((100 * part) / total).toFixed(2)}%`;
}
