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
  type SampleSizeKey,
  type SampleSizeOption,
  type SampleSizeOptions,
  type PairRisk,
  type RiskMeasurement,
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
export {
  POLLING_METHODS,
  isPollingMethod,
  computePollingSampleSizes,
  computePollingRisk,
  type PollingMethod,
} from './ballot-polling.js';
export {
  AUDIT_RECORD_FORMAT,
  AUDIT_METHODS,
  formatBallotId,
  startAuditRecord,
  drawAuditRound,
  recordAuditResults,
  verifyAuditRecord,
  type AuditInputs,
  type AuditManifest,
  type AuditMethod,
  type AuditRecord,
  type AuditRecordRisk,
  type AuditRoundReport,
  type AuditRecordCode,
  type AuditRecordProblem,
  type AuditRecordReport,
  type AuditRecordRound,
  type AuditRecordSeed,
  type AuditStatus,
} from './audit-record.js';
export {
  SUPERSIMPLE_GAMMA,
  computeDiscrepancies,
  countDiscrepancies,
  computeSupersimpleSampleSizes,
  computeSupersimpleRisk,
  type CvrBallot,
  type AuditedBallot,
  type Discrepancy,
  type DiscrepancyCounts,
  type SupersimpleSampleSizeOptions,
  type SupersimpleRiskMeasurement,
} from './supersimple.js';
export {
  BALLOT_ID_COLUMN,
  TIMES_SAMPLED_COLUMN,
  parseCvrCsv,
  parseAuditedBallotsCsv,
  type CvrCsvCode,
  type CvrCsvProblem,
} from './cvr-csv.js';
export {
  NumpyGenerator,
  generateSeedSequenceState,
  generateSeedSequenceState64,
} from './numpy-random.js';
export {
  computeBatchMaxError,
  computeBatchError,
  computeUnauditableBallots,
  computeMacroU,
  computePpebWeights,
  computeMacroRisk,
  computeMacroSampleSizes,
  type BatchTally,
  type AuditedBatch,
  type MacroDraw,
  type BatchError,
  type MacroRiskMeasurement,
  type MacroSampleSizes,
  type MacroProblem,
  type MacroProblemCode,
} from './macro.js';
export { drawPpebSample, type PpebSampledBatch, type PpebSampleOptions } from './ppeb-sample.js';
export {
  parseBatchTalliesCsv,
  type BatchCsvCode,
  type BatchCsvProblem,
  type BatchCsvResult,
} from './batch-tallies-csv.js';
export { computeBravoSampleSizes, computeBravoRisk } from './bravo.js';
export {
  MINERVA_STOPPING_CHANCES,
  computeMinervaSampleSizes,
  computeMinervaRisk,
  computeMinervaKmins,
} from './minerva.js';
export {
  BALLOTS_PER_WORKER_AT_LEAST,
  MAX_SAMPLE_WORKERS,
  drawArloSampleParallel,
  type ParallelArloSampleOptions,
} from './parallel-sample.js';
