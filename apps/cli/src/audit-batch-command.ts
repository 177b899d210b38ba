/**
 * `acta audit batch sample|sample-sizes|risk` (issue #6, item 3): the
 * batch-comparison audit at the mesa level — the audit that answers "the tally
 * sheets were altered". Mesas are drawn with probability proportional to how
 * much their acta could overstate the winners' margins (PPEB, redrawable by
 * Arlo: numpy's generator reproduced bit for bit), their paper is hand-counted
 * and compared with the published actas, and MACRO measures the risk — all as
 * Arlo computes them.
 *
 * The ballots of each mesa come from the ballot manifest (`--manifest`),
 * published before the seed, rather than from the acta under audit — whoever
 * altered an acta could also alter its ballot count — or, without a manifest,
 * from the tallies' `Number of Ballots` column.
 */
import type { Command } from 'commander';
import {
  computeMacroRisk,
  computeMacroSampleSizes,
  drawPpebSample,
  parseBatchTalliesCsv,
  parseManifestCsv,
  type AuditedBatch,
  type BatchTally,
  type Contest,
  type MacroDraw,
} from '@acta/audit';
import {
  AuditUsageError,
  failWith,
  parseCount,
  parseRiskLimitOption,
  readContest,
  readText,
} from './audit-input.js';
import { renderSampleSizes, sampleSizesJson } from './audit-polling-command.js';
import { resolveSeed } from './audit-seed-command.js';
import { printJson, renderTable } from './output.js';

interface BatchOptions {
  contest: string;
  tallies: string;
  manifest?: string;
  seed?: string;
  ceremony?: string;
  json?: boolean;
}

async function readTallies(path: string, contest: Contest): Promise<BatchTally[]> {
  const r = parseBatchTalliesCsv(await readText(path), contest);
  if (!r.ok) failWith(r.problems.map((p) => ({ where: `${path} ${p.where}`, message: p.message })));
  return r.value;
}

/** The reported actas, with each mesa's ballots from the manifest when given. */
async function readReported(opts: BatchOptions, contest: Contest): Promise<BatchTally[]> {
  const tallies = await readTallies(opts.tallies, contest);
  if (opts.manifest === undefined) {
    const missing = tallies.find((t) => t.ballots === undefined);
    if (missing !== undefined) {
      throw new AuditUsageError(
        `${opts.tallies}: batch "${missing.batch}" has no Number of Ballots; give the ballot manifest with --manifest`,
      );
    }
    return tallies;
  }
  const manifest = parseManifestCsv(await readText(opts.manifest));
  if (!manifest.ok) {
    failWith(
      manifest.problems.map((p) => ({ where: `${opts.manifest} ${p.where}`, message: p.message })),
    );
  }
  const ballots = new Map(manifest.value.map((b) => [b.batch, b.ballots]));
  const problems = tallies
    .filter((t) => !ballots.has(t.batch))
    .map((t) => ({
      where: opts.tallies,
      message: `batch "${t.batch}" is not in the manifest ${opts.manifest}`,
    }));
  const reported = new Set(tallies.map((t) => t.batch));
  for (const b of manifest.value) {
    if (!reported.has(b.batch) && b.ballots > 0) {
      problems.push({
        where: opts.tallies,
        message: `no acta for batch "${b.batch}" of the manifest (${b.ballots} ballots)`,
      });
    }
  }
  if (problems.length > 0) failWith(problems);
  return tallies.map((t) => ({ ...t, ballots: ballots.get(t.batch)! }));
}

/** The draws so far, recomputed from the seed (they order the risk computation). */
async function drawsSoFar(
  opts: BatchOptions & { drawn?: string },
  contest: Contest,
  reported: readonly BatchTally[],
): Promise<MacroDraw[]> {
  const drawn = parseCount('--drawn', opts.drawn ?? '0');
  if (drawn === 0) return [];
  const seed = await resolveSeed(opts);
  return drawPpebSample(seed, contest, reported, drawn).map((d) => ({
    ticket: d.ticket,
    batch: d.batch,
  }));
}

async function readAudited(
  path: string,
  contest: Contest,
  draws: readonly MacroDraw[],
): Promise<AuditedBatch[]> {
  const counted = await readTallies(path, contest);
  const drawn = new Set(draws.map((d) => d.batch));
  const stray = counted.filter((c) => !drawn.has(c.batch));
  if (stray.length > 0) {
    failWith(
      stray.map((c) => ({
        where: path,
        message: `batch "${c.batch}" was hand-counted but not drawn in the ${draws.length} draw(s)`,
      })),
    );
  }
  return counted.map((c) => ({ batch: c.batch, votes: c.votes }));
}

