/**
 * Reconciliation of collected actas (issue #7, item 2): every finding, the
 * merge rules, coverage, the worst case and the bulletin bounds, each against
 * figures computed by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import type { MesaResult } from '../src/mesa-result.js';
import { reconcileActas } from '../src/reconcile.js';
import type {
  CollectedActa,
  ReconcileCode,
  ReconciliationReport,
  SignatureStatus,
} from '../src/reconcile-types.js';

interface MesaSpec {
  readonly registered?: number | null;
  readonly voters?: number | null;
  readonly valid?: number | null;
  readonly invalid?: number | null;
  readonly blank?: number | null;
  readonly votes?: Record<string, number>;
  readonly source?: string;
}

/** A mesa; `valid` defaults to the candidates' sum (a consistent acta). */
function mesa(id: string, spec: MesaSpec = {}): MesaResult {
  const votes = new Map(Object.entries(spec.votes ?? {}));
  let sum = 0;
  for (const v of votes.values()) sum += v;
  return {
    id,
    region: [],
    registered: spec.registered === undefined ? null : spec.registered,
    voters: spec.voters === undefined ? null : spec.voters,
    valid: spec.valid === undefined ? sum : spec.valid,
    invalid: spec.invalid === undefined ? null : spec.invalid,
    blank: spec.blank === undefined ? null : spec.blank,
    votes,
    source: spec.source ?? `csv row ${id}`,
  };
}

function acta(
  id: string,
  spec: MesaSpec = {},
  signature: SignatureStatus = 'unsigned',
): CollectedActa {
  return { result: mesa(id, spec), signature };
}

function codes(r: ReconciliationReport): ReconcileCode[] {
  return r.findings.map((f) => f.code);
}

function only(r: ReconciliationReport, code: ReconcileCode) {
  const fs = r.findings.filter((f) => f.code === code);
  expect(fs).toHaveLength(1);
  const f = fs[0];
  if (f === undefined) throw new Error('no finding');
  return f;
}

function totalOf(r: ReconciliationReport, key: string): number | undefined {
  return r.totals.candidates.find((c) => c.key === key)?.votes;
}

// The three-mesa election used by the worst-case and bulletin tests.
// m1: 500 registered, A 300 B 150 C 20, invalid 10
// m2: 600 registered, A 200 B 250 C 30, invalid 5
// m3: 400 registered, A 100 B  50 C  0, invalid 0
// Totals: A 600, B 450, C 50 (1,100 valid), invalid 15, registered 1,500.
const THREE: readonly CollectedActa[] = [
  acta('m1', { registered: 500, votes: { A: 300, B: 150, C: 20 }, invalid: 10 }),
  acta('m2', { registered: 600, votes: { A: 200, B: 250, C: 30 }, invalid: 5 }),
  acta('m3', { registered: 400, votes: { A: 100, B: 50, C: 0 }, invalid: 0 }),
];

