import { bigint, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { channelAccounts } from './channel-accounts.ts';

export const telegramSteps = ['idle', 'text', 'photo', 'location', 'category'] as const;
export type TelegramStep = (typeof telegramSteps)[number];

/**
 * Where one private chat with the town's Telegram bot stands: the step of a "/melden" walk and
 * its draft (text, stored photo keys, position), kept in the database so a restart loses nothing.
 * `lastUpdateId` makes intake idempotent per chat: Telegram numbers updates in order, so an
 * update at or below it was handled already (a replay after a crash, a webhook sent twice).
 */
export const telegramConversations = pgTable(
  'telegram_conversations',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => channelAccounts.id, { onDelete: 'cascade' }),
    chatId: text('chat_id').notNull(),
    step: text('step', { enum: telegramSteps }).notNull().default('idle'),
    draft: jsonb('draft').notNull().default({}),
    lastUpdateId: bigint('last_update_id', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.chatId] })],
);
