/**
 * `acta forensics calibrate` (issue #7, item 4): how often each forensic test
 * of `acta forensics report` flags honest elections (its false-positive
 * rate) and elections with one of the brief's fraud patterns injected (its
 * detection power). A flag is only worth what its false-positive rate on
 * realistic honest elections says: Klimek et al. (PNAS 2012) calibrate their
 * fraud model's fit on simulated fair elections, and Mebane's and Rozenas'
 * critiques of digit tests rest on such simulations.
 *
 * For each level of regional heterogeneity (mild, and the library's default)
 * N honest national elections are simulated (`simulateElection`: regions
 * with their own turnout and preferences, mesas with their own noise,
 * binomial counts); each is analysed as it is and with every fraud scenario
 * injected (`injectFraud`), the same honest election under every scenario
 * (a paired design: the columns differ by the fraud alone). Every test runs
 * as the report runs it — the Klimek et al. fit with bootstrap intervals,
 * Mebane's digit tests (2BL, last digit, 0/5) on the series the report
 * shows, the integer-percentage peaks of Kobak, Shpilkin and Pshenichnikov
 * (AOAS 2016), the turnout–share correlations — and is flagged by the
 * report's own rules (`isKlimekFlagged`, `selectSummaryDigitTests`,
 * `isCorrelationFlagged`, the peak test's `flagged`). Each cell is the share
 * of elections flagged with its 95% Wilson score interval (Wilson, JASA 1927).
 *
 * Output: one table per heterogeneity level (rows = tests, columns =
 * scenarios; the "none" column is the false-positive rate), or with --json
 * one document with every count. Progress goes to stderr, also with --json
 * (stdout then carries only the JSON). Exit 0, or 2 on a wrong call.
 */
import type { Command } from 'commander';
import {
  DEFAULT_SPREAD,
  VOTERS_SERIES,
  extractTurnoutShare,
  fitKlimekModel,
  injectFraud,
  runDigitTests,
  simulateElection,
  testIntegerPeaks,
  testTurnoutShareCorrelation,
  wilsonInterval,
  type DigitTestKind,
  type FraudScenario,
  type MesaResult,
  type SimulatedCandidate,
  type SimulationOptions,
  type SimulationSpread,
} from '@acta/forensics';
import {
  KLIMEK_DRAWS_CAP,
  KLIMEK_MIN_MESAS,
  isCorrelationFlagged,
  isKlimekFlagged,
  selectSummaryDigitTests,
} from './forensics-command.js';
import { ForensicsUsageError, parseCountOption, runForensicsAction } from './forensics-input.js';
import { printJson, renderTable } from './output.js';
import { createProgress } from './progress.js';

/** The simulated candidates: two large ones and a small one (whose small counts test the digit tests' minimums). */
export const CALIBRATION_CANDIDATES: readonly SimulatedCandidate[] = [
  { name: 'Leader', share: 0.52 },
  { name: 'Runner-up', share: 0.44 },
  { name: 'Minor', share: 0.04 },
];

/** Everything of a simulated election but its size, seed and heterogeneity. */
export const CALIBRATION_ELECTION: Omit<SimulationOptions, 'mesas' | 'seed' | 'spread'> = {
  // Venezuela's 24 states; mesas of 200–600 registered voters; 60% turnout.
  regions: 24,
  meanTurnout: 0.6,
  candidates: CALIBRATION_CANDIDATES,
  mesaSize: { min: 200, max: 600 },
  invalidRate: 0.02,
};

/** A level of regional and per-mesa heterogeneity of the honest elections. */
export interface HeterogeneityLevel {
  readonly id: 'mild' | 'default';
  readonly label: string;
  readonly spread: SimulationSpread;
}

export const HETEROGENEITY_LEVELS: readonly HeterogeneityLevel[] = [
  {
    id: 'mild',
    label: 'mild heterogeneity (region and mesa effects 0.1)',
    spread: { regionTurnout: 0.1, mesaTurnout: 0.1, regionPreference: 0.1, mesaPreference: 0.1 },
  },
  {
    id: 'default',
    label: `default heterogeneity (region turnout ${DEFAULT_SPREAD.regionTurnout}, mesa turnout ${DEFAULT_SPREAD.mesaTurnout}, region preference ${DEFAULT_SPREAD.regionPreference}, mesa preference ${DEFAULT_SPREAD.mesaPreference})`,
    spread: DEFAULT_SPREAD,
  },
];

