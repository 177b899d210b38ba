/**
 * @acta/store — persistence of Acta's bulletin board (issue #4 item 2): an
 * append-only log of entries with lookup keys, unique claims, signed tree
 * heads and metadata, in SQLite (embedded, the default) or PostgreSQL, behind
 * one interface. Merkle hashing (RFC 6962) is `@acta/board`'s; this package
 * stores bytes durably and answers queries.
 */
export {
  StoreError,
  type StoreErrorCode,
  type StoreResult,
  type AppendResult,
  type AppendRequest,
  type EntryKey,
  type UniqueClaim,
  type StoredEntry,
  type StoredTreeHead,
  type EntriesOptions,
  type FindPage,
  type BoardStore,
  type SqliteStoreOptions,
  type PostgresStoreOptions,
} from './types.js';
export { STORE_LIMITS } from './validate.js';
export { STORE_SCHEMA_VERSION, SCHEMA_VERSION_KEY } from './schema.js';
export { openSqliteStore } from './sqlite.js';
export { openPostgresStore } from './postgres.js';
