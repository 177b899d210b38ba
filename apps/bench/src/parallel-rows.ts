/**
 * The parallel verification rows of the benchmark (docs/performance.md,
 * "Parallel verification"): one-of-38 ballots (the 2024 Venezuelan
 * presidential contest, docs/spec.md §5.5) verified with @acta/crypto-parallel
 * in the calling thread (workers: 0), with one worker thread and with one per
 * core, each batching DEFAULT_CHUNK_SIZE ballots per MSM (§5.6). The three
 * figures show the cost of moving ballots to a worker (binary encoding,
 * transfer, decoding every element again) and what the cores buy.
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
import { VE2024_CARDS, type ParallelKey } from './figures.js';

/** Ballots verified per configuration with `--full`. */
export const PARALLEL_BALLOTS_FULL = 10_000;
/** Ballots verified per configuration by default, on the native backend. */
export const PARALLEL_BALLOTS_NATIVE = 2_000;
/** Ballots verified per configuration by default, on the noble backend (about 40× slower). */
export const PARALLEL_BALLOTS_NOBLE = 200;
/** Ballots verified per configuration in a quick run (smoke test), in chunks of QUICK_CHUNK_SIZE. */
export const PARALLEL_BALLOTS_QUICK = 8;
const QUICK_CHUNK_SIZE = 2;
/** Distinct ballots encrypted for the run (see the module comment). */
export const DISTINCT_BALLOTS = 64;

/** The pool configurations, in run order. */
export const PARALLEL_CONFIGS = [
  { id: 'in_thread', label: 'in the calling thread' },
  { id: '1_worker', label: 'one worker thread' },
  { id: 'all_cores', label: 'one worker per core' },
] as const;

/** A configuration's id (the suffix of its JSON keys). */
export type ParallelConfigId = (typeof PARALLEL_CONFIGS)[number]['id'];

/** One timed configuration. */
export interface ParallelRow {
  readonly id: ParallelConfigId;
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
  readonly figures: Readonly<Record<ParallelKey, number>>;
}

/** How to run the section. */
export interface ParallelOptions {
  readonly quick: boolean;
  /** Ballots per configuration (default: by mode and backend, see the constants above). */
  readonly ballots?: number;
  readonly onRow?: (row: ParallelRow) => void;
}

/** The default number of ballots for a run. */
export function defaultParallelBallots(quick: boolean): number {
  if (quick) return PARALLEL_BALLOTS_QUICK;
  return getCryptoBackend().name === 'native' ? PARALLEL_BALLOTS_NATIVE : PARALLEL_BALLOTS_NOBLE;
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
  const ballots = options.ballots ?? defaultParallelBallots(options.quick);
  if (!Number.isSafeInteger(ballots) || ballots < 1) {
    throw new RangeError(`the parallel section needs a positive number of ballots, got ${ballots}`);
  }
  const chunkSize = options.quick ? QUICK_CHUNK_SIZE : DEFAULT_CHUNK_SIZE;
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
  const figures: Record<ParallelKey, number> = {
    parallel_verify_ballots: ballots,
    parallel_verify_all_cores_workers: cores,
    parallel_verify_ballots_per_s_in_thread: rate('in_thread').ballotsPerSecond,
    parallel_verify_ballots_per_s_1_worker: rate('1_worker').ballotsPerSecond,
    parallel_verify_ballots_per_s_all_cores: rate('all_cores').ballotsPerSecond,
    parallel_verify_selection_proofs_per_s_in_thread: rate('in_thread').selectionProofsPerSecond,
    parallel_verify_selection_proofs_per_s_1_worker: rate('1_worker').selectionProofsPerSecond,
    parallel_verify_selection_proofs_per_s_all_cores: rate('all_cores').selectionProofsPerSecond,
    parallel_verify_all_cores_vs_in_thread_ratio:
      rate('all_cores').ballotsPerSecond / rate('in_thread').ballotsPerSecond,
  };
  return { backend, ballots, chunkSize, rows, figures };
}
