import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { dbKind, describeDb } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { TEMPLATE_DB, withDatabase } from '../../../test/helpers/global-setup.ts';
import { amtsblatt } from '../../../test/helpers/processes.ts';
import { openDatabase, runMigrations } from '../../infra/db.ts';
import { teamMembers, users } from '../../infra/schema/index.ts';
import { verifyPassword } from '../auth/password.ts';

/** Without a running server (or on PostgreSQL) the command line opens the database itself. */
describeDb('amtsblatt user (command line)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'amtsblatt-cli-'));
  const env: Record<string, string> = { DATA_DIR: dataDir };
  let dropDatabase = async () => {};
  const open = () => openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL, poolSize: 1 } : { dataDir });

  beforeAll(async () => {
    if (dbKind === 'postgres') {
      const adminUrl = inject('pgAdminUrl');
      const name = `cli_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
      await admin.end();
      env.DATABASE_URL = withDatabase(adminUrl, name);
      dropDatabase = async () => {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      };
    }
    // Teams to join; the database is closed again before the CLI opens it.
    const database = await open();
    await runMigrations(database);
    await seedBasics(database.db);
    await database.close();
  });
  afterAll(async () => {
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a user with a generated password shown once, then lists it', { timeout: 90_000 }, async () => {
    const add = await amtsblatt(
      ['user', 'add', '--email', 'Paula.Platz@Musterstadt.example', '--name', 'Paula Platz', '--role', 'admin', '--team', 'leitstelle'],
      env,
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('Zugang angelegt: Paula Platz <paula.platz@musterstadt.example>, Rolle Verwaltung, Teams: Leitstelle');
    const password = /wird nur jetzt angezeigt.*\n\s+(\S+)/.exec(add.stdout)?.[1] ?? '';
    expect(password).toMatch(/^\w{4}(-\w{4}){4}$/);

    const list = await amtsblatt(['user', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/paula\.platz@musterstadt\.example\s+Paula Platz\s+Verwaltung\s+leitstelle\s+aktiv/);

    const database = await open();
    try {
      const [row] = await database.db.select().from(users).where(eq(users.email, 'paula.platz@musterstadt.example'));
      expect(row?.role).toBe('admin');
      expect(await verifyPassword(row?.passwordHash ?? '', password)).toBe(true);
      expect(
        await database.db
          .select()
          .from(teamMembers)
          .where(eq(teamMembers.userId, row?.id ?? 0)),
      ).toHaveLength(1);
    } finally {
      await database.close();
    }
  });

  it('rejects an unknown team with exit code 2, lists the existing slugs and creates nothing', { timeout: 90_000 }, async () => {
    const res = await amtsblatt(
      ['user', 'add', '--email', 'otto@musterstadt.example', '--name', 'Otto', '--team', 'leitstelle', 'bauhof'],
      env,
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('Unbekanntes Team: bauhof. Vorhandene Teams: innovationsmanagement, leitstelle, tiefbauamt');
    expect(res.stdout).toBe('');
    const database = await open();
    try {
      const rows = await database.db.select().from(users).where(sql`lower(${users.email}) = 'otto@musterstadt.example'`);
      expect(rows).toHaveLength(0);
    } finally {
      await database.close();
    }
  });
});
