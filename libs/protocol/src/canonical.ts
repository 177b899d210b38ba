/**
 * The canonical byte form of a record entry (docs/spec.md chapter 2, "Record
 * entries"). Board entries travel and are stored as JSON, but nothing is ever
 * hashed or signed as JSON text: a JSON value is mapped to the typed,
 * length-prefixed hash parts of spec §3.1 (@acta/crypto `encodeHashInput`):
 *
 *   string            → string part
 *   non-negative safe integer → uint part
 *   array             → list ["[]", v₁, …, vₙ]
 *   object            → list ["{}", [k₁, v₁], …, [kₙ, vₙ]] with keys sorted by
 *                        their UTF-16 code units (all keys are ASCII in v1)
 *
 * Anything else (booleans, null, negative or fractional numbers, undefined) is
 * not part of the entry language: every schema rejects it first, so meeting one
 * here is a bug (RangeError). The mapping is injective: the markers separate
 * arrays from objects, the part types separate strings from numbers.
 */
import { encodeHashInput, type HashPart } from '@acta/crypto';

/** A JSON value of the entry language. */
export type CanonicalValue =
  string | number | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue };

/** The hash parts of a JSON value (see the module header). */
export function toCanonicalParts(value: unknown, where = 'value'): HashPart {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${where}: not a non-negative safe integer`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    return ['[]', ...value.map((v, i) => toCanonicalParts(v, `${where}[${i}]`))];
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    return [
      '{}',
      ...keys
        .filter((k) => record[k] !== undefined)
        .map((k): HashPart => [k, toCanonicalParts(record[k], `${where}.${k}`)]),
    ];
  }
  throw new RangeError(`${where}: ${typeof value} is not part of the entry language`);
}

/** The canonical bytes of a JSON value under `tag` (what leaves and signatures cover). */
export function encodeCanonical(tag: string, value: unknown): Uint8Array {
  return encodeHashInput(tag, [toCanonicalParts(value)]);
}
