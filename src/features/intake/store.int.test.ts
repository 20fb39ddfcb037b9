import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { auditEvents, cases, messages } from '../../infra/schema/index.ts';
import type { ChannelRegistry } from '../channels/registry.ts';
import { type IntakeDeps, receive } from './service.ts';

/** How a new report is stored: one statement when nothing follows, a transaction when a mail or photos do. */
describeDb('intake store', () => {
  let ctx: TestContext;
  let deps: IntakeDeps;
  beforeAll(async () => {
    ctx = await createTestContext();
    await seedBasics(ctx.db);
    deps = {
      db: ctx.db,
      queue: ctx.queue,
      storage: ctx.storage,
      clock: ctx.clock,
      log: ctx.log,
      channels: ctx.channels,
      config: ctx.config,
    };
  });
  afterAll(() => ctx.close());

  const base = {
    channel: 'web' as const,
    externalId: null,
    type: 'defect' as const,
    categoryId: null,
    description: 'Der Gully in der Hussenstraße ist verstopft.',
    locationText: 'Hussenstraße 4',
    lat: null,
    lon: null,
    reporterName: null,
    reporterEmail: null,
    consentAt: new Date(),
  };

  const countWhere = async (externalId: string) => {
    const rows = await ctx.db.select({ id: cases.id }).from(cases).where(eq(cases.externalId, externalId));
    return rows.length;
  };

  it('numbers cases by the year in Berlin and keeps every digit past 99,999', async () => {
    // 23:30 UTC on New Year's Eve is already the new year in Berlin.
    const newYear = await receive(deps, { ...base, receivedAt: new Date('2025-12-31T23:30:00Z') });
    expect(newYear.number).toMatch(/^2026-\d{5}$/);
    await ctx.db.execute(sql`select setval('case_number_seq', 123455)`);
    const big = await receive(deps, { ...base, receivedAt: new Date('2026-06-01T10:00:00Z') });
    expect(big.number).toBe('2026-123456');
  });

  it('stores case, inbound message and audit trail (in order) together, and a repeat writes nothing more', async () => {
    const first = await receive(deps, { ...base, externalId: 'web:store-1' });
    expect(first.outcome).toBe('created');
    const again = await receive(deps, { ...base, externalId: 'web:store-1', description: 'Noch einmal abgeschickt' });
    expect(again).toEqual({ ...first, outcome: 'duplicate' });
    expect(await countWhere('web:store-1')).toBe(1);
    const thread = await ctx.db.select().from(messages).where(eq(messages.caseId, first.caseId));
    expect(thread.map((m) => [m.kind, m.body])).toEqual([['inbound', base.description]]);
    const trail = await ctx.db.select().from(auditEvents).where(eq(auditEvents.caseId, first.caseId)).orderBy(asc(auditEvents.id));
    expect(trail.map((a) => [a.action, a.actorLabel])).toEqual([
      ['created', 'Bürger/in'],
      ['routed', 'Automatische Zuweisung'],
    ]);
    expect(trail[1]?.details).toMatchObject({ reason: 'Leitstelle, weil sie diese Art bearbeitet' });
  });

  it('stores one case when the same report arrives several times at once', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => receive(deps, { ...base, externalId: 'web:race-1' })));
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(new Set(results.map((r) => r.caseId)).size).toBe(1);
    expect(await countWhere('web:race-1')).toBe(1);
    const caseId = results[0]?.caseId ?? 0;
    expect(await ctx.db.select().from(messages).where(eq(messages.caseId, caseId))).toHaveLength(1);
    expect(await ctx.db.select().from(auditEvents).where(eq(auditEvents.caseId, caseId))).toHaveLength(2);
  });

  it('keeps case and acknowledgement mail together: a failing acknowledgement stores neither', async () => {
    const failing: ChannelRegistry = (c) => {
      const real = ctx.channels(c);
      if (!real) throw new Error(`no adapter for ${c.channel}`);
      return {
        ...real,
        acknowledge: async () => {
          throw new Error('mail outbox unavailable');
        },
      };
    };
    await expect(
      receive({ ...deps, channels: failing }, { ...base, externalId: 'web:ack-fails', reporterEmail: 'a@example.org' }),
    ).rejects.toThrow('mail outbox unavailable');
    expect(await countWhere('web:ack-fails')).toBe(0);
    const ok = await receive(deps, { ...base, externalId: 'web:ack-ok', reporterEmail: 'a@example.org' });
    const mails = await outboxMails(ctx.db, { caseId: ok.caseId });
    expect(mails).toHaveLength(1);
    const auto = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, ok.caseId), eq(messages.kind, 'auto')));
    expect(auto[0]?.threadKey).toBe(`email:${mails[0]?.messageId}`);
  });

  it('refuses a channel without a way back before anything is stored', async () => {
    // Every channel has an adapter today; a registry without one stands for a network not connected yet.
    const noWayBack: ChannelRegistry = (c) => (c.channel === 'telegram' ? null : deps.channels(c));
    await expect(receive({ ...deps, channels: noWayBack }, { ...base, channel: 'telegram', externalId: 'toot-1' })).rejects.toMatchObject({
      code: 'Unavailable',
    });
    const rows = await ctx.db.select({ id: cases.id }).from(cases).where(eq(cases.externalId, 'toot-1'));
    expect(rows).toHaveLength(0);
  });
});
