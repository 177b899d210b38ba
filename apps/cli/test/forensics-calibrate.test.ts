// `acta forensics calibrate` (issue #7, item 4) on a tiny seeded run: the JSON
// has one row per test and one cell per scenario at each heterogeneity level,
// every rate is a share of the elections run inside its Wilson interval, and
// the Klimek fit flags ballot stuffing in 20% of mesas more often than the
// honest elections (a planted effect the fit is built to see: half the
// non-voters of a fifth of the mesas turned into leader votes). A wrong call
// exits 2.
import { describe, expect, it } from 'vitest';
import { captureOutput } from './capture-output.js';
import { runCli } from '../src/index.js';
import {
  CALIBRATION_SCENARIOS,
  CALIBRATION_TESTS,
  HETEROGENEITY_LEVELS,
  formatCalibrationCell,
} from '../src/forensics-calibrate.js';

const output = captureOutput();
const calibrate = (...args: string[]): Promise<number> =>
  runCli(['node', 'acta', 'forensics', 'calibrate', ...args]);

interface Cell {
  flagged: number;
  elections: number;
  rate: number;
  low: number;
  high: number;
}
interface Doc {
  elections: number;
  mesas: number;
  scenarios: { id: string }[];
  levels: { level: string; rows: { test: string; cells: Record<string, Cell> }[] }[];
}

const ELECTIONS = 3;

describe('acta forensics calibrate', () => {
  it('prints a table per level with a rate and Wilson interval per test and scenario', async () => {
    const code = await calibrate(
      '--elections',
      String(ELECTIONS),
      '--mesas',
      '600',
      '--draws',
      '100',
      '--klimek-draws',
      '20',
      '--seed',
      'calibrate-test',
      '--json',
    );
    expect(output.err()).not.toContain('acta:');
    expect(code).toBe(0);
    const doc = JSON.parse(output.out()) as Doc;
    expect(doc.elections).toBe(ELECTIONS);
    expect(doc.mesas).toBe(600);
    const scenarioIds = CALIBRATION_SCENARIOS.map((s) => s.id);
    expect(doc.scenarios.map((s) => s.id)).toEqual(scenarioIds);
    expect(scenarioIds).toEqual([
      'none',
      'stuffing-10',
      'stuffing-20',
      'spread-votes',
      'altered-10',
      'turnout-inflation',
    ]);
    expect(doc.levels.map((l) => l.level)).toEqual(['mild', 'default']);
    for (const level of doc.levels) {
      expect(level.rows.map((r) => r.test)).toEqual(CALIBRATION_TESTS.map((t) => t.id));
      for (const row of level.rows) {
        expect(Object.keys(row.cells)).toEqual(scenarioIds);
        for (const cell of Object.values(row.cells)) {
          expect(cell.elections).toBe(ELECTIONS);
          expect(Number.isInteger(cell.flagged)).toBe(true);
          expect(cell.rate).toBeCloseTo(cell.flagged / ELECTIONS, 12);
          expect(cell.rate).toBeGreaterThanOrEqual(0);
          expect(cell.rate).toBeLessThanOrEqual(1);
          expect(cell.low).toBeGreaterThanOrEqual(0);
          expect(cell.low).toBeLessThanOrEqual(cell.rate);
          expect(cell.high).toBeGreaterThanOrEqual(cell.rate);
          expect(cell.high).toBeLessThanOrEqual(1);
        }
      }
      // "Any test" flags whenever one test does.
      const any = level.rows.find((r) => r.test === 'any')!;
      for (const id of scenarioIds) {
        const others = level.rows.filter((r) => r.test !== 'any').map((r) => r.cells[id]!.flagged);
        expect(any.cells[id]!.flagged).toBeGreaterThanOrEqual(Math.max(...others));
        expect(any.cells[id]!.flagged).toBeLessThanOrEqual(others.reduce((a, b) => a + b, 0));
      }
    }
    // The planted effect: stuffing in 20% of mesas, under mild heterogeneity
    // (the model's own fair election is one blob), flagged by the Klimek fit
    // in more elections than the honest ones.
    const mild = doc.levels.find((l) => l.level === 'mild')!;
    const klimek = mild.rows.find((r) => r.test === 'klimek')!;
    expect(klimek.cells['stuffing-20']!.flagged).toBeGreaterThan(klimek.cells.none!.flagged);
    expect(klimek.cells['stuffing-20']!.flagged).toBe(ELECTIONS);
    // Progress went to stderr, one step per level.
    for (const l of HETEROGENEITY_LEVELS) expect(output.err()).toContain(`${l.id}: elections`);
  }, 120_000);

  it('prints the tables as text, one per level asked for', async () => {
    const code = await calibrate(
      '--elections',
      '1',
      '--mesas',
      '200',
      '--draws',
      '20',
      '--klimek-draws',
      '5',
      '--levels',
      'mild',
    );
    expect(code).toBe(0);
    const text = output.out();
    expect(text).toContain('mild heterogeneity');
    expect(text).not.toContain('default heterogeneity');
    for (const s of CALIBRATION_SCENARIOS) expect(text).toContain(s.label);
    for (const t of CALIBRATION_TESTS) expect(text).toContain(t.label);
    // 20 draws cannot reach the peak test's 1% level, and the report says so.
    expect(text).toContain('the integer-peak test cannot flag');
    expect(text).toContain('Reproduce: acta forensics calibrate --elections 1 --mesas 200');
  }, 60_000);

  it('formats a cell as a rate with its interval', () => {
    expect(
      formatCalibrationCell({ flagged: 1, elections: 4, rate: 0.25, low: 0.046, high: 0.699 }),
    ).toBe('25% (5–70)');
  });

  it('exits 2 on a wrong call', async () => {
    expect(await calibrate('--mesas', '50')).toBe(2);
    expect(output.err()).toContain('--mesas must be at least 100');
    expect(await calibrate('--levels', 'wild')).toBe(2);
    expect(output.err()).toContain('--levels takes');
    expect(await calibrate('--elections', 'x')).toBe(2);
  });
});
