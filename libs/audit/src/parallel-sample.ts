/**
 * Ballot samples as Arlo draws them (arlo-sample.ts; VotingWorks Arlo,
 * server/audit_math/sampler.py `draw_sample`), on every core (issue #6: a
 * sample from 20 million ballots in seconds). The manifest's ballots are cut
 * into contiguous slices, one per worker thread; each worker keeps the
 * `alreadyDrawn + sampleSize` smallest first tickets of its slice
 * (selectArloFirstTickets), and this thread merges them and runs the draws
 * (drawFromFirstTickets). The smallest tickets of the whole manifest are among
 * the slices' smallest, and every draw, with or without replacement, takes
 * the smallest ticket left, so the sample is the one drawArloSample draws —
 * bit for bit, which the tests check. A worker is sent only the batches of
 * its slice and keeps only its smallest tickets, so memory stays bounded by
 * the sample per worker, plus the worker threads themselves (about 15 MiB
 * each). Measured on a 2-core AMD EPYC: 20 million ballots in 3.7 s on two
 * workers, 6.7 s on one thread (docs/performance.md).
 *
 * The worker runs compiled code only (sample-worker.ts, as dist/), found the
 * way @acta/crypto-parallel finds its own (pool.ts, WORKER_URL).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  countManifestBallots,
  drawArloSample,
  selectArloFirstTickets,
  toDrawOptions,
  toSampledBallots,
  type ArloSampleOptions,
  type ArloSampledBallot,
  type BallotRef,
  type ManifestBatch,
} from './arlo-sample.js';
import {
  countWantedTickets,
  drawFromFirstTickets,
  type FirstTicket,
} from './consistent-sampler.js';

/**
 * The compiled worker. This module's source (src/, which vitest runs) and its
 * build (dist/) both sit one level below the package root, so the URL names
 * libs/audit/dist/sample-worker.js from either: a worker thread cannot run
 * TypeScript, so it always runs what `tsc -b` built (`npm test` builds first).
 */
export const SAMPLE_WORKER_URL: URL = new URL('../dist/sample-worker.js', import.meta.url);

/** The most worker threads a draw may use (far above any core count; a typo guard). */
export const MAX_SAMPLE_WORKERS = 1024;

/** How to draw in parallel. */
export interface ParallelArloSampleOptions extends ArloSampleOptions {
  /**
   * Worker threads; 0 draws in the calling thread. Default: one per core
   * (os.availableParallelism()), fewer for manifests too small to gain from
   * them, none below BALLOTS_PER_WORKER_AT_LEAST ballots.
   */
  readonly workers?: number;
}

/** What a worker is given (its workerData). */
export interface SampleSliceJob {
  /** The batches the slice touches (not the whole manifest: each worker gets a copy). */
  readonly batches: readonly ManifestBatch[];
  /** Index in the manifest of the first of `batches`. */
  readonly firstBatch: number;
  readonly seed: string;
  readonly wanted: number;
  /** First ballot of the slice, counted from 0 across `batches`. */
  readonly from: number;
  /** One past the last ballot of the slice. */
  readonly to: number;
}

/** What a worker answers. */
export interface SampleSliceResult {
  readonly tickets: readonly FirstTicket<BallotRef>[];
}

/**
 * Draws as drawArloSample does, the ballots hashed on `workers` threads.
 * Rejects with a RangeError on a bad manifest or count (as drawArloSample
 * throws), with an Error if the worker is not built or a worker fails.
 */
export async function drawArloSampleParallel(
  manifest: readonly ManifestBatch[],
  options: ParallelArloSampleOptions,
): Promise<ArloSampledBallot[]> {
  return drawArloSampleWithWorker(SAMPLE_WORKER_URL, manifest, options);
}

/**
 * As drawArloSampleParallel, with another worker script (tests inject a
 * failing one). Not exported from the package.
 */
export async function drawArloSampleWithWorker(
  workerUrl: URL,
  manifest: readonly ManifestBatch[],
  options: ParallelArloSampleOptions,
): Promise<ArloSampledBallot[]> {
  const total = countManifestBallots(manifest);
  const workers = options.workers ?? defaultWorkers(total);
  if (!Number.isSafeInteger(workers) || workers < 0 || workers > MAX_SAMPLE_WORKERS) {
    throw new RangeError(
      `workers must be an integer in [0, ${MAX_SAMPLE_WORKERS}], got ${workers}`,
    );
  }
  const draw = toDrawOptions(options);
  const wanted = countWantedTickets(draw);
  if (wanted === 0 || total === 0) return [];
  if (workers === 0) return drawArloSample(manifest, options);
  if (workerUrl.protocol === 'file:' && !existsSync(fileURLToPath(workerUrl))) {
    throw new Error(
      `@acta/audit: the compiled sample worker ${fileURLToPath(workerUrl)} is missing; ` +
        'build first (`npx tsc -b`; `npm test` does)',
    );
  }
  const jobs = sliceJobs(manifest, splitBallots(total, workers), options.seed, wanted);
  const tickets = await runSliceJobs(workerUrl, jobs);
  return toSampledBallots(manifest, drawFromFirstTickets(tickets, draw));
}