export type CalibrationScenarioId =
  'none' | 'stuffing-10' | 'stuffing-20' | 'spread-votes' | 'altered-10' | 'turnout-inflation';

/** A column of the table: no fraud, or one fraud pattern of the brief. */
export interface CalibrationScenario {
  readonly id: CalibrationScenarioId;
  /** Short column header. */
  readonly label: string;
  readonly description: string;
}

export const CALIBRATION_SCENARIOS: readonly CalibrationScenario[] = [
  { id: 'none', label: 'none (FP)', description: 'the honest election as simulated' },
  {
    id: 'stuffing-10',
    label: 'stuffing 10%',
    description: 'ballot stuffing: half the non-voters of 10% of mesas added as leader votes',
  },
  {
    id: 'stuffing-20',
    label: 'stuffing 20%',
    description: 'ballot stuffing: half the non-voters of 20% of mesas added as leader votes',
  },
  {
    id: 'spread-votes',
    label: 'spread 3%',
    description:
      'fabricated votes: 3% of the votes cast added for the leader, spread evenly over 80% of mesas',
  },
  {
    id: 'altered-10',
    label: 'altered 10%',
    description: 'altered actas: 30% of the runner-up’s votes moved to the leader in 10% of mesas',
  },
  {
    id: 'turnout-inflation',
    label: 'inflation 20%',
    description:
      'turnout inflation: voters +20% in 20% of mesas, split as the votes there (shares unchanged)',
  },
];

/** The fraud a scenario injects into an honest election (null: none). */
export function buildFraudScenario(
  id: CalibrationScenarioId,
  honest: readonly MesaResult[],
): FraudScenario | null {
  switch (id) {
    case 'none':
      return null;
    case 'stuffing-10':
      return { kind: 'ballot-stuffing', fraction: 0.1, intensity: 0.5 };
    case 'stuffing-20':
      return { kind: 'ballot-stuffing', fraction: 0.2, intensity: 0.5 };
    case 'spread-votes': {
      // A fixed number of votes "needed" (3% of those cast), spread thinly: ~2 turnout points a mesa.
      let cast = 0;
      for (const m of honest) cast += m.voters ?? 0;
      return {
        kind: 'spread-votes',
        votes: Math.round(0.03 * cast),
        mesas: Math.max(1, Math.round(0.8 * honest.length)),
      };
    }
    case 'altered-10':
      return { kind: 'altered-actas', fraction: 0.1, share: 0.3 };
    case 'turnout-inflation':
      return { kind: 'turnout-inflation', fraction: 0.2, factor: 0.2 };
    default: {
      const never: never = id;
      throw new RangeError(`unknown scenario ${String(never)}`);
    }
  }
}

/** A row of the table: one flag of the report, or a combination of them. */
export interface CalibrationTest {
  readonly id: string;
  readonly label: string;
}

const DIGIT_KINDS: readonly [DigitTestKind, string][] = [
  ['second-digit-mean', '2BL mean'],
  ['last-digit-mean', 'last-digit mean'],
  ['zero-five-share', '0/5 share'],
];
const DIGIT_SERIES: readonly string[] = [
  ...CALIBRATION_CANDIDATES.map((c) => c.name),
  VOTERS_SERIES,
];

/** The rows, in order. */
export const CALIBRATION_TESTS: readonly CalibrationTest[] = [
  { id: 'klimek', label: 'Klimek fit (f_i or f_e interval above 1%)' },
  ...DIGIT_KINDS.flatMap(([kind, name]) => [
    ...DIGIT_SERIES.map((series) => ({ id: `${kind}:${series}`, label: `${name}: ${series}` })),
    { id: `${kind}:any`, label: `${name}: any series` },
  ]),
  { id: 'peaks:turnout', label: 'Integer peaks: turnout' },
  { id: 'peaks:share', label: 'Integer peaks: share' },
  { id: 'peaks:either', label: 'Integer peaks: either' },
  { id: 'correlation:mesa-pearson', label: 'Correlation: Pearson, by mesa' },
  { id: 'correlation:mesa-spearman', label: 'Correlation: Spearman, by mesa' },
  { id: 'correlation:voters-pearson', label: 'Correlation: Pearson, by voters' },
  { id: 'correlation:voters-spearman', label: 'Correlation: Spearman, by voters' },
  { id: 'any', label: 'Any test of the report' },
];

