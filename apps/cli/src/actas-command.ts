/**
 * `acta actas reconcile` (issue #7, item 2): what the actas witnesses
 * collected prove about an election. Reads every collected file (any format
 * @acta/forensics imports, detected or given; several files, several
 * formats), runs `reconcileActas` (merge of copies and conflicts, arithmetic,
 * official per-mesa figures, bulletins, coverage, worst case) and prints a
 * summary or, with --json, the whole report plus every skipped row.
 *
 * Exit status: 0 when a report was produced, whatever it found (findings are
 * the report's content, not a failure of the command); 2 when the call is
 * wrong or nothing usable was read (a missing file, an unknown format, a bad
 * bulletins file, or no collected mesa at all in any file). Rows skipped by an
 * importer never stop the command: they are counted, listed (the first ten in
 * the summary, all with --json) and the rest is processed.
 */
import type { Command } from 'commander';
import {
  RECONCILE_CODES,
  VE2024_CANDIDATES,
  reconcileActas,
  type CollectedActa,
  type ImportProblem,
  type MesaResult,
  type ReconcileFinding,
  type ReconcileInput,
  type ReconciliationReport,
  type WorstCase,
} from '@acta/forensics';
import {
  ForensicsUsageError,
  INPUT_FORMATS,
  parseCountOption,
  parseFormat,
  readBulletins,
  readMapping,
  readDeviceKeys,
  readResults,
  runForensicsAction,
  toJsonValue,
  type LoadedResults,
} from './forensics-input.js';
import { printJson, renderTable } from './output.js';

interface ReconcileCliOptions {
  collected: string[];
  official?: string;
  officialTotals?: string;
  registeredTotal?: string;
  mesasTotal?: string;
  registeredPerMesaMax?: string;
  format?: string;
  mapping?: string;
  deviceKeys?: string;
  countInconsistent?: boolean;
  json?: boolean;
}

/** How many skipped rows and places per finding code the summary shows. */
const SHOWN_PROBLEMS = 10;
const SHOWN_PLACES = 3;

/** Every input file's import, as the report lists it. */
export interface InputSummary {
  readonly path: string;
  readonly format: string;
  readonly detected: boolean;
  readonly rows: number;
  readonly read: number;
  readonly skipped: number;
  readonly problems: readonly ImportProblem[];
}

function summarizeInput(loaded: LoadedResults): InputSummary {
  return {
    path: loaded.path,
    format: loaded.format,
    detected: loaded.detected,
    rows: loaded.imported.rows,
    read: loaded.imported.results.length,
    skipped: loaded.imported.skipped,
    problems: loaded.imported.problems,
  };
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(2)}%`);

/** The worst case in one sentence. */
export function describeWorstCase(w: WorstCase): string {
  const runnerUp = w.contests[0];
  if (w.leader === null || runnerUp === undefined) {
    return 'No worst case: the counted actas hold fewer than two candidates.';
  }
  const leader = w.leaderName ?? w.leader;
  const challenger = runnerUp.challengerName;
  if (w.leaderStillLeads === null || w.uncovered === null) {
    return `No conclusion on the outcome: ${leader} leads ${challenger} by ${fmt(runnerUp.margin)} votes in the counted actas, but the voters outside them are unknown (give --registered-total, or --mesas-total with --registered-per-mesa-max).`;
  }
  if (w.leaderStillLeads) {
    return `${leader} still leads: even if all ${fmt(w.uncovered)} registered voters outside the counted actas had voted for ${challenger}, the margin of ${fmt(runnerUp.margin)} votes would not be overturned (${runnerUp.marginOverUncovered === null ? '—' : runnerUp.marginOverUncovered.toFixed(3)} × the uncovered voters).`;
  }
  const flip = runnerUp.flipTurnout;
  return `The counted actas do not settle the outcome: ${leader}'s margin of ${fmt(runnerUp.margin)} votes over ${challenger} would be overturned if ${flip === null ? 'enough' : pct(flip)} of the ${fmt(w.uncovered)} uncovered registered voters voted for ${challenger}.`;
}

