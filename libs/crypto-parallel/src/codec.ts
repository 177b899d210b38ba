/**
 * The binary form of the chunks a verification pool sends to its workers
 * (an internal transport, not a record format: the record formats are the
 * JSON forms of docs/spec.md §5.5). A chunk is one ArrayBuffer, transferred to
 * the worker without a copy. Group elements travel in @acta/crypto's
 * in-process transfer form (GroupElement.writeTransfer: the encoding plus, on
 * the native backend, the flat point), so the worker takes them as they are
 * instead of decoding each again (an inverse square root, about a third of
 * the cost of verifying it); scalars are read with `Scalar.decode`:
 *
 *   contest chunk = header (9 × u32) ‖ elements (ELEMENT_STRIDE B each) ‖ scalars (32 B each)
 *                   ‖ shape (u32 words) ‖ limits (f64 each) ‖ contexts (bytes)
 *   header        = magic "ACP1", contests, keys, contexts, elements, scalars,
 *                   shape words, context bytes, ELEMENT_STRIDE
 *   elements      = the distinct public keys, then per contest, per selection
 *                   α, β, (A_j, B_j)…, then the limit proof's (A_j, B_j)…
 *   scalars       = per contest, per selection c_j…, z_j…, then the limit proof's
 *   shape         = per contest: key index, context index, selections, then
 *                   (#commitments, #challenges, #responses) per proof
 *   limits        = each contest's limit as a float64 (any number: the checks
 *                   reject bad limits exactly as they would in the calling thread)
 *   context       = u32 length ‖ election hash ‖ u8 has-label ‖ [label as a list]
 *   label part    = type byte (HASH_PART_TYPE of docs/spec.md §3.1) ‖ payload:
 *                   bytes/string u32 length ‖ bytes; uint float64; list u32 count ‖ parts
 *
 *   sum chunk     = header (4 × u32: magic "ACP2", pieces, ciphertexts, ELEMENT_STRIDE)
 *                   ‖ ciphertexts per piece (u32 each) ‖ α ‖ β of every ciphertext
 *
 * Proof array lengths are carried as they are, not assumed, so that a
 * misshapen proof fails in the worker with the same error as in the calling
 * thread. All integers are little-endian. Keys and contexts are written once
 * per chunk; contests sharing them share one decoded object in the worker, so
 * the batch still merges the key's terms (docs/spec.md §5.6).
 */
import {
  ELEMENT_LENGTH,
  GroupElement,
  HASH_PART_TYPE,
  SCALAR_LENGTH,
  Scalar,
  type Ciphertext,
  type ContestItem,
  type EncryptedSelection,
  type HashPart,
  type ProofContext,
  type RangeProof,
} from '@acta/crypto';

const CONTEST_CHUNK_MAGIC = 0x31504341; // "ACP1"
const SUM_CHUNK_MAGIC = 0x32504341; // "ACP2"
const CONTEST_HEADER_BYTES = 9 * 4;
/**
 * Bytes per group element in a chunk: the in-process transfer form of
 * @acta/crypto (the encoding, plus the native backend's flat point), so that
 * a worker neither decodes nor re-encodes what the calling thread holds.
 */
const ELEMENT_STRIDE = GroupElement.TRANSFER_LENGTH;
const SUM_HEADER_BYTES = 4 * 4;
/** Bytes of one encoded ciphertext (α ‖ β). */
export const CIPHERTEXT_BYTES = 2 * ELEMENT_LENGTH;
/** Label lists nest at most this deep (a cycle or absurd nesting is a caller bug). */
const MAX_LABEL_DEPTH = 32;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** A malformed chunk: the pool produced it, so it is a bug (never a verification failure). */
function malformed(what: string): RangeError {
  return new RangeError(`malformed chunk: ${what}`);
}

// ---------------------------------------------------------------------------
// Contexts

/** Growable byte output for contexts (small: a hash and a few label parts). */
class ByteSink {
  #buffer = new Uint8Array(128);
  #view = new DataView(this.#buffer.buffer);
  length = 0;

