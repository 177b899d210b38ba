// The manifest hash: the documented encoding (rebuilt here independently from
// the comment in manifest-hash.ts), the committed examples' pinned hashes,
// sensitivity to every field, and independence from JSON key order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSeededRng,
  encodeHashInput,
  encodeHex,
  hashToBytes,
  sha256,
  type HashPart,
} from '@acta/crypto';
import { MANIFEST_HASH_TAG, hashManifest, manifestHashParts } from '../src/manifest-hash.js';
import { parseManifest, type Manifest } from '../src/manifest.js';
import {
  EXAMPLE_NAMES,
  listLeaves,
  loadExample,
  loadExampleJson,
  reorderKeys,
  smallManifestJson,
  withLeaf,
  type Json,
  type Leaf,
  type ManifestJson,
} from './helpers-manifest.js';

/**
 * Pinned hashes of the committed examples. They change only when an example
 * or the manifest encoding changes: update them on purpose, after review, by
 * copying the value the failing test prints.
 */
const PINNED: Record<(typeof EXAMPLE_NAMES)[number], string> = {
  'national-ve2024': '9e1d55004c39bdd1562f0268a3f93e3a2bd681f58afcdc80aa39b43069dbdc0e',
  municipal: '6ed95b6aa457d6aef9c05a7c4a20dc57ce6b0892431a2a426af19b32bd9c0aef',
};

function parsed(json: unknown): Manifest {
  const r = parseManifest(json);
  if (!r.ok) throw new Error(`${r.error.code} at ${r.error.where}: ${r.error.message}`);
  return r.value;
}

function hex(json: unknown): string {
  return encodeHex(hashManifest(parsed(json)));
}

describe('hashManifest', () => {
  it('is SHA-256 of the documented nested list, rebuilt by hand for the small manifest', () => {
    const m = smallManifestJson();
    const contest = (c: ManifestJson['contests'][number]): HashPart => [
      c.id,
      [c.name.es, c.name.en],
      c.selectionLimit,
      c.numberOfWinners,
      c.candidates.map((x) => [x.id, x.name]),
      c.cards.map((x) => [x.id, x.label, x.candidateId]),
    ];
    const parts: HashPart[] = [
      'acta-manifest-v1',
      'test-election',
      ['Elección de prueba', 'Test election'],
      '2024-07-28',
      m.contests.map(contest),
      [
        ['basic', ['president']],
        ['full', ['president', 'council']],
      ],
      [
        [
          '01',
          'Distrito Capital',
          [
            [
              '01',
              'Libertador',
              [
                [
                  '13',
                  'El Recreo',
                  [
                    [
                      '010113009',
                      'Centro A',
                      [
                        [1, 'basic'],
                        [2, 'full'],
                      ],
                    ],
                    ['010113042', 'Centro B', [[1, 'basic']]],
                  ],
                ],
              ],
            ],
          ],
        ],
        [
          '20',
          'Yaracuy',
          [
            [
              '13',
              'Manuel Monge',
              [
                [
                  '01',
                  'Yumare',
                  [
                    [
                      '201301006',
                      'Centro C',
                      [
                        [1, 'full'],
                        [12, 'full'],
                      ],
                    ],
                  ],
                ],
              ],
            ],
          ],
        ],
      ],
    ];
    const manifest = parsed(m);
    expect(MANIFEST_HASH_TAG).toBe('ACTA_V1_MANIFEST');
    expect(manifestHashParts(manifest)).toEqual(parts);
    const bytes = encodeHashInput('ACTA_V1_MANIFEST', parts);
    // u32be(16) ‖ "ACTA_V1_MANIFEST" ‖ u32be(7 parts) ‖ string part "acta-manifest-v1"
    expect(encodeHex(bytes.subarray(0, 45))).toBe(
      '00000010' +
        Buffer.from('ACTA_V1_MANIFEST').toString('hex') +
        '00000007' +
        '05' +
        '00000010' +
        Buffer.from('acta-manifest-v1').toString('hex'),
    );
    expect(hashManifest(manifest)).toEqual(sha256(bytes));
    expect(hashManifest(manifest)).toEqual(hashToBytes('ACTA_V1_MANIFEST', parts));
    expect(hashManifest(manifest)).toHaveLength(32);
  });

  it.each(EXAMPLE_NAMES)('pins the hash of examples/%s.json', (name) => {
    expect(encodeHex(hashManifest(loadExample(name)))).toBe(PINNED[name]);
  });

  it('does not depend on the key order of the JSON input (examples, keys reversed)', () => {
    for (const name of EXAMPLE_NAMES) {
      const json = loadExampleJson(name);
      const reversed = reorderKeys(json, (keys) => keys.reverse());
      expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(json));
      expect(hex(reversed)).toBe(hex(json));
    }
  });

  it('does not depend on the key order of the JSON input (property: random orders)', () => {
    const json = smallManifestJson();
    const expected = hex(json);
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = createSeededRng(`key-order-${seed}`);
        const shuffle = (keys: string[]): string[] =>
          keys
            .map((k) => ({ k, r: rng.randomBytes(4).join('.') }))
            .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))
            .map((x) => x.k);
        expect(hex(reorderKeys(json, shuffle))).toBe(expected);
      }),
      { numRuns: 100 },
    );
  });
});

