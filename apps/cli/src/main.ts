/**
 * The `acta` command line (commander). Each command parses its options,
 * calls library code, and prints a table or, with --json, one JSON document.
 * Exit status: 0 success, 1 a check failed, 2 a usage error, 3 an internal
 * error (a bug). A user's mistake gets a one-line message, never a stack trace.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { getCryptoBackend } from '@acta/crypto';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { exportRecord, proveConsistency, proveInclusion } from '@acta/service';
import { openSqliteStore } from '@acta/store';
import {
  DEMO_EXAMPLES,
  DemoCheckFailed,
  checkElectionDemoOptions,
  runElectionDemo,
  type ElectionDemoOptions,
  type ElectionDemoReport,
} from './election-demo.js';
import { percent, printJson, renderTable } from './output.js';
import { createProgress, type Progress } from './progress.js';
import { registerStepCommands } from './steps/commands.js';
import { VerifyUsageError, registerVerifyCommand } from './verify-command.js';
import { AuditUsageError, registerAuditCommands } from './audit-command.js';
import { registerActasCommands } from './actas-command.js';
import { registerForensicsCommands } from './forensics-command.js';

/** Demo size by backend: a few seconds to a minute of work either way (noble is ~15× slower). */
const DEFAULT_VOTERS = { native: 2000, noble: 200 } as const;

/** A mistake in how the command was called (exit status 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function parseInteger(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer');
  return Number(value);
}

function printDemoReport(report: ElectionDemoReport): void {
  const o = report.options;
  const lines = [
    '',
    `Acta demo — ${report.electionId} (${o.example} example) on the embedded SQLite bulletin board`,
    `crypto backend ${report.backend} · seed ${o.seed} · ${report.counts.mesas} mesas · trustees ${o.trustees}, quorum ${o.quorum}`,
    `present trustees: ${report.presentTrustees.join(', ')}; absent: ${report.absentTrustees.length > 0 ? report.absentTrustees.join(', ') : 'none'}`,
    `election hash ${report.electionHash}`,
    `joint key     ${report.jointKey}`,
    '',
    renderTable(
      ['Registered', 'Checked in', 'Cast', 'Spoiled (Benaloh)', 'Turnout'],
      [
        [
          report.counts.registered,
          report.counts.checkedIn,
          report.counts.cast,
          report.counts.spoiled,
          percent(report.counts.cast, report.counts.registered),
        ],
      ],
    ),
  ];
  for (const c of report.contests) {
    const total = c.candidates.reduce((a, x) => a + x.votes, 0);
    lines.push(
      '',
      `${c.name} (${c.contest}, up to ${c.selectionLimit} mark${c.selectionLimit === 1 ? '' : 's'}): totals = sum of the mesas' decrypted results`,
      renderTable(
        ['Candidate', 'Votes', 'Share of marks'],
        [...c.candidates]
          .sort((a, b) => b.votes - a.votes)
          .map((x) => [x.name, x.votes, percent(x.votes, total)]),
      ),
    );
  }
  const b = report.board;
  lines.push(
    '',
    `Board: ${b.entries.toLocaleString('en-US')} entries (${Object.entries(b.byType)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
    `Signed tree head: size ${b.treeHead.treeSize}, root ${b.treeHead.rootHash}`,
    '',
    'Checked:',
    `  every entry was checked by the rules before it was stored (signatures, proofs, chains, counts)`,
    `  the board reopened from disk and replayed: ${report.checks.replayedFromDisk ? 'identical' : 'DIFFERENT'}`,
    `  decrypted totals equal the simulated plaintext choices: ${report.checks.totalsMatchPlaintext ? 'yes' : 'NO'}`,
    `  actas whose counts differ from their decrypted tally: ${report.checks.findings}`,
    `  the exported public record, checked end to end by the independent verifier: ${report.verification.ok ? 'VERIFIED' : 'FAILED'} (${report.verification.checked.ballots.toLocaleString('en-US')} ballots, ${report.verification.checked.selectionProofs.toLocaleString('en-US')} selection proofs, ${report.verification.checked.signatures.toLocaleString('en-US')} signatures in ${report.verification.seconds.toFixed(1)} s)`,
  );
  if (report.exported !== null) {
    lines.push(
      `  public record exported to ${report.exported.dir} (check it yourself: acta verify ${report.exported.dir})`,
    );
  }
  lines.push(
    '',
    `Time: ${Object.entries(report.seconds)
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(', ')}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Says which crypto backend runs (every command that does heavy crypto does),
 * and refuses to run when ACTA_CRYPTO_BACKEND asked for one that is missing.
 */
