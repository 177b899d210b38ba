// Rivest's consistent sampler, as Arlo uses it (issue #6, item 1): the
// reference's own examples reproduced exactly (test/vectors, named after their
// source), consistency across rounds (drop/take) and across subsets, the
// bounded-memory selection against a plain full sort, and Python's str() of
// the ids and seeds that are hashed.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  drawConsistentSample,
  firstFraction,
  nextFraction,
  pythonRepr,
  pythonStr,
  sha256Hex,
  sha256Uniform,
  trimTicket,
  type PythonValue,
} from '../src/index.js';

interface SampleCase {
  ids?: PythonValue[];
  idsRange?: number;
  seed: PythonValue;
  withReplacement?: boolean;
  drop?: number;
  take?: number;
  digits?: number;
  expect?: [string, PythonValue, number][];
  expectIds?: PythonValue[];
}

const V = JSON.parse(
  readFileSync(new URL('./vectors/rivest-consistent-sampler.json', import.meta.url), 'utf8'),
) as {
  sha256Hex: [string, string][];
  sha256Uniform: [string, string][];
  firstFraction: { id: string; seed: string; fraction: string }[];
  nextFraction: [string, string][];
  trimTicket: [string, number, string][];
  samples: SampleCase[];
};

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('the reference examples', () => {
  it('reproduces the primitives', () => {
    for (const [x, h] of V.sha256Hex) expect(sha256Hex(x)).toBe(h);
    for (const [x, u] of V.sha256Uniform) expect(sha256Uniform(x)).toBe(u);
    for (const c of V.firstFraction) expect(firstFraction(c.id, c.seed)).toBe(c.fraction);
    for (const [x, y] of V.nextFraction) expect(nextFraction(x)).toBe(y);
    for (const [x, d, y] of V.trimTicket) expect(trimTicket(x, d)).toBe(y);
  });

  it.each(V.samples.map((c, i) => [i, c] as const))('reproduces sample %i', (_i, c) => {
    const ids = c.ids ?? range(c.idsRange ?? 0);
    const draws = [
      ...drawConsistentSample(ids, {
        seed: c.seed,
        withReplacement: c.withReplacement ?? false,
        drop: c.drop ?? 0,
        take: c.take ?? Infinity,
        digits: c.digits ?? 9,
      }),
    ];
    if (c.expect !== undefined) {
      expect(draws.map((d) => [d.ticket, d.id, d.generation])).toEqual(c.expect);
    }
    if (c.expectIds !== undefined) expect(draws.map((d) => d.id)).toEqual(c.expectIds);
  });
});

describe('consistency', () => {
  const ids = range(300).map((i) => ['pct ' + String(i % 7), i] as const);

  it('a later round extends an earlier one (drop/take), with and without replacement (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(40), fc.nat(40), fc.boolean(), (seed, a, b, wr) => {
        const all = [...drawConsistentSample(ids, { seed, take: a + b, withReplacement: wr })];
        const later = [
          ...drawConsistentSample(ids, { seed, drop: a, take: b, withReplacement: wr }),
        ];
        expect(later).toEqual(all.slice(a));
      }),
      { numRuns: 20 },
    );
  });

  it('sampling a subset is the full sample filtered to it (without replacement)', () => {
    const seed = '01382438112797316654';
    const full = [...drawConsistentSample(ids, { seed, take: Infinity })];
    const subset = ids.filter(([b]) => b === 'pct 3');
    const sub = [...drawConsistentSample(subset, { seed, take: Infinity })];
    expect(sub).toEqual(full.filter((d) => d.id[0] === 'pct 3'));
  });

  it('keeps only the sample in memory, and still draws what a full sort draws', () => {
    const seed = 'acta';
    const key = (id: readonly [string, number]) => sha256Uniform(sha256Hex(seed) + pythonStr(id));
    const sorted = [...ids].sort((x, y) => (key(x) < key(y) ? -1 : 1));
    const sample = [...drawConsistentSample(ids, { seed, take: 25 })];
    expect(sample.map((d) => d.id)).toEqual(sorted.slice(0, 25));
  });

  it('refuses negative, fractional or missing counts', () => {
    const draw = (o: object) => [...drawConsistentSample(['a'], { seed: 1, take: 1, ...o })];
    expect(() => draw({ take: -1 })).toThrow(RangeError);
    expect(() => draw({ drop: 1.5 })).toThrow(RangeError);
    expect(() => draw({ digits: Infinity })).toThrow(RangeError);
    expect(() => nextFraction('1.5')).toThrow(RangeError);
  });
});

describe("Python's str() of ids and seeds", () => {
  it('writes strings, integers and tuples as Python does', () => {
    expect(pythonStr('pct 2')).toBe('pct 2');
    expect(pythonStr(314159)).toBe('314159');
    expect(pythonStr(['pct 2', 3])).toBe("('pct 2', 3)");
    expect(pythonStr(['x'])).toBe("('x',)");
    expect(pythonStr([])).toBe('()');
    expect(pythonStr([['a', 1], 2])).toBe("(('a', 1), 2)");
    expect(pythonRepr("O'Brien")).toBe('"O\'Brien"');
    expect(pythonRepr('say "hi" it\'s')).toBe("'say \"hi\" it\\'s'");
    expect(pythonRepr('tab\there\\')).toBe("'tab\\there\\\\'");
    expect(pythonRepr('\u0001é')).toBe("'\\x01é'");
    expect(() => pythonRepr('\u0085')).toThrow(RangeError);
    expect(() => pythonStr(1.5)).toThrow(RangeError);
  });
});
