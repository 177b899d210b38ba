/**
 * `acta forensics report` (issue #7, item 3): every forensic test of
 * @acta/forensics on one file of per-mesa results — turnout and share
 * distributions, the election fingerprint and the Klimek et al. fraud model
 * (PNAS 2012), Mebane's digit tests (2BL, last digit, 0/5), the integer-
 * percentage peaks of Kobak, Shpilkin and Pshenichnikov (AOAS 2016), the
 * turnout–share correlation — as a summary table (each test's statistic,
 * interval or p-value, flag, null hypothesis), JSON, and with --out a
 * directory of SVG plots and a `report.html` that bundles them.
 *
 * Exit status: 0 when the report was produced, whatever it flags (a flag is a
 * finding, not a failed command); 2 when the call is wrong or nothing can be
 * analysed (missing file, unknown format, no mesa read, no mesa with the
 * counts turnout and share need). Skipped rows are counted and listed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  VE2024_CANDIDATES,
  computeFingerprint,
  describeDistributions,
  extractTurnoutShare,
  fitKlimekModel,
  runDigitTests,
  testIntegerPeaks,
  testTurnoutShareCorrelation,
  type CorrelationEstimate,
  type DigitTestKind,
  type DigitTestResult,
  type FractionDistribution,
  type KlimekFit,
  type PeakCount,
  type TurnoutShareData,
} from '@acta/forensics';
import {
  ForensicsUsageError,
  parseCountOption,
  parseFormat,
  readMapping,
  readDeviceKeys,
  readResults,
  runForensicsAction,
  toJsonValue,
  type InputFormat,
} from './forensics-input.js';
import {
  buildDigitSpec,
  buildFingerprintSpec,
  buildHistogramSpec,
  buildIntegerPeaksSpec,
  renderSvg,
  type PlotSpec,
} from './forensics-plots.js';
import { renderReportHtml, type HtmlSection, type HtmlTable } from './forensics-html.js';
import { registerCalibrateCommand } from './forensics-calibrate.js';
import { printJson, renderTable } from './output.js';
import { createProgress, type Progress } from './progress.js';

const REPORT_FORMATS: readonly InputFormat[] = [
  'acta',
  'csv',
  've2024',
  'ru2012',
  'al2013',
  've-qr',
];

interface ReportCliOptions {
  input: string;
  format?: string;
  mapping?: string;
  deviceKeys?: string;
  out?: string;
  draws: string;
  klimekDraws?: string;
  seed: string;
  json?: boolean;
}

/** Default seed: reports are reproducible unless the user asks for another draw. */
const DEFAULT_SEED = 'acta-forensics';
/** Each Klimek bootstrap draw re-fits the model (~40 ms on 95,415 mesas), so it defaults lower. */
export const KLIMEK_DRAWS_CAP = 100;
/** A fitted fraud fraction counts as a flag when its interval's lower end exceeds this. */
const KLIMEK_FLAG_FRACTION = 0.01;
/**
 * Digit tests on fewer counts are left out of the summary, the plots and the
 * HTML (kept in --json): a bootstrap of 1 or 2 counts has a degenerate
 * interval that "flags" any deviation, and a party present in a handful of
 * mesas says nothing about its counts' digits.
 */
const MIN_DIGIT_COUNTS = 50;
/** The Klimek fit's own minimum of usable mesas (fewer: a RangeError). */
export const KLIMEK_MIN_MESAS = 10;
/** Mesas listed per flag. */
const TOP = 20;

