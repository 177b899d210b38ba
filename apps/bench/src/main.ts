/**
 * `npm run bench` (docs/performance.md): times Acta's cryptographic core on
 * this machine and prints one line per row as it completes, then the derived
 * figures. `--json` also prints one JSON object with every figure at the end
 * (progress then goes to stderr, so stdout carries only the JSON);
 * `--quick` runs a shortened version for smoke tests.
 */
import { parseArgs } from 'node:util';
import { runBench } from './bench.js';
import { describeMachine } from './machine.js';
import { formatHeader, formatJson, formatRow, formatSection, formatSummary } from './report.js';

const USAGE = `usage: npm run bench [-- --json] [-- --quick]
  --json    print one JSON object with every figure at the end (progress goes to stderr)
  --quick   shortened run (smoke test): same rows, tiny time boxes
  --help    this text`;

function main(argv: readonly string[]): number {
  let values: { json?: boolean; quick?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'boolean' },
        quick: { type: 'boolean' },
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
  // With --json, stdout carries only the JSON object.
  const say = (text: string): void => {
    (json ? process.stderr : process.stdout).write(`${text}\n`);
  };
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  const machine = describeMachine();
  say(formatHeader(machine, quick ? 'quick' : 'full', gc));
  const report = runBench({
    quick,
    machine,
    onSection: (title) => say(formatSection(title)),
    onRow: (row) => say(formatRow(row)),
  });
  say(formatSummary(report));
  if (json) process.stdout.write(`${formatJson(report)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
