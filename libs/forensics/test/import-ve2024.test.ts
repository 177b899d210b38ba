// The opposition's 2024 Venezuelan CSV: hand-written rows, the committed
// extract (fixtures/README.md), and the real file when ../shared/data has it.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  VE2024_CANDIDATES,
  VE2024_COLUMNS,
  formatVeMesaId,
  importVe2024,
} from '../src/import-ve2024.js';

const HEADER = [...VE2024_COLUMNS, 'URL'].join(',');
const DATA = new URL('../../../../shared/data/', import.meta.url);
const REAL = fileURLToPath(new URL('ve2024-actas-v1.csv', DATA));
const FIXTURE = fileURLToPath(new URL('./fixtures/ve2024-extract.csv', import.meta.url));

/** A row in the file's column order; counts as given. */
function row(
  centre: string,
  mesa: string,
  counts: string,
  url = 'https://x.example/a.jpg',
): string {
  return `1,DTTO. CAPITAL,1,MP. LIBERTADOR,13,PQ. EL RECREO,${centre},${mesa},${counts},${url}`;
}

describe('importVe2024: hand-written rows', () => {
  it('maps every column: padded id, region, voters = valid + null, blank null, url kept', () => {
    // RE 500, valid 300, null 4, then EG NM LM JABE JOBR AE CF DC EM BERA.
    const text = `\uFEFF${HEADER}\n${row('10113042', '1', '500,300,4,200,90,1,2,3,4,0,0,0,0')}\n`;
    const r = importVe2024(text, 've.csv');
    expect(r.problems).toEqual([]);
    expect(r.results).toHaveLength(1);
    const m = r.results[0];
    expect(m?.id).toBe('010113042.01');
    expect(m?.region).toEqual(['DTTO. CAPITAL', 'MP. LIBERTADOR', 'PQ. EL RECREO', '010113042']);
    expect(m?.registered).toBe(500);
    expect(m?.valid).toBe(300);
    expect(m?.invalid).toBe(4);
    expect(m?.voters).toBe(304);
    expect(m?.blank).toBeNull();
    expect([...(m?.votes ?? [])]).toEqual([
      ['EG', 200],
      ['NM', 90],
      ['LM', 1],
      ['JABE', 2],
      ['JOBR', 3],
      ['AE', 4],
      ['CF', 0],
      ['DC', 0],
      ['EM', 0],
      ['BERA', 0],
    ]);
    expect(m?.url).toBe('https://x.example/a.jpg');
    expect(m?.source).toBe('ve.csv row 2');
  });

  it('pads ids: 9-digit centre codes as they are, 2-digit mesas', () => {
    expect(formatVeMesaId('240111029', '15')).toBe('240111029.15');
    expect(formatVeMesaId('7', '3')).toBe('000000007.03');
    expect(formatVeMesaId('1234567890', '1')).toBeNull();
    expect(formatVeMesaId('12', '100')).toBeNull();
    expect(formatVeMesaId('12a', '1')).toBeNull();
    expect(formatVeMesaId('', '1')).toBeNull();
  });

  it('lists each bad row with its code and row; a bad URL keeps the row with url null', () => {
    const good = '500,300,4,200,90,1,2,3,4,0,0,0,0';
    const text = [
      HEADER,
      row('10113042', '1', good), // 2
      row('10113042', '1', good), // 3 duplicate
      row('1011304X', '2', good), // 4 bad centre
      row('10113042', '3', '500,300,-4,200,90,1,2,3,4,0,0,0,0'), // 5 negative
      row('10113042', '4', '500,300,4,200,9O,1,2,3,4,0,0,0,0'), // 6 letter O
      row('10113042', '5', good, 'javascript:alert(1)'), // 7 bad URL, read
      row('10113042', '6', good).replace(',https', ',0,https'), // 8 extra field
    ].join('\n');
    const r = importVe2024(text, 've.csv');
    expect(r.problems.map((p) => `${p.code} @ ${p.where}`)).toEqual([
      'IMPORT_DUPLICATE_MESA @ ve.csv row 3',
      'IMPORT_BAD_ID @ ve.csv row 4',
      'IMPORT_NEGATIVE_COUNT @ ve.csv row 5',
      'IMPORT_BAD_COUNT @ ve.csv row 6',
      'IMPORT_MALFORMED @ ve.csv row 7',
      'IMPORT_WRONG_FIELD_COUNT @ ve.csv row 8',
    ]);
    expect(r.results.map((m) => [m.id, m.url])).toEqual([
      ['010113042.01', 'https://x.example/a.jpg'],
      ['010113042.05', null],
    ]);
    expect(r.rows).toBe(7);
    expect(r.skipped).toBe(5);
  });

  it('a file without the URL column is read (url null); one without RE fails with one problem', () => {
    const header = VE2024_COLUMNS.join(',');
    const r = importVe2024(
      `${header}\n1,A,1,B,13,C,10113042,1,500,300,4,200,90,1,2,3,4,0,0,0,0\n`,
      'v',
    );
    expect(r.problems).toEqual([]);
    expect(r.results.map((m) => [m.id, m.url, m.registered])).toEqual([
      ['010113042.01', null, 500],
    ]);
    const noRe = VE2024_COLUMNS.filter((c) => c !== 'RE').join(',');
    const bad = importVe2024(
      `${noRe}\n1,A,1,B,13,C,10113042,1,300,4,200,90,1,2,3,4,0,0,0,0\n`,
      'v',
    );
    expect(bad.problems.map((p) => p.code)).toEqual(['IMPORT_MISSING_COLUMN']);
    expect(bad.skipped).toBe(1);
    expect(bad.rows).toBe(1);
  });

  it('exports the ten candidates with names, in the column order', () => {
    expect(VE2024_CANDIDATES.map((c) => c.code)).toEqual(VE2024_COLUMNS.slice(11, 21));
    expect(VE2024_COLUMNS).toHaveLength(21);
    expect(VE2024_CANDIDATES[0]?.name).toMatch(/González/);
    expect(VE2024_CANDIDATES[1]?.name).toMatch(/Maduro/);
  });
});

