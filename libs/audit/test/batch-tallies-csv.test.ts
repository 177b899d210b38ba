// Batch tally CSVs (issue #6, item 3): Arlo's columns, a ballots column,
// quoting and a BOM; every problem with its row and code, all at once.
import { describe, expect, it } from 'vitest';
import { parseBatchTalliesCsv } from '../src/batch-tallies-csv.js';
import { createContest, type Contest } from '../src/contest.js';

const made = createContest({
  name: 'Intendente',
  candidates: [
    { name: 'Ana "la" Pérez', votes: 600 },
    { name: 'Bruno', votes: 400 },
  ],
  ballots: 1000,
  numWinners: 1,
  votesAllowed: 1,
});
if (!made.ok) throw new Error('bad contest');
const contest: Contest = made.value;

describe('parseBatchTalliesCsv', () => {
  it('reads tallies, with or without ballots, in any column order', () => {
    const r = parseBatchTalliesCsv(
      '\ufeffBruno,Batch Name,"Ana ""la"" Pérez",Number of Ballots\r\n10, mesa 1 ,30,45\n\n0,"mesa, 2",0,0\n',
      contest,
    );
    expect(r).toEqual({
      ok: true,
      value: [
        {
          batch: 'mesa 1',
          votes: new Map([
            ['Ana "la" Pérez', 30],
            ['Bruno', 10],
          ]),
          ballots: 45,
        },
        {
          batch: 'mesa, 2',
          votes: new Map([
            ['Ana "la" Pérez', 0],
            ['Bruno', 0],
          ]),
          ballots: 0,
        },
      ],
    });
    const counts = parseBatchTalliesCsv('Batch Name,"Ana ""la"" Pérez",Bruno\nm1,3,4\n', contest);
    expect(counts.ok && counts.value[0]).toEqual({
      batch: 'm1',
      votes: new Map([
        ['Ana "la" Pérez', 3],
        ['Bruno', 4],
      ]),
    });
  });

  it('reports every bad row with its place', () => {
    const r = parseBatchTalliesCsv(
      [
        'Batch Name,"Ana ""la"" Pérez",Bruno,Number of Ballots',
        'm1,1,2,10',
        ',1,2,10',
        'm1,1,2,10',
        'm3,-1,2,10',
        'm4,1.5,x,10',
        'm5,1,2,',
        'm6,8,5,10',
      ].join('\n'),
      contest,
    );
    expect(r.ok ? [] : r.problems.map((p) => [p.code, p.where])).toEqual([
      ['BATCH_CSV_EMPTY_BATCH_NAME', 'row 3'],
      ['BATCH_CSV_DUPLICATE_BATCH', 'row 4'],
      ['BATCH_CSV_BAD_COUNT', 'row 5, Ana "la" Pérez'],
      ['BATCH_CSV_BAD_COUNT', 'row 6, Ana "la" Pérez'],
      ['BATCH_CSV_BAD_COUNT', 'row 6, Bruno'],
      ['BATCH_CSV_BAD_COUNT', 'row 7, Number of Ballots'],
      ['BATCH_CSV_VOTES_ABOVE_BALLOTS', 'row 8'],
    ]);
  });

  it('refuses missing, unknown and repeated columns, an empty file and broken quoting', () => {
    const cols = parseBatchTalliesCsv('Batch Name,Bruno,Carla,Bruno\nm1,1,2,3\n', contest);
    expect(cols.ok ? [] : cols.problems.map((p) => p.code)).toEqual([
      'BATCH_CSV_UNKNOWN_COLUMN',
      'BATCH_CSV_DUPLICATE_COLUMN',
      'BATCH_CSV_MISSING_COLUMN',
    ]);
    const noName = parseBatchTalliesCsv('Mesa,"Ana ""la"" Pérez",Bruno\n', contest);
    expect(noName.ok ? [] : noName.problems.map((p) => p.code)).toEqual([
      'BATCH_CSV_UNKNOWN_COLUMN',
      'BATCH_CSV_MISSING_COLUMN',
    ]);
    const empty = parseBatchTalliesCsv('Batch Name,"Ana ""la"" Pérez",Bruno\n', contest);
    expect(empty.ok ? [] : empty.problems.map((p) => p.code)).toEqual(['BATCH_CSV_EMPTY']);
    const broken = parseBatchTalliesCsv('Batch Name,Bruno\n"m1,2\n', contest);
    expect(broken.ok ? [] : broken.problems.map((p) => p.code)).toEqual(['BATCH_CSV_MALFORMED']);
  });
});
