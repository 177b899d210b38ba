// Ballot manifest CSVs (issue #6): Arlo's columns, quoted names, a BOM and
// extra columns accepted; every problem reported with its row, all at once.
import { describe, expect, it } from 'vitest';
import { parseManifestCsv } from '../src/index.js';

describe('parseManifestCsv', () => {
  it('reads the batches, ignoring other columns, a BOM and blank lines', () => {
    const r = parseManifestCsv(
      '\ufeffContainer,Batch Name,Number of Ballots\r\nbox 1,pct 1,25\n\nbox 2,"pct, 2 ""north""",0\n',
    );
    expect(r).toEqual({
      ok: true,
      value: [
        { batch: 'pct 1', ballots: 25 },
        { batch: 'pct, 2 "north"', ballots: 0 },
      ],
      ballots: 25,
    });
  });

  it('reports every bad row with its number', () => {
    const r = parseManifestCsv(
      'Batch Name,Number of Ballots\npct 1,25\n,3\npct 1,4\npct 3,-2\npct 4,1.5\npct 5,many\npct 6,\n',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.map((p) => [p.code, p.where])).toEqual([
        ['MANIFEST_CSV_EMPTY_BATCH_NAME', 'row 3'],
        ['MANIFEST_CSV_DUPLICATE_BATCH', 'row 4'],
        ['MANIFEST_CSV_BAD_COUNT', 'row 5'],
        ['MANIFEST_CSV_BAD_COUNT', 'row 6'],
        ['MANIFEST_CSV_BAD_COUNT', 'row 7'],
        ['MANIFEST_CSV_BAD_COUNT', 'row 8'],
      ]);
    }
  });

  it('refuses a file without the columns, an empty one, and broken quoting', () => {
    const missing = parseManifestCsv('Batch,Ballots\na,1\n');
    expect(missing.ok ? [] : missing.problems.map((p) => p.code)).toEqual([
      'MANIFEST_CSV_MISSING_COLUMN',
      'MANIFEST_CSV_MISSING_COLUMN',
    ]);
    const empty = parseManifestCsv('Batch Name,Number of Ballots\n');
    expect(empty.ok ? [] : empty.problems.map((p) => p.code)).toEqual(['MANIFEST_CSV_EMPTY']);
    const broken = parseManifestCsv('Batch Name,Number of Ballots\n"pct 1,25\n');
    expect(broken.ok ? [] : broken.problems.map((p) => p.code)).toEqual(['MANIFEST_CSV_MALFORMED']);
  });
});