describe('merge of copies', () => {
  it('counts identical copies once and says how many were dropped', () => {
    const r = reconcileActas({
      collected: [
        acta('m1', { registered: 100, votes: { A: 10, B: 5 }, source: 'photo 1' }),
        acta('m1', { registered: 100, votes: { B: 5, A: 10 }, source: 'qr 1' }),
        acta('m1', { registered: 100, votes: { A: 10, B: 5 }, source: 'csv 1' }),
      ],
      registeredTotal: 100,
    });
    expect(r.merge.duplicates).toBe(2);
    expect(r.merge.mesas).toBe(1);
    expect(totalOf(r, 'A')).toBe(10);
    expect(r.coverage.registeredCounted).toBe(100);
    expect(r.findings).toEqual([]);
    expect(r.mesas[0]?.sources).toEqual(['csv 1', 'photo 1', 'qr 1']);
  });

  it('merges copies that differ only where one says nothing', () => {
    const r = reconcileActas({
      collected: [
        acta('m1', { registered: null, votes: { A: 10, B: 5 }, invalid: 1 }),
        acta('m1', { registered: 100, votes: { A: 10 }, valid: null, source: 'qr' }),
      ],
      registeredTotal: 100,
    });
    expect(r.merge.complemented).toBe(1);
    expect(r.findings).toEqual([]);
    const m = r.mesas[0];
    expect(m?.registered).toBe(100);
    expect(m?.invalid).toBe(1);
    expect(m?.valid).toBe(15);
    expect(m?.votes?.get('B')).toBe(5);
  });

  it('counts a mesa whose unsigned copies disagree as uncollected, listing both', () => {
    const r = reconcileActas({
      collected: [
        acta('m1', { registered: 100, votes: { A: 10, B: 5 }, source: 'photo' }),
        acta('m1', { registered: 100, votes: { A: 10, B: 50 }, source: 'qr' }),
        acta('m2', { registered: 200, votes: { A: 1, B: 2 } }),
      ],
      registeredTotal: 300,
    });
    const f = only(r, 'RECONCILE_CONFLICT_UNRESOLVED');
    expect(f.mesa).toBe('m1');
    expect(f.sources).toEqual(['photo', 'qr']);
    expect(f.message).toContain('votes.B');
    expect(f.message).toContain('valid');
    expect(f.figures).toMatchObject({ 'votes.B@photo': 5, 'votes.B@qr': 50 });
    expect(r.merge.conflictsUnresolved).toBe(1);
    expect(r.mesas.find((m) => m.id === 'm1')?.status).toBe('conflict');
    // Only m2 counts: 200 of 300 registered covered, 100 uncovered.
    expect(r.coverage.mesasCounted).toBe(1);
    expect(r.coverage.registeredCounted).toBe(200);
    expect(r.worstCase.uncovered).toBe(100);
    expect(totalOf(r, 'B')).toBe(2);
  });

  it('uses the verified copy when it conflicts with unsigned ones, and still lists the conflict', () => {
    const r = reconcileActas({
      collected: [
        acta('m1', { registered: 100, votes: { A: 10, B: 50 }, source: 'photo' }),
        acta('m1', { registered: 100, votes: { A: 10, B: 5 }, source: 'acta.json' }, 'verified'),
      ],
    });
    const f = only(r, 'RECONCILE_CONFLICT');
    expect(f.sources).toEqual(['acta.json', 'photo']);
    expect(f.message).toContain('(verified)');
    expect(totalOf(r, 'B')).toBe(5);
    expect(r.merge.conflictsResolved).toBe(1);
    expect(r.merge.verifiedMesas).toBe(1);
    expect(r.mesas[0]?.signature).toBe('verified');
  });

  it('leaves a mesa uncollected when two verified copies disagree', () => {
    const r = reconcileActas({
      collected: [
        acta('m1', { votes: { A: 10 }, source: 'a.json' }, 'verified'),
        acta('m1', { votes: { A: 11 }, source: 'b.json' }, 'verified'),
      ],
    });
    expect(only(r, 'RECONCILE_SIGNED_CONFLICT').sources).toEqual(['a.json', 'b.json']);
    expect(r.mesas[0]?.status).toBe('signed-conflict');
    expect(r.coverage.mesasCounted).toBe(0);
  });

  it('flags a forged copy and never counts it', () => {
    const r = reconcileActas({
      collected: [
        acta('m1', { votes: { A: 999 }, source: 'fake.json' }, 'forged'),
        acta('m1', { votes: { A: 10 }, source: 'photo' }),
        acta('m2', { votes: { A: 7 }, source: 'fake2.json' }, 'forged'),
      ],
    });
    const forged = r.findings.filter((f) => f.code === 'RECONCILE_FORGED');
    expect(forged.map((f) => f.sources[0])).toEqual(['fake.json', 'fake2.json']);
    // The forged copy does not even make a conflict: the unsigned one is used.
    expect(codes(r)).not.toContain('RECONCILE_CONFLICT');
    expect(totalOf(r, 'A')).toBe(10);
    expect(r.mesas.find((m) => m.id === 'm2')?.status).toBe('forged');
    expect(r.merge.forgedCopies).toBe(2);
  });

  it('leaves out copies with counts that are not counts, naming them', () => {
    const bad: MesaResult = { ...mesa('m1', { votes: { A: 3 } }), registered: -4 };
    const nan: MesaResult = { ...mesa('m2'), votes: new Map([['A', Number.NaN]]) };
    const noId: MesaResult = { ...mesa('x'), id: '' };
    const r = reconcileActas({
      collected: [
        { result: bad, signature: 'unsigned' },
        { result: nan, signature: 'unsigned' },
        { result: noId, signature: 'unsigned' },
      ],
    });
    expect(codes(r)).toEqual(['ACTA_BAD_ID', 'ACTA_BAD_COUNT', 'ACTA_BAD_COUNT']);
    expect(r.findings[1]?.message).toContain('registered = -4');
    expect(r.findings[2]?.message).toContain('votes.A = NaN');
    expect(r.merge.unusableCopies).toBe(3);
    expect(r.coverage.mesasCounted).toBe(0);
  });
});

