/**
 * One benchmark run as a whole (docs/performance.md): the two backend reports
 * (each from its own child process, since a process runs one backend) and the
 * modpow rows, combined into one table per section with the native speed-up,
 * the derived figures of each backend, the issue-#3 targets and the flat
 * figure map of the `--json` object (every backend key prefixed with its
 * backend).
 */
import type { BoardRow } from './board-bench.js';
import type { BackendReport, RowResult } from './bench.js';
import {
  PARALLEL_CONFIGS,
  SECTIONS,
  deriveBackendFigures,
  deriveElectionGuardFigures,
  evaluateTargets,
  type BackendId,
  type DerivedFigure,
  type RunMode,
  type SectionId,
  type TargetResult,
} from './figures.js';
import type { MachineInfo } from './machine.js';

/** A complete run: both backends (native unless unavailable) and the modpow rows. */
export interface BenchRun {
  readonly mode: RunMode;
  readonly machine: MachineInfo;
  /** Undefined when the native addon is not available (see `nativeUnavailable`). */
  readonly native: BackendReport | undefined;
  /** Why the native backend did not run (set iff `native` is undefined). */
  readonly nativeUnavailable?: string;
  readonly noble: BackendReport;
  /** The ElectionGuard modpow rows (no backend). */
  readonly modpow: readonly RowResult[];
  /** The board section (native only; undefined when the native addon is not available). */
  readonly board?: readonly BoardRow[];
  /** The verifier section (native only; same shape of rows). */
  readonly verify?: readonly BoardRow[];
  /** The audit section (sampling; any backend). */
  readonly audit?: readonly BoardRow[];
  /** Wall-clock time of the whole run, children included. */
  readonly seconds: number;
}

/** A figure of one backend in a combined table. */
export interface Cell {
  /** The unprefixed key of the figure. */
  readonly key: string;
  readonly value: number;
}

/** One row of a combined table: an operation, measured on either or both backends. */
export interface CombinedRow {
  /** The operation (the figure key, or the parallel configuration id). */
  readonly id: string;
  readonly label: string;
  /** `time`: lower is better (µs or ms per unit); `rate`: higher is better (per second). */
  readonly kind: 'time' | 'rate';
  /** The unit printed after a value, e.g. `µs/op`, `ms/ballot`, `ballots/s`. */
  readonly unit: string;
  readonly native?: Cell;
  readonly noble?: Cell;
  /** How many times faster native is than noble, when both were measured. */
  readonly speedup?: number;
}

/** One section's combined table. */
export interface CombinedSection {
  readonly id: SectionId;
  readonly title: string;
  readonly rows: readonly CombinedRow[];
}

/** The backends of a run that ran, native first. */
export function backendsOf(run: BenchRun): [BackendId, BackendReport][] {
  const out: [BackendId, BackendReport][] = [];
  if (run.native !== undefined) out.push(['native', run.native]);
  out.push(['noble', run.noble]);
  return out;
}

function speedupOf(kind: 'time' | 'rate', native?: Cell, noble?: Cell): number | undefined {
  if (native === undefined || noble === undefined) return undefined;
  return kind === 'time' ? noble.value / native.value : native.value / noble.value;
}

/** Rows in order of first appearance, native's rows first. */
function mergeRows(
  run: BenchRun,
  rowsOf: (report: BackendReport) => readonly {
    id: string;
    label: string;
    kind: 'time' | 'rate';
    unit: string;
    cell: Cell;
  }[],
): CombinedRow[] {
  const order: string[] = [];
  const byId = new Map<string, { label: string; kind: 'time' | 'rate'; unit: string }>();
  const cells = new Map<string, Partial<Record<BackendId, Cell>>>();
  for (const [backend, report] of backendsOf(run)) {
    for (const row of rowsOf(report)) {
      if (!byId.has(row.id)) {
        order.push(row.id);
        byId.set(row.id, row);
      }
      cells.set(row.id, { ...cells.get(row.id), [backend]: row.cell });
    }
  }
  return order.map((id) => {
    const meta = byId.get(id)!;
    const { native, noble } = cells.get(id) ?? {};
    return {
      id,
      label: meta.label,
      kind: meta.kind,
      unit: meta.unit,
      ...(native !== undefined ? { native } : {}),
      ...(noble !== undefined ? { noble } : {}),
      ...(native !== undefined && noble !== undefined
        ? { speedup: speedupOf(meta.kind, native, noble) }
        : {}),
    };
  });
}

