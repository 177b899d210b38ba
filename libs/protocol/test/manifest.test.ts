// The manifest (acta-manifest-v1): the committed examples parse, and every
// validation rule refuses what it should with its code and the exact path,
// the first problem first; arbitrary input never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProtocolErrorCode } from '../src/errors.js';
import {
  MANIFEST_LIMITS,
  MAX_REPORTED_PROBLEMS,
  listManifestProblems,
  parseManifest,
  type Manifest,
} from '../src/manifest.js';
import {
  listLeaves,
  loadExample,
  loadExampleJson,
  smallManifestJson,
  withLeaf,
  type CentreJson,
  type ContestJson,
  type Json,
  type ManifestJson,
} from './helpers-manifest.js';

/** The code and path of the first problem, or 'ok'. */
function firstProblem(json: unknown, where?: string): string {
  const r = parseManifest(json, where);
  return r.ok ? 'ok' : `${r.error.code} ${r.error.where}`;
}

/** A copy of the small manifest changed by `edit`. */
function edited(edit: (m: ManifestJson) => void): ManifestJson {
  const m = smallManifestJson();
  edit(m);
  return m;
}

function president(m: ManifestJson): ContestJson {
  return m.contests[0]!;
}

function centreA(m: ManifestJson): CentreJson {
  return m.geography.states[0]!.municipalities[0]!.parishes[0]!.centres[0]!;
}

const C0 = 'manifest.contests[0]';
const PARISH = 'manifest.geography.states[0].municipalities[0].parishes[0]';
const CENTRE_A = `${PARISH}.centres[0]`;

describe('parseManifest accepts', () => {
  it('the small test manifest, unchanged and deeply frozen', () => {
    const json = smallManifestJson();
    const r = parseManifest(json);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual(json);
    const frozen = (v: unknown): boolean =>
      typeof v !== 'object' || v === null || (Object.isFrozen(v) && Object.values(v).every(frozen));
    expect(frozen(r.value)).toBe(true);
    expect(() => {
      (r.value.contests[0] as { selectionLimit: number }).selectionLimit = 2;
    }).toThrow(TypeError);
  });

  it('boundary values: limit = cards, winners = candidates, mesa 99, leap day, 200-char names', () => {
    const m = edited((m) => {
      president(m).selectionLimit = 3;
      president(m).numberOfWinners = 2;
      centreA(m).mesas[1]!.number = 99;
      m.date = '2024-02-29';
      m.name.es = 'é'.repeat(MANIFEST_LIMITS.textLength);
      m.electionId = 'a'.repeat(64);
    });
    expect(firstProblem(m)).toBe('ok');
  });

  it('exactly MANIFEST_LIMITS.mesas mesas', () => {
    expect(firstProblem(withMesas(MANIFEST_LIMITS.mesas))).toBe('ok');
  });

  it('its own output as JSON text', () => {
    const m = loadExample('municipal');
    const again = parseManifest(JSON.parse(JSON.stringify(m)));
    expect(again.ok && again.value).toEqual(m);
  });
});

/**
 * A manifest with `total` mesas (99 per centre, 999 centres per parish), made
 * of shared sub-objects so that it is cheap to build.
 */
function withMesas(total: number): ManifestJson {
  const m = smallManifestJson();
  const full = Array.from({ length: 99 }, (_, i) => ({ number: i + 1, ballotStyle: 'basic' }));
  const parishes: { code: string; name: string; centres: CentreJson[] }[] = [];
  let left = total;
  for (let p = 1; left > 0; p++) {
    const centres: CentreJson[] = [];
    for (let c = 1; c <= 999 && left > 0; c++) {
      const n = Math.min(99, left);
      centres.push({
        code: `0101${String(p).padStart(2, '0')}${String(c).padStart(3, '0')}`,
        name: 'Centro',
        mesas: n === 99 ? full : full.slice(0, n),
      });
      left -= n;
    }
    parishes.push({ code: String(p).padStart(2, '0'), name: 'Parroquia', centres });
  }
  m.geography.states = [
    {
      code: '01',
      name: 'Distrito Capital',
      municipalities: [{ code: '01', name: 'Libertador', parishes }],
    },
  ];
  return m;
}

