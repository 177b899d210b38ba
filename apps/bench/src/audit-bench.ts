/**
 * The audit section of the benchmark (issue #6; docs/performance.md,
 * "Drawing audit samples"): how long drawing a 200-ballot sample (with
 * replacement, as Arlo draws) takes from manifests of 1, 6 and 20 million
 * ballots in batches of 500 — on one thread (drawArloSample) and on worker
 * threads, one per core (drawArloSampleParallel) — and the process's peak
 * memory after each. The sampler streams the manifest and keeps only the
 * sample (per worker), so memory must stay flat while time grows with the
 * ballots (one SHA-256 compression per ballot). The two samples are compared:
 * a benchmark whose parallel draw differs from the sequential one is a bug.
 * Then the sample-size computations for a close contest (BRAVO and Minerva,
 * first round, risk limit 5%): 2,510,000 to 2,490,000 of 5 million ballots
 * (the quick run: of 50,000).
 */
import { availableParallelism } from 'node:os';
import {
  computeBravoSampleSizes,
  computeMinervaSampleSizes,
  createContest,
  drawArloSample,
  drawArloSampleParallel,
  type ArloSampledBallot,
  type ManifestBatch,
} from '@acta/audit';
import type { BoardRow } from './board-bench.js';

/** Manifest sizes of a run (ballots). */
export interface AuditPlan {
  readonly ballots: readonly number[];
  readonly sampleSize: number;
  /** Ballots of the close contest whose sample sizes are computed. */
  readonly contestBallots: number;
}

/** The sizes, or a tiny one for --quick. */
export function auditPlanFor(quick: boolean): AuditPlan {
  return quick
    ? { ballots: [10_000], sampleSize: 200, contestBallots: 50_000 }
    : { ballots: [1_000_000, 6_000_000, 20_000_000], sampleSize: 200, contestBallots: 5_000_000 };
}

const BATCH = 500;
const SEED = '01234567890123456789';

function manifestOf(ballots: number): ManifestBatch[] {
  const out: ManifestBatch[] = [];
  for (let i = 0; i * BATCH < ballots; i++) {
    out.push({ batch: `pct ${i}`, ballots: Math.min(BATCH, ballots - i * BATCH) });
  }
  return out;
}

async function timed(
  draw: () => ArloSampledBallot[] | Promise<ArloSampledBallot[]>,
): Promise<{ sample: ArloSampledBallot[]; seconds: number }> {
  const started = performance.now();
  const sample = await draw();
  return { sample, seconds: (performance.now() - started) / 1000 };
}

/** Runs the section; `onRow` is called as each figure is measured. */
export async function runAuditBench(
  plan: AuditPlan,
  onRow: (row: BoardRow) => void,
): Promise<BoardRow[]> {
  const rows: BoardRow[] = [];
  const emit = (row: BoardRow): void => {
    rows.push(row);
    onRow(row);
  };
  const peak = (key: string): BoardRow => ({
    key,
    label: `  peak memory of the process so far`,
    value: process.resourceUsage().maxRSS / 1024,
    unit: 'MiB',
  });
  const workers = availableParallelism();
  for (const ballots of plan.ballots) {
    const manifest = manifestOf(ballots);
    const options = { seed: SEED, sampleSize: plan.sampleSize };
    const n = ballots.toLocaleString('en-US');
    const one = await timed(() => drawArloSample(manifest, options));
    if (one.sample.length !== plan.sampleSize) throw new Error('the sample has the wrong size');
    emit({
      key: `audit_sample_${ballots}_ballots_s`,
      label: `draw a ${plan.sampleSize}-ballot sample from ${n} ballots (Arlo's sampler, one thread)`,
      value: one.seconds,
      unit: 's',
    });
    emit(peak(`audit_sample_${ballots}_ballots_peak_rss_mib`));
    const all = await timed(() => drawArloSampleParallel(manifest, { ...options, workers }));
    if (JSON.stringify(all.sample) !== JSON.stringify(one.sample)) {
      throw new Error('the parallel sample differs from the sequential one');
    }
    emit({
      key: `audit_sample_${ballots}_ballots_parallel_s`,
      label: `  the same on ${workers} worker threads (one per core)`,
      value: all.seconds,
      unit: 's',
    });
    emit(peak(`audit_sample_${ballots}_ballots_parallel_peak_rss_mib`));
  }
  // A close contest: the winner 50.2%, the loser 49.8% of the ballots.
  const n = plan.contestBallots;
  const contest = createContest({
    name: 'close',
    candidates: [
      { name: 'winner', votes: n * 0.502 },
      { name: 'loser', votes: n * 0.498 },
    ],
    ballots: n,
    numWinners: 1,
    votesAllowed: 1,
  });
  if (!contest.ok) throw new Error('the benchmark contest is refused');
  for (const [method, compute] of [
    ['bravo', computeBravoSampleSizes],
    ['minerva', computeMinervaSampleSizes],
  ] as const) {
    const started = performance.now();
    const options = compute(contest.value, 0.05, []);
    const ms = performance.now() - started;
    const ninety = options['0.9']?.size ?? options['all-ballots']?.size;
    if (ninety === undefined) throw new Error(`${method} offered no sample size`);
    emit({
      key: `audit_${method}_sample_sizes_${n}_ballots_ms`,
      label: `${method === 'bravo' ? 'BRAVO' : 'Minerva'} sample sizes, close contest of ${n.toLocaleString('en-US')} ballots (50.2/49.8%, risk limit 5%; 0.9 option: ${ninety.toLocaleString('en-US')})`,
      value: ms,
      unit: 'ms',
    });
  }
  return rows;
}
