import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, eventually, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { auditEvents, cases, messages } from '../../infra/schema/index.ts';
import { type IntakeDeps, receive } from './service.ts';

describeDb('intake pipeline', () => {
  let ctx: TestContext;
  let deps: IntakeDeps;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    deps = {
      db: ctx.db,
      queue: ctx.queue,
      storage: ctx.storage,
      clock: ctx.clock,
      log: ctx.log,
      channels: ctx.channels,
      config: ctx.config,
    };
    await ctx.startWorkers();
  });
  afterAll(() => ctx.close());

  const base = {
    channel: 'web' as const,
    externalId: null,
    type: null,
    categoryId: null,
    description: 'Die Laterne vor Hausnummer 12 ist seit drei Tagen dunkel.',
    locationText: 'Marktstätte 12',
    lat: null,
    lon: null,
    reporterName: null,
    reporterEmail: null,
    consentAt: new Date(),
  };

  it('creates a case with number, token, inbound message and audit trail', async () => {
    const result = await receive(deps, { ...base, type: 'defect' });
    expect(result.outcome).toBe('created');
    expect(result.number).toMatch(/^\d{4}-\d{5}$/);
    expect(result.trackingToken.length).toBeGreaterThanOrEqual(32);
    const [row] = await ctx.db.select().from(cases).where(eq(cases.id, result.caseId));
    expect(row?.teamId).toBe(town.teams.leitstelle.id);
    const audit = await ctx.db.select().from(auditEvents).where(eq(auditEvents.caseId, result.caseId)).orderBy(asc(auditEvents.id));
    expect(audit.map((a) => a.action)).toEqual(['created', 'routed']);
    expect(audit[1]?.details).toMatchObject({ reason: expect.stringContaining('Leitstelle') });
  });

  it('routes ideas to Innovationsmanagement and categories to their team, and finds the district', async () => {
    const idea = await receive(deps, { ...base, type: 'idea', description: 'Ein Trinkbrunnen am Bahnhof wäre toll.' });
    const [ideaRow] = await ctx.db.select().from(cases).where(eq(cases.id, idea.caseId));
    expect(ideaRow?.teamId).toBe(town.teams.innovation.id);

    const light = await receive(deps, { ...base, type: 'defect', categoryId: town.categories.streetLight.id, lat: 47.665, lon: 9.175 });
    const [lightRow] = await ctx.db.select().from(cases).where(eq(cases.id, light.caseId));
    expect(lightRow?.teamId).toBe(town.teams.tiefbau.id);
    expect(lightRow?.districtId).toBe(town.districts.altstadt.id);
  });

  it('is idempotent: the same external id twice stores one case', async () => {
    const first = await receive(deps, { ...base, externalId: 'form-nonce-1' });
    const again = await receive(deps, { ...base, externalId: 'form-nonce-1', description: 'Doppelt abgeschickt' });
    expect(again.outcome).toBe('duplicate');
    expect(again.caseId).toBe(first.caseId);
    const rows = await ctx.db.select().from(cases).where(eq(cases.externalId, 'form-nonce-1'));
    expect(rows).toHaveLength(1);
  });

  it('acknowledges by mail with a threadable Message-ID, and the worker delivers it once', async () => {
    const result = await receive(deps, { ...base, reporterEmail: 'Erika@Example.org', reporterName: 'Erika Mustermann' });
    const mail = await eventually(async () => {
      const [m] = await outboxMails(ctx.db, { caseId: result.caseId });
      return m?.status === 'stored' ? m : null;
    });
    expect(mail.toAddress).toBe('erika@example.org');
    expect(mail.subject).toContain(result.number);
    expect(mail.text).toContain(`/verfolgen/${result.trackingToken}`);
    expect(mail.attempts).toBe(1);
    const files = await readdir(join(ctx.dataDir, 'outbox'));
    const eml = await readFile(join(ctx.dataDir, 'outbox', files.find((f) => f.includes(result.number)) ?? ''), 'utf8');
    expect(eml).toContain(`Message-ID: ${mail.messageId}`);
    expect(eml).toContain('Auto-Submitted: auto-replied');
    const [ack] = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.threadKey, `email:${mail.messageId}`));
    expect(ack?.kind).toBe('auto');
  });

  it('threads a reply to our mail into its case and reopens a closed case', async () => {
    const result = await receive(deps, { ...base, reporterEmail: 'max@example.org' });
    const [ack] = await outboxMails(ctx.db, { caseId: result.caseId });
    await ctx.db.update(cases).set({ status: 'resolved' }).where(eq(cases.id, result.caseId));
    const followup = await receive(deps, {
      ...base,
      channel: 'email',
      externalId: '<antwort-1@example.org>',
      threadKey: 'email:<antwort-1@example.org>',
      threadKeys: [`email:${ack?.messageId ?? ''}`],
      description: 'Leider brennt die Laterne immer noch nicht.',
    });
    expect(followup).toMatchObject({ outcome: 'followup', caseId: result.caseId });
    const [row] = await ctx.db.select().from(cases).where(eq(cases.id, result.caseId));
    expect(row?.status).toBe('in_progress');
    const thread = await ctx.db.select().from(messages).where(eq(messages.caseId, result.caseId));
    expect(thread.filter((m) => m.kind === 'inbound')).toHaveLength(2);
  });

  it('rejects input that breaks the schema before anything is stored', async () => {
    const before = await ctx.db.select().from(cases);
    await expect(receive(deps, { ...base, description: '' })).rejects.toThrow();
    await expect(receive(deps, { ...base, reporterEmail: 'keine-adresse' })).rejects.toThrow();
    expect(await ctx.db.select().from(cases)).toHaveLength(before.length);
  });
});
