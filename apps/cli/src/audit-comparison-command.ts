/**
 * `acta audit comparison sample|sample-sizes|risk` (issue #6, item 4): the
 * ballot-comparison audit for elections that publish cast-vote records
 * (Stark's super-simple audit, Kaplan–Markov p-value, as Arlo computes it).
 * Ballots are drawn from the manifest exactly as for ballot polling; a
 * ballot's id in the CVR and audited-ballot files is `BATCH:POSITION` (the
 * batch name as in the manifest, the 1-based position in it), which is what
 * `comparison sample` prints.
 */
import type { Command } from 'commander';
import {
  computeDiscrepancies,
  computeSupersimpleRisk,
  computeSupersimpleSampleSizes,
  countDiscrepancies,
  drawArloSampleParallel,
  formatBallotId,
  parseAuditedBallotsCsv,
  parseCvrCsv,
  parseManifestCsv,
  type AuditedBallot,
  type Contest,
  type CvrBallot,
  type SupersimpleRiskMeasurement,
} from '@acta/audit';
import {
  AuditUsageError,
  failWith,
  parseCount,
  parseRiskLimitOption,
  readContest,
  readText,
} from './audit-input.js';
import {
  renderRisk,
  renderSampleSizes,
  riskJson,
  sampleSizesJson,
} from './audit-polling-command.js';
import { resolveSeed } from './audit-seed-command.js';
import { printJson, renderTable } from './output.js';

async function readCvrs(path: string, contest: Contest): Promise<Map<string, CvrBallot>> {
  const r = parseCvrCsv(await readText(path), contest);
  if (!r.ok) failWith(r.error.map((p) => ({ where: `${path} ${p.where}`, message: p.message })));
  return r.value;
}

async function readAudited(path: string, contest: Contest): Promise<AuditedBallot[]> {
  const r = parseAuditedBallotsCsv(await readText(path), contest);
  if (!r.ok) failWith(r.error.map((p) => ({ where: `${path} ${p.where}`, message: p.message })));
  return r.value;
}

/** The super-simple risk as JSON: Arlo's shape plus the one p-value and the discrepancy counts. */
export function supersimpleRiskJson(
  risk: SupersimpleRiskMeasurement,
  draws: number,
): Record<string, unknown> {
  const counts = countDiscrepancies(risk.discrepancies, draws);
  return {
    ...riskJson(risk),
    p_value: risk.pValue,
    full_hand_count: risk.fullHandCount,
    discrepancies: {
      sample_size: counts.sampleSize,
      '1-over': counts.oneVoteOver,
      '2-over': counts.twoVoteOver,
      '1-under': counts.oneVoteUnder,
      '2-under': counts.twoVoteUnder,
    },
  };
}

interface ComparisonOptions {
  contest: string;
  riskLimit: string;
  cvrs?: string;
  audited?: string;
  json?: boolean;
}

/** Sample sizes after the ballots audited so far (none: the first round). */
export async function runComparisonSampleSizes(opts: ComparisonOptions): Promise<void> {
  const alpha = parseRiskLimitOption(opts.riskLimit);
  const contest = await readContest(opts.contest);
  if ((opts.cvrs === undefined) !== (opts.audited === undefined)) {
    throw new AuditUsageError(
      'give both --cvrs and --audited (the rounds so far), or neither (the first round)',
    );
  }
  let soFar = null;
  if (opts.cvrs !== undefined && opts.audited !== undefined) {
    const cvrs = await readCvrs(opts.cvrs, contest);
    const audited = await readAudited(opts.audited, contest);
    const draws = audited.reduce((s, b) => s + b.timesSampled, 0);
    soFar = countDiscrepancies(computeDiscrepancies(contest, cvrs, audited), draws);
  }
  const options = computeSupersimpleSampleSizes(contest, alpha, soFar);
  if (opts.json === true) printJson(sampleSizesJson(options));
  else process.stdout.write(`${renderSampleSizes(options, 'more ballots')}\n`);
}

