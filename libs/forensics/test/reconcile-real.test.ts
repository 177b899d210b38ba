/**
 * Reconciliation at national scale (issue #7, item 2): the 2024 Venezuelan
 * opposition actas against the CNE's bulletins (BRIEF.md), and a synthetic
 * 30,000-acta election timed (the issue wants under a second; the figure is
 * printed, not asserted).
 *
 * The expected Venezuelan figures are not the code's output: the registered
 * voters (17,745,239) are BRIEF.md's; the candidate totals were summed from the
 * CSV by an independent Python script (csv.DictReader, plain integer sums):
 * EG 7,156,462, NM 3,241,461 over 24,532 actas, none failing its arithmetic.
 * The CSV is read here with csv-parse directly so that this test does not
 * depend on the importers (written separately).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { MesaResult } from '../src/mesa-result.js';
import { reconcileActas } from '../src/reconcile.js';
import type { CollectedActa, OfficialTotals } from '../src/reconcile-types.js';

const DATA = new URL('../../../../shared/data/', import.meta.url);
const VE = new URL('ve2024-actas-v1.csv', DATA);
const veExists = existsSync(VE);
const CANDIDATES = ['EG', 'NM', 'LM', 'JABE', 'JOBR', 'AE', 'CF', 'DC', 'EM', 'BERA'] as const;

function loadVe(): CollectedActa[] {
  const rows: Record<string, string>[] = parse(readFileSync(VE), { columns: true, bom: true });
  return rows.map((row, i) => {
    const n = (k: string): number => Number(row[k]);
    const id = `${(row['CENTRO'] ?? '').padStart(9, '0')}.${(row['MESA'] ?? '').padStart(2, '0')}`;
    const result: MesaResult = {
      id,
      region: [row['EDO'] ?? '', row['MUN'] ?? '', row['PAR'] ?? ''],
      registered: n('RE'),
      voters: null,
      valid: n('VOTOS_VALIDOS'),
      invalid: n('VOTOS_NULOS'),
      blank: null,
      votes: new Map(CANDIDATES.map((c) => [c, n(c)])),
      source: `ve2024-actas-v1.csv row ${i + 2}`,
    };
    return { result, signature: 'unsigned' };
  });
}

/** The CNE's bulletins as BRIEF.md gives them; coverage the lower end of the printed figure. */
const BULLETINS: readonly OfficialTotals[] = [
  {
    label: 'CNE bulletin 1 (about 80%)',
    coverage: 0.795,
    votes: new Map([
      ['NM', 5150092],
      ['EG', 4445978],
    ]),
    percentages: new Map([
      ['NM', '51.20'],
      ['EG', '44.2'],
    ]),
  },
  {
    label: 'CNE bulletin 2 (96.87%)',
    coverage: 0.96865,
    votes: new Map([
      ['NM', 6408844],
      ['EG', 5326104],
    ]),
    valid: 12335884,
    invalid: 50785,
  },
];

describe.skipIf(!veExists)(
  'Venezuela 2024 (skipped: ../shared/data/ve2024-actas-v1.csv absent)',
  () => {
    it('coverage, totals, the worst case and the bulletins', () => {
      const collected = loadVe();
      const r = reconcileActas({
        collected,
        registeredTotal: 21392464,
        mesasTotal: 30026,
        officialTotals: BULLETINS,
        candidateNames: new Map([
          ['EG', 'González'],
          ['NM', 'Maduro'],
        ]),
      });
      expect(r.merge).toMatchObject({ copies: 24532, mesas: 24532, duplicates: 0 });
      expect(r.arithmetic.failing).toBe(0);
      expect(r.coverage.mesasCounted).toBe(24532);
      expect(r.coverage.registeredCollected).toBe(17745239);
      expect(r.coverage.registeredCounted).toBe(17745239);
      expect(r.totals.candidates.slice(0, 2).map((c) => [c.key, c.votes])).toEqual([
        ['EG', 7156462],
        ['NM', 3241461],
      ]);
      // Uncovered: 21,392,464 − 17,745,239 = 3,647,225. Margin 7,156,462 − 3,241,461
      // = 3,915,001 > 3,647,225: González leads even if every uncovered voter voted for Maduro.
      expect(r.worstCase.leader).toBe('EG');
      expect(r.worstCase.uncovered).toBe(3647225);
      expect(r.worstCase.contests[0]).toMatchObject({
        challenger: 'NM',
        margin: 3915001,
        leaderStillLeads: true,
        flipTurnout: null,
      });
      expect(r.worstCase.contests[0]?.marginOverUncovered).toBeCloseTo(3915001 / 3647225, 12);
      expect(r.worstCase.leaderStillLeads).toBe(true);
      // Bulletin 2 gives González 5,326,104, below the 7,156,462 of the collected
      // actas even after removing his best ⌈0.03135 × 30,026⌉ = 942 mesas.
      const b2 = r.findings.filter(
        (f) => f.code === 'OFFICIAL_BELOW_PROVEN' && f.sources[0] === 'CNE bulletin 2 (96.87%)',
      );
      expect(b2.map((f) => f.figures['official'])).toContain(5326104);
      // Lower bounds checked by the Python script (sorted EG column, largest m removed):
      // bulletin 2, m = 942: 6,695,901; bulletin 1 at coverage 0.795, m = 6,156: 4,585,460.
      const eg = (i: number) => r.bulletins[i]?.rows.find((x) => x.key === 'EG');
      expect(eg(1)).toMatchObject({ provenMin: 6695901, verdict: 'below-proven' });
      expect(eg(0)).toMatchObject({ provenMin: 4585460, verdict: 'below-proven' });
      const summary = r.bulletins.map((b) => ({
        label: b.label,
        rows: b.rows.map(
          (x) => `${x.key} ${x.official} [${x.provenMin}, ${x.possibleMax}] ${x.verdict}`,
        ),
        impliedValidRange: b.impliedValidRange,
      }));
      console.info(
        JSON.stringify({ coverage: r.coverage, worstCase: r.worstCase, summary }, null, 1),
      );
    });
  },
);

