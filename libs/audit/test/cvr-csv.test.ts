// CVR and audited-ballot CSVs (issue #6): the documented shape read through
// csv-parse, every problem reported with its row at once, and a file pair
// carried through to a super-simple discrepancy.
import { describe, expect, it } from 'vitest';
import { createContest, type Contest } from '../src/contest.js';
import { parseAuditedBallotsCsv, parseCvrCsv } from '../src/cvr-csv.js';
import { computeDiscrepancies } from '../src/supersimple.js';

function contest(): Contest {
  const r = createContest({
    name: 'Mayor',
    candidates: [
      { name: 'Alice', votes: 60 },
      { name: 'Bob, Jr.', votes: 40 },
    ],
    ballots: 100,
    numWinners: 1,
    votesAllowed: 1,
  });
  if (!r.ok) throw new Error('contest');
  return r.value;
}

function codes(r: { ok: boolean; error?: readonly { code: string; where: string }[] }): string[][] {
  return r.ok ? [] : (r.error ?? []).map((p) => [p.code, p.where]);
}

describe('parseCvrCsv', () => {
  it('reads marks in any column order, quoted names, a BOM, CRLF and blank lines', () => {
    const r = parseCvrCsv(
      '\ufeff"Bob, Jr.",Ballot ID,Alice\r\n0,b-1,1\n\n1,b-2,0\r\n,b-3,\n1,b-4,1\n',
      contest(),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.value.keys()]).toEqual(['b-1', 'b-2', 'b-3', 'b-4']);
    expect(Object.fromEntries(r.value.get('b-1')?.votes ?? [])).toEqual({
      Alice: 1,
      'Bob, Jr.': 0,
    });
    // Every mark empty: the contest is not on that ballot.
    expect(r.value.get('b-3')?.votes.size).toBe(0);
    // An overvote is kept as read (the audit counts it as no vote).
    expect(Object.fromEntries(r.value.get('b-4')?.votes ?? [])).toEqual({
      Alice: 1,
      'Bob, Jr.': 1,
    });
  });

  it('reports every bad row with its place', () => {
    const r = parseCvrCsv(
      'Ballot ID,Alice,"Bob, Jr."\nb-1,1,0\n,1,0\nb-1,0,1\nb-4,2,0\nb-5,yes,\nb-6,1\n',
      contest(),
    );
    expect(codes(r)).toEqual([
      ['CVR_CSV_EMPTY_BALLOT_ID', 'row 3'],
      ['CVR_CSV_DUPLICATE_BALLOT', 'row 4'],
      ['CVR_CSV_BAD_MARK', 'row 5: Alice'],
      ['CVR_CSV_BAD_MARK', 'row 6: Alice'],
      ['CVR_CSV_BAD_MARK', 'row 6: Bob, Jr.'],
      ['CVR_CSV_BAD_MARK', 'row 7: Bob, Jr.'],
    ]);
  });

  it('refuses a header that misses, repeats or misspells a column', () => {
    expect(codes(parseCvrCsv('Ballot ID,Alice,Bob\nb,1,0\n', contest()))).toEqual([
      ['CVR_CSV_UNKNOWN_COLUMN', 'row 1'],
      ['CVR_CSV_MISSING_COLUMN', 'row 1'],
    ]);
    expect(codes(parseCvrCsv('Ballot ID,Alice,Alice,"Bob, Jr."\n', contest()))).toEqual([
      ['CVR_CSV_DUPLICATE_COLUMN', 'row 1'],
    ]);
    // Times Sampled belongs to the audited ballots only.
    expect(
      codes(parseCvrCsv('Ballot ID,Alice,"Bob, Jr.",Times Sampled\nb,1,0,1\n', contest())),
    ).toEqual([['CVR_CSV_UNKNOWN_COLUMN', 'row 1']]);
  });

  it('refuses an empty file and broken quoting', () => {
    expect(codes(parseCvrCsv('Ballot ID,Alice,"Bob, Jr."\n', contest()))).toEqual([
      ['CVR_CSV_EMPTY', 'file'],
    ]);
    const broken = parseCvrCsv('Ballot ID,Alice,"Bob, Jr."\n"b-1,1,0\n', contest());
    expect(codes(broken).map(([c]) => c)).toEqual(['CVR_CSV_MALFORMED']);
  });
});

describe('parseAuditedBallotsCsv', () => {
  it('reads draws and not-found ballots', () => {
    const r = parseAuditedBallotsCsv(
      'Ballot ID,Times Sampled,Alice,"Bob, Jr."\nb-1,2,1,0\nb-2,,0,0\nb-3,1,,\n',
      contest(),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((b) => [b.id, b.timesSampled, b.votes === 'not-found'])).toEqual([
      ['b-1', 2, false],
      ['b-2', 1, false],
      ['b-3', 1, true],
    ]);
  });

  it('defaults to one draw without the column, and refuses bad draw counts', () => {
    const plain = parseAuditedBallotsCsv('Ballot ID,Alice,"Bob, Jr."\nb-1,1,0\n', contest());
    expect(plain.ok && plain.value[0]?.timesSampled).toBe(1);
    const bad = parseAuditedBallotsCsv(
      'Ballot ID,Times Sampled,Alice,"Bob, Jr."\nb-1,0,1,0\nb-2,1.5,1,0\nb-3,-1,1,0\n',
      contest(),
    );
    expect(codes(bad)).toEqual([
      ['CVR_CSV_BAD_TIMES_SAMPLED', 'row 2: Times Sampled'],
      ['CVR_CSV_BAD_TIMES_SAMPLED', 'row 3: Times Sampled'],
      ['CVR_CSV_BAD_TIMES_SAMPLED', 'row 4: Times Sampled'],
    ]);
  });

  it('feeds the comparison: a not-found ballot and a vote moved to the loser', () => {
    const c = contest();
    const cvrs = parseCvrCsv('Ballot ID,Alice,"Bob, Jr."\nb-1,1,0\nb-2,1,0\nb-3,0,1\n', c);
    const paper = parseAuditedBallotsCsv(
      'Ballot ID,Alice,"Bob, Jr."\nb-1,,\nb-2,0,1\nb-3,0,1\n',
      c,
    );
    if (!cvrs.ok || !paper.ok) throw new Error('parse');
    expect(computeDiscrepancies(c, cvrs.value, paper.value)).toEqual([
      { ballot: 'b-1', counted: 2, weighted: 2 / 20 },
      { ballot: 'b-2', counted: 2, weighted: 2 / 20 },
    ]);
  });
});
