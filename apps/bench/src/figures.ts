/**
 * Every figure the benchmark reports (docs/performance.md), with its JSON key
 * and meaning, the sizes each backend runs (issue #3: the noble backend runs
 * scaled-down sizes so that a full run stays short) and the arithmetic behind
 * the derived figures and the issue-#3 targets.
 *
 * A key states its unit: `_us` microseconds, `_ms` milliseconds, `_per_term` /
 * `_per_proof` / `_per_ballot` the unit of work it is divided by, `_per_s` a
 * rate, `_ratio` a plain number, `_core_hours` core-hours, `_hours` wall-clock
 * hours. Keys that depend on a size name it (`msm_16384_…`,
 * `verify_10000_ballots_…`), so a figure never claims a size it did not run.
 * In the JSON report every backend figure is prefixed with its backend
 * (`native_…`, `noble_…`); the ElectionGuard figures, which no backend
 * computes, are not.
 *
 * Measured figures come from timing the operation (measure.ts); derived
 * figures are arithmetic on measured ones (e.g. 10 measured modpows for an
 * ElectionGuard proof, or the national-scale extrapolation) and say so.
 */
import { EG_SELECTION_VERIFY_MODPOWS } from './modpow.js';

/** Ballots cast in the 2024 Venezuelan presidential election (about 12.4 million). */
export const VE2024_BALLOTS = 12_400_000;

/** Party cards on the 2024 Venezuelan ballot: one selection proof each. */
export const VE2024_CARDS = 38;

/** 0/1 selection proofs in the 2024 Venezuelan presidential election (about 471 million). */
export const VE2024_SELECTION_PROOFS = VE2024_BALLOTS * VE2024_CARDS;

/** Ballots per batch in the batched ballot verification rows (the keys say `batch10`). */
export const BALLOT_BATCH = 10;

/** Proofs per batch in the Schnorr and Chaum-Pedersen batch rows (the keys say `batch64`). */
export const PROOF_BATCH = 64;

/** The two backends (as `getCryptoBackend().name` reports them), native first. */
export const BACKENDS = ['native', 'noble'] as const;

/** A backend's name. */
export type BackendId = (typeof BACKENDS)[number];

/**
 * How long a run is: `quick` is a smoke test (tiny sizes and time boxes),
 * `standard` the default (noble scaled down), `full` runs noble at the native
 * sizes too.
 */
export type RunMode = 'quick' | 'standard' | 'full';

/** The sizes one backend runs. */
export interface BenchPlan {
  /** Short time boxes (smoke test). */
  readonly quick: boolean;
  /** MSM sizes, in terms, ascending (the keys say `msm_<n>`). */
  readonly msmSizes: readonly number[];
  /** Ballots verified per configuration in the parallel section (the keys say `verify_<n>_ballots`). */
  readonly parallelBallots: number;
  /** Contests per batch in the parallel section. */
  readonly parallelChunkSize?: number;
  /** Whether these sizes are smaller than the native backend's in the same mode. */
  readonly scaledDown: boolean;
}

/** The MSM sizes of issue #3 (plus 64 terms, the size of a small batch). */
const MSM_SIZES_FULL = [64, 1024, 16_384, 131_072] as const;

/** Ballots of the issue-#3 parallel verification figure. */
export const PARALLEL_BALLOTS_FULL = 10_000;

/** Ballots per configuration on noble in a standard run (about 40× slower than native). */
export const PARALLEL_BALLOTS_NOBLE = 200;

/** Ballots per configuration in a quick run, in batches of QUICK_CHUNK_SIZE. */
export const PARALLEL_BALLOTS_QUICK = 8;

const QUICK_CHUNK_SIZE = 2;

/**
 * The sizes `backend` runs in `mode`. Native always runs the sizes of issue
 * #3; noble, 30–50× slower, runs MSMs up to 16,384 terms and 200 ballots per
 * parallel configuration in a standard run so that it stays under about two
 * minutes. Every figure is per unit of work (term, ballot), so the two stay
 * comparable; an MSM's cost per term falls as it grows, which is why no
 * speed-up is computed between two different MSM sizes.
 */