describe('internal arithmetic', () => {
  const cases: readonly [ReconcileCode, MesaSpec, Record<string, number>][] = [
    // 10 + 5 = 15, the acta says 16.
    ['ACTA_SUM_MISMATCH', { votes: { A: 10, B: 5 }, valid: 16 }, { candidatesSum: 15, valid: 16 }],
    // 15 + 2 + 1 = 18 ballots, 17 voters.
    [
      'ACTA_BALLOTS_ABOVE_VOTERS',
      { votes: { A: 10, B: 5 }, invalid: 2, blank: 1, voters: 17, registered: 30 },
      { ballots: 18, voters: 17 },
    ],
    [
      'ACTA_VOTERS_ABOVE_REGISTERED',
      { votes: { A: 10, B: 5 }, voters: 20, registered: 19 },
      { voters: 20, registered: 19 },
    ],
    // voters not given: 15 + 6 = 21 ballots above 20 registered.
    [
      'ACTA_BALLOTS_ABOVE_REGISTERED',
      { votes: { A: 10, B: 5 }, invalid: 6, registered: 20 },
      { ballots: 21, registered: 20 },
    ],
  ];
  for (const [code, spec, figures] of cases) {
    it(`${code}: a finding with the numbers; excluded by default, counted on request`, () => {
      const collected = [acta('bad', spec), acta('ok', { votes: { A: 1, B: 1 }, registered: 5 })];
      const excluded = reconcileActas({ collected });
      expect(only(excluded, code).figures).toEqual(figures);
      expect(only(excluded, code).mesa).toBe('bad');
      expect(excluded.arithmetic).toMatchObject({ policy: 'exclude', checked: 2, failing: 1 });
      expect(totalOf(excluded, 'A')).toBe(1);
      expect(excluded.mesas.find((m) => m.id === 'bad')?.status).toBe('excluded-arithmetic');
      expect(excluded.coverage.mesasCollected).toBe(2);
      expect(excluded.coverage.mesasCounted).toBe(1);
      const countedToo = reconcileActas({ collected, arithmetic: 'count' });
      expect(countedToo.arithmetic.failing).toBe(1);
      expect(totalOf(countedToo, 'A')).toBe(11);
      expect(countedToo.mesas.find((m) => m.id === 'bad')?.arithmeticFails).toBe(true);
    });
  }

  it('accepts an acta whose ballots equal its voters and registered', () => {
    const r = reconcileActas({
      collected: [
        acta('m', { votes: { A: 10 }, invalid: 2, blank: 3, voters: 15, registered: 15 }),
      ],
    });
    expect(r.findings).toEqual([]);
  });

  it('notes a counted acta without registered voters (adds no coverage)', () => {
    const r = reconcileActas({ collected: [acta('m', { votes: { A: 1 } })], registeredTotal: 10 });
    expect(only(r, 'ACTA_NO_REGISTERED').mesa).toBe('m');
    expect(r.coverage.countedWithoutRegistered).toBe(1);
    expect(r.worstCase.uncovered).toBe(10);
  });
});

describe('coverage and totals', () => {
  it('counts mesas and registered voters against the election totals', () => {
    const r = reconcileActas({ collected: THREE, registeredTotal: 1700, mesasTotal: 5 });
    expect(r.coverage).toEqual({
      mesasCollected: 3,
      mesasCounted: 3,
      mesasTotal: 5,
      mesaFraction: 0.6,
      registeredCollected: 1500,
      registeredCounted: 1500,
      registeredTotal: 1700,
      registeredFraction: 1500 / 1700,
      countedWithoutRegistered: 0,
    });
    expect(r.totals.candidates.map((c) => [c.key, c.votes])).toEqual([
      ['A', 600],
      ['B', 450],
      ['C', 50],
    ]);
    expect(r.totals.candidates[0]?.share).toBeCloseTo(600 / 1100, 12);
    expect(r.totals).toMatchObject({
      valid: 1100,
      invalid: 15,
      registered: 1500,
      votersMissing: 3,
    });
  });

  it('flags collected actas holding more than the election has', () => {
    const r = reconcileActas({ collected: THREE, registeredTotal: 1000, mesasTotal: 2 });
    expect(r.findings.filter((f) => f.code === 'COVERAGE_ABOVE_TOTAL')).toHaveLength(2);
    expect(r.worstCase.uncovered).toBe(0);
  });
});

