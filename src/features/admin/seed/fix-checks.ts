import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import type { Tx } from '../../../infra/db.ts';
import { cases, contacts, fixChecks, publicCases } from '../../../infra/schema/index.ts';
import { newFixCheckToken, recordAnswer } from '../../fix-check/queries.ts';
import { applyAnswer } from '../../fix-check/service.ts';

const DAY = 24 * 3_600_000;

/** What the demo reporters answered, in the order of their resolved cases; the last one has not answered yet. */
const demoAnswers: ({ answer: 'yes' | 'no'; comment: string | null } | null)[] = [
  { answer: 'yes', comment: null },
  { answer: 'yes', comment: 'Danke, das ging schnell!' },
  { answer: 'no', comment: 'Leider ist es wieder wie vorher, seit gestern.' },
  { answer: 'yes', comment: null },
  { answer: 'yes', comment: null },
  { answer: 'no', comment: null },
  { answer: 'yes', comment: 'Alles bestens.' },
  null,
];

/**
 * "Ist es wirklich behoben?" in the demo town: the published resolved cases of reporters with an
 * e-mail address were asked five days after "erledigt", and most answered, so /statistik and the
 * case pages show both answers. The answers take the real path (reopening, thread, team mail).
 * Returns the cases a "nein" reopened: their clocks run again and need settling like the others.
 */
export async function seedFixChecks(tx: Tx, publicUrl: string, now: Date): Promise<number[]> {
  const resolved = await tx
    .select({ id: cases.id, number: cases.number, closedAt: cases.closedAt })
    .from(cases)
    .innerJoin(publicCases, eq(publicCases.caseId, cases.id))
    .innerJoin(contacts, eq(contacts.id, cases.contactId))
    .where(
      and(
        eq(cases.status, 'resolved'),
        eq(contacts.kind, 'email'),
        isNotNull(cases.closedAt),
        lte(cases.closedAt, new Date(now.getTime() - 6 * DAY)),
      ),
    )
    .orderBy(asc(cases.id))
    .limit(demoAnswers.length);
  const reopened: number[] = [];
  for (const [i, c] of resolved.entries()) {
    const askedAt = new Date((c.closedAt ?? now).getTime() + 5 * DAY);
    const [check] = await tx
      .insert(fixChecks)
      .values({ caseId: c.id, token: newFixCheckToken(), askAt: askedAt, askedAt, createdAt: c.closedAt ?? now })
      .returning({ id: fixChecks.id });
    const given = demoAnswers[i];
    if (!check || !given) continue;
    const answeredAt = new Date(Math.min(askedAt.getTime() + DAY, now.getTime()));
    await recordAnswer(tx, check.id, given.answer, given.comment, answeredAt);
    await applyAnswer(tx, { config: { publicUrl } }, { id: check.id, caseId: c.id, number: c.number }, given, answeredAt);
    if (given.answer === 'no') reopened.push(c.id);
  }
  return reopened;
}
