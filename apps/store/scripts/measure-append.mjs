// Measures how many entries per second @acta/store appends durably (issue #4
// item 2), on SQLite (a file on disk: WAL, synchronous = FULL) and on
// PostgreSQL (synchronous_commit = on), in three patterns:
//
//   sequential  one entry per append, each awaited before the next (one commit each)
//   concurrent  1,000 appends of one entry issued at once, as a server receiving
//               ballots would (group commit: they share transactions)
//   batch-100   appends of 100 entries each, awaited one after another
//
// Every entry looks like a ballot: a payload of --payload bytes, its 32-byte
// leaf hash, one lookup key (its mesa) and one unique claim (its tracking code).
// Not a test: it prints figures for docs/performance.md. It runs the built
// package, so build first:
//
//   npx tsc -b apps/store
//   node apps/store/scripts/measure-append.mjs [--dir DIR] [--payload BYTES]
//        [--postgres URL | --no-postgres] [--json]
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';

let store;
try {
  store = await import('../dist/index.js');
} catch (error) {
  process.stderr.write(
    `cannot load apps/store/dist (${error.message}); build it first: npx tsc -b apps/store\n`,
  );
  process.exit(1);
}
const { openSqliteStore, openPostgresStore } = store;

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string', default: process.env.TMPDIR ?? '/tmp' },
    payload: { type: 'string', default: '2048' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'no-postgres': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const PAYLOAD_BYTES = Number(args.payload);
if (!Number.isSafeInteger(PAYLOAD_BYTES) || PAYLOAD_BYTES < 1 || PAYLOAD_BYTES > 1024 * 1024) {
  process.stderr.write('--payload must be an integer in [1, 1048576]\n');
  process.exit(2);
}

const SEQUENTIAL = 1000;
const CONCURRENT = 1000;
const CONCURRENT_ROUNDS = 10;
const BATCH = 100;
const BATCHES = 100;

const log = (line) => process.stderr.write(`${line}\n`);

let serial = 0;
/** A ballot-like entry with a fresh tracking code. */
function makeEntry() {
  const n = serial++;
  const payload = randomBytes(PAYLOAD_BYTES);
  const leafHash = new Uint8Array(
    createHash('sha256').update(Uint8Array.of(0)).update(payload).digest(),
  );
  return {
    kind: 'ballot',
    payload,
    leafHash,
    keys: [{ name: 'mesa', value: `0101001.${String(n % 600).padStart(3, '0')}` }],
    claims: [{ scope: 'tracking/measure', key: `t${n}` }],
  };
}

function expectOk(result) {
  if (!result.ok) throw new Error(`append refused: ${result.error.message}`);
  return result.value;
}

/** Runs the three patterns on an open store; returns entries/s and details. */
async function measure(open) {
  let transactions = 0;
  const s = await open(() => {
    transactions++;
    return Date.now();
  });
  try {
    // Warm-up: schema pages, statement compilation, JIT.
    for (let i = 0; i < 20; i++) expectOk(await s.append([makeEntry()]));
    expectOk(await s.append(Array.from({ length: BATCH }, makeEntry)));

    const entriesSeq = Array.from({ length: SEQUENTIAL }, makeEntry);
    let t = performance.now();
    for (const e of entriesSeq) expectOk(await s.append([e]));
    const sequentialMs = performance.now() - t;

    const rounds = Array.from({ length: CONCURRENT_ROUNDS }, () =>
      Array.from({ length: CONCURRENT }, makeEntry),
    );
    transactions = 0;
    t = performance.now();
    for (const round of rounds) {
      const results = await Promise.all(round.map((e) => s.append([e])));
      results.forEach(expectOk);
    }
    const concurrentMs = performance.now() - t;
    const concurrentTransactions = transactions;

    const batches = Array.from({ length: BATCHES }, () => Array.from({ length: BATCH }, makeEntry));
    t = performance.now();
    for (const batch of batches) expectOk(await s.append(batch));
    const batchMs = performance.now() - t;

    const size = await s.size();
    const expected = 20 + BATCH + SEQUENTIAL + CONCURRENT * CONCURRENT_ROUNDS + BATCH * BATCHES;
    if (size !== expected) throw new Error(`size ${size}, expected ${expected}`);
    return {
      sequential_per_s: Math.round((SEQUENTIAL / sequentialMs) * 1000),
      sequential_ms_per_append: Number((sequentialMs / SEQUENTIAL).toFixed(3)),
      concurrent_1000_per_s: Math.round(((CONCURRENT * CONCURRENT_ROUNDS) / concurrentMs) * 1000),
      concurrent_1000_transactions_per_round: concurrentTransactions / CONCURRENT_ROUNDS,
      concurrent_1000_ms_per_round: Number((concurrentMs / CONCURRENT_ROUNDS).toFixed(1)),
      batch_100_per_s: Math.round(((BATCH * BATCHES) / batchMs) * 1000),
      batch_100_ms_per_append: Number((batchMs / BATCHES).toFixed(2)),
    };
  } finally {
    await s.close();
  }
}

/** The filesystem type holding dir (from /proc/mounts, Linux only). */
function filesystemOf(dir) {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter((f) => f.length > 2 && resolve(dir).startsWith(f[1]))
      .sort((a, b) => b[1].length - a[1].length);
    return mounts[0] ? `${mounts[0][2]} (${mounts[0][0]} on ${mounts[0][1]})` : 'unknown';
  } catch {
    return 'unknown';
  }
}

