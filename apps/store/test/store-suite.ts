// The behavioural suite of BoardStore, run unchanged against every dialect
// (sqlite.test.ts, postgres.test.ts): whatever a caller can observe must be
// the same on SQLite and on PostgreSQL.
import { afterEach, describe, expect, it } from 'vitest';
import {
  SCHEMA_VERSION_KEY,
  STORE_LIMITS,
  StoreError,
  type AppendRequest,
  type AppendResult,
  type BoardStore,
} from '../src/index.js';
import {
  collect,
  concatBytes,
  countingClock,
  entry,
  leafHashOf,
  payloadOf,
  readAll,
  sameBytes,
  tagOf,
} from './helpers.js';

export interface StoreHarness {
  readonly dialect: 'sqlite' | 'postgres';
  /** A new, empty location (a file path or a schema name). */
  fresh(): Promise<string>;
  open(location: string, options?: { now?: () => number }): Promise<BoardStore>;
  /** Overwrites the schema version row behind the store's back. */
  writeSchemaVersion(location: string, value: string): Promise<void>;
  /** Whether two stores of this process may append to one location at the same time. */
  readonly concurrentWriters: boolean;
}

function expectOk(result: AppendResult): { first: number; count: number } {
  if (!result.ok) throw new Error(`append refused: ${result.error.message}`);
  return result.value;
}

function expectRefused(result: AppendResult, code: string, where?: string): StoreError {
  if (result.ok) throw new Error(`append accepted, expected ${code}`);
  expect(result.error).toBeInstanceOf(StoreError);
  expect(result.error.code).toBe(code);
  if (where !== undefined) expect(result.error.where).toBe(where);
  return result.error;
}

async function expectRejected(promise: Promise<unknown>, code: string): Promise<StoreError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe(code);
  return error as StoreError;
}

/** What a store shows from outside, to prove a refusal changed nothing. */
async function snapshot(store: BoardStore): Promise<unknown> {
  return {
    size: await store.size(),
    counts: await store.countByKind(),
    entries: (await readAll(store)).map((e) => [e.index, e.kind, tagOf(e)]),
    mesa: (await store.findByKey('mesa', '0101001.01')).map((e) => e.index),
  };
}

