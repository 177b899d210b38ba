/**
 * Every domain-separation tag of Acta's cryptographic core (docs/spec.md §3.2).
 * A tag names exactly one use of a hash; no two uses share one. The version
 * number in each tag changes whenever the hashed statement changes.
 */
export const TAG = {
  /** Schnorr proof of knowledge of a discrete log (spec §5.1). */
  SCHNORR_CHALLENGE: 'ACTA_V1_SCHNORR_CHALLENGE',
  /** Chaum-Pedersen proof of equal discrete logs (spec §5.2). */
  CHAUM_PEDERSEN_CHALLENGE: 'ACTA_V1_CHAUM_PEDERSEN_CHALLENGE',
  /** Disjunctive 0/1 proof for one selection (spec §5.3). */
  SELECTION_CHALLENGE: 'ACTA_V1_SELECTION_CHALLENGE',
  /** Range proof that a ciphertext encrypts a value in [0, L] (spec §5.4). */
  RANGE_CHALLENGE: 'ACTA_V1_RANGE_CHALLENGE',
  /**
   * Reserved (unused in spec v1): batch weights are drawn from the system
   * CSPRNG, never derived from the batch (spec §5.6).
   */
  BATCH_WEIGHTS: 'ACTA_V1_BATCH_WEIGHTS',
  /** Key ceremony: share encryption key derivation (spec §6.3). */
  CEREMONY_SHARE_KEY: 'ACTA_V1_CEREMONY_SHARE_KEY',
  /** Key ceremony: share encryption MAC (spec §6.3). */
  CEREMONY_SHARE_MAC: 'ACTA_V1_CEREMONY_SHARE_MAC',
  /**
   * Reserved (unused in spec v1): the accusation proof is a Chaum-Pedersen
   * proof separated by its label ['ceremony', 'accusation', l, i] (spec §6.4).
   */
  CEREMONY_ACCUSATION: 'ACTA_V1_CEREMONY_ACCUSATION',
  /** Ed25519 signed-message framing (spec §7). */
  SIGNED_MESSAGE: 'ACTA_V1_SIGNED_MESSAGE',
} as const;

export type Tag = (typeof TAG)[keyof typeof TAG];
