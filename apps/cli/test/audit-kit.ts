/**
 * Shared pieces of the `acta audit` CLI tests: a temporary directory that
 * holds the input files of one test file, and `acta(...)` running the CLI
 * in-process (output captured by captureOutput()).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runCli } from '../src/index.js';

/** Input files for one test file, removed after it. */
export interface AuditFiles {
  /** Writes `text` (or `value` as JSON) to a file of the directory and returns its path. */
  readonly file: (name: string, content: string | object) => string;
  /** A path in the directory (for a file that does not exist). */
  readonly path: (name: string) => string;
}

export function auditFiles(): AuditFiles {
  const dir = mkdtempSync(join(tmpdir(), 'acta-audit-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    file: (name, content) => {
      const p = join(dir, name);
      writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
      return p;
    },
    path: (name) => join(dir, name),
  };
}

/** Runs `acta audit ARGS…` and returns its exit status. */
export function audit(...args: string[]): Promise<number> {
  return runCli(['node', 'acta', 'audit', ...args]);
}
