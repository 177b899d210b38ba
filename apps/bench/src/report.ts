/**
 * Text and JSON forms of a benchmark run (docs/performance.md shows both):
 * progress lines as each row completes (printed by the backend children), then
 * the report: a header naming the machine, the backends and the sizes each
 * ran, one table per section with native and noble side by side and the
 * native speed-up, the issue-#3 targets, the ElectionGuard comparison and the
 * national-scale figures; then the side sections (board, verifier, audit,
 * forensics); and the `--json` object with every figure.
 */
import { FULL_OPTIONS, QUICK_OPTIONS, type BackendReport, type RowResult } from './bench.js';
import {
  backendsOf,
  combineSections,
  deriveRun,
  runFigures,
  runTargets,
  type BenchRun,
  type CombinedRow,
  type RunDerived,
} from './combine.js';
import {
  BALLOT_BATCH,
  SECTIONS,
  VE2024_BALLOTS,
  VE2024_CARDS,
  type BackendId,
  type DerivedFigure,
  type TargetResult,
} from './figures.js';
import { EG_SELECTION_VERIFY_MODPOWS, MODP_NAME } from './modpow.js';
import type { ParallelRow } from './parallel-rows.js';
import type { BoardRow } from './board-bench.js';

const LABEL_WIDTH = 58;

/** A run with the forensics section (issue #7) beside the sections of `BenchRun`. */
export type ReportedRun = BenchRun & { readonly forensics?: readonly BoardRow[] };

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

/** A progress line: one row, its rate, and how it was sampled. */
export function formatRow(row: RowResult): string {
  const label = row.label.length > LABEL_WIDTH ? row.label : row.label.padEnd(LABEL_WIDTH);
  const value = `${formatNumber(row.value)} ${row.unit}/${row.per}`.padStart(16);
  const rate = `${formatNumber(row.perSecond)} ${row.per}/s`.padStart(17);
  const spread = `${Math.round(row.spread * 100)}%`;
  return `  ${label} ${value} ${rate}   (${row.calls.toLocaleString('en-US')} calls, spread ${spread})`;
}

/** A progress line: one parallel configuration, ballots and selection proofs per second. */
export function formatParallelRow(row: ParallelRow): string {
  const rate = `${formatNumber(row.ballotsPerSecond)} ballots/s`.padStart(16);
  const proofs = `${formatNumber(row.selectionProofsPerSecond)} 0/1 proofs/s`.padStart(22);
  return `  ${row.label.padEnd(LABEL_WIDTH)} ${rate} ${proofs}   (${row.ballots.toLocaleString('en-US')} ballots in ${formatNumber(row.seconds)} s)`;
}

/** A table in Markdown syntax, its columns padded so that it also reads as plain text. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: readonly boolean[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells
      .map((c, i) => (rightAligned[i] === true ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join(' | ')} |`;
  const rule = `| ${widths
    .map((w, i) => (rightAligned[i] === true ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)))
    .join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function formatSpeedup(x: number | undefined): string {
  return x === undefined ? '—' : `×${formatNumber(x)}`;
}

function formatCell(row: CombinedRow, backend: BackendId): string {
  const cell = row[backend];
  return cell === undefined ? 'not run' : `${formatNumber(cell.value)} ${row.unit}`;
}

/** What each backend ran, for the header. */
function formatSizes(report: BackendReport): string {
  const { plan } = report;
  const largest = plan.msmSizes[plan.msmSizes.length - 1] ?? 0;
  return (
    `MSM up to ${largest.toLocaleString('en-US')} terms, ` +
    `${plan.parallelBallots.toLocaleString('en-US')} ballots per parallel configuration` +
    (plan.scaledDown ? ' (scaled down to keep the run short)' : '')
  );
}

