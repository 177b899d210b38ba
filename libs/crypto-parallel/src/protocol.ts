/**
 * The messages between a verification pool and its worker threads
 * (docs/spec.md §5.6: the batch verification they run). Chunks travel as
 * transferred ArrayBuffers in the binary form of codec.ts, so a chunk is moved
 * to the worker, not copied; results come back as small structured-clone
 * objects (failures) or transferred buffers (ciphertext sums).
 */
import type { BackendName, CryptoErrorCode } from '@acta/crypto';

/** The failure of one contest of a parallel batch. */
export interface ParallelBatchFailure {
  /** The contest's index in the whole job sequence (0-based, across chunks). */
  readonly index: number;
  readonly code: CryptoErrorCode;
  /** Where it failed, e.g. `contest[1203].selections[5].branch[1][K]` (global index). */
  readonly where: string;
  /** The full error message (`CODE at where: detail`), never a secret. */
  readonly message: string;
  /**
   * Whether the contest was refused before its proofs were checked (it does
   * not decode, or breaks a decoding rule such as an identity commitment), or
   * its proofs were checked and do not hold.
   */
  readonly stage: 'decode' | 'verify';
}

/** What verifying one chunk produced. */
export interface ChunkVerification {
  readonly checked: number;
  /** Whether the chunk's combined check failed and its contests were re-checked one by one. */
  readonly fellBack: boolean;
  readonly failures: readonly ParallelBatchFailure[];
}

/** Sent once by every worker when its crypto backend has loaded. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly backend: BackendName;
  /** The backend's selection error (e.g. ACTA_CRYPTO_BACKEND=native without the addon). */
  readonly error?: string;
}

/** Verify the contests of a chunk; `base` is the global index of its first contest. */
export interface VerifyRequest {
  readonly type: 'verify';
  readonly id: number;
  readonly base: number;
  readonly chunk: ArrayBuffer;
}

/**
 * Decode and verify a chunk of contests in JSON form (structured clone):
 * contexts in the binary form of codec.ts, keys as 32-byte encodings, one
 * of each per contest.
 */
export interface VerifyJsonRequest {
  readonly type: 'verify-json';
  readonly id: number;
  readonly base: number;
  readonly contexts: readonly Uint8Array[];
  readonly keys: readonly Uint8Array[];
  readonly limits: readonly number[];
  readonly contests: readonly unknown[];
}

/** Sum the pieces of a ciphertext chunk. */
export interface SumRequest {
  readonly type: 'sum';
  readonly id: number;
  readonly chunk: ArrayBuffer;
}

/** A request from the pool to a worker. */
export type WorkerRequest = VerifyRequest | VerifyJsonRequest | SumRequest;

/** The result of a VerifyRequest. */
export interface VerifiedResponse {
  readonly type: 'verified';
  readonly id: number;
  readonly result: ChunkVerification;
}

/** The result of a SumRequest: one encoded ciphertext (α ‖ β, 64 bytes) per piece. */
export interface SummedResponse {
  readonly type: 'summed';
  readonly id: number;
  readonly sums: ArrayBuffer;
}

/** A request the worker could not serve: a malformed chunk, i.e. a bug in the pool. */
export interface FailedResponse {
  readonly type: 'failed';
  readonly id: number;
  readonly message: string;
}

/** A message from a worker to the pool. */
export type WorkerMessage = ReadyMessage | VerifiedResponse | SummedResponse | FailedResponse;
