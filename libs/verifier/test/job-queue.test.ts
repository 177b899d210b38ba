// The bounded hand-off between the verifier's replay and the proof pool:
// items come out in order, the consumer waits for items and ends at close,
// the producer waits while the queue is at its high-water mark and resumes
// once the consumer has drained it to half, and bad bounds are refused.
import { describe, expect, it } from 'vitest';
import { JobQueue } from '../src/job-queue.js';

async function drain<T>(q: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of q) out.push(x);
  return out;
}

describe('JobQueue', () => {
  it('yields every item in order and ends after close', async () => {
    const q = new JobQueue<number>(4);
    const consumed = drain(q);
    for (let i = 0; i < 10_000; i++) {
      q.push(i);
      await q.waitForRoom();
    }
    q.close();
    const out = await consumed;
    expect(out).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
  });

  it('makes the producer wait at the high-water mark until the consumer drains it to half', async () => {
    const q = new JobQueue<number>(8);
    for (let i = 0; i < 8; i++) q.push(i);
    let resumed = false;
    const waiting = q.waitForRoom().then(() => (resumed = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(resumed).toBe(false);
    const it = q[Symbol.asyncIterator]();
    const taken: number[] = [];
    for (let i = 0; i < 4; i++) taken.push((await it.next()).value as number);
    // Still 4 waiting: not below half yet.
    await new Promise((r) => setTimeout(r, 10));
    expect(resumed).toBe(false);
    taken.push((await it.next()).value as number);
    await waiting;
    expect(resumed).toBe(true);
    expect(taken).toEqual([0, 1, 2, 3, 4]);
    expect(q.length).toBe(3);
  });

  it('lets a waiting producer go when the consumer finds the queue empty', async () => {
    const q = new JobQueue<number>(1);
    q.push(1);
    const consumed = drain(q);
    await q.waitForRoom();
    q.close();
    expect(await consumed).toEqual([1]);
  });

  it('refuses a push after close and a bad high-water mark', () => {
    const q = new JobQueue<number>(2);
    q.close();
    expect(() => q.push(1)).toThrow(/after close/);
    expect(() => new JobQueue<number>(0)).toThrow(RangeError);
    expect(() => new JobQueue<number>(1.5)).toThrow(RangeError);
  });
});
