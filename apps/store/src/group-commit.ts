/**
 * Group commit: appends issued concurrently are committed together in one
 * transaction, so that one fsync (SQLite's WAL sync, PostgreSQL's WAL flush)
 * pays for many callers. This is the classic technique of database logs (Gray
 * & Reuter, "Transaction Processing: Concepts and Techniques", 1993, on group
 * commit; PostgreSQL's commit_delay), done here above the database because a
 * board receives ballots as many small independent requests.
 *
 * The queue waits one macrotask (setImmediate) before starting, so that every
 * append made in the same tick joins the first group; while a group is being
 * committed, new appends wait and form the next group. A group is bounded in
 * entries, so one transaction never grows without limit.
 */
import type { AppendRequest, AppendResult } from './types.js';

/** One caller waiting for its append. */
export interface PendingAppend {
  readonly requests: readonly AppendRequest[];
  /** How many claims the requests make (groups without claims need no savepoints). */
  readonly claims: number;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** Commits one group in one transaction and returns one result per member, in order. */
export type CommitGroup = (group: readonly PendingAppend[]) => Promise<AppendResult[]>;

export class GroupCommitQueue {
  readonly #commit: CommitGroup;
  readonly #maxGroupEntries: number;
  #waiting: PendingAppend[] = [];
  #running = false;
  #idle: Promise<void> = Promise.resolve();

  constructor(commit: CommitGroup, maxGroupEntries: number) {
    this.#commit = commit;
    this.#maxGroupEntries = maxGroupEntries;
  }

  /** Queues an append; its promise settles when its group has committed (or failed). */
  submit(requests: readonly AppendRequest[], claims: number): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.#waiting.push({ requests, claims, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        this.#idle = this.#drain();
      }
    });
  }

  /** Resolves once every queued append has settled. */
  idle(): Promise<void> {
    return this.#idle;
  }

  async #drain(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      const group = this.#takeGroup();
      // Checked and cleared in the same synchronous step as submit() tests it,
      // so no append can be left waiting with nobody draining.
      if (group.length === 0) {
        this.#running = false;
        return;
      }
      try {
        const results = await this.#commit(group);
        if (results.length !== group.length) {
          throw new Error(`group commit returned ${results.length} results for ${group.length}`);
        }
        group.forEach((member, i) => member.resolve(results[i]!));
      } catch (error) {
        // Nothing of the group committed: every member learns why.
        for (const member of group) member.reject(error);
      }
    }
  }

  /** Takes waiting appends, in order, up to the entry bound (always at least one). */
  #takeGroup(): PendingAppend[] {
    let entries = 0;
    let n = 0;
    while (n < this.#waiting.length) {
      const size = this.#waiting[n]!.requests.length;
      if (n > 0 && entries + size > this.#maxGroupEntries) break;
      entries += size;
      n++;
    }
    return this.#waiting.splice(0, n);
  }
}
