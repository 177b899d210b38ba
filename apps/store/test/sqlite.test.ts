// The behavioural suite on SQLite files, plus what only SQLite has: the
// durability pragmas, read-only opening next to a writer, and a lock held by
// another connection surfacing as an IO error the store recovers from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION_KEY, StoreError, openSqliteStore } from '../src/index.js';
import { entry, tagOf } from './helpers.js';
import { describeStoreSuite } from './store-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'acta-store-test-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freshPath(): string {
  return join(dir, `board-${files++}.sqlite`);
}

describeStoreSuite('SQLite store', {
  dialect: 'sqlite',
  concurrentWriters: false,
  fresh: () => Promise.resolve(freshPath()),
  open: (path, options) => openSqliteStore(path, options),
  writeSchemaVersion: (path, value) => {
    const db = new Database(path);
    try {
      db.prepare('update meta set value = ? where key = ?').run(value, SCHEMA_VERSION_KEY);
    } finally {
      db.close();
    }
    return Promise.resolve();
  },
});

describe('SQLite store specifics', () => {
  it('creates a WAL-mode file of STRICT tables', async () => {
    const path = freshPath();
    const store = await openSqliteStore(path);
    await store.close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = db
        .prepare("select name, sql from sqlite_master where type = 'table' order by name")
        .all() as { name: string; sql: string }[];
      expect(tables.map((t) => t.name)).toEqual([
        'claims',
        'entries',
        'entry_keys',
        'kind_counts',
        'meta',
        'tree_heads',
      ]);
      for (const t of tables) expect(t.sql.toLowerCase()).toContain('strict');
    } finally {
      db.close();
    }
  });

  it('enforces the schema itself: an entry with a 31-byte leaf hash cannot be written', () => {
    const path = freshPath();
    return openSqliteStore(path).then(async (store) => {
      await store.close();
      const db = new Database(path);
      try {
        db.pragma('foreign_keys = ON');
        expect(() =>
          db
            .prepare('insert into entries values (0, ?, ?, ?, 0)')
            .run('ballot', Buffer.alloc(1), Buffer.alloc(31)),
        ).toThrow(/CHECK constraint/);
        expect(() => db.prepare("insert into claims values ('s', 'k', 5)").run()).toThrow(
          /FOREIGN KEY/,
        );
      } finally {
        db.close();
      }
    });
  });

  it('opens read-only next to a running writer and refuses writes', async () => {
    const path = freshPath();
    const writer = await openSqliteStore(path);
    try {
      expect((await writer.append([entry('w0'), entry('w1')])).ok).toBe(true);
      const reader = await openSqliteStore(path, { readonly: true });
      try {
        expect((await reader.range(0, 10)).map(tagOf)).toEqual(['w0', 'w1']);
        expect((await writer.append([entry('w2')])).ok).toBe(true);
        expect(await reader.size()).toBe(3);
        const refused = await reader.append([entry('r')]);
        expect(refused.ok ? undefined : refused.error.code).toBe('READ_ONLY');
        await expect(reader.setMeta('k', 'v')).rejects.toMatchObject({ code: 'READ_ONLY' });
        await expect(reader.putTreeHead({ treeSize: 1, json: '{}' })).rejects.toMatchObject({
          code: 'READ_ONLY',
        });
      } finally {
        await reader.close();
      }
    } finally {
      await writer.close();
    }
  });

  it('refuses to open read-only a file that does not exist or is not a store', async () => {
    await expect(
      openSqliteStore(join(dir, 'missing.sqlite'), { readonly: true }),
    ).rejects.toMatchObject({
      code: 'IO',
    });
    const path = freshPath();
    const db = new Database(path);
    db.exec('create table other (x integer)');
    db.close();
    await expect(openSqliteStore(path, { readonly: true })).rejects.toMatchObject({
      code: 'SCHEMA_VERSION',
    });
    await expect(openSqliteStore(join(dir, 'no-such-dir', 'x.sqlite'))).rejects.toBeInstanceOf(
      StoreError,
    );
  });

  it('reports a lock held too long as IO, and recovers once it is released', async () => {
    const path = freshPath();
    const store = await openSqliteStore(path, { busyTimeoutMs: 50 });
    try {
      expect((await store.append([entry('a')])).ok).toBe(true);
      const other = new Database(path);
      try {
        other.exec('begin immediate');
        const failed = store.append([entry('b')]);
        await expect(failed).rejects.toMatchObject({ code: 'IO', where: 'append' });
        await expect(failed).rejects.toThrow(/SQLITE_BUSY/);
        other.exec('rollback');
      } finally {
        other.close();
      }
      const retried = await store.append([entry('b')]);
      expect(retried.ok ? retried.value : retried.error).toEqual({ first: 1, count: 1 });
      expect((await store.range(0, 5)).map(tagOf)).toEqual(['a', 'b']);
    } finally {
      await store.close();
    }
  });
});
