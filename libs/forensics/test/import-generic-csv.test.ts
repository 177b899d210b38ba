// The generic CSV importer and the table reader every CSV importer shares:
// hand-written inputs whose answers are read off the text, one case per
// problem code, and a property test that no row is ever lost.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importGenericCsv, type CsvColumnMapping } from '../src/import-generic-csv.js';
import type { ImportResult } from '../src/mesa-result.js';

const MAPPING: CsvColumnMapping = {
  id: ['centre', 'mesa'],
  region: ['state'],
  registered: 'reg',
  voters: 'voters',
  valid: 'valid',
  invalid: 'null',
  candidates: ['A', 'B'],
};
const HEADER = 'state,centre,mesa,reg,voters,valid,null,A,B';

function expectBalanced(r: ImportResult): void {
  expect(r.results.length + r.skipped).toBe(r.rows);
}

function codes(r: ImportResult): string[] {
  return r.problems.map((p) => `${p.code} @ ${p.where}`);
}

describe('importGenericCsv: good input', () => {
  it('reads every field of every row, ids joined with "."', () => {
    const r = importGenericCsv(
      `${HEADER}\nX,101,1,300,200,190,10,120,70\nY,102,2,250,100,98,2,50,48\n`,
      MAPPING,
      'f.csv',
    );
    expect(r.problems).toEqual([]);
    expect(r.rows).toBe(2);
    expect(r.skipped).toBe(0);
    const [a, b] = r.results;
    expect(a).toEqual({
      id: '101.1',
      region: ['X'],
      registered: 300,
      voters: 200,
      valid: 190,
      invalid: 10,
      blank: null,
      votes: new Map([
        ['A', 120],
        ['B', 70],
      ]),
      source: 'f.csv row 2',
    });
    expect(b?.id).toBe('102.2');
    expect(b?.source).toBe('f.csv row 3');
    expect([...(b?.votes.keys() ?? [])]).toEqual(['A', 'B']);
  });

  it('drops a BOM, reads CRLF, trims spaces, skips empty lines in the row numbering', () => {
    const text = `\uFEFF${HEADER}\r\n\r\nX, 101 ,1, 300,200,190,10,120 ,70\r\n\r\nY,102,2,250,100,98,2,50,48\r\n`;
    const r = importGenericCsv(text, MAPPING, 'f.csv');
    expect(r.problems).toEqual([]);
    expect(r.rows).toBe(2);
    expect(r.results.map((m) => m.source)).toEqual(['f.csv row 3', 'f.csv row 5']);
    expect(r.results[0]?.id).toBe('101.1');
    expect(r.results[0]?.registered).toBe(300);
  });

  it('numbers rows by the line a record starts on when a quoted field spans lines', () => {
    const text = `${HEADER}\n"X\nmultiline",101,1,300,200,190,10,120,70\nY,102,2,250,100,98,2,50,48\n`;
    const r = importGenericCsv(text, MAPPING, 'f.csv');
    expect(r.problems).toEqual([]);
    expect(r.results.map((m) => m.source)).toEqual(['f.csv row 2', 'f.csv row 4']);
    expect(r.results[0]?.region).toEqual(['X\nmultiline']);
  });

  it('reads an empty summary cell as null (not 0) and "-0" as 0', () => {
    const r = importGenericCsv(`${HEADER}\nX,101,1,,200,,-0,120,70\n`, MAPPING, 'f.csv');
    expect(r.problems).toEqual([]);
    expect(r.results[0]?.registered).toBeNull();
    expect(r.results[0]?.valid).toBeNull();
    expect(r.results[0]?.invalid).toBe(0);
  });

  it('accepts an unmapped column listed in ignore without a problem', () => {
    const r = importGenericCsv(
      `${HEADER},url\nX,101,1,300,200,190,10,120,70,http://x\n`,
      { ...MAPPING, ignore: ['url'] },
      'f.csv',
    );
    expect(r.problems).toEqual([]);
    expect(r.results).toHaveLength(1);
  });

  it('reads a semicolon-separated file when told', () => {
    const text = 'c;A;B\n7;1;2\n';
    const r = importGenericCsv(text, { id: 'c', candidates: ['A', 'B'], delimiter: ';' }, 's');
    expect(r.results.map((m) => [...m.votes.values()])).toEqual([[1, 2]]);
    const wrong = importGenericCsv(text, { id: 'c', candidates: ['A', 'B'] }, 's');
    expect(wrong.problems.map((p) => p.code)).toEqual(['IMPORT_MISSING_COLUMN']);
  });

  it('lets one column serve as id and region', () => {
    const r = importGenericCsv(
      'c,A\n7,1\n8,2\n',
      { id: 'c', region: ['c'], candidates: ['A'] },
      'g',
    );
    expect(r.results.map((m) => [m.id, m.region[0], m.votes.get('A')])).toEqual([
      ['7', '7', 1],
      ['8', '8', 2],
    ]);
  });
});

