/**
 * A pool of worker threads that verifies encrypted contests (docs/spec.md
 * §5.5) in batches (§5.6) and sums ciphertexts for tallies (§4.2) on every
 * core (issue #3). The board of a national election holds millions of
 * ballots: one thread would take days on the pure-JavaScript backend and
 * hours on the native one, and the work splits cleanly, since every contest
 * verifies on its own.
 *
 * Jobs are read lazily, in chunks of `chunkSize` contests, and at most
 * `maxQueuedChunks` chunks are in flight (read but not yet verified), so
 * memory stays bounded whatever the length of the source. Each chunk goes to
 * a worker in the binary form of codec.ts (a transferred ArrayBuffer), where
 * it is decoded (one batch decode of all its elements) and verified as one
 * batch: one combined MSM, contest-by-contest fallback only on failure.
 * Batch weights are drawn from the CSPRNG of the thread that verifies.
 *
 * With `workers: 0` the same chunks are verified in the calling thread by the
 * same functions (verify-chunk.ts), without encoding: the outcome is the same,
 * which makes it the baseline for measurements and the fallback where threads
 * are unavailable.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  addCiphertexts,
  getCryptoBackend,
  sumCiphertexts as sumCiphertextsInThread,
  type BackendName,
  type Ciphertext,
  type ContestItem,
  type CryptoError,
  type Result,
} from '@acta/crypto';
import {
  checkProofContextTransferable,
  decodeCiphertexts,
  encodeProofContext,
  encodeContestChunk,
  encodeSumChunk,
} from './codec.js';
import type {
  ChunkVerification,
  ParallelBatchFailure,
  WorkerMessage,
  WorkerRequest,
} from './protocol.js';
import {
  PrecomputedKeyCache,
  admitContestItems,
  decodeEncodedItems,
  verifyContestEntries,
  type EncodedContestItem,
} from './verify-chunk.js';

/**
 * One contest to verify: the proof context it was encrypted under, the
 * election key, the contest and its selection limit (as `ContestItem`).
 */
export type ContestJob = ContestItem;

/**
 * One contest to verify from its JSON form (`EncryptedContestJson`): the pool
 * decodes it where it verifies it (see `verifyEncodedContests`).
 */
export type EncodedContestJob = EncodedContestItem;

/** How to build a pool. */
export interface VerificationPoolOptions {
  /** Worker threads (default: os.availableParallelism()); 0 runs everything in the calling thread. */
  readonly workers?: number;
  /** Contests per chunk, i.e. per batch verification (default DEFAULT_CHUNK_SIZE). */
  readonly chunkSize?: number;
  /**
   * Chunks in flight at most, bounding memory (default: twice the workers, at
   * least 2). With 0 workers, chunks are read and verified one at a time.
   */
  readonly maxQueuedChunks?: number;
}

/** Options of one verification run. */
export interface VerifyContestsOptions {
  /** Called after each chunk with the number of contests verified so far. */
  readonly onProgress?: (done: number) => void;
}

/** The outcome of a parallel batch verification. */
export interface ParallelBatchOutcome {
  /** True iff no contest failed. */
  readonly ok: boolean;
  /** Contests verified. */
  readonly checked: number;
  /** Every failing contest, by global index (sorted). */
  readonly failures: readonly ParallelBatchFailure[];
  /** Chunks (batches) the contests were verified in. */
  readonly chunks: number;
  /** Chunks whose combined check failed, so that their contests were re-checked one by one. */
  readonly fellBack: number;
  /** Worker threads of the pool (0: the calling thread). */
  readonly workers: number;
}

