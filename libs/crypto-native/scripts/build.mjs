#!/usr/bin/env node
/**
 * Builds Acta's native ristretto255 kernel (build/Release/acta_native.node) with node-gyp, from
 * the root `prepare` script. The kernel is optional: @acta/crypto falls back to @noble/curves
 * without it, so a failed build (no compiler, no Python, no headers…) prints ONE warning and
 * exits 0, and `npm ci` still succeeds. Set ACTA_NATIVE_SKIP_BUILD=1 to skip the build on
 * purpose (e.g. to exercise the noble backend in CI).
 *
 * node-gyp is taken from npm (npm_config_node_gyp inside npm scripts, else the copy bundled
 * with the npm next to this node binary, else `node-gyp` on PATH). Headers come from
 * npm_config_nodedir when set, else from this node's own prefix (<prefix>/include/node), so
 * nothing is downloaded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const addonPath = path.join(packageDir, 'build', 'Release', 'acta_native.node');

function warn(reason) {
  console.warn(
    `acta: the native crypto kernel could not be built (${reason}); Acta will run on the slower noble backend`,
  );
  process.exit(0);
}

/** How to run node-gyp: [command, ...leading args]. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(
      path.dirname(process.execPath),
      '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    ),
  ];
  for (const candidate of candidates) {
    if (candidate !== undefined && candidate !== '' && existsSync(candidate)) {
      return candidate.endsWith('.js') ? [process.execPath, candidate] : [candidate];
    }
  }
  return ['node-gyp'];
}

/** Local headers, so that node-gyp never tries to download them. */
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))
    ? [`--nodedir=${prefix}`]
    : [];
}

/** The most telling line of node-gyp's output: a compiler error first, else gyp's own. */
function lastErrorLine(output) {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const line =
    lines.find((l) => /\berror:/i.test(l) && !l.startsWith('gyp')) ??
    lines.find((l) => l.startsWith('gyp ERR! stack Error:')) ??
    lines.find((l) => l.startsWith('gyp ERR!')) ??
    lines.at(-1) ??
    '';
  return line.slice(0, 300);
}

if (process.env.ACTA_NATIVE_SKIP_BUILD === '1') {
  console.warn('acta: ACTA_NATIVE_SKIP_BUILD=1, not building the native crypto kernel');
  process.exit(0);
}

const [command, ...lead] = findNodeGyp();
const started = Date.now();
const result = spawnSync(command, [...lead, 'rebuild', ...nodedirArgs()], {
  cwd: packageDir,
  // The kernel is pure C: link with the C compiler (gyp defaults to the C++ one, which a
  // machine with only a C compiler lacks).
  env:
    process.platform === 'win32'
      ? process.env
      : { ...process.env, LINK: process.env.LINK ?? process.env.CC ?? 'cc' },
  encoding: 'utf8',
  timeout: 5 * 60 * 1000,
  maxBuffer: 64 * 1024 * 1024,
});
if (result.error !== undefined) warn(`cannot run node-gyp: ${result.error.message}`);
if (result.status !== 0) {
  const reason = lastErrorLine(`${result.stdout ?? ''}\n${result.stderr ?? ''}`);
  warn(`node-gyp exited with ${result.status ?? result.signal}${reason ? `: ${reason}` : ''}`);
}
if (!existsSync(addonPath)) warn(`node-gyp produced no ${addonPath}`);

// A smoke test: the addon must load and encode the generator as RFC 9496 says.
try {
  const binding = createRequire(import.meta.url)(addonPath);
  const g = Buffer.from(binding.encode(binding.generator())).toString('hex');
  if (g !== 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76') {
    warn('the built addon computes a wrong generator encoding');
  }
} catch (error) {
  warn(`the built addon does not load: ${error instanceof Error ? error.message : String(error)}`);
}
console.log(
  `acta: built the native crypto kernel in ${((Date.now() - started) / 1000).toFixed(1)} s (${path.relative(process.cwd(), addonPath) || addonPath})`,
);
