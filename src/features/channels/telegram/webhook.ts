import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../../http/deps.ts';
import { intakeDepsOf } from '../email/receive-mail.ts';
import { telegramAccount } from './accounts.ts';
import { registerTelegramAdminRoutes } from './admin-routes.tsx';
import { handleUpdate, type TelegramDeps } from './handle-update.ts';

/** An update is a few kilobytes; Telegram's own limit for a message is 4,096 characters. */
const WEBHOOK_BODY_LIMIT = 256 * 1024;

/** The webhook only where Telegram can reach it: https (Bot API setWebhook accepts nothing else). */
export function webhookUrlOf(publicUrl: string, accountId: number): string | null {
  return publicUrl.startsWith('https://') ? `${publicUrl.replace(/\/+$/, '')}/telegram/${accountId}/webhook` : null;
}

export function telegramDepsOf(deps: AppDeps): TelegramDeps {
  return { ...intakeDepsOf(deps), log: deps.log.child({ module: 'telegram' }), config: deps.config, secrets: deps.secrets };
}

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * The bot's admin page, and Telegram's webhook (https://core.telegram.org/bots/api#setwebhook): every call carries the
 * secret we set in X-Telegram-Bot-Api-Secret-Token; without it nothing is read or stored (401).
 * Answers 200 once the update is stored; an error on our side answers 500, so Telegram sends it again.
 */
export const telegramPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  registerTelegramAdminRoutes(app, deps);
  const telegram = telegramDepsOf(deps);
  app.post(
    '/telegram/:accountId/webhook',
    { bodyLimit: WEBHOOK_BODY_LIMIT, config: { acceptsJson: true, cookieless: true } },
    async (request, reply) => {
      const id = z.coerce
        .number()
        .int()
        .positive()
        .safeParse((request.params as { accountId?: string }).accountId);
      const account = id.success ? await telegramAccount(telegram, id.data) : null;
      const given = request.headers['x-telegram-bot-api-secret-token'];
      if (!account?.enabled || typeof given !== 'string' || !sameSecret(given, account.secrets.webhookSecret)) {
        return reply.code(401).send({ ok: false, description: 'Unauthorized' });
      }
      const outcome = await handleUpdate(telegram, account, request.body);
      return reply.code(outcome === 'malformed' ? 400 : 200).send({ ok: outcome !== 'malformed' });
    },
  );
};