export function describeStoreSuite(name: string, h: StoreHarness): void {
  describe(name, () => {
    const opened: BoardStore[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    async function openFresh(options?: {
      now?: () => number;
    }): Promise<{ store: BoardStore; location: string }> {
      const location = await h.fresh();
      const store = await h.open(location, options);
      opened.push(store);
      return { store, location };
    }

    async function reopen(location: string, options?: { now?: () => number }): Promise<BoardStore> {
      const store = await h.open(location, options);
      opened.push(store);
      return store;
    }

    it('is empty when new', async () => {
      const { store } = await openFresh();
      expect(store.dialect).toBe(h.dialect);
      expect(await store.size()).toBe(0);
      expect(await store.get(0)).toBeUndefined();
      expect(await store.range(0, 10)).toEqual([]);
      expect((await store.leafHashes(0, 10)).length).toBe(0);
      expect(await collect(store.entries())).toEqual([]);
      expect(await store.findByKey('mesa', 'x')).toEqual([]);
      expect(await store.findClaim('scope', 'key')).toBeUndefined();
      expect(await store.countByKind()).toEqual({});
      expect(await store.latestTreeHead()).toBeUndefined();
      expect(await store.treeHeads()).toEqual([]);
      expect(await store.getMeta('election')).toBeUndefined();
      expect(await store.getMeta(SCHEMA_VERSION_KEY)).toBe('1');
    });

    it('appends at consecutive indices and reads back every field', async () => {
      const clock = countingClock();
      const { store } = await openFresh({ now: clock.now });
      const first = [
        entry('a', { kind: 'checkin', keys: [{ name: 'mesa', value: '0101001.01' }] }),
        entry('b', { keys: [{ name: 'mesa', value: '0101001.01' }] }),
        entry('c', { extra: 300 }),
      ];
      expect(expectOk(await store.append(first))).toEqual({ first: 0, count: 3 });
      const second = [
        entry('d', { kind: 'acta' }),
        entry('e', { keys: [{ name: 'mesa', value: '0101001.01' }] }),
      ];
      expect(expectOk(await store.append(second))).toEqual({ first: 3, count: 2 });
      expect(await store.size()).toBe(5);

      const all = [...first, ...second];
      for (let i = 0; i < all.length; i++) {
        const got = await store.get(i);
        expect(got).toEqual({
          index: i,
          kind: all[i]!.kind,
          payload: all[i]!.payload,
          leafHash: all[i]!.leafHash,
          storedAt: i < 3 ? 1_700_000_000_000 : 1_700_000_000_001,
        });
        expect(got!.payload).toBeInstanceOf(Uint8Array);
      }
      expect(await store.get(5)).toBeUndefined();
      expect((await store.range(1, 4)).map(tagOf)).toEqual(['b', 'c', 'd']);
      expect((await store.range(3, 100)).map((e) => e.index)).toEqual([3, 4]);
      expect(await store.range(2, 2)).toEqual([]);
      expect(await store.leafHashes(1, 4)).toEqual(
        concatBytes(all.slice(1, 4).map((r) => r.leafHash)),
      );
      expect(await store.leafHashes(0, 50)).toEqual(concatBytes(all.map((r) => r.leafHash)));
      expect(await store.countByKind()).toEqual({ acta: 1, ballot: 3, checkin: 1 });

      expect((await store.findByKey('mesa', '0101001.01')).map((e) => e.index)).toEqual([0, 1, 4]);
      expect((await store.findByKey('mesa', '0101001.01', 'ballot')).map((e) => e.index)).toEqual([
        1, 4,
      ]);
      expect(
        (await store.findByKey('mesa', '0101001.01', undefined, { from: 1, limit: 1 })).map(
          (e) => e.index,
        ),
      ).toEqual([1]);
      expect(await store.findByKey('mesa', '0101001.02')).toEqual([]);
      expect(await store.findByKey('centro', '0101001.01')).toEqual([]);
    });

    it('streams entries in index order, by page, from an index and by kind', async () => {
      const { store } = await openFresh();
      const requests = Array.from({ length: 25 }, (_, i) =>
        entry(`e${i}`, { kind: i % 3 === 0 ? 'checkin' : 'ballot' }),
      );
      expectOk(await store.append(requests));
      for (const batch of [1, 2, 7, 25, 1000]) {
        expect((await collect(store.entries({ batch }))).map(tagOf)).toEqual(
          requests.map((_, i) => `e${i}`),
        );
      }
      expect((await collect(store.entries({ from: 20, batch: 3 }))).map((e) => e.index)).toEqual([
        20, 21, 22, 23, 24,
      ]);
      expect(await collect(store.entries({ from: 25 }))).toEqual([]);
      expect(
        (await collect(store.entries({ kind: 'checkin', batch: 2 }))).map((e) => e.index),
      ).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24]);
      expect(
        (await collect(store.entries({ kind: 'checkin', from: 10 }))).map((e) => e.index),
      ).toEqual([12, 15, 18, 21, 24]);
      // The stream ends at the size the log had when it started.
      const seen: number[] = [];
      for await (const e of store.entries({ batch: 10 })) {
        if (e.index === 0) expectOk(await store.append([entry('late')]));
        seen.push(e.index);
      }
      expect(seen).toEqual(requests.map((_, i) => i));
      expect(await store.size()).toBe(26);
    });

    it('stores bytes exactly and owns its copies', async () => {
      const { store } = await openFresh();
      const every = Uint8Array.from({ length: 256 }, (_, i) => i);
      const max = new Uint8Array(STORE_LIMITS.maxPayloadBytes).map((_, i) => (i * 7) & 0xff);
      const requests: AppendRequest[] = [every, new Uint8Array(0), max].map((payload) => ({
        kind: 'blob',
        payload,
        leafHash: leafHashOf(payload),
      }));
      expectOk(await store.append(requests));
      // The caller's buffers are the caller's: changing them now changes nothing stored.
      every[0] = 99;
      const got = await store.range(0, 3);
      expect(got[0]!.payload).toEqual(Uint8Array.from({ length: 256 }, (_, i) => i));
      expect(got[1]!.payload).toEqual(new Uint8Array(0));
      expect(got[2]!.payload).toBeInstanceOf(Uint8Array);
      expect(sameBytes(got[2]!.payload, max)).toBe(true);
      expect(sameBytes(got[2]!.leafHash, leafHashOf(max))).toBe(true);
      // Nor does changing what a read returned.
      got[0]!.payload[1] = 77;
      expect((await store.get(0))!.payload[1]).toBe(1);
    });

    it('enforces unique claims with the holder named, and a refusal changes nothing', async () => {
      const { store } = await openFresh();
      const scope = 'checkin/election-1';
      expectOk(
        await store.append([
          entry('v1', { kind: 'checkin', claims: [{ scope, key: 'cred-1' }] }),
          entry('v2', { kind: 'checkin', claims: [{ scope, key: 'cred-2' }] }),
        ]),
      );
      expect(await store.findClaim(scope, 'cred-1')).toBe(0);
      expect(await store.findClaim(scope, 'cred-2')).toBe(1);
      const before = await snapshot(store);

      // The second request's claim is taken: nothing of this append is stored,
      // not even the first entry or its fresh claim and key.
      const refused = await store.append([
        entry('v3', {
          kind: 'checkin',
          claims: [{ scope, key: 'cred-3' }],
          keys: [{ name: 'mesa', value: '0101001.01' }],
        }),
        entry('v2 again', {
          kind: 'checkin',
          claims: [
            { scope: 'other', key: 'x' },
            { scope, key: 'cred-2' },
          ],
        }),
      ]);
      const error = expectRefused(refused, 'CLAIM_TAKEN', 'requests[1].claims[1]');
      expect(error.holder).toBe(1);
      expect(error.claim).toEqual({ scope, key: 'cred-2' });
      expect(error.message).toContain('cred-2');
      expect(error.message).toContain('entry 1');
      expect(await snapshot(store)).toEqual(before);
      expect(await store.findClaim(scope, 'cred-3')).toBeUndefined();
      expect(await store.findClaim('other', 'x')).toBeUndefined();

      // The same key in another scope is another claim.
      expect(
        expectOk(
          await store.append([
            entry('v2 elsewhere', { claims: [{ scope: 'checkin/election-2', key: 'cred-2' }] }),
          ]),
        ),
      ).toEqual({ first: 2, count: 1 });
      // Two entries of one call claiming the same thing is a malformed request.
      expectRefused(
        await store.append([
          entry('x', { claims: [{ scope, key: 'cred-9' }] }),
          entry('y', { claims: [{ scope, key: 'cred-9' }] }),
        ]),
        'INVALID_REQUEST',
        'requests[1].claims[0]',
      );
      expect(await store.findClaim(scope, 'cred-9')).toBeUndefined();
      expect(await store.size()).toBe(3);
    });

    it('refuses malformed requests before touching the database', async () => {
      const { store } = await openFresh();
      expectOk(
        await store.append([entry('seed', { keys: [{ name: 'mesa', value: '0101001.01' }] })]),
      );
      const before = await snapshot(store);
      const good = entry('good');
      const long = 'x'.repeat(257);
      const cases: [unknown, string][] = [
        [[], 'requests'],
        [{}, 'requests'],
        [[null], 'requests[0]'],
        [[{ ...good, kind: '' }], 'requests[0].kind'],
        [[{ ...good, kind: 'Ballot' }], 'requests[0].kind'],
        [[{ ...good, kind: 'a b' }], 'requests[0].kind'],
        [[{ ...good, kind: '1ballot' }], 'requests[0].kind'],
        [[{ ...good, kind: 'a'.repeat(65) }], 'requests[0].kind'],
        [[{ ...good, kind: '__proto__' }], 'requests[0].kind'],
        [[good, { ...good, payload: 'bytes' }], 'requests[1].payload'],
        [
          [{ ...good, payload: new Uint8Array(STORE_LIMITS.maxPayloadBytes + 1) }],
          'requests[0].payload',
        ],
        [[{ ...good, leafHash: new Uint8Array(31) }], 'requests[0].leafHash'],
        [[{ ...good, leafHash: new Uint8Array(33) }], 'requests[0].leafHash'],
        [[{ ...good, leafHash: undefined }], 'requests[0].leafHash'],
        [[{ ...good, keys: 'mesa' }], 'requests[0].keys'],
        [[{ ...good, keys: [{ name: '', value: 'v' }] }], 'requests[0].keys[0].name'],
        [[{ ...good, keys: [{ name: 'mesa', value: long }] }], 'requests[0].keys[0].value'],
        [[{ ...good, keys: [{ name: 'mesa', value: 'a\u0000b' }] }], 'requests[0].keys[0].value'],
        [[{ ...good, keys: [{ name: 'mesa', value: 'a\ud800' }] }], 'requests[0].keys[0].value'],
        [[{ ...good, keys: [{ name: 'mesa', value: 7 }] }], 'requests[0].keys[0].value'],
        [
          [
            {
              ...good,
              keys: [
                { name: 'm', value: 'v' },
                { name: 'm', value: 'v' },
              ],
            },
          ],
          'requests[0].keys[1]',
        ],
        [
          [{ ...good, keys: Array.from({ length: 33 }, (_, i) => ({ name: 'k', value: `${i}` })) }],
          'requests[0].keys',
        ],
        [[{ ...good, claims: [{ scope: 's', key: long }] }], 'requests[0].claims[0].key'],
        [[{ ...good, claims: [{ scope: 's' }] }], 'requests[0].claims[0].key'],
        [
          [{ ...good, claims: Array.from({ length: 9 }, (_, i) => ({ scope: 's', key: `${i}` })) }],
          'requests[0].claims',
        ],
        [Array.from({ length: STORE_LIMITS.maxEntriesPerAppend + 1 }, () => good), 'requests'],
      ];
      for (const [requests, where] of cases) {
        const result = await store.append(requests as AppendRequest[]);
        expectRefused(result, 'INVALID_REQUEST', where);
      }
      // At the limits exactly, the same shapes are accepted.
      expectOk(
        await store.append([
          {
            ...good,
            kind: 'a'.repeat(64),
            keys: [{ name: 'n'.repeat(256), value: 'ñ'.repeat(256) }],
            claims: Array.from({ length: 8 }, (_, i) => ({ scope: 's'.repeat(256), key: `${i}` })),
          },
        ]),
      );
      expect(await store.size()).toBe(2);
      expect(await store.findByKey('n'.repeat(256), 'ñ'.repeat(256))).toHaveLength(1);
      expect(await snapshot(store)).not.toEqual(before);
    });

    it('appends 10,000 entries in one call and streams them back', async () => {
      const { store } = await openFresh();
      const requests = Array.from({ length: 10_000 }, (_, i) =>
        entry(`big-${i}`, {
          kind: i % 2 === 0 ? 'ballot' : 'checkin',
          keys: [{ name: 'mesa', value: `m${i % 10}` }],
          claims: i % 2 === 1 ? [{ scope: 'checkin/e', key: `c${i}` }] : [],
          extra: 100,
        }),
      );
      expect(expectOk(await store.append(requests))).toEqual({ first: 0, count: 10_000 });
      expectOk(await store.append([entry('after')]));
      expect(await store.size()).toBe(10_001);
      expect(await store.countByKind()).toEqual({ ballot: 5001, checkin: 5000 });
      const hashes = await store.leafHashes(0, 10_000);
      expect(sameBytes(hashes, concatBytes(requests.map((r) => r.leafHash)))).toBe(true);
      let n = 0;
      let mismatches = 0;
      for await (const e of store.entries({ batch: 999 })) {
        const want = n < 10_000 ? requests[n]! : entry('after');
        if (
          e.index !== n ||
          !sameBytes(e.payload, want.payload) ||
          !sameBytes(e.leafHash, want.leafHash)
        ) {
          mismatches++;
        }
        n++;
      }
      expect(n).toBe(10_001);
      expect(mismatches).toBe(0);
      expect((await store.findByKey('mesa', 'm3')).map((e) => e.index)).toEqual(
        Array.from({ length: 1000 }, (_, i) => i * 10 + 3),
      );
      expect(await store.findClaim('checkin/e', 'c9999')).toBe(9999);

      // A refused batch of 10,000: the holder is found past the first lookups.
      const clash = Array.from({ length: 10_000 }, (_, i) =>
        entry(`clash-${i}`, {
          claims: [{ scope: 'checkin/e', key: i === 9999 ? 'c9999' : `n${i}` }],
        }),
      );
      const refused = await store.append(clash);
      expect(refused.ok ? undefined : [refused.error.where, refused.error.holder]).toEqual([
        'requests[9999].claims[0]',
        9999,
      ]);
      expect(await store.size()).toBe(10_001);
      expect(await store.findClaim('checkin/e', 'n0')).toBeUndefined();
    });

    it('commits concurrent appends together, in call order, each with its own result', async () => {
      const clock = countingClock();
      const { store } = await openFresh({ now: clock.now });
      expectOk(await store.append([entry('genesis', { kind: 'manifest' })]));
      expect(clock.calls()).toBe(1);

      const calls = Array.from({ length: 200 }, (_, c) =>
        Array.from({ length: (c % 3) + 1 }, (_, j) =>
          entry(`c${c}.${j}`, { keys: [{ name: 'caller', value: `${c}` }] }),
        ),
      );
      const results = await Promise.all(calls.map((requests) => store.append(requests)));
      // All 200 calls were made in one tick: one transaction, one clock reading.
      expect(clock.calls()).toBe(2);
      let next = 1;
      results.forEach((result, c) => {
        expect(expectOk(result)).toEqual({ first: next, count: calls[c]!.length });
        next += calls[c]!.length;
      });
      const all = await readAll(store);
      expect(all.map((e) => e.index)).toEqual(Array.from({ length: next }, (_, i) => i));
      results.forEach((result, c) => {
        const { first, count } = expectOk(result);
        expect(all.slice(first, first + count).map(tagOf)).toEqual(
          calls[c]!.map((_, j) => `c${c}.${j}`),
        );
      });
      expect((await store.findByKey('caller', '7')).map(tagOf)).toEqual(['c7.0', 'c7.1']);
    });

    it('fails only the callers whose claims are taken, the rest of the group commits', async () => {
      const clock = countingClock();
      const { store } = await openFresh({ now: clock.now });
      const scope = 'checkin/e1';
      expectOk(
        await store.append([entry('old', { kind: 'checkin', claims: [{ scope, key: 'taken' }] })]),
      );

      const calls: AppendRequest[][] = Array.from({ length: 40 }, (_, c) => [
        entry(`ok${c}`, { kind: 'checkin', claims: [{ scope, key: `v${c}` }] }),
      ]);
      calls[5] = [entry('dup-old', { kind: 'checkin', claims: [{ scope, key: 'taken' }] })];
      calls[12] = [entry('first-new', { kind: 'checkin', claims: [{ scope, key: 'contested' }] })];
      calls[13] = [entry('plain', { kind: 'ballot' }), entry('plain2', { kind: 'ballot' })];
      calls[30] = [
        entry('second-new', { kind: 'checkin', claims: [{ scope, key: 'free' }] }),
        entry('second-new-b', { kind: 'checkin', claims: [{ scope, key: 'contested' }] }),
      ];
      const results = await Promise.all(calls.map((requests) => store.append(requests)));
      expect(clock.calls()).toBe(2); // the whole group, refusals included, was one transaction

      const e5 = expectRefused(results[5]!, 'CLAIM_TAKEN', 'requests[0].claims[0]');
      expect(e5.holder).toBe(0);
      const firstNew = expectOk(results[12]!).first;
      const e30 = expectRefused(results[30]!, 'CLAIM_TAKEN', 'requests[1].claims[0]');
      expect(e30.holder).toBe(firstNew);
      expect(await store.findClaim(scope, 'contested')).toBe(firstNew);
      expect(await store.findClaim(scope, 'free')).toBeUndefined();

      let next = 1;
      results.forEach((result, c) => {
        if (c === 5 || c === 30) return;
        expect(expectOk(result)).toEqual({ first: next, count: calls[c]!.length });
        next += calls[c]!.length;
      });
      const all = await readAll(store);
      expect(all.map((e) => e.index)).toEqual(Array.from({ length: next }, (_, i) => i));
      expect(all.map(tagOf)).not.toContain('dup-old');
      expect(all.map(tagOf)).not.toContain('second-new');
      expect(await store.countByKind()).toEqual({ ballot: 2, checkin: next - 2 });
    });

    it('bounds a group: very large concurrent appends are split into several transactions', async () => {
      const clock = countingClock();
      const { store } = await openFresh({ now: clock.now });
      const calls = [0, 1, 2].map((c) =>
        Array.from({ length: 6000 }, (_, i) => entry(`g${c}-${i}`)),
      );
      const results = await Promise.all(calls.map((requests) => store.append(requests)));
      expect(results.map((r) => expectOk(r).first)).toEqual([0, 6000, 12000]);
      expect(clock.calls()).toBe(3);
      expect(await store.size()).toBe(18_000);
      expect((await store.range(11_999, 12_001)).map(tagOf)).toEqual(['g1-5999', 'g2-0']);
    });

    it('keeps the history of signed tree heads, never beyond the log nor backwards', async () => {
      const { store } = await openFresh();
      await store.putTreeHead({ treeSize: 0, json: '{"tree_size":0}' });
      expectOk(await store.append([entry('a'), entry('b'), entry('c')]));
      await store.putTreeHead({ treeSize: 2, json: '{"tree_size":2}' });
      await store.putTreeHead({ treeSize: 3, json: '{"tree_size":3}' });
      await store.putTreeHead({ treeSize: 3, json: '{"tree_size":3,"timestamp":2}' });
      expect(
        (await expectRejected(store.putTreeHead({ treeSize: 4, json: '{}' }), 'INVALID_REQUEST'))
          .where,
      ).toBe('head.treeSize');
      await expectRejected(store.putTreeHead({ treeSize: 2, json: '{}' }), 'INVALID_REQUEST');
      await expectRejected(store.putTreeHead({ treeSize: -1, json: '{}' }), 'INVALID_REQUEST');
      await expectRejected(store.putTreeHead({ treeSize: 3, json: 'not json' }), 'INVALID_REQUEST');
      await expectRejected(store.putTreeHead({ treeSize: 3, json: '[1]' }), 'INVALID_REQUEST');
      expect(await store.latestTreeHead()).toEqual({
        treeSize: 3,
        json: '{"tree_size":3,"timestamp":2}',
      });
      expect(await store.treeHeads()).toEqual([
        { treeSize: 0, json: '{"tree_size":0}' },
        { treeSize: 2, json: '{"tree_size":2}' },
        { treeSize: 3, json: '{"tree_size":3}' },
        { treeSize: 3, json: '{"tree_size":3,"timestamp":2}' },
      ]);
    });

    it('keeps metadata, and refuses the keys the store keeps for itself', async () => {
      const { store } = await openFresh();
      await store.setMeta('election', '{"id":"ve2024"}');
      await store.setMeta('empty', '');
      await store.setMeta('election', '{"id":"ve2024","v":2}');
      expect(await store.getMeta('election')).toBe('{"id":"ve2024","v":2}');
      expect(await store.getMeta('empty')).toBe('');
      await expectRejected(store.setMeta(SCHEMA_VERSION_KEY, '2'), 'INVALID_REQUEST');
      await expectRejected(store.setMeta('', 'x'), 'INVALID_REQUEST');
      await expectRejected(store.setMeta('k', 'a\u0000'), 'INVALID_REQUEST');
      expect(await store.getMeta(SCHEMA_VERSION_KEY)).toBe('1');
    });

    it('rejects malformed read arguments', async () => {
      const { store } = await openFresh();
      await expectRejected(store.get(-1), 'INVALID_REQUEST');
      await expectRejected(store.get(1.5), 'INVALID_REQUEST');
      await expectRejected(store.get(Number.NaN), 'INVALID_REQUEST');
      await expectRejected(store.range(5, 2), 'INVALID_REQUEST');
      await expectRejected(store.range(0, STORE_LIMITS.maxRange + 1), 'INVALID_REQUEST');
      await expectRejected(store.leafHashes(0, STORE_LIMITS.maxLeafHashes + 1), 'INVALID_REQUEST');
      await expectRejected(store.findByKey('', 'x'), 'INVALID_REQUEST');
      await expectRejected(store.findByKey('mesa', 'x', 'Bad Kind'), 'INVALID_REQUEST');
      await expectRejected(
        store.findByKey('mesa', 'x', undefined, { limit: 0 }),
        'INVALID_REQUEST',
      );
      await expectRejected(store.findClaim('s', 'x'.repeat(257)), 'INVALID_REQUEST');
      await expectRejected(collect(store.entries({ batch: 0 })), 'INVALID_REQUEST');
      await expectRejected(collect(store.entries({ from: -1 })), 'INVALID_REQUEST');
      await expectRejected(store.getMeta('a\ud800'), 'INVALID_REQUEST');
      expect(await store.range(0, STORE_LIMITS.maxRange)).toEqual([]);
    });

    it('persists everything across close and reopen', async () => {
      const { store, location } = await openFresh({ now: () => 42 });
      expectOk(
        await store.append([
          entry('p0', {
            kind: 'checkin',
            claims: [{ scope: 's', key: 'k0' }],
            keys: [{ name: 'mesa', value: 'm' }],
          }),
          entry('p1', { keys: [{ name: 'mesa', value: 'm' }] }),
        ]),
      );
      await store.putTreeHead({ treeSize: 2, json: '{"n":2}' });
      await store.setMeta('election', 'e1');
      await store.close();
      await store.close(); // closing twice is harmless

      const again = await reopen(location, { now: () => 43 });
      expect(await again.size()).toBe(2);
      expect(await again.get(0)).toEqual({
        index: 0,
        kind: 'checkin',
        payload: payloadOf('p0'),
        leafHash: leafHashOf(payloadOf('p0')),
        storedAt: 42,
      });
      expect((await again.findByKey('mesa', 'm')).map(tagOf)).toEqual(['p0', 'p1']);
      expect(await again.findClaim('s', 'k0')).toBe(0);
      expect(await again.latestTreeHead()).toEqual({ treeSize: 2, json: '{"n":2}' });
      expect(await again.getMeta('election')).toBe('e1');
      expect(await again.countByKind()).toEqual({ ballot: 1, checkin: 1 });
      // The log continues where it stopped; old claims still hold.
      expect(expectOk(await again.append([entry('p2')]))).toEqual({ first: 2, count: 1 });
      expect(
        expectRefused(
          await again.append([entry('p3', { claims: [{ scope: 's', key: 'k0' }] })]),
          'CLAIM_TAKEN',
        ).holder,
      ).toBe(0);
      expect((await again.get(2))!.storedAt).toBe(43);
    });

    it('refuses everything once closed, after finishing pending appends', async () => {
      const { store } = await openFresh();
      const pending = store.append([entry('last')]);
      const closing = store.close();
      expectRefused(await store.append([entry('too late')]), 'CLOSED');
      expect(expectOk(await pending)).toEqual({ first: 0, count: 1 });
      await closing;
      await expectRejected(store.size(), 'CLOSED');
      await expectRejected(store.get(0), 'CLOSED');
      await expectRejected(store.setMeta('k', 'v'), 'CLOSED');
      await expectRejected(collect(store.entries()), 'CLOSED');
    });

    it('refuses to open a store written by a newer schema version', async () => {
      const { store, location } = await openFresh();
      expectOk(await store.append([entry('x')]));
      await store.close();
      await h.writeSchemaVersion(location, '2');
      const error = await expectRejected(h.open(location), 'SCHEMA_VERSION');
      expect(error.message).toContain('"2"');
      await h.writeSchemaVersion(location, 'one');
      await expectRejected(h.open(location), 'SCHEMA_VERSION');
      await h.writeSchemaVersion(location, '1');
      const again = await reopen(location);
      expect(await again.size()).toBe(1);
    });

    // Two writers of one process share an event loop: with SQLite's synchronous
    // driver one would block the other on the file lock (kill.test.ts runs two
    // SQLite writers in two processes instead).
    if (h.concurrentWriters) {
      it('serialises two stores appending to the same log at once', async () => {
        const { store, location } = await openFresh();
        const other = await reopen(location);
        const scope = 'checkin/e';
        const [a, b] = await Promise.all(
          [store, other].map((s, w) =>
            Promise.all(
              Array.from({ length: 60 }, (_, c) =>
                s.append([
                  entry(`w${w}-${c}`, {
                    claims: [{ scope, key: c % 10 === 0 ? `shared-${c}` : `w${w}-${c}` }],
                  }),
                ]),
              ),
            ),
          ),
        );
        const results = [...a!, ...b!];
        // Each shared claim was won by exactly one writer.
        expect(results.filter((r) => !r.ok)).toHaveLength(6);
        for (const r of results) if (!r.ok) expect(r.error.code).toBe('CLAIM_TAKEN');
        const all = await readAll(store);
        expect(all).toHaveLength(114);
        expect(all.map((e) => e.index)).toEqual(Array.from({ length: 114 }, (_, i) => i));
        for (let c = 0; c < 60; c += 10) {
          const holder = await store.findClaim(scope, `shared-${c}`);
          expect(tagOf(all[holder!]!)).toMatch(new RegExp(`^w[01]-${c}$`));
        }
      });
    }
  });
}
