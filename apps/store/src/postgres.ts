/**
 * The board store in PostgreSQL (pg's Pool under Kysely's PostgresDialect),
 * for boards that outgrow one machine: several board processes may append to
 * the same schema, and any number may read. Locking follows the PostgreSQL
 * manual, §13.3 "Explicit Locking"; durability its §28 "Reliability and the
 * Write-Ahead Log" (synchronous_commit).
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { KyselyBoardStore, toStoreError, type DialectAdapter } from './kysely-store.js';
import { CLAIMS_CONSTRAINT, type StoreDatabase } from './schema.js';
import { StoreError, type BoardStore, type PostgresStoreOptions } from './types.js';
import { checkInteger } from './validate.js';

/** Unquoted-safe identifiers only: the schema name ends up in DDL and in LOCK. */
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

function isClaimConflict(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === CLAIMS_CONSTRAINT;
}

/**
 * Opens the store in `options.schema` (default 'public') of the database at
 * `options.connectionString`, creating the schema and tables if needed.
 * Rejects with StoreError 'IO' if the server cannot be reached (the message
 * never repeats the connection string, which may hold a password), and
 * 'SCHEMA_VERSION' if the schema was written by a newer version.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<BoardStore> {
  const { connectionString, schema = 'public', poolSize = 10 } = options;
  if (typeof connectionString !== 'string' || connectionString.length === 0) {
    throw new StoreError('INVALID_REQUEST', 'options.connectionString', 'must be a string');
  }
  if (typeof schema !== 'string' || !SCHEMA_PATTERN.test(schema)) {
    throw new StoreError(
      'INVALID_REQUEST',
      'options.schema',
      'a schema name is 1-63 characters of [a-z0-9_], not starting with a digit',
    );
  }
  const badPool = checkInteger(poolSize, 'options.poolSize', 1, 1000);
  if (badPool !== undefined) throw badPool;

  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    application_name: 'acta-store',
    // A server may be configured with synchronous_commit = off, which
    // acknowledges a commit before its WAL record is on disk; the board
    // promises durability on resolve, so every session turns it back on.
    options: '-c synchronous_commit=on',
  });
  // An idle client whose connection drops emits 'error' on the pool; without
  // a listener Node would crash the process. pg removes that client itself,
  // and the next query on a healthy one proceeds.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError('IO', 'open', `cannot connect to PostgreSQL: ${reason}`, {
      cause: error,
    });
  }

  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) }).withSchema(
    schema,
  );
  const entriesTable = sql.id(schema, 'entries');
  const adapter: DialectAdapter = {
    name: 'postgres',
    readOnly: false,
    beginWrite: async (conn) => {
      await sql`begin`.execute(conn);
      // SHARE ROW EXCLUSIVE conflicts with itself and with every write, but
      // not with plain SELECTs: appenders in any process take turns (so the
      // size read next is the size the inserts extend, and indices stay
      // dense), while readers are never blocked.
      await sql`lock table ${entriesTable} in share row exclusive mode`.execute(conn);
    },
    beginInit: async (conn) => {
      await sql`begin`.execute(conn);
      // Two processes opening a new schema at once would race on CREATE; an
      // advisory lock named after the schema makes the second one wait.
      await sql`select pg_advisory_xact_lock(hashtextextended(${`acta-store:${schema}`}, 0))`.execute(
        conn,
      );
      if (schema !== 'public')
        await sql`create schema if not exists ${sql.id(schema)}`.execute(conn);
    },
    isClaimConflict,
  };
  const store = new KyselyBoardStore(db, adapter, options.now ?? Date.now);
  try {
    await store.initialize();
  } catch (error) {
    throw toStoreError(error, 'open');
  }
  return store;
}
