import { verify } from '@node-rs/argon2';
import { count, eq, isNull } from 'drizzle-orm';
import type { MultiPolygon, Polygon } from 'geojson';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, eventually, type TestContext } from '../../../../test/helpers/context.ts';
import { outboxMails } from '../../../../test/helpers/outbox.ts';
import {
  auditEvents,
  caseForwards,
  cases,
  categories,
  contacts,
  districts,
  fixChecks,
  heldMessages,
  messages,
  publicCases,
  publicSubscriptions,
  teamMembers,
  teams,
  users,
} from '../../../infra/schema/index.ts';
import type { IntakeDeps } from '../../intake/service.ts';
import { createClassifier } from '../../routing/classifier/classifier.ts';
import { listModels } from '../../routing/classifier/queries.ts';
import { districtAt } from '../../routing/geo.ts';
import { type DemoTown, ensureDemoTown } from './index.ts';
import { HISTORY_ACTOR } from './insert-history.ts';

/** History begins two months back (history.ts), the demo cases six weeks back. */
const HISTORY_STARTS_DAYS_AGO = 60;

describeDb('demo town seed', () => {
  let ctx: TestContext;
  let deps: IntakeDeps;
  let seeded: DemoTown;
  let firstResults: (DemoTown | null)[];
  beforeAll(async () => {
    ctx = await createTestContext();
    deps = { ...ctx, db: ctx.db };
    // Two starts at once (two processes, or serve and seed): exactly one of them builds the town.
    firstResults = await Promise.all([
      ensureDemoTown(deps, { townName: 'Musterstadt' }),
      ensureDemoTown(deps, { townName: 'Musterstadt' }),
    ]);
    const winner = firstResults.find((r) => r !== null);
    if (!winner) throw new Error('nobody seeded');
    seeded = winner;
  }, 120_000);
  afterAll(() => ctx.close());

  /** The six weeks of demo cases, without last year's imported history. */
  const recentCases = async () =>
    (await ctx.db.select().from(cases)).filter((c) => Date.now() - c.createdAt.getTime() < HISTORY_STARTS_DAYS_AGO * 86_400_000);

  it('seeds once when two starts race', () => {
    expect(firstResults.filter((r) => r === null)).toHaveLength(1);
  });

  it('sets publication per category and publishes a good share of the demo reports, some with photos, none of the noise complaints', async () => {
    const byslug = new Map((await ctx.db.select().from(categories)).map((c) => [c.slug, c]));
    expect(byslug.get('strassenschaden')).toMatchObject({ publication: 'auto', publishDelayMinutes: 30 });
    expect(byslug.get('falschparker')?.publication).toBe('moderated');
    expect(byslug.get('laerm')).toMatchObject({ publication: 'never', maskHouseNumbers: true });
    const shown = await ctx.db.select().from(publicCases);
    const recent = await recentCases();
    expect(shown.length).toBeGreaterThan(recent.length / 2);
    expect(shown.some((p) => p.photoIds.length > 0)).toBe(true);
    expect(shown.some((p) => p.categorySlug === 'laerm')).toBe(false);
    expect(new Set(shown.map((p) => p.status)).size).toBeGreaterThan(2);
  });

  it('has a few confirmed follow subscriptions to example.org addresses: a case, a district, a point', async () => {
    const rows = await ctx.db
      .select({
        kind: publicSubscriptions.kind,
        caseId: publicSubscriptions.caseId,
        districtId: publicSubscriptions.districtId,
        radiusM: publicSubscriptions.radiusM,
        confirmedAt: publicSubscriptions.confirmedAt,
        address: contacts.address,
      })
      .from(publicSubscriptions)
      .innerJoin(contacts, eq(contacts.id, publicSubscriptions.contactId))
      .orderBy(publicSubscriptions.id);
    expect(rows.map((r) => [r.kind, r.caseId !== null, r.districtId !== null, r.radiusM])).toEqual([
      ['case', true, false, null],
      ['area', false, true, null],
      ['area', false, false, 500],
    ]);
    for (const r of rows) {
      expect(r.confirmedAt).not.toBeNull();
      expect(r.address).toMatch(/@example\.org$/);
    }
  });

  it('has reporters who answered "Ist es wirklich behoben?" both ways, shown on /statistik', async () => {
    const checks = await ctx.db.select().from(fixChecks);
    expect(checks.filter((c) => c.answer === 'yes').length).toBeGreaterThanOrEqual(5);
    const no = checks.filter((c) => c.answer === 'no');
    expect(no.length).toBeGreaterThanOrEqual(1);
    // "nein" took the real path: the case is back at work, with the reason in its trail.
    for (const c of no) {
      const [kase] = await ctx.db.select().from(cases).where(eq(cases.id, c.caseId));
      expect(kase?.status).toBe('in_progress');
    }
    const confirmed = await ctx.db.select().from(publicCases).where(eq(publicCases.confirmedFixed, true));
    expect(confirmed.length).toBeGreaterThanOrEqual(5);
    const page = await ctx.app.inject({ url: '/statistik', headers: { accept: 'text/html' } });
    expect(page.body).toContain('Ja, es ist behoben.');
  });

  it('keeps a newsletter and an empty mail in "Nicht zugeordnet", and its e-mail cases have contacts and thread keys', async () => {
    const held = await ctx.db.select().from(heldMessages);
    expect(held.map((h) => h.sender).sort()).toEqual(['k.schmidt@example.net', 'news@verlag.example']);
    const mailCases = await ctx.db.select().from(cases).where(eq(cases.channel, 'email'));
    expect(mailCases.length).toBeGreaterThan(5);
    expect(mailCases.every((c) => c.reporterEmail === null || c.contactId !== null)).toBe(true);
    const keys = await ctx.db.select({ key: messages.threadKey }).from(messages).where(eq(messages.kind, 'inbound'));
    expect(keys.filter((k) => k.key?.startsWith('email:<demo-')).length).toBe(mailCases.length);
  });

  it('creates the six teams with their mail addresses, including the ones routing expects', async () => {
    const rows = await ctx.db.select().from(teams);
    expect(rows.map((t) => t.slug).sort()).toEqual(
      ['abfallwirtschaft', 'gruenflaechenamt', 'innovationsmanagement', 'leitstelle', 'ordnungsamt', 'tiefbauamt'].sort(),
    );
    for (const t of rows) expect(t.email).toBe(`${t.slug}@musterstadt.example`);
  });

  it('creates at least 20 grouped categories, each with a team', async () => {
    const rows = await ctx.db.select().from(categories);
    expect(rows.length).toBeGreaterThanOrEqual(20);
    for (const c of rows) {
      expect(c.defaultTeamId, c.slug).not.toBeNull();
      expect(c.groupName.length).toBeGreaterThan(0);
    }
    const [idea] = await ctx.db
      .select({ team: teams.slug })
      .from(categories)
      .innerJoin(teams, eq(teams.id, categories.defaultTeamId))
      .where(eq(categories.slug, 'hinweis-idee'));
    expect(idea?.team).toBe('innovationsmanagement');
  });

  it('creates five districts whose polygons contain the demo cases’ points', async () => {
    const rows = (await ctx.db.select().from(districts)) as { id: number; name: string; geometry: Polygon | MultiPolygon }[];
    expect(rows).toHaveLength(5);
    for (const d of rows) {
      expect(d.geometry.type).toBe('Polygon');
      const ring = (d.geometry as Polygon).coordinates[0] ?? [];
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring.at(-1));
    }
    const located = (await ctx.db.select().from(cases)).filter((c) => c.lat !== null && c.lon !== null);
    expect(located.length).toBeGreaterThanOrEqual(20);
    for (const c of located) {
      const district = districtAt(rows, c.lat as number, c.lon as number);
      expect(district, c.locationText ?? c.number).not.toBeNull();
      expect(c.districtId).toBe(district?.id);
    }
    expect(new Set(located.map((c) => c.districtId)).size).toBe(5);
  });

  it('creates demo users who can sign in with the printed passwords, in their teams', async () => {
    expect(seeded.logins.map((l) => l.email)).toEqual(
      expect.arrayContaining([
        'admin@musterstadt.example',
        'leitstelle@musterstadt.example',
        'ideen@musterstadt.example',
        'tiefbau@musterstadt.example',
      ]),
    );
    expect(seeded.logins.find((l) => l.role === 'admin')?.email).toBe('admin@musterstadt.example');
    for (const login of seeded.logins) {
      const [user] = await ctx.db.select().from(users).where(eq(users.email, login.email));
      expect(user?.role).toBe(login.role);
      expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verify(user?.passwordHash ?? '', login.password)).toBe(true);
      expect(await verify(user?.passwordHash ?? '', 'falsch')).toBe(false);
      expect(login.note.length).toBeGreaterThan(0);
    }
    const [tiefbau] = await ctx.db
      .select({ team: teams.slug })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(users.email, 'tiefbau@musterstadt.example'));
    expect(tiefbau?.team).toBe('tiefbauamt');
  });

  it('creates about 40 cases over six weeks, across statuses, types and channels, all routed', async () => {
    const rows = await recentCases();
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(new Set(rows.map((c) => c.status)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((c) => c.type)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((c) => c.channel))).toEqual(new Set(['web', 'email', 'phone', 'fax', 'walk_in']));
    for (const c of rows) expect(c.teamId, c.number).not.toBeNull();
    const ages = rows.map((c) => (Date.now() - c.createdAt.getTime()) / 86_400_000);
    expect(Math.max(...ages)).toBeGreaterThan(35);
    expect(Math.max(...ages)).toBeLessThan(43);
    expect(Math.min(...ages)).toBeLessThan(2);
    for (const c of rows.filter((x) => x.status === 'in_progress')) expect(c.assigneeId, c.number).not.toBeNull();
    for (const c of rows.filter((x) => ['resolved', 'rejected', 'forwarded'].includes(x.status))) expect(c.closedAt).not.toBeNull();
    expect(rows.filter((c) => c.reporterEmail).every((c) => c.reporterEmail?.endsWith('@example.org'))).toBe(true);
  });

  it('has a case the Leitstelle handed to the Ordnungsamt, which it still reads under "Von uns weitergeleitet"', async () => {
    const handed = await ctx.db
      .select({ fromTeam: caseForwards.fromTeamId, toTeam: caseForwards.toTeamId, caseTeam: cases.teamId, status: cases.status })
      .from(caseForwards)
      .innerJoin(cases, eq(cases.id, caseForwards.caseId));
    const bySlug = new Map((await ctx.db.select({ id: teams.id, slug: teams.slug }).from(teams)).map((t) => [t.slug, t.id]));
    const toOrdnungsamt = handed.filter((h) => h.fromTeam === bySlug.get('leitstelle') && h.toTeam === bySlug.get('ordnungsamt'));
    expect(toOrdnungsamt).toHaveLength(1);
    expect(toOrdnungsamt[0]).toMatchObject({ caseTeam: bySlug.get('ordnungsamt'), status: 'in_progress' });
  });

  it('answers through the channel: replies with audit events, notes, and reply mails in the outbox', async () => {
    const replies = await ctx.db.select().from(messages).where(eq(messages.kind, 'reply'));
    expect(replies.length).toBeGreaterThanOrEqual(10);
    for (const r of replies) expect(r.authorUserId).not.toBeNull();
    const notes = await ctx.db.select().from(messages).where(eq(messages.kind, 'note'));
    expect(notes.length).toBeGreaterThanOrEqual(5);
    const replied = await ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'replied'));
    expect(replied).toHaveLength(replies.length);
    const [rejected] = (await recentCases()).filter((c) => c.status === 'rejected');
    const rejectionReply = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.caseId, rejected?.id ?? 0));
    expect(rejectionReply.some((m) => m.kind === 'reply')).toBe(true);
    const mailedReplies = replies.filter((r) => r.threadKey !== null);
    const outbox = await outboxMails(ctx.db);
    for (const r of mailedReplies) expect(outbox.map((o) => `email:${o.messageId}`)).toContain(r.threadKey);
    // The staff actions lie between the case's arrival and now.
    const events = await ctx.db
      .select({ at: auditEvents.createdAt, caseAt: cases.createdAt })
      .from(auditEvents)
      .innerJoin(cases, eq(cases.id, auditEvents.caseId));
    for (const e of events) {
      expect(e.at.getTime()).toBeGreaterThanOrEqual(e.caseAt.getTime());
      expect(e.at.getTime()).toBeLessThanOrEqual(Date.now());
    }
  });

  it('brings last year’s closed reports as history, and the classifier has learnt from them', async () => {
    const history = await ctx.db.select().from(auditEvents).where(eq(auditEvents.actorLabel, HISTORY_ACTOR));
    expect(history.length).toBeGreaterThanOrEqual(200);
    const rows = (await ctx.db.select().from(cases)).filter((c) => history.some((h) => h.caseId === c.id));
    for (const c of rows) {
      expect(['resolved', 'rejected']).toContain(c.status);
      expect(c.closedAt?.getTime()).toBeGreaterThan(c.createdAt.getTime());
      expect(c.reporterEmail).toBeNull();
      expect(Number(c.number.split('-')[1])).toBeGreaterThanOrEqual(90_001);
    }
    const [model] = await listModels(ctx.db);
    expect(model?.active).toBe(true);
    expect(model?.trainedOn).toBeGreaterThanOrEqual(history.length);
    const prediction = await createClassifier(ctx.db).predict({ text: 'Die Straßenlaterne vor dem Haus ist kaputt und bleibt dunkel' });
    expect(prediction?.category[0]?.label).toBe('strassenbeleuchtung');
    expect(prediction?.team[0]?.label).toBe('tiefbauamt');
  });

  it('sends the held-back mails after commit: the worker delivers them', async () => {
    expect((await outboxMails(ctx.db)).length).toBeGreaterThan(20);
    await ctx.startWorkers();
    // Within seconds, so these came from the kicks after commit, not from the once-a-minute sweep
    // (which only picks up mails older than a minute). The worker takes one mail per poll, so
    // waiting for all of them would only measure the queue.
    const stored = await eventually(async () => {
      const rows = await outboxMails(ctx.db, { status: 'stored' });
      return rows.length >= 3 ? rows : null;
    });
    for (const mail of stored) expect(mail.toAddress).toMatch(/@example\.org$/);
  });

  it('returns null and adds nothing on a second call', async () => {
    const before = await counts();
    expect(await ensureDemoTown(deps, { townName: 'Musterstadt' })).toBeNull();
    expect(await counts()).toEqual(before);
  });

  async function counts() {
    const n = async (table: typeof teams | typeof users | typeof cases | typeof messages | typeof districts | typeof categories) =>
      (await ctx.db.select({ n: count() }).from(table))[0]?.n;
    return {
      teams: await n(teams),
      users: await n(users),
      categories: await n(categories),
      districts: await n(districts),
      cases: await n(cases),
      messages: await n(messages),
      orphanAudit: (await ctx.db.select({ n: count() }).from(auditEvents).where(isNull(auditEvents.caseId)))[0]?.n,
    };
  }
});
