/**
 * Python's `str()` of the values a sampler id can be (issue #6): Rivest's
 * consistent sampler, which Arlo uses, hashes `str(id)` and `str(seed)`, so a
 * sample Acta draws can be redrawn by Arlo only if Acta writes exactly the
 * text Python would — for a ballot id, the tuple `(batch name, position)`,
 * e.g. `('pct 2', 3)`. Rules of CPython's `repr` for str (Objects/unicodeobject.c,
 * `unicode_repr`): single quotes unless the text holds a single quote and no
 * double quote; backslash, the chosen quote, \t \n \r escaped; other control
 * characters as \xhh. Text outside printable ASCII is written as is, which is
 * what Python does for printable non-ASCII characters; non-printable
 * non-ASCII characters (which Python escapes) are refused rather than guessed.
 */

/** A value whose Python `str()` this module writes. */
export type PythonValue = string | number | readonly PythonValue[];

/** Non-printable characters beyond ASCII (Python escapes them; we refuse them). */
const NON_PRINTABLE_NON_ASCII =
  /[\u0080-\u00a0\u00ad\u2028\u2029\ufeff\ufff9-\ufffb]|\p{Cs}|\p{Co}|\p{Cn}/u;

/** Python's `repr()` of a string. */
export function pythonRepr(text: string): string {
  if (NON_PRINTABLE_NON_ASCII.test(text)) {
    throw new RangeError('text with non-printable non-ASCII characters has no supported repr');
  }
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's `str()` of a value: strings as themselves, integers in decimal, tuples as `repr`. */
export function pythonStr(value: PythonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return pythonNumber(value);
  return pythonTupleRepr(value);
}

function pythonNumber(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`only integers are supported, got ${n}`);
  return String(n);
}

function pythonTupleRepr(items: readonly PythonValue[]): string {
  const parts = items.map((v) =>
    typeof v === 'string'
      ? pythonRepr(v)
      : typeof v === 'number'
        ? pythonNumber(v)
        : pythonTupleRepr(v),
  );
  // A one-element tuple keeps its comma: (x,).
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
}