export function planFor(backend: BackendId, mode: RunMode): BenchPlan {
  if (mode === 'quick') {
    return {
      quick: true,
      msmSizes: backend === 'native' ? [64, 1024, 16_384] : [64, 1024],
      parallelBallots: PARALLEL_BALLOTS_QUICK,
      parallelChunkSize: QUICK_CHUNK_SIZE,
      scaledDown: backend === 'noble',
    };
  }
  if (backend === 'native' || mode === 'full') {
    return {
      quick: false,
      msmSizes: MSM_SIZES_FULL,
      parallelBallots: PARALLEL_BALLOTS_FULL,
      scaledDown: false,
    };
  }
  return {
    quick: false,
    msmSizes: [64, 1024, 16_384],
    parallelBallots: PARALLEL_BALLOTS_NOBLE,
    scaledDown: true,
  };
}

/** The report's sections, in run order (the backend children run all but `modpow`). */
export const SECTIONS = {
  encoding: 'Encoding',
  multiplication: 'Scalar multiplication',
  msm: 'Multi-scalar multiplication (Pippenger, variable-time)',
  ballot: `Ballot: one-of-${VE2024_CARDS} contest (2024 Venezuelan presidential ballot, limit 1)`,
  proofs: `Proof verification: one by one vs batched (${PROOF_BATCH} proofs)`,
  parallel: `Parallel verification: one-of-${VE2024_CARDS} ballots over worker threads (@acta/crypto-parallel)`,
  modpow: 'ElectionGuard arithmetic: 4096-bit modpow, 256-bit exponent',
} as const;

/** A section's id. */
export type SectionId = keyof typeof SECTIONS;

/** What a timed figure is: its section, the operation and the unit of work it is per. */
export interface FigureInfo {
  readonly section: SectionId;
  readonly label: string;
  /** The unit of work the figure is per (op, term, proof, ballot). */
  readonly per: string;
}

/** The timed figures of fixed size, by key, in the order the benchmark runs them. */
export const FIXED_FIGURES = {
  element_encode_us: { section: 'encoding', per: 'op', label: 'element encode (fresh element)' },
  element_decode_us: { section: 'encoding', per: 'op', label: 'element decode (32 bytes)' },
  element_decode_hex_us: { section: 'encoding', per: 'op', label: 'element decode (hex)' },
  scalar_decode_us: { section: 'encoding', per: 'op', label: 'scalar decode (hex)' },
  element_add_us: { section: 'encoding', per: 'op', label: 'element addition' },
  mul_generator_us: {
    section: 'multiplication',
    per: 'op',
    label: 'fixed base: generator (multiplyGenerator)',
  },
  mul_election_key_us: {
    section: 'multiplication',
    per: 'op',
    label: 'fixed base: precompute()d election key',
  },
  mul_variable_ct_us: {
    section: 'multiplication',
    per: 'op',
    label: 'variable base, constant-time (multiply)',
  },
  mul_variable_vartime_us: {
    section: 'multiplication',
    per: 'op',
    label: 'variable base, variable-time (multiplyPublic)',
  },
  ballot38_encrypt_prove_ms: {
    section: 'ballot',
    per: 'ballot',
    label: 'encrypt + prove (encryptContest, system RNG)',
  },
  ballot38_verify_one_by_one_ms: {
    section: 'ballot',
    per: 'ballot',
    label: `verify one proof at a time (verifySelection ×${VE2024_CARDS}, verifyRange)`,
  },
  ballot38_verify_contest_ms: {
    section: 'ballot',
    per: 'ballot',
    label: 'verify batched within the ballot (verifyContest)',
  },
  ballot38_batch10_ms_per_ballot: {
    section: 'ballot',
    per: 'ballot',
    label: `verify batched ×${BALLOT_BATCH} ballots (batchVerifyContests)`,
  },
  selection_verify_us: {
    section: 'ballot',
    per: 'proof',
    label: 'one 0/1 selection proof (verifySelection)',
  },
  selection_batch380_us_per_proof: {
    section: 'ballot',
    per: 'proof',
    label: `0/1 proofs batched ×${BALLOT_BATCH * VE2024_CARDS} (batchVerifySelection)`,
  },
  schnorr_verify_us: { section: 'proofs', per: 'proof', label: 'Schnorr (verifySchnorr)' },
  schnorr_batch64_us_per_proof: {
    section: 'proofs',
    per: 'proof',
    label: `Schnorr batched ×${PROOF_BATCH} (batchVerifySchnorr)`,
  },
  chaum_pedersen_verify_us: {
    section: 'proofs',
    per: 'proof',
    label: 'Chaum-Pedersen (verifyChaumPedersen)',
  },
  chaum_pedersen_batch64_us_per_proof: {
    section: 'proofs',
    per: 'proof',
    label: `Chaum-Pedersen batched ×${PROOF_BATCH} (batchVerifyChaumPedersen)`,
  },
  modpow4096_bigint_us: {
    section: 'modpow',
    per: 'op',
    label: 'pure-JS BigInt (sliding window + Barrett)',
  },
  modpow4096_openssl_us: {
    section: 'modpow',
    per: 'op',
    label: 'native OpenSSL BN_mod_exp (via node:crypto DH)',
  },
} as const satisfies Record<string, FigureInfo>;