function announceBackend(progress: Progress): void {
  const info = getCryptoBackend();
  if (info.error !== undefined) throw new UsageError(info.error);
  progress.note(`crypto backend: ${info.name} (${info.reason})`);
}

/** Builds the command tree; `io` receives the exit code of the command run. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('acta')
    .description('Acta: an end-to-end verifiable election system')
    .version('0.1.0')
    .showHelpAfterError('(run acta --help for usage)')
    .exitOverride();

  program
    .command('demo')
    .description(
      'run a complete simulated election on the embedded SQLite bulletin board: key ceremony, registry, check-ins, encrypted ballots (some spoiled), actas, threshold decryption, totals; then replay the board and check the totals against the simulated choices',
    )
    .option('--example <name>', 'national (the 38-card Venezuelan ballot) or municipal', 'national')
    .option(
      '--voters <n>',
      `registered voters (default: ${DEFAULT_VOTERS.native} on the native crypto backend, ${DEFAULT_VOTERS.noble} on noble)`,
      parseInteger,
    )
    .option('--mesas <m>', 'number of polling tables', parseInteger, 10)
    .option('--trustees <n>', 'number of trustees holding the key', parseInteger, 5)
    .option('--quorum <k>', 'trustees needed to decrypt (the others stay absent)', parseInteger, 3)
    .option('--seed <s>', 'seed of the simulation (default: random)')
    .option('--out <dir>', 'export the public record to this directory')
    .option('--db <file>', 'keep the SQLite board in this file (default: a temporary file)')
    .option('--json', 'print the report as JSON')
    .action(
      async (opts: {
        example: string;
        voters?: number;
        mesas: number;
        trustees: number;
        quorum: number;
        seed?: string;
        out?: string;
        db?: string;
        json?: boolean;
      }) => {
        if (!Object.hasOwn(DEMO_EXAMPLES, opts.example)) {
          throw new UsageError(`--example must be one of ${Object.keys(DEMO_EXAMPLES).join(', ')}`);
        }
        const options: ElectionDemoOptions = {
          example: opts.example as keyof typeof DEMO_EXAMPLES,
          voters: opts.voters ?? DEFAULT_VOTERS[getCryptoBackend().name],
          mesas: opts.mesas,
          trustees: opts.trustees,
          quorum: opts.quorum,
          seed: opts.seed ?? randomBytes(8).toString('hex'),
          ...(opts.out !== undefined ? { out: opts.out } : {}),
          ...(opts.db !== undefined ? { db: opts.db } : {}),
        };
        const problem = checkElectionDemoOptions(options);
        if (problem !== undefined) throw new UsageError(problem);
        if (options.db !== undefined && existsSync(options.db)) {
          throw new UsageError(`--db ${options.db} already exists: the demo needs a new board`);
        }
        const progress = createProgress({ quiet: opts.json === true });
        announceBackend(progress);
        const report = await runElectionDemo(options, progress);
        if (opts.json === true) printJson(report);
        else printDemoReport(report);
        setExit(0);
      },
    );

  const board = program
    .command('board')
    .description('proofs from a bulletin board: inclusion of an entry, consistency of the log');
  board
    .command('proof')
    .description(
      'the RFC 6962 inclusion proof of an entry (by index, or a ballot by its tracking code) in the tree of the latest signed tree head',
    )
    .requiredOption('--db <file>', 'the SQLite board')
    .option('--index <n>', 'the entry index', parseInteger)
    .option('--tracking <code>', 'a ballot tracking code (64 hex digits, as on the receipt QR)')
    .option('--json', 'print the proof as JSON')
    .action(async (opts: { db: string; index?: number; tracking?: string; json?: boolean }) => {
      if ((opts.index === undefined) === (opts.tracking === undefined)) {
        throw new UsageError('give exactly one of --index and --tracking');
      }
      if (opts.tracking !== undefined && !/^[0-9a-f]{64}$/.test(opts.tracking)) {
        throw new UsageError('--tracking must be 64 lowercase hex digits');
      }
      if (!existsSync(opts.db)) throw new UsageError(`no board at ${opts.db}`);
      const store = await openSqliteStore(opts.db, { readonly: true });
      try {
        let index = opts.index;
        if (opts.tracking !== undefined) {
          const found = await store.findByKey('tracking', opts.tracking, 'ballot');
          if (found.length === 0) {
            process.stderr.write(
              `acta: no ballot with tracking code ${opts.tracking} on this board\n`,
            );
            setExit(1);
            return;
          }
          index = found[0]!.index;
        }
        const proof = await proveInclusion(store, index!);
        if (proof === undefined) {
          process.stderr.write(
            `acta: entry ${index} is not covered by a signed tree head of this board\n`,
          );
          setExit(1);
          return;
        }
        if (opts.json === true) printJson(proof);
        else {
          process.stdout.write(
            [
              `entry ${proof.index} (${proof.kind}), leaf hash ${proof.leafHash}`,
              `included in the tree of size ${proof.treeSize}, root ${proof.rootHash}`,
              `audit path (${proof.proof.proof.length} hashes):`,
              ...proof.proof.proof.map((h) => `  ${h}`),
            ].join('\n') + '\n',
          );
        }
        setExit(0);
      } finally {
        await store.close();
      }
    });
  board
    .command('consistency')
    .description(
      'the RFC 6962 consistency proof from an older size of the log to the latest signed tree head',
    )
    .requiredOption('--db <file>', 'the SQLite board')
    .requiredOption('--old-size <n>', 'the size of the older tree head', parseInteger)
    .option('--json', 'print the proof as JSON')
    .action(async (opts: { db: string; oldSize: number; json?: boolean }) => {
      if (!existsSync(opts.db)) throw new UsageError(`no board at ${opts.db}`);
      const store = await openSqliteStore(opts.db, { readonly: true });
      try {
        const proof = await proveConsistency(store, opts.oldSize);
        if (proof === undefined) {
          throw new UsageError(`--old-size ${opts.oldSize} is beyond the latest signed tree head`);
        }
        if (opts.json === true) printJson(proof);
        else {
          process.stdout.write(
            [
              `size ${proof.oldSize} (root ${proof.oldRoot}) → size ${proof.newSize} (root ${proof.newRoot})`,
              `consistency proof (${proof.proof.proof.length} hashes):`,
              ...proof.proof.proof.map((h) => `  ${h}`),
            ].join('\n') + '\n',
          );
        }
        setExit(0);
      } finally {
        await store.close();
      }
    });

  program
    .command('export')
    .description(
      'write the public record of a board (entries, tree heads, manifest, totals) to a directory',
    )
    .argument('<dir>', 'the directory to write')
    .requiredOption('--db <file>', 'the SQLite board to export')
    .option('--json', 'print a summary as JSON')
    .action(async (dir: string, opts: { db: string; json?: boolean }) => {
      if (!existsSync(opts.db)) throw new UsageError(`no board at ${opts.db}`);
      const store = await openSqliteStore(opts.db, { readonly: true });
      try {
        const progress = createProgress({ quiet: opts.json === true });
        const total = await store.size();
        const step = progress.step('entries exported', total);
        let last = 0;
        const summary = await exportRecord(store, dir, (done) => {
          step.tick(done - last);
          last = done;
        });
        step.done();
        if (opts.json === true) printJson(summary);
        else
          process.stdout.write(
            `exported ${summary.entries} entries to ${summary.dir}: ${summary.files.join(', ')}\n`,
          );
      } finally {
        await store.close();
      }
      setExit(0);
    });

  registerVerifyCommand(program, setExit);
  registerAuditCommands(program, setExit);
  registerStepCommands(program, setExit);
  registerActasCommands(program, setExit);
  registerForensicsCommands(program, setExit);
  return program;
}

/** Runs the CLI on process-style argv; resolves to the exit status. */
export async function runCli(argv: readonly string[]): Promise<number> {
  let exit = 0;
  const program = buildProgram((code) => {
    exit = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit with 0; commander already printed the message.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError || e instanceof VerifyUsageError || e instanceof AuditUsageError) {
      process.stderr.write(`acta: ${e.message}\n`);
      return 2;
    }
    if (e instanceof DemoCheckFailed) {
      process.stderr.write(`acta: check failed: ${e.message}\n`);
      return 1;
    }
    // Anything else is a bug in acta (never a user's mistake): say so, with
    // the stack for the report, and exit with a status of its own.
    process.stderr.write(
      `acta: internal error (a bug in acta, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return 3;
  }
}
