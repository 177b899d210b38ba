/**
 * The `acta` command line (commander). Each command parses its options,
 * calls library code, and prints a table or, with --json, one JSON document.
 * Exit status: 0 success, 1 a check failed, 2 a usage error. A user's
 * mistake gets a one-line message, never a stack trace.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { getCryptoBackend } from '@acta/crypto';
import { randomBytes } from 'node:crypto';
import { checkDemoOptions, DemoCheckFailed, runDemoElection, type DemoReport } from './demo.js';
import { percent, printJson, renderTable } from './output.js';
import { createProgress, type Progress } from './progress.js';

/** Demo size by backend: about 15 s of work either way (noble is ~15× slower). */
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

function printDemoReport(report: DemoReport): void {
  const o = report.options;
  const validVotes = report.candidateTotals.reduce((s, c) => s + c.votes, 0);
  const lines = [
    '',
    `Acta demo — 2024 Venezuelan presidential ballot (one contest, 10 candidates on 38 cards)`,
    `crypto backend ${report.backend} · seed ${o.seed} · ${report.ballots.toLocaleString('en-US')} ballots in ${o.mesas} mesas · trustees ${o.trustees}, quorum ${o.quorum}`,
    `present trustees: ${report.presentTrustees.join(', ')}; absent: ${report.absentTrustees.length > 0 ? report.absentTrustees.join(', ') : 'none'}`,
    `election hash ${report.electionHash}`,
    `joint key     ${report.jointPublicKey}`,
    '',
    'National totals (sum of the mesas):',
    renderTable(
      ['Candidate', 'Votes', 'Share of valid'],
      [...report.candidateTotals]
        .sort((a, b) => b.votes - a.votes)
        .map((c) => [c.name, c.votes, percent(c.votes, validVotes)]),
    ),
    `Valid votes ${validVotes.toLocaleString('en-US')}, blank ballots ${report.blankBallots.toLocaleString('en-US')}`,
  ];
  if (report.mesas.length <= 20) {
    lines.push(
      '',
      'Per mesa (top two candidates):',
      renderTable(
        ['Mesa', 'Ballots', 'González (EG)', 'Maduro (NM)', 'Others', 'Blank'],
        report.mesas.map((m) => {
          const byCandidate = (code: string): number =>
            report.cardTotals.reduce(
              (s, card, c) => (card.candidate === code ? s + m.cardVotes[c]! : s),
              0,
            );
          const eg = byCandidate('EG');
          const nm = byCandidate('NM');
          const valid = m.cardVotes.reduce((a, b) => a + b, 0);
          return [m.mesa, m.ballots, eg, nm, valid - eg - nm, m.ballots - valid];
        }),
      ),
    );
  }
  const c = report.checks;
  lines.push(
    '',
    'Verified:',
    `  ${c.round1MessagesVerified} key-ceremony messages (Schnorr proofs of every coefficient), joint key recomputed from them`,
    `  ${c.selectionProofsVerified.toLocaleString('en-US')} selection 0/1 proofs and ${c.limitProofsVerified.toLocaleString('en-US')} one-of-38 limit proofs (batched)`,
    `  ${c.decryptionSharesVerified.toLocaleString('en-US')} decryption shares (Chaum-Pedersen proofs, batched)`,
    `  decrypted per-mesa counts and national totals equal the simulated plaintext choices: ${c.totalsMatchPlaintext ? 'yes' : 'NO'}`,
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
      'run a complete simulated election at the cryptographic level: key ceremony, encrypted one-of-38 ballots with proofs, batch verification, per-mesa tallies, threshold decryption, totals',
    )
    .option(
      '--voters <n>',
      `number of voters, each casts one ballot (default: ${DEFAULT_VOTERS.native} on the native crypto backend, ${DEFAULT_VOTERS.noble} on noble)`,
      parseInteger,
    )
    .option('--mesas <m>', 'number of polling tables', parseInteger, 10)
    .option('--trustees <n>', 'number of trustees holding the key', parseInteger, 5)
    .option('--quorum <k>', 'trustees needed to decrypt (the others stay absent)', parseInteger, 3)
    .option('--seed <s>', 'seed of the simulation (default: random)')
    .option('--json', 'print the report as JSON')
    .action(
      (opts: {
        voters?: number;
        mesas: number;
        trustees: number;
        quorum: number;
        seed?: string;
        json?: boolean;
      }) => {
        const options = {
          voters: opts.voters ?? DEFAULT_VOTERS[getCryptoBackend().name],
          mesas: opts.mesas,
          trustees: opts.trustees,
          quorum: opts.quorum,
          seed: opts.seed ?? randomBytes(8).toString('hex'),
        };
        const problem = checkDemoOptions(options);
        if (problem !== undefined) throw new UsageError(problem);
        const progress = createProgress({ quiet: opts.json === true });
        announceBackend(progress);
        const report = runDemoElection(options, progress);
        if (opts.json === true) printJson(report);
        else printDemoReport(report);
        setExit(0);
      },
    );

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
    if (e instanceof UsageError) {
      process.stderr.write(`acta: ${e.message}\n`);
      return 2;
    }
    if (e instanceof DemoCheckFailed) {
      process.stderr.write(`acta: check failed: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
