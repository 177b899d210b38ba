/**
 * The persistence interface of Acta's bulletin board (issue #4 item 2): an
 * append-only log of entries whose bytes `@acta/board` Merkle-hashes
 * (RFC 6962 §2.1), plus the board's side tables (lookup keys, unique claims,
 * signed tree heads, metadata). SQLite and PostgreSQL implement the same
 * interface, so no caller changes when a board outgrows one machine.
 *
 * Expected refusals (a claim already taken, a malformed request) are values;
 * database failures reject with a `StoreError` of code 'IO' (or an Error for a
 * bug), because no caller can do anything sensible with them but stop.
 */

/** A non-unique lookup key of an entry, e.g. `{ name: 'mesa', value: '0101001.01' }`. */
export interface EntryKey {
  readonly name: string;
  readonly value: string;
}

/**
 * A unique claim: at most one entry in the whole log holds a given (scope, key),
 * e.g. `{ scope: 'checkin/<election>', key: <credential hex> }` makes a second
 * check-in of the same voter anywhere in the election impossible.
 */
export interface UniqueClaim {
  readonly scope: string;
  readonly key: string;
}

/** One entry to append. */
export interface AppendRequest {
  /** Entry type, e.g. 'ballot' or 'checkin': 1–64 characters of [a-z0-9._-], a letter first. */
  readonly kind: string;
  /** The entry as the service stores it (its JSON text; the caller computes the leaf hash from its canonical form), at most 16 MiB. */
  readonly payload: Uint8Array;
  /** The RFC 6962 leaf hash of the payload, exactly 32 bytes, computed by the caller. */
  readonly leafHash: Uint8Array;
  readonly keys?: readonly EntryKey[];
  readonly claims?: readonly UniqueClaim[];
}

/** An entry as stored. `storedAt` is the commit time in milliseconds since the Unix epoch. */
export interface StoredEntry {
  readonly index: number;
  readonly kind: string;
  readonly payload: Uint8Array;
  readonly leafHash: Uint8Array;
  readonly storedAt: number;
}

/** A signed tree head, kept as the opaque JSON text the board signed. */
export interface StoredTreeHead {
  readonly treeSize: number;
  readonly json: string;
}

export type StoreErrorCode =
  /** A unique claim is already held by another entry (`holder`, `claim`). */
  | 'CLAIM_TAKEN'
  /** A malformed request or argument (`where` names the field). */
  | 'INVALID_REQUEST'
  /** The store was written by a newer (or unknown) schema version. */
  | 'SCHEMA_VERSION'
  /** The store was closed. */
  | 'CLOSED'
  /** A write on a store opened read-only. */
  | 'READ_ONLY'
  /** The database failed (disk, lock timeout, lost connection); `cause` holds the driver error. */
  | 'IO';

/** An error of the store: a stable code, a location and a message (never a secret). */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly where: string;
  /** For CLAIM_TAKEN: the index of the entry that holds the claim. */
  readonly holder?: number;
  /** For CLAIM_TAKEN: the claim that was refused. */
  readonly claim?: UniqueClaim;

  constructor(
    code: StoreErrorCode,
    where: string,
    message: string,
    details: { holder?: number; claim?: UniqueClaim; cause?: unknown } = {},
  ) {
    super(
      `${code} at ${where}: ${message}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.name = 'StoreError';
    this.code = code;
    this.where = where;
    if (details.holder !== undefined) this.holder = details.holder;
    if (details.claim !== undefined) this.claim = details.claim;
  }
}

/**
 * Success or expected failure; structurally the same as `Result<T, StoreError>`
 * of `@acta/crypto`, so its helpers (`unwrap`) accept it.
 */
export type StoreResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: StoreError };

/** The outcome of one `append` call: the index of its first entry and how many it added. */
export type AppendResult = StoreResult<{ readonly first: number; readonly count: number }>;

/** Options of `BoardStore.entries`. */
export interface EntriesOptions {
  /** First index to read (default 0). */
  readonly from?: number;
  /** Only entries of this kind. */
  readonly kind?: string;
  /** Rows fetched per query (default 1,000, at most 10,000): bounds the memory used. */
  readonly batch?: number;
}

/** Paging of `BoardStore.findByKey`. */
export interface FindPage {
  /** Smallest index returned (default 0). */
  readonly from?: number;
  /** At most this many entries (default and maximum 10,000). */
  readonly limit?: number;
}

/** The bulletin board's storage. Indices are 0-based, dense, never reused; nothing is ever updated. */
export interface BoardStore {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Appends the entries atomically (all or none) at consecutive indices from
   * the current size, and resolves only once the transaction is durable.
   * Calls made concurrently are committed together in one transaction (group
   * commit); each gets its own result, and a call whose claim is taken fails
   * alone. At most 10,000 entries per call. The store copies the bytes.
   */
  append(requests: readonly AppendRequest[]): Promise<AppendResult>;
  /** Number of entries. */
  size(): Promise<number>;
  get(index: number): Promise<StoredEntry | undefined>;
  /** Entries with from ≤ index < to that exist, in index order; to − from ≤ 10,000. */
  range(from: number, to: number): Promise<StoredEntry[]>;
  /**
   * Streams the entries from `from` up to the size the log had when the
   * iteration started, in index order, fetching `batch` rows at a time.
   */
  entries(options?: EntriesOptions): AsyncIterable<StoredEntry>;
  /**
   * The leaf hashes of entries from ≤ index < to, packed 32 bytes each; clipped
   * at the end of the log (the length says how many). to − from ≤ 100,000.
   */
  leafHashes(from: number, to: number): Promise<Uint8Array>;
  /** Entries having the key (name, value), optionally of one kind, in index order. */
  findByKey(name: string, value: string, kind?: string, page?: FindPage): Promise<StoredEntry[]>;
  /** The index of the entry holding the claim, if any. */
  findClaim(scope: string, key: string): Promise<number | undefined>;
  /** Number of entries of each kind (kept up to date by every append, not counted on demand). */
  countByKind(): Promise<Record<string, number>>;
  /**
   * Records a signed tree head. Tree sizes never exceed the log's size nor go
   * backwards; violating that is a caller bug and rejects with INVALID_REQUEST.
   */
  putTreeHead(head: StoredTreeHead): Promise<void>;
  /** The most recently recorded tree head. */
  latestTreeHead(): Promise<StoredTreeHead | undefined>;
  /** Every recorded tree head, oldest first. */
  treeHeads(): Promise<StoredTreeHead[]>;
  getMeta(key: string): Promise<string | undefined>;
  /** Sets a metadata value (keys starting with `acta.store.` are the store's own). */
  setMeta(key: string, value: string): Promise<void>;
  /** Waits for pending appends, then releases the database. */
  close(): Promise<void>;
}

/** Options of `openSqliteStore`. */
export interface SqliteStoreOptions {
  /** Open an existing store for reading only (e.g. a verifier next to a running board). */
  readonly readonly?: boolean;
  /** Milliseconds SQLite waits for another process's lock before failing (default 5,000). */
  readonly busyTimeoutMs?: number;
  /** The clock that stamps `storedAt` (default Date.now). */
  readonly now?: () => number;
}

/** Options of `openPostgresStore`. */
export interface PostgresStoreOptions {
  /** e.g. `postgres://postgres@127.0.0.1:5432/acta`. Never appears in errors. */
  readonly connectionString: string;
  /** The schema holding the tables, created if missing (default 'public'). */
  readonly schema?: string;
  /** Connections in the pool (default 10). */
  readonly poolSize?: number;
  /** The clock that stamps `storedAt` (default Date.now). */
  readonly now?: () => number;
}
