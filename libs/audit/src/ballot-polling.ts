/**
 * Ballot-polling audits by method name (issue #6, item 2): BRAVO (Lindeman,
 * Stark & Yates 2012) and Minerva (Zagórski et al. 2021), both as VotingWorks
 * Arlo computes them, behind one pair of functions so that the CLI and the
 * audit record choose the method by name.
 */
import { computeBravoRisk, computeBravoSampleSizes } from './bravo.js';
import type { Contest, RiskMeasurement, SampleRound, SampleSizeOptions } from './contest.js';
import { computeMinervaRisk, computeMinervaSampleSizes } from './minerva.js';

/** The ballot-polling methods. */
export type PollingMethod = 'bravo' | 'minerva';

export const POLLING_METHODS: readonly PollingMethod[] = ['bravo', 'minerva'];

/** Whether a name is a ballot-polling method. */
export function isPollingMethod(name: string): name is PollingMethod {
  return (POLLING_METHODS as readonly string[]).includes(name);
}

/** The next round's sample-size options of a polling audit after `rounds`. */
export function computePollingSampleSizes(
  method: PollingMethod,
  contest: Contest,
  alpha: number,
  rounds: readonly SampleRound[],
): SampleSizeOptions {
  switch (method) {
    case 'bravo':
      return computeBravoSampleSizes(contest, alpha, rounds);
    case 'minerva':
      return computeMinervaSampleSizes(contest, alpha, rounds);
    default: {
      const never: never = method;
      throw new RangeError(`unknown polling method ${String(never)}`);
    }
  }
}

/** The risk a polling audit has measured after `rounds`. */
export function computePollingRisk(
  method: PollingMethod,
  contest: Contest,
  alpha: number,
  rounds: readonly SampleRound[],
): RiskMeasurement {
  switch (method) {
    case 'bravo':
      return computeBravoRisk(contest, alpha, rounds);
    case 'minerva':
      return computeMinervaRisk(contest, alpha, rounds);
    default: {
      const never: never = method;
      throw new RangeError(`unknown polling method ${String(never)}`);
    }
  }
}
