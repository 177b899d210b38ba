// `acta actas reconcile` (issue #7, item 2), run in-process: a small
// synthetic election in the Venezuelan opposition CSV layout whose totals,
// coverage and worst case are computed by hand below; a second file with an
// identical and a conflicting copy; a bad row counted and listed; bulletins
// checked; bad input exits 2 naming the file, never with a stack trace.
import { describe, expect, it } from 'vitest';
import { auditFiles } from './audit-kit.js';
import { captureOutput } from './capture-output.js';
import { runCli } from '../src/index.js';

const output = captureOutput();
const { file, path } = auditFiles();
const actas = (...args: string[]): Promise<number> => runCli(['node', 'acta', 'actas', ...args]);

const HEADER =
  'COD_EDO,EDO,COD_MUN,MUN,COD_PAR,PAR,CENTRO,MESA,RE,VOTOS_VALIDOS,VOTOS_NULOS,EG,NM,LM,JABE,JOBR,AE,CF,DC,EM,BERA,URL';
/** One row: centre 10113042 (padded to 010113042), mesa m; counts RE, valid, null, EG, NM, LM. */
const row = (
  m: number,
  re: number,
  valid: number,
  nulls: number,
  eg: number,
  nm: number,
  lm: number | string,
) =>
  `1,DTTO. CAPITAL,1,MP. LIBERTADOR,13,PQ. EL RECREO,10113042,${m},${re},${valid},${nulls},${eg},${nm},${lm},0,0,0,0,0,0,0,https://example.org/acta${m}.jpg`;

// Mesa 1: 500 registered, EG 200 + NM 90 + LM 10 = 300 valid, 5 null.
// Mesa 2: 400 registered, EG 100 + NM 140 + LM 10 = 250 valid (a second copy disagrees).
// Mesa 3: 600 registered, EG 300 + NM 90 + LM 10 = 400 valid, 10 null.
// Row 5 (mesa 4): "abc" is no count: skipped and listed.
const collectedA = file(
  'a.csv',
  [
    HEADER,
    row(1, 500, 300, 5, 200, 90, 10),
    row(2, 400, 250, 2, 100, 140, 10),
    row(3, 600, 400, 10, 300, 90, 10),
    row(4, 300, 100, 1, 50, 40, 'abc'),
  ].join('\n') + '\n',
);
// The same mesa 1 (a duplicate, not a conflict) and a different mesa 2 (NM 150, valid 260).
const collectedB = file(
  'b.csv',
  [HEADER, row(1, 500, 300, 5, 200, 90, 10), row(2, 400, 260, 2, 100, 150, 10)].join('\n') + '\n',
);
const bulletins = file('bulletins.json', [{ label: 'Bulletin X', votes: { EG: 400, NM: 900 } }]);

interface Json {
  inputs: { path: string; skipped: number; problems: { code: string; where: string }[] }[];
  skippedRows: number;
  coverage: Record<string, number | null>;
  totals: { candidates: { key: string; votes: number }[]; valid: number; invalid: number };
  worstCase: {
    leader: string;
    uncovered: number;
    leaderStillLeads: boolean;
    contests: { challenger: string; margin: number; flipTurnout: number | null }[];
  };
  merge: { copies: number; duplicates: number; conflictsUnresolved: number };
  findings: { code: string; mesa: string | null }[];
  bulletins: { label: string; rows: { key: string; verdict: string }[] }[];
  worstCaseSentence: string;
}