/** What each test assumes, and why its flag is evidence and not proof. */
const TESTS = {
  distributions: {
    title: 'Turnout and winner-share distributions',
    short: 'smooth, unimodal',
    nullHypothesis:
      'In an honest election the turnout and the winner’s share across mesas form smooth, roughly unimodal bumps (Klimek et al. 2012).',
    caveat:
      'Mesas in closed institutions (hospitals, barracks, prisons), very small mesas and regions with their own politics also make second modes, long tails and spikes.',
  },
  klimek: {
    title: 'Election fingerprint and the Klimek et al. fraud model',
    short: 'no fraud: f_i = f_e = 0',
    nullHypothesis:
      'No fraud (f_i = f_e = 0): each mesa’s turnout and winner share scatter independently around national values as one Gaussian blob; incremental fraud smears it up and right, extreme fraud adds a blob near 100% / 100% (Klimek, Yegorov, Hanel, Thurner, PNAS 2012).',
    caveat: `The model’s fair election is a single blob. A country whose regions differ (urban and rural turnout, ethnic or regional voting blocs) has a wider or multi-modal honest fingerprint that the model can only describe as fraud; a fraction is flagged here when its interval’s lower end exceeds ${KLIMEK_FLAG_FRACTION * 100}% of mesas.`,
  },
  digits: {
    title: 'Digit tests (Mebane)',
    short: 'Benford 2nd digit; uniform last digit',
    nullHypothesis:
      'Second significant digits of the counts follow Benford’s second-digit law (mean 4.187); last digits are uniform (mean 4.5, 20% ending in 0 or 5). Counts below 10 are left out. A flag: the expected value is outside the bootstrap interval.',
    caveat:
      '2BL is not a law of honest elections: counts of similar size (mesas of similar size, a candidate near 50%) deviate from it; small candidates’ last digits are not uniform; with many candidates tested, a few flags at 95% come by chance.',
  },
  peaks: {
    title: 'Integer-percentage peaks (Kobak, Shpilkin, Pshenichnikov 2016)',
    short: 'no excess at integer %',
    nullHypothesis:
      'Each mesa’s counts are binomial around its own turnout and share, so no more mesas sit at integer percentages than chance puts there (Monte Carlo null; denominators below 100 left out).',
    caveat:
      'A source that rounded or recomputed counts from percentages also makes peaks, and an excess says nothing about who gained; the telling pattern is peaks at round numbers (70, 75, 80 … %) concentrated in some regions.',
  },
  correlation: {
    title: 'Turnout–share correlation',
    short: 'no association',
    nullHypothesis:
      'No association between turnout and the winner’s share across mesas. Flagged when the interval excludes 0 and the association is positive (stuffed ballots raise both, Klimek et al. 2012).',
    caveat:
      'Geography alone gives correlations of either sign (a stronghold that mobilises more; rural mesas with both higher turnout and a different leaning); with tens of thousands of mesas almost any association excludes 0.',
  },
} as const;

const fmt = (n: number): string => n.toLocaleString('en-US');
const pct = (x: number, digits = 1): string =>
  Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : '—';
const num = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const yesNo = (flag: boolean | null): string => (flag === null ? '—' : flag ? 'YES' : 'no');

/** One row of the summary table. */
interface SummaryRow {
  readonly test: string;
  readonly statistic: string;
  readonly interval: string;
  readonly flagged: boolean | null;
  readonly nullHypothesis: string;
}

function distributionRow(name: string, d: FractionDistribution): SummaryRow {
  const q = (p: number): number => d.statsByMesa.quantiles.find((x) => x.p === p)?.value ?? NaN;
  return {
    test: `${name} distribution`,
    statistic: `median ${pct(d.statsByMesa.median)}, mean ${pct(d.statsByMesa.mean)}`,
    interval: `5–95% of mesas: ${pct(q(0.05))} – ${pct(q(0.95))}`,
    flagged: null,
    nullHypothesis: TESTS.distributions.short,
  };
}

/**
 * The flag rules of the report, exported so that `acta forensics calibrate`
 * measures the very flags a report prints. Whether a Klimek fit is flagged
 * (see KLIMEK_FLAG_FRACTION).
 */
export function isKlimekFlagged(fit: KlimekFit): boolean {
  const fiLow = fit.ci?.fi[0] ?? fit.fi;
  const feLow = fit.ci?.fe[0] ?? fit.fe;
  return fiLow > KLIMEK_FLAG_FRACTION || feLow > KLIMEK_FLAG_FRACTION;
}

function klimekRow(fit: KlimekFit | null): SummaryRow {
  if (fit === null) {
    return {
      test: 'Klimek fraud model',
      statistic: `not fitted: fewer than ${KLIMEK_MIN_MESAS} mesas`,
      interval: '—',
      flagged: null,
      nullHypothesis: TESTS.klimek.short,
    };
  }
  const ci = fit.ci;
  return {
    test: 'Klimek fraud model',
    statistic: `f_i = ${num(fit.fi)}, f_e = ${num(fit.fe, 4)}`,
    interval:
      ci === null
        ? 'no interval (0 draws)'
        : `${pct(fit.level, 0)}: f_i ${num(ci.fi[0])}–${num(ci.fi[1])}, f_e ${num(ci.fe[0], 4)}–${num(ci.fe[1], 4)}`,
    flagged: isKlimekFlagged(fit),
    nullHypothesis: TESTS.klimek.short,
  };
}

