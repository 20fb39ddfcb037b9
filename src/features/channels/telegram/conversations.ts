import { and, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../../infra/db.ts';
import { type TelegramStep, telegramConversations } from '../../../infra/schema/index.ts';
import { storedPhotoSchema } from '../../intake/inbound.ts';

/** A "/melden" walk left alone this long starts over (its photos are removed). */
export const CONVERSATION_TTL_MS = 24 * 60 * 60_000;

export const draftSchema = z.object({
  /** The /melden message: names the case's external id, so a replayed walk makes one case. */
  startedBy: z.number().int().optional(),
  description: z.string().optional(),
  photos: z.array(storedPhotoSchema).default([]),
  lat: z.number().optional(),
  lon: z.number().optional(),
  locationText: z.string().optional(),
});
export type Draft = z.infer<typeof draftSchema>;

export interface Conversation {
  step: TelegramStep;
  draft: Draft;
  lastUpdateId: number;
  updatedAt: Date;
}

const fresh = (): Conversation => ({ step: 'idle', draft: { photos: [] }, lastUpdateId: 0, updatedAt: new Date(0) });

export async function loadConversation(db: DbOrTx, accountId: number, chatId: string): Promise<Conversation> {
  const [row] = await db
    .select()
    .from(telegramConversations)
    .where(and(eq(telegramConversations.accountId, accountId), eq(telegramConversations.chatId, chatId)));
  if (!row) return fresh();
  const draft = draftSchema.safeParse(row.draft);
  return {
    step: draft.success ? row.step : 'idle',
    draft: draft.success ? draft.data : { photos: [] },
    lastUpdateId: row.lastUpdateId,
    updatedAt: row.updatedAt,
  };
}

/** Written after the update's work is done, so the update id marks it handled only then. */
export async function saveConversation(
  db: DbOrTx,
  accountId: number,
  chatId: string,
  c: { step: TelegramStep; draft: Draft; lastUpdateId: number; at: Date },
): Promise<void> {
  const values = { step: c.step, draft: c.draft, lastUpdateId: c.lastUpdateId, updatedAt: c.at };
  await db
    .insert(telegramConversations)
    .values({ accountId, chatId, ...values })
    .onConflictDoUpdate({
      target: [telegramConversations.accountId, telegramConversations.chatId],
      set: { ...values, lastUpdateId: sql`greatest(${telegramConversations.lastUpdateId}, ${c.lastUpdateId})` },
    });
}

/** Idle chats untouched for the TTL: nothing worth keeping (the cases hold what matters). */
export async function forgetIdleConversations(db: DbOrTx, before: Date): Promise<void> {
  await db.delete(telegramConversations).where(and(eq(telegramConversations.step, 'idle'), lt(telegramConversations.updatedAt, before)));
}
