#!/usr/bin/env node
/**
 * Runs the native kernel's differential tests (libs/crypto-native/test) against a second build of
 * the addon instrumented with AddressSanitizer and UndefinedBehaviorSanitizer
 * (build-sanitize/acta_native.node, -O1 -g, every UB report fatal). Root script:
 * `npm run test:sanitize`. Exits non-zero on a build failure, a test failure or any sanitizer
 * report.
 *
 * The .node file is built with a plain `cc -shared -fPIC` against this node's own headers
 * (<prefix>/include/node, or npm_config_nodedir), and loaded through ACTA_NATIVE_ADDON_PATH with
 * libasan preloaded (an ASan-instrumented shared object needs the runtime in the initial library
 * list); leak detection is off because node itself does not free everything at exit.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const rootDir = path.resolve(packageDir, '..', '..');
const outDir = path.join(packageDir, 'build-sanitize');
const addonPath = path.join(outDir, 'acta_native.node');
const cc = process.env.CC || 'cc';

function fail(message) {
  console.error(`sanitize: ${message}`);
  process.exit(1);
}

function nodeIncludeDir() {
  const candidates = [
    process.env.npm_config_nodedir && path.join(process.env.npm_config_nodedir, 'include', 'node'),
    path.resolve(path.dirname(process.execPath), '..', 'include', 'node'),
  ];
  const found = candidates.find((dir) => dir && existsSync(path.join(dir, 'node_api.h')));
  if (found === undefined) fail(`no node_api.h in ${candidates.filter(Boolean).join(' or ')}`);
  return found;
}

const srcDir = path.join(packageDir, 'src');
const sources = readdirSync(srcDir)
  .filter((f) => f.endsWith('.c'))
  .sort()
  .map((f) => path.join(srcDir, f));
mkdirSync(outDir, { recursive: true });
const flags = [
  '-shared',
  '-fPIC',
  '-std=c11',
  '-O1',
  '-g',
  '-fsanitize=address,undefined',
  '-fno-sanitize-recover=all',
  '-fno-omit-frame-pointer',
  '-Wall',
  '-Wextra',
  '-DNAPI_VERSION=8',
  `-I${nodeIncludeDir()}`,
];
console.log(`sanitize: building ${path.relative(rootDir, addonPath)}`);
const build = spawnSync(cc, [...flags, ...sources, '-o', addonPath], { stdio: 'inherit' });
if (build.error !== undefined) fail(`cannot run ${cc}: ${build.error.message}`);
if (build.status !== 0) fail(`${cc} exited with ${build.status}`);

const libasan = execFileSync(cc, ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim();
if (!path.isAbsolute(libasan) || !existsSync(libasan)) fail(`${cc} has no libasan.so`);

const vitest = path.join(
  path.dirname(createRequire(path.join(rootDir, 'package.json')).resolve('vitest/package.json')),
  'vitest.mjs',
);
const env = {
  ...process.env,
  LD_PRELOAD: libasan,
  ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1',
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
  ACTA_NATIVE_ADDON_PATH: addonPath,
};
console.log(`sanitize: running libs/crypto-native/test with ${path.basename(libasan)} preloaded`);
const child = spawn(process.execPath, [vitest, 'run', 'libs/crypto-native/test'], {
  cwd: rootDir,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});

// Echo everything, and remember whether a sanitizer said anything at all.
const REPORT = /AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|runtime error:/;
let reported = false;
for (const [stream, sink] of [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
]) {
  let tail = '';
  stream.on('data', (chunk) => {
    sink.write(chunk);
    const text = tail + chunk.toString('utf8');
    if (REPORT.test(text)) reported = true;
    tail = text.slice(-200);
  });
}
child.on('close', (code, signal) => {
  if (reported) fail('a sanitizer reported an error (see above)');
  if (code !== 0) fail(`the tests failed (exit ${code ?? signal})`);
  console.log('sanitize: no sanitizer report, all native tests passed');
});
