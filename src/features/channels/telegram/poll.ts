import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../../infra/queue.ts';
import { enabledTelegramAccountIds, recordFailure, recordSuccess, saveCursor, type TelegramAccount, telegramAccount } from './accounts.ts';
import { botApi, troubleOf } from './bot-api.ts';
import { handleUpdate, type TelegramDeps } from './handle-update.ts';
import { ALLOWED_UPDATES } from './updates.ts';
import { webhookUrlOf } from './webhook.ts';

/** After a refused token the bot is asked again only after this pause: no crash loop, no hammering. */
const UNAUTHORIZED_PAUSE_MS = 15 * 60_000;

export interface PollRound {
  handled: number;
  /** German, for the status page, when the round failed. */
  trouble?: string;
}

/**
 * One round of long polling for one bot (https://core.telegram.org/bots/api#getupdates): fetch from
 * the stored offset, handle each update in order, and move the offset past an update only after it
 * is stored, so an outage or a crash re-fetches what was not yet handled. With PUBLIC_URL on https
 * the bot gets a webhook instead (setWebhook with a secret token) and this round only keeps it set.
 */
export async function pollOnce(deps: TelegramDeps, accountId: number, opts: { timeoutSeconds?: number } = {}): Promise<PollRound> {
  const account = await telegramAccount(deps, accountId);
  if (!account?.enabled) return { handled: 0 };
  const now = deps.clock.now();
  if (account.cursor.pausedUntil && new Date(account.cursor.pausedUntil) > now)
    return { handled: 0, trouble: account.lastError ?? undefined };
  const api = botApi(account.settings, account.secrets);
  try {
    const webhook = webhookUrlOf(deps.config.publicUrl, account.id);
    if (webhook) {
      if (account.cursor.webhookUrl !== webhook) {
        await api.setWebhook(webhook, { secret_token: account.secrets.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
        await saveCursor(deps.db, account.id, { ...account.cursor, webhookUrl: webhook, pausedUntil: null });
      }
      await recordSuccess(deps, account.id);
      return { handled: 0 };
    }
    if (account.cursor.webhookUrl) {
      // getUpdates answers 409 while a webhook is set.
      await api.deleteWebhook();
      account.cursor = { ...account.cursor, webhookUrl: null };
      await saveCursor(deps.db, account.id, account.cursor);
    }
    const updates = await api.getUpdates({
      offset: account.cursor.offset,
      timeout: opts.timeoutSeconds ?? 0,
      allowed_updates: [...ALLOWED_UPDATES],
    });
    const handled = await handleAll(deps, account, updates);
    await recordSuccess(deps, account.id);
    return { handled };
  } catch (err) {
    return pause(deps, account, err);
  }
}

async function handleAll(deps: TelegramDeps, account: TelegramAccount, updates: readonly unknown[]): Promise<number> {
  let handled = 0;
  for (const update of updates) {
    const id = (update as { update_id?: unknown }).update_id;
    await handleUpdate(deps, account, update);
    handled++;
    if (typeof id === 'number' && id >= account.cursor.offset) {
      account.cursor = { ...account.cursor, offset: id + 1, pausedUntil: null };
      await saveCursor(deps.db, account.id, account.cursor);
    }
  }
  return handled;
}

async function pause(deps: TelegramDeps, account: TelegramAccount, err: unknown): Promise<PollRound> {
  const trouble = troubleOf(err);
  const waitMs =
    trouble.kind === 'rate-limited' ? trouble.retryAfterSeconds * 1000 : trouble.kind === 'unauthorized' ? UNAUTHORIZED_PAUSE_MS : 0;
  if (trouble.kind === 'unreachable' && !isApiTrouble(err)) throw err;
  await recordFailure(deps, account.id, trouble.text);
  if (waitMs > 0) {
    const pausedUntil = new Date(deps.clock.now().getTime() + waitMs).toISOString();
    await saveCursor(deps.db, account.id, { ...account.cursor, pausedUntil });
  }
  deps.log.warn({ accountId: account.id, trouble: trouble.kind }, 'telegram polling failed');
  return { handled: 0, trouble: trouble.text };
}

/** A failure of Telegram (answer or network), as opposed to one of ours (database, storage), which the job retries. */
function isApiTrouble(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'GrammyError' || name === 'HttpError';
}

/**
 * The supervised loop as a job: every minute each enabled bot is polled with long polling for
 * most of the minute. pg-boss runs a scheduled job once per tick across processes, so one process
 * polls a bot at a time (Telegram answers 409 to a second getUpdates).
 */
export function telegramJobs(deps: TelegramDeps, opts: { roundSeconds?: number; windowMs?: number } = {}): JobDefinition[] {
  const windowMs = opts.windowMs ?? 50_000;
  return [
    defineJob({
      name: 'telegram.poll',
      schema: z.object({}).passthrough(),
      cron: '* * * * *',
      handler: async () => {
        const started = Date.now();
        const ids = await enabledTelegramAccountIds(deps.db);
        if (ids.length === 0) return;
        if (webhookUrlOf(deps.config.publicUrl, 0)) {
          // Telegram brings the updates to the webhook; a round only keeps each bot's webhook set.
          for (const id of ids) await pollOnce(deps, id);
          return;
        }
        const roundSeconds = opts.roundSeconds ?? Math.max(1, Math.floor(20 / ids.length));
        while (Date.now() - started < windowMs) {
          let troubled = 0;
          for (const id of ids) if ((await pollOnce(deps, id, { timeoutSeconds: roundSeconds })).trouble) troubled++;
          // Every bot paused or failing: wait for the next tick instead of spinning.
          if (troubled === ids.length) return;
        }
      },
    }),
  ];
}
