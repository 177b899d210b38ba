/**
 * `npm run bench` (docs/performance.md, issue #3): times Acta's cryptographic
 * core on both group backends in one run. The parent starts itself once per
 * backend (child.ts; native first, then noble, one after the other so that
 * they do not compete for the cores), times the backend-independent modpow
 * rows itself, and prints one table per section with native and noble side
 * by side, the issue-#3 targets and the derived figures. Without the native
 * addon it says so and reports noble alone.
 *
 * `--json` also prints one JSON object with every figure at the end (the
 * report and the children's progress then go to stderr, so stdout carries
 * only the JSON); `--quick` runs tiny sizes for smoke tests; `--full` runs
 * noble at the native sizes too. `--child` (hidden) runs one backend: the
 * one ACTA_CRYPTO_BACKEND names. Last, a child on the native backend
 * (`--board`, hidden) times the election on the board (issue #4,
 * board-bench.ts), and another (`--verify`, hidden) the verification of
 * exported records (issue #5, verify-bench.ts). Children on any backend time
 * the audit samples (issue #6, audit-bench.ts) and the forensics (issue #7,
 * forensics-bench.ts). `--sections` picks sections.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runModPowBench } from './bench.js';
import { boardPlanFor, runBoardBench, type BoardRow } from './board-bench.js';
import { runVerifyBench, verifyPlanFor } from './verify-bench.js';
import { auditPlanFor, runAuditBench } from './audit-bench.js';
import { forensicsPlanFor, runForensicsBench } from './forensics-bench.js';
import {
  modeFlags,
  runChild,
  spawnBackendChild,
  spawnJsonChild,
  type ChildOutput,
} from './child.js';
import { SECTIONS, type BackendId, type RunMode } from './figures.js';
import { describeMachine } from './machine.js';
import {
  formatJson,
  formatNumber,
  formatParallelRow,
  formatRow,
  formatRunReport,
  formatSideSections,
  type ReportedRun,
} from './report.js';

const USAGE = `usage: npm run bench [-- --json] [-- --quick | --full]
  --json    print one JSON object with every figure at the end (the report goes to stderr)
  --quick   tiny sizes and time boxes, both backends (smoke test)
  --full    noble at the native sizes too (MSM of 131,072 terms, 10,000 ballots per
            parallel configuration); by default noble runs scaled-down sizes
  --sections LIST
            which sections to run, comma-separated among crypto (both backends and
            modpow), board (the election on the board), audit (drawing audit samples
            from 1, 6 and 20 million ballots), verify (acta verify on
            10,000- and 100,000-voter records) and forensics (the forensics report
            on the 95,415 Russian 2012 stations when ../shared/data has them, and
            reconciling 30,000 actas); default: all
  --help    this text`;

/** The compiled native addon (the board and verifier sections need it). */
const NATIVE_ADDON = new URL(
  '../../../libs/crypto-native/build/Release/acta_native.node',
  import.meta.url,
);

/** The sections `--sections` can name. */
const SECTION_NAMES = ['crypto', 'board', 'verify', 'audit', 'forensics'] as const;
type SectionName = (typeof SECTION_NAMES)[number];

interface Flags {
  readonly json: boolean;
  readonly mode: RunMode;
  readonly child: boolean;
  readonly board: boolean;
  readonly verify: boolean;
  readonly audit: boolean;
  readonly forensics: boolean;
  readonly sections: ReadonlySet<SectionName>;
}

function parseFlags(argv: readonly string[]): Flags | number {
  let values: {
    json?: boolean;
    quick?: boolean;
    full?: boolean;
    child?: boolean;
    board?: boolean;
    verify?: boolean;
    audit?: boolean;
    forensics?: boolean;
    sections?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'boolean' },
        quick: { type: 'boolean' },
        full: { type: 'boolean' },
        child: { type: 'boolean' },
        board: { type: 'boolean' },
        verify: { type: 'boolean' },
        audit: { type: 'boolean' },
        forensics: { type: 'boolean' },
        sections: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e: unknown) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.quick === true && values.full === true) {
    process.stderr.write(`--quick and --full exclude each other\n${USAGE}\n`);
    return 2;
  }
  const names = (values.sections ?? SECTION_NAMES.join(',')).split(',').filter((x) => x !== '');
  const unknown = names.filter((n) => !(SECTION_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    process.stderr.write(
      `--sections takes a comma-separated list of ${SECTION_NAMES.join(', ')}; got ${values.sections ?? ''}\n${USAGE}\n`,
    );
    return 2;
  }
  return {
    json: values.json === true,
    mode: values.quick === true ? 'quick' : values.full === true ? 'full' : 'standard',
    child: values.child === true,
    board: values.board === true,
    verify: values.verify === true,
    audit: values.audit === true,
    forensics: values.forensics === true,
    sections: new Set(names as SectionName[]),
  };
}

