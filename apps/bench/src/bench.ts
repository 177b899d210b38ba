/**
 * The benchmark itself (docs/performance.md): builds the inputs of every row,
 * times it with measure.ts and returns every figure of figures.ts. A process
 * runs one backend (the backend is chosen once per process, by
 * ACTA_CRYPTO_BACKEND), so `npm run bench` runs `runBackendBench` once in a
 * child process per backend (main.ts) and the backend-independent modpow rows
 * (`runModPowBench`) in the parent.
 *
 * Inputs come from a seeded generator so that two runs time the same work.
 * Batch verification still draws its random weights from the system CSPRNG,
 * as a real verifier does, and the ballot row encrypts with the system RNG,
 * as a voting device does.
 *
 * Every input is checked once before it is timed (an honest proof must verify,
 * two modpow implementations must agree), so the benchmark never times a
 * failing path by mistake.
 *
 * The last backend section, parallel verification over worker threads
 * (parallel-rows.ts), is timed differently: each configuration verifies the
 * same N ballots once, after a warm-up, and reports ballots per second.
 */
import {
  GroupElement,
  Scalar,
  batchVerifyChaumPedersen,
  batchVerifySchnorr,
  createSeededRng,
  generateElGamalKeyPair,
  getCryptoBackend,
  multiScalarMultiply,
  proveChaumPedersen,
  proveSchnorr,
  verifyChaumPedersen,
  verifySchnorr,
  type BatchOutcome,
  type BackendInfo,
  type ChaumPedersenItem,
  type ProofContext,
  type Result,
  type Rng,
  type SchnorrItem,
} from '@acta/crypto';
import { buildBallotRows } from './ballot-rows.js';
import {
  FIXED_FIGURES,
  PROOF_BATCH,
  SECTIONS,
  msmFigure,
  msmKey,
  type BenchPlan,
  type FigureInfo,
  type SectionId,
} from './figures.js';
import { runParallelRows, type ParallelResult, type ParallelRow } from './parallel-rows.js';
import { collectGarbage, measure, type MeasureOptions } from './measure.js';
import {
  BarrettModulus,
  EXPONENT_BITS,
  MODP_BITS,
  createOpenSslModPow,
  getModp4096Prime,
  modPow,
} from './modpow.js';
import { cycle, type BenchRow } from './row.js';

/** The measured result of one row. */
export interface RowResult {
  /** The figure's key, unprefixed (the JSON report adds the backend). */
  readonly key: string;
  readonly section: SectionId;
  readonly label: string;
  /** The figure, in the unit its key states (µs or ms per op, term, proof or ballot). */
  readonly value: number;
  readonly unit: 'µs' | 'ms';
  readonly per: string;
  /** Units of work per second (ops, terms, proofs or ballots). */
  readonly perSecond: number;
  readonly calls: number;
  readonly samples: number;
  readonly spread: number;
}

/** The result of one backend's run (what a child process prints as JSON). */
export interface BackendReport {
  /** `getCryptoBackend()` in the process that ran. */
  readonly backend: BackendInfo;
  readonly plan: BenchPlan;
  /** The timed rows, in run order. */
  readonly rows: readonly RowResult[];
  /** The parallel verification section. */
  readonly parallel: ParallelResult;
  /** Every figure by unprefixed key: the rows', then the parallel section's. */
  readonly figures: Readonly<Record<string, number>>;
  readonly seconds: number;
}

/** Progress callbacks of a run. */
export interface BenchCallbacks {
  /** Called when a section starts. */
  readonly onSection?: (id: SectionId, title: string) => void;
  /** Called as each row completes. */
  readonly onRow?: (row: RowResult) => void;
  /** Called as each parallel configuration completes. */
  readonly onParallelRow?: (row: ParallelRow) => void;
}

/** Time boxes of a full run: ≥ 1.5 s and ≥ 7 samples per row, after ≥ 250 ms of warm-up. */
export const FULL_OPTIONS: MeasureOptions = { minTimeMs: 1500, minSamples: 7, warmupMs: 250 };

/** Time boxes of a quick run: ≥ 20 ms of samples, no warm-up beyond the first call. */
export const QUICK_OPTIONS: MeasureOptions = { minTimeMs: 20, minSamples: 1, warmupMs: 0 };