describe('importGenericCsv: every problem', () => {
  it('IMPORT_EMPTY for an empty file, a BOM alone, blank lines', () => {
    for (const text of ['', '\uFEFF', '\n\n  \r\n']) {
      const r = importGenericCsv(text, MAPPING, 'e.csv');
      expect(r.rows).toBe(0);
      expect(r.results).toEqual([]);
      expect(codes(r)).toEqual(['IMPORT_EMPTY @ e.csv']);
      expectBalanced(r);
    }
  });

  it('IMPORT_EMPTY for a header without rows', () => {
    const r = importGenericCsv(`${HEADER}\n\n`, MAPPING, 'h.csv');
    expect(codes(r)).toEqual(['IMPORT_EMPTY @ h.csv']);
    expect(r.rows).toBe(0);
    expect(r.skipped).toBe(0);
  });

  it('IMPORT_MISSING_COLUMN fails the file once, naming the columns, all rows skipped', () => {
    const text = 'state,centre,mesa,reg,voters,valid,A\nX,1,1,3,2,2,2\nY,2,1,3,2,2,2\n';
    const r = importGenericCsv(text, MAPPING, 'm.csv');
    expect(codes(r)).toEqual(['IMPORT_MISSING_COLUMN @ m.csv row 1']);
    expect(r.problems[0]?.message).toContain('"null"');
    expect(r.problems[0]?.message).toContain('"B"');
    expect(r.rows).toBe(2);
    expect(r.skipped).toBe(2);
    expect(r.results).toEqual([]);
  });

  it('a header naming a column twice fails the file (IMPORT_MALFORMED)', () => {
    const r = importGenericCsv(`${HEADER},A\nX,1,1,3,2,2,0,1,1,1\n`, MAPPING, 'd.csv');
    expect(codes(r)).toEqual(['IMPORT_MALFORMED @ d.csv row 1']);
    expect(r.skipped).toBe(1);
    expectBalanced(r);
  });

  it('IMPORT_UNKNOWN_COLUMN once per column, the rows still read', () => {
    const text = `${HEADER},extra,url\nX,101,1,300,200,190,10,120,70,a,b\nY,102,2,250,100,98,2,50,48,c,d\n`;
    const r = importGenericCsv(text, MAPPING, 'u.csv');
    expect(codes(r)).toEqual([
      'IMPORT_UNKNOWN_COLUMN @ u.csv row 1',
      'IMPORT_UNKNOWN_COLUMN @ u.csv row 1',
    ]);
    expect(r.problems[0]?.message).toContain('"extra"');
    expect(r.problems[1]?.message).toContain('"url"');
    expect(r.results).toHaveLength(2);
    expect(r.skipped).toBe(0);
  });

  it('each bad row skipped with its code and row, the others read', () => {
    const text = [
      HEADER,
      'X,101,1,300,200,190,10,120,70', // row 2: good
      'X,102,1,300,200,190,10,120', // row 3: a field short
      'X,103,1,300,200,190,10,120,70,9', // row 4: a field extra
      'X,104,1,300,200,190,10,12a,70', // row 5: not a number
      'X,105,1,300,200,190,10,1.5,70', // row 6: not whole
      'X,106,1,300,200,190,10,,70', // row 7: empty candidate cell
      'X,107,1,300,200,190,10,120,-3', // row 8: negative
      'X,107,1,-300,200,190,10,120,70', // row 9: negative summary count
      'X,,1,300,200,190,10,120,70', // row 10: empty id part
      'X,101,1,1,1,1,0,1,0', // row 11: mesa 101.1 again
      'X,108,1,300,200,190,10,1234567890123456,70', // row 12: 16 digits
      'X,109,1,300,200,190,10,120,70', // row 13: good
    ].join('\n');
    const r = importGenericCsv(text, MAPPING, 'b.csv');
    expect(codes(r)).toEqual([
      'IMPORT_WRONG_FIELD_COUNT @ b.csv row 3',
      'IMPORT_WRONG_FIELD_COUNT @ b.csv row 4',
      'IMPORT_BAD_COUNT @ b.csv row 5',
      'IMPORT_BAD_COUNT @ b.csv row 6',
      'IMPORT_BAD_COUNT @ b.csv row 7',
      'IMPORT_NEGATIVE_COUNT @ b.csv row 8',
      'IMPORT_NEGATIVE_COUNT @ b.csv row 9',
      'IMPORT_BAD_ID @ b.csv row 10',
      'IMPORT_DUPLICATE_MESA @ b.csv row 11',
      'IMPORT_BAD_COUNT @ b.csv row 12',
    ]);
    expect(r.problems[2]?.message).toContain('"12a"');
    expect(r.problems[2]?.message).toContain('"A"');
    expect(r.problems[8]?.message).toContain('row 2');
    expect(r.results.map((m) => m.id)).toEqual(['101.1', '109.1']);
    // The first copy of a duplicated mesa is the one kept.
    expect(r.results[0]?.registered).toBe(300);
    expect(r.rows).toBe(12);
    expect(r.skipped).toBe(10);
  });

  it('text that is not CSV (an unclosed quote) is IMPORT_MALFORMED, the rows before it read', () => {
    const text = `${HEADER}\nX,101,1,300,200,190,10,120,70\nX,"102,1,300,200,190,10,120,70\n`;
    const r = importGenericCsv(text, MAPPING, 'q.csv');
    expect(r.results.map((m) => m.id)).toEqual(['101.1']);
    expect(r.problems.map((p) => p.code)).toEqual(['IMPORT_MALFORMED']);
    expect(r.problems[0]?.where).toBe('q.csv row 3');
    expectBalanced(r);
  });

  it('a stray quote mid-file costs its stretch of lines, reported with the lines', () => {
    const text = `${HEADER}\nX,101,1,300,200,190,10,120,70\nX,"102"z,1,300,200,190,10,120,70\nX,103,1,300,200,190,10,120,70\n`;
    const r = importGenericCsv(text, MAPPING, 'q.csv');
    expect(r.results[0]?.id).toBe('101.1');
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems.every((p) => p.code === 'IMPORT_MALFORMED')).toBe(true);
    expect(r.problems[0]?.where).toBe('q.csv row 3');
    expectBalanced(r);
  });

  it('a misused mapping is a programmer error (RangeError)', () => {
    expect(() => importGenericCsv(HEADER, { ...MAPPING, candidates: [] }, 'x')).toThrow(RangeError);
    expect(() => importGenericCsv(HEADER, { ...MAPPING, id: [] }, 'x')).toThrow(RangeError);
    expect(() => importGenericCsv(HEADER, { ...MAPPING, candidates: ['A', 'A'] }, 'x')).toThrow(
      RangeError,
    );
  });
});

