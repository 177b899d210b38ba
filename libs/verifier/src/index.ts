/**
 * @acta/verifier — the independent verifier of an exported election record
 * (issue #5; docs/spec-verifier.md). Imports only the pure libraries
 * (crypto, crypto-parallel, board, protocol) — never the store, the service
 * or the CLI — so that checking an election needs none of the code that ran it.
 */
export {
  describeVerifierCode,
  type VerifierCode,
  type VerificationCode,
  type VerificationIssue,
  type VerifierWarningCode,
  type VerificationWarning,
} from './codes.js';
export { RECORD_FILES, RECORD_FORMAT, type RecordFileName } from './record-files.js';
export { splitRecordLines, decodeRecordLine, type RecordLine } from './record-lines.js';
export {
  verifyRecord,
  type RecordSource,
  type VerifyOptions,
  type VerificationProgress,
  type VerificationCounts,
  type VerificationReport,
  type LookupHit,
  type ActaSummary,
  type LookupResult,
} from './verify-record.js';
