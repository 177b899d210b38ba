// Demo geographies: exactly the requested number of mesas, valid manifests,
// deterministic in (example, count, seed), realistic in shape (centres of
// 1–10 mesas, about two per centre, the example's states and municipalities),
// and fast at national scale.
import { describe, expect, it } from 'vitest';
import { encodeHex } from '@acta/crypto';
import { buildDemoManifest } from '../src/demo-manifest.js';
import { listMesas } from '../src/geography.js';
import { hashManifest } from '../src/manifest-hash.js';
import { MANIFEST_LIMITS, parseManifest, type GeoCentre, type Manifest } from '../src/manifest.js';
import { loadExample } from './helpers-manifest.js';

const national = loadExample('national-ve2024');
/** `buildDemoManifest(national, { mesas: 12, seed: 'pinned' })`, pinned. */
const PINNED_DEMO_MESAS: string[] = [
  '010101001.01 Liceo Andrés Bello',
  '070901001.01 Casa Comunal Luisa Cáceres de Arismendi',
  '080101001.01 Grupo Escolar Simón Bolívar',
  '080101001.02 Grupo Escolar Simón Bolívar',
  '110101001.01 Unidad Educativa Rómulo Gallegos',
  '120101001.01 Complejo Educativo Andrés Eloy Blanco',
  '160101001.01 Liceo Ezequiel Zamora',
  '190101001.01 Escuela Básica Andrés Eloy Blanco',
  '201301001.01 Casa Comunal Rafael Urdaneta',
  '210101001.01 Colegio Simón Rodríguez',
  '210501001.01 Casa Comunal Luisa Cáceres de Arismendi',
  '240101001.01 Grupo Escolar Antonio José de Sucre',
];
const PINNED_DEMO_HASH = '6de867df191cc171803e7c60e03482198257a5886c31f93f5f564d14e9a27030';
const municipal = loadExample('municipal');

function centresOf(m: Manifest): GeoCentre[] {
  return m.geography.states.flatMap((s) =>
    s.municipalities.flatMap((mu) => mu.parishes.flatMap((p) => p.centres)),
  );
}