/** Another value for a leaf that keeps the manifest valid, if there is one. */
function mutations(leaf: Leaf): Json[] {
  const v = leaf.value;
  if (typeof v === 'number') return [v + 1, v - 1, v + 2, 98, 99];
  if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v))
    return [v.slice(0, 8) + (v.endsWith('1') ? '2' : '1').padStart(2, '0')];
  return [`${v}-x`, `${v} x`];
}

/** A copy with every string equal to `from` replaced (a consistent rename of a referenced id). */
function renameAll<T extends Json>(json: T, from: string, to: string): T {
  const walk = (v: Json): Json => {
    if (v === from) return to;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(json) as T;
}

describe('sensitivity: manifests that differ in any field hash differently', () => {
  it.each(['small', ...EXAMPLE_NAMES] as const)('%s: every field, changed alone', (which) => {
    const base: ManifestJson = which === 'small' ? smallManifestJson() : loadExampleJson(which);
    // Distinct manifests must have distinct hashes (two leaves may lead to the same
    // manifest: renaming a candidate everywhere is reached from its id and its cards).
    const byHash = new Map<string, string>();
    const record = (json: ManifestJson, path: string): void => {
      const h = hex(json);
      const text = JSON.stringify(json);
      const before = byHash.get(h);
      if (before === undefined) byHash.set(h, text);
      else expect(before === text, `changing ${path} gives a colliding hash`).toBe(true);
    };
    record(base, 'nothing');
    const unchanged: string[] = [];
    const leaves = listLeaves(base);
    for (const leaf of leaves) {
      const path = leaf.path.join('.');
      const found = mutations(leaf)
        .flatMap((value) =>
          typeof leaf.value === 'string' && typeof value === 'string'
            ? [withLeaf(base, leaf.path, value), renameAll(base, leaf.value, value)]
            : [withLeaf(base, leaf.path, value)],
        )
        .find((candidate) => parseManifest(candidate).ok);
      if (found === undefined) unchanged.push(path);
      else record(found, path);
    }
    // Only the format and the geographic codes (which constrain each other) cannot
    // change alone; they are covered below.
    for (const path of unchanged) expect(path).toMatch(/^format$|\.code$/);
    expect(byHash.size).toBeGreaterThan(leaves.length / 2);
  });

  it('geographic codes: a parish (and its centres) renumbered, a centre renumbered', () => {
    const base = smallManifestJson();
    const parish = structuredClone(base);
    const p = parish.geography.states[0]!.municipalities[0]!.parishes[0]!;
    p.code = '14';
    for (const c of p.centres) c.code = `010114${c.code.slice(6)}`;
    const centre = structuredClone(base);
    centre.geography.states[1]!.municipalities[0]!.parishes[0]!.centres[0]!.code = '201301007';
    const all = [base, parish, centre].map(hex);
    expect(new Set(all).size).toBe(3);
  });

  it('order: swapping two cards, two candidates, two states, or moving a mesa', () => {
    const base = smallManifestJson();
    const swap = <T>(list: T[], i: number, j: number): void => {
      [list[i], list[j]] = [list[j]!, list[i]!];
    };
    const cards = structuredClone(base);
    swap(cards.contests[0]!.cards, 0, 1);
    const candidates = structuredClone(base);
    swap(candidates.contests[0]!.candidates, 0, 1);
    const states = structuredClone(base);
    swap(states.geography.states, 0, 1);
    const moved = structuredClone(base);
    const [a, b] = moved.geography.states[0]!.municipalities[0]!.parishes[0]!.centres;
    b!.mesas.push({ number: 2, ballotStyle: 'full' });
    a!.mesas.pop();
    const all = [base, cards, candidates, states, moved].map(hex);
    expect(new Set(all).size).toBe(5);
  });

  it('boundaries between texts: ("ab", "c") and ("a", "bc") differ', () => {
    const one = smallManifestJson();
    one.name = { es: 'ab', en: 'c' };
    const two = smallManifestJson();
    two.name = { es: 'a', en: 'bc' };
    expect(hex(one)).not.toBe(hex(two));
  });
});
