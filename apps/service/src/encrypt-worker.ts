/**
 * The thread of a simulated voting device's encryption (encrypt-pool.ts):
 * receives prepared ballots, answers their encryptions. In a real election
 * each device is its own machine; in a simulation on one machine, encrypting
 * on another core lets the board check ballots at the same time.
 */
import { parentPort } from 'node:worker_threads';
import { encryptBallotRequest, type BallotRequest } from '@acta/protocol';

if (parentPort === null) throw new Error('encrypt-worker.js runs as a worker thread');
const port = parentPort;
port.on('message', (message: { readonly id: number; readonly request: BallotRequest }) => {
  try {
    port.postMessage({ id: message.id, encryption: encryptBallotRequest(message.request) });
  } catch (e) {
    port.postMessage({ id: message.id, error: e instanceof Error ? e.message : String(e) });
  }
});