/** mulberry32: a small seeded generator for the synthetic election. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('30,000 synthetic actas', () => {
  it('merges, counts and bounds them; the time is printed', () => {
    const rand = mulberry32(30026);
    const keys = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9'];
    const collected: CollectedActa[] = [];
    const official: MesaResult[] = [];
    const planted = new Map(keys.map((k) => [k, 0]));
    let registeredSum = 0;
    for (let i = 0; i < 30000; i++) {
      const registered = 200 + Math.floor(rand() * 400);
      const votes = new Map<string, number>();
      let left = Math.floor(registered * (0.5 + 0.3 * rand()));
      let valid = 0;
      for (const k of keys) {
        const v = Math.floor(left * rand() * 0.6);
        left -= v;
        valid += v;
        votes.set(k, v);
      }
      const id = `${String(i).padStart(9, '0')}.01`;
      const result: MesaResult = {
        id,
        region: [],
        registered,
        voters: valid + 3,
        valid,
        invalid: 3,
        blank: 0,
        votes,
        source: `synthetic row ${i}`,
      };
      collected.push({ result, signature: i % 3 === 0 ? 'verified' : 'unsigned' });
      official.push({ ...result, source: `official ${i}` });
      // Mesas 0..99 get a second, disagreeing unsigned copy (of a verified or
      // unsigned acta); mesas 100..1099 a second identical copy.
      if (i < 100) {
        const changed = new Map(votes);
        changed.set('c0', (votes.get('c0') ?? 0) + 1);
        collected.push({
          result: {
            ...result,
            valid: valid + 1,
            voters: valid + 4,
            votes: changed,
            source: `photo ${i}`,
          },
          signature: 'unsigned',
        });
      } else if (i < 1100) {
        collected.push({ result: { ...result, source: `photo ${i}` }, signature: 'unsigned' });
      }
      // Planted totals: every mesa except the unresolved conflicts (i < 100, i % 3 ≠ 0).
      if (i >= 100 || i % 3 === 0) {
        for (const k of keys) planted.set(k, (planted.get(k) ?? 0) + (votes.get(k) ?? 0));
        registeredSum += registered;
      }
    }
    const t0 = performance.now();
    const r = reconcileActas({
      collected,
      official,
      registeredTotal: 13_000_000,
      mesasTotal: 31_000,
      officialTotals: BULLETINS,
    });
    const ms = performance.now() - t0;
    console.info(
      `reconcileActas: ${collected.length} copies of 30,000 actas, 30,000 official mesas, 2 bulletins: ${ms.toFixed(0)} ms`,
    );
    // 34 of mesas 0..99 have i % 3 = 0 (verified): resolved; 66 unresolved.
    expect(r.merge).toMatchObject({
      duplicates: 1000,
      conflictsResolved: 34,
      conflictsUnresolved: 66,
    });
    expect(r.coverage.mesasCounted).toBe(30000 - 66);
    expect(r.coverage.registeredCounted).toBe(registeredSum);
    for (const c of r.totals.candidates) expect(c.votes).toBe(planted.get(c.key));
    expect(r.official).toMatchObject({ compared: 30000 - 66, differing: 0, collectedUnusable: 66 });
  });
});
