import { hash } from '@node-rs/argon2';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../../infra/db.ts';
import type { Queue } from '../../../infra/queue.ts';
import {
  attachments,
  cases,
  categories,
  districts,
  heldMessages,
  teamMembers,
  teams,
  type UserRole,
  users,
} from '../../../infra/schema/index.ts';
import { seedDemoPosts } from '../../amtsblatt/desk/seed.ts';
import { contactRef } from '../../cases/contacts.ts';
import { seedFediverseNotes } from '../../channels/fediverse/seed.ts';
import { type IntakeDeps, receive } from '../../intake/service.ts';
import { seedDemoSubscriptions } from '../../public-follow/seed.ts';
import { retrainFromCases } from '../../routing/classifier/service.ts';
import { seedDefaultRules } from '../../routing/rules/defaults.ts';
import { seedSlaDefaults, settleSeededClock } from '../../sla/seed.ts';
import { seedTemplates } from '../../templates/seed.ts';
import type { DemoCase } from './case-types.ts';
import { seedFixChecks } from './fix-checks.ts';
import { insertHistory } from './insert-history.ts';
import { demoCases } from './musterstadt-cases.ts';
import {
  DEMO_MAIL_DOMAIN,
  demoCategories,
  demoDistricts,
  demoServiceExtras,
  demoTeams,
  demoUserEmail,
  demoUserPassword,
  demoUsers,
} from './musterstadt-data.ts';
import { type PlayContext, type PlayedCase, playStep } from './play.ts';
import { demoPhoto, demoPolicy, hasDemoPhoto, publishDemoCases } from './publication.ts';

export interface DemoLogin {
  role: UserRole;
  email: string;
  password: string;
  note: string;
}

export interface DemoTown {
  logins: DemoLogin[];
}

// Distinct from the migration lock in infra/db.ts; only one process may seed.
const SEED_LOCK = 727_312;
const HOUR = 3_600_000;

/**
 * Creates the demo town "Musterstadt" (teams, categories, districts, staff, last year's closed
 * reports, six weeks of cases, and a classifier learnt from them)
 * when the database has no teams yet; otherwise returns null and changes nothing, so it is safe on
 * every start. Everything happens in one transaction under an advisory lock: two processes starting
 * at once seed once, and a failure leaves no half-built town behind.
 *
 * Cases enter through the intake pipeline like real ones. Their acknowledgement and reply mails go
 * to @example.org addresses, so they reach nobody; without SMTP they only land as .eml files.
 */
