// Venezuelan acta QR payloads: BRIEF.md's example payload, with the card →
// candidate table written out here on its own (not imported from the code
// under test), and every way a payload goes wrong.
import { describe, expect, it } from 'vitest';
import { decodeVeQrPayload, decodeVeQrPayloads, VE2024_CARDS } from '../src/import-ve-qr.js';

const EXAMPLE =
  '201301006.01.1.0001!140,7,10,8,1,7,1,0,2,3,0,1,8,1,0,1,0,3,1,1,0,1,0,0,0,0,0,0,1,2,0,0,0,5,7,155,1,1!0!0';

// BRIEF.md: cards per candidate in ballot order — Maduro 13, Martínez 6,
// Bertucci 1, Brito 4, Ecarri 6, Fermín 1, Ceballos 2, González 3,
// Márquez 1, Rausseo 1 (38 in all).
const CARD_RUNS: readonly (readonly [string, number])[] = [
  ['NM', 13],
  ['LM', 6],
  ['JABE', 1],
  ['JOBR', 4],
  ['AE', 6],
  ['CF', 1],
  ['DC', 2],
  ['EG', 3],
  ['EM', 1],
  ['BERA', 1],
];

describe('decodeVeQrPayload: the BRIEF.md example', () => {
  it('sums the 38 cards into the ten candidates (sums worked out by hand)', () => {
    const r = decodeVeQrPayload(EXAMPLE, 'scan.txt line 1');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.value;
    expect(m.id).toBe('201301006.01');
    // By hand, from the payload's counts:
    //  Maduro   140+7+10+8+1+7+1+0+2+3+0+1+8 = 188
    //  Martínez 1+0+1+0+3+1 = 6      Bertucci 1     Brito 0+1+0+0 = 1
    //  Ecarri   0+0+0+0+1+2 = 3      Fermín 0       Ceballos 0+0 = 0
    //  González 5+7+155 = 167        Márquez 1      Rausseo 1
    expect(Object.fromEntries(m.votes)).toEqual({
      EG: 167,
      NM: 188,
      LM: 6,
      JABE: 1,
      JOBR: 1,
      AE: 3,
      CF: 0,
      DC: 0,
      EM: 1,
      BERA: 1,
    });
    // In the CSV's candidate order, so both importers' maps line up.
    expect([...m.votes.keys()]).toEqual([
      'EG',
      'NM',
      'LM',
      'JABE',
      'JOBR',
      'AE',
      'CF',
      'DC',
      'EM',
      'BERA',
    ]);
    expect(m.valid).toBe(188 + 6 + 1 + 1 + 3 + 0 + 0 + 167 + 1 + 1);
    expect(m.invalid).toBe(0);
    expect(m.blank).toBe(0);
    expect(m.registered).toBeNull();
    expect(m.voters).toBeNull();
    expect(m.region).toEqual(['20', '2013', '201301', '201301006']);
    expect(m.source).toBe('scan.txt line 1');
  });

  it('the exported card table agrees with the table written here', () => {
    const expected = CARD_RUNS.flatMap(([code, n]) => Array<string>(n).fill(code));
    expect(VE2024_CARDS.map((c) => c.candidate)).toEqual(expected);
    expect(VE2024_CARDS).toHaveLength(38);
    expect(VE2024_CARDS[35]?.party).toBe('MUD');
    expect(VE2024_CARDS[0]?.party).toBe('PSUV');
  });

  it('each card counts for its own candidate (one vote on card i alone)', () => {
    const owner = CARD_RUNS.flatMap(([code, n]) => Array<string>(n).fill(code));
    for (let i = 0; i < 38; i++) {
      const counts = Array.from({ length: 38 }, (_, j) => (j === i ? 1 : 0)).join(',');
      const r = decodeVeQrPayload(`010101001.02.1.0001!${counts}!3!4`, 'x');
      if (!r.ok) throw new Error(r.error.message);
      const nonZero = [...r.value.votes].filter(([, v]) => v !== 0);
      expect(nonZero).toEqual([[owner[i], 1]]);
      expect(r.value.invalid).toBe(3);
      expect(r.value.blank).toBe(4);
    }
  });

  it('drops surrounding spaces and a CR', () => {
    const r = decodeVeQrPayload(`  ${EXAMPLE}\r`, 'x');
    expect(r.ok).toBe(true);
  });
});