describe('importVe2024: the committed extract (first 3 rows of the real file)', () => {
  it('reads the three rows as written', () => {
    const r = importVe2024(readFileSync(FIXTURE, 'utf8'), 've2024-extract.csv');
    expect(r.problems).toEqual([]);
    // Values read off fixtures/ve2024-extract.csv by eye.
    expect(r.results.map((m) => m.id)).toEqual(['010113042.01', '010113042.02', '010113009.01']);
    expect(r.results[2]?.registered).toBe(986);
    expect(r.results[2]?.valid).toBe(709);
    expect(r.results[2]?.votes.get('EG')).toBe(344);
    expect(r.results[2]?.votes.get('NM')).toBe(335);
    expect(r.results[2]?.votes.get('BERA')).toBe(3);
    expect(r.results[1]?.url).toBe(
      'https://static.resultadosconvzla.com/408106_660117_0097Acta0097.jpg',
    );
  });
});

describe.skipIf(!existsSync(REAL))(
  'importVe2024: the real ve2024-actas-v1.csv (skipped when ../shared/data/ve2024-actas-v1.csv is absent)',
  () => {
    it('reads 24,532 mesas with no problem, totals as Python computes them', () => {
      const r = importVe2024(readFileSync(REAL, 'utf8'), 've2024-actas-v1.csv');
      expect(r.problems).toEqual([]);
      expect(r.rows).toBe(24_532);
      expect(r.results).toHaveLength(24_532);
      expect(new Set(r.results.map((m) => m.id)).size).toBe(24_532);
      const total = (f: (m: (typeof r.results)[number]) => number | null | undefined): number =>
        r.results.reduce((s, m) => s + (f(m) ?? 0), 0);
      // One-off, independent of this code: python3 csv.reader(encoding='utf-8-sig'),
      // sum(int(r[j])) over the data rows for RE, VOTOS_VALIDOS, VOTOS_NULOS, EG, NM, BERA.
      expect(total((m) => m.registered)).toBe(17_745_239); // = BRIEF.md's coverage figure
      expect(total((m) => m.valid)).toBe(10_659_128);
      expect(total((m) => m.invalid)).toBe(1_139);
      expect(total((m) => m.voters)).toBe(10_659_128 + 1_139);
      expect(total((m) => m.votes.get('EG'))).toBe(7_156_462);
      expect(total((m) => m.votes.get('NM'))).toBe(3_241_461);
      expect(total((m) => m.votes.get('BERA'))).toBe(37_408);
      expect(r.results[0]?.id).toBe('010113042.01');
      expect(
        r.results.every((m) => m.url?.startsWith('https://static.resultadosconvzla.com/')),
      ).toBe(true);
    });
  },
);
