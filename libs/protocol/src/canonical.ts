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

/**
 * Parts already computed for some objects of a value (by identity), e.g. a
 * ballot's contests pre-encoded with `encodeHashPart` so that the entry's
 * leaf, signature and tracking code encode them once. Whoever fills it must
 * not change those objects while it is in use.
 */
export type CanonicalMemo = ReadonlyMap<object, HashPart>;

/** The hash parts of a JSON value (see the module header). */
export function toCanonicalParts(value: unknown, where = 'value', memo?: CanonicalMemo): HashPart {
  if (typeof value === 'string') return value;
  if (memo !== undefined && typeof value === 'object' && value !== null) {
    const known = memo.get(value);
    if (known !== undefined) return known;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${where}: not a non-negative safe integer`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    return ['[]', ...value.map((v, i) => toCanonicalParts(v, `${where}[${i}]`, memo))];
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    return [
      '{}',
      ...keys
        .filter((k) => record[k] !== undefined)
        .map((k): HashPart => [k, toCanonicalParts(record[k], `${where}.${k}`, memo)]),
    ];
  }
  throw new RangeError(`${where}: ${typeof value} is not part of the entry language`);
}

/** The canonical bytes of a JSON value under `tag` (what leaves and signatures cover). */
export function encodeCanonical(tag: string, value: unknown, memo?: CanonicalMemo): Uint8Array {
  return encodeHashInput(tag, [toCanonicalParts(value, 'value', memo)]);
}