/** A pool of verification workers. */
export interface VerificationPool {
  /** Worker threads (0: everything runs in the calling thread). */
  readonly workers: number;
  readonly chunkSize: number;
  readonly maxQueuedChunks: number;
  /**
   * The crypto backend the workers run (docs: backend.ts), once every worker
   * has reported it (see `ready`); undefined before. With 0 workers, the
   * calling thread's. Throws if the workers disagree.
   */
  readonly backend: BackendName | undefined;
  /** Resolves with the backend once every worker has started; rejects if one failed or they disagree. */
  ready(): Promise<BackendName>;
  /** Verifies contests (see the module comment); rejects on a worker crash or a RangeError in a job. */
  verifyContests(
    jobs: Iterable<ContestJob> | AsyncIterable<ContestJob>,
    options?: VerifyContestsOptions,
  ): Promise<ParallelBatchOutcome>;
  /**
   * As `verifyContests`, for contests in JSON form: each is decoded
   * (`decodeEncryptedContest`) by the thread that verifies it, so the caller
   * never decodes the proofs. A contest that does not decode is a failure
   * with the decoder's code and place (`contest[i]…`).
   */
  verifyEncodedContests(
    jobs: Iterable<EncodedContestJob> | AsyncIterable<EncodedContestJob>,
    options?: VerifyContestsOptions,
  ): Promise<ParallelBatchOutcome>;
  /** The homomorphic sum of each group (e.g. one group per mesa and card), spread over the workers. */
  sumCiphertexts(groups: readonly (readonly Ciphertext[])[]): Promise<Ciphertext[]>;
  /** Terminates the workers; pending operations reject. Idempotent. */
  close(): Promise<void>;
}

/**
 * Default contests per chunk. A chunk is one MSM, the unit of load balancing
 * and of fallback work. Bigger MSMs cost a little less per term, but a chunk's
 * objects live until it is verified, and past about 8 one-of-38 ballots
 * (an MSM of about 1,900 terms) the garbage collector loses more than the
 * MSM gains: on the benchmark machine 8 verified about 25% faster than 16 in
 * the calling thread and in workers alike, and 32 slower still
 * (docs/performance.md, "Parallel verification").
 */
export const DEFAULT_CHUNK_SIZE = 8;

/** The most worker threads a pool may have (far above any core count; a typo guard). */
export const MAX_POOL_WORKERS = 1024;

/** Ciphertexts per sum task at most (about 256 KiB of encodings). */
const SUM_TASK_MAX = 4096;
/** Ciphertexts per sum task at least, when there are enough (smaller tasks cost more than they spread). */
const SUM_TASK_MIN = 256;

/**
 * The compiled worker. Both this module's source (src/pool.ts, which vitest
 * runs) and its build (dist/pool.js) sit one level below the package root, so
 * this URL names libs/crypto-parallel/dist/worker.js from either: a worker
 * thread cannot run the TypeScript source, so it always runs the build that
 * `tsc -b` produced (`npm test` builds before it runs vitest).
 */
export const WORKER_URL: URL = new URL('../dist/worker.js', import.meta.url);

