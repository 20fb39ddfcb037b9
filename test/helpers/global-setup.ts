import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, runMigrations } from '../../src/infra/db.ts';
import { createLogger } from '../../src/infra/log.ts';
import { createQueue } from '../../src/infra/queue.ts';
import { type Cluster, findPgBin, startCluster } from './postgres-cluster.ts';

export const TEMPLATE_DB = 'amtsblatt_template';

/**
 * Starts PostgreSQL for the run (unless TEST_DATABASE_URL points to one) and prepares a migrated
 * template database; every test file then clones it, which takes milliseconds.
 * Outside CI a missing PostgreSQL skips those tests loudly; with CI=true it fails the run.
 */
export default async function setup(project: TestProject) {
  const pgliteTemplate = await preparePgliteTemplate();
  project.provide('pgliteTemplate', pgliteTemplate.path);
  const stopPostgres = await preparePostgres(project);
  return async () => {
    stopPostgres();
    rmSync(pgliteTemplate.dir, { recursive: true, force: true });
  };
}

/** PGlite's initdb costs seconds; a migrated dump loads in a fraction of that for every test file. */
async function preparePgliteTemplate(): Promise<{ dir: string; path: string }> {
  const database = await openDatabase({});
  await runMigrations(database);
  const queue = await createQueue(database, createLogger('silent'));
  await queue.stop();
  if (database.kind !== 'pglite') throw new Error('expected PGlite');
  const dump = await database.pglite.dumpDataDir('none');
  await database.close();
  const dir = mkdtempSync(join(tmpdir(), 'amtsblatt-pglite-template-'));
  const path = join(dir, 'template.tar');
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  return { dir, path };
}

async function preparePostgres(project: TestProject): Promise<() => void> {
  let cluster: Cluster | null = null;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const bin = findPgBin();
    if (!bin) {
      const msg =
        'PostgreSQL (initdb/pg_ctl) nicht gefunden: die PostgreSQL-Tests werden ÜBERSPRUNGEN. Installieren: apt-get install postgresql';
      if (process.env.CI === 'true') throw new Error(`${msg} – mit CI=true ist das ein Fehler.`);
      process.stderr.write(`\n\n!!!!!!!!!!\n${msg}\n!!!!!!!!!!\n\n`);
      project.provide('pgAdminUrl', '');
      return () => {};
    }
    cluster = await startCluster(bin);
    adminUrl = cluster.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB}`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const templateUrl = withDatabase(adminUrl, TEMPLATE_DB);
  const database = await openDatabase({ url: templateUrl, poolSize: 2 });
  await runMigrations(database);
  // pg-boss creates its own schema on start; doing it once here lets every clone skip it.
  const queue = await createQueue(database, createLogger('silent'));
  await queue.stop();
  await database.close();
  project.provide('pgAdminUrl', adminUrl);
  return () => cluster?.stop();
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgliteTemplate: string;
  }
}