/** [description, edit, code, where] for one rule each. */
const CASES: [string, (m: ManifestJson) => void, ProtocolErrorCode, string][] = [
  // Structure
  [
    'a number given as a string',
    (m) => ((president(m) as Record<string, Json>).selectionLimit = '1'),
    'MANIFEST_MALFORMED',
    `${C0}.selectionLimit`,
  ],
  [
    'a fractional number',
    (m) => (centreA(m).mesas[0]!.number = 1.5),
    'MANIFEST_MALFORMED',
    `${CENTRE_A}.mesas[0].number`,
  ],
  [
    'a missing field',
    (m) => delete (m as Record<string, Json>).date,
    'MANIFEST_MALFORMED',
    'manifest.date',
  ],
  [
    'a missing format',
    (m) => delete (m as Record<string, Json>).format,
    'MANIFEST_MALFORMED',
    'manifest.format',
  ],
  [
    'null for a list',
    (m) => ((m as Record<string, Json>).contests = null),
    'MANIFEST_MALFORMED',
    'manifest.contests',
  ],
  [
    'an unknown field on a card',
    (m) => (president(m).cards[1]!.party = 'X'),
    'MANIFEST_UNKNOWN_FIELD',
    `${C0}.cards[1].party`,
  ],
  [
    'an unknown top-level field',
    (m) => (m.description = 'x'),
    'MANIFEST_UNKNOWN_FIELD',
    'manifest.description',
  ],
  [
    'a third language',
    (m) => (m.name.fr = 'Élection'),
    'MANIFEST_UNKNOWN_FIELD',
    'manifest.name.fr',
  ],
  [
    'another format version (refused first, despite other problems)',
    (m) => {
      m.format = 'acta-manifest-v2';
      m.extra = 1;
    },
    'MANIFEST_UNSUPPORTED_FORMAT',
    'manifest.format',
  ],
  [
    'more than 100 contests',
    (m) => {
      m.contests = Array.from({ length: 101 }, (_, i) => ({ ...president(m), id: `c${i}` }));
    },
    'MANIFEST_TOO_LARGE',
    'manifest.contests',
  ],
  [
    'more than 1000 cards',
    (m) => {
      president(m).cards = Array.from({ length: 1001 }, (_, i) => ({
        id: `k${i}`,
        label: 'K',
        candidateId: 'alice',
      }));
    },
    'MANIFEST_TOO_LARGE',
    `${C0}.cards`,
  ],
  [
    'more than 1000 candidates',
    (m) => {
      president(m).candidates = Array.from({ length: 1001 }, (_, i) => ({
        id: `p${i}`,
        name: 'P',
      }));
    },
    'MANIFEST_TOO_LARGE',
    `${C0}.candidates`,
  ],
  [
    'more than 99 mesas in a centre',
    (m) => {
      centreA(m).mesas = Array.from({ length: 100 }, (_, i) => ({
        number: i + 1,
        ballotStyle: 'basic',
      }));
    },
    'MANIFEST_TOO_LARGE',
    `${CENTRE_A}.mesas`,
  ],
  ['no contests', (m) => (m.contests = []), 'MANIFEST_EMPTY_LIST', 'manifest.contests'],
  ['no cards', (m) => (president(m).cards = []), 'MANIFEST_EMPTY_LIST', `${C0}.cards`],
  [
    'no candidates',
    (m) => (president(m).candidates = []),
    'MANIFEST_EMPTY_LIST',
    `${C0}.candidates`,
  ],
  [
    'a style without contests',
    (m) => (m.ballotStyles[1]!.contests = []),
    'MANIFEST_EMPTY_LIST',
    'manifest.ballotStyles[1].contests',
  ],
  [
    'no states',
    (m) => (m.geography.states = []),
    'MANIFEST_EMPTY_LIST',
    'manifest.geography.states',
  ],
  [
    'a centre without mesas',
    (m) => (centreA(m).mesas = []),
    'MANIFEST_EMPTY_LIST',
    `${CENTRE_A}.mesas`,
  ],
  // Values
  ['a short election id', (m) => (m.electionId = 've'), 'MANIFEST_BAD_ID', 'manifest.electionId'],
  [
    'a 65-character election id',
    (m) => (m.electionId = 'a'.repeat(65)),
    'MANIFEST_BAD_ID',
    'manifest.electionId',
  ],
  [
    'an upper-case card id',
    (m) => (president(m).cards[2]!.id = 'Green'),
    'MANIFEST_BAD_ID',
    `${C0}.cards[2].id`,
  ],
  [
    'an empty contest id',
    (m) => (m.contests[1]!.id = ''),
    'MANIFEST_BAD_ID',
    'manifest.contests[1].id',
  ],
  [
    'a candidate id with a space',
    (m) => {
      president(m).candidates[0]!.id = 'ali ce';
      for (const card of president(m).cards) {
        if (card.candidateId === 'alice') card.candidateId = 'ali ce';
      }
    },
    'MANIFEST_BAD_ID',
    `${C0}.candidates[0].id`,
  ],
  [
    'a style id with a dot',
    (m) => (m.ballotStyles[0]!.id = 'a.b'),
    'MANIFEST_BAD_ID',
    'manifest.ballotStyles[0].id',
  ],
  ['an empty name', (m) => (m.name.es = ''), 'MANIFEST_BAD_TEXT', 'manifest.name.es'],
  [
    'a name with a leading space',
    (m) => (president(m).candidates[0]!.name = ' Alicia'),
    'MANIFEST_BAD_TEXT',
    `${C0}.candidates[0].name`,
  ],
  [
    'a label with a bidi override',
    (m) => (president(m).cards[1]!.label = 'AZUL\u202eOJOR'),
    'MANIFEST_BAD_TEXT',
    `${C0}.cards[1].label`,
  ],
  [
    'a name not in NFC (e + combining acute)',
    (m) => (president(m).candidates[0]!.name = 'Alicia Pe\u0301rez'),
    'MANIFEST_BAD_TEXT',
    `${C0}.candidates[0].name`,
  ],
  [
    'a lone surrogate',
    (m) => (m.contests[1]!.name.en = 'Council \ud800'),
    'MANIFEST_BAD_TEXT',
    'manifest.contests[1].name.en',
  ],
  ['a line break', (m) => (centreA(m).name = 'Centro\nA'), 'MANIFEST_BAD_TEXT', `${CENTRE_A}.name`],
  [
    'a 201-character name',
    (m) => (m.geography.states[1]!.name = 'Y'.repeat(201)),
    'MANIFEST_BAD_TEXT',
    'manifest.geography.states[1].name',
  ],
  ['30 February', (m) => (m.date = '2024-02-30'), 'MANIFEST_BAD_DATE', 'manifest.date'],
  [
    '29 February of a common year',
    (m) => (m.date = '2023-02-29'),
    'MANIFEST_BAD_DATE',
    'manifest.date',
  ],
  [
    'a date without zero padding',
    (m) => (m.date = '2024-7-28'),
    'MANIFEST_BAD_DATE',
    'manifest.date',
  ],
  [
    'a date with a time',
    (m) => (m.date = '2024-07-28T08:00'),
    'MANIFEST_BAD_DATE',
    'manifest.date',
  ],
  [
    'a one-digit state code',
    (m) => (m.geography.states[0]!.code = '1'),
    'MANIFEST_BAD_CODE',
    'manifest.geography.states[0].code',
  ],
  [
    'state code 00',
    (m) => (m.geography.states[1]!.code = '00'),
    'MANIFEST_BAD_CODE',
    'manifest.geography.states[1].code',
  ],
  [
    'a letter in a municipality code',
    (m) => (m.geography.states[0]!.municipalities[0]!.code = '0A'),
    'MANIFEST_BAD_CODE',
    'manifest.geography.states[0].municipalities[0].code',
  ],
  [
    'a parish code of three digits',
    (m) => (m.geography.states[0]!.municipalities[0]!.parishes[0]!.code = '013'),
    'MANIFEST_BAD_CODE',
    `${PARISH}.code`,
  ],
  [
    'an 8-digit centre code',
    (m) => (centreA(m).code = '01011300'),
    'MANIFEST_BAD_CODE',
    `${CENTRE_A}.code`,
  ],
  [
    'centre number 000',
    (m) => (centreA(m).code = '010113000'),
    'MANIFEST_BAD_CODE',
    `${CENTRE_A}.code`,
  ],
  [
    'mesa number 0',
    (m) => (centreA(m).mesas[0]!.number = 0),
    'MANIFEST_BAD_CODE',
    `${CENTRE_A}.mesas[0].number`,
  ],
  [
    'mesa number 100',
    (m) => (centreA(m).mesas[1]!.number = 100),
    'MANIFEST_BAD_CODE',
    `${CENTRE_A}.mesas[1].number`,
  ],
  [
    'a centre code of another parish',
    (m) => (centreA(m).code = '010114009'),
    'MANIFEST_CODE_PREFIX',
    `${CENTRE_A}.code`,
  ],
  [
    'a centre code of another state',
    (m) => (m.geography.states[1]!.municipalities[0]!.parishes[0]!.centres[0]!.code = '011301006'),
    'MANIFEST_CODE_PREFIX',
    'manifest.geography.states[1].municipalities[0].parishes[0].centres[0].code',
  ],
  [
    'two contests with one id',
    (m) => (m.contests[1]!.id = 'president'),
    'MANIFEST_DUPLICATE_ID',
    'manifest.contests[1].id',
  ],
  [
    'two candidates with one id',
    (m) => (president(m).candidates[1]!.id = 'alice'),
    'MANIFEST_DUPLICATE_ID',
    `${C0}.candidates[1].id`,
  ],
  [
    'two cards with one id',
    (m) => (president(m).cards[2]!.id = 'red'),
    'MANIFEST_DUPLICATE_ID',
    `${C0}.cards[2].id`,
  ],
  [
    'two styles with one id',
    (m) => (m.ballotStyles[1]!.id = 'basic'),
    'MANIFEST_DUPLICATE_ID',
    'manifest.ballotStyles[1].id',
  ],
  [
    'a style listing a contest twice',
    (m) => m.ballotStyles[1]!.contests.push('president'),
    'MANIFEST_DUPLICATE_ID',
    'manifest.ballotStyles[1].contests[2]',
  ],
  [
    'two states with one code',
    (m) => {
      const s = m.geography.states[1]!;
      s.code = '01';
      s.municipalities[0]!.parishes[0]!.centres[0]!.code = '011301006';
    },
    'MANIFEST_DUPLICATE_CODE',
    'manifest.geography.states[1].code',
  ],
  [
    'two centres with one code',
    (m) => {
      const p = m.geography.states[0]!.municipalities[0]!.parishes[0]!;
      p.centres[1]!.code = p.centres[0]!.code;
    },
    'MANIFEST_DUPLICATE_CODE',
    `${PARISH}.centres[1].code`,
  ],
  [
    'one number twice in a centre (a repeated mesa id)',
    (m) => (centreA(m).mesas[1]!.number = 1),
    'MANIFEST_DUPLICATE_MESA',
    `${CENTRE_A}.mesas[1].number`,
  ],
  [
    'a card for an unknown candidate',
    (m) => (president(m).cards[1]!.candidateId = 'carol'),
    'MANIFEST_UNKNOWN_CANDIDATE',
    `${C0}.cards[1].candidateId`,
  ],
  [
    'a card for a candidate of another contest',
    (m) => (m.contests[1]!.cards[0]!.candidateId = 'alice'),
    'MANIFEST_UNKNOWN_CANDIDATE',
    'manifest.contests[1].cards[0].candidateId',
  ],
  [
    'a candidate without a card',
    (m) => president(m).cards.splice(1, 1),
    'MANIFEST_CANDIDATE_WITHOUT_CARD',
    `${C0}.candidates[1]`,
  ],
  [
    'a style naming an unknown contest',
    (m) => (m.ballotStyles[1]!.contests[1] = 'mayor'),
    'MANIFEST_UNKNOWN_CONTEST',
    'manifest.ballotStyles[1].contests[1]',
  ],
  [
    'a mesa with an unknown style',
    (m) => (centreA(m).mesas[1]!.ballotStyle = 'other'),
    'MANIFEST_UNKNOWN_STYLE',
    `${CENTRE_A}.mesas[1].ballotStyle`,
  ],
  [
    'selection limit 0',
    (m) => (president(m).selectionLimit = 0),
    'MANIFEST_SELECTION_LIMIT',
    `${C0}.selectionLimit`,
  ],
  [
    'a negative selection limit',
    (m) => (president(m).selectionLimit = -1),
    'MANIFEST_SELECTION_LIMIT',
    `${C0}.selectionLimit`,
  ],
  [
    'a selection limit above the number of cards',
    (m) => (president(m).selectionLimit = 4),
    'MANIFEST_SELECTION_LIMIT',
    `${C0}.selectionLimit`,
  ],
  [
    'no winners',
    (m) => (m.contests[1]!.numberOfWinners = 0),
    'MANIFEST_WINNERS',
    'manifest.contests[1].numberOfWinners',
  ],
  [
    'more winners than candidates',
    (m) => (m.contests[1]!.numberOfWinners = 4),
    'MANIFEST_WINNERS',
    'manifest.contests[1].numberOfWinners',
  ],
];