/** The risk of the ballots audited so far. */
export async function runComparisonRisk(opts: ComparisonOptions): Promise<void> {
  const alpha = parseRiskLimitOption(opts.riskLimit);
  const contest = await readContest(opts.contest);
  if (opts.cvrs === undefined || opts.audited === undefined) {
    throw new AuditUsageError('the super-simple risk needs --cvrs and --audited');
  }
  const cvrs = await readCvrs(opts.cvrs, contest);
  const audited = await readAudited(opts.audited, contest);
  const risk = computeSupersimpleRisk(contest, alpha, cvrs, audited);
  const draws = audited.reduce((s, b) => s + b.timesSampled, 0);
  if (opts.json === true) printJson(supersimpleRiskJson(risk, draws));
  else {
    const c = countDiscrepancies(risk.discrepancies, draws);
    process.stdout.write(
      `${draws} draw(s) of ${audited.length} ballot(s): ${c.oneVoteOver} one-vote and ${c.twoVoteOver} two-vote overstatement(s), ${c.oneVoteUnder} one-vote and ${c.twoVoteUnder} two-vote understatement(s).\n${renderRisk(risk, alpha)}\n`,
    );
  }
}

/** Registers `acta audit comparison …`. */
export function registerComparisonCommands(audit: Command, setExit: (code: number) => void): void {
  const comparison = audit
    .command('comparison')
    .description(
      "ballot-comparison audit (Stark's super-simple, Kaplan–Markov), for elections that publish cast-vote records; ballot ids are BATCH:POSITION",
    );
  const contestOption = [
    '--contest <file>',
    'the reported contest, JSON: {"cand1": 600, "cand2": 400, "ballots": 1000, "numWinners": 1, "votesAllowed": 1}',
  ] as const;
  const cvrsHelp = 'the cast-vote records, CSV: Ballot ID,<candidate>,… with 0/1 marks';
  const auditedHelp =
    'the audited paper ballots so far, CSV: Ballot ID,<candidate>,…[,Times Sampled]; empty marks = not found';
  comparison
    .command('sample')
    .description(
      'draw the ballots to compare from the manifest (as `acta audit sample`), with their CVR ids',
    )
    .option('--seed <seed>', 'the public seed')
    .option('--ceremony <file>', 'take the seed from a seed ceremony file (checked)')
    .requiredOption('--manifest <file>', 'the ballot manifest CSV')
    .requiredOption('--size <n>', 'ballots to draw in this round')
    .option('--already-drawn <k>', 'draws of the earlier rounds', '0')
    .option('--json', 'print [{ballot, ticket, batch, position, times_sampled}, …]')
    .action(
      async (opts: {
        seed?: string;
        ceremony?: string;
        manifest: string;
        size: string;
        alreadyDrawn: string;
        json?: boolean;
      }) => {
        const manifest = parseManifestCsv(await readText(opts.manifest));
        if (!manifest.ok) {
          failWith(
            manifest.problems.map((p) => ({
              where: `${opts.manifest} ${p.where}`,
              message: p.message,
            })),
          );
        }
        const sample = await drawArloSampleParallel(manifest.value, {
          seed: await resolveSeed(opts),
          sampleSize: parseCount('--size', opts.size),
          alreadyDrawn: parseCount('--already-drawn', opts.alreadyDrawn),
        });
        const rows = sample.map((s) => ({
          ballot: formatBallotId(s.batch, s.position),
          ticket: s.ticket,
          batch: s.batch,
          position: s.position,
          times_sampled: s.timesSampled,
        }));
        if (opts.json === true) printJson(rows);
        else {
          process.stdout.write(
            `${renderTable(
              ['Ballot ID', 'Ticket', 'Times sampled'],
              rows.map((r) => [r.ballot, r.ticket, r.times_sampled]),
            )}\n`,
          );
        }
        setExit(0);
      },
    );
  comparison
    .command('sample-sizes')
    .description(
      'ballots still to draw: first round at planning rates, later ones at the overstatement rates found so far',
    )
    .requiredOption(...contestOption)
    .requiredOption('--risk-limit <pct>', 'the risk limit in percent, in (0, 50]')
    .option('--cvrs <file>', cvrsHelp)
    .option('--audited <file>', auditedHelp)
    .option('--json', 'print {"supersimple": {"size", "prob"}} or {"all-ballots": {"size"}}')
    .action(async (opts: ComparisonOptions) => {
      await runComparisonSampleSizes(opts);
      setExit(0);
    });
  comparison
    .command('risk')
    .description(
      'the Kaplan–Markov risk of the ballots compared so far; confirmed when within the risk limit',
    )
    .requiredOption(...contestOption)
    .requiredOption('--risk-limit <pct>', 'the risk limit in percent, in (0, 50]')
    .requiredOption('--cvrs <file>', cvrsHelp)
    .requiredOption('--audited <file>', auditedHelp)
    .option('--json', 'print {"p_values_by_winner_loser", "confirmed", "p_value", "discrepancies"}')
    .action(async (opts: ComparisonOptions) => {
      await runComparisonRisk(opts);
      setExit(0);
    });
}
