/**
 * `acta audit record start|draw|results|verify` (issue #6, item 5): an audit
 * kept as a record anyone can recompute (@acta/audit audit-record.ts). The
 * officials start it (contest, risk limit, method, the manifest's hash and the
 * seed ceremony), draw each round's sample, enter what the paper says and get
 * the risk; observers run `verify` with the public manifest and find any step
 * that does not follow from the seed, the manifest and the paper.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  drawAuditRound,
  isPollingMethod,
  parseManifestCsv,
  recordAuditResults,
  startAuditRecord,
  verifyAuditRecord,
  type AuditManifest,
  type AuditRecord,
  type AuditRecordProblem,
  type AuditRecordReport,
  type AuditRecordSeed,
} from '@acta/audit';
import type { Result } from '@acta/crypto';
import {
  AuditUsageError,
  failWith,
  parseCount,
  parseRiskLimitOption,
  readContest,
  readJson,
} from './audit-input.js';
import { readCeremony } from './audit-seed-command.js';
import {
  renderRisk,
  renderSampleSizes,
  riskJson,
  sampleSizesJson,
} from './audit-polling-command.js';
import { printJson, renderTable } from './output.js';

/** The manifest file, parsed, with the SHA-256 of its bytes. */
async function readManifest(path: string): Promise<AuditManifest> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new AuditUsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const parsed = parseManifestCsv(bytes.toString('utf8'));
  if (!parsed.ok)
    failWith(parsed.problems.map((p) => ({ where: `${path} ${p.where}`, message: p.message })));
  return { batches: parsed.value, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function readObject(path: string): Promise<Record<string, unknown>> {
  const json = await readJson(path);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AuditUsageError(`${path}: expected a JSON object`);
  }
  return json as Record<string, unknown>;
}

