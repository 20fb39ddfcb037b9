import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash } from '@node-rs/argon2';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createSession, SESSION_COOKIE } from '../../src/features/auth/session.ts';
import { mailIntakeFor } from '../../src/features/channels/email/intake-process.ts';
import type { MailHandler, MailIntake } from '../../src/features/channels/email/intake-types.ts';
import { intakeDepsOf, mailHandler, tooLargeHook } from '../../src/features/channels/email/receive-mail.ts';
import { createPublisherRegistry } from '../../src/features/channels/publishers.ts';
import { type ChannelRegistry, createChannelRegistry } from '../../src/features/channels/registry.ts';
import type { Publisher, PublisherRegistry } from '../../src/features/channels/types.ts';
import { type Clock, systemClock } from '../../src/infra/clock.ts';
import { type Database, type Db, openDatabase, runMigrations } from '../../src/infra/db.ts';
import { createLogger, type Logger } from '../../src/infra/log.ts';
import { fileMailer, type Mailer, smtpMailer } from '../../src/infra/mailer.ts';
import { createQueue, type Queue } from '../../src/infra/queue.ts';
import { teamMembers, type UserRole, users } from '../../src/infra/schema/index.ts';
import { createSecretBox, localSecretKey, type SecretBox } from '../../src/infra/secrets.ts';
import { fileStorage, type Storage } from '../../src/infra/storage.ts';
import { allJobs } from '../../src/jobs.ts';
import { subscribeAll } from '../../src/subscribers.ts';
import { TEMPLATE_DB, withDatabase } from './global-setup.ts';

/** Which database this vitest project runs the integration tests on (see vitest.config.ts). */
export const dbKind: 'pglite' | 'postgres' = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
const pgAdminUrl = dbKind === 'postgres' ? inject('pgAdminUrl') : '';
/** True when the postgres project runs without a PostgreSQL (outside CI): such tests are skipped. */
export const pgUnavailable = dbKind === 'postgres' && !pgAdminUrl;

/** describe() for integration tests: names the database and skips (loudly, in global setup) without PostgreSQL. */
export function describeDb(name: string, fn: () => void): void {
  describe.skipIf(pgUnavailable)(`${name} [${dbKind}]`, fn);
}

export interface TestContext {
  app: FastifyInstance;
  db: Db;
  database: Database;
  config: Config;
  queue: Queue;
  mailer: Mailer;
  storage: Storage;
  clock: Clock;
  channels: ChannelRegistry;
  publishers: PublisherRegistry;
  secrets: SecretBox;
  log: Logger;
  dataDir: string;
  mailIntake: MailIntake | null;
  /** Starts the job workers (mail delivery …) with fast polling. */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

export interface ContextOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** Collects every log line (JSON, level info and up) here instead of discarding them. */
  logLines?: string[];
  /**
   * Gives the app a mail intake (not started) with this handler, for "Jetzt abrufen"; 'pipeline': the
   * real one (parse, then intake), as in production. Without it MAIL_INTAKE is off.
   */
  mailHandler?: MailHandler | 'pipeline';
  /** Publishers of social accounts (test/fakes/test-publisher.ts); default: the registry main.ts builds. */
  publishers?: Publisher[];
}

async function openTestDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  if (dbKind === 'pglite') {
    const template = readFileSync(inject('pgliteTemplate'));
    const database = await openDatabase({ loadDataDir: new Blob([template]) });
    await runMigrations(database);
    return { database, drop: async () => {} };
  }
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
  await admin.end();
  const database = await openDatabase({ url: withDatabase(pgAdminUrl, name), poolSize: 5 });
  return {
    database,
    drop: async () => {
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A real app on a fresh database, built the way main.ts builds it, with test-friendly settings. */
export async function createTestContext(opts: ContextOptions = {}): Promise<TestContext> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amtsblatt-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://localhost:3000',
    DEMO_DATA: 'false',
    MAIL_INTAKE: opts.mailHandler ? 'on' : 'off',
    ...opts.env,
  });
  const lines = opts.logLines;
  const log = lines ? createLogger('info', false, { write: (line: string) => void lines.push(line) }) : createLogger(config.logLevel);
  const { database, drop } = await openTestDatabase();
  const queue = await createQueue(database, log, { pollingIntervalSeconds: 0.5 });
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl) : fileMailer(join(dataDir, 'outbox'));
  const storage = fileStorage(join(dataDir, 'uploads'));
  const clock = opts.clock ?? systemClock;
  const channels = createChannelRegistry({ publicUrl: config.publicUrl, townName: config.townName });
  const secrets = createSecretBox(config.secretKey ?? localSecretKey(dataDir));
  const publishers: PublisherRegistry = opts.publishers ? new Map(opts.publishers.map((p) => [p.kind, p])) : createPublisherRegistry();
  const deps = { config, database, queue, storage, clock, log, channels, publishers, secrets };
  subscribeAll(deps);
  const pipeline = intakeDepsOf(deps);
  const mailIntake =
    opts.mailHandler === 'pipeline'
      ? mailIntakeFor(deps, mailHandler(pipeline), tooLargeHook(pipeline))
      : mailIntakeFor(deps, opts.mailHandler);
  const app = await buildApp({ ...deps, mailIntake, sessionSecret: randomBytes(32).toString('hex') });
  await app.ready();
  return {
    app,
    db: database.db,
    database,
    config,
    queue,
    mailer,
    storage,
    clock,
    channels,
    publishers,
    secrets,
    log,
    dataDir,
    startWorkers: () => queue.work(allJobs({ ...deps, mailer })),
    mailIntake,
    async close() {
      await mailIntake?.stop();
      await app.close();
      await queue.stop();
      mailer.close();
      await database.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestUser {
  id: number;
  email: string;
  password: string;
  /** Cookie header of a signed-in session for this user. */
  cookie: string;
}

/** Creates a user (optionally in teams) and signs them in directly, without the login form. */
export async function createUser(
  ctx: TestContext,
  opts: { email?: string; name?: string; role?: UserRole; teamIds?: number[]; password?: string } = {},
): Promise<TestUser> {
  const password = opts.password ?? 'richtig-gutes-passwort';
  const email = opts.email ?? `user-${randomBytes(4).toString('hex')}@musterstadt.example`;
  const [row] = await ctx.db
    .insert(users)
    .values({ email, displayName: opts.name ?? 'Test Person', passwordHash: await hash(password), role: opts.role ?? 'staff' })
    .returning({ id: users.id });
  if (!row) throw new Error('user not created');
  for (const teamId of opts.teamIds ?? []) await ctx.db.insert(teamMembers).values({ userId: row.id, teamId });
  const session = await createSession(ctx.db, ctx.clock, row.id);
  return { id: row.id, email, password, cookie: `${SESSION_COOKIE}=${ctx.app.signCookie(session.cookieValue)}` };
}

/** Loads a page and returns its CSRF token plus the cookie that goes with it (and the page itself). */
export async function csrfFor(app: FastifyInstance, url: string, cookie = ''): Promise<{ token: string; cookie: string; body: string }> {
  const res = await app.inject({ method: 'GET', url, headers: { cookie, accept: 'text/html' } });
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  if (!token) throw new Error(`no CSRF token on ${url} (status ${res.statusCode})`);
  const setCookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const csrfCookie = setCookies.map((c) => c.split(';')[0]).join('; ');
  return { token, cookie: [cookie, csrfCookie].filter(Boolean).join('; '), body: res.body };
}

/** Waits until `check` returns a truthy value (jobs run asynchronously). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
