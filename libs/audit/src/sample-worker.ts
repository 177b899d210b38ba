/**
 * The worker thread of drawArloSampleParallel (parallel-sample.ts): given one
 * slice of a manifest as its workerData, it posts the smallest first tickets
 * of the slice (Rivest's consistent sampler as Arlo uses it;
 * selectArloFirstTickets in arlo-sample.ts) and ends.
 *
 * This file only ever runs compiled, as dist/sample-worker.js: a worker thread
 * is a fresh Node.js isolate that cannot execute TypeScript (Node 20 has no
 * type stripping, and vitest's transform does not reach into worker threads).
 * It imports nothing heavier than node:crypto and @noble/hashes (not
 * @acta/crypto, whose loading takes 160 ms), so that a worker starts in
 * tens of milliseconds.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { selectSliceTickets, type SampleSliceJob } from './parallel-sample.js';

const port = parentPort;
if (port === null) throw new Error('@acta/audit: sample-worker.js must run in a worker thread');
// The job comes from parallel-sample.ts, which built it from a checked manifest.
port.postMessage(selectSliceTickets(workerData as SampleSliceJob));
