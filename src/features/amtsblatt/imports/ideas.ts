import { and, eq, gte, notInArray, sql } from 'drizzle-orm';
import type { SessionUser } from '../../../http/guards.ts';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import { invalid, notFound } from '../../../infra/errors.ts';
import { calendarSources, postIdeas } from '../../../infra/schema/index.ts';
import { insertDraft } from './drafts.ts';
import { appointmentsOf } from './ics.ts';

export interface IdeasDeps {
  db: Db;
  clock: Clock;
}

/** How far ahead appointments become ideas. */
export const IDEA_DAYS = 60;

/**
 * Reads an .ics of a source into post ideas for the next 60 days, in one transaction: a broken file
 * changes nothing (the source keeps its ideas, the reason is stored on it). Known occurrences are
 * updated unless already taken or dismissed; future ones that disappeared from the file are removed
 * while still new.
 */
export async function importCalendar(deps: IdeasDeps, sourceId: number, text: string): Promise<{ count: number }> {
  const now = deps.clock.now();
  let appointments: ReturnType<typeof appointmentsOf>;
  try {
    appointments = appointmentsOf(text, { from: now, to: new Date(now.getTime() + IDEA_DAYS * 86_400_000) });
  } catch (err) {
    const reason = err instanceof Error ? err.message : 'Die Kalenderdatei ließ sich nicht lesen.';
    await deps.db.update(calendarSources).set({ lastError: reason, lastPolledAt: now }).where(eq(calendarSources.id, sourceId));
    throw err;
  }
  await deps.db.transaction(async (tx) => {
    for (const a of appointments) {
      await tx
        .insert(postIdeas)
        .values({ sourceId, ...a, updatedAt: now })
        .onConflictDoUpdate({
          target: [postIdeas.sourceId, postIdeas.uid, postIdeas.recurrenceId],
          set: {
            title: a.title,
            startsAt: a.startsAt,
            endsAt: a.endsAt,
            allDay: a.allDay,
            place: a.place,
            description: a.description,
            updatedAt: now,
          },
        });
    }
    const keep = appointments.map((a) => `${a.uid}\u001f${a.recurrenceId}`);
    await tx
      .delete(postIdeas)
      .where(
        and(
          eq(postIdeas.sourceId, sourceId),
          eq(postIdeas.status, 'new'),
          gte(postIdeas.startsAt, now),
          keep.length ? notInArray(sql`${postIdeas.uid} || chr(31) || ${postIdeas.recurrenceId}`, keep) : undefined,
        ),
      );
    await tx.update(calendarSources).set({ lastError: null, lastPolledAt: now }).where(eq(calendarSources.id, sourceId));
  });
  return { count: appointments.length };
}

/** "Beitrag daraus machen": a draft event post by the user from the idea; the idea is taken. */
export async function takeIdea(deps: IdeasDeps, user: Pick<SessionUser, 'id'>, ideaId: number): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [idea] = await tx.select().from(postIdeas).where(eq(postIdeas.id, ideaId)).for('update');
    if (!idea) throw notFound('Diese Idee gibt es nicht (mehr).');
    if (idea.status !== 'new') throw invalid('Aus dieser Idee ist schon ein Beitrag geworden, oder sie wurde verworfen.');
    const postId = await insertDraft(
      tx,
      {
        kind: 'event',
        title: idea.title,
        body: idea.description ?? '',
        authorId: user.id,
        eventStartsAt: idea.startsAt,
        eventEndsAt: idea.endsAt,
        eventPlace: idea.place,
        locationText: idea.place,
      },
      { actorUserId: user.id, details: { fromIdea: idea.id }, at: now },
    );
    await tx.update(postIdeas).set({ status: 'taken', postId, updatedAt: now }).where(eq(postIdeas.id, idea.id));
    return postId;
  });
}

export async function dismissIdea(deps: IdeasDeps, ideaId: number): Promise<void> {
  const rows = await deps.db
    .update(postIdeas)
    .set({ status: 'dismissed', updatedAt: deps.clock.now() })
    .where(and(eq(postIdeas.id, ideaId), eq(postIdeas.status, 'new')))
    .returning({ id: postIdeas.id });
  if (rows.length === 0) throw notFound('Diese Idee gibt es nicht (mehr), oder sie ist schon erledigt.');
}
