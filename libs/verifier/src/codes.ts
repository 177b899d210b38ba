/**
 * What the verifier reports (docs/spec-verifier.md §4): every failure is an
 * issue with a stable code, a place (`where`: a file, a line, a field path)
 * and a message. Codes of the record's own rules are the protocol's
 * (`ProtocolErrorCode`, docs/spec-record.md §12.1); this module adds the
 * codes of the checks that only a verifier of the exported files makes —
 * the files themselves, the signed tree heads, completeness, trust anchors.
 */
import type { ProtocolErrorCode } from '@acta/protocol';

/** Codes of checks made by the verifier itself (not by a rule of the record). */
export type VerifierCode =
  /** A file the record must have is absent, or one `record.json` lists is missing. */
  | 'RECORD_FILE_MISSING'
  /** `record.json` is not the JSON document of docs/spec-verifier.md §2. */
  | 'RECORD_JSON_INVALID'
  /** `record.json` disagrees with the other files, or is not in its exact written form. */
  | 'RECORD_JSON_MISMATCH'
  /** `manifest.json`, `totals.json` or `tree-head.json` is not exactly the copy of what the entries (or tree heads) hold. */
  | 'COPY_MISMATCH'
  /** A line of `tree-heads.ndjson` is not a signed tree head. */
  | 'TREE_HEAD_MALFORMED'
  /** A tree head's signature does not verify under the election's authority key. */
  | 'TREE_HEAD_SIGNATURE'
  /** A tree head names another log than the election. */
  | 'TREE_HEAD_LOG_ID'
  /** Tree heads are not in order of size and time. */
  | 'TREE_HEADS_OUT_OF_ORDER'
  /** The record has no signed tree head: nothing binds its entries. */
  | 'TREE_HEAD_MISSING'
  /** A signed tree head covers more entries than the record holds: the log was truncated. */
  | 'TREE_HEAD_BEYOND_RECORD'
  /** The latest signed root is not the root of the record's entries: entries were altered, added, removed or reordered. */
  | 'TREE_ROOT_MISMATCH'
  /** Two validly signed tree heads describe different histories: the board forked (equivocated). */
  | 'TREE_HEADS_FORK'
  /** Entries after the latest signed tree head: no signature binds them. */
  | 'ENTRIES_NOT_COVERED'
  /** The record does not reach the totals (only allowed with the `partial` option). */
  | 'RECORD_INCOMPLETE'
  /** The record is not the election the verifier was told to expect (authority key or election hash). */
  | 'TRUST_ANCHOR_MISMATCH'
  /** A mesa's acta states counts that differ from its decrypted tally (the rule-9 finding). */
  | 'ACTA_RESULT_MISMATCH'
  /** A mesa's final counts break an invariant (turnout above registration, more cast than checked in). */
  | 'MESA_COUNTS_IMPOSSIBLE';

/** Every code an issue can carry. */
export type VerificationCode = VerifierCode | ProtocolErrorCode;

/** One failed check: the code, where (file, line and field path) and why. */
export interface VerificationIssue {
  readonly code: VerificationCode;
  /** e.g. `entries.ndjson:17 entries[16].body.contests[0].encrypted.selections[3]`, or `tree-heads.ndjson:2`. */
  readonly where: string;
  readonly message: string;
}

/** Things a verifier must tell its reader although nothing failed. */
export type VerifierWarningCode =
  /** No authority key or election hash was given to compare with: the record was checked for internal consistency only. */
  | 'NO_TRUST_ANCHOR'
  /** Voters checked in at a mesa but no ballot was cast for them (they left, or the record lacks their ballots). */
  | 'CHECKIN_WITHOUT_BALLOT'
  /** A partial record (before the totals) was verified as far as it goes. */
  | 'RECORD_PARTIAL'
  /** Voters are registered at a mesa that never opened (no device): they could not vote there. */
  | 'MESA_NOT_OPENED';

/** A warning: not a failure, but something the reader should know. */
export interface VerificationWarning {
  readonly code: VerifierWarningCode;
  readonly where: string;
  readonly message: string;
}

/** What each verifier code means (reports and docs); exhaustive over `VerifierCode`. */
export function describeVerifierCode(code: VerifierCode): string {
  switch (code) {
    case 'RECORD_FILE_MISSING':
      return 'a required file of the record (or one record.json lists) is missing';
    case 'RECORD_JSON_INVALID':
      return 'record.json is not a valid record description';
    case 'RECORD_JSON_MISMATCH':
      return 'record.json disagrees with the files it describes';
    case 'COPY_MISMATCH':
      return 'a convenience copy (manifest.json, totals.json, tree-head.json) differs from the authoritative value';
    case 'TREE_HEAD_MALFORMED':
      return 'a signed tree head does not parse';
    case 'TREE_HEAD_SIGNATURE':
      return "a tree head is not signed by the election's authority key";
    case 'TREE_HEAD_LOG_ID':
      return 'a tree head names another log';
    case 'TREE_HEADS_OUT_OF_ORDER':
      return 'the tree heads are not in order of size and time';
    case 'TREE_HEAD_MISSING':
      return 'no signed tree head binds the entries';
    case 'TREE_HEAD_BEYOND_RECORD':
      return 'a signed tree head covers entries the record does not hold (truncated log)';
    case 'TREE_ROOT_MISMATCH':
      return 'the entries do not hash to the signed root';
    case 'TREE_HEADS_FORK':
      return 'two signed tree heads are inconsistent: the board showed two histories';
    case 'ENTRIES_NOT_COVERED':
      return 'entries after the latest signed tree head';
    case 'RECORD_INCOMPLETE':
      return 'the record ends before the totals';
    case 'TRUST_ANCHOR_MISMATCH':
      return 'not the election the verifier was told to expect';
    case 'ACTA_RESULT_MISMATCH':
      return "an acta's counts differ from the mesa's decrypted tally";
    case 'MESA_COUNTS_IMPOSSIBLE':
      return "a mesa's counts break turnout ≤ registered or cast ≤ checked in";
    default: {
      const never: never = code;
      return never;
    }
  }
}
