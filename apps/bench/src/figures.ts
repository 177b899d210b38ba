/**
 * Every figure the benchmark reports (docs/performance.md), with its JSON key
 * and meaning. A key states its unit: `_us` microseconds, `_ms` milliseconds,
 * `_per_term` / `_per_proof` / `_per_ballot` the unit of work it is divided by,
 * `_per_s` a rate, `_ratio` a plain number, `_core_hours` core-hours.
 *
 * Measured figures come from timing the operation (measure.ts); derived
 * figures are arithmetic on measured ones (e.g. 10 measured modpows for an
 * ElectionGuard proof, or the national-scale extrapolation) and say so.
 */
import { EG_SELECTION_VERIFY_MODPOWS } from './modpow.js';

/** A measured figure: its key, the report section and the operation it times. */
export interface MeasuredFigure {
  readonly key: string;
  readonly section: string;
  readonly label: string;
  /** The unit of work the figure is per (op, term, proof, ballot). */
  readonly per: string;
}

/** Ballots cast in the 2024 Venezuelan presidential election (about 12.4 million). */
export const VE2024_BALLOTS = 12_400_000;

/** Party cards on the 2024 Venezuelan ballot: one selection proof each. */
export const VE2024_CARDS = 38;

/** Ballots per batch in the batched ballot verification rows (the keys say `batch10`). */
export const BALLOT_BATCH = 10;

/** Proofs per batch in the Schnorr and Chaum-Pedersen batch rows (the keys say `batch64`). */
export const PROOF_BATCH = 64;

/** MSM sizes, in terms (the keys say `msm_<n>`). */
export const MSM_SIZES = [64, 1024, 16384] as const;

/** The report's sections, in run order. */
export const SECTIONS = {
  encoding: 'Encoding',
  multiplication: 'Scalar multiplication',
  msm: 'Multi-scalar multiplication (Pippenger, variable-time)',
  ballot: `Ballot: one-of-${VE2024_CARDS} contest (2024 Venezuelan presidential ballot, limit 1)`,
  proofs: `Proof verification: one by one vs batched (${PROOF_BATCH} proofs)`,
  modpow: 'ElectionGuard arithmetic: 4096-bit modpow, 256-bit exponent',
  parallel: `Parallel verification: one-of-${VE2024_CARDS} ballots over worker threads (@acta/crypto-parallel)`,
} as const;

const ENC = SECTIONS.encoding;
const MUL = SECTIONS.multiplication;
const MSM = SECTIONS.msm;
const BALLOT = SECTIONS.ballot;
const PROOF = SECTIONS.proofs;
const EG = SECTIONS.modpow;

/** Every measured figure, in the order the benchmark runs them. */
export const MEASURED_FIGURES = [
  { key: 'element_encode_us', section: ENC, per: 'op', label: 'element encode (fresh element)' },
  { key: 'element_decode_us', section: ENC, per: 'op', label: 'element decode (32 bytes)' },
  { key: 'element_decode_hex_us', section: ENC, per: 'op', label: 'element decode (hex)' },
  { key: 'scalar_decode_us', section: ENC, per: 'op', label: 'scalar decode (hex)' },
  { key: 'element_add_us', section: ENC, per: 'op', label: 'element addition' },
  {
    key: 'mul_generator_us',
    section: MUL,
    per: 'op',
    label: 'fixed base: generator (multiplyGenerator)',
  },
  {
    key: 'mul_election_key_us',
    section: MUL,
    per: 'op',
    label: 'fixed base: precompute()d election key',
  },
  {
    key: 'mul_variable_ct_us',
    section: MUL,
    per: 'op',
    label: 'variable base, constant-time (multiply)',
  },
  {
    key: 'mul_variable_vartime_us',
    section: MUL,
    per: 'op',
    label: 'variable base, variable-time (multiplyPublic)',
  },
  {
    key: 'msm_64_us_per_term',
    section: MSM,
    per: 'term',
    label: 'MSM of 64 terms, per term',
  },
  {
    key: 'msm_1024_us_per_term',
    section: MSM,
    per: 'term',
    label: 'MSM of 1,024 terms, per term',
  },
  {
    key: 'msm_16384_us_per_term',
    section: MSM,
    per: 'term',
    label: 'MSM of 16,384 terms, per term',
  },
  {
    key: 'ballot38_encrypt_prove_ms',
    section: BALLOT,
    per: 'ballot',
    label: 'encrypt + prove (encryptContest)',
  },
  {
    key: 'ballot38_verify_one_by_one_ms',
    section: BALLOT,
    per: 'ballot',
    label: `verify one proof at a time (verifySelection ×${VE2024_CARDS}, verifyRange)`,
  },
  {
    key: 'ballot38_verify_contest_ms',
    section: BALLOT,
    per: 'ballot',
    label: 'verify batched within the ballot (verifyContest)',
  },
  {
    key: 'ballot38_batch10_ms_per_ballot',
    section: BALLOT,
    per: 'ballot',
    label: `verify batched ×${BALLOT_BATCH} ballots (batchVerifyContests)`,
  },
  {
    key: 'selection_verify_us',
    section: BALLOT,
    per: 'proof',
    label: 'one 0/1 selection proof (verifySelection)',
  },
  {
    key: 'selection_batch380_us_per_proof',
    section: BALLOT,
    per: 'proof',
    label: `0/1 proofs batched ×${BALLOT_BATCH * VE2024_CARDS} (batchVerifySelection)`,
  },
  { key: 'schnorr_verify_us', section: PROOF, per: 'proof', label: 'Schnorr (verifySchnorr)' },
  {
    key: 'schnorr_batch64_us_per_proof',
    section: PROOF,
    per: 'proof',
    label: `Schnorr batched ×${PROOF_BATCH} (batchVerifySchnorr)`,
  },
  {
    key: 'chaum_pedersen_verify_us',
    section: PROOF,
    per: 'proof',
    label: 'Chaum-Pedersen (verifyChaumPedersen)',
  },
  {
    key: 'chaum_pedersen_batch64_us_per_proof',
    section: PROOF,
    per: 'proof',
    label: `Chaum-Pedersen batched ×${PROOF_BATCH} (batchVerifyChaumPedersen)`,
  },
  {
    key: 'modpow4096_bigint_us',
    section: EG,
    per: 'op',
    label: 'pure-JS BigInt (sliding window + Barrett)',
  },
  {
    key: 'modpow4096_openssl_us',
    section: EG,
    per: 'op',
    label: 'native OpenSSL BN_mod_exp (via node:crypto DH)',
  },
] as const satisfies readonly MeasuredFigure[];