  #reserve(n: number): void {
    if (this.length + n <= this.#buffer.length) return;
    const next = new Uint8Array(Math.max(this.#buffer.length * 2, this.length + n));
    next.set(this.#buffer.subarray(0, this.length));
    this.#buffer = next;
    this.#view = new DataView(next.buffer);
  }

  u8(n: number): void {
    this.#reserve(1);
    this.#view.setUint8(this.length, n);
    this.length += 1;
  }

  u32(n: number): void {
    this.#reserve(4);
    this.#view.setUint32(this.length, n, true);
    this.length += 4;
  }

  f64(n: number): void {
    this.#reserve(8);
    this.#view.setFloat64(this.length, n, true);
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    this.#reserve(b.length);
    this.#buffer.set(b, this.length);
    this.length += b.length;
  }

  finish(): Uint8Array {
    return this.#buffer.slice(0, this.length);
  }
}

function writeLabelPart(sink: ByteSink, part: unknown, depth: number, where: string): void {
  if (part instanceof Uint8Array) {
    sink.u8(HASH_PART_TYPE.bytes);
    sink.u32(part.length);
    sink.bytes(part);
  } else if (typeof part === 'number') {
    if (!Number.isSafeInteger(part) || part < 0) {
      throw new RangeError(`${where}: a label number must be a non-negative safe integer`);
    }
    sink.u8(HASH_PART_TYPE.uint);
    sink.f64(part);
  } else if (typeof part === 'string') {
    // Hashing refuses such strings too (docs/spec.md §10.5); refuse them before sending.
    if (!part.isWellFormed()) {
      throw new RangeError(`${where}: a label string is not well-formed UTF-16`);
    }
    const b = utf8Encoder.encode(part);
    sink.u8(HASH_PART_TYPE.string);
    sink.u32(b.length);
    sink.bytes(b);
  } else if (Array.isArray(part)) {
    if (depth >= MAX_LABEL_DEPTH) {
      throw new RangeError(`${where}: label lists nest deeper than ${MAX_LABEL_DEPTH}`);
    }
    sink.u8(HASH_PART_TYPE.list);
    sink.u32(part.length);
    for (const p of part as readonly unknown[]) writeLabelPart(sink, p, depth + 1, where);
  } else {
    throw new RangeError(
      `${where}: a label part must be a string, a non-negative safe integer, a Uint8Array or an array of those`,
    );
  }
}

/**
 * The binary form of a proof context. Only what survives the trip is
 * accepted: label parts that are strings, non-negative safe integers,
 * Uint8Arrays or arrays of those (a GroupElement or Scalar in a label, or
 * anything else, is a RangeError naming `where`). The election hash is sent
 * whatever its length: the checks report a wrong length as they would here.
 */
export function encodeProofContext(context: ProofContext, where = 'context'): Uint8Array {
  const sink = new ByteSink();
  writeContextTo(sink, context, where);
  return sink.finish();
}

function writeContextTo(sink: ByteSink, context: ProofContext, where: string): void {
  // Typed callers cannot get this wrong; untyped ones (JavaScript) can.
  const hash = (context as { electionHash?: unknown }).electionHash;
  if (!(hash instanceof Uint8Array)) {
    throw new RangeError(`${where}: the election hash must be a Uint8Array`);
  }
  sink.u32(hash.length);
  sink.bytes(hash);
  if (context.label === undefined) {
    sink.u8(0);
  } else {
    if (!Array.isArray(context.label)) throw new RangeError(`${where}: the label must be an array`);
    sink.u8(1);
    writeLabelPart(sink, context.label, 0, where);
  }
}

/**
 * Checks that a context can be sent to a worker (see encodeProofContext);
 * the in-thread path applies the same rule, so both fail alike.
 */
export function checkProofContextTransferable(context: ProofContext, where = 'context'): void {
  writeContextTo(new ByteSink(), context, where);
}

/** Reads little-endian values from a byte range, refusing to run past its end. */
class ByteSource {
  readonly #view: DataView;
  readonly #bytes: Uint8Array;
  offset: number;
  readonly #end: number;

  constructor(bytes: Uint8Array, offset: number, end: number) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
    this.#end = end;
  }

  #take(n: number): number {
    const at = this.offset;
    if (at + n > this.#end) throw malformed('truncated context');
    this.offset += n;
    return at;
  }

  u8(): number {
    return this.#view.getUint8(this.#take(1));
  }

  u32(): number {
    return this.#view.getUint32(this.#take(4), true);
  }

  f64(): number {
    return this.#view.getFloat64(this.#take(8), true);
  }

  bytes(n: number): Uint8Array {
    const at = this.#take(n);
    return this.#bytes.slice(at, at + n);
  }
}

function readLabelPart(src: ByteSource, depth: number): HashPart {
  const type = src.u8();
  switch (type) {
    case HASH_PART_TYPE.bytes:
      return src.bytes(src.u32());
    case HASH_PART_TYPE.uint:
      return src.f64();
    case HASH_PART_TYPE.string:
      return utf8Decoder.decode(src.bytes(src.u32()));
    case HASH_PART_TYPE.list: {
      if (depth >= MAX_LABEL_DEPTH) throw malformed('label nests too deep');
      const n = src.u32();
      const parts: HashPart[] = [];
      for (let i = 0; i < n; i++) parts.push(readLabelPart(src, depth + 1));
      return parts;
    }
    default:
      throw malformed(`unknown label part type ${type}`);
  }
}

function readContext(src: ByteSource): ProofContext {
  const electionHash = src.bytes(src.u32());
  const hasLabel = src.u8();
  if (hasLabel === 0) return { electionHash };
  if (hasLabel !== 1) throw malformed('bad label flag');
  const label = readLabelPart(src, 0);
  if (!Array.isArray(label)) throw malformed('a label is not a list');
  return { electionHash, label };
}

/** Decodes a context written by encodeProofContext. */
export function decodeProofContext(bytes: Uint8Array): ProofContext {
  const src = new ByteSource(bytes, 0, bytes.length);
  const context = readContext(src);
  if (src.offset !== bytes.length) throw malformed('trailing bytes after a context');
  return context;
}

// ---------------------------------------------------------------------------
// Contest chunks

function proofElementCount(proof: RangeProof): number {
  return 2 * proof.commitments.length;
}

function proofScalarCount(proof: RangeProof): number {
  return proof.challenges.length + proof.responses.length;
}

/**
 * Encodes a chunk of contests. `base` is the global index of the first one
 * (it only names jobs in RangeErrors). Throws a RangeError for a context that
 * cannot be sent (see encodeProofContext), before anything is sent.
 */
export function encodeContestChunk(jobs: readonly ContestItem[], base = 0): ArrayBuffer {
  // Pass 1: distinct keys and contexts, and the size of every section.
  const keyIndexByObject = new Map<GroupElement, number>();
  const keyIndexByHex = new Map<string, number>();
  const keys: GroupElement[] = [];
  const contextIndex = new Map<ProofContext, number>();
  const contextBytes: Uint8Array[] = [];
  let contextLength = 0;
  const jobKeys: number[] = [];
  const jobContexts: number[] = [];
  let elements = 0;
  let scalars = 0;
  let shapeWords = 0;
  jobs.forEach((job, k) => {
    let key = keyIndexByObject.get(job.publicKey);
    if (key === undefined) {
      const hex = job.publicKey.toHex();
      key = keyIndexByHex.get(hex);
      if (key === undefined) {
        key = keys.length;
        keys.push(job.publicKey);
        keyIndexByHex.set(hex, key);
      }
      keyIndexByObject.set(job.publicKey, key);
    }
    jobKeys.push(key);
    let ctx = contextIndex.get(job.context);
    if (ctx === undefined) {
      ctx = contextBytes.length;
      const bytes = encodeProofContext(job.context, `job ${base + k}`);
      contextBytes.push(bytes);
      contextLength += bytes.length;
      contextIndex.set(job.context, ctx);
    }
    jobContexts.push(ctx);
    const { selections, limitProof } = job.contest;
    shapeWords += 3 + 3 * selections.length + 3;
    for (const s of selections) {
      elements += 2 + proofElementCount(s.proof);
      scalars += proofScalarCount(s.proof);
    }
    elements += proofElementCount(limitProof);
    scalars += proofScalarCount(limitProof);
  });
  const totalElements = keys.length + elements;

  // Pass 2: write.
  const elementsAt = CONTEST_HEADER_BYTES;
  const scalarsAt = elementsAt + ELEMENT_STRIDE * totalElements;
  const shapeAt = scalarsAt + SCALAR_LENGTH * scalars;
  const limitsAt = shapeAt + 4 * shapeWords;
  const contextsAt = limitsAt + 8 * jobs.length;
  const buffer = new ArrayBuffer(contextsAt + contextLength);
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  const header = [
    CONTEST_CHUNK_MAGIC,
    jobs.length,
    keys.length,
    contextBytes.length,
    totalElements,
    scalars,
    shapeWords,
    contextLength,
    ELEMENT_STRIDE,
  ];
  header.forEach((word, i) => view.setUint32(4 * i, word, true));

  let e = elementsAt;
  const putElement = (x: GroupElement): void => {
    GroupElement.writeTransfer([x], bytes, e);
    e += ELEMENT_STRIDE;
  };
  let s = scalarsAt;
  const putScalar = (x: Scalar): void => {
    bytes.set(x.toBytes(), s);
    s += SCALAR_LENGTH;
  };
  let w = shapeAt;
  const putWord = (n: number): void => {
    view.setUint32(w, n, true);
    w += 4;
  };
  const putProof = (proof: RangeProof): void => {
    for (const c of proof.commitments) {
      putElement(c.a);
      putElement(c.b);
    }
    proof.challenges.forEach(putScalar);
    proof.responses.forEach(putScalar);
  };
  const putProofShape = (proof: RangeProof): void => {
    putWord(proof.commitments.length);
    putWord(proof.challenges.length);
    putWord(proof.responses.length);
  };

  keys.forEach(putElement);
  jobs.forEach((job, k) => {
    const { selections, limitProof } = job.contest;
    putWord(jobKeys[k]!);
    putWord(jobContexts[k]!);
    putWord(selections.length);
    for (const sel of selections) {
      putElement(sel.ciphertext.alpha);
      putElement(sel.ciphertext.beta);
      putProof(sel.proof);
      putProofShape(sel.proof);
    }
    putProof(limitProof);
    putProofShape(limitProof);
    view.setFloat64(limitsAt + 8 * k, job.limit, true);
  });
  let c = contextsAt;
  for (const b of contextBytes) {
    bytes.set(b, c);
    c += b.length;
  }
  return buffer;
}

/**
 * Resolves a decoded public key to the object the chunk's contests will
 * share (the worker's cache of precomputed keys).
 */
export type KeyResolver = (decoded: GroupElement) => GroupElement;

/**
 * Decodes a contest chunk: all elements in one decodeMany call (the identity
 * allowed here: where it is forbidden is decided per contest afterwards, so
 * that it fails that contest, not the chunk), scalars one by one. Anything
 * inconsistent is a malformed chunk (RangeError): the pool wrote it.
 */
export function decodeContestChunk(
  buffer: ArrayBuffer,
  resolveKey: KeyResolver = (k) => k,
): ContestItem[] {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < CONTEST_HEADER_BYTES) throw malformed('shorter than its header');
  const view = new DataView(buffer);
  const word = (i: number): number => view.getUint32(4 * i, true);
  if (word(0) !== CONTEST_CHUNK_MAGIC) throw malformed('not a contest chunk');
  const [jobCount, keyCount, contextCount, elementCount, scalarCount, shapeWords, contextLength] = [
    word(1),
    word(2),
    word(3),
    word(4),
    word(5),
    word(6),
    word(7),
  ];
  if (word(8) !== ELEMENT_STRIDE) throw malformed('written by a thread on another backend');
  const elementsAt = CONTEST_HEADER_BYTES;
  const scalarsAt = elementsAt + ELEMENT_STRIDE * elementCount;
  const shapeAt = scalarsAt + SCALAR_LENGTH * scalarCount;
  const limitsAt = shapeAt + 4 * shapeWords;
  const contextsAt = limitsAt + 8 * jobCount;
  if (contextsAt + contextLength !== bytes.length) throw malformed('section sizes do not add up');
  if (keyCount > elementCount) throw malformed('more keys than elements');

  // Elements the calling thread wrote in transfer form (the identity
  // included: where it is forbidden is decided per contest afterwards, so
  // that it fails that contest, not the chunk).
  const elements = readElements(bytes, elementCount, elementsAt);

  const contextSource = new ByteSource(bytes, contextsAt, bytes.length);
  const contexts: ProofContext[] = [];
  for (let i = 0; i < contextCount; i++) contexts.push(readContext(contextSource));
  if (contextSource.offset !== bytes.length) throw malformed('trailing context bytes');
  const keys = elements.slice(0, keyCount).map(resolveKey);

  let e = keyCount;
  const nextElement = (): GroupElement => {
    const x = elements[e++];
    if (x === undefined) throw malformed('elements run out');
    return x;
  };
  let s = 0;
  const nextScalar = (): Scalar => {
    if (s >= scalarCount) throw malformed('scalars run out');
    const at = scalarsAt + SCALAR_LENGTH * s++;
    const r = Scalar.decode(bytes.subarray(at, at + SCALAR_LENGTH), 'chunk.scalars');
    if (!r.ok) throw malformed(`a scalar does not decode (${r.error.message})`);
    return r.value;
  };
  let w = 0;
  const nextWord = (): number => {
    if (w >= shapeWords) throw malformed('shape words run out');
    return view.getUint32(shapeAt + 4 * w++, true);
  };
  // The shape is read before the elements and scalars it describes, so that a
  // corrupt count cannot make us allocate more than the chunk holds.
  const nextProof = (): RangeProof => {
    const [nc, nch, nr] = [nextWord(), nextWord(), nextWord()];
    if (2 * nc > elementCount - e || nch + nr > scalarCount - s) {
      throw malformed('a proof is larger than the chunk');
    }
    const commitments = Array.from({ length: nc }, () => ({ a: nextElement(), b: nextElement() }));
    const challenges = Array.from({ length: nch }, nextScalar);
    const responses = Array.from({ length: nr }, nextScalar);
    return { commitments, challenges, responses };
  };

  const items: ContestItem[] = [];
  for (let k = 0; k < jobCount; k++) {
    const publicKey = keys[nextWord()];
    const context = contexts[nextWord()];
    if (publicKey === undefined || context === undefined) throw malformed('bad key or context');
    const n = nextWord();
    if (2 * n > elementCount - e) throw malformed('more selections than the chunk holds');
    const selections: EncryptedSelection[] = [];
    for (let i = 0; i < n; i++) {
      const ciphertext: Ciphertext = { alpha: nextElement(), beta: nextElement() };
      selections.push({ ciphertext, proof: nextProof() });
    }
    const limitProof = nextProof();
    const limit = view.getFloat64(limitsAt + 8 * k, true);
    items.push({ context, publicKey, contest: { selections, limitProof }, limit });
  }
  if (e !== elementCount || s !== scalarCount || w !== shapeWords) {
    throw malformed('unused elements, scalars or shape words');
  }
  return items;
}

// ---------------------------------------------------------------------------
// Ciphertext sum chunks

/** Encodes pieces of ciphertexts to sum (one sum per piece). */
export function encodeSumChunk(pieces: readonly (readonly Ciphertext[])[]): ArrayBuffer {
  let total = 0;
  for (const p of pieces) total += p.length;
  const countsAt = SUM_HEADER_BYTES;
  const elementsAt = countsAt + 4 * pieces.length;
  const buffer = new ArrayBuffer(elementsAt + 2 * ELEMENT_STRIDE * total);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  view.setUint32(0, SUM_CHUNK_MAGIC, true);
  view.setUint32(4, pieces.length, true);
  view.setUint32(8, total, true);
  view.setUint32(12, ELEMENT_STRIDE, true);
  let at = elementsAt;
  pieces.forEach((piece, i) => {
    view.setUint32(countsAt + 4 * i, piece.length, true);
    for (const c of piece) {
      GroupElement.writeTransfer([c.alpha, c.beta], bytes, at);
      at += 2 * ELEMENT_STRIDE;
    }
  });
  return buffer;
}

/** Decodes a sum chunk: its pieces of ciphertexts (elements in transfer form). */
export function decodeSumChunk(buffer: ArrayBuffer): Ciphertext[][] {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < SUM_HEADER_BYTES) throw malformed('shorter than its header');
  const view = new DataView(buffer);
  if (view.getUint32(0, true) !== SUM_CHUNK_MAGIC) throw malformed('not a sum chunk');
  const pieceCount = view.getUint32(4, true);
  const total = view.getUint32(8, true);
  if (view.getUint32(12, true) !== ELEMENT_STRIDE) {
    throw malformed('written by a thread on another backend');
  }
  const countsAt = SUM_HEADER_BYTES;
  const elementsAt = countsAt + 4 * pieceCount;
  if (elementsAt + 2 * ELEMENT_STRIDE * total !== bytes.length) {
    throw malformed('section sizes do not add up');
  }
  const elements = readElements(bytes, 2 * total, elementsAt);
  const pieces: Ciphertext[][] = [];
  let next = 0;
  for (let i = 0; i < pieceCount; i++) {
    const n = view.getUint32(countsAt + 4 * i, true);
    if (n > total - next) throw malformed('piece counts exceed the ciphertexts');
    const piece: Ciphertext[] = [];
    for (let j = 0; j < n; j++, next++) {
      piece.push({ alpha: elements[2 * next]!, beta: elements[2 * next + 1]! });
    }
    pieces.push(piece);
  }
  if (next !== total) throw malformed('piece counts do not add up');
  return pieces;
}

