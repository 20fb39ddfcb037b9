import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { runData } from '../../../test/helpers/commands.ts';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { EXIT_BAD_INPUT } from '../../infra/commands.ts';
import { auditEvents, caseLinks, caseReporters, cases } from '../../infra/schema/index.ts';
import { caseLink, caseMerge, caseUnlink } from './case-commands.ts';

describeDb('amtsblatt case merge|link|unlink (commands)', () => {
  let ctx: TestContext;
  let older: { caseId: number; number: string };
  let newer: { caseId: number; number: string };
  let third: { caseId: number; number: string };

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedBasics(ctx.db);
    older = await fileCase(ctx, { description: 'Laterne in der Gartenstraße 4 ist dunkel.', reporterEmail: 'erst@example.org' });
    newer = await fileCase(ctx, { description: 'Straßenlaterne Gartenstraße aus.', reporterEmail: 'zweit@example.org' });
    third = await fileCase(ctx, { description: 'Gehweg Gartenstraße abgesackt.', reporterEmail: 'dritt@example.org' });
  });
  afterAll(() => ctx.close());

  it('links two cases both ways, says so once, and unlinks again; both audit trails name the command line', async () => {
    const linked = await runData(ctx, caseLink, { number: older.number, other: third.number });
    expect(linked).toMatchObject({ exitCode: 0, stderr: '' });
    expect(linked.stdout).toBe(`Verknüpft: ${older.number} und ${third.number} gehören zusammen (beide bleiben eigene Anliegen).\n`);
    const again = await runData(ctx, caseLink, { number: third.number, other: older.number });
    expect(again.stdout).toBe(`${third.number} und ${older.number} sind schon verknüpft. Nichts geändert.\n`);
    expect(await ctx.db.$count(caseLinks, eq(caseLinks.kind, 'related'))).toBe(1);
    const trail = await ctx.db
      .select({ caseId: auditEvents.caseId, label: auditEvents.actorLabel })
      .from(auditEvents)
      .where(eq(auditEvents.action, 'case_linked'));
    expect(trail.map((t) => t.caseId).sort()).toEqual([older.caseId, third.caseId].sort());
    expect(trail.every((t) => t.label === 'Kommandozeile')).toBe(true);

    const unlinked = await runData(ctx, caseUnlink, { number: older.number, other: third.number });
    expect(unlinked.stdout).toBe(`Verknüpfung gelöst: ${older.number} und ${third.number} stehen wieder für sich.\n`);
    expect(await ctx.db.$count(caseLinks, eq(caseLinks.kind, 'related'))).toBe(0);
    const absent = await runData(ctx, caseUnlink, { number: older.number, other: third.number });
    expect(absent.stdout).toBe(`${older.number} und ${third.number} sind nicht von Hand verknüpft. Nichts geändert.\n`);
  });

  it('merges the named duplicate into the named case, even into the newer one, and moves its reporter', async () => {
    const merged = await runData(ctx, caseMerge, { number: older.number, into: newer.number });
    expect(merged).toMatchObject({ exitCode: 0, stderr: '' });
    expect(merged.stdout).toContain(`${older.number} ist jetzt ein Duplikat von ${newer.number}`);
    const rows = await ctx.db
      .select({ id: cases.id, status: cases.status, mergedIntoId: cases.mergedIntoId })
      .from(cases)
      .where(inArray(cases.id, [older.caseId, newer.caseId]));
    expect(rows.find((r) => r.id === older.caseId)).toMatchObject({ status: 'forwarded', mergedIntoId: newer.caseId });
    expect(rows.find((r) => r.id === newer.caseId)).toMatchObject({ mergedIntoId: null });
    const reporters = await ctx.db.select().from(caseReporters).where(eq(caseReporters.caseId, newer.caseId));
    expect(reporters.map((r) => r.email)).toContain('erst@example.org');

    // A merged case does not merge again; the reason is the detector's own German sentence.
    const twice = await runData(ctx, caseMerge, { number: older.number, into: third.number });
    expect(twice.exitCode).not.toBe(0);
    expect(twice.stderr).toMatch(/zusammengeführt|Duplikat/);
  });

  it('refuses bad numbers with a German message and exit code 2, and unknown ones without changing anything', async () => {
    const bad = await runData(ctx, caseMerge, { number: 'DROP TABLE', into: newer.number });
    expect(bad.exitCode).toBe(EXIT_BAD_INPUT);
    expect(bad.stderr).toContain('in der Form 2026-00042');
    const before = await ctx.db.$count(auditEvents);
    const unknown = await runData(ctx, caseLink, { number: '2026-99999', other: newer.number });
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toContain('Ein Anliegen 2026-99999 gibt es nicht.');
    const self = await runData(ctx, caseLink, { number: newer.number, other: newer.number });
    expect(self.stderr).toContain('nicht mit sich selbst');
    expect(await ctx.db.$count(auditEvents)).toBe(before);
  });
});
