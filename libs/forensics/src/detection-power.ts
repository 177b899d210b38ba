/**
 * Detection power harness (issue #7, item 4): runs a forensic test over many
 * simulated honest elections (simulate-election.ts) and the same elections
 * with a fraud injected (inject-fraud.ts), and reports the false-positive
 * rate (flags on honest elections) and the power (flags on fraudulent ones),
 * with Wilson score intervals (Wilson, JASA 1927) for both. This is how the
 * table of docs/forensics.md is made: a flag is only worth what its
 * false-positive rate on realistic honest elections says.
 *
 * A test returns either a boolean (flagged or not) or a number, read as a
 * p-value and flagged when below the scenario's significance (default 0.05).
 */
import type { FraudScenario } from './inject-fraud.js';
import { injectFraud } from './inject-fraud.js';
import type { MesaResult } from './mesa-result.js';
import { createRandom } from './random.js';
import { simulateElection } from './simulate-election.js';
import type { SimulationOptions } from './simulate-election.js';

/** A forensic test: true / a small p-value means "flagged". */
export type DetectionTest = (results: readonly MesaResult[]) => boolean | number;

export interface DetectionScenario {
  /** The honest elections (each gets its own seed from the harness). */
  readonly election: Omit<SimulationOptions, 'seed'>;
  readonly fraud: FraudScenario;
  /** Significance for tests returning p-values (default 0.05). */
  readonly significance?: number;
}

export interface DetectionRunOptions {
  readonly elections: number;
  readonly seed: number | string;
}

export interface DetectionPower {
  readonly elections: number;
  /** Honest elections flagged. */
  readonly falsePositives: number;
  /** Fraudulent elections flagged. */
  readonly detections: number;
  readonly falsePositiveRate: number;
  readonly power: number;
  /** 95% Wilson score intervals. */
  readonly falsePositiveInterval: readonly [number, number];
  readonly powerInterval: readonly [number, number];
}

/** Measures a test's false-positive rate and power over `elections` simulated elections. */
export function measureDetectionPower(
  test: DetectionTest,
  scenario: DetectionScenario,
  options: DetectionRunOptions,
): DetectionPower {
  const n = options.elections;
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`elections must be a positive integer, got ${n}`);
  const significance = scenario.significance ?? 0.05;
  if (!(significance > 0 && significance < 1)) {
    throw new RangeError(`significance must be in (0, 1), got ${significance}`);
  }
  const random = createRandom(options.seed);
  let falsePositives = 0;
  let detections = 0;
  for (let e = 0; e < n; e++) {
    // Independent seeds per election, derived from the run's seed.
    const electionSeed = `${String(options.seed)}/election/${e}/${random.nextUint32()}`;
    const honest = simulateElection({ ...scenario.election, seed: electionSeed });
    if (isFlagged(test(honest), significance)) falsePositives++;
    const fraud = injectFraud(honest, scenario.fraud, `${electionSeed}/fraud`);
    if (isFlagged(test(fraud.results), significance)) detections++;
  }
  return {
    elections: n,
    falsePositives,
    detections,
    falsePositiveRate: falsePositives / n,
    power: detections / n,
    falsePositiveInterval: wilsonInterval(falsePositives, n),
    powerInterval: wilsonInterval(detections, n),
  };
}

function isFlagged(outcome: boolean | number, significance: number): boolean {
  if (typeof outcome === 'boolean') return outcome;
  if (Number.isNaN(outcome)) throw new RangeError('a detection test returned NaN as its p-value');
  return outcome < significance;
}

/** The 95% Wilson score interval for k successes in n trials. */
export function wilsonInterval(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
