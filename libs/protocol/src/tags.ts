/**
 * The domain-separation tags of Acta's election protocol (docs/spec.md
 * chapter 2). Like the crypto core's tags (spec §3.2) each names exactly one
 * use of a hash or signature, and its version changes whenever the hashed
 * statement changes.
 */
export const PROTOCOL_TAG = {
  /** The canonical bytes of a board entry: the Merkle leaf data (spec §2.2). */
  BOARD_ENTRY: 'ACTA_V1_BOARD_ENTRY',
  /** Signatures over an entry body (spec §2.3). */
  ENTRY_SIGNATURE: 'ACTA_V1_ENTRY',
  /** The election base hash, bound into the key ceremony (spec §2.4). */
  ELECTION_BASE: 'ACTA_V1_ELECTION_BASE',
  /** The extended election hash, bound into every ballot proof (spec §2.4). */
  ELECTION_EXTENDED: 'ACTA_V1_ELECTION_EXTENDED',
  /** The first link of a mesa's tracking-code chain (spec §2.7). */
  TRACKING_SEED: 'ACTA_V1_TRACKING_SEED',
  /** One link of a mesa's tracking-code chain (spec §2.7). */
  TRACKING_CODE: 'ACTA_V1_TRACKING_CODE',
  /** The hash of an encrypted ballot's contests, chained into its tracking code. */
  BALLOT_CONTENT: 'ACTA_V1_BALLOT_CONTENT',
} as const;
