// Backend selection (issue #3): the suite runs once per backend, and this file
// checks that the backend asked for is the one running, and how selection
// behaves when the addon is missing or the request is bogus (child processes
// importing the built package, since selection happens once at load).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GroupElement, Scalar, getCryptoBackend } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function backendIn(env: Record<string, string>): { name: string; reason: string; error?: string } {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import('@acta/crypto').then((m) => console.log(JSON.stringify(m.getCryptoBackend())))",
    ],
    { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { name: string; reason: string; error?: string };
}

describe('crypto backend selection', () => {
  it('runs on the backend that ACTA_CRYPTO_BACKEND names (the suite runs once per backend)', () => {
    const requested = process.env.ACTA_CRYPTO_BACKEND;
    const info = getCryptoBackend();
    expect(info.error).toBeUndefined();
    if (requested === 'native' || requested === 'noble') expect(info.name).toBe(requested);
    // Whatever runs, it computes the RFC 9496 generator.
    expect(GroupElement.multiplyGenerator(Scalar.ONE).toHex()).toBe(
      'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76',
    );
  });

  it('honours ACTA_CRYPTO_BACKEND=noble', () => {
    expect(backendIn({ ACTA_CRYPTO_BACKEND: 'noble' })).toMatchObject({ name: 'noble' });
  });

  it('falls back to noble with a reason when the addon is missing, and errors when native was forced', () => {
    const missing = { ACTA_NATIVE_ADDON_PATH: '/nonexistent/acta_native.node' };
    const fallback = backendIn({ ...missing, ACTA_CRYPTO_BACKEND: '' });
    expect(fallback.name).toBe('noble');
    expect(fallback.error).toBeUndefined();
    expect(fallback.reason).toMatch(/native addon is not available/);
    const forced = backendIn({ ...missing, ACTA_CRYPTO_BACKEND: 'native' });
    expect(forced.name).toBe('noble');
    expect(forced.error).toMatch(/native crypto kernel is not available/);
  });

  it('reports a bogus ACTA_CRYPTO_BACKEND as an error', () => {
    const info = backendIn({ ACTA_CRYPTO_BACKEND: 'gpu' });
    expect(info.error).toMatch(/must be "noble" or "native"/);
  });
});
