// The benchmark's measuring functions in quick mode, in-process: the report
// must carry every figure as a positive finite number, in the text and JSON
// forms, the parallel section included. No timing is asserted: figures depend
// on the machine.
import { availableParallelism } from 'node:os';
import { getCryptoBackend } from '@acta/crypto';
import { describe, expect, it } from 'vitest';
import { runBench, type BenchReport } from '../src/bench.js';
import {
  ALL_FIGURE_KEYS,
  DERIVED_KEYS,
  MEASURED_FIGURES,
  SECTIONS,
  deriveFigures,
  type MeasuredKey,
} from '../src/figures.js';
import { measure } from '../src/measure.js';
import { PARALLEL_BALLOTS_QUICK, PARALLEL_CONFIGS } from '../src/parallel-rows.js';
import { formatJson, formatParallelRow, formatRow, formatSummary } from '../src/report.js';

function isPositiveFinite(x: unknown): boolean {
  return typeof x === 'number' && Number.isFinite(x) && x > 0;
}

describe('runBench (quick)', () => {
  const sections: string[] = [];
  const rowKeys: string[] = [];
  const parallelIds: string[] = [];
  let report: Promise<BenchReport> | undefined;
  const getReport = (): Promise<BenchReport> => {
    report ??= runBench({
      quick: true,
      onSection: (s) => sections.push(s),
      onRow: (r) => rowKeys.push(r.key),
      onParallelRow: (r) => parallelIds.push(r.id),
    });
    return report;
  };

  it('reports every figure as a positive finite number', { timeout: 180_000 }, async () => {
    const r = await getReport();
    expect(r.mode).toBe('quick');
    expect(Object.keys(r.figures).sort()).toEqual([...ALL_FIGURE_KEYS].sort());
    for (const key of ALL_FIGURE_KEYS) {
      expect(isPositiveFinite(r.figures[key]), key).toBe(true);
    }
    expect(r.rows.map((row) => row.key)).toEqual(MEASURED_FIGURES.map((f) => f.key));
    expect(r.derived.map((d) => d.key)).toEqual([...DERIVED_KEYS]);
    for (const row of r.rows) {
      expect(row.calls, row.key).toBeGreaterThanOrEqual(1);
      expect(isPositiveFinite(row.perSecond), row.key).toBe(true);
    }
    expect(isPositiveFinite(r.seconds)).toBe(true);
  });

  it('reports progress: every section once, in order, and every row', async () => {
    await getReport();
    expect(sections).toEqual(Object.values(SECTIONS));
    expect(rowKeys).toEqual(MEASURED_FIGURES.map((f) => f.key));
    expect(parallelIds).toEqual(PARALLEL_CONFIGS.map((c) => c.id));
  });

  it('verifies ballots in the calling thread, on one worker and on every core', async () => {
    const { parallel, figures } = await getReport();
    expect(parallel.backend).toBe(getCryptoBackend().name);
    expect(parallel.rows.map((row) => [row.workers, row.ballots])).toEqual([
      [0, PARALLEL_BALLOTS_QUICK],
      [1, PARALLEL_BALLOTS_QUICK],
      [availableParallelism(), PARALLEL_BALLOTS_QUICK],
    ]);
    for (const row of parallel.rows) {
      expect(row.selectionProofsPerSecond).toBeCloseTo(row.ballotsPerSecond * 38, 6);
      expect(formatParallelRow(row)).toContain(row.label);
    }
    expect(figures.parallel_verify_ballots).toBe(PARALLEL_BALLOTS_QUICK);
    expect(figures.parallel_verify_all_cores_workers).toBe(availableParallelism());
    expect(figures.parallel_verify_ballots_per_s_1_worker).toBe(parallel.rows[1]!.ballotsPerSecond);
  });

  it('prints one JSON object with every figure and the machine', async () => {
    const parsed = JSON.parse(formatJson(await getReport())) as Record<string, unknown>;
    for (const key of ALL_FIGURE_KEYS) expect(isPositiveFinite(parsed[key]), key).toBe(true);
    expect(parsed.mode).toBe('quick');
    const machine = parsed.machine as Record<string, unknown>;
    expect(typeof machine.cpu).toBe('string');
    expect(isPositiveFinite(machine.cores)).toBe(true);
    expect(machine.node).toBe(process.version);
  });

  it('prints a line per row and a summary naming the modulus', async () => {
    const r = await getReport();
    for (const row of r.rows) expect(formatRow(row)).toContain(row.label);
    const summary = formatSummary(r);
    expect(summary).toContain('RFC 3526 group 16');
    for (const d of r.derived) expect(summary).toContain(d.label);
  });
});

describe('deriveFigures', () => {
  it('derives the comparison and national-scale figures from the measured ones', () => {
    const measured = Object.fromEntries(MEASURED_FIGURES.map((f) => [f.key, 1])) as Record<
      MeasuredKey,
      number
    >;
    measured.modpow4096_openssl_us = 1000;
    measured.modpow4096_bigint_us = 5000;
    measured.selection_verify_us = 2000;
    measured.selection_batch380_us_per_proof = 500;
    measured.ballot38_batch10_ms_per_ballot = 36;
    measured.ballot38_verify_one_by_one_ms = 180;
    const d = Object.fromEntries(deriveFigures(measured).map((f) => [f.key, f.value]));
    expect(d.selection_batch_proofs_per_s).toBe(2000);
    expect(d.eg_selection_verify_openssl_ms).toBe(10);
    expect(d.eg_selection_verify_bigint_ms).toBe(50);
    expect(d.eg_openssl_vs_acta_selection_verify_ratio).toBe(5);
    expect(d.eg_openssl_vs_acta_batched_selection_ratio).toBe(20);
    expect(d.ve2024_selection_proofs).toBe(12_400_000 * 38);
    // 12.4 M ballots × 36 ms = 446,400 s = 124 h.
    expect(d.ve2024_verify_batched_core_hours).toBeCloseTo(124, 9);
    expect(d.ve2024_verify_one_by_one_core_hours).toBeCloseTo(620, 9);
  });
});

describe('measure', () => {
  it('times at least the minimum number of samples and calls', () => {
    let calls = 0;
    const m = measure(
      () => {
        calls++;
        return calls;
      },
      { minTimeMs: 5, minSamples: 3, warmupMs: 0 },
    );
    expect(m.samples).toBeGreaterThanOrEqual(3);
    expect(m.calls).toBeGreaterThanOrEqual(3);
    // Warm-up calls are not counted as timed calls.
    expect(calls).toBeGreaterThan(m.calls);
    expect(isPositiveFinite(m.usPerCall)).toBe(true);
    expect(m.spread).toBeGreaterThanOrEqual(0);
  });

  it('without warm-up, counts a first call that fills a whole sample', () => {
    let calls = 0;
    const busy = (): number => {
      calls++;
      const until = performance.now() + 3;
      while (performance.now() < until);
      return calls;
    };
    const m = measure(busy, { minTimeMs: 10, minSamples: 1, warmupMs: 0 });
    expect(m.calls).toBe(calls);
    expect(m.usPerCall).toBeGreaterThanOrEqual(3000);
  });
});