describe('acta actas reconcile', () => {
  it('reconciles two files: totals, coverage and worst case as computed by hand', async () => {
    const code = await actas(
      'reconcile',
      '--collected',
      collectedA,
      collectedB,
      '--registered-total',
      '2000',
      '--mesas-total',
      '5',
      '--official-totals',
      bulletins,
      '--json',
    );
    expect(code, output.err()).toBe(0);
    const r = JSON.parse(output.out()) as Json;
    // 4 + 2 copies read; mesa 1 twice identically; mesa 2's copies disagree → uncollected.
    expect(r.merge.copies).toBe(5);
    expect(r.merge.duplicates).toBe(1);
    expect(r.merge.conflictsUnresolved).toBe(1);
    expect(r.findings).toContainEqual(
      expect.objectContaining({ code: 'RECONCILE_CONFLICT_UNRESOLVED', mesa: '010113042.02' }),
    );
    // Counted: mesas 1 and 3 → 2 of 5 mesas, 500 + 600 = 1,100 of 2,000 registered.
    expect(r.coverage.mesasCounted).toBe(2);
    expect(r.coverage.mesaFraction).toBeCloseTo(0.4, 12);
    expect(r.coverage.registeredCounted).toBe(1100);
    expect(r.coverage.registeredFraction).toBeCloseTo(0.55, 12);
    // EG 200 + 300 = 500, NM 90 + 90 = 180, LM 20; valid 700, null 15.
    expect(r.totals.candidates.slice(0, 3).map((c) => [c.key, c.votes])).toEqual([
      ['EG', 500],
      ['NM', 180],
      ['LM', 20],
    ]);
    expect(r.totals.valid).toBe(700);
    expect(r.totals.invalid).toBe(15);
    // Margin 320 over NM; 900 uncovered voters could overturn it at 320/900 turnout.
    expect(r.worstCase.leader).toBe('EG');
    expect(r.worstCase.uncovered).toBe(900);
    expect(r.worstCase.leaderStillLeads).toBe(false);
    expect(r.worstCase.contests[0]?.challenger).toBe('NM');
    expect(r.worstCase.contests[0]?.margin).toBe(320);
    expect(r.worstCase.contests[0]?.flipTurnout).toBeCloseTo(320 / 900, 12);
    expect(r.worstCaseSentence).toContain('35.56% of the 900 uncovered');
    // The skipped row, with file and row (the header is row 1).
    expect(r.skippedRows).toBe(1);
    expect(r.inputs[0]?.problems).toEqual([
      expect.objectContaining({ where: `${collectedA} row 5`, code: 'IMPORT_BAD_COUNT' }),
    ]);
    // A complete bulletin giving EG 400 < the 500 the actas prove; NM 900 ≤ 180 + 900.
    const b = r.bulletins[0]?.rows ?? [];
    expect(b.find((x) => x.key === 'EG')?.verdict).toBe('below-proven');
    expect(b.find((x) => x.key === 'NM')?.verdict).toBe('possible');
  });

  it('says the leader still leads when the uncovered voters cannot overturn the margin', async () => {
    // 1,400 registered in all: 300 uncovered < the margin of 320.
    const code = await actas(
      'reconcile',
      '--collected',
      collectedA,
      collectedB,
      '--registered-total',
      '1400',
      '--json',
    );
    expect(code, output.err()).toBe(0);
    const r = JSON.parse(output.out()) as Json;
    expect(r.worstCase.uncovered).toBe(300);
    expect(r.worstCase.leaderStillLeads).toBe(true);
    expect(r.worstCase.contests[0]?.flipTurnout).toBeNull();
  });

  it('prints a human summary: coverage, worst case, skipped rows, findings by code', async () => {
    const code = await actas(
      'reconcile',
      '--collected',
      collectedA,
      collectedB,
      '--registered-total',
      '1400',
      '--mesas-total',
      '5',
    );
    expect(code, output.err()).toBe(0);
    const out = output.out();
    expect(out).toContain(
      'Coverage: 2 mesas counted of 5 (40.00%); 1,100 registered voters of 1,400 (78.57%)',
    );
    expect(out).toContain(
      'Edmundo González Urrutia still leads: even if all 300 registered voters outside the counted actas had voted for Nicolás Maduro Moros',
    );
    expect(out).toContain('1 row(s) skipped');
    expect(out).toContain(`${collectedA} row 5`);
    expect(out).toMatch(/RECONCILE_CONFLICT_UNRESOLVED\s*│\s*1\s*│\s*010113042\.02/);
  });

  it('gives no conclusion without a bound on the uncovered voters', async () => {
    expect(await actas('reconcile', '--collected', collectedA, '--json')).toBe(0);
    const r = JSON.parse(output.out()) as Json;
    expect(r.worstCase.leaderStillLeads).toBeNull();
    expect(r.worstCaseSentence).toMatch(/^No conclusion on the outcome/);
  });

  it('exits 2 on unusable input, naming the file (and row), never with a stack trace', async () => {
    expect(await actas('reconcile', '--collected', path('none.csv'))).toBe(2);
    expect(output.err()).toContain(`cannot read ${path('none.csv')}`);
    output.reset();
    const allBad = file('bad.csv', `${HEADER}\n${row(1, 500, 300, 5, 200, -90, 10)}\n`);
    expect(await actas('reconcile', '--collected', allBad)).toBe(2);
    expect(output.err()).toContain(`no usable acta in ${allBad}`);
    expect(output.err()).toContain(`${allBad} row 2`);
    output.reset();
    const unknown = file('unknown.txt', 'hello\n');
    expect(await actas('reconcile', '--collected', unknown)).toBe(2);
    expect(output.err()).toContain(`cannot tell the format of ${unknown}`);
    output.reset();
    const badBulletins = file('b.json', [{ label: 'x', votes: { EG: 'many' } }]);
    expect(
      await actas('reconcile', '--collected', collectedA, '--official-totals', badBulletins),
    ).toBe(2);
    expect(output.err()).toContain(`${badBulletins} [0].votes.EG`);
    output.reset();
    expect(await actas('reconcile', '--collected', collectedA, '--format', 'pdf')).toBe(2);
    expect(output.err()).toContain('--format must be one of');
    expect(output.err()).not.toMatch(/\n\s+at /);
  });
});

