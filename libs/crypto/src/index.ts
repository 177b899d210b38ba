/**
 * @acta/crypto — Acta's cryptographic core (docs/spec.md). The only package
 * that touches group arithmetic; everything else uses these types.
 */
export { ok, err, unwrap, type Ok, type Err, type Result } from './result.js';
export { CryptoError, cryptoError, type CryptoErrorCode } from './errors.js';
export { encodeHex, decodeHex, concat, bytesEqual, utf8 } from './bytes.js';
export { defaultRng, createSeededRng, type Rng } from './rng.js';
export {
  GroupElement,
  Scalar,
  GROUP_ORDER,
  ELEMENT_LENGTH,
  SCALAR_LENGTH,
  UNIFORM_LENGTH,
  multiScalarMultiply,
  sumElements,
  type DecodeElementOptions,
} from './group.js';
export {
  encodeHashInput,
  hashToScalar,
  hashToBytes,
  hashToElement,
  HASH_PART_TYPE,
  type HashPart,
} from './hash.js';
export { TAG, type Tag } from './tags.js';
export {
  encrypt,
  encryptRandom,
  generateElGamalKeyPair,
  addCiphertexts,
  sumCiphertexts,
  ciphertextsEqual,
  computeDecryptionShare,
  removeDecryptionShare,
  encodeCiphertext,
  decodeCiphertext,
  ZERO_CIPHERTEXT,
  type Ciphertext,
  type CiphertextJson,
  type ElGamalKeyPair,
} from './elgamal.js';
export {
  DiscreteLogTable,
  getDiscreteLogTable,
  solveDiscreteLog,
  DEFAULT_DLOG_MAX,
} from './dlog.js';
export {
  ELECTION_HASH_LENGTH,
  checkProofContext,
  contextHashParts,
  type ProofContext,
} from './proof-context.js';
export {
  evaluateLinearCheck,
  evaluateChecksCombined,
  findFailedCheck,
  verifyBatch,
  type LinearCheck,
  type LinearTerm,
  type BatchFailure,
  type BatchOutcome,
} from './batch.js';
export {
  proveSchnorr,
  verifySchnorr,
  schnorrChecks,
  batchVerifySchnorr,
  encodeSchnorrProof,
  decodeSchnorrProof,
  type SchnorrProof,
  type SchnorrProofJson,
  type SchnorrItem,
} from './schnorr.js';
export {
  proveChaumPedersen,
  verifyChaumPedersen,
  chaumPedersenChecks,
  batchVerifyChaumPedersen,
  encodeChaumPedersenProof,
  decodeChaumPedersenProof,
  type ChaumPedersenStatement,
  type ChaumPedersenProof,
  type ChaumPedersenProofJson,
  type ChaumPedersenItem,
} from './chaum-pedersen.js';