/** The key of a timed figure of fixed size. */
export type FixedKey = keyof typeof FIXED_FIGURES;

/** The key of the MSM row of `n` terms. */
export function msmKey(n: number): string {
  return `msm_${n}_us_per_term`;
}

/** The figure of the MSM row of `n` terms. */
export function msmFigure(n: number): FigureInfo {
  return {
    section: 'msm',
    per: 'term',
    label: `MSM of ${n.toLocaleString('en-US')} terms, per term`,
  };
}

/** The parallel configurations, in run order, with their table labels. */
export const PARALLEL_CONFIGS = [
  { id: 'in_thread', label: '1 core: in the calling thread (workers: 0)' },
  { id: '1_worker', label: '1 core: one worker thread (workers: 1)' },
  { id: 'all_cores', label: 'all cores: one worker per core' },
] as const;

/** A parallel configuration's id. */
export type ParallelConfigId = (typeof PARALLEL_CONFIGS)[number]['id'];

/** The key of a parallel configuration's rate when verifying `ballots` ballots. */
export function parallelKey(ballots: number, config: ParallelConfigId): string {
  return `verify_${ballots}_ballots_${config}_per_s`;
}

/** The worker count of the all-cores configuration. */
export const PARALLEL_WORKERS_KEY = 'verify_all_cores_workers';

/** All cores over the calling thread, in ballots per second. */
export const PARALLEL_RATIO_KEY = 'verify_all_cores_vs_in_thread_ratio';

/** A derived figure: arithmetic on measured ones. */
export interface DerivedFigure {
  readonly key: string;
  readonly label: string;
  readonly value: number;
}

const MS_PER_CORE_HOUR = 3_600_000;
const US_PER_CORE_HOUR = 3_600_000_000;

/**
 * The figures derived from one backend's measured figures and the modpow
 * figures (unprefixed keys). `figures` must hold every fixed-size key of the
 * backend sections and the parallel rates of `ballots` ballots.
 */
export function deriveBackendFigures(
  figures: Readonly<Record<string, number>>,
  modpowOpenSslUs: number,
  ballots: number,
): DerivedFigure[] {
  const get = (key: string): number => {
    const value = figures[key];
    if (value === undefined) throw new RangeError(`no figure ${key} to derive from`);
    return value;
  };
  const batchedSelectionUs = get('selection_batch380_us_per_proof');
  const egOpenSslUs = EG_SELECTION_VERIFY_MODPOWS * modpowOpenSslUs;
  const allCores = get(parallelKey(ballots, 'all_cores'));
  return [
    {
      key: 'selection_batch_per_s',
      label: 'batched 0/1 selection proofs verified per second, one core',
      value: 1e6 / batchedSelectionUs,
    },
    {
      key: 'eg_openssl_vs_acta_selection_verify_ratio',
      label: 'ElectionGuard (OpenSSL) / Acta, one 0/1 proof verified on its own',
      value: egOpenSslUs / get('selection_verify_us'),
    },
    {
      key: 'eg_openssl_vs_acta_batched_selection_ratio',
      label: 'ElectionGuard (OpenSSL) / Acta batched, per 0/1 proof',
      value: egOpenSslUs / batchedSelectionUs,
    },
    {
      key: 've2024_selection_proofs_batched_core_hours',
      label: `core-hours for the 2024 selection proofs, batched ×${BALLOT_BATCH * VE2024_CARDS}`,
      value: (VE2024_SELECTION_PROOFS * batchedSelectionUs) / US_PER_CORE_HOUR,
    },
    {
      key: 've2024_verify_batched_core_hours',
      label: `core-hours to verify every 2024 ballot, batched ×${BALLOT_BATCH}`,
      value: (VE2024_BALLOTS * get('ballot38_batch10_ms_per_ballot')) / MS_PER_CORE_HOUR,
    },
    {
      key: 've2024_verify_one_by_one_core_hours',
      label: 'core-hours to verify every 2024 ballot, one proof at a time',
      value: (VE2024_BALLOTS * get('ballot38_verify_one_by_one_ms')) / MS_PER_CORE_HOUR,
    },
    {
      key: 've2024_verify_all_cores_hours',
      label: 'hours to verify every 2024 ballot on all cores of this machine',
      value: VE2024_BALLOTS / allCores / 3600,
    },
  ];
}