describe('decodeVeQrPayload: bad payloads', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    ['three sections', EXAMPLE.replace(/!0!0$/, '!0'), 'IMPORT_WRONG_FIELD_COUNT'],
    ['five sections', `${EXAMPLE}!0`, 'IMPORT_WRONG_FIELD_COUNT'],
    ['37 cards', EXAMPLE.replace('140,', ''), 'IMPORT_WRONG_FIELD_COUNT'],
    ['39 cards', EXAMPLE.replace('140,', '140,0,'), 'IMPORT_WRONG_FIELD_COUNT'],
    ['a letter', EXAMPLE.replace('155', '15S'), 'IMPORT_BAD_COUNT'],
    ['a decimal', EXAMPLE.replace('155', '15.5'), 'IMPORT_BAD_COUNT'],
    ['a leading zero', EXAMPLE.replace('155', '0155'), 'IMPORT_BAD_COUNT'],
    ['ten digits', EXAMPLE.replace('155', '1234567890'), 'IMPORT_BAD_COUNT'],
    ['an empty card', EXAMPLE.replace('155', ''), 'IMPORT_BAD_COUNT'],
    ['a negative card', EXAMPLE.replace('155', '-155'), 'IMPORT_NEGATIVE_COUNT'],
    ['a bad trailing integer', EXAMPLE.replace(/!0$/, '!x'), 'IMPORT_BAD_COUNT'],
    ['a negative null count', EXAMPLE.replace(/!0!0$/, '!-2!0'), 'IMPORT_NEGATIVE_COUNT'],
    ['an 8-digit centre', EXAMPLE.replace('201301006', '20130100'), 'IMPORT_BAD_ID'],
    ['a 1-digit mesa', EXAMPLE.replace('.01.1.', '.1.1.'), 'IMPORT_BAD_ID'],
    ['no suffix', EXAMPLE.replace('.1.0001', ''), 'IMPORT_BAD_ID'],
    ['letters in the id', EXAMPLE.replace('201301006', '2013O1006'), 'IMPORT_BAD_ID'],
    ['too long', `${EXAMPLE}${' '.repeat(1100)}`, 'IMPORT_MALFORMED'],
    ['empty', '', 'IMPORT_WRONG_FIELD_COUNT'],
  ];
  for (const [name, payload, code] of cases) {
    it(`${name}: ${code}`, () => {
      const r = decodeVeQrPayload(payload, 'p.txt line 9');
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe(code);
      expect(r.error.where).toBe('p.txt line 9');
    });
  }
});

describe('decodeVeQrPayloads: a file of payloads', () => {
  const other = EXAMPLE.replace('201301006.01', '201301006.02');
  const lines = [
    EXAMPLE, // 1
    '', // 2: not a payload
    'garbage', // 3
    other, // 4
    EXAMPLE.replace('!0!0', '!1!0'), // 5: same mesa as line 1, different copy
    EXAMPLE.replace('155', 'x'), // 6
  ];

  it('reads good lines, lists bad ones by line, skips a second copy by default', () => {
    const r = decodeVeQrPayloads(lines, 'scan.txt');
    expect(r.results.map((m) => [m.id, m.source])).toEqual([
      ['201301006.01', 'scan.txt line 1'],
      ['201301006.02', 'scan.txt line 4'],
    ]);
    expect(r.problems.map((p) => `${p.code} @ ${p.where}`)).toEqual([
      'IMPORT_WRONG_FIELD_COUNT @ scan.txt line 3',
      'IMPORT_DUPLICATE_MESA @ scan.txt line 5',
      'IMPORT_BAD_COUNT @ scan.txt line 6',
    ]);
    expect(r.rows).toBe(5);
    expect(r.skipped).toBe(3);
  });

  it("keeps every copy with duplicates: 'keep' (for the reconciliation)", () => {
    const r = decodeVeQrPayloads(lines, 'scan.txt', { duplicates: 'keep' });
    expect(r.results.map((m) => m.source)).toEqual([
      'scan.txt line 1',
      'scan.txt line 4',
      'scan.txt line 5',
    ]);
    expect(r.results[2]?.invalid).toBe(1);
    expect(r.rows).toBe(5);
    expect(r.skipped).toBe(2);
  });

  it('IMPORT_EMPTY for a file without payloads', () => {
    const r = decodeVeQrPayloads(['', '  '], 'e.txt');
    expect(r.problems.map((p) => p.code)).toEqual(['IMPORT_EMPTY']);
    expect(r.rows).toBe(0);
    expect(r.skipped).toBe(0);
  });
});