/** The combined tables of the backend sections, the parallel one included, in run order. */
export function combineSections(run: BenchRun): CombinedSection[] {
  const timed: SectionId[] = ['encoding', 'multiplication', 'msm', 'ballot', 'proofs'];
  const sections: CombinedSection[] = timed.map((id) => ({
    id,
    title: SECTIONS[id],
    rows: mergeRows(run, (report) =>
      report.rows
        .filter((row) => row.section === id)
        .map((row) => ({
          id: row.key,
          label: row.label,
          kind: 'time' as const,
          unit: `${row.unit}/${row.per}`,
          cell: { key: row.key, value: row.value },
        })),
    ),
  }));
  sections.push({
    id: 'parallel',
    title: SECTIONS.parallel,
    rows: mergeRows(run, (report) =>
      PARALLEL_CONFIGS.flatMap((config) => {
        const row = report.parallel.rows.find((r) => r.id === config.id);
        if (row === undefined) return [];
        const label =
          config.id === 'all_cores' ? `${config.label} (workers: ${row.workers})` : config.label;
        return [
          {
            id: config.id,
            label,
            kind: 'rate' as const,
            unit: 'ballots/s',
            cell: { key: row.key, value: row.ballotsPerSecond },
          },
        ];
      }),
    ),
  });
  return sections;
}

/** The figures derived from each backend's figures, and from the modpow rows alone. */
export interface RunDerived {
  readonly electionGuard: readonly DerivedFigure[];
  readonly native?: readonly DerivedFigure[];
  readonly noble: readonly DerivedFigure[];
}

function modpowFigure(run: BenchRun, key: string): number {
  const row = run.modpow.find((r) => r.key === key);
  if (row === undefined) throw new Error(`benchmark bug: no modpow row ${key}`);
  return row.value;
}

/** Derives every figure of the run (see figures.ts). */
export function deriveRun(run: BenchRun): RunDerived {
  const openSsl = modpowFigure(run, 'modpow4096_openssl_us');
  const bigInt = modpowFigure(run, 'modpow4096_bigint_us');
  const derive = (r: BackendReport): DerivedFigure[] =>
    deriveBackendFigures(r.figures, openSsl, r.plan.parallelBallots);
  return {
    electionGuard: deriveElectionGuardFigures(bigInt, openSsl),
    ...(run.native !== undefined ? { native: derive(run.native) } : {}),
    noble: derive(run.noble),
  };
}

/** One backend's figures, derived ones included (unprefixed keys). */
export function backendFigures(
  report: BackendReport,
  derived: readonly DerivedFigure[],
): Record<string, number> {
  const figures: Record<string, number> = { ...report.figures };
  for (const d of derived) figures[d.key] = d.value;
  return figures;
}

/** The issue-#3 targets, on the native figures (on noble's when native did not run, and saying so). */
export function runTargets(run: BenchRun, derived: RunDerived = deriveRun(run)): TargetResult[] {
  if (run.native !== undefined && derived.native !== undefined) {
    return evaluateTargets(backendFigures(run.native, derived.native), 'native');
  }
  return evaluateTargets(backendFigures(run.noble, derived.noble), 'noble');
}

/**
 * Every figure of the run under its JSON key: each backend's measured and
 * derived figures prefixed with `native_` / `noble_`, then the modpow rows
 * and the figures derived from them alone (no prefix).
 */
export function runFigures(
  run: BenchRun,
  derived: RunDerived = deriveRun(run),
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [backend, report] of backendsOf(run)) {
    const d = backend === 'native' ? derived.native : derived.noble;
    for (const [key, value] of Object.entries(backendFigures(report, d ?? []))) {
      out[`${backend}_${key}`] = value;
    }
  }
  for (const row of run.modpow) out[row.key] = row.value;
  for (const d of derived.electionGuard) out[d.key] = d.value;
  return out;
}
