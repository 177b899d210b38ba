// The store's promise under a real crash: a child process appends to a SQLite
// file and prints every entry only after `append` resolved; we SIGKILL it
// mid-run (several times, at different moments, on the same file) and check
// that every acknowledged entry is there, intact, at the index it was
// acknowledged at, that no half-committed group shows, and that the log is
// dense. A kill loses whatever the process had not committed, so this proves
// that append resolves only after its commit and that commits are atomic.
// (Surviving a power cut on top of that is SQLite's synchronous = FULL, which
// no process kill can show.)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type BoardStore } from '../src/index.js';
import { leafHashOf, payloadOf, readAll, sameBytes, tagOf } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/append-loop.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'acta-store-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  /** index → tag of every acknowledged entry. */
  readonly acked: Map<number, string>;
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stderr: string;
}

/**
 * Runs the writer; with `killAfterMs`, SIGKILLs it that long after its first
 * acknowledgement, otherwise lets it append `limit` entries and exit.
 */
function runWriter(
  path: string,
  prefix: string,
  options: { killAfterMs?: number; limit?: number },
): Promise<Run> {
  const args = [
    FIXTURE,
    path,
    prefix,
    ...(options.limit === undefined ? [] : [String(options.limit)]),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (options.killAfterMs !== undefined && timer === undefined && /^\d+ /m.test(out)) {
      timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    }
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer ${prefix} did not finish; stderr: ${stderr}`));
    }, 50_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (timer !== undefined) clearTimeout(timer);
      const acked = new Map<number, string>();
      // Only complete lines count: a line cut by the kill was never a promise.
      for (const line of out.split('\n').slice(0, -1)) {
        const match = /^(\d+) (\S+)$/.exec(line);
        if (match !== null) acked.set(Number(match[1]), match[2]!);
      }
      resolve({ acked, signal, code, stderr });
    });
  });
}

/** Checks the whole file: dense, every entry intact and claimed by its own tag. */
async function checkIntact(store: BoardStore, acked: ReadonlyMap<number, string>): Promise<number> {
  const all = await readAll(store);
  const size = await store.size();
  expect(all.map((e) => e.index)).toEqual(Array.from({ length: size }, (_, i) => i));
  const tags = new Set<string>();
  let damaged = 0;
  for (const e of all) {
    const tag = tagOf(e);
    tags.add(tag);
    if (
      !sameBytes(e.payload, payloadOf(tag, 200)) ||
      !sameBytes(e.leafHash, leafHashOf(e.payload))
    ) {
      damaged++;
    }
  }
  expect(damaged).toBe(0);
  expect(tags.size).toBe(size); // no entry twice
  let missing = 0;
  for (const [index, tag] of acked) {
    const e = all[index];
    if (e === undefined || tagOf(e) !== tag) missing++;
  }
  expect(missing).toBe(0);
  for (const [index, tag] of [...acked].slice(-20)) {
    expect(await store.findClaim('kill-test', tag)).toBe(index);
  }
  expect(await store.countByKind()).toEqual(size === 0 ? {} : { ballot: size });
  return size;
}

describe('SQLite store under SIGKILL', () => {
  it(
    'keeps every acknowledged entry, intact and dense, across repeated kills',
    { timeout: 180_000 },
    async () => {
      const path = join(dir, 'killed.sqlite');
      const acked = new Map<number, string>();
      let previousSize = 0;
      for (const [round, delay] of [40, 250, 5, 600, 120].entries()) {
        const run = await runWriter(path, `r${round}`, { killAfterMs: delay });
        expect(run.signal, run.stderr).toBe('SIGKILL');
        expect(run.acked.size).toBeGreaterThan(0);
        for (const [index, tag] of run.acked) acked.set(index, tag);

        const store = await openSqliteStore(path);
        try {
          const size = await checkIntact(store, acked);
          expect(size).toBeGreaterThanOrEqual(Math.max(...acked.keys()) + 1);
          // The writer never starts below what was there: the log only grows.
          expect(Math.min(...run.acked.keys())).toBeGreaterThanOrEqual(previousSize);
          previousSize = size;
        } finally {
          await store.close();
        }
      }
    },
  );

  it(
    'lets two processes append to one file, interleaved and dense',
    { timeout: 120_000 },
    async () => {
      const path = join(dir, 'two-writers.sqlite');
      const runs = await Promise.all(['a', 'b'].map((w) => runWriter(path, w, { limit: 300 })));
      const acked = new Map<number, string>();
      for (const run of runs) {
        expect(run.code, run.stderr).toBe(0);
        expect(run.acked.size).toBe(300);
        for (const [index, tag] of run.acked) {
          expect(acked.has(index)).toBe(false);
          acked.set(index, tag);
        }
      }
      const store = await openSqliteStore(path, { readonly: true });
      try {
        expect(await checkIntact(store, acked)).toBe(600);
        expect(await store.findByKey('writer', 'a')).toHaveLength(300);
      } finally {
        await store.close();
      }
    },
  );
});
