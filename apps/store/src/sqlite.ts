/**
 * The board store in one SQLite file (better-sqlite3 under Kysely's
 * SqliteDialect): the default, embedded deployment. Durability settings
 * follow SQLite's own documentation (https://www.sqlite.org/wal.html and
 * https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { KyselyBoardStore, toStoreError, type DialectAdapter } from './kysely-store.js';
import type { StoreDatabase } from './schema.js';
import { StoreError, type BoardStore, type SqliteStoreOptions } from './types.js';
import { checkInteger } from './validate.js';

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** SQLite names the columns of a violated primary key, not the constraint. */
function isClaimConflict(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' &&
    error.message.includes('claims.scope, claims.key')
  );
}

/**
 * Opens (creating if needed, unless read-only) the store in the SQLite file
 * at `path`. Rejects with StoreError 'SCHEMA_VERSION' if the file was written
 * by a newer schema, 'IO' if it cannot be opened or cannot use WAL.
 */
export async function openSqliteStore(
  path: string,
  options: SqliteStoreOptions = {},
): Promise<BoardStore> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new StoreError('INVALID_REQUEST', 'path', 'the SQLite file path must be a string');
  }
  const readOnly = options.readonly === true;
  const busyTimeout = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const badTimeout = checkInteger(busyTimeout, 'options.busyTimeoutMs', 0, 600_000);
  if (badTimeout !== undefined) throw badTimeout;

  let database: Database.Database;
  try {
    database = new Database(path, { readonly: readOnly, fileMustExist: readOnly });
  } catch (error) {
    // better-sqlite3 throws TypeError for a missing directory, SqliteError otherwise.
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError('IO', 'open', `cannot open ${path}: ${reason}`, { cause: error });
  }
  try {
    // Another process (a second board writer, a verifier reading) may hold
    // the lock for a moment: wait for it instead of failing at once.
    database.pragma(`busy_timeout = ${busyTimeout}`);
    if (!readOnly) {
      // WAL: readers never block the writer and the writer never blocks
      // readers, and a commit appends to one log file instead of rewriting
      // pages in place (one fsync per commit, which group commit shares).
      const mode: unknown = database.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') {
        throw new StoreError('IO', 'open', `cannot use WAL journaling here (got ${String(mode)})`);
      }
    }
    // FULL, not WAL's usual NORMAL: with NORMAL a commit is durable against a
    // crash of the process but not against a power loss or kernel crash (the
    // WAL is only synced at checkpoints), so an acknowledged ballot could
    // vanish. FULL syncs the WAL at every commit: once append resolves, the
    // entry survives a power cut.
    database.pragma('synchronous = FULL');
    // The keys and claims reference their entry; SQLite checks that only when asked.
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw toStoreError(error, 'open');
  }

  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database }) });
  const adapter: DialectAdapter = {
    name: 'sqlite',
    readOnly,
    // IMMEDIATE takes the write lock at BEGIN: a deferred transaction that
    // later upgrades from reading to writing can fail with SQLITE_BUSY at once
    // in WAL mode, which busy_timeout does not cover.
    beginWrite: async (conn) => {
      await sql`begin immediate`.execute(conn);
    },
    beginInit: async (conn) => {
      await sql`begin immediate`.execute(conn);
    },
    isClaimConflict,
  };
  const store = new KyselyBoardStore(db, adapter, options.now ?? Date.now);
  await store.initialize();
  return store;
}
