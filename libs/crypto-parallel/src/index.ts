/**
 * @acta/crypto-parallel — verification of encrypted contests (docs/spec.md
 * §5.5, batched as in §5.6) and tally sums (§4.2) over worker threads, on top
 * of @acta/crypto (issue #3). The package's only entry point.
 */
export {
  DEFAULT_CHUNK_SIZE,
  MAX_POOL_WORKERS,
  createVerificationPool,
  startWorkerThread,
  type ContestJob,
  type EncodedContestJob,
  type ParallelBatchOutcome,
  type VerificationPool,
  type VerificationPoolOptions,
  type VerifyContestsOptions,
} from './pool.js';
export type { ParallelBatchFailure } from './protocol.js';
