/**
 * Demo geographies at national scale (issue #4 item 1): the example manifests
 * hold a handful of mesas; simulations, benchmarks and the portal need
 * thousands (Venezuela 2024: 30,026 mesas in about 15,800 centres and 1,139
 * parishes). `buildDemoManifest` keeps an example's election (id, names,
 * date, contests, ballot styles) and replaces its geography with exactly the
 * requested number of mesas, spread over the example's states and
 * municipalities (kept with their real codes and names):
 *
 *  - each municipality gets a weight (1+a)(1+b)(1+c), a, b, c uniform in
 *    0…7 — a product of uniforms, so sizes are skewed as in real countries
 *    (a few big cities, many small towns) — and the mesas are shared by
 *    largest remainder, so the total is exact; municipalities that get none
 *    (and states left empty) are dropped;
 *  - a municipality with k mesas has ⌈k / 26⌉ parishes (26 ≈ 30,026 / 1,139),
 *    at most 99: the example's parishes first (codes and names kept), then
 *    new ones with the smallest free codes; each gets ≥ 1 mesa, the rest
 *    shared by weight;
 *  - centres hold 1–10 mesas, geometrically distributed (P(n) ∝ 2^−n, mean ≈ 2
 *    as in Venezuela), numbered 001, 002, … in their parish;
 *  - a parish votes one ballot style: an example parish keeps the style of its
 *    first mesa, a new parish draws one of the styles the example's mesas use.
 *
 * Names of new parishes and centres are drawn from lists of common Venezuelan
 * place and school names. Everything random comes from
 * createSeededRng(hashToBytes("ACTA_V1_DEMO_MANIFEST", [seed])) and only
 * integer arithmetic is used, so the same example, count and seed give the
 * same manifest on every machine (no Math.random, no floating point).
 *
 * The demo is for simulations only: its centres are not real places.
 */
import { createSeededRng, hashToBytes, type Rng } from '@acta/crypto';
import {
  MANIFEST_LIMITS,
  parseManifest,
  type GeoCentre,
  type GeoMunicipality,
  type GeoParish,
  type Manifest,
} from './manifest.js';

/** Domain-separation tag of the demo geography's random stream. */
export const DEMO_MANIFEST_TAG = 'ACTA_V1_DEMO_MANIFEST';

/** What to build. */
export interface DemoManifestOptions {
  /** Exactly this many mesas, 1 … MANIFEST_LIMITS.mesas (100,000). */
  readonly mesas: number;
  /** Any well-formed string (a lone surrogate is a RangeError); the same seed, the same geography. */
  readonly seed: string;
}

/** Mean mesas per parish in Venezuela 2024 (30,026 mesas / 1,139 parishes). */
const MESAS_PER_PARISH = 26;
const MAX_CENTRE_MESAS = 10;

const PARISH_NAMES = [
  'San José',
  'Santa Rosa',
  'La Candelaria',
  'El Carmen',
  'San Juan',
  'Santa Teresa',
  'La Victoria',
  'San Rafael',
  'Altagracia',
  'Catedral',
  'San Pedro',
  'Santa Ana',
  'El Valle',
  'La Pastora',
  'San Agustín',
  'Santa Lucía',
  'San Isidro',
  'Las Mercedes',
  'La Concepción',
  'San Miguel',
  'Santa Bárbara',
  'El Rosario',
  'San Antonio',
  'San Francisco',
] as const;

const CENTRE_KINDS = [
  'Unidad Educativa',
  'Escuela Básica',
  'Liceo',
  'Escuela Bolivariana',
  'Colegio',
  'Complejo Educativo',
  'Grupo Escolar',
  'Casa Comunal',
] as const;

const CENTRE_PATRONS = [
  'Simón Bolívar',
  'Andrés Bello',
  'Rómulo Gallegos',
  'José María Vargas',
  'Antonio José de Sucre',
  'Francisco de Miranda',
  'Luisa Cáceres de Arismendi',
  'Cecilio Acosta',
  'Simón Rodríguez',
  'José Gregorio Hernández',
  'Teresa Carreño',
  'Rafael Urdaneta',
  'Josefa Camejo',
  'Andrés Eloy Blanco',
  'Arturo Uslar Pietri',
  'Fermín Toro',
  'Manuel Piar',
  'Ezequiel Zamora',
  'Juana Ramírez',
  'Lisandro Alvarado',
] as const;

/** Uniform integers from a seeded byte stream (bytes fetched in blocks). */
class Draw {
  readonly #rng: Rng;
  #block: Uint8Array = new Uint8Array(0);
  #offset = 0;

  constructor(rng: Rng) {
    this.#rng = rng;
  }

  uint32(): number {
    if (this.#offset + 4 > this.#block.length) {
      this.#block = this.#rng.randomBytes(1024);
      this.#offset = 0;
    }
    const b = this.#block;
    const o = this.#offset;
    this.#offset += 4;
    return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  }

  /** Uniform in 0 … n−1 (rejection sampling: no modulo bias). */
  below(n: number): number {
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % n;
    }
  }

  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)]!;
  }

  /** 1 … max with P(n) ∝ 2^−n: the number of leading 1 bits of a draw, plus one. */
  geometric(max: number): number {
    const x = this.uint32();
    let n = 1;
    while (n < max && (x & (1 << (n - 1))) !== 0) n++;
    return n;
  }
}