describe('buildDemoManifest', () => {
  it.each([1, 2, 7, 24, 100, 1000, 4321])(
    '%i mesas: exactly that many, a valid manifest with the example election',
    (n) => {
      const demo = buildDemoManifest(national, { mesas: n, seed: 'demo' });
      expect(listMesas(demo)).toHaveLength(n);
      const again = parseManifest(JSON.parse(JSON.stringify(demo)));
      expect(again.ok && again.value).toEqual(demo);
      const { geography: _g, ...election } = demo;
      const { geography: _e, ...expected } = national;
      expect(election).toEqual(expected);
      for (const c of centresOf(demo)) {
        expect(c.mesas.length).toBeGreaterThanOrEqual(1);
        expect(c.mesas.length).toBeLessThanOrEqual(10);
        expect(c.mesas.map((mesa) => mesa.number)).toEqual(c.mesas.map((_, i) => i + 1));
      }
    },
  );

  it('is deterministic: same example, count and seed → the identical manifest', () => {
    const a = buildDemoManifest(national, { mesas: 3000, seed: 'seed-1' });
    const b = buildDemoManifest(national, { mesas: 3000, seed: 'seed-1' });
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(encodeHex(hashManifest(b))).toBe(encodeHex(hashManifest(a)));
  });

  it('depends on the seed, the count and the example', () => {
    const hashes = [
      buildDemoManifest(national, { mesas: 500, seed: 'a' }),
      buildDemoManifest(national, { mesas: 500, seed: 'b' }),
      buildDemoManifest(national, { mesas: 501, seed: 'a' }),
      buildDemoManifest(municipal, { mesas: 500, seed: 'a' }),
    ].map((m) => encodeHex(hashManifest(m)));
    expect(new Set(hashes).size).toBe(4);
  });

  it('pins a small demo, so that a change of the generator is seen', () => {
    // Update on purpose only (a new generator changes every demo election's hash).
    const demo = buildDemoManifest(national, { mesas: 12, seed: 'pinned' });
    expect(listMesas(demo).map((m) => `${m.id} ${m.centreName}`)).toEqual(PINNED_DEMO_MESAS);
    expect(encodeHex(hashManifest(demo))).toBe(PINNED_DEMO_HASH);
  });

  it('keeps the example states and municipalities (codes and names), in order', () => {
    const demo = buildDemoManifest(national, { mesas: 5000, seed: 'places' });
    const known = new Map(
      national.geography.states.flatMap((s) =>
        s.municipalities.map((m) => [`${s.code}${m.code}`, `${s.name} / ${m.name}`]),
      ),
    );
    const seen = demo.geography.states.flatMap((s) =>
      s.municipalities.map((m) => [`${s.code}${m.code}`, `${s.name} / ${m.name}`] as const),
    );
    for (const [code, name] of seen) expect(known.get(code)).toBe(name);
    expect(seen.map(([code]) => code)).toEqual(
      [...known.keys()].filter((k) => seen.some(([c]) => c === k)),
    );
    expect(demo.geography.states).toHaveLength(24);
  });

  it('looks like Venezuela at 30,026 mesas: ~2 mesas per centre, ~26 per parish, every state', () => {
    const demo = buildDemoManifest(national, { mesas: 30_026, seed: 've' });
    const centres = centresOf(demo);
    const parishes = demo.geography.states.flatMap((s) =>
      s.municipalities.flatMap((m) => m.parishes),
    );
    const perCentre = 30_026 / centres.length;
    expect(perCentre).toBeGreaterThan(1.7);
    expect(perCentre).toBeLessThan(2.3);
    expect(parishes.length).toBeGreaterThan(800);
    expect(parishes.length).toBeLessThanOrEqual(1200);
    expect(demo.geography.states).toHaveLength(24);
    // Skewed municipalities: the largest holds several times the mean.
    const sizes = demo.geography.states.flatMap((s) =>
      s.municipalities.map((m) =>
        m.parishes.flatMap((p) => p.centres).reduce((a, c) => a + c.mesas.length, 0),
      ),
    );
    expect(Math.max(...sizes)).toBeGreaterThan((2 * 30_026) / sizes.length);
    // Every size 1…10 occurs.
    expect(new Set(centres.map((c) => c.mesas.length))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    );
  });

  it('builds 30,000 mesas in under a second', () => {
    const start = performance.now();
    const demo = buildDemoManifest(national, { mesas: 30_000, seed: 'speed' });
    const ms = performance.now() - start;
    expect(listMesas(demo)).toHaveLength(30_000);
    expect(ms).toBeLessThan(1000);
  });

  it('reaches the manifest limit of mesas', () => {
    const demo = buildDemoManifest(municipal, { mesas: MANIFEST_LIMITS.mesas, seed: 'max' });
    expect(listMesas(demo)).toHaveLength(MANIFEST_LIMITS.mesas);
    // One municipality: 99 parishes of ~1,010 mesas, still ≤ 999 centres each.
    const parishes = demo.geography.states[0]!.municipalities[0]!.parishes;
    expect(parishes).toHaveLength(99);
    for (const p of parishes) expect(p.centres.length).toBeLessThanOrEqual(999);
  });

  it('keeps ballot styles: example parishes keep theirs, new parishes draw a used one', () => {
    const demo = buildDemoManifest(municipal, { mesas: 2000, seed: 'styles' });
    const parishes = demo.geography.states[0]!.municipalities[0]!.parishes;
    const styleOf = (code: string): string[] => [
      ...new Set(
        parishes
          .filter((p) => p.code === code)
          .flatMap((p) => p.centres.flatMap((c) => c.mesas.map((m) => m.ballotStyle))),
      ),
    ];
    expect(styleOf('01')).toEqual(['sucre-petare']); // Petare
    expect(styleOf('02')).toEqual(['sucre']); // Leoncio Martínez
    const all = new Set(listMesas(demo).map((m) => m.ballotStyle));
    expect(all).toEqual(new Set(['sucre', 'sucre-petare']));
    expect(parishes.slice(0, 4).map((p) => p.name)).toEqual(
      municipal.geography.states[0]!.municipalities[0]!.parishes.map((p) => p.name),
    );
  });

  it('refuses counts outside 1…MANIFEST_LIMITS.mesas (a programmer error)', () => {
    for (const mesas of [0, -1, 1.5, MANIFEST_LIMITS.mesas + 1, Number.NaN]) {
      expect(() => buildDemoManifest(national, { mesas, seed: 'x' })).toThrow(RangeError);
    }
  });
});
