// Shared helpers of the manifest and geography tests: the committed examples,
// a small valid manifest to break one field at a time, JSON leaf enumeration
// and key shuffling, and the real 2024 Venezuelan actas (../shared/data) when
// they are present.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unwrap } from '@acta/crypto';
import { parseManifest, type Manifest } from '../src/manifest.js';

/** A JSON value as tests build and break it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A mutable manifest-shaped JSON object (what a test breaks before parsing). */
export interface ManifestJson {
  [key: string]: Json;
  format: string;
  electionId: string;
  name: { [key: string]: Json; es: string; en: string };
  date: string;
  contests: ContestJson[];
  ballotStyles: { [key: string]: Json; id: string; contests: string[] }[];
  geography: { [key: string]: Json; states: StateJson[] };
}

export interface ContestJson {
  [key: string]: Json;
  id: string;
  name: { [key: string]: Json; es: string; en: string };
  selectionLimit: number;
  numberOfWinners: number;
  candidates: { [key: string]: Json; id: string; name: string }[];
  cards: { [key: string]: Json; id: string; label: string; candidateId: string }[];
}

export interface StateJson {
  [key: string]: Json;
  code: string;
  name: string;
  municipalities: {
    [key: string]: Json;
    code: string;
    name: string;
    parishes: {
      [key: string]: Json;
      code: string;
      name: string;
      centres: CentreJson[];
    }[];
  }[];
}

export interface CentreJson {
  [key: string]: Json;
  code: string;
  name: string;
  mesas: { [key: string]: Json; number: number; ballotStyle: string }[];
}

export const EXAMPLE_NAMES = ['national-ve2024', 'municipal'] as const;
export type ExampleName = (typeof EXAMPLE_NAMES)[number];

/** The committed example, as JSON text decoded (a fresh copy each call). */
export function loadExampleJson(name: ExampleName): ManifestJson {
  const url = new URL(`../examples/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as ManifestJson;
}

/** The committed example, parsed (throws if it does not validate). */
export function loadExample(name: ExampleName): Manifest {
  return unwrap(parseManifest(loadExampleJson(name)));
}

/**
 * A small valid manifest: two contests (one with two cards for one candidate),
 * two ballot styles, two states, a parish with two centres.
 */
export function smallManifestJson(): ManifestJson {
  return {
    format: 'acta-manifest-v1',
    electionId: 'test-election',
    name: { es: 'Elección de prueba', en: 'Test election' },
    date: '2024-07-28',
    contests: [
      {
        id: 'president',
        name: { es: 'Presidente', en: 'President' },
        selectionLimit: 1,
        numberOfWinners: 1,
        candidates: [
          { id: 'alice', name: 'Alicia Pérez' },
          { id: 'bob', name: 'Roberto Gómez' },
        ],
        cards: [
          { id: 'red', label: 'ROJO', candidateId: 'alice' },
          { id: 'blue', label: 'AZUL', candidateId: 'bob' },
          { id: 'green', label: 'VERDE', candidateId: 'alice' },
        ],
      },
      {
        id: 'council',
        name: { es: 'Concejo', en: 'Council' },
        selectionLimit: 2,
        numberOfWinners: 2,
        candidates: [
          { id: 'c1', name: 'Uno' },
          { id: 'c2', name: 'Dos' },
          { id: 'c3', name: 'Tres' },
        ],
        cards: [
          { id: 'c1', label: 'Uno', candidateId: 'c1' },
          { id: 'c2', label: 'Dos', candidateId: 'c2' },
          { id: 'c3', label: 'Tres', candidateId: 'c3' },
        ],
      },
    ],
    ballotStyles: [
      { id: 'basic', contests: ['president'] },
      { id: 'full', contests: ['president', 'council'] },
    ],
    geography: {
      states: [
        {
          code: '01',
          name: 'Distrito Capital',
          municipalities: [
            {
              code: '01',
              name: 'Libertador',
              parishes: [
                {
                  code: '13',
                  name: 'El Recreo',
                  centres: [
                    {
                      code: '010113009',
                      name: 'Centro A',
                      mesas: [
                        { number: 1, ballotStyle: 'basic' },
                        { number: 2, ballotStyle: 'full' },
                      ],
                    },
                    {
                      code: '010113042',
                      name: 'Centro B',
                      mesas: [{ number: 1, ballotStyle: 'basic' }],
                    },
                  ],
                },
              ],
            },
          ],
        },
        {
          code: '20',
          name: 'Yaracuy',
          municipalities: [
            {
              code: '13',
              name: 'Manuel Monge',
              parishes: [
                {
                  code: '01',
                  name: 'Yumare',
                  centres: [
                    {
                      code: '201301006',
                      name: 'Centro C',
                      mesas: [
                        { number: 1, ballotStyle: 'full' },
                        { number: 12, ballotStyle: 'full' },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

/** A leaf of a JSON value and the path to it. */
export interface Leaf {
  readonly path: readonly (string | number)[];
  readonly value: string | number;
}

/** Every string and number leaf, depth first, in document order. */
export function listLeaves(value: Json, path: (string | number)[] = []): Leaf[] {
  if (typeof value === 'string' || typeof value === 'number') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => listLeaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => listLeaves(v, [...path, k]));
  }
  return [];
}

/** A copy of `root` with the leaf at `path` replaced. */
export function withLeaf<T extends Json>(
  root: T,
  path: readonly (string | number)[],
  leaf: Json,
): T {
  const copy = structuredClone(root);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, Json>)[key]!;
  (node as Record<string | number, Json>)[path.at(-1)!] = leaf;
  return copy;
}

/** A deep copy with every object's keys in an order given by `order` (e.g. reversed). */
export function reorderKeys(value: Json, order: (keys: string[]) => string[]): Json {
  if (Array.isArray(value)) return value.map((v) => reorderKeys(v, order));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const k of order(Object.keys(value))) out[k] = reorderKeys(value[k]!, order);
    return out;
  }
  return value;
}

/** The real per-mesa results of 2024 (BRIEF.md), or undefined when the data is absent. */
export const VE2024_CSV: string = fileURLToPath(
  new URL('../../../../shared/data/ve2024-actas-v1.csv', import.meta.url),
);

/** One row of ve2024-actas-v1.csv, by column name. */
export type CsvRow = Record<string, string>;

/** The rows of ve2024-actas-v1.csv (UTF-8 with BOM; no quoted fields), or undefined. */
export function readVe2024Rows(): CsvRow[] | undefined {
  if (!existsSync(VE2024_CSV)) return undefined;
  const lines = readFileSync(VE2024_CSV, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const header = lines[0]!.split(',');
  return lines
    .slice(1)
    .filter((line) => line.length > 0)
    .map((line) => {
      const cells = line.split(',');
      return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    });
}
