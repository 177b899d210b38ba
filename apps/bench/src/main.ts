/**
 * `npm run bench` (docs/performance.md): times Acta's cryptographic core on
 * this machine and prints one line per row as it completes, then the derived
 * figures. `--json` also prints one JSON object with every figure at the end
 * (progress then goes to stderr, so stdout carries only the JSON);
 * `--quick` runs a shortened version for smoke tests; `--full` verifies
 * 10,000 ballots per configuration in the parallel section.
 */
import { parseArgs } from 'node:util';
import { runBench } from './bench.js';
import { describeMachine } from './machine.js';
import { PARALLEL_BALLOTS_FULL } from './parallel-rows.js';
import {
  formatHeader,
  formatJson,
  formatParallelRow,
  formatRow,
  formatSection,
  formatSummary,
} from './report.js';

const USAGE = `usage: npm run bench [-- --json] [-- --quick | --full]
  --json    print one JSON object with every figure at the end (progress goes to stderr)
  --quick   shortened run (smoke test): same rows, tiny time boxes
  --full    parallel verification over ${PARALLEL_BALLOTS_FULL.toLocaleString('en-US')} ballots per configuration
            (default: 2,000 on the native backend, 200 on noble)
  --help    this text`;

async function main(argv: readonly string[]): Promise<number> {
  let values: { json?: boolean; quick?: boolean; full?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'boolean' },
        quick: { type: 'boolean' },
        full: { type: 'boolean' },
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
  const json = values.json === true;
  const quick = values.quick === true;
  if (quick && values.full === true) {
    process.stderr.write(`--quick and --full exclude each other\n${USAGE}\n`);
    return 2;
  }
  // With --json, stdout carries only the JSON object.
  const say = (text: string): void => {
    (json ? process.stderr : process.stdout).write(`${text}\n`);
  };
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  const machine = describeMachine();
  say(formatHeader(machine, quick ? 'quick' : 'full', gc));
  const report = await runBench({
    quick,
    machine,
    parallelBallots: values.full === true ? PARALLEL_BALLOTS_FULL : undefined,
    onSection: (title) => say(formatSection(title)),
    onRow: (row) => say(formatRow(row)),
    onParallelRow: (row) => say(formatParallelRow(row)),
  });
  say(formatSummary(report));
  if (json) process.stdout.write(`${formatJson(report)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