/** Findings grouped by code, in report order: count and the first few places. */
function groupFindings(
  findings: readonly ReconcileFinding[],
): { code: string; count: number; places: string[]; message: string }[] {
  const byCode = new Map<string, ReconcileFinding[]>();
  for (const f of findings) {
    const list = byCode.get(f.code);
    if (list === undefined) byCode.set(f.code, [f]);
    else list.push(f);
  }
  return RECONCILE_CODES.filter((c) => byCode.has(c)).map((code) => {
    const list = byCode.get(code) ?? [];
    return {
      code,
      count: list.length,
      places: list.slice(0, SHOWN_PLACES).map((f) => f.mesa ?? f.sources.join(', ')),
      message: list[0]?.message ?? '',
    };
  });
}

function printSummary(report: ReconciliationReport, inputs: readonly InputSummary[]): void {
  const lines: string[] = [];
  const m = report.merge;
  lines.push(
    `Collected: ${fmt(m.copies)} acta copies of ${fmt(m.mesas)} mesas from ${inputs.length} file(s); ${fmt(m.duplicates)} identical duplicate copies, ${fmt(m.conflictsUnresolved + m.signedConflicts)} mesas with conflicting copies, ${fmt(m.conflictsResolved)} conflicts resolved by a verified copy; signatures: ${fmt(m.verifiedMesas)} verified, ${fmt(m.unsignedMesas)} unsigned, ${fmt(m.forgedCopies)} forged copies`,
  );
  lines.push(
    renderTable(
      ['File', 'Format', 'Rows', 'Read', 'Skipped'],
      inputs.map((i) => [
        i.path,
        `${i.format}${i.detected ? ' (detected)' : ''}`,
        i.rows,
        i.read,
        i.skipped,
      ]),
    ),
  );
  const problems = inputs.flatMap((i) => i.problems);
  const skipped = inputs.reduce((a, i) => a + i.skipped, 0);
  if (skipped > 0 || problems.length > 0) {
    lines.push(
      `${fmt(skipped)} row(s) skipped, ${fmt(problems.length)} problem(s) reported${problems.length > SHOWN_PROBLEMS ? `; the first ${SHOWN_PROBLEMS} (all with --json):` : ':'}`,
      ...problems.slice(0, SHOWN_PROBLEMS).map((p) => `  ${p.where}: ${p.message} [${p.code}]`),
    );
  }
  const c = report.coverage;
  lines.push(
    '',
    `Coverage: ${fmt(c.mesasCounted)} mesas counted${c.mesasTotal === null ? '' : ` of ${fmt(c.mesasTotal)} (${pct(c.mesaFraction)})`}; ${fmt(c.registeredCounted)} registered voters${c.registeredTotal === null ? '' : ` of ${fmt(c.registeredTotal)} (${pct(c.registeredFraction)})`}${c.mesasCollected > c.mesasCounted ? `; ${fmt(c.mesasCollected - c.mesasCounted)} collected mesas not counted (conflicts or failed arithmetic: see findings)` : ''}`,
  );
  const t = report.totals;
  lines.push(
    renderTable(
      ['Candidate', 'Key', 'Votes', 'Share'],
      t.candidates.map((x) => [x.name, x.key, x.votes, pct(x.share)]),
    ),
    `Valid ${fmt(t.valid)}, null ${fmt(t.invalid)}${t.invalidMissing > 0 ? ` (${fmt(t.invalidMissing)} actas without)` : ''}, blank ${fmt(t.blank)}${t.blankMissing > 0 ? ` (${fmt(t.blankMissing)} actas without)` : ''}, voters ${fmt(t.voters)}${t.votersMissing > 0 ? ` (${fmt(t.votersMissing)} actas without)` : ''}, registered ${fmt(t.registered)}`,
    '',
    `Worst case: ${describeWorstCase(report.worstCase)}`,
  );
  const o = report.official;
  if (o !== null) {
    lines.push(
      '',
      `Official per-mesa figures: ${fmt(o.officialMesas)} mesas; ${fmt(o.compared)} compared, ${fmt(o.matching)} match, ${fmt(o.differing)} differ; ${fmt(o.onlyOfficial)} only official, ${fmt(o.onlyCollected)} only collected`,
    );
    if (o.fields.length > 0) {
      lines.push(
        renderTable(
          ['Field', 'Collected', 'Official', 'Official − collected', 'Mesas differing'],
          o.fields.map((f) => [f.field, f.collected, f.official, f.difference, f.mesasDiffering]),
        ),
      );
    }
  }
  for (const b of report.bulletins) {
    lines.push(
      '',
      `Bulletin "${b.label}" (coverage ${pct(b.coverage)})${b.impliedValidRange === null ? '' : `: its percentages imply ${fmt(b.impliedValidRange[0])} … ${fmt(b.impliedValidRange[1])} valid votes`}`,
      renderTable(
        ['', 'Official', 'Collected', 'Proven at least', 'Possible at most', 'Verdict'],
        b.rows.map((r) => [
          r.name,
          r.official,
          r.collected ?? '—',
          r.provenMin ?? '—',
          r.possibleMax ?? '—',
          r.verdict,
        ]),
      ),
    );
  }
  const groups = groupFindings(report.findings);
  lines.push('');
  if (groups.length === 0) lines.push('Findings: none.');
  else {
    lines.push(
      `Findings: ${fmt(report.findings.length)} (all with --json)`,
      renderTable(
        ['Code', 'Count', `First ${SHOWN_PLACES} places`, 'First message'],
        groups.map((g) => [
          g.code,
          g.count,
          g.places.join('; '),
          g.message.length > 120 ? `${g.message.slice(0, 119)}…` : g.message,
        ]),
      ),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Candidate display names: the Venezuelan codes when a Venezuelan file was read. */
function candidateNames(inputs: readonly LoadedResults[]): ReadonlyMap<string, string> | undefined {
  if (!inputs.some((i) => i.format === 've2024' || i.format === 've-qr')) return undefined;
  return new Map(VE2024_CANDIDATES.map((c) => [c.code, c.name]));
}

async function reconcile(opts: ReconcileCliOptions): Promise<number> {
  const formats = INPUT_FORMATS;
  const format = parseFormat(opts.format, formats);
  const registeredTotal = parseCountOption('--registered-total', opts.registeredTotal);
  const mesasTotal = parseCountOption('--mesas-total', opts.mesasTotal);
  const perMesaMax = parseCountOption('--registered-per-mesa-max', opts.registeredPerMesaMax);
  const mapping = opts.mapping === undefined ? undefined : await readMapping(opts.mapping);
  const deviceKeys = await readDeviceKeys(opts.deviceKeys);
  const readOptions = {
    keepDuplicates: true,
    ...(deviceKeys !== undefined ? { deviceKeys } : {}),
    ...(format !== undefined ? { format } : {}),
    ...(mapping !== undefined ? { mapping } : {}),
  };
  const loaded: LoadedResults[] = [];
  for (const path of opts.collected) loaded.push(await readResults(path, readOptions));
  const collected: CollectedActa[] = loaded.flatMap(
    (l) =>
      // Acta's own actas come with their signature checked (forged ones too: the
      // reconciliation flags them and never counts them); foreign actas carry
      // no signature anyone but their authority can check.
      l.actas ?? l.imported.results.map((result) => ({ result, signature: 'unsigned' as const })),
  );
  const inputs = loaded.map(summarizeInput);
  if (collected.length === 0) {
    const problems = inputs.flatMap((i) => i.problems);
    throw new ForensicsUsageError(
      [
        `no usable acta in ${opts.collected.join(', ')}: nothing to reconcile`,
        ...problems.slice(0, SHOWN_PROBLEMS).map((p) => `${p.where}: ${p.message}`),
        ...(problems.length > SHOWN_PROBLEMS
          ? [`… and ${problems.length - SHOWN_PROBLEMS} more`]
          : []),
      ].join('\n'),
    );
  }
  let official: readonly MesaResult[] | undefined;
  let officialInput: InputSummary | undefined;
  if (opts.official !== undefined) {
    const o = await readResults(opts.official, readOptions);
    official = o.imported.results;
    officialInput = summarizeInput(o);
  }
  const bulletins =
    opts.officialTotals === undefined ? undefined : await readBulletins(opts.officialTotals);
  const names = candidateNames(loaded);
  const input: ReconcileInput = {
    collected,
    ...(official !== undefined ? { official } : {}),
    ...(bulletins !== undefined ? { officialTotals: bulletins } : {}),
    ...(registeredTotal !== undefined ? { registeredTotal } : {}),
    ...(mesasTotal !== undefined ? { mesasTotal } : {}),
    ...(perMesaMax !== undefined ? { registeredPerMesaMax: perMesaMax } : {}),
    ...(names !== undefined ? { candidateNames: names } : {}),
    arithmetic: opts.countInconsistent === true ? 'count' : 'exclude',
  };
  const report = reconcileActas(input);
  const allInputs = officialInput === undefined ? inputs : [...inputs, officialInput];
  if (opts.json === true) {
    printJson(
      toJsonValue({
        inputs: allInputs,
        skippedRows: allInputs.reduce((a, i) => a + i.skipped, 0),
        worstCaseSentence: describeWorstCase(report.worstCase),
        ...report,
      }),
    );
  } else {
    printSummary(report, allInputs);
  }
  return 0;
}

const OFFICIAL_TOTALS_HELP = `official bulletins without per-mesa figures, JSON: [{"label": "CNE bulletin 2", "coverage": 0.96865, "votes": {"NM": 6408844, "EG": 5326104}, "valid": 12335884, "invalid": 50785, "percentages": {"NM": "51.20"}}] — keys are the candidate keys of the actas; coverage a fraction in (0, 1] (omitted: complete; give a rounded figure's lower end); valid, invalid and percentages (as printed) optional`;

/** Registers `acta actas` and `acta actas reconcile`. */
export function registerActasCommands(program: Command, setExit: (code: number) => void): void {
  const actas = program
    .command('actas')
    .description('cross-check collected actas (tally sheets) against official figures');
  actas
    .command('reconcile')
    .description(
      'merge the collected actas (duplicates, conflicting copies), check each one’s arithmetic, compare with official per-mesa figures and bulletins, and say what they prove: coverage, totals, and whether the leader would still lead if every uncovered voter chose the runner-up. Exit 0 with a report (whatever it found), 2 when the call is wrong or no collected file holds a usable acta; skipped rows are counted and listed, never fatal',
    )
    .requiredOption(
      '--collected <files...>',
      'collected actas: files of per-mesa results (formats may differ between files)',
    )
    .option('--official <file>', 'official per-mesa results, where published')
    .option('--official-totals <file>', OFFICIAL_TOTALS_HELP)
    .option('--registered-total <n>', 'registered voters of the whole election')
    .option('--mesas-total <n>', 'mesas of the whole election')
    .option(
      '--registered-per-mesa-max <n>',
      'legal maximum of registered voters per mesa (bounds the uncovered voters when --registered-total is not given)',
    )
    .option(
      '--format <name>',
      `format of every input file (${INPUT_FORMATS.join(', ')}); default: detected per file`,
    )
    .option(
      '--device-keys <file>',
      "Acta QR payloads and photos: the mesas' device keys, lines `<mesa> <64-hex key>` (from the record's mesa-device entries)",
    )
    .option(
      '--mapping <file>',
      'column mapping of generic CSV files, JSON: {"id": "MESA" or ["CENTRE","MESA"], "region": [...], "registered": "...", "voters": "...", "valid": "...", "invalid": "...", "candidates": ["A","B"], "ignore": [...], "delimiter": ","}',
    )
    .option(
      '--count-inconsistent',
      'count actas that fail their own arithmetic as written (default: leave them out, as uncollected)',
    )
    .option('--json', 'print the whole report, every input file and every skipped row as JSON')
    .action((opts: ReconcileCliOptions) => runForensicsAction(setExit, () => reconcile(opts)));
}
