import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { messages, users } from '../../infra/schema/index.ts';

/** A staff reply of this case with its author, or null when the message is not one. */
export async function replyOfCase(db: DbOrTx, caseId: number, messageId: number) {
  const [row] = await db
    .select({ id: messages.id, body: messages.body, createdAt: messages.createdAt, authorName: users.displayName })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .where(and(eq(messages.id, messageId), eq(messages.caseId, caseId), eq(messages.kind, 'reply')))
    .limit(1);
  return row ?? null;
}