/** The figures derived from the modpow figures alone (no backend; unprefixed keys). */
export function deriveElectionGuardFigures(
  modpowBigIntUs: number,
  modpowOpenSslUs: number,
): DerivedFigure[] {
  const egOpenSslUs = EG_SELECTION_VERIFY_MODPOWS * modpowOpenSslUs;
  return [
    {
      key: 'eg_selection_verify_bigint_ms',
      label: `ElectionGuard 0/1 proof verification = ${EG_SELECTION_VERIFY_MODPOWS} modpows, BigInt (ms)`,
      value: (EG_SELECTION_VERIFY_MODPOWS * modpowBigIntUs) / 1000,
    },
    {
      key: 'eg_selection_verify_openssl_ms',
      label: `ElectionGuard 0/1 proof verification = ${EG_SELECTION_VERIFY_MODPOWS} modpows, OpenSSL (ms)`,
      value: egOpenSslUs / 1000,
    },
    {
      key: 've2024_selection_proofs',
      label: `selection proofs in 2024 Venezuela (${VE2024_BALLOTS.toLocaleString('en-US')} ballots × ${VE2024_CARDS})`,
      value: VE2024_SELECTION_PROOFS,
    },
    {
      key: 've2024_eg_openssl_selection_core_hours',
      label: 'core-hours for the 2024 selection proofs at ElectionGuard cost (OpenSSL)',
      value: (VE2024_SELECTION_PROOFS * egOpenSslUs) / US_PER_CORE_HOUR,
    },
  ];
}

/** An issue-#3 performance target, on one core. */
export interface Target {
  /** The figure it is checked on (an unprefixed key, measured or derived). */
  readonly key: string;
  readonly label: string;
  readonly target: number;
  /** `at_least` for rates, `at_most` for times. */
  readonly comparison: 'at_least' | 'at_most';
  readonly unit: string;
}

/** The targets of issue #3 (one core). */
export const TARGETS: readonly Target[] = [
  {
    key: 'selection_batch_per_s',
    label: 'batched 0/1 selection-proof verification',
    target: 20_000,
    comparison: 'at_least',
    unit: 'proofs/s',
  },
  {
    key: 'element_decode_us',
    label: 'element decode',
    target: 10,
    comparison: 'at_most',
    unit: 'µs',
  },
  {
    key: msmKey(16_384),
    label: 'MSM of 16,384 terms, per term',
    target: 6,
    comparison: 'at_most',
    unit: 'µs/term',
  },
  {
    key: 'ballot38_encrypt_prove_ms',
    label: `encrypt + prove one ${VE2024_CARDS}-card ballot`,
    target: 5,
    comparison: 'at_most',
    unit: 'ms',
  },
];

/** A target checked against a backend's figures. */
export interface TargetResult extends Target {
  /** The backend measured (native; noble only when native is unavailable). */
  readonly backend: BackendId;
  /** The measured figure, or null when this run did not measure it. */
  readonly measured: number | null;
  readonly met: boolean;
}

/** Checks every target against one backend's figures (unprefixed keys, derived included). */
export function evaluateTargets(
  figures: Readonly<Record<string, number>>,
  backend: BackendId,
): TargetResult[] {
  return TARGETS.map((t) => {
    const measured = figures[t.key] ?? null;
    const met =
      measured !== null &&
      (t.comparison === 'at_least' ? measured >= t.target : measured <= t.target);
    return { ...t, backend, measured, met };
  });
}
