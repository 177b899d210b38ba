/**
 * `acta audit record start|draw|results|verify` (issue #6, item 5): an audit
 * kept as a record anyone can recompute (@acta/audit audit-record.ts), for
 * every method: ballot polling (BRAVO, Minerva), batch comparison of the actas
 * (MACRO) and ballot comparison against cast-vote records (super-simple). The
 * officials start it (contest, risk limit, method, the hashes of the public
 * inputs and the seed ceremony), draw each round's sample, enter what the
 * paper says and get the risk; observers run `verify` with the same public
 * files and find any step that does not follow from the seed, the inputs and
 * the paper.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  AUDIT_METHODS,
  drawAuditRound,
  parseBatchTalliesCsv,
  parseContest,
  parseCvrCsv,
  parseManifestCsv,
  recordAuditResults,
  startAuditRecord,
  verifyAuditRecord,
  type AuditInputs,
  type AuditManifest,
  type AuditMethod,
  type AuditRecord,
  type AuditRecordRisk,
  type Contest,
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
import { renderRisk, renderSampleSizes, sampleSizesJson } from './audit-polling-command.js';
import { printJson, renderTable } from './output.js';

/** A file's bytes and their SHA-256 (the record binds the audit to the exact files). */
async function readHashed(path: string): Promise<{ text: string; sha256: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new AuditUsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  return { text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The manifest file, parsed, with the SHA-256 of its bytes. */
async function readManifest(path: string): Promise<AuditManifest> {
  const { text, sha256 } = await readHashed(path);
  const parsed = parseManifestCsv(text);
  if (!parsed.ok)
    failWith(parsed.problems.map((p) => ({ where: `${path} ${p.where}`, message: p.message })));
  return { batches: parsed.value, sha256 };
}

interface InputOptions {
  manifest: string;
  tallies?: string;
  cvrs?: string;
}

/** The public inputs of a method: the manifest, and the actas (macro) or the CVRs (supersimple). */
async function readInputs(
  opts: InputOptions,
  method: string,
  contest: Contest | null,
): Promise<AuditInputs> {
  const manifest = await readManifest(opts.manifest);
  if (method === 'macro') {
    if (opts.tallies === undefined)
      throw new AuditUsageError(
        'a batch-comparison (macro) audit needs --tallies (the published actas, CSV)',
      );
    if (contest === null) return { manifest };
    const { text, sha256 } = await readHashed(opts.tallies);
    const parsed = parseBatchTalliesCsv(text, contest);
    if (!parsed.ok)
      failWith(
        parsed.problems.map((p) => ({ where: `${opts.tallies} ${p.where}`, message: p.message })),
      );
    return { manifest, tallies: { batches: parsed.value, sha256 } };
  }
  if (method === 'supersimple') {
    if (opts.cvrs === undefined)
      throw new AuditUsageError(
        'a ballot-comparison (supersimple) audit needs --cvrs (the cast-vote records, CSV)',
      );
    if (contest === null) return { manifest };
    const { text, sha256 } = await readHashed(opts.cvrs);
    const parsed = parseCvrCsv(text, contest);
    if (!parsed.ok)
      failWith(parsed.error.map((p) => ({ where: `${opts.cvrs} ${p.where}`, message: p.message })));
    return { manifest, cvrs: { ballots: parsed.value, sha256 } };
  }
  return { manifest };
}

/** A record file's method and contest (for reading its inputs; the record itself is checked later). */
function methodAndContest(json: unknown): { method: string; contest: Contest | null } {
  const o = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const method = typeof o.method === 'string' ? o.method : '';
  const contest = parseContest(o.contest);
  return { method, contest: contest.ok ? contest.value : null };
}

async function readRecordAndInputs(
  opts: InputOptions & { record: string },
): Promise<{ json: unknown; inputs: AuditInputs }> {
  const json = await readJson(opts.record);
  const { method, contest } = methodAndContest(json);
  return { json, inputs: await readInputs(opts, method, contest) };
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

/** A recorded risk's largest p-value (the one that decides). */
function largestRisk(risk: AuditRecordRisk): number {
  return Math.max(risk.p_value ?? 0, ...Object.values(risk.p_values_by_winner_loser ?? {}));
}

/** The verification report as JSON. */
export function auditReportJson(report: AuditRecordReport): Record<string, unknown> {
  return {
    ok: report.ok,
    method: report.method,
    seed: report.seed,
    status: report.status,
    problems: report.problems,
    rounds: report.rounds,
    next: report.next === null ? null : sampleSizesJson(report.next),
  };
}

function parseMethod(value: string): AuditMethod {
  const m = AUDIT_METHODS.find((x) => x === value);
  if (m === undefined) {
    throw new AuditUsageError(`--method must be one of ${AUDIT_METHODS.join(', ')}, got ${value}`);
  }
  return m;
}

function renderRecordedRisk(risk: AuditRecordRisk, alpha: number): string {
  const pairs = Object.entries(risk.p_values_by_winner_loser ?? {}).map(([k, pValue]) => {
    const [winner = '', loser = ''] = k.split('|');
    return { winner, loser, pValue };
  });
  if (pairs.length > 0) return renderRisk({ confirmed: risk.confirmed, pValues: pairs }, alpha);
  return `Risk ${largestRisk(risk).toPrecision(6)}: ${risk.confirmed ? 'confirmed — the reported outcome stands at the risk limit.' : 'not confirmed yet: draw another round, or count every ballot by hand.'}`;
}

interface StartOptions extends InputOptions {
  out: string;
  method: string;
  contest: string;
  riskLimit: string;
  seed?: string;
  ceremony?: string;
  withoutReplacement?: boolean;
}

const TALLIES_HELP =
  'macro: the published actas, CSV Batch Name,<candidate>,… (its SHA-256 goes into the record)';
const CVRS_HELP =
  'supersimple: the cast-vote records, CSV Ballot ID,<candidate>,… with ids BATCH:POSITION';

/** Registers `acta audit record …`. */
export function registerRecordCommands(audit: Command, setExit: (code: number) => void): void {
  const record = audit
    .command('record')
    .description(
      'keep an audit (any method) as a record anyone can recompute: start, draw each round, enter the paper, verify',
    );
  record
    .command('start')
    .description('start an audit record (no round yet)')
    .requiredOption('--out <file>', 'the record to create (never overwritten)')
    .requiredOption(
      '--method <method>',
      'bravo, minerva (ballot polling), macro (batch comparison) or supersimple (ballot comparison)',
    )
    .requiredOption('--contest <file>', 'the reported contest (JSON, Arlo shape)')
    .requiredOption('--risk-limit <pct>', 'the risk limit in percent, in (0, 50]')
    .requiredOption(
      '--manifest <file>',
      'the public ballot manifest CSV (its SHA-256 goes into the record)',
    )
    .option('--tallies <file>', TALLIES_HELP)
    .option('--cvrs <file>', CVRS_HELP)
    .option('--seed <seed>', 'the public seed')
    .option(
      '--ceremony <file>',
      'the seed ceremony file (kept in the record, so anyone can check it)',
    )
    .option(
      '--without-replacement',
      'draw each ballot at most once (ballot polling and comparison)',
    )
    .action(async (opts: StartOptions) => {
      const method = parseMethod(opts.method);
      if ((opts.seed === undefined) === (opts.ceremony === undefined)) {
        throw new AuditUsageError('give the seed with exactly one of --seed or --ceremony');
      }
      const contest = await readContest(opts.contest); // its problems named in its own file
      let seed: AuditRecordSeed;
      if (opts.seed !== undefined) seed = { value: opts.seed };
      else {
        const c = await readCeremony(opts.ceremony!);
        seed = { ceremony: { commitments: [...c.commitments], reveals: [...c.reveals] } };
      }
      const started = unwrapRecord(
        startAuditRecord(
          {
            method,
            riskLimit: parseRiskLimitOption(opts.riskLimit) * 100,
            contest: await readObject(opts.contest),
            seed,
            inputs: await readInputs(opts, method, contest),
            withReplacement: opts.withoutReplacement !== true,
          },
          opts.out,
        ),
      );
      await writeRecord(opts.out, started, true);
      process.stdout.write(
        `Started ${opts.out}: a ${method} audit at ${started.riskLimit}% risk limit.\n`,
      );
      setExit(0);
    });
  record
    .command('draw')
    .description("draw the next round's sample and append it to the record")
    .requiredOption('--record <file>', 'the audit record')
    .requiredOption('--manifest <file>', 'the ballot manifest CSV the record was started with')
    .option('--tallies <file>', TALLIES_HELP)
    .option('--cvrs <file>', CVRS_HELP)
    .requiredOption('--size <n>', 'ballots (mesas, for macro) to draw in this round')
    .option('--json', 'print the round as JSON')
    .action(async (opts: InputOptions & { record: string; size: string; json?: boolean }) => {
      const size = parseCount('--size', opts.size);
      if (size < 1) throw new AuditUsageError('--size must be at least 1');
      const { json, inputs } = await readRecordAndInputs(opts);
      const updated = unwrapRecord(drawAuditRound(json, inputs, size, opts.record));
      await writeRecord(opts.record, updated, false);
      const round = updated.rounds.at(-1)!;
      if (opts.json === true) printJson(round);
      else {
        const mesas = updated.method === 'macro';
        process.stdout.write(
          `Round ${round.round}: ${round.sampleSize} ${mesas ? 'mesa(s) to hand-count' : 'ballot(s) to pull'}:\n` +
            renderTable(
              mesas
                ? ['Ticket', 'Mesa', 'Times sampled']
                : ['Ticket', 'Batch', 'Position', 'Times sampled'],
              round.sample.map((s) =>
                mesas
                  ? [s.ticket, s.batch, s.times_sampled]
                  : [s.ticket, s.batch, s.position ?? '', s.times_sampled],
              ),
            ) +
            '\n',
        );
      }
      setExit(0);
    });
  record
    .command('results')
    .description("enter what the paper of the last round's sample says; prints the risk")
    .requiredOption('--record <file>', 'the audit record')
    .requiredOption('--manifest <file>', 'the ballot manifest CSV the record was started with')
    .option('--tallies <file>', TALLIES_HELP)
    .option('--cvrs <file>', CVRS_HELP)
    .requiredOption(
      '--results <file>',
      'JSON, this round only: bravo/minerva {"cand1": 72, …}; macro {"mesa": {"cand1": 30, …}, …} for each mesa first drawn in the round; supersimple {"BATCH:POSITION": {"cand1": 1, …} or "not-found", …}',
    )
    .option('--json', 'print the risk as JSON')
    .action(async (opts: InputOptions & { record: string; results: string; json?: boolean }) => {
      const { json, inputs } = await readRecordAndInputs(opts);
      const updated = unwrapRecord(
        recordAuditResults(json, inputs, await readObject(opts.results), opts.record),
      );
      await writeRecord(opts.record, updated, false);
      const risk = updated.rounds.at(-1)!.risk!;
      if (opts.json === true) printJson(risk);
      else process.stdout.write(`${renderRecordedRisk(risk, updated.riskLimit / 100)}\n`);
      setExit(0);
    });
  record
    .command('verify')
    .description(
      'recompute a whole audit record: the seed ceremony, the inputs, every sample, the results and every risk (exit 1 when something does not follow)',
    )
    .requiredOption('--record <file>', 'the audit record')
    .requiredOption('--manifest <file>', 'the public ballot manifest CSV')
    .option('--tallies <file>', TALLIES_HELP)
    .option('--cvrs <file>', CVRS_HELP)
    .option('--json', 'print the report as JSON')
    .action(async (opts: InputOptions & { record: string; json?: boolean }) => {
      const { json, inputs } = await readRecordAndInputs(opts);
      const report = verifyAuditRecord(json, inputs, opts.record);
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
  const unit = report.method === 'macro' ? 'Mesas' : 'Ballots';
  const lines = [
    `The audit record checks: ${report.method}, seed ${report.seed ?? ''}, ${report.rounds.length} round(s), every sample redrawn and every risk recomputed.`,
    renderTable(
      ['Round', unit, 'Largest risk', 'Confirmed'],
      report.rounds.map((r) => [
        r.round,
        r.sampleSize,
        r.risk === null ? 'no results yet' : largestRisk(r.risk).toPrecision(6),
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
        renderSampleSizes(report.next ?? {}, report.method === 'macro' ? 'mesas' : 'ballots'),
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