const DIGIT_NAMES: Readonly<Record<DigitTestKind, string>> = {
  'second-digit-mean': '2BL mean',
  'last-digit-mean': 'last-digit mean',
  'zero-five-share': '0/5 share',
};

function digitRow(r: DigitTestResult): SummaryRow {
  return {
    test: `${DIGIT_NAMES[r.kind]}: ${r.series}`,
    statistic: `${num(r.observed)} (expected ${num(r.expected)}; n=${fmt(r.n)})`,
    interval: `[${num(r.low)}, ${num(r.high)}]`,
    flagged: r.flagged,
    nullHypothesis: TESTS.digits.short,
  };
}

function peakRow(name: string, p: PeakCount): SummaryRow {
  return {
    test: `Integer peaks: ${name}`,
    statistic: `${fmt(p.observed)} mesas vs ${num(p.expected, 1)} expected (excess ${num(p.excess, 1)})`,
    interval: `p = ${p.pValue.toPrecision(3)}; null 95%: ${fmt(p.nullLow)}–${fmt(p.nullHigh)}`,
    flagged: p.flagged,
    nullHypothesis: TESTS.peaks.short,
  };
}

/** A correlation flags when its interval excludes 0 and it is positive (stuffing raises both). */
export function isCorrelationFlagged(c: CorrelationEstimate): boolean {
  return c.excludesZero && c.estimate > 0;
}

/** The digit tests the summary shows, and so can flag: series with MIN_DIGIT_COUNTS counts or more. */
export function selectSummaryDigitTests(results: readonly DigitTestResult[]): DigitTestResult[] {
  return results.filter((r) => r.n >= MIN_DIGIT_COUNTS);
}

function correlationRow(name: string, c: CorrelationEstimate): SummaryRow {
  return {
    test: `Correlation: ${name}`,
    statistic: num(c.estimate),
    interval: `[${num(c.low)}, ${num(c.high)}]`,
    flagged: isCorrelationFlagged(c),
    nullHypothesis: TESTS.correlation.short,
  };
}

/** The mesas nearest the extreme-fraud corner (largest min(turnout, share)). */
function findCornerMesas(
  data: TurnoutShareData,
  top: number,
): { id: string; region: string; turnout: number; share: number }[] {
  const n = data.turnout.length;
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) score[i] = Math.min(data.turnout[i] ?? 0, data.share[i] ?? 0);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (score[b] ?? 0) - (score[a] ?? 0),
  );
  return order.slice(0, top).map((i) => ({
    id: data.ids[i] ?? '',
    region: data.regions[i] ?? '',
    turnout: data.turnout[i] ?? 0,
    share: data.share[i] ?? 0,
  }));
}

/** Runs one synchronous step with a progress line (count and rate) on stderr. */
function timed<T>(progress: Progress, label: string, total: number, run: () => T): T {
  const step = progress.step(label, total);
  const value = run();
  step.tick(total);
  step.done();
  return value;
}

