/**
 * A bounded hand-off between the verifier's replay (which finds proofs to
 * check, entry after entry) and the verification pool (which reads them as an
 * async iterable and checks them on every core). The producer awaits
 * `waitForRoom` so that memory stays bounded when the pool is slower than the
 * replay; the consumer waits when the queue is empty.
 */

/** A single-producer, single-consumer queue read as an async iterable. */
export class JobQueue<T> implements AsyncIterable<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  #closed = false;
  #wakeConsumer: (() => void) | undefined;
  #wakeProducer: (() => void) | undefined;
  readonly #highWater: number;

  constructor(highWater: number) {
    if (!Number.isSafeInteger(highWater) || highWater < 1) {
      throw new RangeError(`highWater must be a positive integer, got ${highWater}`);
    }
    this.#highWater = highWater;
  }

  /** Items waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    if (this.#closed) throw new Error('JobQueue: push after close');
    this.#items.push(item);
    this.#wake();
  }

  /** Resolves when fewer than the high-water mark are waiting. */
  async waitForRoom(): Promise<void> {
    while (this.length >= this.#highWater) {
      await new Promise<void>((resolve) => (this.#wakeProducer = resolve));
    }
  }

  /** No more items: the iterator ends once the queue is drained. */
  close(): void {
    this.#closed = true;
    this.#wake();
  }

  #wake(): void {
    const w = this.#wakeConsumer;
    this.#wakeConsumer = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.#head < this.#items.length) {
        const item = this.#items[this.#head] as T;
        this.#items[this.#head] = undefined;
        this.#head += 1;
        if (this.#head >= 4096 && this.#head * 2 >= this.#items.length) {
          this.#items = this.#items.slice(this.#head);
          this.#head = 0;
        }
        if (this.length < this.#highWater / 2) {
          const w = this.#wakeProducer;
          this.#wakeProducer = undefined;
          w?.();
        }
        yield item;
      } else if (this.#closed) {
        return;
      } else {
        // The producer may be waiting for room while the queue is empty.
        const w = this.#wakeProducer;
        this.#wakeProducer = undefined;
        w?.();
        await new Promise<void>((resolve) => (this.#wakeConsumer = resolve));
      }
    }
  }
}
