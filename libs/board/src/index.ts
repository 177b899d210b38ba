/**
 * @acta/board — the pure logic of Acta's public bulletin board: an
 * append-only log hashed into an RFC 6962 §2.1 Merkle tree, signed tree heads,
 * inclusion and consistency proofs (generated per RFC 6962 §2.1.1-2, verified
 * per RFC 9162 §2.1.3.2 and §2.1.4.2). No I/O: storage lives elsewhere.
 */
export { BoardError, boardError, describeBoardErrorCode, type BoardErrorCode } from './errors.js';
export { HASH_LENGTH, EMPTY_TREE_ROOT, hashLeaf, hashChildren, computeRoot } from './hash.js';
export { MerkleFrontier, type MerkleFrontierJson } from './frontier.js';
export {
  MerkleTree,
  computeRootOf,
  computeInclusionProof,
  computeConsistencyProof,
  type MerkleNodeSource,
} from './tree.js';
export {
  verifyInclusion,
  verifyConsistency,
  inclusionProofLength,
  consistencyProofLength,
  type InclusionCheck,
  type ConsistencyCheck,
} from './verify.js';
export {
  encodeInclusionProof,
  parseInclusionProof,
  encodeConsistencyProof,
  parseConsistencyProof,
  type InclusionProof,
  type InclusionProofJson,
  type ConsistencyProof,
  type ConsistencyProofJson,
} from './proofs.js';
export {
  TREE_HEAD_TAG,
  MAX_LOG_ID_LENGTH,
  signTreeHead,
  verifyTreeHead,
  encodeSignedTreeHead,
  parseSignedTreeHead,
  checkTreeHeadConsistency,
  type TreeHead,
  type SignedTreeHead,
  type SignedTreeHeadJson,
} from './tree-head.js';