describe('worst case', () => {
  it('every uncovered voter for the runner-up: margin 150 < 200 uncovered, flips at 75% turnout', () => {
    // Uncovered = 1,700 − 1,500 = 200. A − B = 150: B + 200 > A, so A does not
    // hold; the flip needs 150 of the 200 uncovered voters: turnout 0.75.
    // A − C = 550 > 200: A holds against C whatever the turnout (550/200 = 2.75).
    const r = reconcileActas({
      collected: THREE,
      registeredTotal: 1700,
      mesasTotal: 5,
      candidateNames: new Map([['B', 'Bea']]),
    });
    const w = r.worstCase;
    expect(w.leader).toBe('A');
    expect(w.uncovered).toBe(200);
    expect(w.basis).toBe('registered-total');
    expect(w.uncollectedMesas).toBe(2);
    expect(w.leaderStillLeads).toBe(false);
    expect(w.contests).toEqual([
      {
        challenger: 'B',
        challengerName: 'Bea',
        margin: 150,
        leaderStillLeads: false,
        marginOverUncovered: 0.75,
        flipTurnout: 0.75,
        votesPerUncollectedMesa: 75,
      },
      {
        challenger: 'C',
        challengerName: 'C',
        margin: 550,
        leaderStillLeads: true,
        marginOverUncovered: 2.75,
        flipTurnout: null,
        votesPerUncollectedMesa: 275,
      },
    ]);
  });

  it('the leader holds when the margin exceeds every uncovered voter (150 > 100)', () => {
    const r = reconcileActas({ collected: THREE, registeredTotal: 1600 });
    expect(r.worstCase.leaderStillLeads).toBe(true);
    expect(r.worstCase.contests[0]).toMatchObject({ marginOverUncovered: 1.5, flipTurnout: null });
  });

  it('a possible tie is a flip: margin 150 = 150 uncovered flips at 100% turnout', () => {
    const r = reconcileActas({ collected: THREE, registeredTotal: 1650 });
    expect(r.worstCase.contests[0]).toMatchObject({ leaderStillLeads: false, flipTurnout: 1 });
  });

  it('without the registered total, bounds the uncovered by mesas × the per-mesa maximum', () => {
    // 2 uncollected mesas × 600 = 1,200 ≥ 150.
    const r = reconcileActas({ collected: THREE, mesasTotal: 5, registeredPerMesaMax: 600 });
    expect(r.worstCase).toMatchObject({
      uncovered: 1200,
      basis: 'mesa-bound',
      leaderStillLeads: false,
    });
    expect(r.worstCase.contests[0]?.flipTurnout).toBeCloseTo(150 / 1200, 12);
  });

  it('says the conclusion is unavailable without any bound, and still gives the margins', () => {
    const r = reconcileActas({ collected: THREE, mesasTotal: 5 });
    expect(r.worstCase).toMatchObject({
      uncovered: null,
      basis: 'unavailable',
      leaderStillLeads: null,
    });
    expect(r.worstCase.contests[0]).toMatchObject({
      margin: 150,
      leaderStillLeads: null,
      votesPerUncollectedMesa: 75,
    });
    expect(codes(r)).toContain('WORST_CASE_UNAVAILABLE');
  });
});

