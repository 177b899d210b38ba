/**
 * Loader of Acta's native ristretto255 kernel (RFC 9496; docs/spec.md §1.2, §2.1, §2.4), the C
 * Node-API addon built from src/ by scripts/build.mjs. `libs/crypto/src/group.ts` asks for it
 * once and falls back to @noble/curves when it is missing, so loading never throws: a failure
 * is returned as a value carrying the reason.
 *
 * The addon path is ACTA_NATIVE_ADDON_PATH when set (the sanitizer build of
 * scripts/sanitize.mjs uses this), else build/Release/acta_native.node next to this file.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every export the addon must have; a stale or foreign .node file is refused. */
const FUNCTIONS = [
  'identity',
  'generator',
  'generatorTable',
  'decode',
  'decodeBatch',
  'encode',
  'encodeBatch',
  'doubleAndEncodeBatch',
  'fromUniform',
  'add',
  'sub',
  'neg',
  'equals',
  'isIdentity',
  'mulVartime',
  'mulCT',
  'createTable',
  'mulTable',
  'mulTableSmall',
  'doubleMulVartime',
  'msmVartime',
];

/** @type {import('./index.js').NativeLoad | undefined} */
let cached;

/** The first line of an error (require appends its whole require stack). */
function describe(error) {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** @returns {import('./index.js').NativeLoad} */
function load() {
  let path;
  try {
    const fromEnv = typeof process === 'object' ? process.env.ACTA_NATIVE_ADDON_PATH : undefined;
    path =
      fromEnv !== undefined && fromEnv !== ''
        ? resolve(fromEnv) // relative to the working directory, not to this file
        : fileURLToPath(new URL('./build/Release/acta_native.node', import.meta.url));
    const require = createRequire(import.meta.url);
    const binding = require(path);
    const missing = FUNCTIONS.filter((name) => typeof binding?.[name] !== 'function');
    if (missing.length > 0 || typeof binding.POINT_BYTES !== 'number') {
      return Object.freeze({
        binding: undefined,
        error: `${path} is not a compatible acta_native addon (missing: ${missing.join(', ') || 'POINT_BYTES'})`,
      });
    }
    return Object.freeze({ binding, path });
  } catch (error) {
    return Object.freeze({
      binding: undefined,
      error: `cannot load the native crypto kernel${path === undefined ? '' : ` from ${path}`}: ${describe(error)}`,
    });
  }
}

/** @returns {import('./index.js').NativeLoad} */
// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- plain JS: typed in index.d.ts
export function loadNativeBinding() {
  if (cached === undefined) cached = load();
  return cached;
}
