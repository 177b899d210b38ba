/**
 * `acta audit sample-sizes` and `acta audit risk` (issue #6, items 2 and 4):
 * how many ballots the next round should sample, and the risk measured from
 * the rounds so far, in VotingWorks Arlo's JSON shapes so officials can move
 * between the tools. Ballot-polling methods (BRAVO, Minerva) read the sampled
 * votes per round (`--sample-results`); the ballot-comparison method
 * (super-simple) reads the cast-vote records and the audited paper ballots.
 */
import type { Command } from 'commander';
import {
  computePollingRisk,
  computePollingSampleSizes,
  isPollingMethod,
  type PollingMethod,
  type RiskMeasurement,
  type SampleSizeOptions,
} from '@acta/audit';
import {
  AuditUsageError,
  parseRiskLimitOption,
  readContest,
  readSampleResults,
} from './audit-input.js';
import { runComparisonRisk, runComparisonSampleSizes } from './audit-comparison-command.js';
import { printJson, renderTable } from './output.js';

function parseMethod(value: string): PollingMethod | 'supersimple' {
  if (isPollingMethod(value) || value === 'supersimple') return value;
  throw new AuditUsageError(
    `--method must be bravo, minerva (ballot polling) or supersimple (ballot comparison), got ${value}; for batches see \`acta audit batch\``,
  );
}

/** Sample-size options as Arlo prints them: `{"asn": {"size", "prob"}, "0.7": {…}, …}`. */
export function sampleSizesJson(options: SampleSizeOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(options)) {
    if (option !== undefined) out[key] = { size: option.size, prob: option.prob };
  }
  return out;
}

/** A risk measurement as Arlo prints it: `{"p_values_by_winner_loser": {"w|l": p}, "confirmed"}`. */
export function riskJson(risk: RiskMeasurement): Record<string, unknown> {
  const pValues: Record<string, number> = {};
  for (const p of risk.pValues) pValues[`${p.winner}|${p.loser}`] = p.pValue;
  return { p_values_by_winner_loser: pValues, confirmed: risk.confirmed };
}

const OPTION_LABELS: Readonly<Record<string, string>> = {
  asn: 'average sample number',
  '0.7': '70% chance to finish this round',
  '0.8': '80% chance to finish this round',
  '0.9': '90% chance to finish this round',
  supersimple: 'super-simple stopping size (no more discrepancies than planned)',
  macro: 'MACRO: mesas to draw in all',
  'all-ballots': 'full hand count',
};

/** A table of sample-size options for people. */
export function renderSampleSizes(options: SampleSizeOptions, unit: string): string {
  if (options['all-ballots'] !== undefined) {
    return `The audit cannot meet the risk limit by sampling: count all ${options['all-ballots'].size.toLocaleString('en-US')} ${unit} by hand.`;
  }
  return renderTable(
    ['Option', `Size (${unit})`, 'Chance to finish'],
    Object.entries(options).flatMap(([key, o]) =>
      o === undefined
        ? []
        : [
            [
              OPTION_LABELS[key] ?? key,
              o.size,
              o.prob === null ? '—' : `${(100 * o.prob).toFixed(1)}%`,
            ],
          ],
    ),
  );
}

/** A table of winner–loser p-values for people, with the verdict. */
export function renderRisk(risk: RiskMeasurement, alpha: number): string {
  return [
    renderTable(
      ['Winner', 'Loser', 'Risk (p-value)', `Within ${(100 * alpha).toString()}%`],
      risk.pValues.map((p) => [
        p.winner,
        p.loser,
        p.pValue.toPrecision(6),
        p.pValue <= alpha ? 'yes' : 'no',
      ]),
    ),
    risk.confirmed
      ? 'Confirmed: the reported outcome is right, at the risk limit. The audit can stop.'
      : 'Not confirmed yet: sample another round (acta audit sample-sizes), or count every ballot by hand.',
  ].join('\n');
}

interface PollingCliOptions {
  method: string;
  contest: string;
  riskLimit: string;
  sampleResults?: string;
  cvrs?: string;
  audited?: string;
  json?: boolean;
}

