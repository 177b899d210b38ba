/**
 * The board store over Kysely, shared by SQLite and PostgreSQL: every query is
 * built once here, and a small dialect adapter supplies only what differs (how
 * a write transaction locks out other writers, how a violated claim looks).
 *
 * Append path (issue #4 item 2): a write transaction that excludes every other
 * writer reads the log's size, inserts the entries at the next indices, their
 * keys and claims, bumps the per-kind counters and commits. Claims are
 * enforced by the claims table's primary key, never by reading first: a group
 * is inserted optimistically under a savepoint, and only if the database
 * reports a claim violation is it replayed member by member, each under its
 * own savepoint, so that exactly the members whose claims are taken fail.
 */
import { sql, type Kysely } from 'kysely';
import { GroupCommitQueue, type PendingAppend } from './group-commit.js';
import { ENTRY_COLUMNS, toBytes, toEntry, toInteger } from './rows.js';
import { createSchema, readSchemaVersion, type DialectName, type StoreDatabase } from './schema.js';
import {
  StoreError,
  type AppendRequest,
  type AppendResult,
  type BoardStore,
  type EntriesOptions,
  type FindPage,
  type StoredEntry,
  type StoredTreeHead,
} from './types.js';
import {
  RESERVED_META_PREFIX,
  STORE_LIMITS,
  checkAppend,
  checkInteger,
  checkKind,
  checkRange,
  checkText,
  checkTreeHead,
} from './validate.js';

/** What differs between the dialects. */
export interface DialectAdapter {
  readonly name: DialectName;
  readonly readOnly: boolean;
  /** Starts a transaction that serialises with every other writer of the log. */
  beginWrite(conn: Kysely<StoreDatabase>): Promise<void>;
  /** Starts the transaction that creates or checks the schema. */
  beginInit(conn: Kysely<StoreDatabase>): Promise<void>;
  /** Whether a driver error is a violation of the claims' unique constraint. */
  isClaimConflict(error: unknown): boolean;
}

/** Rows per INSERT statement: below both dialects' bound-parameter limits. */
const ROWS_PER_INSERT = 1000;
/** Payload bytes per INSERT statement, so that one statement stays a modest message. */
const BYTES_PER_INSERT = 16 * 1024 * 1024;

/** Claims looked up per query when naming a holder (two bound parameters each). */
const CLAIMS_PER_LOOKUP = 500;

/** A group never holds more entries than one append may (bounds a transaction). */
const MAX_GROUP_ENTRIES = STORE_LIMITS.maxEntriesPerAppend;

const DEFAULT_ENTRIES_BATCH = 1000;

function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

function err(error: StoreError): { readonly ok: false; readonly error: StoreError } {
  return { ok: false, error };
}

/**
 * Driver failures (SqliteError, pg's DatabaseError, socket errors) carry a
 * string `code`; they become StoreError 'IO'. Anything else is a bug or
 * corruption and passes through unchanged.
 */
export function toStoreError(error: unknown, where: string): unknown {
  if (error instanceof StoreError) return error;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('ERR_')) {
      return new StoreError('IO', where, `database failure (${code}): ${error.message}`, {
        cause: error,
      });
    }
  }
  return error;
}

function* chunksOf<T>(rows: readonly T[], bytesOf: (row: T) => number): Generator<T[]> {
  let start = 0;
  while (start < rows.length) {
    let end = start;
    let bytes = 0;
    while (end < rows.length && end - start < ROWS_PER_INSERT) {
      bytes += bytesOf(rows[end]!);
      if (end > start && bytes > BYTES_PER_INSERT) break;
      end++;
    }
    yield rows.slice(start, end);
    start = end;
  }
}

/** A private copy of a request: the caller may reuse its buffers once append returns. */
function copyRequest(request: AppendRequest): AppendRequest {
  return {
    kind: request.kind,
    payload: new Uint8Array(request.payload),
    leafHash: new Uint8Array(request.leafHash),
    keys: request.keys?.map((k) => ({ name: k.name, value: k.value })) ?? [],
    claims: request.claims?.map((c) => ({ scope: c.scope, key: c.key })) ?? [],
  };
}

function fail(error: StoreError | undefined): void {
  if (error !== undefined) throw error;
}