const memory = new Database(':memory:');
const sqliteVersion = memory.prepare('select sqlite_version() as v').get().v;
memory.close();

const report = {
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gib: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  },
  payload_bytes: PAYLOAD_BYTES,
  sqlite: undefined,
  postgres: undefined,
};

// SQLite, in a fresh file under --dir.
const dir = mkdtempSync(join(args.dir, 'acta-store-measure-'));
try {
  log(`SQLite ${sqliteVersion}: file in ${dir}, filesystem ${filesystemOf(dir)}`);
  report.sqlite = {
    version: sqliteVersion,
    filesystem: filesystemOf(dir),
    ...(await measure((now) => openSqliteStore(join(dir, 'board.sqlite'), { now }))),
  };
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// PostgreSQL, in a schema of its own, dropped afterwards.
if (!args['no-postgres']) {
  const admin = new pg.Client({ connectionString: args.postgres });
  try {
    await admin.connect();
  } catch (error) {
    log(`PostgreSQL unreachable (${error.message}); use --no-postgres to skip it`);
    process.exit(1);
  }
  const schema = `acta_measure_${process.pid}`;
  try {
    const settings = await admin.query(
      "select version() as v, current_setting('fsync') as fsync, current_setting('wal_sync_method') as sync",
    );
    const row = settings.rows[0];
    log(`${row.v.split(',')[0]}: fsync ${row.fsync}, wal_sync_method ${row.sync}`);
    report.postgres = {
      version: row.v.split(',')[0],
      fsync: row.fsync,
      wal_sync_method: row.sync,
      ...(await measure((now) =>
        openPostgresStore({ connectionString: args.postgres, schema, now }),
      )),
    };
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

const m = report.machine;
const lines = [
  `Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB, Node ${m.node}, ${m.platform}`,
  `Entries: ${PAYLOAD_BYTES}-byte payload, 32-byte leaf hash, 1 key, 1 unique claim`,
  '',
  '| pattern | SQLite entries/s | PostgreSQL entries/s |',
  '| --- | ---: | ---: |',
];
const row = (label, key, detail) => {
  const cell = (r) => (r === undefined ? '—' : `${r[key].toLocaleString('en-US')} (${detail(r)})`);
  lines.push(`| ${label} | ${cell(report.sqlite)} | ${cell(report.postgres)} |`);
};
row(
  'sequential, 1 entry per append',
  'sequential_per_s',
  (r) => `${r.sequential_ms_per_append} ms/append`,
);
row(
  '1,000 concurrent appends of 1 entry',
  'concurrent_1000_per_s',
  (r) =>
    `${r.concurrent_1000_ms_per_round} ms per 1,000, ${r.concurrent_1000_transactions_per_round} transaction(s)`,
);
row('batches of 100 entries', 'batch_100_per_s', (r) => `${r.batch_100_ms_per_append} ms/batch`);
if (report.sqlite) lines.push('', `SQLite ${report.sqlite.version} on ${report.sqlite.filesystem}`);
if (report.postgres) {
  lines.push(
    `${report.postgres.version}, fsync ${report.postgres.fsync}, wal_sync_method ${report.postgres.wal_sync_method}`,
  );
}
log(lines.join('\n'));
if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
