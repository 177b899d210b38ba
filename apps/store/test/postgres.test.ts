// The behavioural suite against a real PostgreSQL server, every test in a
// schema of its own that is dropped afterwards. The server is taken from
// ACTA_TEST_POSTGRES_URL, else postgres@ or root@127.0.0.1:5432/test. If none
// answers the tests FAIL, unless ACTA_SKIP_POSTGRES=1 says to skip them: CI
// has PostgreSQL, and a store suite that silently passes proves nothing.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION_KEY, openPostgresStore } from '../src/index.js';
import { entry } from './helpers.js';
import { describeStoreSuite } from './store-suite.js';

const CANDIDATES = process.env.ACTA_TEST_POSTGRES_URL
  ? [process.env.ACTA_TEST_POSTGRES_URL]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
const SKIP = process.env.ACTA_SKIP_POSTGRES === '1';

async function findServer(): Promise<{ url: string } | { problems: string[] }> {
  const problems: string[] = [];
  for (const url of CANDIDATES) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return { url };
    } catch (error) {
      problems.push(`${new URL(url).username}@${new URL(url).host}: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return { problems };
}

const server = await findServer();

if ('problems' in server) {
  if (SKIP) {
    describe.skip('PostgreSQL store (skipped: ACTA_SKIP_POSTGRES=1)', () => {
      it('needs a PostgreSQL server', () => undefined);
    });
  } else {
    describe('PostgreSQL store', () => {
      it('reaches a PostgreSQL server', () => {
        throw new Error(
          `PostgreSQL is unreachable (${server.problems.join('; ')}). Start it, set ` +
            'ACTA_TEST_POSTGRES_URL, or set ACTA_SKIP_POSTGRES=1 to skip these tests on purpose.',
        );
      });
    });
  }
} else {
  const url = server.url;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const run = `acta_test_${process.pid}_${Date.now().toString(36)}`;
  const schemas: string[] = [];

  afterAll(async () => {
    try {
      for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`);
      const left = await admin.query<{ n: string }>(
        'select count(*) as n from pg_namespace where nspname like $1',
        [`${run}%`],
      );
      expect(left.rows[0]!.n).toBe('0');
    } finally {
      await admin.end();
    }
  });

  describeStoreSuite('PostgreSQL store', {
    dialect: 'postgres',
    concurrentWriters: true,
    fresh: () => {
      const schema = `${run}_${schemas.length}`;
      schemas.push(schema);
      return Promise.resolve(schema);
    },
    open: (schema, options) =>
      openPostgresStore({ connectionString: url, schema, poolSize: 4, ...options }),
    writeSchemaVersion: async (schema, value) => {
      await admin.query(`update ${schema}.meta set value = $1 where key = $2`, [
        value,
        SCHEMA_VERSION_KEY,
      ]);
    },
  });

  describe('PostgreSQL store specifics', () => {
    it('creates its tables in its own schema, claims under a named unique constraint', async () => {
      const schema = `${run}_specifics`;
      schemas.push(schema);
      const store = await openPostgresStore({ connectionString: url, schema });
      try {
        const tables = await admin.query<{ table_name: string }>(
          'select table_name from information_schema.tables where table_schema = $1 order by 1',
          [schema],
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual([
          'claims',
          'entries',
          'entry_keys',
          'kind_counts',
          'meta',
          'tree_heads',
        ]);
        const constraint = await admin.query<{ contype: string }>(
          `select contype from pg_constraint c join pg_namespace n on n.oid = c.connamespace
           where n.nspname = $1 and conname = 'acta_claims_unique'`,
          [schema],
        );
        expect(constraint.rows.map((r) => r.contype)).toEqual(['p']);
        expect((await store.append([entry('a')])).ok).toBe(true);
        // The database itself refuses a second holder of a claim.
        await admin.query(`insert into ${schema}.claims values ('s', 'k', 0)`);
        await expect(
          admin.query(`insert into ${schema}.claims values ('s', 'k', 0)`),
        ).rejects.toThrow(/acta_claims_unique/);
      } finally {
        await store.close();
      }
    });

    it('opens concurrently on a new schema without racing on CREATE', async () => {
      const schema = `${run}_race`;
      schemas.push(schema);
      const stores = await Promise.all(
        [0, 1, 2].map(() => openPostgresStore({ connectionString: url, schema, poolSize: 2 })),
      );
      try {
        expect(await Promise.all(stores.map((s) => s.size()))).toEqual([0, 0, 0]);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('reports an unreachable server as IO without repeating the connection string', async () => {
      const secret = 'hunter2-not-a-real-password';
      const error: unknown = await openPostgresStore({
        connectionString: `postgres://acta:${secret}@127.0.0.1:1/none`,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'IO', where: 'open' });
      expect((error as Error).message).toMatch(/cannot connect to PostgreSQL/);
      expect((error as Error).message).not.toContain(secret);
    });

    it('refuses a schema name that is not a plain identifier', async () => {
      await expect(
        openPostgresStore({ connectionString: url, schema: 'x; drop table y' }),
      ).rejects.toMatchObject({ code: 'INVALID_REQUEST', where: 'options.schema' });
    });
  });
}
