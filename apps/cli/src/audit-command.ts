/**
 * `acta audit …` (issue #6): risk-limiting audits of the paper records, over
 * @acta/audit (docs/audit.md). This module registers the commands and holds
 * `acta audit sample` (the ballots to pull from a ballot manifest, drawn from a
 * public seed exactly as VotingWorks Arlo draws them); the methods, the seed
 * ceremony and the audit record have their own modules. Bad input — an
 * unreadable or malformed file, an impossible contest, a size that is not a
 * count — is a usage error (exit 2) that names the file and place.
 */
import type { Command } from 'commander';
import { drawArloSampleParallel, parseManifestCsv } from '@acta/audit';
import { AuditUsageError, parseCount, readText } from './audit-input.js';
import { registerBatchCommands } from './audit-batch-command.js';
import { registerComparisonCommands } from './audit-comparison-command.js';
import { registerPollingCommands } from './audit-polling-command.js';
import { registerRecordCommands } from './audit-record-command.js';
import { registerSeedCommands, resolveSeed } from './audit-seed-command.js';
import { printJson, renderTable } from './output.js';

export { AuditUsageError } from './audit-input.js';

interface SampleCliOptions {
  seed?: string;
  ceremony?: string;
  manifest: string;
  size: string;
  alreadyDrawn: string;
  withoutReplacement?: boolean;
  json?: boolean;
}

/** Registers `acta audit` and its commands. */
export function registerAuditCommands(program: Command, setExit: (code: number) => void): void {
  const audit = program
    .command('audit')
    .description(
      'risk-limiting audits of the paper records, interchangeable with VotingWorks Arlo: ballot polling (BRAVO, Minerva), batch comparison of the actas (MACRO), ballot comparison (super-simple); samples drawn from a public seed ceremony; audit records anyone can recompute (docs/audit.md)',
    );
  audit
    .command('sample')
    .description(
      'draw the ballots to audit from a ballot manifest (CSV: Batch Name,Number of Ballots) and a public seed, as Arlo does (Rivest consistent sampler, 18-digit tickets); later rounds extend earlier ones',
    )
    .option('--seed <seed>', 'the public random seed (e.g. the dice rolled in public)')
    .option(
      '--ceremony <file>',
      'take the seed from a seed ceremony file (see `acta audit seed`), checking every reveal',
    )
    .requiredOption('--manifest <file>', 'the ballot manifest CSV')
    .requiredOption('--size <n>', 'ballots to draw in this round')
    .option(
      '--already-drawn <k>',
      'draws of the earlier rounds (this round continues after them)',
      '0',
    )
    .option('--without-replacement', 'draw each ballot at most once (Arlo draws with replacement)')
    .option('--json', 'print the sample as JSON: [{ticket, batch, position, times_sampled}, …]')
    .action(async (opts: SampleCliOptions) => {
      const seed = await resolveSeed(opts);
      const size = parseCount('--size', opts.size);
      const alreadyDrawn = parseCount('--already-drawn', opts.alreadyDrawn);
      const text = await readText(opts.manifest);
      const manifest = parseManifestCsv(text);
      if (!manifest.ok) {
        throw new AuditUsageError(
          manifest.problems.map((p) => `${opts.manifest} ${p.where}: ${p.message}`).join('\n'),
        );
      }
      const sample = await drawArloSampleParallel(manifest.value, {
        seed,
        sampleSize: size,
        alreadyDrawn,
        withReplacement: opts.withoutReplacement !== true,
      });
      if (opts.json === true) {
        printJson(
          sample.map((s) => ({
            ticket: s.ticket,
            batch: s.batch,
            position: s.position,
            times_sampled: s.timesSampled,
          })),
        );
      } else {
        process.stdout.write(
          [
            `${sample.length} ballot(s) drawn from ${manifest.value.length} batches (${manifest.ballots.toLocaleString('en-US')} ballots), seed ${JSON.stringify(seed)}, ${opts.withoutReplacement === true ? 'without' : 'with'} replacement, after ${alreadyDrawn} earlier draw(s):`,
            renderTable(
              ['#', 'Ticket', 'Batch', 'Position', 'Times sampled'],
              sample.map((s, i) => [
                alreadyDrawn + i + 1,
                s.ticket,
                s.batch,
                s.position,
                s.timesSampled,
              ]),
            ),
          ].join('\n') + '\n',
        );
      }
      setExit(0);
    });
  registerPollingCommands(audit, setExit);
  registerBatchCommands(audit, setExit);
  registerComparisonCommands(audit, setExit);
  registerSeedCommands(audit, setExit);
  registerRecordCommands(audit, setExit);
}
