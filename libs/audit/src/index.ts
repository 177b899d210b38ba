/**
 * @acta/audit — risk-limiting audits of the paper records (issue #6): pure
 * functions, no I/O. So far: the consistent sampler Arlo uses, bit for bit,
 * and ballot samples drawn from a manifest as Arlo draws them.
 */
export { pythonRepr, pythonStr, type PythonValue } from './python-str.js';
export {
  sha256Hex,
  sha256Uniform,
  firstFraction,
  nextFraction,
  trimTicket,
  drawConsistentSample,
  type SampleDraw,
  type ConsistentSampleOptions,
} from './consistent-sampler.js';
export {
  ARLO_TICKET_DIGITS,
  drawArloSample,
  type ManifestBatch,
  type ArloSampledBallot,
  type ArloSampleOptions,
} from './arlo-sample.js';
export {
  BATCH_NAME_COLUMN,
  BALLOTS_COLUMN,
  parseManifestCsv,
  type ManifestCsvCode,
  type ManifestCsvProblem,
  type ManifestCsvResult,
} from './manifest-csv.js';
export {
  createContest,
  parseContest,
  parseSampleResults,
  parseRiskLimit,
  type AuditInputCode,
  type AuditInputProblem,
  type Contest,
  type ContestCandidate,
  type ContestInput,
  type SampleRound,
} from './contest.js';
export {
  SEED_COMMIT_TAG,
  MIN_SEED_DIGITS,
  commitSeedContribution,
  combineSeedCeremony,
  type SeedCeremony,
  type SeedCeremonyCode,
  type SeedCeremonyProblem,
  type SeedCommitment,
  type SeedReveal,
} from './seed-ceremony.js';