/** Encodes ciphertexts back to back (α ‖ β each): the sums a worker returns. */
export function encodeCiphertexts(ciphertexts: readonly Ciphertext[]): ArrayBuffer {
  const buffer = new ArrayBuffer(CIPHERTEXT_BYTES * ciphertexts.length);
  const bytes = new Uint8Array(buffer);
  ciphertexts.forEach((c, i) => {
    bytes.set(c.alpha.toBytes(), CIPHERTEXT_BYTES * i);
    bytes.set(c.beta.toBytes(), CIPHERTEXT_BYTES * i + ELEMENT_LENGTH);
  });
  return buffer;
}

/** Decodes ciphertexts written by encodeCiphertexts (identity allowed, as for any sum). */
export function decodeCiphertexts(buffer: ArrayBuffer): Ciphertext[] {
  const bytes = new Uint8Array(buffer);
  if (bytes.length % CIPHERTEXT_BYTES !== 0) throw malformed('not a whole number of ciphertexts');
  const n = bytes.length / CIPHERTEXT_BYTES;
  const elements = decodeElementsOrThrow(bytes, 2 * n);
  return Array.from({ length: n }, (_, i) => ({
    alpha: elements[2 * i]!,
    beta: elements[2 * i + 1]!,
  }));
}

/** Elements in transfer form; a failure is a malformed chunk (the pool wrote it). */
function readElements(bytes: Uint8Array, n: number, offset: number): GroupElement[] {
  try {
    return GroupElement.readTransfer(bytes, n, offset);
  } catch (e) {
    throw malformed(`an element does not decode (${e instanceof Error ? e.message : String(e)})`);
  }
}

function decodeElementsOrThrow(bytes: Uint8Array, n: number): GroupElement[] {
  const encodings = Array.from({ length: n }, (_, i) =>
    bytes.subarray(ELEMENT_LENGTH * i, ELEMENT_LENGTH * (i + 1)),
  );
  const decoded = GroupElement.decodeMany(encodings, () => 'chunk.ciphertexts', {
    allowIdentity: true,
  });
  if (!decoded.ok) throw malformed(`an element does not decode (${decoded.error.message})`);
  return decoded.value;
}