describe('parseManifest refuses', () => {
  it.each(CASES)('%s', (_name, edit, code, where) => {
    const json = edited(edit);
    expect(firstProblem(json)).toBe(`${code} ${where}`);
    // The same problem heads the full list.
    const all = listManifestProblems(json);
    expect(`${all[0]?.code} ${all[0]?.where}`).toBe(`${code} ${where}`);
  });

  it('covers every manifest code in the table above', () => {
    const codes = new Set(CASES.map((c) => c[2]));
    expect([...codes].sort()).toEqual(
      [
        'MANIFEST_MALFORMED',
        'MANIFEST_UNKNOWN_FIELD',
        'MANIFEST_UNSUPPORTED_FORMAT',
        'MANIFEST_TOO_LARGE',
        'MANIFEST_EMPTY_LIST',
        'MANIFEST_BAD_ID',
        'MANIFEST_BAD_TEXT',
        'MANIFEST_BAD_DATE',
        'MANIFEST_BAD_CODE',
        'MANIFEST_CODE_PREFIX',
        'MANIFEST_DUPLICATE_ID',
        'MANIFEST_DUPLICATE_CODE',
        'MANIFEST_DUPLICATE_MESA',
        'MANIFEST_UNKNOWN_CANDIDATE',
        'MANIFEST_CANDIDATE_WITHOUT_CARD',
        'MANIFEST_UNKNOWN_CONTEST',
        'MANIFEST_UNKNOWN_STYLE',
        'MANIFEST_SELECTION_LIMIT',
        'MANIFEST_WINNERS',
      ].sort(),
    );
  });

  it('non-objects at the root', () => {
    for (const json of [null, 'manifest', 42, [], true, undefined]) {
      expect(firstProblem(json)).toBe('MANIFEST_MALFORMED manifest');
    }
  });

  it('more than MANIFEST_LIMITS.mesas mesas in all', () => {
    const r = parseManifest(withMesas(MANIFEST_LIMITS.mesas + 1));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.error.code, r.error.where]).toEqual(['MANIFEST_TOO_LARGE', 'manifest.geography']);
    expect(r.error.message).toContain('100001');
  });
});