export async function ensureDemoTown(deps: IntakeDeps, opts: { townName: string }): Promise<DemoTown | null> {
  const log = deps.log.child({ module: 'seed' });
  if (await hasTeams(deps.db)) return null;
  // argon2 is slow on purpose; hash before the transaction so the lock is held briefly.
  const staff = await Promise.all(demoUsers.map(async (u) => ({ ...u, passwordHash: await hash(demoUserPassword(u.key)) })));
  const deferred = deferredQueue();
  const seeded = await deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK}::bigint)`);
    if (await hasTeams(tx)) return null;
    const town = await insertTown(tx, staff);
    await seedTemplates(tx, town.teamIds, opts.townName);
    await seedDefaultRules(tx, deps.clock.now());
    await seedSlaDefaults(tx, town.teamIds, demoLeads(town));
    await insertHistory(tx, town, deps.clock.now());
    await insertCases({ ...deps, db: tx, queue: deferred.queue }, tx, town, opts.townName);
    await insertHeldMail(tx, deps.clock.now());
    await seedDemoSubscriptions(tx, deps.clock.now());
    const desk = { editor: town.users.redaktion.id, approver: town.users.freigabe.id, recorder: town.users.admin.id };
    await seedDemoPosts(tx, deps.clock.now(), desk, deps.config.publicUrl);
    await seedFediverseNotes(tx, deps.clock.now());
    return true;
  });
  if (seeded === null) return null;
  await deferred.flush(deps.queue);
  // The classifier learns from last year's history once, now, instead of waiting for the night:
  // the first report of the demo already shows what it does. The town stands without it too, so a
  // failure here is logged and the nightly job tries again.
  const classifier = await retrainFromCases({ db: deps.db, log: deps.log.child({ module: 'classifier' }) }).then(
    (trained) => ('id' in trained ? trained.id : trained.skipped),
    (err: unknown) => {
      log.warn({ err }, 'demo classifier not trained; the nightly job will try again');
      return null;
    },
  );
  log.info({ town: opts.townName, cases: demoCases.length, classifier }, 'demo town created');
  return {
    logins: demoUsers.map((u) => ({ role: u.role, email: demoUserEmail(u.key), password: demoUserPassword(u.key), note: u.note })),
  };
}

/** Each demo team's one member leads it, so a missed deadline has someone to tell. */
function demoLeads(town: Town): Map<string, number> {
  return new Map(demoUsers.flatMap((u) => u.teams.map((slug) => [slug, town.users[u.key].id] as const)));
}

async function hasTeams(db: DbOrTx): Promise<boolean> {
  const rows = await db.select({ id: teams.id }).from(teams).limit(1);
  return rows.length > 0;
}

interface Town {
  teamIds: Map<string, number>;
  teamNames: Map<number, string>;
  categoryIds: Map<string, number>;
  users: PlayContext['users'];
}

async function insertTown(tx: Tx, staff: ((typeof demoUsers)[number] & { passwordHash: string })[]): Promise<Town> {
  const teamRows = await tx
    .insert(teams)
    .values(demoTeams.map((t) => ({ slug: t.slug, name: t.name, email: `${t.slug}@${DEMO_MAIL_DOMAIN}` })))
    .returning();
  const teamIds = new Map(teamRows.map((t) => [t.slug, t.id]));
  const teamId = (slug: string) => {
    const id = teamIds.get(slug);
    if (id === undefined) throw new Error(`demo data names unknown team ${slug}`);
    return id;
  };
  const categoryRows = await tx
    .insert(categories)
    .values(
      demoCategories.map((c) => ({
        slug: c.slug,
        name: c.name,
        groupName: c.group,
        defaultTeamId: teamId(c.team),
        duplicateRadiusM: c.radius ?? null,
        ...demoPolicy(c.group, c.slug),
        publishDelayMinutes: 30,
        ...demoServiceExtras[c.slug],
      })),
    )
    .returning({ id: categories.id, slug: categories.slug });
  await tx.insert(districts).values(demoDistricts);

  const userIds = {} as PlayContext['users'];
  for (const u of staff) {
    const [row] = await tx
      .insert(users)
      .values({ email: demoUserEmail(u.key), displayName: u.name, passwordHash: u.passwordHash, role: u.role })
      .returning({ id: users.id });
    if (!row) throw new Error('user insert returned nothing');
    if (u.teams.length > 0) await tx.insert(teamMembers).values(u.teams.map((slug) => ({ userId: row.id, teamId: teamId(slug) })));
    userIds[u.key] = { id: row.id, name: u.name };
  }
  return {
    teamIds,
    teamNames: new Map(teamRows.map((t) => [t.id, t.name])),
    categoryIds: new Map(categoryRows.map((c) => [c.slug, c.id])),
    users: userIds,
  };
}

/** Two mails of the kind that never becomes a case, so "Nicht zugeordnet" has something to show. */
async function insertHeldMail(tx: Tx, now: Date): Promise<void> {
  await tx.insert(heldMessages).values([
    {
      externalId: '<newsletter-2026-12@verlag.example>',
      reason: 'Newsletter oder Verteiler (List-Unsubscribe): keine Meldung an die Stadt.',
      sender: 'news@verlag.example',
      subject: 'Unser Dezember-Angebot für Kommunen',
      body: 'Jetzt zugreifen: 20 % auf alle Streusalz-Abos bis Jahresende!',
      receivedAt: new Date(now.getTime() - 3 * HOUR),
    },
    {
      externalId: '<leer-1@example.net>',
      reason: 'Die Mail enthält keinen Text und keinen Anhang.',
      sender: 'k.schmidt@example.net',
      subject: null,
      body: '(leer)',
      receivedAt: new Date(now.getTime() - 26 * HOUR),
    },
  ]);
}

/** When a demo case came in: `daysAgo` days before now at `hour` o'clock, never in the future. */
export function receivedAt(now: Date, daysAgo: number, hour: number): Date {
  const d = new Date(now.getTime() - daysAgo * 24 * HOUR);
  d.setHours(hour, 0, 0, 0);
  return d.getTime() <= now.getTime() ? d : new Date(now.getTime() - 10 * 60_000);
}

async function insertCases(deps: IntakeDeps, tx: Tx, town: Town, townName: string): Promise<void> {
  const now = deps.clock.now();
  const ctx: PlayContext = {
    tx,
    teams: { ids: town.teamIds, names: town.teamNames },
    channels: deps.channels,
    publicUrl: deps.config.publicUrl,
    users: town.users,
  };
  const timeline = demoCases
    .map((c, index) => ({ c, index, at: receivedAt(now, c.daysAgo, c.hour) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const toPublish: Parameters<typeof publishDemoCases>[1] = [];
  for (const { c, index, at } of timeline) {
    const photos = hasDemoPhoto(index, c.category) ? await demoPhoto(deps.storage, index) : [];
    const result = await receive(deps, { ...inboundOf(c, index, at, town, townName), photos });
    const played = await loadCase(tx, result.caseId, town);
    const category = demoCategories.find((k) => k.slug === c.category);
    const photoIds = (await tx.select({ id: attachments.id }).from(attachments).where(eq(attachments.caseId, result.caseId))).map(
      (a) => a.id,
    );
    toPublish.push({
      caseId: result.caseId,
      index,
      at,
      photoIds,
      policy: category ? demoPolicy(category.group, category.slug).publication : 'moderated',
    });
    let last = at.getTime();
    for (const step of c.steps) {
      // Steps stay in order and in the past, even for a case that came in an hour ago.
      last = Math.min(Math.max(last, at.getTime() + step.after * HOUR), now.getTime());
      await playStep(ctx, played, step, new Date(last));
    }
    await settleSeededClock(tx, result.caseId, now, deps.config.bundesland);
  }
  await publishDemoCases(tx, toPublish, town.users.leitstelle, now);
  // A "nein" reopens its case, and its clock runs again from the played history.
  for (const caseId of await seedFixChecks(tx, deps.config.publicUrl, now)) {
    await settleSeededClock(tx, caseId, now, deps.config.bundesland);
  }
}

function inboundOf(c: DemoCase, index: number, at: Date, town: Town, townName: string) {
  const categoryId = c.category === null ? null : town.categoryIds.get(c.category);
  if (categoryId === undefined) throw new Error(`demo case names unknown category ${c.category}`);
  return {
    channel: c.channel,
    // Mail intake keys on the Message-ID; the other channels need no external id.
    externalId: c.channel === 'email' ? `<demo-${index + 1}@example.org>` : null,
    threadKey: c.channel === 'email' ? `email:<demo-${index + 1}@example.org>` : null,
    type: c.type,
    categoryId,
    description: c.text.replaceAll('{stadt}', townName),
    locationText: c.place?.street ?? null,
    lat: c.place?.lat ?? null,
    lon: c.place?.lon ?? null,
    reporterName: c.reporter?.name ?? null,
    reporterEmail: c.reporter?.email ?? null,
    // Only the web form asks for consent; the other channels give their data by getting in touch.
    consentAt: c.channel === 'web' && c.reporter ? at : null,
    receivedAt: at,
  };
}

async function loadCase(tx: Tx, caseId: number, town: Town): Promise<PlayedCase> {
  const [row] = await tx.select().from(cases).where(eq(cases.id, caseId));
  if (!row) throw new Error(`demo case ${caseId} vanished`);
  return {
    id: row.id,
    number: row.number,
    channel: row.channel,
    channelAccountId: row.channelAccountId,
    reporterName: row.reporterName,
    contact: await contactRef(tx, row.contactId),
    trackingToken: row.trackingToken,
    teamName: row.teamId === null ? null : (town.teamNames.get(row.teamId) ?? null),
    status: row.status,
    priority: row.priority,
  };
}

/**
 * Holds back the jobs intake would start inside the seed transaction until it commits: a mail job
 * started earlier could not see the uncommitted outbox row, and on PGlite (one connection) the
 * queue would wait for the very transaction that is waiting for it.
 */
function deferredQueue() {
  const pending: ((q: Queue) => Promise<void>)[] = [];
  const queue: Queue = {
    send(job, payload, opts) {
      pending.push((q) => q.send(job, payload, opts));
      return Promise.resolve();
    },
    work: () => Promise.reject(new Error('the seed queue only collects jobs')),
    stop: () => Promise.resolve(),
  };
  return {
    queue,
    async flush(target: Queue) {
      for (const send of pending) await send(target);
    },
  };
}
