/**
 * The audit section of the benchmark (issue #6; docs/performance.md,
 * "Drawing audit samples"): how long drawing a 200-ballot sample (with
 * replacement, as Arlo draws) takes from manifests of 1, 6 and 20 million
 * ballots in batches of 500, and the process's peak memory after each — the
 * sampler streams the manifest and keeps only the sample, so memory must stay
 * flat while time grows with the ballots (one SHA-256 per ballot).
 */
import { drawArloSample, type ManifestBatch } from '@acta/audit';
import type { BoardRow } from './board-bench.js';

/** Manifest sizes of a run (ballots). */
export interface AuditPlan {
  readonly ballots: readonly number[];
  readonly sampleSize: number;
}

/** The sizes, or a tiny one for --quick. */
export function auditPlanFor(quick: boolean): AuditPlan {
  return quick
    ? { ballots: [10_000], sampleSize: 200 }
    : { ballots: [1_000_000, 6_000_000, 20_000_000], sampleSize: 200 };
}

const BATCH = 500;

function manifestOf(ballots: number): ManifestBatch[] {
  const out: ManifestBatch[] = [];
  for (let i = 0; i * BATCH < ballots; i++) {
    out.push({ batch: `pct ${i}`, ballots: Math.min(BATCH, ballots - i * BATCH) });
  }
  return out;
}

/** Runs the section; `onRow` is called as each figure is measured. */
export function runAuditBench(plan: AuditPlan, onRow: (row: BoardRow) => void): BoardRow[] {
  const rows: BoardRow[] = [];
  for (const ballots of plan.ballots) {
    const manifest = manifestOf(ballots);
    const started = performance.now();
    const sample = drawArloSample(manifest, {
      seed: '01234567890123456789',
      sampleSize: plan.sampleSize,
    });
    const seconds = (performance.now() - started) / 1000;
    if (sample.length !== plan.sampleSize) throw new Error('the sample has the wrong size');
    const n = ballots.toLocaleString('en-US');
    for (const row of [
      {
        key: `audit_sample_${ballots}_ballots_s`,
        label: `draw a ${plan.sampleSize}-ballot sample from ${n} ballots (Arlo's sampler, one thread)`,
        value: seconds,
        unit: 's',
      },
      {
        key: `audit_sample_${ballots}_ballots_peak_rss_mib`,
        label: `  peak memory of the process so far`,
        value: process.resourceUsage().maxRSS / 1024,
        unit: 'MiB',
      },
    ]) {
      rows.push(row);
      onRow(row);
    }
  }
  return rows;
}