/** The seed of every benchmark input (not a secret: nothing here protects anything). */
const SEED = 'acta-bench-v1';

/** Throws if a setup step that must succeed did not (a bug in the benchmark, not a figure). */
export function expectOk(result: Result<unknown, unknown> | BatchOutcome, what: string): void {
  if (!result.ok) throw new Error(`benchmark setup: ${what} did not verify`);
}

/** The proof context of every benchmark proof: a random election hash. */
export function createBenchContext(rng: Rng): ProofContext {
  return { electionHash: rng.randomBytes(32), label: ['bench'] };
}

function randomScalars(n: number, rng: Rng): Scalar[] {
  return Array.from({ length: n }, () => Scalar.random(rng));
}

function buildEncodingRows(rng: Rng): BenchRow[] {
  const elements = randomScalars(64, rng).map((s) => GroupElement.multiplyGenerator(s));
  const bytes = elements.map((e) => e.toBytes());
  const hexes = elements.map((e) => e.toHex());
  const scalarHexes = randomScalars(64, rng).map((s) => s.toHex());
  const nextElement = cycle(elements);
  const nextBytes = cycle(bytes);
  const nextHex = cycle(hexes);
  const nextScalarHex = cycle(scalarHexes);
  return [
    // toBytes caches its encoding, so encode a fresh element each time; the
    // negation that makes it costs a few field negations next to an inverse
    // square root.
    { key: 'element_encode_us', opsPerCall: 1, fn: () => nextElement().negate().toBytes() },
    { key: 'element_decode_us', opsPerCall: 1, fn: () => GroupElement.decode(nextBytes()) },
    { key: 'element_decode_hex_us', opsPerCall: 1, fn: () => GroupElement.decodeHex(nextHex()) },
    { key: 'scalar_decode_us', opsPerCall: 1, fn: () => Scalar.decodeHex(nextScalarHex()) },
    { key: 'element_add_us', opsPerCall: 1, fn: () => nextElement().add(nextElement()) },
  ];
}

function buildMultiplicationRows(rng: Rng): BenchRow[] {
  const scalars = cycle(randomScalars(64, rng));
  const electionKey = generateElGamalKeyPair(rng).publicKey.precompute();
  const point = GroupElement.multiplyGenerator(Scalar.random(rng));
  return [
    { key: 'mul_generator_us', opsPerCall: 1, fn: () => GroupElement.multiplyGenerator(scalars()) },
    { key: 'mul_election_key_us', opsPerCall: 1, fn: () => electionKey.multiply(scalars()) },
    { key: 'mul_variable_ct_us', opsPerCall: 1, fn: () => point.multiply(scalars()) },
    { key: 'mul_variable_vartime_us', opsPerCall: 1, fn: () => point.multiplyPublic(scalars()) },
  ];
}

/**
 * MSM inputs: uniformly random scalars, and distinct points made by a walk of
 * additions from random points (fromUniformBytes for all 131,072 would take
 * long on noble; Pippenger's cost does not depend on how the points were made).
 */
function buildMsmRows(rng: Rng, sizes: readonly number[]): BenchRow[] {
  const largest = Math.max(0, ...sizes);
  const steps = Array.from({ length: 64 }, () =>
    GroupElement.fromUniformBytes(rng.randomBytes(64)),
  );
  const points: GroupElement[] = [];
  let acc = GroupElement.fromUniformBytes(rng.randomBytes(64));
  for (let i = 0; i < largest; i++) {
    acc = acc.add(steps[i % steps.length] ?? GroupElement.GENERATOR);
    points.push(acc);
  }
  const scalars = randomScalars(largest, rng);
  return sizes.map((n) => {
    const s = scalars.slice(0, n);
    const p = points.slice(0, n);
    return { key: msmKey(n), opsPerCall: n, fn: () => multiScalarMultiply(s, p) };
  });
}