/** The board child: the board section on this process's backend, one JSON line on stdout. */
async function boardChildMain(mode: RunMode): Promise<number> {
  const rows = await runBoardBench(boardPlanFor(mode === 'quick'), (row) => {
    process.stderr.write(`[board] ${row.label}: ${formatNumber(row.value)} ${row.unit}\n`);
  });
  process.stdout.write(`${JSON.stringify({ rows })}\n`);
  return 0;
}

/** Runs the board section in a child on the native backend. */
async function spawnBoardChild(script: string, mode: RunMode): Promise<BoardRow[]> {
  const output = await spawnJsonChild(
    script,
    ['--board', ...modeFlags(mode)],
    'native',
    'the board benchmark process',
  );
  return (output as { rows: BoardRow[] }).rows;
}

/** The verify child: the verifier section on this process's backend, one JSON line on stdout. */
async function verifyChildMain(mode: RunMode): Promise<number> {
  const say = (text: string): void => {
    process.stderr.write(`[verify] ${text}\n`);
  };
  const rows = await runVerifyBench(
    verifyPlanFor(mode === 'quick'),
    (row) => say(`${row.label}: ${formatNumber(row.value)} ${row.unit}`),
    say,
  );
  process.stdout.write(`${JSON.stringify({ rows })}\n`);
  return 0;
}

/** Runs the verifier section in a child on the native backend. */
async function spawnVerifyChild(script: string, mode: RunMode): Promise<BoardRow[]> {
  const output = await spawnJsonChild(
    script,
    ['--verify', ...modeFlags(mode)],
    'native',
    'the verifier benchmark process',
  );
  return (output as { rows: BoardRow[] }).rows;
}

/** The audit child: the audit section, one JSON line on stdout (its peak memory is its own). */
async function auditChildMain(mode: RunMode): Promise<number> {
  const rows = await runAuditBench(auditPlanFor(mode === 'quick'), (row) => {
    process.stderr.write(`[audit] ${row.label}: ${formatNumber(row.value)} ${row.unit}\n`);
  });
  process.stdout.write(`${JSON.stringify({ rows })}\n`);
  return 0;
}

/** The forensics child: the forensics section, one JSON line on stdout (its peak memory is its own). */
function forensicsChildMain(mode: RunMode): number {
  const say = (text: string): void => {
    process.stderr.write(`[forensics] ${text}\n`);
  };
  const rows = runForensicsBench(
    forensicsPlanFor(mode === 'quick'),
    (row) => say(`${row.label}: ${formatNumber(row.value)} ${row.unit}`),
    say,
  );
  process.stdout.write(`${JSON.stringify({ rows })}\n`);
  return 0;
}

/** A child: progress on stderr, one JSON line on stdout. */
async function childMain(mode: RunMode): Promise<number> {
  const backend = process.env.ACTA_CRYPTO_BACKEND ?? 'default';
  const say = (text: string): void => {
    process.stderr.write(`[${backend}] ${text}\n`);
  };
  const output = await runChild(mode, {
    onSection: (_id, title) => say(title),
    onRow: (row) => say(formatRow(row)),
    onParallelRow: (row) => say(formatParallelRow(row)),
  });
  process.stdout.write(`${JSON.stringify(output)}\n`);
  return 0;
}

