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
 * board-bench.ts).
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runModPowBench } from './bench.js';
import { boardPlanFor, runBoardBench, type BoardRow } from './board-bench.js';
import {
  modeFlags,
  runChild,
  spawnBackendChild,
  spawnJsonChild,
  type ChildOutput,
} from './child.js';
import type { BenchRun } from './combine.js';
import { SECTIONS, type BackendId, type RunMode } from './figures.js';
import { describeMachine } from './machine.js';
import {
  formatJson,
  formatNumber,
  formatParallelRow,
  formatRow,
  formatRunReport,
} from './report.js';

const USAGE = `usage: npm run bench [-- --json] [-- --quick | --full]
  --json    print one JSON object with every figure at the end (the report goes to stderr)
  --quick   tiny sizes and time boxes, both backends (smoke test)
  --full    noble at the native sizes too (MSM of 131,072 terms, 10,000 ballots per
            parallel configuration); by default noble runs scaled-down sizes
  --help    this text`;

interface Flags {
  readonly json: boolean;
  readonly mode: RunMode;
  readonly child: boolean;
  readonly board: boolean;
}

function parseFlags(argv: readonly string[]): Flags | number {
  let values: {
    json?: boolean;
    quick?: boolean;
    full?: boolean;
    child?: boolean;
    board?: boolean;
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
  return {
    json: values.json === true,
    mode: values.quick === true ? 'quick' : values.full === true ? 'full' : 'standard',
    child: values.child === true,
    board: values.board === true,
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
  progress(
    `Acta crypto benchmark (${flags.mode} run): one process per backend, native then noble.`,
  );
  const outputs: Partial<Record<BackendId, ChildOutput>> = {};
  for (const backend of ['native', 'noble'] as const) {
    progress(`\n== ${backend} backend`);
    outputs[backend] = await spawnBackendChild(script, backend, flags.mode);
  }
  const native = outputs.native;
  const noble = outputs.noble;
  if (noble === undefined || !('report' in noble)) {
    throw new Error('the noble backend did not run (it needs no addon: this is a bug)');
  }
  let nativeUnavailable: string | undefined;
  if (native !== undefined && 'unavailable' in native) {
    nativeUnavailable = native.unavailable;
    progress(`native backend not available: ${nativeUnavailable}; reporting noble only.`);
  }
  progress(`\n== ${SECTIONS.modpow} (no backend: measured once, here)`);
  const modpow = runModPowBench(flags.mode === 'quick', {
    onRow: (row) => progress(formatRow(row)),
  });
  let board: BoardRow[] | undefined;
  if (nativeUnavailable === undefined) {
    progress('\n== the election on the board (native backend)');
    board = await spawnBoardChild(script, flags.mode);
  } else {
    progress('the board section needs the native backend: skipped.');
  }
  const run: BenchRun = {
    mode: flags.mode,
    machine,
    native: native !== undefined && 'report' in native ? native.report : undefined,
    ...(nativeUnavailable !== undefined ? { nativeUnavailable } : {}),
    noble: noble.report,
    modpow,
    ...(board !== undefined ? { board } : {}),
    seconds: (performance.now() - started) / 1000,
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
    return await (flags.child ? childMain(flags.mode) : parentMain(flags));
  } catch (e: unknown) {
    // A failing benchmark is a bug to fix, not a figure: say what failed and stop.
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
