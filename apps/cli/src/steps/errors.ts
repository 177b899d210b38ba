/**
 * How the step commands (`acta election|trustee|registry|poll|vote|mesa|tally|
 * status`, issue #4 item 9) fail. Two kinds, with the exit statuses of the
 * `acta` CLI (apps/cli/src/main.ts):
 *
 *  - a usage error (exit 2): the command was called wrongly — a bad option, a
 *    missing or damaged file, a mesa id of the wrong shape, a choice the
 *    ballot does not allow. Nothing reached the board;
 *  - a refusal (exit 1): the rules of the protocol (docs/spec.md §2.9) turned
 *    the action away, with the coded ProtocolError of the state machine (the
 *    board records refused check-ins, ballots, actas and decryptions as
 *    `refusal` entries), or the step saw beforehand that the board would.
 *
 * Both are thrown inside a command and caught at its boundary (commands.ts),
 * which prints one line and sets the exit status: a user's mistake never
 * shows a stack trace. Messages never carry secrets (keys, nonces, votes,
 * national ids).
 */
import type { ProtocolError, ProtocolErrorCode } from '@acta/protocol';

/** A mistake in how a step command was called (exit status 2). */
export class StepUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepUsageError';
  }
}

/** Codes of refusals: the protocol's, and a board that does not replay. */
export type StepRefusalCode = ProtocolErrorCode | 'BOARD_DAMAGED';

/** The rules refused the action (exit status 1): printed `CODE at where: message`. */
export class StepRefusal extends Error {
  readonly code: StepRefusalCode;
  readonly where: string;

  constructor(code: StepRefusalCode, where: string, message: string) {
    super(message);
    this.name = 'StepRefusal';
    this.code = code;
    this.where = where;
  }

  /** A refusal carrying the state machine's (or a party's) ProtocolError. */
  static of(error: ProtocolError): StepRefusal {
    return new StepRefusal(error.code, error.where, error.message);
  }

  /** The line printed after `acta: `. */
  override toString(): string {
    return `${this.code} at ${this.where}: ${this.message}`;
  }
}

/** Shorthand for a usage error. */
export function usage(message: string): StepUsageError {
  return new StepUsageError(message);
}

/** Shorthand for a refusal. */
export function refusal(code: StepRefusalCode, where: string, message: string): StepRefusal {
  return new StepRefusal(code, where, message);
}