function buildProofRows(rng: Rng, context: ProofContext): BenchRow[] {
  // Schnorr: one proof per key, as in a key ceremony (every coefficient
  // commitment is its own key).
  const schnorrItems: SchnorrItem[] = Array.from({ length: PROOF_BATCH }, () => {
    const { secretKey, publicKey } = generateElGamalKeyPair(rng);
    return { context, publicKey, proof: proveSchnorr(context, secretKey, publicKey, rng) };
  });
  // Chaum-Pedersen: one trustee's decryption shares of many ciphertexts, so
  // the generator and the trustee key (one object) are shared across the batch.
  const trustee = generateElGamalKeyPair(rng);
  const cpItems: ChaumPedersenItem[] = Array.from({ length: PROOF_BATCH }, () => {
    const alpha = GroupElement.multiplyGenerator(Scalar.random(rng));
    const statement = {
      g: GroupElement.GENERATOR,
      x: trustee.publicKey,
      h: alpha,
      y: alpha.multiply(trustee.secretKey),
    };
    return {
      context,
      statement,
      proof: proveChaumPedersen(context, statement, trustee.secretKey, rng),
    };
  });
  expectOk(batchVerifySchnorr(schnorrItems), 'Schnorr batch');
  expectOk(batchVerifyChaumPedersen(cpItems), 'Chaum-Pedersen batch');
  // The batches vouch for every proof; one of each is also checked on its own.
  const [schnorr, cp] = [schnorrItems[0], cpItems[0]];
  if (schnorr === undefined || cp === undefined) throw new RangeError('empty proof batch');
  expectOk(verifySchnorr(schnorr.context, schnorr.publicKey, schnorr.proof), 'Schnorr proof');
  expectOk(verifyChaumPedersen(cp.context, cp.statement, cp.proof), 'Chaum-Pedersen proof');
  const nextSchnorr = cycle(schnorrItems);
  const nextCp = cycle(cpItems);
  return [
    {
      key: 'schnorr_verify_us',
      opsPerCall: 1,
      fn: () => {
        const item = nextSchnorr();
        return verifySchnorr(item.context, item.publicKey, item.proof);
      },
    },
    {
      key: 'schnorr_batch64_us_per_proof',
      opsPerCall: PROOF_BATCH,
      fn: () => batchVerifySchnorr(schnorrItems),
    },
    {
      key: 'chaum_pedersen_verify_us',
      opsPerCall: 1,
      fn: () => {
        const item = nextCp();
        return verifyChaumPedersen(item.context, item.statement, item.proof);
      },
    },
    {
      key: 'chaum_pedersen_batch64_us_per_proof',
      opsPerCall: PROOF_BATCH,
      fn: () => batchVerifyChaumPedersen(cpItems),
    },
  ];
}

/** A random integer of exactly `bits` bits (top bit set), below `limit` if given. */
function randomBits(rng: Rng, bits: number, limit?: bigint): bigint {
  for (;;) {
    const bytes = rng.randomBytes(Math.ceil(bits / 8));
    let n = 0n;
    for (const b of bytes) n = (n << 8n) | BigInt(b);
    n &= (1n << BigInt(bits)) - 1n;
    n |= 1n << BigInt(bits - 1);
    if (limit === undefined || n < limit - 1n) return n;
  }
}

function buildModPowRows(rng: Rng): BenchRow[] {
  const p = getModp4096Prime();
  const modulus = new BarrettModulus(p);
  const cases = Array.from({ length: 8 }, () => {
    const base = randomBits(rng, MODP_BITS, p);
    const exponent = randomBits(rng, EXPONENT_BITS);
    const native = createOpenSslModPow(p, exponent);
    if (modPow(base, exponent, modulus) !== native(base)) {
      throw new Error('benchmark setup: BigInt and OpenSSL modpow disagree');
    }
    return { base, exponent, native };
  });
  const next = cycle(cases);
  return [
    {
      key: 'modpow4096_bigint_us',
      opsPerCall: 1,
      fn: () => {
        const c = next();
        return modPow(c.base, c.exponent, modulus);
      },
    },
    {
      key: 'modpow4096_openssl_us',
      opsPerCall: 1,
      fn: () => {
        const c = next();
        return c.native(c.base);
      },
    },
  ];
}

/** The figure of a row key: a fixed-size one, or an MSM size. */
function figureOf(key: string): FigureInfo {
  if (Object.hasOwn(FIXED_FIGURES, key)) return FIXED_FIGURES[key as keyof typeof FIXED_FIGURES];
  const msm = /^msm_(\d+)_us_per_term$/.exec(key);
  if (msm?.[1] !== undefined) return msmFigure(Number(msm[1]));
  throw new RangeError(`unknown figure ${key}`);
}