function formatHeader(run: BenchRun): string[] {
  const m = run.machine;
  const lines = [
    `Acta crypto benchmark: native vs noble (${run.mode} run)`,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}`,
    `Node ${m.node} (V8 ${m.v8}), ${m.date}`,
  ];
  if (run.native === undefined) {
    lines.push(
      `Backend native: NOT AVAILABLE (${run.nativeUnavailable ?? 'unknown reason'}); only noble was measured.`,
    );
  }
  for (const [backend, report] of backendsOf(run)) {
    const info = report.backend;
    lines.push(
      `Backend ${backend}: getCryptoBackend() = ${info.name}, ${info.reason}` +
        `${info.error !== undefined ? ` (error: ${info.error})` : ''}; ran in its own process in ${formatNumber(report.seconds)} s`,
    );
  }
  for (const [backend, report] of backendsOf(run)) {
    lines.push(`Sizes ${backend}: ${formatSizes(report)}.`);
  }
  if (run.native !== undefined && run.noble.plan.scaledDown) {
    lines.push(
      'Every figure is per unit of work (op, term, proof, ballot), so the columns compare;',
      'no speed-up is computed between different MSM sizes (the cost per term falls with size).',
    );
  }
  const o = run.mode === 'quick' ? QUICK_OPTIONS : FULL_OPTIONS;
  lines.push(
    run.mode === 'quick'
      ? `Quick run: tiny sizes, ≥ ${o.minTimeMs} ms of samples per row, no warm-up; figures are indicative only.`
      : `Each row: warm-up ≥ ${o.warmupMs} ms, then ≥ ${o.minSamples} samples over ≥ ${o.minTimeMs / 1000} s; the figure is the median sample.`,
  );
  return lines;
}

function formatSectionTable(rows: readonly CombinedRow[]): string {
  return formatTable(
    ['operation', 'native', 'noble', 'native speed-up'],
    rows.map((r) => [
      r.label,
      formatCell(r, 'native'),
      formatCell(r, 'noble'),
      formatSpeedup(r.speedup),
    ]),
    [false, true, true, true],
  );
}

function formatParallelNotes(run: BenchRun): string[] {
  const sizes = backendsOf(run).map(
    ([backend, r]) =>
      `${backend} ${r.parallel.ballots.toLocaleString('en-US')} ballots per configuration`,
  );
  const chunk = run.noble.parallel.chunkSize;
  return [
    `${sizes.join(', ')}; ${chunk} ballots per batch (one MSM); 0/1 proofs/s = ballots/s × ${VE2024_CARDS}.`,
    'A worker receives each chunk in binary form and decodes every element of every ballot again,',
    "which is part of a real verifier's work when it reads the record from files.",
  ];
}

function formatTargets(targets: readonly TargetResult[]): string {
  const backend = targets[0]?.backend ?? 'native';
  return formatTable(
    ['target (issue #3, one core)', 'required', `measured (${backend})`, 'result'],
    targets.map((t) => [
      t.label,
      `${t.comparison === 'at_least' ? '≥' : '≤'} ${t.target.toLocaleString('en-US')} ${t.unit}`,
      t.measured === null ? 'not measured' : `${formatNumber(t.measured)} ${t.unit}`,
      t.met ? 'met' : 'NOT MET',
    ]),
    [false, true, true, false],
  );
}

function derivedValue(list: readonly DerivedFigure[] | undefined, key: string): number | undefined {
  return list?.find((d) => d.key === key)?.value;
}

/** A table of per-backend derived figures, with the native speed-up where it means one. */
function formatDerivedTable(derived: RunDerived, keys: readonly string[]): string {
  return formatTable(
    ['figure', 'native', 'noble', 'native speed-up'],
    keys.map((key) => {
      const label = derived.noble.find((d) => d.key === key)?.label ?? key;
      const native = derivedValue(derived.native, key);
      const noble = derivedValue(derived.noble, key);
      let speedup: number | undefined;
      if (native !== undefined && noble !== undefined) {
        if (key.endsWith('_per_s')) speedup = native / noble;
        else if (key.endsWith('_hours')) speedup = noble / native;
      }
      return [
        label,
        native === undefined ? 'not run' : formatNumber(native),
        noble === undefined ? 'not run' : formatNumber(noble),
        formatSpeedup(speedup),
      ];
    }),
    [false, true, true, true],
  );
}

function formatElectionGuard(run: BenchRun, derived: RunDerived): string[] {
  const eg = (key: string): string => formatNumber(derivedValue(derived.electionGuard, key) ?? NaN);
  return [
    '',
    SECTIONS.modpow,
    formatTable(
      ['operation', 'time', 'rate'],
      run.modpow.map((r) => [
        r.label,
        `${formatNumber(r.value)} ${r.unit}/${r.per}`,
        `${formatNumber(r.perSecond)} ${r.per}/s`,
      ]),
      [false, true, true],
    ),
    `Modulus: ${MODP_NAME}; exponents of 256 bits; measured once, in the parent process.`,
    `ElectionGuard 2.0 verifies a 0/1 proof with ${EG_SELECTION_VERIFY_MODPOWS} such modpows (g^v·α^c and K^w·β^c for both`,
    `branches, and the α^q, β^q subgroup checks): ${eg('eg_selection_verify_openssl_ms')} ms at the OpenSSL figure, ${eg('eg_selection_verify_bigint_ms')} ms in BigInt.`,
    'GMP (electionguard-python uses it through gmpy2) is native as well; it was not measured here.',
    formatDerivedTable(derived, [
      'eg_openssl_vs_acta_selection_verify_ratio',
      'eg_openssl_vs_acta_batched_selection_ratio',
    ]),
  ];
}

function formatNationalScale(derived: RunDerived): string[] {
  const proofs = derivedValue(derived.electionGuard, 've2024_selection_proofs') ?? NaN;
  const egHours = derivedValue(derived.electionGuard, 've2024_eg_openssl_selection_core_hours');
  return [
    '',
    `National scale: 2024 Venezuela, ${VE2024_BALLOTS.toLocaleString('en-US')} ballots × ${VE2024_CARDS} cards = ${proofs.toLocaleString('en-US')} selection proofs`,
    formatDerivedTable(derived, [
      'selection_batch_per_s',
      've2024_selection_proofs_batched_core_hours',
      've2024_verify_batched_core_hours',
      've2024_verify_one_by_one_core_hours',
      've2024_verify_all_cores_hours',
    ]),
    `(Core-hours are arithmetic on the one-core figures above: batched ×${BALLOT_BATCH * VE2024_CARDS} 0/1 proofs, batched ×${BALLOT_BATCH} ballots,`,
    ' one proof at a time; the last row uses the all-cores parallel rate.)',
    `ElectionGuard's arithmetic (OpenSSL modpows) would need ${formatNumber(egHours ?? NaN)} core-hours for the same selection proofs.`,
  ];
}

