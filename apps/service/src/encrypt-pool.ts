/**
 * Ballot encryption on worker threads, for simulations (simulate.ts): the
 * devices of a simulated election share this machine with the board, so
 * their encryption (about 4.6 ms a ballot on the native backend) runs on
 * the other cores while the main thread checks and stores what they post.
 * Each worker draws its nonces from its own system CSPRNG; a simulation that
 * must be reproducible (seeded crypto) encrypts in the calling thread instead.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startWorkerThread } from '@acta/crypto-parallel';
import type { BallotEncryption, BallotRequest } from '@acta/protocol';

/** A pool of encryption threads. */
export interface EncryptionPool {
  encrypt(request: BallotRequest): Promise<BallotEncryption>;
  close(): Promise<void>;
}

/** The compiled worker (the pool runs it from dist/ whether the caller runs from src/ or dist/). */
const WORKER = new URL('../dist/encrypt-worker.js', import.meta.url);

/**
 * Starts `workers` encryption threads (default: one fewer than the cores, at
 * least one), or returns undefined when the compiled worker is missing (a
 * source tree that was never built): the caller then encrypts in its thread.
 */
export function createEncryptionPool(workers?: number): EncryptionPool | undefined {
  if (!existsSync(fileURLToPath(WORKER))) return undefined;
  const count = workers ?? Math.max(1, availableParallelism() - 1);
  const threads = Array.from({ length: count }, () => startWorkerThread(WORKER));
  const pending = new Map<
    number,
    { resolve: (e: BallotEncryption) => void; reject: (e: Error) => void }
  >();
  let next = 0;
  for (const t of threads) {
    t.on('message', (m: { id: number; encryption?: BallotEncryption; error?: string }) => {
      const p = pending.get(m.id);
      if (p === undefined) return;
      pending.delete(m.id);
      if (m.encryption !== undefined) p.resolve(m.encryption);
      else p.reject(new Error(`encryption thread: ${m.error ?? 'no result'}`));
    });
    t.on('error', (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
  }
  return {
    encrypt(request: BallotRequest): Promise<BallotEncryption> {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        threads[id % threads.length]!.postMessage({ id, request });
      });
    },
    async close(): Promise<void> {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