describe('official per-mesa figures', () => {
  it('lists differences per field, mesas on one side only, and conflicting official duplicates', () => {
    const official: MesaResult[] = [
      mesa('m1', {
        registered: 500,
        votes: { A: 300, B: 150, C: 20 },
        invalid: 10,
        source: 'cne 1',
      }),
      mesa('m2', {
        registered: 600,
        votes: { A: 200, B: 260, C: 30 },
        invalid: 5,
        source: 'cne 2',
      }),
      mesa('m4', { registered: 300, votes: { A: 1 }, source: 'cne 4' }),
      mesa('m5', { votes: { A: 1 }, source: 'cne 5a' }),
      mesa('m5', { votes: { A: 2 }, source: 'cne 5b' }),
      mesa('m1', {
        registered: 500,
        votes: { A: 300, B: 150, C: 20 },
        invalid: 10,
        source: 'cne 1',
      }),
    ];
    const r = reconcileActas({ collected: THREE, official });
    const mm = only(r, 'OFFICIAL_MISMATCH');
    expect(mm.mesa).toBe('m2');
    expect(mm.sources).toEqual(['csv row m2', 'official: cne 2']);
    // B: 250 collected, 260 official; valid 480 vs 490.
    expect(mm.figures).toEqual({
      'valid@official': 490,
      'valid@collected': 480,
      'votes.B@official': 260,
      'votes.B@collected': 250,
    });
    expect(only(r, 'OFFICIAL_ONLY').mesa).toBe('m4');
    expect(only(r, 'COLLECTED_ONLY').mesa).toBe('m3');
    expect(only(r, 'OFFICIAL_DUPLICATE_CONFLICT').sources).toEqual([
      'official: cne 5a',
      'official: cne 5b',
    ]);
    expect(r.official).toMatchObject({
      officialMesas: 4,
      officialDuplicates: 1,
      compared: 2,
      matching: 1,
      differing: 1,
      onlyOfficial: 1,
      onlyCollected: 1,
    });
    expect(r.official?.fields.find((f) => f.field === 'votes.B')).toEqual({
      field: 'votes.B',
      collected: 400,
      official: 410,
      difference: 10,
      mesasDiffering: 1,
    });
  });

  it('checks the official figures’ own arithmetic', () => {
    const r = reconcileActas({
      collected: [],
      official: [mesa('m1', { votes: { A: 3 }, valid: 4, source: 'cne' })],
    });
    expect(only(r, 'ACTA_SUM_MISMATCH').sources).toEqual(['official: cne']);
    expect(r.arithmetic).toMatchObject({ officialChecked: 1, officialFailing: 1 });
  });
});