/**
 * Runs every test of `acta forensics report` on one election, with the
 * report's options and flag rules; returns the ids of the rows flagged.
 */
export function flagElection(
  mesas: readonly MesaResult[],
  options: { readonly seed: string; readonly draws: number; readonly klimekDraws: number },
): Set<string> {
  const { seed, draws, klimekDraws } = options;
  const flags = new Set<string>();
  const data = extractTurnoutShare(mesas);
  if (data.ids.length >= KLIMEK_MIN_MESAS) {
    const fit = fitKlimekModel(mesas, { seed, draws: klimekDraws, winner: data.leader });
    if (isKlimekFlagged(fit)) flags.add('klimek');
  }
  // top: 0 — the contributing mesas are listed by the report but play no part in a flag.
  const digits = runDigitTests(mesas, { seed, bootstrap: draws, top: 0 });
  for (const r of selectSummaryDigitTests(digits.results)) {
    if (!r.flagged) continue;
    flags.add(`${r.kind}:${r.series}`);
    flags.add(`${r.kind}:any`);
  }
  const peaks = testIntegerPeaks(data, { seed, draws });
  if (peaks.turnout.flagged) flags.add('peaks:turnout');
  if (peaks.share.flagged) flags.add('peaks:share');
  if (peaks.either.flagged) flags.add('peaks:either');
  const correlation = testTurnoutShareCorrelation(data, { seed, bootstrap: draws });
  if (isCorrelationFlagged(correlation.byMesa.pearson)) flags.add('correlation:mesa-pearson');
  if (isCorrelationFlagged(correlation.byMesa.spearman)) flags.add('correlation:mesa-spearman');
  if (isCorrelationFlagged(correlation.byVoters.pearson)) flags.add('correlation:voters-pearson');
  if (isCorrelationFlagged(correlation.byVoters.spearman)) flags.add('correlation:voters-spearman');
  if (flags.size > 0) flags.add('any');
  return flags;
}

/** A cell: elections flagged out of those run, the rate and its 95% Wilson interval. */
export interface CalibrationCell {
  readonly flagged: number;
  readonly elections: number;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
}

export interface CalibrationRow {
  readonly test: string;
  readonly label: string;
  readonly cells: Readonly<Record<CalibrationScenarioId, CalibrationCell>>;
}

export interface CalibrationLevelResult {
  readonly level: HeterogeneityLevel['id'];
  readonly label: string;
  readonly spread: SimulationSpread;
  readonly rows: readonly CalibrationRow[];
  readonly seconds: number;
}

export interface CalibrationConfig {
  readonly elections: number;
  readonly mesas: number;
  readonly seed: string;
  readonly draws: number;
  readonly klimekDraws: number;
}

/** Runs the calibration of one heterogeneity level; `onElection` is called after each election. */
export function calibrateLevel(
  config: CalibrationConfig,
  level: HeterogeneityLevel,
  onElection: (done: number) => void = () => undefined,
): CalibrationLevelResult {
  const started = performance.now();
  const counts = new Map<string, Int32Array>(
    CALIBRATION_TESTS.map((t) => [t.id, new Int32Array(CALIBRATION_SCENARIOS.length)]),
  );
  for (let e = 0; e < config.elections; e++) {
    // The same election seed at every level: the levels differ by their spreads alone.
    const electionSeed = `${config.seed}/election/${e}`;
    const honest = simulateElection({
      ...CALIBRATION_ELECTION,
      mesas: config.mesas,
      spread: level.spread,
      seed: electionSeed,
    });
    CALIBRATION_SCENARIOS.forEach((scenario, column) => {
      const fraud = buildFraudScenario(scenario.id, honest);
      const mesas =
        fraud === null
          ? honest
          : injectFraud(honest, fraud, `${electionSeed}/${scenario.id}`).results;
      const flags = flagElection(mesas, {
        seed: `${electionSeed}/${scenario.id}/tests`,
        draws: config.draws,
        klimekDraws: config.klimekDraws,
      });
      for (const id of flags) {
        const row = counts.get(id);
        if (row === undefined) throw new Error(`flag ${id} has no row (a bug)`);
        row[column] = (row[column] ?? 0) + 1;
      }
    });
    onElection(e + 1);
  }
  const n = config.elections;
  const rows = CALIBRATION_TESTS.map((t): CalibrationRow => {
    const row = counts.get(t.id) ?? new Int32Array(CALIBRATION_SCENARIOS.length);
    const cells = {} as Record<CalibrationScenarioId, CalibrationCell>;
    CALIBRATION_SCENARIOS.forEach((s, column) => {
      const k = row[column] ?? 0;
      const [low, high] = wilsonInterval(k, n);
      cells[s.id] = { flagged: k, elections: n, rate: k / n, low, high };
    });
    return { test: t.id, label: t.label, cells };
  });
  return {
    level: level.id,
    label: level.label,
    spread: level.spread,
    rows,
    seconds: (performance.now() - started) / 1000,
  };
}

