import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { acquireDataLock } from './data-lock.ts';
import { trackCommits } from './events.ts';
import type { Logger } from './log.ts';
import { projectRoot } from './project-root.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** Both drivers share this type, so features never know which database they run on. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** What a transaction callback receives; queries accept either a Db or a transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type Database =
  | { kind: 'pglite'; db: Db; pglite: PGlite; close(): Promise<void> }
  | { kind: 'postgres'; db: Db; pool: pg.Pool; close(): Promise<void> };

const migrationsFolder = join(projectRoot, 'drizzle');

// The extensions the migrations create (PostgreSQL ships them in contrib; PGlite loads them here).
const pgliteExtensions = { pg_trgm };

// Migrations from several app processes starting at once must not race: one takes the lock.
const MIGRATION_LOCK = 727_311;

export async function openDatabase(opts: {
  url?: string;
  dataDir?: string;
  poolSize?: number;
  /** A PGlite data-dir dump to start from (tests: a migrated template loads in a fraction of an initdb). */
  loadDataDir?: Blob;
  /** Who opens the data folder ("amtsblatt serve"), named to a second opener that is refused. */
  purpose?: string;
  /** Hears of a lock taken over from a process that died. */
  log?: Logger;
}): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    // An idle client that loses its server emits 'error'; without a listener that kills the process.
    pool.on('error', () => {});
    const db = trackCommits(drizzlePg(pool, { schema }) as unknown as Db);
    return { kind: 'postgres', db, pool, close: () => pool.end() };
  }
  if (!opts.dataDir) {
    const pglite = await PGlite.create(
      opts.loadDataDir ? { loadDataDir: opts.loadDataDir, extensions: pgliteExtensions } : { extensions: pgliteExtensions },
    );
    const db = trackCommits(drizzlePglite(pglite, { schema }) as unknown as Db);
    return { kind: 'pglite', db, pglite, close: () => pglite.close() };
  }
  const dataDir = opts.dataDir;
  // The folder holds the database, photos and the session secret: only the server's user reads it.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = await acquireDataLock(dataDir, opts.purpose ?? 'amtsblatt', (stale) =>
    opts.log?.warn({ dataDir, stale }, 'took over the lock of the embedded database from a process that no longer runs'),
  );
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(join(dataDir, 'pgdata'), { extensions: pgliteExtensions });
  } catch (err) {
    lock.release();
    throw err;
  }
  const db = trackCommits(drizzlePglite(pglite, { schema }) as unknown as Db);
  const close = async () => {
    try {
      await pglite.close();
    } finally {
      lock.release();
    }
  };
  return { kind: 'pglite', db, pglite, close };
}

export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  const client = await database.pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

/** Cheap liveness probe used by /health and by the 503 handling. */
export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
