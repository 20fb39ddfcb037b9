import { and, desc, eq, inArray, like, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { cases, contacts, messages, outbox } from '../../../infra/schema/index.ts';
import { closedStatuses } from '../../cases/labels.ts';

/** Thread keys of the bot's chats: "telegram:<chat id>:<message id>". */
export const telegramThreadKey = (chatId: string, messageId: number) => `telegram:${chatId}:${messageId}`;

/** The open cases of one chat (its contact), newest first: what /status lists. */
export async function openCasesOfChat(db: DbOrTx, chatId: string) {
  return db
    .select({ number: cases.number, status: cases.status, token: cases.trackingToken })
    .from(cases)
    .innerJoin(contacts, eq(contacts.id, cases.contactId))
    .where(and(eq(contacts.kind, 'telegram'), eq(contacts.address, chatId), notInArray(cases.status, [...closedStatuses])))
    .orderBy(desc(cases.createdAt))
    .limit(10);
}

/**
 * The case a bot message in this chat belongs to. The message id is known only once Telegram took
 * the message, so the transport stores it on the outbox row (external_ref), not on the case's message.
 */
export async function caseNumberOfBotMessage(db: DbOrTx, chatId: string, messageId: number): Promise<string | null> {
  const [row] = await db
    .select({ number: cases.number })
    .from(outbox)
    .innerJoin(cases, eq(cases.id, outbox.caseId))
    .where(and(eq(outbox.kind, 'telegram'), inArray(outbox.externalRef, [telegramThreadKey(chatId, messageId)])))
    .limit(1);
  return row?.number ?? null;
}

/** The citizen's latest message of the case in this chat, which an answer quotes (reply_parameters). */
export async function lastCitizenMessageId(db: DbOrTx, caseId: number, chatId: string): Promise<number | null> {
  const [row] = await db
    .select({ key: messages.threadKey })
    .from(messages)
    .where(and(eq(messages.caseId, caseId), eq(messages.kind, 'inbound'), like(messages.threadKey, `telegram:${chatId}:%`)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  const id = Number(row?.key?.split(':')[2]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