async function report(opts: ReportCliOptions): Promise<number> {
  const format = parseFormat(opts.format, REPORT_FORMATS);
  const draws = parseCountOption('--draws', opts.draws) ?? 1000;
  if (draws < 1) throw new ForensicsUsageError('--draws must be at least 1');
  const klimekDraws =
    parseCountOption('--klimek-draws', opts.klimekDraws) ?? Math.min(draws, KLIMEK_DRAWS_CAP);
  const seed = opts.seed;
  const mapping = opts.mapping === undefined ? undefined : await readMapping(opts.mapping);
  const progress = createProgress({ quiet: opts.json === true });
  const started = performance.now();

  const deviceKeys = await readDeviceKeys(opts.deviceKeys);
  const loaded = await readResults(opts.input, {
    ...(format !== undefined ? { format } : {}),
    ...(mapping !== undefined ? { mapping } : {}),
    ...(deviceKeys !== undefined ? { deviceKeys } : {}),
  });
  // The import is one synchronous call: its line is written once it is done.
  const importSeconds = (performance.now() - started) / 1000;
  progress.note(
    `${'rows imported'.padEnd(34)} ${loaded.imported.rows} in ${importSeconds.toFixed(1)} s (${(loaded.imported.rows / Math.max(importSeconds, 1e-3)).toFixed(1)}/s)`,
  );
  const { imported } = loaded;
  const mesas = imported.results;
  const listProblems = (): string[] => [
    ...imported.problems.slice(0, 10).map((p) => `${p.where}: ${p.message}`),
    ...(imported.problems.length > 10 ? [`… and ${imported.problems.length - 10} more`] : []),
  ];
  if (mesas.length === 0) {
    throw new ForensicsUsageError(
      [`no usable mesa in ${opts.input}: nothing to analyse`, ...listProblems()].join('\n'),
    );
  }
  if (!mesas.some((m) => [...m.votes.values()].some((v) => v > 0))) {
    throw new ForensicsUsageError(`${opts.input}: no mesa has a candidate with votes`);
  }
  const data = extractTurnoutShare(mesas);
  if (data.ids.length < 2) {
    throw new ForensicsUsageError(
      `${opts.input}: fewer than two mesas give registered voters, voters and ballots, which turnout and share need`,
    );
  }
  const names = new Map<string, string>(
    loaded.format === 've2024' || loaded.format === 've-qr'
      ? VE2024_CANDIDATES.map((c) => [c.code, c.name])
      : [],
  );
  const leaderName = names.get(data.leader) ?? data.leader;
  const m = data.ids.length;

  const distributions = timed(progress, 'distributions (mesas)', m, () =>
    describeDistributions(data),
  );
  const fingerprint = timed(progress, 'fingerprint (mesas)', m, () =>
    computeFingerprint(mesas, { winner: data.leader }),
  );
  // The fit needs a fingerprint to fit: below KLIMEK_MIN_MESAS it is not run (and says so).
  const klimek =
    m < KLIMEK_MIN_MESAS
      ? null
      : timed(progress, 'Klimek fit (bootstrap draws)', klimekDraws, () =>
          fitKlimekModel(mesas, { seed, draws: klimekDraws, winner: data.leader }),
        );
  const digits = timed(progress, 'digit tests (bootstrap draws)', draws, () =>
    runDigitTests(mesas, { seed, bootstrap: draws, top: TOP }),
  );
  const peaks = timed(progress, 'integer peaks (Monte Carlo draws)', draws, () =>
    testIntegerPeaks(data, { seed, draws }),
  );
  const correlation = timed(progress, 'correlation (bootstrap draws)', draws, () =>
    testTurnoutShareCorrelation(data, { seed, bootstrap: draws }),
  );
  const corner = findCornerMesas(data, TOP);

  const digitResults = selectSummaryDigitTests(digits.results);
  const rows: SummaryRow[] = [
    distributionRow('Turnout', distributions.turnout),
    distributionRow(`Share of ${leaderName}`, distributions.share),
    klimekRow(klimek),
    ...digitResults.map(digitRow),
    peakRow('turnout', peaks.turnout),
    peakRow(`share of ${leaderName}`, peaks.share),
    peakRow('either', peaks.either),
    correlationRow('Pearson, by mesa', correlation.byMesa.pearson),
    correlationRow('Spearman, by mesa', correlation.byMesa.spearman),
    correlationRow('Pearson, by voters', correlation.byVoters.pearson),
    correlationRow('Spearman, by voters', correlation.byVoters.spearman),
  ];
  const excludedTotal = Object.values(data.excluded).reduce((a, b) => a + b, 0);
  const inputLines = [
    `Input: ${opts.input} (${loaded.format}${loaded.detected ? ', detected' : ''})`,
    `${fmt(imported.rows)} rows, ${fmt(mesas.length)} mesas read, ${fmt(imported.skipped)} rows skipped${imported.skipped > 0 ? ' (listed with --json)' : ''}`,
    `${fmt(m)} mesas analysed for turnout and share, ${fmt(excludedTotal)} left out (${Object.entries(
      data.excluded,
    )
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ')})`,
    `Leader: ${leaderName}; seed ${JSON.stringify(seed)}; ${fmt(draws)} Monte Carlo / bootstrap draws, ${fmt(klimekDraws)} for the Klimek fit`,
    ...(1 / (draws + 1) >= peaks.alpha
      ? [
          `Note: with ${fmt(draws)} draws the smallest Monte Carlo p-value is 1/${fmt(draws + 1)}, not below the ${peaks.alpha} level: the integer-peak test cannot flag (use --draws ${Math.ceil(1 / peaks.alpha)} or more)`,
        ]
      : []),
    `${fmt(digitResults.length)} digit tests on series with at least ${MIN_DIGIT_COUNTS} counts ≥ 10 shown (${fmt(digits.results.length - digitResults.length)} on fewer left out of the summary; all in --json)`,
  ];

  let written: string[] = [];
  if (opts.out !== undefined) {
    written = await writeReportDir(opts.out, {
      rows,
      inputLines,
      leaderName,
      fingerprint,
      klimek,
      distributions,
      digitResults,
      digits,
      peaks,
      corner,
      progress,
    });
  }
  const seconds = (performance.now() - started) / 1000;

  if (opts.json === true) {
    printJson(
      toJsonValue({
        input: {
          path: opts.input,
          format: loaded.format,
          detected: loaded.detected,
          rows: imported.rows,
          read: mesas.length,
          skipped: imported.skipped,
          problems: imported.problems,
        },
        seed,
        draws,
        klimekDraws,
        leader: data.leader,
        leaderName,
        analysed: m,
        excluded: data.excluded,
        summary: rows,
        distributions,
        fingerprint,
        klimek,
        digits,
        integerPeaks: peaks,
        correlation,
        extremeCornerMesas: corner,
        files: written,
        seconds,
      }),
    );
  } else {
    const lines = [
      ...inputLines,
      '',
      renderTable(
        ['Test', 'Statistic', 'Interval or p-value', 'Flag', 'Null hypothesis'],
        rows.map((r) => [r.test, r.statistic, r.interval, yesNo(r.flagged), r.nullHypothesis]),
      ),
      'A flag is evidence, not proof: each test assumes a model of an honest election that geography, institutions or mesa sizes can break (see report.html with --out, or --json).',
    ];
    if (imported.problems.length > 0)
      lines.push('', 'Skipped rows:', ...listProblems().map((l) => `  ${l}`));
    if (written.length > 0) lines.push('', `Wrote ${written.join(', ')} to ${opts.out ?? ''}`);
    lines.push(`Done in ${seconds.toFixed(1)} s.`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

interface ReportParts {
  readonly rows: readonly SummaryRow[];
  readonly inputLines: readonly string[];
  readonly leaderName: string;
  readonly fingerprint: ReturnType<typeof computeFingerprint>;
  readonly klimek: KlimekFit | null;
  readonly distributions: ReturnType<typeof describeDistributions>;
  readonly digitResults: readonly DigitTestResult[];
  readonly digits: ReturnType<typeof runDigitTests>;
  readonly peaks: ReturnType<typeof testIntegerPeaks>;
  readonly corner: ReturnType<typeof findCornerMesas>;
  readonly progress: Progress;
}

/** Writes the SVG plots and report.html; returns the file names written. */
async function writeReportDir(dir: string, p: ReportParts): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new ForensicsUsageError(`cannot create ${dir}: ${(e as Error).message}`);
  }
  const plots: [string, PlotSpec][] = [
    [
      'fingerprint.svg',
      buildFingerprintSpec(p.fingerprint, {
        title: 'Election fingerprint',
        subtitle: `${fmt(p.fingerprint.used)} mesas per 1-point bin (log colour scale)`,
        winner: p.leaderName,
        unit: 'Mesas',
      }),
    ],
    [
      'turnout-histogram.svg',
      buildHistogramSpec('Turnout', 'Turnout', p.distributions.turnout.byMesa),
    ],
    [
      'share-histogram.svg',
      buildHistogramSpec(
        `Share of ${p.leaderName}`,
        `Share of ${p.leaderName}`,
        p.distributions.share.byMesa,
      ),
    ],
    ['integer-peaks.svg', buildIntegerPeaksSpec(p.peaks.perInteger, p.leaderName)],
    ['digits-second.svg', buildDigitSpec('second-digit-mean', p.digitResults)],
    ['digits-last.svg', buildDigitSpec('last-digit-mean', p.digitResults)],
  ];
  const klimek = p.klimek;
  if (klimek !== null) {
    plots.splice(1, 0, [
      'klimek-fitted.svg',
      buildFingerprintSpec(
        { bins: klimek.bins, counts: klimek.fitted },
        {
          title: 'Klimek model fitted to the fingerprint',
          subtitle: `f_i = ${num(klimek.fi)}, f_e = ${num(klimek.fe, 4)}; fraction of mesas per bin`,
          winner: p.leaderName,
          unit: 'Fraction',
        },
      ),
    ]);
  }
  const step = p.progress.step('plots rendered', plots.length);
  const files: string[] = [];
  for (const [file, spec] of plots) {
    const svg = await renderSvg(spec);
    await writeFile(join(dir, file), svg);
    files.push(file);
    step.tick();
  }
  step.done();
  const html = renderReportHtml({
    title: 'Election forensics report',
    inputLines: p.inputLines,
    summary: {
      head: ['Test', 'Statistic', 'Interval or p-value', 'Flag', 'Null hypothesis'],
      rows: p.rows.map((r) => [
        r.test,
        r.statistic,
        r.interval,
        yesNo(r.flagged),
        r.nullHypothesis,
      ]),
    },
    sections: buildSections(p),
  });
  await writeFile(join(dir, 'report.html'), html);
  files.push('report.html');
  return files;
}

function tableOf(rows: readonly SummaryRow[]): HtmlTable {
  return {
    head: ['Test', 'Statistic', 'Interval or p-value', 'Flag'],
    rows: rows.map((r) => [r.test, r.statistic, r.interval, yesNo(r.flagged)]),
  };
}

function buildSections(p: ReportParts): HtmlSection[] {
  const of = (prefix: string): SummaryRow[] => p.rows.filter((r) => r.test.startsWith(prefix));
  const flaggedDigits = p.digitResults.filter((r) => r.flagged);
  const k = p.klimek;
  return [
    {
      ...TESTS.distributions,
      tables: [tableOf(p.rows.filter((r) => r.test.endsWith('distribution')))],
      plots: [
        { file: 'turnout-histogram.svg', alt: 'Turnout histogram (mesas per percentage point)' },
        {
          file: 'share-histogram.svg',
          alt: `Share of ${p.leaderName} (mesas per percentage point)`,
        },
      ],
    },
    {
      ...TESTS.klimek,
      tables: [
        tableOf(of('Klimek')),
        ...(k === null
          ? []
          : [
              {
                head: [
                  'Honest turnout',
                  'its spread',
                  'Honest share',
                  'its spread',
                  'α',
                  'θ',
                  'Distance (fit / fair)',
                ],
                rows: [
                  [
                    pct(k.honest.turnout),
                    num(k.honest.turnoutSpread),
                    pct(k.honest.share),
                    num(k.honest.shareSpread),
                    num(k.alpha, 2),
                    num(k.theta, 2),
                    `${k.distance.toPrecision(3)} / ${k.fairDistance.toPrecision(3)}`,
                  ],
                ],
              },
            ]),
      ],
      plots: [
        { file: 'fingerprint.svg', alt: 'Election fingerprint: turnout × winner share' },
        ...(k === null
          ? []
          : [{ file: 'klimek-fitted.svg', alt: 'The fitted Klimek model’s expected fingerprint' }]),
      ],
      mesas: {
        caption: 'Mesas nearest the extreme-fraud corner (100% turnout, 100% share)',
        table: {
          head: ['Mesa', 'Region', 'Turnout', 'Share'],
          rows: p.corner.map((c) => [c.id, c.region, pct(c.turnout), pct(c.share)]),
        },
      },
    },
    {
      ...TESTS.digits,
      tables: [tableOf(p.digitResults.map(digitRow))],
      plots: [
        { file: 'digits-second.svg', alt: 'Second-digit frequencies vs Benford’s law' },
        { file: 'digits-last.svg', alt: 'Last-digit frequencies vs uniform' },
      ],
      mesas: {
        caption:
          flaggedDigits.length > 0
            ? 'Mesas contributing most to the flagged digit tests, and the mesas with the most counts ending in 0 or 5'
            : 'No digit test flagged; the mesas with the most counts ending in 0 or 5',
        table: {
          head: ['Test', 'Mesa', 'Count', 'Digit / value', 'Contribution or tail probability'],
          rows: [
            ...flaggedDigits.flatMap((r) =>
              r.topMesas
                .slice(0, 5)
                .map((t) => [
                  `${DIGIT_NAMES[r.kind]}: ${r.series}`,
                  t.id,
                  fmt(t.count),
                  String(t.value),
                  t.contribution.toPrecision(3),
                ]),
            ),
            ...p.digits.roundestMesas
              .slice(0, TOP)
              .map((r) => [
                '0/5 per mesa',
                r.id,
                `${r.roundCounts} of ${r.counts} round`,
                `largest ${fmt(r.largestCount)}`,
                r.tailProbability.toPrecision(3),
              ]),
          ],
        },
      },
    },
    {
      ...TESTS.peaks,
      tables: [
        tableOf(of('Integer peaks')),
        {
          head: ['Region', 'Mesas', 'At integers', 'Expected', 'Excess'],
          rows: p.peaks.byRegion
            .slice(0, TOP)
            .map((r) => [
              r.region,
              fmt(r.mesas),
              fmt(r.observed),
              num(r.expected, 1),
              num(r.excess, 1),
            ]),
        },
      ],
      plots: [{ file: 'integer-peaks.svg', alt: 'Excess mesas at each integer percentage' }],
      mesas: {
        caption: 'Mesas at integer percentages least likely under the null',
        table: {
          head: ['Mesa', 'Region', 'Turnout %', 'Share %', 'Null probability'],
          rows: p.peaks.mesasOnIntegers
            .slice(0, TOP)
            .map((x) => [
              x.id,
              x.region,
              x.turnoutPercent === null ? '—' : String(x.turnoutPercent),
              x.sharePercent === null ? '—' : String(x.sharePercent),
              x.nullProbability.toPrecision(3),
            ]),
        },
      },
    },
    {
      ...TESTS.correlation,
      tables: [tableOf(of('Correlation'))],
      plots: [
        {
          file: 'fingerprint.svg',
          alt: 'How the association changes with turnout: the fingerprint',
        },
      ],
    },
  ];
}

/** Registers `acta forensics` and `acta forensics report`. */
export function registerForensicsCommands(program: Command, setExit: (code: number) => void): void {
  const forensics = program
    .command('forensics')
    .description('statistical forensics of per-mesa election results (evidence, not proof)');
  forensics
    .command('report')
    .description(
      'run every forensic test on a file of per-mesa results — turnout and share distributions, the fingerprint and Klimek et al. fraud model, Mebane’s digit tests, Kobak–Shpilkin integer peaks, the turnout–share correlation — and print each test’s statistic, interval or p-value, flag and null hypothesis; with --out, SVG plots and report.html. Exit 0 with a report (whatever it flags), 2 when the call is wrong or nothing can be analysed',
    )
    .requiredOption('--input <file>', 'per-mesa results')
    .option(
      '--format <name>',
      `${REPORT_FORMATS.join(', ')} (default: detected from the first line)`,
    )
    .option(
      '--mapping <file>',
      'column mapping of a generic CSV (see `acta actas reconcile --help`)',
    )
    .option(
      '--device-keys <file>',
      "Acta QR payloads and photos: the mesas' device keys, lines `<mesa> <64-hex key>`",
    )
    .option('--out <dir>', 'write the SVG plots and report.html to this directory')
    .option(
      '--draws <n>',
      'Monte Carlo draws of the integer-peak null and bootstrap replicates',
      '1000',
    )
    .option(
      '--klimek-draws <n>',
      `bootstrap draws of the Klimek fit (default: --draws, at most ${KLIMEK_DRAWS_CAP}: each re-fits the model)`,
    )
    .option(
      '--seed <s>',
      'seed of every random draw (the same seed gives the same report)',
      DEFAULT_SEED,
    )
    .option('--json', 'print every result as JSON')
    .action((opts: ReportCliOptions) => runForensicsAction(setExit, () => report(opts)));
  registerCalibrateCommand(forensics, setExit);
}