/** Shares `total` by integer weights, exactly (largest remainder, ties to the first). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => Math.floor((total * w) / sum));
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = weights
    .map((w, i) => ({ i, remainder: (total * w) % sum }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    shares[i]! += 1;
    left -= 1;
  }
  return shares;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The styles the example's mesas vote, each parish's first style, in manifest order. */
function exampleStyles(example: Manifest): {
  used: string[];
  parishStyle: Map<string, string>;
} {
  const used: string[] = [];
  const parishStyle = new Map<string, string>();
  for (const s of example.geography.states) {
    for (const m of s.municipalities) {
      for (const p of m.parishes) {
        for (const c of p.centres) {
          for (const mesa of c.mesas) {
            if (!used.includes(mesa.ballotStyle)) used.push(mesa.ballotStyle);
            const key = `${s.code}${m.code}${p.code}`;
            if (!parishStyle.has(key)) parishStyle.set(key, mesa.ballotStyle);
          }
        }
      }
    }
  }
  return { used, parishStyle };
}

function buildCentres(draw: Draw, prefix: string, mesas: number, style: string): GeoCentre[] {
  const centres: GeoCentre[] = [];
  let left = mesas;
  while (left > 0) {
    // Never more centres than 3-digit numbers: raise the size when the slots run short
    // (only for parishes of more than 999 mesas; otherwise ⌈left / slots⌉ ≤ 1).
    const slots = MANIFEST_LIMITS.centresPerParish - centres.length;
    const size = Math.min(
      left,
      Math.max(draw.geometric(MAX_CENTRE_MESAS), Math.ceil(left / slots)),
    );
    const code = `${prefix}${pad(centres.length + 1, 3)}`;
    centres.push({
      code,
      name: `${draw.pick(CENTRE_KINDS)} ${draw.pick(CENTRE_PATRONS)}`,
      mesas: Array.from({ length: size }, (_, i) => ({ number: i + 1, ballotStyle: style })),
    });
    left -= size;
  }
  return centres;
}

function buildMunicipality(
  draw: Draw,
  stateCode: string,
  m: GeoMunicipality,
  mesas: number,
  styles: { used: readonly string[]; parishStyle: ReadonlyMap<string, string> },
): GeoMunicipality {
  const count = Math.min(
    MANIFEST_LIMITS.parishesPerMunicipality,
    Math.ceil(mesas / MESAS_PER_PARISH),
  );
  const taken = new Set(m.parishes.map((p) => p.code));
  const parishes: { code: string; name: string; style: string }[] = m.parishes
    .slice(0, count)
    .map((p) => ({
      code: p.code,
      name: p.name,
      style: styles.parishStyle.get(`${stateCode}${m.code}${p.code}`) ?? draw.pick(styles.used),
    }));
  for (let code = 1; parishes.length < count; code++) {
    if (taken.has(pad(code, 2))) continue;
    parishes.push({
      code: pad(code, 2),
      name: `Parroquia ${draw.pick(PARISH_NAMES)}`,
      style: draw.pick(styles.used),
    });
  }
  const weights = parishes.map(() => (1 + draw.below(4)) * (1 + draw.below(4)));
  const extra = apportion(mesas - count, weights);
  return {
    code: m.code,
    name: m.name,
    parishes: parishes.map((p, i): GeoParish => ({
      code: p.code,
      name: p.name,
      centres: buildCentres(draw, `${stateCode}${m.code}${p.code}`, 1 + extra[i]!, p.style),
    })),
  };
}

/**
 * An example's election with a generated geography of exactly
 * `options.mesas` mesas (see the module header). Deterministic in
 * (example, options). The example must be a parsed manifest; options out of
 * range are a programmer error (RangeError). The result is validated and
 * frozen like any parsed manifest.
 */
export function buildDemoManifest(example: Manifest, options: DemoManifestOptions): Manifest {
  const { mesas, seed } = options;
  if (!Number.isSafeInteger(mesas) || mesas < 1 || mesas > MANIFEST_LIMITS.mesas) {
    throw new RangeError(`mesas must be an integer in 1…${MANIFEST_LIMITS.mesas}`);
  }
  const draw = new Draw(createSeededRng(hashToBytes(DEMO_MANIFEST_TAG, [seed])));
  const styles = exampleStyles(example);
  const units = example.geography.states.flatMap((s) =>
    s.municipalities.map((m) => ({ state: s, municipality: m })),
  );
  const weights = units.map(() => (1 + draw.below(8)) * (1 + draw.below(8)) * (1 + draw.below(8)));
  const shares = apportion(mesas, weights);
  // Units of one state are adjacent (flatMap), so a state is open until the next one starts.
  const states: { code: string; name: string; municipalities: GeoMunicipality[] }[] = [];
  units.forEach(({ state, municipality }, i) => {
    const share = shares[i]!;
    if (share === 0) return;
    const built = buildMunicipality(draw, state.code, municipality, share, styles);
    const last = states.at(-1);
    if (last?.code === state.code) last.municipalities.push(built);
    else states.push({ code: state.code, name: state.name, municipalities: [built] });
  });
  const parsed = parseManifest({ ...example, geography: { states } });
  if (!parsed.ok) {
    // The example was not a valid manifest, or this builder has a bug.
    throw new Error(`demo manifest does not validate: ${parsed.error.toString()}`);
  }
  return parsed.value;
}