/** A cell as text: the rate and its interval, in whole percent. */
export function formatCalibrationCell(c: CalibrationCell): string {
  const p = (x: number): string => `${Math.round(100 * x)}`;
  return `${p(c.rate)}% (${p(c.low)}–${p(c.high)})`;
}

interface CalibrateCliOptions {
  elections: string;
  mesas: string;
  seed: string;
  draws: string;
  klimekDraws?: string;
  levels: string;
  json?: boolean;
}

const DEFAULT_ELECTIONS = 40;
const DEFAULT_MESAS = 3000;
const DEFAULT_DRAWS = 200;
const MIN_MESAS = 100;

function parseLevels(value: string): HeterogeneityLevel[] {
  const names = value.split(',').filter((x) => x !== '');
  const levels = names.map((name) => HETEROGENEITY_LEVELS.find((l) => l.id === name));
  if (names.length === 0 || levels.some((l) => l === undefined)) {
    throw new ForensicsUsageError(
      `--levels takes a comma-separated list of ${HETEROGENEITY_LEVELS.map((l) => l.id).join(', ')}; got ${value}`,
    );
  }
  return [...new Set(levels as HeterogeneityLevel[])];
}

/** The command's body: synchronous (CPU-bound throughout), so it throws usage errors directly. */
function calibrate(opts: CalibrateCliOptions): number {
  const elections = parseCountOption('--elections', opts.elections) ?? DEFAULT_ELECTIONS;
  const mesas = parseCountOption('--mesas', opts.mesas) ?? DEFAULT_MESAS;
  const draws = parseCountOption('--draws', opts.draws) ?? DEFAULT_DRAWS;
  const klimekDraws =
    parseCountOption('--klimek-draws', opts.klimekDraws) ?? Math.min(draws, KLIMEK_DRAWS_CAP);
  if (elections < 1) throw new ForensicsUsageError('--elections must be at least 1');
  if (mesas < MIN_MESAS) throw new ForensicsUsageError(`--mesas must be at least ${MIN_MESAS}`);
  if (draws < 1) throw new ForensicsUsageError('--draws must be at least 1');
  if (klimekDraws < 1) {
    throw new ForensicsUsageError('--klimek-draws must be at least 1 (the flag needs an interval)');
  }
  const levels = parseLevels(opts.levels);
  const config: CalibrationConfig = {
    elections,
    mesas,
    seed: opts.seed,
    draws,
    klimekDraws,
  };
  // Progress on stderr even with --json: stdout carries only the JSON, and a long run needs it.
  const progress = createProgress({ quiet: false });
  const interactive = process.stderr.isTTY === true;
  const started = performance.now();
  const results: CalibrationLevelResult[] = [];
  for (const level of levels) {
    const step = progress.step(`${level.id}: elections`, elections);
    const every = Math.max(1, Math.round(elections / 10));
    results.push(
      calibrateLevel(config, level, (done) => {
        step.tick();
        if (!interactive && done % every === 0 && done < elections) {
          const s = (performance.now() - started) / 1000;
          progress.note(`${level.id}: ${done}/${elections} elections (${s.toFixed(0)} s so far)`);
        }
      }),
    );
    step.done();
  }
  const seconds = (performance.now() - started) / 1000;
  const peakNote =
    1 / (draws + 1) >= 0.01
      ? `Note: with ${draws} draws the smallest Monte Carlo p-value is 1/${draws + 1}, not below 0.01: the integer-peak test cannot flag (use --draws 100 or more).`
      : null;
  const command = [
    'acta forensics calibrate',
    `--elections ${elections}`,
    `--mesas ${mesas}`,
    `--draws ${draws}`,
    `--klimek-draws ${klimekDraws}`,
    `--seed ${JSON.stringify(opts.seed)}`,
    `--levels ${levels.map((l) => l.id).join(',')}`,
  ].join(' ');

  if (opts.json === true) {
    printJson({
      command,
      elections,
      mesas,
      seed: opts.seed,
      draws,
      klimekDraws,
      election: CALIBRATION_ELECTION,
      scenarios: CALIBRATION_SCENARIOS,
      tests: CALIBRATION_TESTS,
      levels: results,
      seconds,
    });
    return 0;
  }
  const lines = [
    `Calibration of the forensic tests: ${elections} simulated elections of ${mesas.toLocaleString('en-US')} mesas per level (${CALIBRATION_ELECTION.regions} regions, turnout ${100 * CALIBRATION_ELECTION.meanTurnout}%, mesas of ${CALIBRATION_ELECTION.mesaSize.min}–${CALIBRATION_ELECTION.mesaSize.max} voters; ${CALIBRATION_CANDIDATES.map((c) => `${c.name} ${100 * c.share}%`).join(', ')}).`,
    `${draws} Monte Carlo / bootstrap draws, ${klimekDraws} for the Klimek fit; seed ${JSON.stringify(opts.seed)}.`,
    `Each cell: the share of elections the report flags, with its 95% Wilson interval. The "none" column is the false-positive rate; the others are the power against:`,
    ...CALIBRATION_SCENARIOS.filter((s) => s.id !== 'none').map(
      (s) => `  ${s.label}: ${s.description}`,
    ),
    ...(peakNote === null ? [] : [peakNote]),
  ];
  for (const r of results) {
    lines.push(
      '',
      `${r.label} — ${r.seconds.toFixed(0)} s`,
      renderTable(
        ['Test', ...CALIBRATION_SCENARIOS.map((s) => s.label)],
        r.rows.map((row) => [
          row.label,
          ...CALIBRATION_SCENARIOS.map((s) => formatCalibrationCell(row.cells[s.id])),
        ]),
      ),
    );
  }
  lines.push('', `Reproduce: ${command}`, `Done in ${seconds.toFixed(1)} s.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Registers `acta forensics calibrate` under the `forensics` command. */
export function registerCalibrateCommand(
  forensics: Command,
  setExit: (code: number) => void,
): void {
  forensics
    .command('calibrate')
    .description(
      'simulate honest elections (mild and default regional heterogeneity), inject each fraud pattern (ballot stuffing in 10% and 20% of mesas, votes spread thinly, altered actas, turnout inflation), run every test of `acta forensics report` with its flag rules, and print each test’s flag rate per scenario with a 95% Wilson interval: the false-positive rate and the detection power',
    )
    .option(
      '--elections <n>',
      'simulated elections per heterogeneity level',
      String(DEFAULT_ELECTIONS),
    )
    .option('--mesas <n>', 'mesas per election', String(DEFAULT_MESAS))
    .option(
      '--draws <n>',
      'Monte Carlo draws of the integer-peak null and bootstrap replicates',
      String(DEFAULT_DRAWS),
    )
    .option(
      '--klimek-draws <n>',
      `bootstrap draws of the Klimek fit (default: --draws, at most ${KLIMEK_DRAWS_CAP})`,
    )
    .option('--seed <s>', 'seed of every simulation and draw', 'acta-calibrate')
    .option(
      '--levels <list>',
      `heterogeneity levels, comma-separated among ${HETEROGENEITY_LEVELS.map((l) => l.id).join(', ')}`,
      HETEROGENEITY_LEVELS.map((l) => l.id).join(','),
    )
    .option('--json', 'print every count and interval as JSON (progress stays on stderr)')
    .action((opts: CalibrateCliOptions) =>
      runForensicsAction(setExit, () => Promise.resolve(calibrate(opts))),
    );
}
