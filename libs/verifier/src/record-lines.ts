/**
 * The lines of entries.ndjson (docs/spec-verifier.md §2.2), from the file's
 * bytes in chunks of any size: only `\n` (0x0A) ends a line — a `\r` is part
 * of its line, so a record rewritten with CRLF endings fails instead of
 * passing — and a line is decoded as strict UTF-8 (no byte order mark
 * removed, no ill-formed sequence replaced), so that every verifier reads the
 * same text from the same bytes.
 */

/** One line of the file: its bytes (without the `\n`) and whether a `\n` ended it. */
export interface RecordLine {
  readonly bytes: Uint8Array;
  /** False only for a last line that the file does not end with `\n`. */
  readonly terminated: boolean;
}

/** Splits a byte stream into lines (see the module header); memory is one line plus one chunk. */
export async function* splitRecordLines(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<RecordLine> {
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  const take = (tail: Uint8Array): Uint8Array => {
    if (pending.length === 0) return tail;
    const out = new Uint8Array(pendingLength + tail.length);
    let at = 0;
    for (const p of pending) {
      out.set(p, at);
      at += p.length;
    }
    out.set(tail, at);
    pending = [];
    pendingLength = 0;
    return out;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      yield { bytes: take(chunk.subarray(start, nl)), terminated: true };
      start = nl + 1;
    }
    if (start < chunk.length) {
      // Copied: the caller may reuse its chunk buffers.
      const rest = chunk.slice(start);
      pending.push(rest);
      pendingLength += rest.length;
    }
  }
  if (pending.length > 0) yield { bytes: take(new Uint8Array(0)), terminated: false };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of a line, or undefined when its bytes are not well-formed UTF-8. */
export function decodeRecordLine(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}
