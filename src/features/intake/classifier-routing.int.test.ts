import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Basics, closedCases } from '../../../test/helpers/classifier.ts';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { auditEvents, cases } from '../../infra/schema/index.ts';
import { allJobs } from '../../jobs.ts';
import { receive } from './service.ts';

const report = {
  channel: 'web' as const,
  externalId: null,
  type: null,
  categoryId: null,
  locationText: null,
  lat: 47.662,
  lon: 9.17,
  reporterName: null,
  reporterEmail: null,
  consentAt: new Date(),
};

/** A town whose model was trained from its own closed cases (street lamps → Tiefbauamt, litter → Leitstelle). */
async function trainedTown(minConfidence: string): Promise<{ ctx: TestContext; basics: Basics }> {
  const ctx = await createTestContext({ env: { CLASSIFIER_MIN_CONFIDENCE: minConfidence } });
  const basics = await seedBasics(ctx.db);
  await closedCases(ctx, basics, 25);
  const retrain = allJobs({ ...ctx, mailer: ctx.mailer }).find((j) => j.name === 'classifier.retrain');
  await retrain?.handler({ reason: 'requested' });
  return { ctx, basics };
}

const auditOf = (ctx: TestContext, caseId: number) =>
  ctx.db.select().from(auditEvents).where(eq(auditEvents.caseId, caseId)).orderBy(asc(auditEvents.id));

describeDb('classifier in the intake pipeline (confident)', () => {
  let ctx: TestContext;
  let basics: Basics;
  beforeAll(async () => {
    ({ ctx, basics } = await trainedTown('0.5'));
  });
  afterAll(() => ctx?.close());

  it('fills the category the citizen left open and names itself with its confidence in the audit trail', async () => {
    const result = await receive(ctx, { ...report, description: 'Die Laterne vor der Schule ist dunkel' });
    const [row] = await ctx.db.select().from(cases).where(eq(cases.id, result.caseId));
    expect(row?.categoryId).toBe(basics.categories.streetLight.id);
    expect(row?.teamId).toBe(basics.teams.tiefbau.id);
    const audit = await auditOf(ctx, result.caseId);
    const byClassifier = audit.find((a) => a.action === 'category_changed');
    expect(byClassifier?.actorLabel).toMatch(/^Klassifikator, Sicherheit [01],\d\d$/);
  });

  it("never overrides the citizen's own category", async () => {
    const result = await receive(ctx, { ...report, categoryId: basics.categories.litter.id, description: 'Laterne dunkel' });
    const [row] = await ctx.db.select().from(cases).where(eq(cases.id, result.caseId));
    expect(row?.categoryId).toBe(basics.categories.litter.id);
    const audit = await auditOf(ctx, result.caseId);
    expect(audit.some((a) => a.actorLabel.startsWith('Klassifikator') && a.action === 'category_changed')).toBe(false);
  });
});

describeDb('classifier in the intake pipeline (not confident enough)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ({ ctx } = await trainedTown('1'));
  });
  afterAll(() => ctx?.close());

  it('leaves the case to the default routing (Leitstelle triage) when below the threshold', async () => {
    const result = await receive(ctx, { ...report, description: 'Die Laterne vor der Schule ist dunkel' });
    const [row] = await ctx.db.select().from(cases).where(eq(cases.id, result.caseId));
    expect(row?.categoryId).toBeNull();
    const audit = await auditOf(ctx, result.caseId);
    expect(audit.some((a) => a.actorLabel.startsWith('Klassifikator'))).toBe(false);
    expect(audit.find((a) => a.action === 'routed')?.actorLabel).toBe('Automatische Zuweisung');
  });
});