async function parentMain(flags: Flags): Promise<number> {
  const started = performance.now();
  const script = fileURLToPath(import.meta.url);
  // With --json, stdout carries only the JSON object.
  const say = (text: string): void => {
    (flags.json ? process.stderr : process.stdout).write(`${text}\n`);
  };
  const machine = describeMachine();
  const progress = (text: string): void => {
    process.stderr.write(`${text}\n`);
  };
  const sections = flags.sections;
  progress(
    `Acta benchmark (${flags.mode} run; sections: ${[...sections].join(', ')})${sections.has('crypto') ? ': one process per backend, native then noble' : ''}.`,
  );
  const outputs: Partial<Record<BackendId, ChildOutput>> = {};
  let nativeUnavailable: string | undefined;
  if (sections.has('crypto')) {
    for (const backend of ['native', 'noble'] as const) {
      progress(`\n== ${backend} backend`);
      outputs[backend] = await spawnBackendChild(script, backend, flags.mode);
    }
    const native = outputs.native;
    if (native !== undefined && 'unavailable' in native) {
      nativeUnavailable = native.unavailable;
      progress(`native backend not available: ${nativeUnavailable}; reporting noble only.`);
    }
  } else if (!existsSync(NATIVE_ADDON)) {
    nativeUnavailable = 'the native addon is not built';
  }
  const modpow = sections.has('crypto')
    ? (progress(`\n== ${SECTIONS.modpow} (no backend: measured once, here)`),
      runModPowBench(flags.mode === 'quick', { onRow: (row) => progress(formatRow(row)) }))
    : [];
  let board: BoardRow[] | undefined;
  let verify: BoardRow[] | undefined;
  for (const [name, title] of [
    ['board', 'the election on the board'],
    ['verify', 'verifying exported records'],
  ] as const) {
    if (!sections.has(name)) continue;
    if (nativeUnavailable !== undefined) {
      progress(`the ${name} section needs the native backend: skipped.`);
      continue;
    }
    progress(`\n== ${title} (native backend)`);
    if (name === 'board') board = await spawnBoardChild(script, flags.mode);
    else verify = await spawnVerifyChild(script, flags.mode);
  }
  // The audit section needs no group arithmetic: it runs on any backend.
  let audit: BoardRow[] | undefined;
  if (sections.has('audit')) {
    progress('\n== drawing audit samples');
    const output = await spawnJsonChild(
      script,
      ['--audit', ...modeFlags(flags.mode)],
      nativeUnavailable === undefined ? 'native' : 'noble',
      'the audit benchmark process',
    );
    audit = (output as { rows: BoardRow[] }).rows;
  }
  // The forensics section needs no group arithmetic either.
  let forensics: BoardRow[] | undefined;
  if (sections.has('forensics')) {
    progress('\n== election forensics and acta reconciliation');
    const output = await spawnJsonChild(
      script,
      ['--forensics', ...modeFlags(flags.mode)],
      nativeUnavailable === undefined ? 'native' : 'noble',
      'the forensics benchmark process',
    );
    forensics = (output as { rows: BoardRow[] }).rows;
  }
  const side = {
    ...(board !== undefined ? { board } : {}),
    ...(verify !== undefined ? { verify } : {}),
    ...(audit !== undefined ? { audit } : {}),
    ...(forensics !== undefined ? { forensics } : {}),
  };
  const seconds = (performance.now() - started) / 1000;
  const noble = outputs.noble;
  if (!sections.has('crypto')) {
    say(
      [
        `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node}; ${machine.date}`,
        ...formatSideSections(side),
        '',
        `Total time ${formatNumber(seconds)} s.`,
      ].join('\n'),
    );
    if (flags.json) {
      const figures: Record<string, number> = {};
      for (const row of [
        ...(board ?? []),
        ...(verify ?? []),
        ...(audit ?? []),
        ...(forensics ?? []),
      ]) {
        figures[row.key] = Number(row.value.toPrecision(4));
      }
      process.stdout.write(
        `${JSON.stringify({ ...figures, machine, mode: flags.mode, seconds }, null, 2)}\n`,
      );
    }
    return 0;
  }
  if (noble === undefined || !('report' in noble)) {
    throw new Error('the noble backend did not run (it needs no addon: this is a bug)');
  }
  const native = outputs.native;
  const run: ReportedRun = {
    mode: flags.mode,
    machine,
    native: native !== undefined && 'report' in native ? native.report : undefined,
    ...(nativeUnavailable !== undefined ? { nativeUnavailable } : {}),
    noble: noble.report,
    modpow,
    ...side,
    seconds,
  };
  say(`\n${formatRunReport(run)}`);
  if (flags.json) process.stdout.write(`${formatJson(run)}\n`);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv);
  if (typeof flags === 'number') return flags;
  try {
    if (flags.board) return await boardChildMain(flags.mode);
    if (flags.verify) return await verifyChildMain(flags.mode);
    if (flags.audit) return await auditChildMain(flags.mode);
    if (flags.forensics) return forensicsChildMain(flags.mode);
    return await (flags.child ? childMain(flags.mode) : parentMain(flags));
  } catch (e: unknown) {
    // A failing benchmark is a bug to fix, not a figure: say what failed and stop.
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
