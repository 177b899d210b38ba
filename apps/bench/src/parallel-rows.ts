/**
 * The parallel verification rows of the benchmark (docs/performance.md,
 * "Parallel verification"): one-of-38 ballots (the 2024 Venezuelan
 * presidential contest, docs/spec.md §5.5) verified with @acta/crypto-parallel
 * in the calling thread (workers: 0), with one worker thread and with one per
 * core, each batching DEFAULT_CHUNK_SIZE ballots per MSM (§5.6). The three
 * figures show the cost of moving ballots to a worker (the chunk's binary
 * form, with elements in the in-process transfer form so that workers do not
 * decode them again) and what the cores buy.
 *
 * Producing a ballot costs more than verifying it, so the run encrypts up to
 * DISTINCT_BALLOTS ballots and cycles through them. Every verification redoes
 * all the work (challenges, decoding in the worker, the MSM; nothing is cached
 * across chunks), and a chunk never holds the same ballot twice, so a
 * repeated ballot costs exactly what a new one would.
 */
import {
  encryptContest,
  generateElGamalKeyPair,
  getCryptoBackend,
  type ContestItem,
  type ProofContext,
  type Rng,
} from '@acta/crypto';
import { DEFAULT_CHUNK_SIZE, createVerificationPool } from '@acta/crypto-parallel';
import { availableParallelism } from 'node:os';
import {
  PARALLEL_CONFIGS,
  PARALLEL_RATIO_KEY,
  PARALLEL_WORKERS_KEY,
  VE2024_CARDS,
  parallelKey,
  type ParallelConfigId,
} from './figures.js';

/** Distinct ballots encrypted for the run (see the module comment). */
export const DISTINCT_BALLOTS = 64;

/** One timed configuration. */
export interface ParallelRow {
  readonly id: ParallelConfigId;
  /** The figure's key (unprefixed): `verify_<ballots>_ballots_<id>_per_s`. */
  readonly key: string;
  readonly label: string;
  /** Worker threads (0: the calling thread). */
  readonly workers: number;
  readonly ballots: number;
  readonly seconds: number;
  readonly ballotsPerSecond: number;
  /** 0/1 selection proofs verified per second (ballots/s × 38). */
  readonly selectionProofsPerSecond: number;
}

/** The parallel section's result. */
export interface ParallelResult {
  /** The backend the pools ran on (the same in every thread). */
  readonly backend: string;
  readonly ballots: number;
  readonly chunkSize: number;
  readonly rows: readonly ParallelRow[];
  /** The rate of each configuration, the all-cores worker count and speed-up (unprefixed keys). */
  readonly figures: Readonly<Record<string, number>>;
}

/** How to run the section. */
export interface ParallelOptions {
  /** Ballots verified per configuration. */
  readonly ballots: number;
  /** Contests per batch (default DEFAULT_CHUNK_SIZE). */
  readonly chunkSize?: number;
  /** Skip the warm-up (smoke tests). */
  readonly quick: boolean;
  readonly onRow?: (row: ParallelRow) => void;
}

function contextOfBallot(context: ProofContext, ballot: number): ProofContext {
  return {
    electionHash: context.electionHash,
    label: [...(context.label ?? []), 'parallel', ballot],
  };
}

/** `count` jobs cycling through `distinct`, produced lazily (the pool reads them as it goes). */
function* cycleJobs(distinct: readonly ContestItem[], count: number): Generator<ContestItem> {
  for (let i = 0; i < count; i++) yield distinct[i % distinct.length]!;
}

/** Runs the section: encrypts the ballots, then times each configuration once. */
export async function runParallelRows(
  rng: Rng,
  context: ProofContext,
  options: ParallelOptions,
): Promise<ParallelResult> {
  const ballots = options.ballots;
  if (!Number.isSafeInteger(ballots) || ballots < 1) {
    throw new RangeError(`the parallel section needs a positive number of ballots, got ${ballots}`);
  }
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const publicKey = generateElGamalKeyPair(rng).publicKey.precompute();
  const distinct: ContestItem[] = Array.from(
    { length: Math.min(ballots, DISTINCT_BALLOTS) },
    (_, b) => {
      const ballotContext = contextOfBallot(context, b);
      const votes = Array.from({ length: VE2024_CARDS }, (_, i) =>
        Number(i === (b * 7) % VE2024_CARDS),
      );
      const { contest } = encryptContest(ballotContext, publicKey, votes, 1, rng);
      return { context: ballotContext, publicKey, contest, limit: 1 };
    },
  );
  const cores = availableParallelism();
  const workersOf: Record<ParallelConfigId, number> = {
    in_thread: 0,
    '1_worker': 1,
    all_cores: cores,
  };
  const backend = getCryptoBackend().name;
  const rows: ParallelRow[] = [];
  for (const config of PARALLEL_CONFIGS) {
    const workers = workersOf[config.id];
    const pool = createVerificationPool({ workers, chunkSize });
    try {
      if ((await pool.ready()) !== backend) {
        throw new Error(`benchmark setup: the workers run ${pool.backend}, this thread ${backend}`);
      }
      if (!options.quick) {
        // Warm-up: each worker compiles its code and builds the key's tables.
        const warm = Math.min(ballots, 2 * chunkSize * Math.max(1, workers));
        await pool.verifyContests(cycleJobs(distinct, warm));
      }
      const started = performance.now();
      const outcome = await pool.verifyContests(cycleJobs(distinct, ballots));
      const seconds = (performance.now() - started) / 1000;
      if (!outcome.ok || outcome.checked !== ballots) {
        throw new Error('benchmark setup: a ballot did not verify in the parallel rows');
      }
      const ballotsPerSecond = ballots / seconds;
      const row: ParallelRow = {
        id: config.id,
        key: parallelKey(ballots, config.id),
        label: config.label,
        workers,
        ballots,
        seconds,
        ballotsPerSecond,
        selectionProofsPerSecond: ballotsPerSecond * VE2024_CARDS,
      };
      rows.push(row);
      options.onRow?.(row);
    } finally {
      await pool.close();
    }
  }
  const rate = (id: ParallelConfigId): ParallelRow => {
    const row = rows.find((r) => r.id === id);
    if (row === undefined) throw new Error(`benchmark bug: no parallel row ${id}`);
    return row;
  };
  const figures: Record<string, number> = {};
  for (const row of rows) figures[row.key] = row.ballotsPerSecond;
  figures[PARALLEL_WORKERS_KEY] = cores;
  figures[PARALLEL_RATIO_KEY] =
    rate('all_cores').ballotsPerSecond / rate('in_thread').ballotsPerSecond;
  return { backend, ballots, chunkSize, rows, figures };
}