describe('importGenericCsv: nothing is dropped silently (property)', () => {
  // Cells that are good counts, or one of the ways a count goes wrong.
  const cell = fc.oneof(
    { weight: 6, arbitrary: fc.nat(999).map(String) },
    { weight: 1, arbitrary: fc.constantFrom('', '-4', 'x', '1.5', ' 7 ', '"8"') },
  );
  const row = fc.oneof(
    { weight: 8, arbitrary: fc.array(cell, { minLength: 4, maxLength: 4 }) },
    { weight: 1, arbitrary: fc.array(cell, { minLength: 0, maxLength: 6 }) },
  );

  it('results + skipped = rows, one problem per skipped row, each at its own row', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const lines = rows.map((cells) => cells.join(','));
        const text = ['id,reg,A,B', ...lines].join('\n');
        const r = importGenericCsv(
          text,
          { id: 'id', registered: 'reg', candidates: ['A', 'B'] },
          'p.csv',
        );
        // Empty lines (a zero-field row written as "") are not rows.
        const dataLines = lines.filter((l) => l !== '').length;
        expect(r.rows).toBe(dataLines);
        expect(r.results.length + r.skipped).toBe(r.rows);
        const empty = r.problems.filter((p) => p.code === 'IMPORT_EMPTY');
        expect(empty).toHaveLength(r.rows === 0 ? 1 : 0);
        const rowProblems = r.problems.filter((p) => p.code !== 'IMPORT_EMPTY');
        expect(rowProblems).toHaveLength(r.skipped);
        const wheres = new Set([
          ...rowProblems.map((p) => p.where),
          ...r.results.map((m) => m.source),
        ]);
        expect(wheres.size).toBe(r.rows);
        expect(new Set(r.results.map((m) => m.id)).size).toBe(r.results.length);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