export class KyselyBoardStore implements BoardStore {
  readonly dialect: DialectName;
  readonly #db: Kysely<StoreDatabase>;
  readonly #adapter: DialectAdapter;
  readonly #now: () => number;
  readonly #queue: GroupCommitQueue;
  #closed = false;

  constructor(db: Kysely<StoreDatabase>, adapter: DialectAdapter, now: () => number) {
    this.dialect = adapter.name;
    this.#db = db;
    this.#adapter = adapter;
    this.#now = now;
    this.#queue = new GroupCommitQueue((group) => this.#commitGroup(group), MAX_GROUP_ENTRIES);
  }

  /**
   * Creates the schema of a new store, or checks the version of an existing
   * one (read-only stores only check). Destroys the connection on failure.
   */
  async initialize(): Promise<void> {
    try {
      if (this.#adapter.readOnly) {
        const version = await readSchemaVersion(this.#db, this.dialect, false).catch(
          (error: unknown) => {
            // A file without the meta table is some other database.
            const missing = error instanceof Error && /no such table/i.test(error.message);
            throw missing ? this.#notAStore(error) : error;
          },
        );
        if (version === undefined) throw this.#notAStore(undefined);
        return;
      }
      await this.#transaction(
        (conn) => this.#adapter.beginInit(conn),
        async (conn) => {
          const version = await readSchemaVersion(conn, this.dialect, true);
          if (version === undefined) await createSchema(conn, this.dialect);
        },
      );
    } catch (error) {
      await this.#db.destroy().catch(() => undefined);
      throw toStoreError(error, 'open');
    }
  }

  #notAStore(cause: unknown): StoreError {
    return new StoreError(
      'SCHEMA_VERSION',
      'meta',
      'no schema version found: not an Acta board store',
      cause === undefined ? {} : { cause },
    );
  }

  // ---------------------------------------------------------------- appends

  async append(requests: readonly AppendRequest[]): Promise<AppendResult> {
    if (this.#closed) return err(new StoreError('CLOSED', 'append', 'the store is closed'));
    if (this.#adapter.readOnly) {
      return err(new StoreError('READ_ONLY', 'append', 'the store was opened read-only'));
    }
    const checked = checkAppend(requests);
    if (checked instanceof StoreError) return err(checked);
    return this.#queue.submit(requests.map(copyRequest), checked.claims);
  }

  async #commitGroup(group: readonly PendingAppend[]): Promise<AppendResult[]> {
    try {
      return await this.#transaction(
        (conn) => this.#adapter.beginWrite(conn),
        (conn) => this.#writeGroup(conn, group),
      );
    } catch (error) {
      throw toStoreError(error, 'append');
    }
  }

  async #writeGroup(
    conn: Kysely<StoreDatabase>,
    group: readonly PendingAppend[],
  ): Promise<AppendResult[]> {
    let next = await this.#readSize(conn);
    const storedAt = this.#now();
    if (!Number.isSafeInteger(storedAt) || storedAt < 0) {
      throw new Error('the store clock must return a non-negative integer of milliseconds');
    }
    const results: AppendResult[] = [];
    const accept = (member: PendingAppend): void => {
      results.push(ok({ first: next, count: member.requests.length }));
      next += member.requests.length;
    };

    // Without claims nothing in the group can be refused: no savepoint needed.
    const claims = group.some((member) => member.claims > 0);
    if (claims) await sql`savepoint acta_group`.execute(conn);
    try {
      await this.#insert(
        conn,
        group.flatMap((member) => member.requests),
        next,
        storedAt,
      );
      if (claims) await sql`release savepoint acta_group`.execute(conn);
      group.forEach(accept);
      return results;
    } catch (error) {
      if (!claims || !this.#adapter.isClaimConflict(error)) throw error;
      await sql`rollback to savepoint acta_group`.execute(conn);
      await sql`release savepoint acta_group`.execute(conn);
    }

    // Some claim is taken: replay member by member, so only the refused fail.
    for (const member of group) {
      if (member.claims === 0) {
        await this.#insert(conn, member.requests, next, storedAt);
        accept(member);
        continue;
      }
      await sql`savepoint acta_member`.execute(conn);
      try {
        await this.#insert(conn, member.requests, next, storedAt);
        await sql`release savepoint acta_member`.execute(conn);
        accept(member);
      } catch (error) {
        if (!this.#adapter.isClaimConflict(error)) throw error;
        await sql`rollback to savepoint acta_member`.execute(conn);
        await sql`release savepoint acta_member`.execute(conn);
        results.push(err(await this.#claimTaken(conn, member.requests)));
      }
    }
    return results;
  }

  /** Inserts entries first..first+n−1 with their keys, claims and counters. */
  async #insert(
    conn: Kysely<StoreDatabase>,
    requests: readonly AppendRequest[],
    first: number,
    storedAt: number,
  ): Promise<void> {
    const entries = requests.map((r, i) => ({
      idx: first + i,
      kind: r.kind,
      payload: r.payload,
      leaf_hash: r.leafHash,
      stored_at: storedAt,
    }));
    for (const chunk of chunksOf(entries, (e) => e.payload.length)) {
      await conn.insertInto('entries').values(chunk).execute();
    }
    const keys = requests.flatMap((r, i) =>
      (r.keys ?? []).map((k) => ({ name: k.name, value: k.value, idx: first + i })),
    );
    for (const chunk of chunksOf(keys, () => 0)) {
      await conn.insertInto('entry_keys').values(chunk).execute();
    }
    const claims = requests.flatMap((r, i) =>
      (r.claims ?? []).map((c) => ({ scope: c.scope, key: c.key, idx: first + i })),
    );
    for (const chunk of chunksOf(claims, () => 0)) {
      await conn.insertInto('claims').values(chunk).execute();
    }
    const counts = new Map<string, number>();
    for (const r of requests) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
    await conn
      .insertInto('kind_counts')
      .values([...counts].map(([kind, n]) => ({ kind, n })))
      .onConflict((oc) =>
        oc.column('kind').doUpdateSet({ n: sql<number>`kind_counts.n + excluded.n` }),
      )
      .execute();
  }

  /**
   * Names the first claim of the requests (in request order) that another
   * entry holds, looking them up a bounded number at a time.
   */
  async #claimTaken(
    conn: Kysely<StoreDatabase>,
    requests: readonly AppendRequest[],
  ): Promise<StoreError> {
    const wanted = requests.flatMap((r, i) =>
      (r.claims ?? []).map((claim, j) => ({ claim, where: `requests[${i}].claims[${j}]` })),
    );
    for (let start = 0; start < wanted.length; start += CLAIMS_PER_LOOKUP) {
      const chunk = wanted.slice(start, start + CLAIMS_PER_LOOKUP);
      const rows = await conn
        .selectFrom('claims')
        .select(['scope', 'key', 'idx'])
        .where((eb) =>
          eb.or(
            chunk.map(({ claim }) =>
              eb.and([eb('scope', '=', claim.scope), eb('key', '=', claim.key)]),
            ),
          ),
        )
        .execute();
      const holders = new Map(
        rows.map((row) => [JSON.stringify([row.scope, row.key]), toInteger(row.idx, 'claims.idx')]),
      );
      for (const { claim, where } of chunk) {
        const holder = holders.get(JSON.stringify([claim.scope, claim.key]));
        if (holder !== undefined) {
          return new StoreError(
            'CLAIM_TAKEN',
            where,
            `the claim ${JSON.stringify(claim.key)} in scope ${JSON.stringify(claim.scope)} is held by entry ${holder}`,
            { holder, claim: { scope: claim.scope, key: claim.key } },
          );
        }
      }
    }
    throw new Error('the database refused a claim, but no entry holds any claim of the request');
  }

  async #readSize(conn: Kysely<StoreDatabase>): Promise<number> {
    const row = await conn
      .selectFrom('entries')
      .select((eb) => eb.fn.max('idx').as('last'))
      .executeTakeFirst();
    const last = row?.last;
    return last === null || last === undefined ? 0 : toInteger(last, 'entries.idx') + 1;
  }

  /**
   * Runs `body` in a transaction on one connection. Rolls back on any failure,
   * including a failed COMMIT (after which SQLite may still hold it open).
   */
  async #transaction<T>(
    begin: (conn: Kysely<StoreDatabase>) => Promise<void>,
    body: (conn: Kysely<StoreDatabase>) => Promise<T>,
  ): Promise<T> {
    return this.#db.connection().execute(async (conn) => {
      await begin(conn);
      try {
        const result = await body(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    });
  }

  // ---------------------------------------------------------------- reads

  /** Runs a read, turning driver failures into StoreError 'IO'. */
  async #read<T>(where: string, run: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreError('CLOSED', where, 'the store is closed');
    try {
      return await run();
    } catch (error) {
      throw toStoreError(error, where);
    }
  }

  size(): Promise<number> {
    return this.#read('size', () => this.#readSize(this.#db));
  }

  get(index: number): Promise<StoredEntry | undefined> {
    return this.#read('get', async () => {
      fail(checkInteger(index, 'index'));
      const row = await this.#db
        .selectFrom('entries')
        .select(ENTRY_COLUMNS)
        .where('idx', '=', index)
        .executeTakeFirst();
      return row === undefined ? undefined : toEntry(row);
    });
  }

  range(from: number, to: number): Promise<StoredEntry[]> {
    return this.#read('range', async () => {
      fail(checkRange(from, to, STORE_LIMITS.maxRange, 'range'));
      if (from === to) return [];
      return this.#entryPage(from, to, undefined, to - from);
    });
  }

  async #entryPage(
    from: number,
    to: number,
    kind: string | undefined,
    limit: number,
  ): Promise<StoredEntry[]> {
    const rows = await this.#db
      .selectFrom('entries')
      .select(ENTRY_COLUMNS)
      .where('idx', '>=', from)
      .where('idx', '<', to)
      .$if(kind !== undefined, (q) => q.where('kind', '=', kind!))
      .orderBy('idx')
      .limit(limit)
      .execute();
    const entries = rows.map(toEntry);
    // Indices are dense: a gap in an unfiltered page means the log is damaged.
    if (kind === undefined) {
      entries.forEach((e, i) => {
        if (e.index !== from + i) throw new Error(`store corrupt: index ${from + i} is missing`);
      });
    }
    return entries;
  }

  entries(options: EntriesOptions = {}): AsyncIterable<StoredEntry> {
    return this.#iterate(options);
  }

  async *#iterate(options: EntriesOptions): AsyncGenerator<StoredEntry, void, undefined> {
    const { from = 0, kind, batch = DEFAULT_ENTRIES_BATCH } = options;
    const end = await this.#read('entries', async () => {
      fail(
        checkInteger(from, 'options.from') ??
          (kind === undefined ? undefined : checkKind(kind, 'options.kind')) ??
          checkInteger(batch, 'options.batch', 1, STORE_LIMITS.maxEntriesBatch),
      );
      return this.#readSize(this.#db);
    });
    let next = from;
    while (next < end) {
      const page = await this.#read('entries', () => this.#entryPage(next, end, kind, batch));
      if (page.length === 0) return;
      yield* page;
      next = page[page.length - 1]!.index + 1;
    }
  }

  leafHashes(from: number, to: number): Promise<Uint8Array> {
    return this.#read('leafHashes', async () => {
      fail(checkRange(from, to, STORE_LIMITS.maxLeafHashes, 'leafHashes'));
      const rows = await this.#db
        .selectFrom('entries')
        .select(['idx', 'leaf_hash'])
        .where('idx', '>=', from)
        .where('idx', '<', to)
        .orderBy('idx')
        .execute();
      const packed = new Uint8Array(rows.length * 32);
      rows.forEach((row, i) => {
        const index = toInteger(row.idx, 'entries.idx');
        if (index !== from + i) throw new Error(`store corrupt: index ${from + i} is missing`);
        const hash = toBytes(row.leaf_hash, `entries[${index}].leaf_hash`);
        if (hash.length !== 32) throw new Error(`store corrupt: entries[${index}].leaf_hash`);
        packed.set(hash, i * 32);
      });
      return packed;
    });
  }

  findByKey(
    name: string,
    value: string,
    kind?: string,
    page: FindPage = {},
  ): Promise<StoredEntry[]> {
    return this.#read('findByKey', async () => {
      const { from = 0, limit = STORE_LIMITS.maxFindResults } = page;
      fail(
        checkText(name, 'name') ??
          checkText(value, 'value') ??
          (kind === undefined ? undefined : checkKind(kind, 'kind')) ??
          checkInteger(from, 'page.from') ??
          checkInteger(limit, 'page.limit', 1, STORE_LIMITS.maxFindResults),
      );
      const rows = await this.#db
        .selectFrom('entry_keys as k')
        .innerJoin('entries as e', 'e.idx', 'k.idx')
        .select(['e.idx', 'e.kind', 'e.payload', 'e.leaf_hash', 'e.stored_at'])
        .where('k.name', '=', name)
        .where('k.value', '=', value)
        .where('k.idx', '>=', from)
        .$if(kind !== undefined, (q) => q.where('e.kind', '=', kind!))
        .orderBy('k.idx')
        .limit(limit)
        .execute();
      return rows.map(toEntry);
    });
  }

  findClaim(scope: string, key: string): Promise<number | undefined> {
    return this.#read('findClaim', async () => {
      fail(checkText(scope, 'scope') ?? checkText(key, 'key'));
      const row = await this.#db
        .selectFrom('claims')
        .select('idx')
        .where('scope', '=', scope)
        .where('key', '=', key)
        .executeTakeFirst();
      return row === undefined ? undefined : toInteger(row.idx, 'claims.idx');
    });
  }

  countByKind(): Promise<Record<string, number>> {
    return this.#read('countByKind', async () => {
      const rows = await this.#db
        .selectFrom('kind_counts')
        .select(['kind', 'n'])
        .orderBy('kind')
        .execute();
      const counts: Record<string, number> = {};
      for (const row of rows) counts[row.kind] = toInteger(row.n, `kind_counts.${row.kind}`);
      return counts;
    });
  }

  // ---------------------------------------------------------------- tree heads and metadata

  putTreeHead(head: StoredTreeHead): Promise<void> {
    return this.#write('putTreeHead', async () => {
      fail(checkTreeHead(head));
      const { treeSize, json } = head;
      await this.#transaction(
        (conn) => this.#adapter.beginWrite(conn),
        async (conn) => {
          const size = await this.#readSize(conn);
          if (treeSize > size) {
            throw new StoreError(
              'INVALID_REQUEST',
              'head.treeSize',
              `tree size ${treeSize} exceeds the log's size ${size}`,
            );
          }
          const latest = await this.#latestTreeHead(conn);
          if (latest !== undefined && treeSize < latest.treeSize) {
            throw new StoreError(
              'INVALID_REQUEST',
              'head.treeSize',
              `tree size ${treeSize} is below the latest tree head's ${latest.treeSize}`,
            );
          }
          await conn.insertInto('tree_heads').values({ tree_size: treeSize, json }).execute();
        },
      );
    });
  }

  latestTreeHead(): Promise<StoredTreeHead | undefined> {
    return this.#read('latestTreeHead', () => this.#latestTreeHead(this.#db));
  }

  async #latestTreeHead(conn: Kysely<StoreDatabase>): Promise<StoredTreeHead | undefined> {
    const row = await conn
      .selectFrom('tree_heads')
      .select(['tree_size', 'json'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : { treeSize: toInteger(row.tree_size, 'tree_heads.tree_size'), json: row.json };
  }

  treeHeads(): Promise<StoredTreeHead[]> {
    return this.#read('treeHeads', async () => {
      const rows = await this.#db
        .selectFrom('tree_heads')
        .select(['tree_size', 'json'])
        .orderBy('seq')
        .execute();
      return rows.map((row) => ({
        treeSize: toInteger(row.tree_size, 'tree_heads.tree_size'),
        json: row.json,
      }));
    });
  }

  getMeta(key: string): Promise<string | undefined> {
    return this.#read('getMeta', async () => {
      fail(checkText(key, 'key'));
      const row = await this.#db
        .selectFrom('meta')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirst();
      return row?.value;
    });
  }

  setMeta(key: string, value: string): Promise<void> {
    return this.#write('setMeta', async () => {
      fail(checkText(key, 'key') ?? checkText(value, 'value', STORE_LIMITS.maxMetaValueLength, 0));
      if (key.startsWith(RESERVED_META_PREFIX)) {
        throw new StoreError(
          'INVALID_REQUEST',
          'key',
          `keys starting with ${RESERVED_META_PREFIX} belong to the store`,
        );
      }
      await this.#db
        .insertInto('meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    });
  }

  /** Runs a write other than append (refused on a read-only store). */
  #write<T>(where: string, run: () => Promise<T>): Promise<T> {
    return this.#read(where, async () => {
      if (this.#adapter.readOnly) {
        throw new StoreError('READ_ONLY', where, 'the store was opened read-only');
      }
      return run();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.idle();
    await this.#db.destroy();
  }
}
