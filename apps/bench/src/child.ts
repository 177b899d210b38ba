/**
 * One child process per backend (docs/performance.md, "Method"): the crypto
 * backend is chosen once per process by ACTA_CRYPTO_BACKEND (issue #3), so
 * `npm run bench` starts itself once with `=native` and once with `=noble`,
 * with the hidden `--child` flag. A child prints its progress on stderr
 * (passed through to the terminal) and, on stdout, one line of JSON: its
 * report, or why its backend is not available.
 */
import { spawn } from 'node:child_process';
import { getCryptoBackend } from '@acta/crypto';
import { runBackendBench, type BackendReport, type BenchCallbacks } from './bench.js';
import { planFor, type BackendId, type RunMode } from './figures.js';

/** What a child prints on stdout: its report, or why its backend did not load. */
export type ChildOutput =
  { readonly report: BackendReport } | { readonly unavailable: string; readonly backend: string };

/** The command-line flag of a run mode (none for a standard run). */
export function modeFlags(mode: RunMode): string[] {
  switch (mode) {
    case 'quick':
      return ['--quick'];
    case 'full':
      return ['--full'];
    case 'standard':
      return [];
  }
}

/**
 * The child's side: runs this process's backend at the sizes of `mode` and
 * returns what to print. When ACTA_CRYPTO_BACKEND asked for a backend that
 * did not load (the native addon is not built), runs nothing and says why.
 */
export async function runChild(mode: RunMode, callbacks: BenchCallbacks): Promise<ChildOutput> {
  const info = getCryptoBackend();
  const requested = process.env.ACTA_CRYPTO_BACKEND;
  if (requested !== undefined && requested !== '' && requested !== info.name) {
    return { backend: requested, unavailable: info.error ?? info.reason };
  }
  return { report: await runBackendBench(planFor(info.name, mode), callbacks) };
}

/** Node flags for a child: the parent's, minus debugger flags, with --expose-gc. */
function childExecArgv(): string[] {
  const argv = process.execArgv.filter((a) => !/^--inspect/.test(a));
  if (!argv.includes('--expose-gc')) argv.push('--expose-gc');
  return argv;
}

/**
 * The parent's side: runs `script --child` under `backend` and returns what it
 * printed. Rejects if the child fails (exits non-zero, or prints no JSON).
 */
export function spawnBackendChild(
  script: string,
  backend: BackendId,
  mode: RunMode,
): Promise<ChildOutput> {
  return spawnJsonChild(
    script,
    ['--child', ...modeFlags(mode)],
    backend,
    `the ${backend} benchmark process`,
  ) as Promise<ChildOutput>;
}

/**
 * Runs `script` with `flags` under the crypto `backend` (with --expose-gc,
 * progress passed through on stderr) and returns the JSON value of the last
 * line it printed on stdout; rejects, naming `what`, if it fails or prints no
 * JSON.
 */
export function spawnJsonChild(
  script: string,
  flags: readonly string[],
  backend: BackendId,
  what: string,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...childExecArgv(), script, ...flags], {
      env: { ...process.env, ACTA_CRYPTO_BACKEND: backend },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`${what} failed (${signal ?? `exit ${code}`})`));
        return;
      }
      // The JSON is the last line (a library writing to stdout cannot hide it).
      const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
      try {
        resolve(JSON.parse(lines[lines.length - 1] ?? '') as unknown);
      } catch {
        reject(new Error(`${what} printed no report`));
      }
    });
  });
}
