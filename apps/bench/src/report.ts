/**
 * Text and JSON forms of a benchmark report (docs/performance.md shows both):
 * a header naming the machine, one line per row as it completes, a summary of
 * the derived figures (the ElectionGuard comparison and the national-scale
 * extrapolation), and the `--json` object with every figure.
 */
import { FULL_OPTIONS, type BenchReport, type RowResult } from './bench.js';
import { VE2024_BALLOTS, VE2024_CARDS } from './figures.js';
import type { MachineInfo } from './machine.js';
import { EG_SELECTION_VERIFY_MODPOWS, MODP_NAME } from './modpow.js';
import type { ParallelResult, ParallelRow } from './parallel-rows.js';

const LABEL_WIDTH = 58;
const DERIVED_WIDTH = 72;

/** A number with about three significant digits, grouped in thousands. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return x.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** The report header: what ran, where, when and how it was timed. */
export function formatHeader(machine: MachineInfo, mode: 'full' | 'quick', gc: boolean): string {
  const lines = [
    `Acta crypto benchmark (${mode} run)`,
    `CPU ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}`,
    `Node ${machine.node} (V8 ${machine.v8}), ${machine.date}`,
    'Backend: @acta/crypto over @noble/curves ristretto255 (pure JavaScript), one thread.',
    mode === 'full'
      ? `Each row: warm-up ≥ ${FULL_OPTIONS.warmupMs} ms, then ≥ ${FULL_OPTIONS.minSamples} samples over ≥ ${FULL_OPTIONS.minTimeMs / 1000} s; median sample; spread = (max − min) / median.`
      : 'Quick run: ≥ 20 ms of samples per row, no warm-up; figures are indicative only.',
  ];
  if (!gc)
    lines.push('Note: node was started without --expose-gc; rows may pay for earlier garbage.');
  return lines.join('\n');
}

/** A section title line. */
export function formatSection(title: string): string {
  return `\n${title}`;
}

/** One row: the figure, its rate, and how it was sampled. */
export function formatRow(row: RowResult): string {
  const label = row.label.length > LABEL_WIDTH ? row.label : row.label.padEnd(LABEL_WIDTH);
  const value = `${formatNumber(row.value)} ${row.unit}/${row.per}`.padStart(16);
  const rate = `${formatNumber(row.perSecond)} ${row.per}/s`.padStart(17);
  const spread = `${Math.round(row.spread * 100)}%`;
  return `  ${label} ${value} ${rate}   (${row.calls.toLocaleString('en-US')} calls, spread ${spread})`;
}

/** One parallel configuration: ballots and selection proofs per second, and what was timed. */
export function formatParallelRow(row: ParallelRow): string {
  const label = `${row.label} (workers: ${row.workers})`;
  const rate = `${formatNumber(row.ballotsPerSecond)} ballots/s`.padStart(16);
  const proofs = `${formatNumber(row.selectionProofsPerSecond)} 0/1 proofs/s`.padStart(22);
  return `  ${label.padEnd(LABEL_WIDTH)} ${rate} ${proofs}   (${row.ballots.toLocaleString('en-US')} ballots in ${formatNumber(row.seconds)} s)`;
}

/** The parallel section's conditions and its national-scale reading. */
function formatParallelSummary(p: ParallelResult): string[] {
  const allCores = p.figures.parallel_verify_ballots_per_s_all_cores;
  const hours = VE2024_BALLOTS / allCores / 3600;
  return [
    '',
    `Parallel verification: ${p.ballots.toLocaleString('en-US')} ballots per configuration, ${p.chunkSize} per batch, ${p.backend} backend in every thread;`,
    `  ${p.figures.parallel_verify_all_cores_workers} workers verify ×${formatNumber(p.figures.parallel_verify_all_cores_vs_in_thread_ratio)} as fast as the calling thread alone,`,
    `  i.e. every 2024 ballot in ${formatNumber(hours)} hours on this machine.`,
  ];
}

/** The derived figures and what they mean. */
export function formatSummary(report: BenchReport): string {
  const f = report.figures;
  const get = (key: string): string => formatNumber(f[key] ?? Number.NaN);
  const lines = [
    '\nDerived figures (arithmetic on the figures above)',
    ...report.derived.map((d) => `  ${d.label.padEnd(DERIVED_WIDTH)} ${formatNumber(d.value)}`),
    '',
    `ElectionGuard comparison: modulus = ${MODP_NAME}, exponents of 256 bits.`,
    `  ElectionGuard 2.0 verifies a 0/1 proof with ${EG_SELECTION_VERIFY_MODPOWS} such modpows`,
    '  (g^v·α^c and K^w·β^c for both branches, and α^q, β^q subgroup checks);',
    `  at the OpenSSL figure that is ${get('eg_selection_verify_openssl_ms')} ms, against ${get('selection_verify_us')} µs`,
    `  for one ristretto255 0/1 proof here (×${get('eg_openssl_vs_acta_selection_verify_ratio')}) and ${get('selection_batch380_us_per_proof')} µs batched (×${get('eg_openssl_vs_acta_batched_selection_ratio')}).`,
    '  The BigInt figure is pure JavaScript; OpenSSL is native (constant-time Montgomery exponentiation).',
    '  GMP (electionguard-python uses it through gmpy2) is native as well and faster than BigInt;',
    '  it was not measured here.',
    '',
    `National scale: ${VE2024_BALLOTS.toLocaleString('en-US')} ballots × ${VE2024_CARDS} cards = ${get('ve2024_selection_proofs')} selection proofs;`,
    `  verifying every ballot batched takes ${get('ve2024_verify_batched_core_hours')} core-hours at the measured rate`,
    `  (${get('ve2024_verify_one_by_one_core_hours')} core-hours one proof at a time).`,
    ...formatParallelSummary(report.parallel),
    `\nTotal time ${formatNumber(report.seconds)} s.`,
  ];
  return lines.join('\n');
}

/** Rounds to four significant digits (the figures are not more precise than that). */
function round(x: number): number {
  return Number(x.toPrecision(4));
}

/**
 * The `--json` object: every figure under its key (units in the key names),
 * then `machine`, `mode` and `seconds`.
 */
export function formatJson(report: BenchReport): string {
  const figures: Record<string, number> = {};
  for (const [key, value] of Object.entries(report.figures)) figures[key] = round(value);
  return JSON.stringify(
    { ...figures, machine: report.machine, mode: report.mode, seconds: round(report.seconds) },
    null,
    2,
  );
}