/** The key of a measured figure. */
export type MeasuredKey = (typeof MEASURED_FIGURES)[number]['key'];

/** A derived figure: arithmetic on measured ones. */
export interface DerivedFigure {
  readonly key: string;
  readonly label: string;
  readonly value: number;
}

/** The keys of the derived figures, in report order. */
export const DERIVED_KEYS = [
  'selection_batch_proofs_per_s',
  'eg_selection_verify_bigint_ms',
  'eg_selection_verify_openssl_ms',
  'eg_openssl_vs_acta_selection_verify_ratio',
  'eg_openssl_vs_acta_batched_selection_ratio',
  've2024_selection_proofs',
  've2024_verify_batched_core_hours',
  've2024_verify_one_by_one_core_hours',
] as const;

/** The key of a derived figure. */
export type DerivedKey = (typeof DERIVED_KEYS)[number];

/** Every measured figure's key, in report order. */
export const MEASURED_KEYS: readonly MeasuredKey[] = MEASURED_FIGURES.map((f) => f.key);

/**
 * The keys of the parallel verification section (parallel-rows.ts): the
 * ballots verified per configuration, the worker count of "all cores", the
 * rates per configuration (in the calling thread, one worker, one per core)
 * and the all-cores speed-up over the calling thread.
 */
export const PARALLEL_KEYS = [
  'parallel_verify_ballots',
  'parallel_verify_all_cores_workers',
  'parallel_verify_ballots_per_s_in_thread',
  'parallel_verify_ballots_per_s_1_worker',
  'parallel_verify_ballots_per_s_all_cores',
  'parallel_verify_selection_proofs_per_s_in_thread',
  'parallel_verify_selection_proofs_per_s_1_worker',
  'parallel_verify_selection_proofs_per_s_all_cores',
  'parallel_verify_all_cores_vs_in_thread_ratio',
] as const;

/** A key of the parallel verification section. */
export type ParallelKey = (typeof PARALLEL_KEYS)[number];

/** Every key of the JSON report's figures. */
export const ALL_FIGURE_KEYS: readonly (MeasuredKey | DerivedKey | ParallelKey)[] = [
  ...MEASURED_KEYS,
  ...DERIVED_KEYS,
  ...PARALLEL_KEYS,
];

const MS_PER_CORE_HOUR = 3_600_000;

/** Computes the derived figures from a complete set of measured ones. */
export function deriveFigures(m: Readonly<Record<MeasuredKey, number>>): DerivedFigure[] {
  const batchedSelectionUs = m.selection_batch380_us_per_proof;
  const egBigIntUs = EG_SELECTION_VERIFY_MODPOWS * m.modpow4096_bigint_us;
  const egOpenSslUs = EG_SELECTION_VERIFY_MODPOWS * m.modpow4096_openssl_us;
  const selectionProofs = VE2024_BALLOTS * VE2024_CARDS;
  const figures: Record<DerivedKey, { label: string; value: number }> = {
    selection_batch_proofs_per_s: {
      label: 'batched 0/1 selection proofs verified per second, one core',
      value: 1e6 / batchedSelectionUs,
    },
    eg_selection_verify_bigint_ms: {
      label: `ElectionGuard 0/1 proof verification = ${EG_SELECTION_VERIFY_MODPOWS} modpows, BigInt (ms)`,
      value: egBigIntUs / 1000,
    },
    eg_selection_verify_openssl_ms: {
      label: `ElectionGuard 0/1 proof verification = ${EG_SELECTION_VERIFY_MODPOWS} modpows, OpenSSL (ms)`,
      value: egOpenSslUs / 1000,
    },
    eg_openssl_vs_acta_selection_verify_ratio: {
      label: 'ElectionGuard (OpenSSL) / Acta, one 0/1 proof verified on its own',
      value: egOpenSslUs / m.selection_verify_us,
    },
    eg_openssl_vs_acta_batched_selection_ratio: {
      label: 'ElectionGuard (OpenSSL) / Acta batched, per 0/1 proof',
      value: egOpenSslUs / batchedSelectionUs,
    },
    ve2024_selection_proofs: {
      label: `selection proofs in 2024 Venezuela (${VE2024_BALLOTS.toLocaleString('en-US')} ballots × ${VE2024_CARDS})`,
      value: selectionProofs,
    },
    ve2024_verify_batched_core_hours: {
      label: `core-hours to verify every 2024 ballot, batched ×${BALLOT_BATCH}`,
      value: (VE2024_BALLOTS * m.ballot38_batch10_ms_per_ballot) / MS_PER_CORE_HOUR,
    },
    ve2024_verify_one_by_one_core_hours: {
      label: 'core-hours to verify every 2024 ballot, one proof at a time',
      value: (VE2024_BALLOTS * m.ballot38_verify_one_by_one_ms) / MS_PER_CORE_HOUR,
    },
  };
  return DERIVED_KEYS.map((key) => ({ key, ...figures[key] }));
}