describe('official bulletins', () => {
  it('a complete bulletin below what the actas prove, or above what is possible', () => {
    // Proven: A ≥ 600. Possible: B ≤ 450 + 200 uncovered = 650.
    const r = reconcileActas({
      collected: THREE,
      registeredTotal: 1700,
      officialTotals: [
        {
          label: 'bulletin',
          votes: new Map([
            ['A', 599],
            ['B', 651],
            ['C', 60],
          ]),
          valid: 1300,
        },
      ],
    });
    const below = only(r, 'OFFICIAL_BELOW_PROVEN');
    expect(below.sources).toEqual(['bulletin']);
    expect(below.figures).toEqual({
      official: 599,
      collected: 600,
      provenMin: 600,
      possibleMax: 800,
    });
    expect(only(r, 'OFFICIAL_ABOVE_POSSIBLE').figures).toEqual({
      official: 651,
      collected: 450,
      provenMin: 450,
      possibleMax: 650,
    });
    const rows = r.bulletins[0]?.rows ?? [];
    expect(rows.map((x) => [x.key, x.verdict, x.difference])).toEqual([
      ['A', 'below-proven', -1],
      ['B', 'above-possible', 201],
      ['C', 'possible', 10],
      ['valid', 'possible', 200],
    ]);
  });

  it('a partial bulletin may leave out the collected mesas where a candidate did best', () => {
    // A's collected mesas: 300, 200, 100 (600). 10 mesas in all, coverage 0.8:
    // up to ⌈0.2 × 10⌉ = 2 left out, at worst the 300 and the 200: A ≥ 100.
    const make = (a: number) =>
      reconcileActas({
        collected: THREE,
        mesasTotal: 10,
        officialTotals: [{ label: 'b1', coverage: 0.8, votes: new Map([['A', a]]) }],
      });
    expect(make(99).bulletins[0]?.rows[0]).toMatchObject({
      provenMin: 100,
      verdict: 'below-proven',
    });
    expect(codes(make(99))).toContain('OFFICIAL_BELOW_PROVEN');
    expect(make(100).bulletins[0]?.rows[0]?.verdict).toBe('possible');
    // Without the mesa total a partial bulletin proves no lower bound.
    const r = reconcileActas({
      collected: THREE,
      officialTotals: [{ label: 'b1', coverage: 0.8, votes: new Map([['A', 1]]) }],
    });
    expect(r.bulletins[0]?.rows[0]).toMatchObject({ provenMin: null, verdict: 'unknown' });
  });

  it('checks printed percentages against the counts, to the precision printed', () => {
    // 512 / 1000 = 51.20% (printed 51.20: fine); 442 / 1000 = 44.2% (printed 44.3: off).
    const r = reconcileActas({
      collected: THREE,
      officialTotals: [
        {
          label: 'b',
          votes: new Map([
            ['A', 512],
            ['B', 442],
          ]),
          valid: 1000,
          percentages: new Map([
            ['A', '51.20'],
            ['B', '44.3'],
          ]),
        },
      ],
    });
    const f = only(r, 'BULLETIN_SHARE_MISMATCH');
    expect(f.figures).toMatchObject({ votes: 442, valid: 1000, printedPercent: 44.3 });
    expect(f.figures['exactPercent']).toBeCloseTo(44.2, 10);
  });

  it('without valid votes, finds that no total makes every percentage round right', () => {
    // 500 at 50.0% needs a total in [999.0, 1001.0]; 500 at 40.0% needs [1248.4, 1251.6].
    const r = reconcileActas({
      collected: THREE,
      officialTotals: [
        {
          label: 'b',
          votes: new Map([
            ['A', 500],
            ['B', 500],
          ]),
          percentages: new Map([
            ['A', '50.0'],
            ['B', '40.0'],
          ]),
        },
      ],
    });
    expect(codes(r)).toContain('BULLETIN_SHARES_INCONSISTENT');
  });

  it('the first 2024 CNE bulletin: both printed percentages imply the same valid-vote total', () => {
    // BRIEF.md: Maduro 5,150,092 (51.20%), González 4,445,978 (44.2%).
    // 5,150,092 / 0.512 = 10,058,773.4375; 4,445,978 / 0.442 = 10,058,773.7557.
    const r = reconcileActas({
      collected: THREE,
      officialTotals: [
        {
          label: 'CNE bulletin 1',
          votes: new Map([
            ['NM', 5150092],
            ['EG', 4445978],
          ]),
          percentages: new Map([
            ['NM', '51.20'],
            ['EG', '44.2'],
          ]),
        },
      ],
    });
    expect(codes(r)).not.toContain('BULLETIN_SHARES_INCONSISTENT');
    const rows = r.bulletins[0]?.rows ?? [];
    expect(rows[0]?.impliedValid).toBeCloseTo(10058773.4375, 3);
    expect(rows[1]?.impliedValid).toBeCloseTo(10058773.7557, 3);
    // 51.195%..51.205% of the total: 5,150,092 / 0.51205 .. / 0.51195.
    const range = r.bulletins[0]?.impliedValidRange;
    expect(range?.[0]).toBe(Math.ceil(5150092 / 0.51205));
    expect(range?.[1]).toBe(Math.floor(5150092 / 0.51195));
    expect(codes(r)).toContain('BULLETIN_UNKNOWN_CANDIDATE');
  });

  it('the bulletin’s own arithmetic, decreases between bulletins, and bad figures', () => {
    const r = reconcileActas({
      collected: THREE,
      registeredTotal: 1700,
      officialTotals: [
        { label: 'late', coverage: 0.9, votes: new Map([['A', 390]]) },
        { label: 'early', coverage: 0.5, votes: new Map([['A', 400]]) },
        {
          label: 'big',
          votes: new Map([
            ['A', 600],
            ['B', 500],
          ]),
          valid: 1000,
          invalid: 800,
        },
        {
          label: 'bad',
          coverage: 1.5,
          votes: new Map([['A', -5]]),
          percentages: new Map([['A', 'abc']]),
        },
      ],
    });
    expect(only(r, 'BULLETIN_DECREASE').sources).toEqual(['early', 'late']);
    expect(only(r, 'BULLETIN_VOTES_ABOVE_VALID').figures).toEqual({ listed: 1100, valid: 1000 });
    expect(only(r, 'BULLETIN_ABOVE_REGISTERED').figures).toEqual({
      votes: 1800,
      registeredTotal: 1700,
    });
    expect(r.findings.filter((f) => f.code === 'BULLETIN_BAD_FIGURE')).toHaveLength(3);
  });
});