function checkCount(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

/**
 * Creates a pool (see the module comment). Workers start at once, in the
 * background; an idle pool does not keep the process alive, but `close()` it
 * when done.
 */
export function createVerificationPool(options: VerificationPoolOptions = {}): VerificationPool {
  return createVerificationPoolWithWorker(WORKER_URL, options);
}

/**
 * As createVerificationPool, with another worker script (tests use it to
 * inject crashing or disagreeing workers). Not exported from the package.
 */
export function createVerificationPoolWithWorker(
  workerUrl: URL,
  options: VerificationPoolOptions = {},
): VerificationPool {
  const workers = checkCount(
    'workers',
    options.workers ?? availableParallelism(),
    0,
    MAX_POOL_WORKERS,
  );
  const chunkSize = checkCount(
    'chunkSize',
    options.chunkSize ?? DEFAULT_CHUNK_SIZE,
    1,
    0xffff_ffff,
  );
  const maxQueuedChunks = checkCount(
    'maxQueuedChunks',
    options.maxQueuedChunks ?? Math.max(2, 2 * workers),
    1,
    0xffff_ffff,
  );
  const shape = { workers, chunkSize, maxQueuedChunks };
  return workers === 0 ? new InThreadPool(shape) : new ThreadedPool(shape, workerUrl);
}

interface PoolShape {
  readonly workers: number;
  readonly chunkSize: number;
  readonly maxQueuedChunks: number;
}

// ---------------------------------------------------------------------------
// Shared machinery

/** Collects chunk results into a ParallelBatchOutcome. */
class OutcomeBuilder {
  checked = 0;
  #chunks = 0;
  #fellBack = 0;
  readonly #failures: ParallelBatchFailure[] = [];

  add(result: ChunkVerification): void {
    this.checked += result.checked;
    this.#chunks += 1;
    if (result.fellBack) this.#fellBack += 1;
    for (const f of result.failures) this.#failures.push(f);
  }

  finish(workers: number): ParallelBatchOutcome {
    const failures = this.#failures.sort((a, b) => a.index - b.index);
    return {
      ok: failures.length === 0,
      checked: this.checked,
      failures,
      chunks: this.#chunks,
      fellBack: this.#fellBack,
      workers,
    };
  }
}

type AnyIterator<T> = {
  next(): IteratorResult<T> | Promise<IteratorResult<T>>;
  return?(): unknown;
};

function openIterator<T>(source: Iterable<T> | AsyncIterable<T>): AnyIterator<T> {
  return Symbol.asyncIterator in source
    ? source[Symbol.asyncIterator]()
    : source[Symbol.iterator]();
}

/**
 * Reads `source` in chunks and starts `start(chunk, base)` for each, with at
 * most `maxInFlight` chunks read and not yet finished: the next chunk is read
 * only once a slot is free, so at most maxInFlight × chunkSize items are held.
 * The first failure — `start` throwing synchronously (a RangeError in a job),
 * a started chunk failing, or the source throwing — stops reading; the chunks
 * in flight are left to settle, so that no callback runs after the run has
 * ended, and then the failure is thrown. A source stopped before its end is
 * closed (`return()`), as a for-of loop would close it.
 */
async function forEachChunk<T>(
  source: Iterable<T> | AsyncIterable<T>,
  chunkSize: number,
  maxInFlight: number,
  start: (chunk: T[], base: number) => Promise<void>,
): Promise<void> {
  const iterator = openIterator(source);
  const inFlight = new Set<Promise<void>>();
  let failure: { readonly error: unknown } | undefined;
  let exhausted = false;
  let sourceFailed = false;
  let base = 0;
  try {
    while (!exhausted && failure === undefined) {
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
      if (failure !== undefined) break;
      const chunk: T[] = [];
      try {
        while (chunk.length < chunkSize) {
          const r = await iterator.next();
          if (r.done === true) {
            exhausted = true;
            break;
          }
          chunk.push(r.value);
        }
      } catch (error: unknown) {
        sourceFailed = true;
        failure = { error };
        break;
      }
      if (chunk.length === 0) break;
      let started: Promise<void>;
      try {
        started = start(chunk, base);
      } catch (error: unknown) {
        failure = { error };
        break;
      }
      const tracked: Promise<void> = started.then(
        () => {
          inFlight.delete(tracked);
        },
        (error: unknown) => {
          failure ??= { error };
          inFlight.delete(tracked);
        },
      );
      inFlight.add(tracked);
      base += chunk.length;
    }
    await Promise.all(inFlight);
  } finally {
    if (!exhausted && !sourceFailed) await iterator.return?.();
  }
  if (failure !== undefined) throw failure.error;
}

/** A sum task's piece: ciphertexts [from, to) of group `group`. */
interface SumPiece {
  readonly group: number;
  readonly from: number;
  readonly to: number;
}

/** Splits the groups into tasks of about `perTask` ciphertexts (large groups span tasks). */
function planSumTasks(groups: readonly (readonly Ciphertext[])[], perTask: number): SumPiece[][] {
  const tasks: SumPiece[][] = [];
  let current: SumPiece[] = [];
  let room = perTask;
  groups.forEach((group, g) => {
    let from = 0;
    while (from < group.length) {
      const to = Math.min(group.length, from + room);
      current.push({ group: g, from, to });
      room -= to - from;
      from = to;
      if (room === 0) {
        tasks.push(current);
        current = [];
        room = perTask;
      }
    }
  });
  if (current.length > 0) tasks.push(current);
  return tasks;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

// ---------------------------------------------------------------------------
// In the calling thread

class InThreadPool implements VerificationPool {
  readonly workers = 0;
  readonly chunkSize: number;
  readonly maxQueuedChunks: number;
  readonly backend: BackendName = getCryptoBackend().name;
  readonly #keys = new PrecomputedKeyCache();
  #closed = false;

  constructor(shape: PoolShape) {
    this.chunkSize = shape.chunkSize;
    this.maxQueuedChunks = shape.maxQueuedChunks;
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error('@acta/crypto-parallel: the verification pool is closed');
  }

  ready(): Promise<BackendName> {
    return this.#closed
      ? Promise.reject(new Error('@acta/crypto-parallel: the verification pool is closed'))
      : Promise.resolve(this.backend);
  }

  verifyContests(
    jobs: Iterable<ContestJob> | AsyncIterable<ContestJob>,
    options: VerifyContestsOptions = {},
  ): Promise<ParallelBatchOutcome> {
    return this.#verify(jobs, options, admitContestItems);
  }

  verifyEncodedContests(
    jobs: Iterable<EncodedContestJob> | AsyncIterable<EncodedContestJob>,
    options: VerifyContestsOptions = {},
  ): Promise<ParallelBatchOutcome> {
    return this.#verify(jobs, options, decodeEncodedItems);
  }

  /** Both kinds of job: `admit` turns a chunk (keys resolved) into verifiable entries. */
  async #verify<T extends ContestJob | EncodedContestJob>(
    jobs: Iterable<T> | AsyncIterable<T>,
    options: VerifyContestsOptions,
    admit: (items: T[], base: number) => Result<ContestItem, CryptoError>[],
  ): Promise<ParallelBatchOutcome> {
    this.#checkOpen();
    const outcome = new OutcomeBuilder();
    // One chunk at a time: the thread is busy verifying anyway.
    await forEachChunk(jobs, this.chunkSize, 1, (chunk, base) => {
      const items = chunk.map((job, k) => {
        // The rule the worker transport imposes, so that both modes fail alike.
        checkProofContextTransferable(job.context, `job ${base + k}`);
        return { ...job, publicKey: this.#keys.resolve(job.publicKey) };
      });
      const entries = admit(items, base);
      return (async () => {
        // Let timers and I/O run between chunks: a long run must not freeze a server.
        await yieldToEventLoop();
        this.#checkOpen();
        outcome.add(verifyContestEntries(entries, base));
        options.onProgress?.(outcome.checked);
      })();
    });
    return outcome.finish(0);
  }

  sumCiphertexts(groups: readonly (readonly Ciphertext[])[]): Promise<Ciphertext[]> {
    try {
      this.#checkOpen();
      return Promise.resolve(groups.map((g) => sumCiphertextsInThread(g)));
    } catch (e: unknown) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}

// ---------------------------------------------------------------------------
// Over worker threads

interface Task {
  readonly request: WorkerRequest;
  readonly transfer: readonly ArrayBuffer[];
  readonly resolve: (message: WorkerMessage) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly index: number;
  readonly worker: Worker;
  backend: BackendName | undefined;
  task: Task | undefined;
}

/**
 * The parent's exec arguments minus `--conditions` / `-C`: a worker inherits
 * them, and `--conditions=source` would make it resolve @acta/crypto to its
 * TypeScript source, which it cannot run. Undefined (plain inheritance) when
 * there is nothing to remove.
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

/**
 * Starts a worker. Node inherits process-wide flags such as --expose-gc
 * silently but refuses them when execArgv is given explicitly; those it names
 * are dropped and the start retried once (they mean nothing to a worker).
 */
function startWorker(url: URL, execArgv: string[] | undefined = workerExecArgv()): Worker {
  if (execArgv === undefined) return new Worker(url);
  try {
    return new Worker(url, { execArgv });
  } catch (e: unknown) {
    const code = (e as { code?: unknown }).code;
    if (code !== 'ERR_WORKER_INVALID_EXEC_ARGV' || !(e instanceof Error)) throw e;
    const invalid = new Set(e.message.slice(e.message.indexOf(':') + 1).split(/[\s,]+/));
    return new Worker(url, { execArgv: execArgv.filter((a) => !invalid.has(a)) });
  }
}

/**
 * Starts a worker thread on a compiled module for any Acta package: with the
 * parent's exec arguments minus `--conditions` (see workerExecArgv), so that a
 * worker started under vitest or `node --conditions=source` still loads
 * compiled code.
 */
export function startWorkerThread(url: URL): Worker {
  return startWorker(url);
}

class ThreadedPool implements VerificationPool {
  readonly workers: number;
  readonly chunkSize: number;
  readonly maxQueuedChunks: number;
  readonly #slots: Slot[] = [];
  #queue: Task[] = [];
  #readyWaiters: { resolve: (b: BackendName) => void; reject: (e: Error) => void }[] = [];
  #nextId = 1;
  #failure: Error | undefined;
  #disagreement: Error | undefined;
  #terminated: Promise<void> | undefined;

  constructor(shape: PoolShape, workerUrl: URL) {
    this.workers = shape.workers;
    this.chunkSize = shape.chunkSize;
    this.maxQueuedChunks = shape.maxQueuedChunks;
    if (workerUrl.protocol === 'file:' && !existsSync(fileURLToPath(workerUrl))) {
      throw new Error(
        `@acta/crypto-parallel: the compiled worker ${fileURLToPath(workerUrl)} is missing; ` +
          'build first (`npx tsc -b`; `npm test` does)',
      );
    }
    const execArgv = workerExecArgv();
    for (let index = 0; index < this.workers; index++) {
      const worker = startWorker(workerUrl, execArgv);
      const slot: Slot = { index, worker, backend: undefined, task: undefined };
      this.#slots.push(slot);
      worker.on('message', (m: WorkerMessage) => this.#onMessage(slot, m));
      worker.on('error', (e: Error) =>
        this.#fail(
          new Error(`@acta/crypto-parallel: worker ${index} crashed: ${e.message}`, { cause: e }),
        ),
      );
      worker.on('messageerror', (e: Error) =>
        this.#fail(
          new Error(`@acta/crypto-parallel: worker ${index} sent an unreadable message`, {
            cause: e,
          }),
        ),
      );
      worker.on('exit', (code: number) =>
        this.#fail(
          new Error(`@acta/crypto-parallel: worker ${index} exited unexpectedly (code ${code})`),
        ),
      );
    }
    this.#updateRefs();
  }

  get backend(): BackendName | undefined {
    if (this.#disagreement !== undefined) throw this.#disagreement;
    const first = this.#slots[0]?.backend;
    return this.#slots.every((s) => s.backend !== undefined) ? first : undefined;
  }

  ready(): Promise<BackendName> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const backend = this.backend;
    if (backend !== undefined) return Promise.resolve(backend);
    return new Promise((resolve, reject) => {
      this.#readyWaiters.push({ resolve, reject });
      this.#updateRefs();
    });
  }

  verifyContests(
    jobs: Iterable<ContestJob> | AsyncIterable<ContestJob>,
    options: VerifyContestsOptions = {},
  ): Promise<ParallelBatchOutcome> {
    return this.#verify(jobs, options, (chunk, base, id) => {
      // Encoding runs here, synchronously: a RangeError stops the run before sending.
      const buffer = encodeContestChunk(chunk, base);
      return { request: { type: 'verify', id, base, chunk: buffer }, transfer: [buffer] };
    });
  }

  verifyEncodedContests(
    jobs: Iterable<EncodedContestJob> | AsyncIterable<EncodedContestJob>,
    options: VerifyContestsOptions = {},
  ): Promise<ParallelBatchOutcome> {
    return this.#verify(jobs, options, (chunk, base, id) => ({
      request: {
        type: 'verify-json',
        id,
        base,
        contexts: chunk.map((job, k) => encodeProofContext(job.context, `job ${base + k}`)),
        keys: chunk.map((job) => job.publicKey.toBytes()),
        limits: chunk.map((job) => job.limit),
        contests: chunk.map((job) => job.contest),
      },
      transfer: [],
    }));
  }

  /** Both kinds of job: `encode` makes a chunk's request (synchronously, so a RangeError stops the run). */
  async #verify<T>(
    jobs: Iterable<T> | AsyncIterable<T>,
    options: VerifyContestsOptions,
    encode: (
      chunk: T[],
      base: number,
      id: number,
    ) => { request: WorkerRequest; transfer: ArrayBuffer[] },
  ): Promise<ParallelBatchOutcome> {
    if (this.#failure !== undefined) throw this.#failure;
    const outcome = new OutcomeBuilder();
    await forEachChunk(jobs, this.chunkSize, this.maxQueuedChunks, (chunk, base) => {
      const { request, transfer } = encode(chunk, base, this.#nextId++);
      return this.#run(request, transfer).then((reply) => {
        if (reply.type !== 'verified') throw this.#bug(`a ${reply.type} reply to a verify request`);
        outcome.add(reply.result);
        options.onProgress?.(outcome.checked);
      });
    });
    return outcome.finish(this.workers);
  }

  async sumCiphertexts(groups: readonly (readonly Ciphertext[])[]): Promise<Ciphertext[]> {
    if (this.#failure !== undefined) throw this.#failure;
    let total = 0;
    for (const g of groups) total += g.length;
    const perTask = Math.min(
      SUM_TASK_MAX,
      Math.max(SUM_TASK_MIN, Math.ceil(total / (2 * this.workers))),
    );
    const sums: (Ciphertext | undefined)[] = groups.map(() => undefined);
    await forEachChunk(planSumTasks(groups, perTask), 1, this.maxQueuedChunks, ([pieces]) => {
      const task = pieces!;
      const buffer = encodeSumChunk(task.map((p) => groups[p.group]!.slice(p.from, p.to)));
      const request: WorkerRequest = { type: 'sum', id: this.#nextId++, chunk: buffer };
      return this.#run(request, [buffer]).then((reply) => {
        if (reply.type !== 'summed') throw this.#bug(`a ${reply.type} reply to a sum request`);
        const partial = decodeCiphertexts(reply.sums);
        if (partial.length !== task.length) throw this.#bug('a sum reply of the wrong length');
        task.forEach((p, i) => {
          const prev = sums[p.group];
          sums[p.group] = prev === undefined ? partial[i]! : addCiphertexts(prev, partial[i]!);
        });
      });
    });
    // Empty groups sum to ZERO_CIPHERTEXT, as in @acta/crypto.
    return sums.map((s) => s ?? sumCiphertextsInThread([]));
  }

  close(): Promise<void> {
    this.#fail(new Error('@acta/crypto-parallel: the verification pool is closed'));
    return this.#terminate();
  }

  #bug(what: string): Error {
    return new Error(`@acta/crypto-parallel: internal error: ${what}`);
  }

  #run(request: WorkerRequest, transfer: readonly ArrayBuffer[]): Promise<WorkerMessage> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, transfer, resolve, reject });
      this.#pump();
    });
  }

  /** Hands queued tasks to idle workers that have reported ready. */
  #pump(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) break;
      if (slot.backend === undefined || slot.task !== undefined) continue;
      const task = this.#queue.shift()!;
      slot.task = task;
      slot.worker.postMessage(task.request, [...task.transfer]);
    }
    this.#updateRefs();
  }

  #onMessage(slot: Slot, message: WorkerMessage): void {
    if (this.#failure !== undefined) return;
    switch (message.type) {
      case 'ready': {
        if (message.error !== undefined) {
          this.#fail(new Error(`@acta/crypto-parallel: worker ${slot.index}: ${message.error}`));
          return;
        }
        slot.backend = message.backend;
        const other = this.#slots.find(
          (s) => s.backend !== undefined && s.backend !== slot.backend,
        );
        if (other !== undefined) {
          this.#disagreement = new Error(
            `@acta/crypto-parallel: the workers disagree on the crypto backend: worker ${other.index} runs ${other.backend}, worker ${slot.index} runs ${slot.backend}`,
          );
          this.#fail(this.#disagreement);
          return;
        }
        const backend = this.backend;
        if (backend !== undefined) {
          for (const w of this.#readyWaiters) w.resolve(backend);
          this.#readyWaiters = [];
        }
        this.#pump();
        return;
      }
      case 'verified':
      case 'summed':
      case 'failed': {
        const task = slot.task;
        if (task === undefined || task.request.id !== message.id) {
          this.#fail(this.#bug(`worker ${slot.index} answered a request it was not given`));
          return;
        }
        slot.task = undefined;
        if (message.type === 'failed') {
          task.reject(
            new Error(
              `@acta/crypto-parallel: worker ${slot.index} rejected a chunk (an internal error): ${message.message}`,
            ),
          );
        } else {
          task.resolve(message);
        }
        this.#pump();
        return;
      }
    }
  }

  /** Puts the pool out of service: everything pending rejects with `error`, workers stop. */
  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    const tasks = [...this.#queue, ...this.#slots.flatMap((s) => (s.task ? [s.task] : []))];
    this.#queue = [];
    for (const s of this.#slots) s.task = undefined;
    for (const t of tasks) t.reject(error);
    for (const w of this.#readyWaiters) w.reject(error);
    this.#readyWaiters = [];
    void this.#terminate();
  }

  #terminate(): Promise<void> {
    this.#terminated ??= Promise.all(
      this.#slots.map((s) => s.worker.terminate().catch(() => 0)),
    ).then(() => undefined);
    return this.#terminated;
  }

  /**
   * Workers keep the process alive only while something waits on them, so
   * that a pool left idle (or never closed) does not hang a program's exit.
   */
  #updateRefs(): void {
    const busy =
      this.#failure === undefined &&
      (this.#queue.length > 0 ||
        this.#readyWaiters.length > 0 ||
        this.#slots.some((s) => s.task !== undefined));
    for (const s of this.#slots) {
      if (busy) s.worker.ref();
      else s.worker.unref();
    }
  }
}
