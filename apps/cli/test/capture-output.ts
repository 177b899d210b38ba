/**
 * What the CLI writes, captured for a test: installs, for every test of the
 * calling file (or describe block), spies on process.stdout.write and
 * process.stderr.write that record the text instead of printing it, and
 * removes them after each test.
 */
import { afterEach, beforeEach, vi } from 'vitest';

/** The text written so far by the current test. */
export interface CapturedOutput {
  readonly out: () => string;
  readonly err: () => string;
  /** Forgets what was captured (between two commands of one test). */
  readonly reset: () => void;
}

/** Captures stdout and stderr around each test of the enclosing block. */
export function captureOutput(): CapturedOutput {
  let out = '';
  let err = '';
  beforeEach(() => {
    out = '';
    err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return {
    out: () => out,
    err: () => err,
    reset: () => {
      out = '';
      err = '';
    },
  };
}
