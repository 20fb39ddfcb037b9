import { eq } from 'drizzle-orm';
import type { SessionUser } from '../../../http/guards.ts';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import { AppError, conflict, invalid, notFound } from '../../../infra/errors.ts';
import { postEvents, posts } from '../../../infra/schema/index.ts';
import { parseLocalInput } from './period.ts';

export interface CalendarDeps {
  db: Db;
  clock: Clock;
}

/**
 * Moves a post to another time: only `scheduled_at` (and `version`) change, the minute job of the
 * desk publishes it then. Refused for a time not in the future, for posts already published or
 * withdrawn, and when someone else changed the post since the page was loaded.
 */
export async function movePost(
  deps: CalendarDeps,
  user: Pick<SessionUser, 'id'>,
  input: { postId: number; version: number; at: string },
): Promise<{ from: Date | null; to: Date }> {
  const to = parseLocalInput(input.at.trim());
  if (!to) throw invalid('Bitte geben Sie Datum und Uhrzeit an, z. B. 03.12.2026, 09:30.', { at: 'Bitte geben Sie Datum und Uhrzeit an.' });
  const now = deps.clock.now();
  if (to.getTime() <= now.getTime()) {
    throw invalid('Dieser Zeitpunkt liegt in der Vergangenheit. Bitte wählen Sie einen späteren.', {
      at: 'Der Zeitpunkt liegt in der Vergangenheit.',
    });
  }
  return deps.db.transaction(async (tx) => {
    const [post] = await tx.select().from(posts).where(eq(posts.id, input.postId)).for('update');
    if (!post) throw notFound('Diesen Beitrag gibt es nicht (mehr).');
    if (post.status === 'published' || post.publishedAt)
      throw invalid('Dieser Beitrag ist schon veröffentlicht und lässt sich nicht mehr verschieben.');
    if (post.status === 'withdrawn') throw invalid('Dieser Beitrag ist zurückgezogen und lässt sich nicht verschieben.');
    if (post.version !== input.version) {
      throw conflict(
        'Jemand hat den Beitrag inzwischen geändert. Bitte laden Sie den Kalender neu und verschieben Sie ihn dann noch einmal.',
      );
    }
    await tx
      .update(posts)
      .set({ scheduledAt: to, version: post.version + 1, updatedAt: now })
      .where(eq(posts.id, post.id));
    await tx.insert(postEvents).values({
      postId: post.id,
      actorUserId: user.id,
      action: 'moved',
      details: { from: post.scheduledAt?.toISOString() ?? null, to: to.toISOString() },
      at: now,
    });
    return { from: post.scheduledAt, to };
  });
}

export type { MoveForm } from './view.tsx';

export const isFormError = (err: unknown): err is AppError =>
  err instanceof AppError && (err.code === 'Invalid' || err.code === 'Conflict' || err.code === 'NotFound');
