import { randomBytes } from 'node:crypto';
import { and, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../../infra/clock.ts';
import type { Db, DbOrTx } from '../../infra/db.ts';
import type { Logger } from '../../infra/log.ts';
import type { Mailer } from '../../infra/mailer.ts';
import { defineJob, type Queue } from '../../infra/queue.ts';
import { outboxMails } from '../../infra/schema/index.ts';

export const MAX_MAIL_ATTEMPTS = 6;
const STALE_CLAIM_MS = 10 * 60_000;

/** A Message-ID in our own domain; stored before sending, so replies to it can be threaded. */
export function newMessageId(publicUrl: string, caseNumber: string | null): string {
  const host = new URL(publicUrl).hostname || 'amtsblatt.local';
  return `<${caseNumber ? `anliegen-${caseNumber}.` : ''}${randomBytes(9).toString('base64url')}@${host}>`;
}

export interface MailDraft {
  caseId: number | null;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
}

/** Writes a mail to the outbox inside the caller's transaction; `kickOutbox` sends it after commit. */
export async function enqueueMail(tx: DbOrTx, draft: MailDraft): Promise<number> {
  const [row] = await tx
    .insert(outboxMails)
    .values({
      caseId: draft.caseId,
      toAddress: draft.to,
      subject: draft.subject,
      text: draft.text,
      messageId: draft.messageId,
      inReplyTo: draft.inReplyTo ?? null,
      references: draft.references ?? [],
    })
    .returning({ id: outboxMails.id });
  if (!row) throw new Error('outbox insert returned nothing');
  return row.id;
}

export const deliverMailPayload = z.object({ outboxId: z.number().int().positive() });

/** Job definitions of the outbox: deliver one mail, and sweep up mails whose job got lost. */
export function outboxJobs(deps: { db: Db; mailer: Mailer; queue: Queue; clock: Clock; log: Logger; mailFrom: string }) {
  const deliver = defineJob({
    name: 'mail.deliver',
    schema: deliverMailPayload,
    retryLimit: MAX_MAIL_ATTEMPTS,
    // Idempotent: the row is claimed with a conditional UPDATE, so two workers (or a retry after a
    // crash) never send the same mail twice; a claim older than 10 minutes counts as abandoned.
    handler: async ({ outboxId }) => {
      const now = deps.clock.now();
      const [mail] = await deps.db
        .update(outboxMails)
        .set({ status: 'sending', claimedAt: now, attempts: sql`${outboxMails.attempts} + 1` })
        .where(
          and(
            eq(outboxMails.id, outboxId),
            or(
              eq(outboxMails.status, 'queued'),
              and(eq(outboxMails.status, 'sending'), lt(outboxMails.claimedAt, new Date(now.getTime() - STALE_CLAIM_MS))),
            ),
          ),
        )
        .returning();
      if (!mail) return;
      try {
        await deps.mailer.send({
          from: deps.mailFrom,
          to: mail.toAddress,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
          references: mail.references,
          autoSubmitted: mail.inReplyTo === null && mail.references.length === 0,
        });
        await deps.db
          .update(outboxMails)
          .set({ status: deps.mailer.mode === 'smtp' ? 'sent' : 'stored', sentAt: deps.clock.now(), lastError: null })
          .where(eq(outboxMails.id, outboxId));
      } catch (err) {
        const failed = mail.attempts >= MAX_MAIL_ATTEMPTS;
        await deps.db
          .update(outboxMails)
          .set({ status: failed ? 'failed' : 'queued', lastError: (err as Error).message.slice(0, 500) })
          .where(eq(outboxMails.id, outboxId));
        // The error goes through the log's serialiser, which masks the addresses an SMTP error may quote.
        deps.log.warn({ outboxId, attempt: mail.attempts, err }, 'mail delivery failed');
        if (!failed) throw err;
      }
    },
  });
  const sweep = defineJob({
    name: 'mail.sweep',
    schema: z.object({}).passthrough(),
    cron: '* * * * *',
    handler: async () => {
      const cutoff = new Date(deps.clock.now().getTime() - 60_000);
      const stuck = await deps.db
        .select({ id: outboxMails.id })
        .from(outboxMails)
        .where(and(inArray(outboxMails.status, ['queued', 'sending']), lt(outboxMails.createdAt, cutoff)))
        .limit(500);
      await kickOutbox(
        deps.queue,
        stuck.map((r) => r.id),
      );
    },
  });
  return [deliver, sweep];
}

/** After commit: one delivery job per outbox row. A double kick is harmless: delivery claims the row. */
export async function kickOutbox(queue: Queue, outboxIds: number[]): Promise<void> {
  for (const outboxId of outboxIds) {
    await queue.send({ name: 'mail.deliver', schema: deliverMailPayload, retryLimit: MAX_MAIL_ATTEMPTS }, { outboxId });
  }
}