const METHOD_HELP = 'bravo or minerva (ballot polling), supersimple (ballot comparison)';
const CVRS_HELP = 'supersimple: the cast-vote records CSV (see `acta audit comparison`)';
const AUDITED_HELP = 'supersimple: the audited paper ballots so far, CSV';

/** Registers `acta audit sample-sizes` and `acta audit risk`. */
export function registerPollingCommands(audit: Command, setExit: (code: number) => void): void {
  audit
    .command('sample-sizes')
    .description(
      "ballots to sample in the next round of a ballot-polling or ballot-comparison audit, as Arlo's options: average sample number, 70/80/90% chance to finish, or a full hand count",
    )
    .requiredOption('--method <method>', METHOD_HELP)
    .requiredOption(
      '--contest <file>',
      'the reported contest, JSON: {"cand1": 600, "cand2": 400, "ballots": 1000, "numWinners": 1, "votesAllowed": 1}',
    )
    .requiredOption('--risk-limit <pct>', 'the risk limit in percent, in (0, 50]')
    .option(
      '--sample-results <file>',
      'bravo, minerva: earlier rounds, JSON: {"round1": {"cand1": 72, "cand2": 47}, …}',
    )
    .option('--cvrs <file>', CVRS_HELP)
    .option('--audited <file>', AUDITED_HELP)
    .option('--json', 'print the options as JSON, keyed as Arlo keys them')
    .action(async (opts: PollingCliOptions) => {
      const method = parseMethod(opts.method);
      if (method === 'supersimple') {
        await runComparisonSampleSizes(opts);
        setExit(0);
        return;
      }
      const alpha = parseRiskLimitOption(opts.riskLimit);
      const contest = await readContest(opts.contest);
      const rounds = await readSampleResults(opts.sampleResults, contest);
      const options = computePollingSampleSizes(method, contest, alpha, rounds);
      if (opts.json === true) printJson(sampleSizesJson(options));
      else {
        // Arlo's BRAVO sizes are the round's new draws; Minerva's (r2b2, Athena)
        // count every draw, earlier rounds included.
        const unit = method === 'minerva' ? 'ballots in all' : 'more ballots';
        process.stdout.write(`${renderSampleSizes(options, unit)}\n`);
      }
      setExit(0);
    });
  audit
    .command('risk')
    .description(
      'the risk measured by an audit from its rounds so far: a p-value per winner–loser pair, confirmed when all are within the risk limit',
    )
    .requiredOption('--method <method>', METHOD_HELP)
    .requiredOption('--contest <file>', 'the reported contest (JSON, as for sample-sizes)')
    .requiredOption('--risk-limit <pct>', 'the risk limit in percent, in (0, 50]')
    .option(
      '--sample-results <file>',
      'bravo, minerva: the rounds, JSON: {"round1": {"cand1": 72, "cand2": 47}, …}',
    )
    .option('--cvrs <file>', CVRS_HELP)
    .option('--audited <file>', AUDITED_HELP)
    .option('--json', 'print {"p_values_by_winner_loser": {"w|l": p}, "confirmed"} as JSON')
    .action(async (opts: PollingCliOptions) => {
      const method = parseMethod(opts.method);
      if (method === 'supersimple') {
        await runComparisonRisk(opts);
        setExit(0);
        return;
      }
      if (opts.sampleResults === undefined) {
        throw new AuditUsageError(`--method ${method} needs --sample-results`);
      }
      const alpha = parseRiskLimitOption(opts.riskLimit);
      const contest = await readContest(opts.contest);
      const rounds = await readSampleResults(opts.sampleResults, contest);
      if (rounds.length === 0) {
        throw new AuditUsageError(`${opts.sampleResults}: no round`);
      }
      const risk = computePollingRisk(method, contest, alpha, rounds);
      if (opts.json === true) printJson(riskJson(risk));
      else process.stdout.write(`${renderRisk(risk, alpha)}\n`);
      setExit(0);
    });
}
