/**
 * The store's tables, built with Kysely for both SQLite and PostgreSQL, and the
 * schema version check. One physical design serves both dialects; only the
 * column type names differ (SQLite STRICT tables accept INTEGER/BLOB,
 * PostgreSQL wants BIGINT/BYTEA, and only an `INTEGER PRIMARY KEY` is SQLite's
 * rowid, the fastest possible index for the log).
 *
 *   entries      (idx PK, kind, payload, leaf_hash, stored_at)   the log itself
 *   entry_keys   (name, value, idx) PK all three                  lookups: findByKey
 *   claims       (scope, key) PK, idx                              UNIQUE claims
 *   kind_counts  (kind PK, n)                                      countByKind
 *   tree_heads   (seq PK, tree_size, json)                         signed tree heads
 *   meta         (key PK, value)                                   incl. the schema version
 *
 * The `ColumnType<…, never>` update types make any UPDATE of the log a type
 * error: the store is append-only by construction, not by discipline.
 */
import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import { StoreError } from './types.js';

/** What a driver returns for an integer column: pg gives BIGINT as a string. */
export type DbInteger = number | string | bigint;

export interface EntriesTable {
  idx: ColumnType<DbInteger, number, never>;
  kind: ColumnType<string, string, never>;
  payload: ColumnType<Uint8Array, Uint8Array, never>;
  leaf_hash: ColumnType<Uint8Array, Uint8Array, never>;
  stored_at: ColumnType<DbInteger, number, never>;
}

export interface EntryKeysTable {
  name: ColumnType<string, string, never>;
  value: ColumnType<string, string, never>;
  idx: ColumnType<DbInteger, number, never>;
}

export interface ClaimsTable {
  scope: ColumnType<string, string, never>;
  key: ColumnType<string, string, never>;
  idx: ColumnType<DbInteger, number, never>;
}

export interface KindCountsTable {
  kind: ColumnType<string, string, never>;
  n: ColumnType<DbInteger, number, number>;
}

export interface TreeHeadsTable {
  seq: Generated<DbInteger>;
  tree_size: ColumnType<DbInteger, number, never>;
  json: ColumnType<string, string, never>;
}

export interface MetaTable {
  key: ColumnType<string, string, never>;
  value: string;
}

export interface StoreDatabase {
  entries: EntriesTable;
  entry_keys: EntryKeysTable;
  claims: ClaimsTable;
  kind_counts: KindCountsTable;
  tree_heads: TreeHeadsTable;
  meta: MetaTable;
}

/** The schema this code writes. Bump it (and add a migration) whenever a table changes. */
export const STORE_SCHEMA_VERSION = 1;

/** The metadata row holding the schema version. */
export const SCHEMA_VERSION_KEY = 'acta.store.schema_version';

/** The PostgreSQL name of the claims' primary key, to recognise its violations. */
export const CLAIMS_CONSTRAINT = 'acta_claims_unique';

export type DialectName = 'sqlite' | 'postgres';

/**
 * Creates the meta table if needed and reads the schema version it records:
 * undefined for a new store. Refuses a version this code does not know.
 */
export async function readSchemaVersion(
  db: Kysely<StoreDatabase>,
  dialect: DialectName,
  create: boolean,
): Promise<number | undefined> {
  if (create) {
    await db.schema
      .createTable('meta')
      .ifNotExists()
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .$call((b) => (dialect === 'sqlite' ? b.modifyEnd(sql`strict, without rowid`) : b))
      .execute();
  }
  const row = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', SCHEMA_VERSION_KEY)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const version = /^[1-9][0-9]{0,8}$/.test(row.value) ? Number(row.value) : Number.NaN;
  if (!Number.isSafeInteger(version) || version > STORE_SCHEMA_VERSION) {
    throw new StoreError(
      'SCHEMA_VERSION',
      `meta.${SCHEMA_VERSION_KEY}`,
      `the store has schema version ${JSON.stringify(row.value)}; this code knows versions 1 to ${STORE_SCHEMA_VERSION}`,
    );
  }
  return version;
}

/** Creates every table and index of schema version 1 and records the version. */
export async function createSchema(db: Kysely<StoreDatabase>, dialect: DialectName): Promise<void> {
  const integer = dialect === 'sqlite' ? 'integer' : 'bigint';
  const bytes = dialect === 'sqlite' ? 'blob' : 'bytea';
  // STRICT makes SQLite check column types like PostgreSQL does; WITHOUT ROWID
  // stores the composite-key tables in their primary key's B-tree only.
  const strict = dialect === 'sqlite' ? sql`strict` : undefined;
  const strictNoRowid = dialect === 'sqlite' ? sql`strict, without rowid` : undefined;

  await db.schema
    .createTable('entries')
    .addColumn('idx', integer, (c) => c.primaryKey().check(sql`idx >= 0`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`length(kind) between 1 and 64`))
    .addColumn('payload', bytes, (c) => c.notNull())
    .addColumn('leaf_hash', bytes, (c) => c.notNull().check(sql`length(leaf_hash) = 32`))
    .addColumn('stored_at', integer, (c) => c.notNull())
    .$call((b) => (strict === undefined ? b : b.modifyEnd(strict)))
    .execute();
  await db.schema.createIndex('entries_kind_idx').on('entries').columns(['kind', 'idx']).execute();

  await db.schema
    .createTable('entry_keys')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('idx', integer, (c) => c.notNull().references('entries.idx'))
    .addPrimaryKeyConstraint('acta_entry_keys_pk', ['name', 'value', 'idx'])
    .$call((b) => (strictNoRowid === undefined ? b : b.modifyEnd(strictNoRowid)))
    .execute();

  // The UNIQUE constraint that enforces "one check-in per voter per election".
  await db.schema
    .createTable('claims')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('idx', integer, (c) => c.notNull().references('entries.idx'))
    .addPrimaryKeyConstraint(CLAIMS_CONSTRAINT, ['scope', 'key'])
    .$call((b) => (strictNoRowid === undefined ? b : b.modifyEnd(strictNoRowid)))
    .execute();

  await db.schema
    .createTable('kind_counts')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    .addColumn('n', integer, (c) => c.notNull().check(sql`n >= 0`))
    .$call((b) => (strictNoRowid === undefined ? b : b.modifyEnd(strictNoRowid)))
    .execute();

  await db.schema
    .createTable('tree_heads')
    .addColumn('seq', integer, (c) =>
      dialect === 'sqlite' ? c.primaryKey() : c.primaryKey().generatedAlwaysAsIdentity(),
    )
    .addColumn('tree_size', integer, (c) => c.notNull().check(sql`tree_size >= 0`))
    .addColumn('json', 'text', (c) => c.notNull())
    .$call((b) => (strict === undefined ? b : b.modifyEnd(strict)))
    .execute();

  await db
    .insertInto('meta')
    .values({ key: SCHEMA_VERSION_KEY, value: String(STORE_SCHEMA_VERSION) })
    .execute();
}
