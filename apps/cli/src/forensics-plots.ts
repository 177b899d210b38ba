/**
 * The plots of `acta forensics report` (issue #7, item 3): vega-lite specs
 * built from what @acta/forensics computed (bin counts, never raw points, so
 * 95,415 mesas make a few thousand marks), rendered to SVG headless by vega
 * (`renderer: 'none'`, no browser, no canvas). The charts are those of the
 * literature: the election fingerprint of Klimek, Yegorov, Hanel and Thurner
 * (PNAS 2012, Fig. 1: turnout × winner share), the turnout and share
 * histograms, the integer-percentage excess of Kobak, Shpilkin and
 * Pshenichnikov (AOAS 2016, Fig. 2), and Mebane's digit frequencies against
 * their expected law.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { DigitTestKind, DigitTestResult, Histogram, IntegerBin } from '@acta/forensics';

/** A vega-lite specification (the subset these plots use is not typed further). */
export type PlotSpec = vl.TopLevelSpec;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Renders a vega-lite spec to an SVG document. */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A `bins × bins` grid on [0, 1]², row = turnout bin, column = share bin (as @acta/forensics lays them out). */
export interface FingerprintGrid {
  readonly bins: number;
  readonly counts: ArrayLike<number>;
}

/**
 * A fingerprint as a heatmap: turnout across, winner share up (the paper's
 * axes), one rectangle per non-empty bin, colour on a log scale because the
 * blob's core holds hundreds of mesas per bin and the smear a handful.
 */
export function buildFingerprintSpec(
  grid: FingerprintGrid,
  labels: {
    readonly title: string;
    readonly subtitle: string;
    readonly winner: string;
    readonly unit: string;
  },
): PlotSpec {
  const values: { t0: number; t1: number; s0: number; s1: number; n: number }[] = [];
  const w = 1 / grid.bins;
  // A model's expected cells below 1 mesa in 100,000 are no visible mass: left out (the SVG stays small).
  const floor = 1e-5;
  for (let t = 0; t < grid.bins; t++) {
    for (let s = 0; s < grid.bins; s++) {
      const n = grid.counts[t * grid.bins + s] ?? 0;
      if (n > floor) values.push({ t0: t * w, t1: (t + 1) * w, s0: s * w, s1: (s + 1) * w, n });
    }
  }
  return {
    $schema: SCHEMA,
    title: { text: labels.title, subtitle: labels.subtitle },
    width: 420,
    height: 420,
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: {
        field: 't0',
        type: 'quantitative',
        title: 'Turnout',
        scale: { domain: [0, 1] },
        axis: { format: '%' },
      },
      x2: { field: 't1' },
      y: {
        field: 's0',
        type: 'quantitative',
        title: `Share of ${labels.winner}`,
        scale: { domain: [0, 1] },
        axis: { format: '%' },
      },
      y2: { field: 's1' },
      color: {
        field: 'n',
        type: 'quantitative',
        title: labels.unit,
        scale: { type: 'log', scheme: 'viridis' },
      },
    },
  };
}

/** A histogram over [0, 1] from its edges and counts. */
export function buildHistogramSpec(title: string, axis: string, histogram: Histogram): PlotSpec {
  const values: { x0: number; x1: number; n: number }[] = [];
  for (let i = 0; i < histogram.counts.length; i++) {
    values.push({
      x0: histogram.edges[i] ?? 0,
      x1: histogram.edges[i + 1] ?? 1,
      n: histogram.counts[i] ?? 0,
    });
  }
  return {
    $schema: SCHEMA,
    title,
    width: 520,
    height: 220,
    data: { values },
    mark: { type: 'rect', color: '#4c78a8' },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: axis, axis: { format: '%' } },
      x2: { field: 'x1' },
      y: { field: 'n', type: 'quantitative', title: 'Mesas' },
      y2: { datum: 0 },
    },
  };
}

/**
 * Observed − expected mesas at each integer percentage, for turnout and for
 * the leader's share (Kobak et al.: peaks at 70, 75, 80 … stand out).
 */
export function buildIntegerPeaksSpec(bins: readonly IntegerBin[], leaderName: string): PlotSpec {
  const values = bins.flatMap((b) => [
    { percent: b.percent, fraction: 'Turnout', excess: b.turnoutObserved - b.turnoutExpected },
    {
      percent: b.percent,
      fraction: `Share of ${leaderName}`,
      excess: b.shareObserved - b.shareExpected,
    },
  ]);
  return {
    $schema: SCHEMA,
    title: {
      text: 'Integer-percentage excess',
      subtitle: 'mesas at each integer percentage, observed − expected under the binomial null',
    },
    data: { values },
    facet: { row: { field: 'fraction', type: 'nominal', title: null } },
    spec: {
      width: 560,
      height: 160,
      mark: { type: 'bar' },
      encoding: {
        x: {
          field: 'percent',
          type: 'quantitative',
          title: 'Integer percentage',
          scale: { domain: [0, 100] },
        },
        y: { field: 'excess', type: 'quantitative', title: 'Excess mesas' },
        color: {
          condition: { test: 'datum.excess > 0', value: '#e45756' },
          value: '#9ecae9',
        },
      },
    },
  };
}

const DIGIT_TITLES: Readonly<Record<DigitTestKind, string>> = {
  'second-digit-mean': 'Second digits (2BL) vs Benford',
  'last-digit-mean': 'Last digits vs uniform',
  'zero-five-share': 'Last digits vs uniform (0/5 test)',
};

/**
 * Digit frequencies of one test kind, one panel per series: observed bars,
 * expected law as black ticks.
 */
export function buildDigitSpec(kind: DigitTestKind, results: readonly DigitTestResult[]): PlotSpec {
  const values = results
    .filter((r) => r.kind === kind && r.n > 0)
    .flatMap((r) =>
      r.digitFrequencies.map((f, digit) => ({
        series: `${r.series} (n=${r.n.toLocaleString('en-US')})${r.flagged ? ' FLAG' : ''}`,
        digit,
        observed: f,
        expected: r.expectedFrequencies[digit] ?? 0,
      })),
    );
  return {
    $schema: SCHEMA,
    title: { text: DIGIT_TITLES[kind], subtitle: 'bars: observed frequency; ticks: expected' },
    data: { values },
    facet: { field: 'series', type: 'nominal', title: null },
    columns: 4,
    spec: {
      width: 150,
      height: 100,
      layer: [
        {
          mark: { type: 'bar', color: '#4c78a8' },
          encoding: {
            x: { field: 'digit', type: 'ordinal', title: 'Digit' },
            y: { field: 'observed', type: 'quantitative', title: 'Frequency' },
          },
        },
        {
          mark: { type: 'tick', color: 'black', thickness: 2 },
          encoding: {
            x: { field: 'digit', type: 'ordinal' },
            y: { field: 'expected', type: 'quantitative' },
          },
        },
      ],
    },
  };
}
