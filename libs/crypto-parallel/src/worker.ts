/**
 * The worker thread of a verification pool (pool.ts): decodes the chunks it
 * is sent (codec.ts) and verifies contests (docs/spec.md §5.5, §5.6) or sums
 * ciphertexts (§4.2) with verify-chunk.ts.
 *
 * This file only ever runs compiled, as dist/worker.js: a worker thread is a
 * fresh Node.js isolate that cannot execute TypeScript (Node 20 has no type
 * stripping, and vitest's transform does not reach into worker threads). For
 * the same reason `@acta/crypto` is imported normally and resolves, through
 * its package exports without the "source" condition, to its compiled dist.
 * Its backend is selected in this thread at load time, from the environment
 * the thread inherited (ACTA_CRYPTO_BACKEND), and reported once.
 */
import { parentPort } from 'node:worker_threads';
import { GroupElement, encodeHex, getCryptoBackend } from '@acta/crypto';
import {
  decodeContestChunk,
  decodeProofContext,
  decodeSumChunk,
  encodeCiphertexts,
} from './codec.js';
import type { ReadyMessage, WorkerMessage, WorkerRequest } from './protocol.js';
import {
  PrecomputedKeyCache,
  admitContestItems,
  decodeEncodedItems,
  sumPieces,
  verifyContestEntries,
} from './verify-chunk.js';

const port = parentPort;
if (port === null) throw new Error('@acta/crypto-parallel: worker.js must run in a worker thread');

const keys = new PrecomputedKeyCache();
/** Election keys of JSON chunks by encoding (decoded once, then resolved to their tables). */
const decodedKeys = new Map<string, GroupElement>();

function resolveKeyBytes(bytes: Uint8Array): GroupElement {
  const hex = encodeHex(bytes);
  let key = decodedKeys.get(hex);
  if (key === undefined) {
    const decoded = GroupElement.decode(bytes, 'publicKey', { allowIdentity: true });
    // The pool encoded a GroupElement: a key that does not decode is a bug there.
    if (!decoded.ok) throw new Error(`a chunk key does not decode: ${decoded.error.message}`);
    if (decodedKeys.size >= 64) decodedKeys.clear();
    key = keys.resolve(decoded.value);
    decodedKeys.set(hex, key);
  }
  return key;
}

function serve(request: WorkerRequest): { message: WorkerMessage; transfer: ArrayBuffer[] } {
  switch (request.type) {
    case 'verify': {
      const items = decodeContestChunk(request.chunk, (k) => keys.resolve(k));
      const result = verifyContestEntries(admitContestItems(items, request.base), request.base);
      return { message: { type: 'verified', id: request.id, result }, transfer: [] };
    }
    case 'verify-json': {
      const n = request.contests.length;
      if (
        request.contexts.length !== n ||
        request.keys.length !== n ||
        request.limits.length !== n
      ) {
        throw new Error('a JSON chunk whose lists differ in length');
      }
      const items = request.contests.map((contest, k) => ({
        context: decodeProofContext(request.contexts[k]!),
        publicKey: resolveKeyBytes(request.keys[k]!),
        contest,
        limit: request.limits[k]!,
      }));
      const result = verifyContestEntries(decodeEncodedItems(items, request.base), request.base);
      return { message: { type: 'verified', id: request.id, result }, transfer: [] };
    }
    case 'sum': {
      const sums = encodeCiphertexts(sumPieces(decodeSumChunk(request.chunk)));
      return { message: { type: 'summed', id: request.id, sums }, transfer: [sums] };
    }
  }
}

port.on('message', (request: WorkerRequest) => {
  let reply: { message: WorkerMessage; transfer: ArrayBuffer[] };
  try {
    reply = serve(request);
  } catch (e: unknown) {
    // A malformed chunk is a bug in the pool: report it for this request and
    // stay alive (the pool rejects the operation with this message).
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    reply = { message: { type: 'failed', id: request.id, message }, transfer: [] };
  }
  port.postMessage(reply.message, reply.transfer);
});

const info = getCryptoBackend();
const ready: ReadyMessage =
  info.error === undefined
    ? { type: 'ready', backend: info.name }
    : { type: 'ready', backend: info.name, error: info.error };
port.postMessage(ready);