/** Registers `acta audit batch …`. */
export function registerBatchCommands(audit: Command, setExit: (code: number) => void): void {
  const batch = audit
    .command('batch')
    .description(
      'batch-comparison audit (MACRO, PPEB sampling) at the mesa level: hand-count sampled mesas and compare with their published actas',
    );
  const common = (c: Command): Command =>
    c
      .requiredOption('--contest <file>', 'the reported contest, JSON (Arlo shape)')
      .requiredOption(
        '--tallies <file>',
        'the published actas, CSV: Batch Name,<candidate>,…[,Number of Ballots]',
      )
      .option(
        '--manifest <file>',
        "the ballot manifest CSV (each mesa's ballots; preferred to the tallies' column)",
      )
      .option('--seed <seed>', 'the public seed')
      .option('--ceremony <file>', 'take the seed from a seed ceremony file (checked)');
  common(batch.command('sample'))
    .description(
      'draw mesas to hand-count, with probability proportional to their error bound (as Arlo)',
    )
    .requiredOption('--size <n>', 'draws in this round')
    .option('--already-drawn <k>', 'draws of the earlier rounds', '0')
    .option('--json', 'print [{ticket, batch, times_sampled}, …] in draw order')
    .action(async (opts: BatchOptions & { size: string; alreadyDrawn: string }) => {
      const contest = await readContest(opts.contest);
      const reported = await readReported(opts, contest);
      const seed = await resolveSeed(opts);
      const size = parseCount('--size', opts.size);
      const already = parseCount('--already-drawn', opts.alreadyDrawn);
      if (reported.some((r) => r.ballots === 0) && reported.every((r) => r.ballots === 0)) {
        throw new AuditUsageError(`${opts.tallies}: no batch holds a ballot`);
      }
      let sample;
      try {
        sample = drawPpebSample(seed, contest, reported, size, already);
      } catch (e) {
        if (e instanceof RangeError) throw new AuditUsageError(`${contest.name}: ${e.message}`);
        throw e;
      }
      const rows = sample.map((s) => ({
        ticket: s.ticket,
        batch: s.batch,
        times_sampled: s.timesSampled,
      }));
      if (opts.json === true) printJson(rows);
      else {
        process.stdout.write(
          `${renderTable(
            ['#', 'Ticket', 'Batch', 'Times sampled'],
            rows.map((r, i) => [already + i + 1, r.ticket, r.batch, r.times_sampled]),
          )}\n`,
        );
      }
      setExit(0);
    });
  common(batch.command('sample-sizes'))
    .description(
      'mesas to draw in all so that the audit can end (0 once confirmed; every mesa for a tie)',
    )
    .requiredOption('--risk-limit <pct>', 'the risk limit in percent, in (0, 50]')
    .option('--audited <file>', 'hand counts of the mesas drawn so far, CSV as --tallies')
    .option('--drawn <n>', 'draws so far (recomputed from the seed)', '0')
    .option('--json', 'print {"macro": {"size", "prob"}}')
    .action(async (opts: BatchOptions & { riskLimit: string; audited?: string; drawn: string }) => {
      const alpha = parseRiskLimitOption(opts.riskLimit);
      const contest = await readContest(opts.contest);
      const reported = await readReported(opts, contest);
      const draws = await drawsSoFar(opts, contest, reported);
      const audited =
        opts.audited === undefined ? [] : await readAudited(opts.audited, contest, draws);
      const r = computeMacroSampleSizes(alpha, contest, reported, audited, draws);
      if (!r.ok) throw new AuditUsageError(`${r.error.where}: ${r.error.message}`);
      if (opts.json === true) printJson(sampleSizesJson(r.value));
      else process.stdout.write(`${renderSampleSizes(r.value, 'mesas')}\n`);
      setExit(0);
    });
  common(batch.command('risk'))
    .description(
      "MACRO's risk from the hand counts of the mesas drawn so far; confirmed when within the risk limit",
    )
    .requiredOption('--risk-limit <pct>', 'the risk limit in percent, in (0, 50]')
    .requiredOption('--audited <file>', 'hand counts of the drawn mesas, CSV as --tallies')
    .requiredOption(
      '--drawn <n>',
      'draws so far (recomputed from the seed, a mesa drawn twice counting twice)',
    )
    .option('--json', 'print {"p_value", "confirmed"}')
    .action(async (opts: BatchOptions & { riskLimit: string; audited: string; drawn: string }) => {
      const alpha = parseRiskLimitOption(opts.riskLimit);
      const contest = await readContest(opts.contest);
      const reported = await readReported(opts, contest);
      const draws = await drawsSoFar(opts, contest, reported);
      const audited = await readAudited(opts.audited, contest, draws);
      const missing = [...new Set(draws.map((d) => d.batch))].filter(
        (b) => !audited.some((a) => a.batch === b),
      );
      if (missing.length > 0) {
        throw new AuditUsageError(
          `${opts.audited}: no hand count for drawn mesa(s) ${missing.map((m) => `"${m}"`).join(', ')}`,
        );
      }
      const risk = computeMacroRisk(alpha, contest, reported, audited, draws);
      if (opts.json === true) printJson({ p_value: risk.pValue, confirmed: risk.confirmed });
      else {
        process.stdout.write(
          `${draws.length} draw(s), ${audited.length} mesa(s) hand-counted: risk ${risk.pValue.toPrecision(6)} — ${
            risk.confirmed
              ? 'confirmed: the actas did not change the outcome, at the risk limit.'
              : 'not confirmed yet: draw more mesas (acta audit batch sample-sizes), or count every mesa by hand.'
          }\n`,
        );
      }
      setExit(0);
    });
}