function timeRow(row: BenchRow, options: MeasureOptions): RowResult {
  const figure = figureOf(row.key);
  collectGarbage();
  const m = measure(row.fn, options);
  const usPerOp = m.usPerCall / row.opsPerCall;
  const inMs = /_ms(_|$)/.test(row.key);
  return {
    key: row.key,
    section: figure.section,
    label: figure.label,
    value: inMs ? usPerOp / 1000 : usPerOp,
    unit: inMs ? 'ms' : 'µs',
    per: figure.per,
    perSecond: 1e6 / usPerOp,
    calls: m.calls,
    samples: m.samples,
    spread: m.spread,
  };
}

/** Times the rows of the sections in order; every row must belong to its section. */
function timeSections(
  builders: readonly (readonly [SectionId, () => BenchRow[]])[],
  options: MeasureOptions,
  callbacks: BenchCallbacks,
): RowResult[] {
  const rows: RowResult[] = [];
  for (const [section, build] of builders) {
    callbacks.onSection?.(section, SECTIONS[section]);
    for (const row of build()) {
      const result = timeRow(row, options);
      if (result.section !== section) {
        throw new Error(`benchmark bug: ${row.key} is not in section ${section}`);
      }
      rows.push(result);
      callbacks.onRow?.(result);
    }
  }
  return rows;
}

/** The keys of the rows a plan runs, in run order. */
export function plannedRowKeys(plan: BenchPlan): string[] {
  const fixed = Object.entries(FIXED_FIGURES as Record<string, FigureInfo>);
  const keysOf = (section: SectionId): string[] =>
    fixed.filter(([, f]) => f.section === section).map(([key]) => key);
  return [
    ...keysOf('encoding'),
    ...keysOf('multiplication'),
    ...plan.msmSizes.map(msmKey),
    ...keysOf('ballot'),
    ...keysOf('proofs'),
  ];
}

/**
 * Runs every backend section of the benchmark (all but the modpow rows) on
 * this process's backend, at the sizes of `plan`, and returns the report.
 */
export async function runBackendBench(
  plan: BenchPlan,
  callbacks: BenchCallbacks = {},
): Promise<BackendReport> {
  const started = performance.now();
  const measureOptions = plan.quick ? QUICK_OPTIONS : FULL_OPTIONS;
  const rng = createSeededRng(SEED);
  const context = createBenchContext(rng);
  // Each builder does its setup when the section starts, so that the time
  // between progress lines stays short and garbage does not pile up.
  const rows = timeSections(
    [
      ['encoding', () => buildEncodingRows(rng)],
      ['multiplication', () => buildMultiplicationRows(rng)],
      ['msm', () => buildMsmRows(rng, plan.msmSizes)],
      ['ballot', () => buildBallotRows(rng, context)],
      ['proofs', () => buildProofRows(rng, context)],
    ],
    measureOptions,
    callbacks,
  );
  const expected = plannedRowKeys(plan);
  if (rows.map((r) => r.key).join() !== expected.join()) {
    throw new Error('benchmark bug: the rows run are not the rows planned');
  }
  callbacks.onSection?.('parallel', SECTIONS.parallel);
  collectGarbage();
  const parallel = await runParallelRows(rng, context, {
    quick: plan.quick,
    ballots: plan.parallelBallots,
    chunkSize: plan.parallelChunkSize,
    onRow: callbacks.onParallelRow,
  });
  const figures: Record<string, number> = {};
  for (const row of rows) figures[row.key] = row.value;
  Object.assign(figures, parallel.figures);
  return {
    backend: getCryptoBackend(),
    plan,
    rows,
    parallel,
    figures,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Times the ElectionGuard comparison rows (4096-bit modpows). They do not
 * touch the group backend, so `npm run bench` runs them once, in the parent.
 */
export function runModPowBench(quick: boolean, callbacks: BenchCallbacks = {}): RowResult[] {
  const rng = createSeededRng(`${SEED}-modpow`);
  return timeSections(
    [['modpow', () => buildModPowRows(rng)]],
    quick ? QUICK_OPTIONS : FULL_OPTIONS,
    callbacks,
  );
}