/**
 * Ballots below which a worker is not worth starting: hashing 200,000 ballots
 * takes about 75 ms on one thread, starting a worker 25–50 ms (2-core AMD
 * EPYC, Node 20).
 */
export const BALLOTS_PER_WORKER_AT_LEAST = 200_000;

/** One worker per BALLOTS_PER_WORKER_AT_LEAST ballots, up to one per core; none for small manifests. */
function defaultWorkers(total: number): number {
  if (total < BALLOTS_PER_WORKER_AT_LEAST) return 0;
  return Math.min(availableParallelism(), Math.floor(total / BALLOTS_PER_WORKER_AT_LEAST));
}

/**
 * `total` ballots cut into at most `parts` contiguous, non-empty slices of
 * nearly equal size, as [from, to) pairs in manifest order.
 */
export function splitBallots(total: number, parts: number): [number, number][] {
  const n = Math.min(parts, total);
  const slices: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    slices.push([Math.floor((i * total) / n), Math.floor(((i + 1) * total) / n)]);
  }
  return slices;
}

/** The job of each slice: the batches it touches, and its ballots counted from the first of them. */
function sliceJobs(
  manifest: readonly ManifestBatch[],
  slices: readonly (readonly [number, number])[],
  seed: string,
  wanted: number,
): SampleSliceJob[] {
  const jobs: SampleSliceJob[] = [];
  let b = 0;
  let start = 0; // the first ballot of batch b
  for (const [from, to] of slices) {
    // Skip the batches that end before the slice (empty ones included).
    while (start + manifest[b]!.ballots <= from) start += manifest[b++]!.ballots;
    let end = b;
    let endStart = start;
    while (endStart + manifest[end]!.ballots < to) endStart += manifest[end++]!.ballots;
    jobs.push({
      batches: manifest.slice(b, end + 1),
      firstBatch: b,
      seed,
      wanted,
      from: from - start,
      to: to - start,
    });
  }
  return jobs;
}

/** The tickets of every slice, one worker per slice; the first failure stops them all. */
function runSliceJobs(
  workerUrl: URL,
  jobs: readonly SampleSliceJob[],
): Promise<FirstTicket<BallotRef>[]> {
  return new Promise((resolve, reject) => {
    const execArgv = workerExecArgv();
    const results: (readonly FirstTicket<BallotRef>[] | undefined)[] = jobs.map(() => undefined);
    const running: Worker[] = [];
    let pending = jobs.length;
    let failed = false;
    const fail = (e: Error): void => {
      if (failed) return;
      failed = true;
      for (const w of running) void w.terminate();
      reject(e);
    };
    jobs.forEach((job, index) => {
      let worker: Worker;
      try {
        worker = new Worker(workerUrl, { workerData: job, ...(execArgv ? { execArgv } : {}) });
      } catch (e: unknown) {
        fail(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      running.push(worker);
      worker.on('message', (m: SampleSliceResult) => {
        results[index] = m.tickets;
      });
      worker.on('error', (e: Error) => {
        fail(new Error(`@acta/audit: sample worker ${index} failed: ${e.message}`, { cause: e }));
      });
      worker.on('messageerror', (e: Error) => {
        fail(
          new Error(`@acta/audit: sample worker ${index} sent an unreadable message`, { cause: e }),
        );
      });
      worker.on('exit', (code: number) => {
        // A worker exits once it has answered: only then is its slice done.
        if (results[index] === undefined) {
          fail(
            new Error(
              `@acta/audit: sample worker ${index} exited (code ${code}) without an answer`,
            ),
          );
          return;
        }
        pending -= 1;
        if (pending === 0 && !failed) resolve(results.flatMap((r) => r ?? []));
      });
    });
  });
}

/**
 * The parent's exec arguments for a worker, without `--conditions` (vitest
 * and `node --conditions=source` set it to run the TypeScript sources, which
 * a worker cannot); undefined when there is nothing to drop, so that Node
 * passes the parent's own, including process-wide flags it would refuse
 * if given explicitly (as @acta/crypto-parallel's pool.ts does).
 */
function workerExecArgv(): string[] | undefined {
  const argv = process.execArgv;
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--conditions' || a === '-C') i++;
    else if (!a.startsWith('--conditions=') && !a.startsWith('-C=')) kept.push(a);
  }
  return kept.length === argv.length ? undefined : kept;
}

/** The selection a worker runs (sample-worker.ts calls it on its job). */
export function selectSliceTickets(job: SampleSliceJob): SampleSliceResult {
  const tickets = selectArloFirstTickets(job.batches, job.seed, job.wanted, job.from, job.to);
  return {
    tickets: tickets.map((t) => ({ ...t, id: [t.id[0] + job.firstBatch, t.id[1]] as const })),
  };
}