/** Writes the record atomically (a crash never leaves half a record). */
async function writeRecord(path: string, record: AuditRecord, exclusive: boolean): Promise<void> {
  const text = `${JSON.stringify(record, null, 2)}\n`;
  if (exclusive) {
    try {
      await writeFile(path, text, { flag: 'wx' });
    } catch (e) {
      throw new AuditUsageError(`cannot create ${path}: ${(e as Error).message}`);
    }
    return;
  }
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

function unwrapRecord(r: Result<AuditRecord, AuditRecordProblem[]>): AuditRecord {
  if (!r.ok) failWith(r.error.map((p) => ({ where: p.where, message: `${p.code}: ${p.message}` })));
  return r.value;
}

/** The verification report as JSON. */
export function auditReportJson(report: AuditRecordReport): Record<string, unknown> {
  return {
    ok: report.ok,
    method: report.method,
    seed: report.seed,
    status: report.status,
    problems: report.problems,
    rounds: report.rounds.map((r) => ({
      round: r.round,
      sampleSize: r.sampleSize,
      risk: r.risk === null ? null : riskJson(r.risk),
    })),
    next: report.next === null ? null : sampleSizesJson(report.next),
  };
}

interface StartOptions {
  out: string;
  method: string;
  contest: string;
  riskLimit: string;
  manifest: string;
  seed?: string;
  ceremony?: string;
  withoutReplacement?: boolean;
}

/** Registers `acta audit record …`. */
export function registerRecordCommands(audit: Command, setExit: (code: number) => void): void {
  const record = audit
    .command('record')
    .description(
      'keep a ballot-polling audit as a record anyone can recompute: start, draw each round, enter the paper, verify',
    );
  record
    .command('start')
    .description('start an audit record (no round yet)')
    .requiredOption('--out <file>', 'the record to create (never overwritten)')
    .requiredOption('--method <method>', 'bravo or minerva')
    .requiredOption('--contest <file>', 'the reported contest (JSON, Arlo shape)')
    .requiredOption('--risk-limit <pct>', 'the risk limit in percent, in (0, 50]')
    .requiredOption(
      '--manifest <file>',
      'the public ballot manifest CSV (its SHA-256 goes into the record)',
    )
    .option('--seed <seed>', 'the public seed')
    .option(
      '--ceremony <file>',
      'the seed ceremony file (kept in the record, so anyone can check it)',
    )
    .option('--without-replacement', 'draw each ballot at most once')
    .action(async (opts: StartOptions) => {
      if (!isPollingMethod(opts.method))
        throw new AuditUsageError(`--method must be bravo or minerva, got ${opts.method}`);
      if ((opts.seed === undefined) === (opts.ceremony === undefined)) {
        throw new AuditUsageError('give the seed with exactly one of --seed or --ceremony');
      }
      await readContest(opts.contest); // its problems named in its own file
      let seed: AuditRecordSeed;
      if (opts.seed !== undefined) seed = { value: opts.seed };
      else {
        const c = await readCeremony(opts.ceremony!);
        seed = { ceremony: { commitments: [...c.commitments], reveals: [...c.reveals] } };
      }
      const started = unwrapRecord(
        startAuditRecord(
          {
            method: opts.method,
            riskLimit: parseRiskLimitOption(opts.riskLimit) * 100,
            contest: await readObject(opts.contest),
            seed,
            manifest: await readManifest(opts.manifest),
            withReplacement: opts.withoutReplacement !== true,
          },
          opts.out,
        ),
      );
      await writeRecord(opts.out, started, true);
      process.stdout.write(
        `Started ${opts.out}: a ${opts.method} audit at ${started.riskLimit}% risk limit.\n`,
      );
      setExit(0);
    });
  record
    .command('draw')
    .description("draw the next round's sample and append it to the record")
    .requiredOption('--record <file>', 'the audit record')
    .requiredOption('--manifest <file>', 'the ballot manifest CSV the record was started with')
    .requiredOption('--size <n>', 'ballots to draw in this round')
    .option('--json', 'print the round as JSON')
    .action(async (opts: { record: string; manifest: string; size: string; json?: boolean }) => {
      const size = parseCount('--size', opts.size);
      if (size < 1) throw new AuditUsageError('--size must be at least 1');
      const updated = unwrapRecord(
        drawAuditRound(
          await readJson(opts.record),
          await readManifest(opts.manifest),
          size,
          opts.record,
        ),
      );
      await writeRecord(opts.record, updated, false);
      const round = updated.rounds.at(-1)!;
      if (opts.json === true) printJson(round);
      else {
        process.stdout.write(
          `Round ${round.round}: ${round.sampleSize} ballot(s) to pull:\n` +
            renderTable(
              ['Ticket', 'Batch', 'Position', 'Times sampled'],
              round.sample.map((s) => [s.ticket, s.batch, s.position, s.times_sampled]),
            ) +
            '\n',
        );
      }
      setExit(0);
    });
  record
    .command('results')
    .description("enter the last round's sampled votes as read on paper; prints the risk")
    .requiredOption('--record <file>', 'the audit record')
    .requiredOption('--results <file>', 'JSON: {"cand1": 72, "cand2": 47} (this round only)')
    .option('--json', 'print the risk as JSON')
    .action(async (opts: { record: string; results: string; json?: boolean }) => {
      const updated = unwrapRecord(
        recordAuditResults(
          await readJson(opts.record),
          await readObject(opts.results),
          opts.record,
        ),
      );
      await writeRecord(opts.record, updated, false);
      const risk = updated.rounds.at(-1)!.risk!;
      if (opts.json === true) printJson(risk);
      else {
        process.stdout.write(
          `${renderRisk(
            {
              confirmed: risk.confirmed,
              pValues: Object.entries(risk.p_values_by_winner_loser).map(([k, pValue]) => {
                const [winner = '', loser = ''] = k.split('|');
                return { winner, loser, pValue };
              }),
            },
            updated.riskLimit / 100,
          )}\n`,
        );
      }
      setExit(0);
    });
  record
    .command('verify')
    .description(
      'recompute a whole audit record: the seed ceremony, every sample, the results and every risk (exit 1 when something does not follow)',
    )
    .requiredOption('--record <file>', 'the audit record')
    .requiredOption('--manifest <file>', 'the public ballot manifest CSV')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { record: string; manifest: string; json?: boolean }) => {
      const report = verifyAuditRecord(
        await readJson(opts.record),
        await readManifest(opts.manifest),
        opts.record,
      );
      if (opts.json === true) printJson(auditReportJson(report));
      else process.stdout.write(`${renderReport(report)}\n`);
      setExit(report.ok ? 0 : 1);
    });
}

function renderReport(report: AuditRecordReport): string {
  if (!report.ok) {
    return [
      `The audit record does not check (${report.problems.length} problem(s)):`,
      ...report.problems.map((p) => `  ${p.code} ${p.where}: ${p.message}`),
    ].join('\n');
  }
  const lines = [
    `The audit record checks: ${report.method}, seed ${report.seed ?? ''}, ${report.rounds.length} round(s), every sample redrawn and every risk recomputed.`,
    renderTable(
      ['Round', 'Ballots', 'Largest risk', 'Confirmed'],
      report.rounds.map((r) => [
        r.round,
        r.sampleSize,
        r.risk === null
          ? 'no results yet'
          : Math.max(...r.risk.pValues.map((p) => p.pValue)).toPrecision(6),
        r.risk === null ? '—' : r.risk.confirmed ? 'yes' : 'no',
      ]),
    ),
  ];
  switch (report.status) {
    case 'confirmed':
      lines.push('Status: confirmed — the reported outcome stands at the risk limit.');
      break;
    case 'full-hand-count':
      lines.push('Status: the risk limit cannot be met by sampling — count every ballot by hand.');
      break;
    case 'in-progress':
      lines.push(
        'Status: in progress. Next round:',
        renderSampleSizes(report.next ?? {}, 'ballots'),
      );
      break;
    case null:
      break;
    default: {
      const never: never = report.status;
      throw new Error(`unknown status ${String(never)}`);
    }
  }
  return lines.join('\n');
}
