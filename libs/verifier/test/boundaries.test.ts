// The verifier's independence (issue #5): it may import only the pure
// libraries — crypto, crypto-parallel, board, protocol — and Node built-ins,
// never the store, the service, the CLI or any other package, so that
// checking an election needs none of the code that ran it. Checked on the
// sources' import statements and on the package's declared dependencies.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ALLOWED = new Set(['@acta/crypto', '@acta/crypto-parallel', '@acta/board', '@acta/protocol']);
const src = new URL('../src/', import.meta.url);

describe('the verifier package', () => {
  it('imports only the pure libraries, node built-ins and its own modules', () => {
    const files = readdirSync(src).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const text = readFileSync(new URL(f, src), 'utf8');
      const specifiers = [...text.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)].map(
        (m) => m[1] ?? m[2]!,
      );
      for (const s of specifiers) {
        const ok = s.startsWith('./') || s.startsWith('node:') || ALLOWED.has(s);
        expect(ok, `${f} imports ${s}`).toBe(true);
      }
    }
  });

  it('declares only the pure libraries as dependencies', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies ?? {}).every((d) => ALLOWED.has(d))).toBe(true);
    expect(pkg.devDependencies ?? {}).toEqual({});
  });
});
