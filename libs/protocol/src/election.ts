/**
 * The election's two hashes (docs/spec.md §2.4), as ElectionGuard 2.x §3.1.3
 * has a base hash H_B and an extended base hash H_E:
 *
 *   baseHash     = H(ACTA_V1_ELECTION_BASE, [manifestHash, authorityKey, registryKey,
 *                    quorum, [[index, name, key] of every trustee]])
 *   electionHash = H(ACTA_V1_ELECTION_EXTENDED, [baseHash, K, [V_1, …, V_n]])
 *
 * The key ceremony is bound to baseHash (it must exist before the joint key
 * does); every ballot proof, decryption share and tracking code is bound to
 * electionHash, so nothing made for one election, key or trustee set verifies
 * in another.
 */
import { hashToBytes, type GroupElement } from '@acta/crypto';
import { PROTOCOL_TAG } from './tags.js';

/** A trustee as the election entry lists it. */
export interface TrusteeInfo {
  readonly index: number;
  readonly name: string;
  /** The trustee's Ed25519 signing key (hex). */
  readonly key: string;
}

/** The base hash (see the module header). */
export function computeBaseHash(args: {
  readonly manifestHash: Uint8Array;
  readonly authorityKey: string;
  readonly registryKey: string;
  readonly quorum: number;
  readonly trustees: readonly TrusteeInfo[];
}): Uint8Array {
  return hashToBytes(PROTOCOL_TAG.ELECTION_BASE, [
    args.manifestHash,
    args.authorityKey,
    args.registryKey,
    args.quorum,
    args.trustees.map((t) => [t.index, t.name, t.key]),
  ]);
}

/** The extended election hash (see the module header). */
export function computeElectionHash(
  baseHash: Uint8Array,
  publicKey: GroupElement,
  verificationKeys: readonly GroupElement[],
): Uint8Array {
  return hashToBytes(PROTOCOL_TAG.ELECTION_EXTENDED, [baseHash, publicKey, [...verificationKeys]]);
}
