// The Albanian 2013 precinct file: the committed extract (two precincts
// numbered 311, one with "NA"), hand-made rows, and the real file when present.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AL2013_COLUMNS, AL2013_PARTIES, importAl2013 } from '../src/import-al2013.js';

const DATA = new URL('../../../../shared/data/', import.meta.url);
const REAL = fileURLToPath(new URL('al2013-parliament-precincts.csv', DATA));
const EXTRACT = readFileSync(
  fileURLToPath(new URL('./fixtures/al2013-extract.csv', import.meta.url)),
  'utf8',
);

describe('importAl2013: the extract', () => {
  const r = importAl2013(EXTRACT, 'al.csv');

  it('keeps both precincts numbered 311 (row keys 28 and 360), skips the "NA" row', () => {
    expect(r.results.map((m) => m.id)).toEqual(['311#28', '32#29', '311#360']);
    expect(r.problems.map((p) => `${p.code} @ ${p.where}`)).toEqual([
      'IMPORT_BAD_COUNT @ al.csv row 5',
    ]);
    expect(r.problems[0]?.message).toContain('"NA"');
    expect(r.problems[0]?.message).toContain('C067');
    expect(r.rows).toBe(4);
    expect(r.skipped).toBe(1);
  });

  it('maps Ballots, Registered, region; valid = the parties summed; invalid unknown', () => {
    // Row key 28 by eye: Ballots 255, Registered 540, parties C032 5, C035 77,
    // C050 111, C051 42, C072 20 (sum 255), every other party 0.
    const m = r.results[0];
    expect(m?.region).toEqual(['SHKODER', 'SHKODER_KASTRAT']);
    expect(m?.voters).toBe(255);
    expect(m?.registered).toBe(540);
    expect(m?.valid).toBe(5 + 77 + 111 + 42 + 20);
    expect(m?.invalid).toBeNull();
    expect(m?.blank).toBeNull();
    expect(m?.votes.size).toBe(66);
    expect(m?.votes.get('C035')).toBe(77);
    expect(m?.votes.get('C007')).toBe(0);
    expect([...(m?.votes.keys() ?? [])].slice(0, 2)).toEqual(['C007', 'C008']);
    expect(r.results[2]?.voters).toBe(223);
    expect(r.results[2]?.votes.get('C013')).toBe(10);
  });

  it('the party columns are C007 … C072', () => {
    expect(AL2013_PARTIES).toHaveLength(66);
    expect(AL2013_PARTIES[0]).toBe('C007');
    expect(AL2013_PARTIES[65]).toBe('C072');
    expect(EXTRACT.split('\n')[0]).toBe(AL2013_COLUMNS.join(','));
  });
});

describe('importAl2013: bad rows', () => {
  const header = AL2013_COLUMNS.join(',');
  const parties = (first: string): string => [first, ...Array<string>(65).fill('0')].join(',');

  it('a bad precinct, a negative count, the same row key and precinct twice', () => {
    const text = [
      header,
      `1,A,B,7,10,20,${parties('10')}`, // 2
      `2,A,B,7a,10,20,${parties('10')}`, // 3 bad precinct
      `3,A,B,8,10,-20,${parties('10')}`, // 4 negative
      `1,A,B,7,11,21,${parties('11')}`, // 5 the same precinct and row key
    ].join('\n');
    const r = importAl2013(text, 'al.csv');
    expect(r.results.map((m) => m.id)).toEqual(['7#1']);
    expect(r.problems.map((p) => `${p.code} @ ${p.where}`)).toEqual([
      'IMPORT_BAD_ID @ al.csv row 3',
      'IMPORT_NEGATIVE_COUNT @ al.csv row 4',
      'IMPORT_DUPLICATE_MESA @ al.csv row 5',
    ]);
  });

  it('a missing party column fails the file', () => {
    const text = `${AL2013_COLUMNS.slice(0, -1).join(',')}\n1,A,B,7,10,20,${Array<string>(65).fill('0').join(',')}\n`;
    const r = importAl2013(text, 'al.csv');
    expect(r.problems.map((p) => p.code)).toEqual(['IMPORT_MISSING_COLUMN']);
    expect(r.problems[0]?.message).toContain('C072');
  });
});

describe.skipIf(!existsSync(REAL))(
  'importAl2013: the real file (skipped when ../shared/data/al2013-parliament-precincts.csv is absent)',
  () => {
    it('reads 5,508 rows: 5,506 precincts, the two "NA" rows listed; totals as Python computes them', () => {
      const r = importAl2013(readFileSync(REAL, 'utf8'), 'al2013-parliament-precincts.csv');
      expect(r.rows).toBe(5_508);
      expect(r.results).toHaveLength(5_506);
      expect(r.problems.map((p) => `${p.code} @ ${p.where}`)).toEqual([
        'IMPORT_BAD_COUNT @ al2013-parliament-precincts.csv row 856',
        'IMPORT_BAD_COUNT @ al2013-parliament-precincts.csv row 876',
      ]);
      expect(new Set(r.results.map((m) => m.id)).size).toBe(5_506);
      let ballots = 0;
      let registered = 0;
      let valid = 0;
      let c035 = 0;
      let c050 = 0;
      for (const m of r.results) {
        ballots += m.voters ?? 0;
        registered += m.registered ?? 0;
        valid += m.valid ?? 0;
        c035 += m.votes.get('C035') ?? 0;
        c050 += m.votes.get('C050') ?? 0;
      }
      // One-off, independent of this code: python3 csv.reader over the rows whose
      // columns 3… are all digits (all but file lines 856 and 876), summing Ballots,
      // Registered, the 66 parties, C035 and C050.
      expect(ballots).toBe(1_725_599);
      expect(registered).toBe(3_184_115);
      expect(valid).toBe(1_716_468);
      expect(c035).toBe(713_860);
      expect(c050).toBe(528_704);
      // The 60 precinct numbers that occur twice (Python: Counter of column 3).
      const precincts = new Map<string, number>();
      for (const m of r.results) {
        const p = m.id.split('#')[0] ?? '';
        precincts.set(p, (precincts.get(p) ?? 0) + 1);
      }
      expect([...precincts.values()].filter((n) => n > 1)).toHaveLength(60);
    });
  },
);