describe('problem reporting', () => {
  it('roots paths at `where`', () => {
    const json = edited((m) => (president(m).cards[1]!.candidateId = 'carol'));
    expect(firstProblem(json, 'entries[0].body.manifest')).toBe(
      'MANIFEST_UNKNOWN_CANDIDATE entries[0].body.manifest.contests[0].cards[1].candidateId',
    );
  });

  it('returns the first problem in document order; the list has them all in that order', () => {
    const json = edited((m) => {
      centreA(m).mesas[0]!.ballotStyle = 'other'; // geography: last
      m.ballotStyles[0]!.contests[0] = 'mayor'; // styles: second
      m.contests[1]!.numberOfWinners = 9; // contests: first
    });
    expect(firstProblem(json)).toBe('MANIFEST_WINNERS manifest.contests[1].numberOfWinners');
    expect(listManifestProblems(json).map((e) => e.code)).toEqual([
      'MANIFEST_WINNERS',
      'MANIFEST_UNKNOWN_CONTEST',
      'MANIFEST_UNKNOWN_STYLE',
    ]);
  });

  it('reports structural problems alone (values are not checked until the shape is right)', () => {
    const json = edited((m) => {
      m.electionId = 'X'; // a value problem
      president(m).cards[0]!.extra = 1; // a structural problem
    });
    expect(listManifestProblems(json).map((e) => `${e.code} ${e.where}`)).toEqual([
      `MANIFEST_UNKNOWN_FIELD ${C0}.cards[0].extra`,
    ]);
  });

  it(`caps the list at ${MAX_REPORTED_PROBLEMS}`, () => {
    const json = edited((m) => {
      centreA(m).mesas = Array.from({ length: 99 }, (_, i) => ({
        number: i + 1,
        ballotStyle: 'x',
      }));
      m.geography.states[1]!.municipalities[0]!.parishes[0]!.centres[0]!.mesas = centreA(m).mesas;
    });
    const all = listManifestProblems(json);
    expect(all).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(all.every((e) => e.code === 'MANIFEST_UNKNOWN_STYLE')).toBe(true);
  });

  it('quotes long input shortened and names no more than the field', () => {
    const json = edited((m) => (president(m).cards[0]!.candidateId = 'z'.repeat(5000)));
    const r = parseManifest(json);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message.length).toBeLessThan(200);
    expect(r.error.toString()).toBe(
      `MANIFEST_UNKNOWN_CANDIDATE at ${r.error.where}: ${r.error.message}`,
    );
  });

  it('never throws, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const r = parseManifest(json);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when any one field of a valid manifest is replaced (property)', () => {
    const base = smallManifestJson();
    const leaves = listLeaves(base);
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.boolean(),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(fc.nat(leaves.length - 1), value, (i, v) => {
        const json = withLeaf(base, leaves[i]!.path, v as Json);
        const r = parseManifest(json);
        if (!r.ok) expect(r.error.where.startsWith('manifest')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

/** The 38 cards of the 2024 Venezuelan ballot in order (BRIEF.md), by candidate. */
const VE2024_BALLOT: [string, string[]][] = [
  [
    'maduro',
    [
      'PSUV',
      'PCV',
      'TUPAMARO',
      'PPT',
      'MSV',
      'PODEMOS',
      'MEP',
      'APC',
      'ORA',
      'UPV',
      'EV',
      'PVV',
      'PFV',
    ],
  ],
  ['martinez', ['AD', 'COPEI', 'MR', 'BR', 'DDP', 'UNE']],
  ['bertucci', ['EL CAMBIO']],
  ['brito', ['PV', 'VU', 'UVV', 'MPJ']],
  ['ecarri', ['AP', 'MOVEV', 'CMC', 'FV', 'ALIANZA DEL LAPIZ', 'MIN UNIDAD']],
  ['fermin', ['SPV']],
  ['ceballos', ['VPA', 'AREPA']],
  ['gonzalez', ['UNTC', 'MPV', 'MUD']],
  ['marquez', ['CENTRADOS']],
  ['rausseo', ['CONDE']],
];

const VE_ENTITIES = [
  'Distrito Capital',
  'Anzoátegui',
  'Apure',
  'Aragua',
  'Barinas',
  'Bolívar',
  'Carabobo',
  'Cojedes',
  'Falcón',
  'Guárico',
  'Lara',
  'Mérida',
  'Miranda',
  'Monagas',
  'Nueva Esparta',
  'Portuguesa',
  'Sucre',
  'Táchira',
  'Trujillo',
  'Yaracuy',
  'Zulia',
  'Amazonas',
  'Delta Amacuro',
  'La Guaira',
];

describe('examples', () => {
  it('national-ve2024: one contest, the 10 candidates on the 38 cards of BRIEF.md in order', () => {
    const m: Manifest = loadExample('national-ve2024');
    expect(m.electionId).toBe('ve-2024-presidential');
    expect(m.date).toBe('2024-07-28');
    expect(m.contests).toHaveLength(1);
    const c = m.contests[0]!;
    expect([c.selectionLimit, c.numberOfWinners]).toEqual([1, 1]);
    expect(c.candidates.map((x) => x.id)).toEqual(VE2024_BALLOT.map(([id]) => id));
    expect(c.cards.map((card) => [card.candidateId, card.label])).toEqual(
      VE2024_BALLOT.flatMap(([id, labels]) => labels.map((label) => [id, label])),
    );
    expect(c.cards).toHaveLength(38);
    expect(c.candidates.find((x) => x.id === 'gonzalez')?.name).toBe('Edmundo González Urrutia');
    expect(m.ballotStyles).toEqual([{ id: 'national', contests: ['president'] }]);
  });

  it('national-ve2024: the 24 federal entities with their CNE codes 01…24', () => {
    const m = loadExample('national-ve2024');
    expect(m.geography.states.map((s) => [s.code, s.name])).toEqual(
      VE_ENTITIES.map((name, i) => [String(i + 1).padStart(2, '0'), name]),
    );
  });

  it('municipal: contests of different limits, two ballot styles both used', () => {
    const m = loadExample('municipal');
    expect(m.contests.map((c) => [c.id, c.selectionLimit, c.cards.length])).toEqual([
      ['mayor', 1, 7],
      ['council', 5, 12],
      ['referendum-parks', 1, 2],
      ['petare-parish-board', 3, 7],
    ]);
    const styles = m.geography.states
      .flatMap((s) => s.municipalities)
      .flatMap((mu) => mu.parishes)
      .flatMap((p) => p.centres)
      .flatMap((c) => c.mesas.map((mesa) => mesa.ballotStyle));
    expect(new Set(styles)).toEqual(new Set(['sucre', 'sucre-petare']));
    expect(m.ballotStyles.map((s) => s.contests.length)).toEqual([3, 4]);
  });

  it('both examples report no problem at all', () => {
    expect(listManifestProblems(loadExampleJson('national-ve2024'))).toEqual([]);
    expect(listManifestProblems(loadExampleJson('municipal'))).toEqual([]);
  });
});