/** The report of a complete run (text; the tables are Markdown). */
export function formatRunReport(run: ReportedRun): string {
  const derived = deriveRun(run);
  const lines = formatHeader(run);
  for (const section of combineSections(run)) {
    lines.push('', section.title, formatSectionTable(section.rows));
    if (section.id === 'msm' && section.rows.some((r) => r.native !== undefined && !r.noble)) {
      const largest = run.noble.plan.msmSizes[run.noble.plan.msmSizes.length - 1] ?? 0;
      lines.push(
        `noble ran MSMs up to ${largest.toLocaleString('en-US')} terms (scaled down); compare per term at equal sizes.`,
      );
    }
    if (section.id === 'parallel') lines.push(...formatParallelNotes(run));
  }
  const targets = runTargets(run, derived);
  lines.push('', 'Targets', formatTargets(targets));
  lines.push(...formatElectionGuard(run, derived));
  lines.push(...formatNationalScale(derived));
  lines.push(...formatSideSections(run));
  lines.push('', `Total time ${formatNumber(run.seconds)} s.`);
  return lines.join('\n');
}

/** The board and verifier sections, when they ran (native backend only). */
export function formatSideSections(run: {
  readonly board?: readonly BoardRow[];
  readonly verify?: readonly BoardRow[];
  readonly audit?: readonly BoardRow[];
  readonly forensics?: readonly BoardRow[];
}): string[] {
  const lines: string[] = [];
  const table = (title: string, rows: readonly BoardRow[]): void => {
    lines.push(
      '',
      title,
      formatTable(
        ['figure', 'value', 'unit'],
        rows.map((r) => [r.label, formatNumber(r.value), r.unit]),
        [false, true, false],
      ),
    );
  };
  if (run.board !== undefined) {
    table(
      'The election on the board (issue #4; native backend, embedded SQLite, one process)',
      run.board,
    );
  }
  if (run.verify !== undefined) {
    table(
      'Verifying exported records (issue #5; acta verify, native backend; the demo election, national ballot)',
      run.verify,
    );
  }
  if (run.audit !== undefined) {
    table(
      'Risk-limiting audits (issue #6): Arlo-compatible samples (one thread, then one worker per core) and sample sizes',
      run.audit,
    );
  }
  if (run.forensics !== undefined) {
    table(
      'Election forensics (issue #7): the forensics report’s computations, no plots, and reconciling actas (one thread)',
      run.forensics,
    );
  }
  return lines;
}

/** Rounds to four significant digits (the figures are not more precise than that). */
function round(x: number): number {
  return Number(x.toPrecision(4));
}

/**
 * The `--json` object: every figure under its key (backend and unit in the
 * key names, see figures.ts), then `targets`, `backends`, `sizes`, `machine`,
 * `mode` and `seconds`.
 */
export function formatJson(run: ReportedRun): string {
  const derived = deriveRun(run);
  const figures: Record<string, number> = {};
  for (const [key, value] of Object.entries(runFigures(run, derived))) figures[key] = round(value);
  for (const row of [
    ...(run.board ?? []),
    ...(run.verify ?? []),
    ...(run.audit ?? []),
    ...(run.forensics ?? []),
  ]) {
    figures[row.key] = round(row.value);
  }
  const targets: Record<string, unknown> = {};
  for (const t of runTargets(run, derived)) {
    targets[t.key] = {
      target: t.target,
      measured: t.measured === null ? null : round(t.measured),
      met: t.met,
      comparison: t.comparison,
      unit: t.unit,
      backend: t.backend,
    };
  }
  const backends: Record<string, unknown> = {};
  const sizes: Record<string, unknown> = {};
  if (run.native === undefined) {
    backends.native = { available: false, reason: run.nativeUnavailable ?? 'unknown' };
  }
  for (const [backend, report] of backendsOf(run)) {
    backends[backend] = { available: true, ...report.backend };
    sizes[backend] = {
      msm_terms: report.plan.msmSizes,
      parallel_ballots: report.plan.parallelBallots,
      scaled_down: report.plan.scaledDown,
    };
  }
  return JSON.stringify(
    {
      ...figures,
      targets,
      backends,
      sizes,
      machine: run.machine,
      mode: run.mode,
      seconds: round(run.seconds),
    },
    null,
    2,
  );
}