describe('acta actas reconcile on an exported Acta record', () => {
  it("counts the record's actas as verified, and a tampered copy as forged", async () => {
    const { runElectionDemo } = await import('../src/election-demo.js');
    const { createProgress } = await import('../src/progress.js');
    const { cpSync, readFileSync, writeFileSync } = await import('node:fs');
    const dir = path('acta-record');
    await runElectionDemo(
      {
        example: 'municipal',
        voters: 8,
        mesas: 2,
        trustees: 1,
        quorum: 1,
        seed: 'reconcile',
        out: dir,
      },
      createProgress({ quiet: true }),
    );
    output.reset();
    expect(await actas('reconcile', '--collected', dir, '--json'), output.err()).toBe(0);
    const report = JSON.parse(output.out()) as {
      merge: { verifiedMesas: number; forgedCopies: number };
      coverage: { mesasCollected: number };
    };
    expect(report.merge.verifiedMesas).toBe(2);
    expect(report.merge.forgedCopies).toBe(0);
    // A copy of the record whose first acta says one more vote for someone,
    // without the device's key to sign it again.
    const forged = path('acta-record-forged');
    cpSync(dir, forged, { recursive: true });
    const lines = readFileSync(`${forged}/entries.ndjson`, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"type":"acta"'));
    expect(at).toBeGreaterThan(0);
    lines[at] = lines[at]!.replace(
      /"counts":\[(\d+),/,
      (_m, n: string) => `"counts":[${Number(n) + 1},`,
    );
    expect(lines[at]).not.toBe(readFileSync(`${dir}/entries.ndjson`, 'utf8').split('\n')[at]);
    writeFileSync(`${forged}/entries.ndjson`, lines.join('\n'));
    output.reset();
    expect(await actas('reconcile', '--collected', forged, '--json')).toBe(0);
    const tampered = JSON.parse(output.out()) as {
      merge: { verifiedMesas: number; forgedCopies: number };
    };
    expect(tampered.merge.forgedCopies).toBe(1);
    expect(tampered.merge.verifiedMesas).toBe(1);
  }, 120_000);
});
