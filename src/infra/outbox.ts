import { randomUUID } from 'node:crypto';
import { and, count, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from './clock.ts';
import type { Db, DbOrTx } from './db.ts';
import { emit, subscribe } from './events.ts';
import type { Logger } from './log.ts';
import { defineJob, type JobDefinition, type Queue } from './queue.ts';
import { type OutboxKind, outbox } from './schema/index.ts';

declare module './events.ts' {
  interface DomainEvents {
    /** An outbox row was written; after commit its delivery job is queued. */
    'outbox.queued': { id: number; kind: OutboxKind };
  }
}

export const MAX_DELIVERY_ATTEMPTS = 6;
const STALE_CLAIM_MS = 10 * 60_000;
/**
 * Automatic answers (acknowledgements, notices) to one citizen's address within 24 hours. Past it, nothing
 * automatic goes out to that address: a robot answering our robot, or a flood of 1,000 mails from
 * one sender, must not make us send 1,000 answers (RFC 3834 §2).
 */
export const AUTOMATIC_PER_ADDRESS_PER_DAY = 5;

export interface OutboundItem {
  kind: OutboxKind;
  channelAccountId?: number | null;
  contactId?: number | null;
  address: string;
  caseId?: number | null;
  /** Checked by the transport of `kind` when it delivers. */
  payload: Record<string, unknown>;
  threadRef?: string | null;
  externalRef?: string | null;
  /** Same key, same item: a second write is ignored. Default: a fresh one (every call is a new item). */
  idempotencyKey?: string;
  automatic?: boolean;
}

export type Enqueued =
  | { outcome: 'queued'; id: number }
  /** The key was written before: nothing new. */
  | { outcome: 'repeat' }
  /** An automatic item over the per-address cap: not written. */
  | { outcome: 'capped' };

/**
 * Writes an outbound item in the caller's transaction. After commit the `outbox.queued` event
 * queues its delivery; if that is lost (a crash right after commit), the sweep finds the row.
 */
export async function enqueueOutbound(tx: DbOrTx, item: OutboundItem): Promise<Enqueued> {
  const capped = item.automatic && item.contactId && (await automaticCount(tx, item.address)) >= AUTOMATIC_PER_ADDRESS_PER_DAY;
  if (capped) return { outcome: 'capped' };
  const [row] = await tx
    .insert(outbox)
    .values({
      kind: item.kind,
      channelAccountId: item.channelAccountId ?? null,
      contactId: item.contactId ?? null,
      address: item.address,
      caseId: item.caseId ?? null,
      payload: item.payload,
      threadRef: item.threadRef ?? null,
      externalRef: item.externalRef ?? null,
      idempotencyKey: item.idempotencyKey ?? randomUUID(),
      automatic: item.automatic ?? false,
    })
    .onConflictDoNothing({ target: outbox.idempotencyKey })
    .returning({ id: outbox.id });
  if (!row) return { outcome: 'repeat' };
  await emit(tx, 'outbox.queued', { id: row.id, kind: item.kind });
  return { outcome: 'queued', id: row.id };
}

async function automaticCount(tx: DbOrTx, address: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(outbox)
    .where(and(eq(outbox.address, address), eq(outbox.automatic, true), gt(outbox.createdAt, sql`now() - interval '1 day'`)));
  return row?.n ?? 0;
}

export type OutboxRow = typeof outbox.$inferSelect;

/** How one kind of item leaves: mail over SMTP, later a Mastodon status … `stored`: kept for a person (no transport configured). */
export interface Transport<P = unknown> {
  kind: OutboxKind;
  payload: z.ZodType<P>;
  deliver(row: OutboxRow, payload: P): Promise<{ status: 'sent' | 'stored'; externalRef?: string }>;
}

const deliverPayload = z.object({ outboxId: z.number().int().positive() });
const deliverJob = (kind: OutboxKind) => ({ name: `outbox.deliver.${kind}`, schema: deliverPayload, retryLimit: MAX_DELIVERY_ATTEMPTS });

/** After commit, a written row gets its delivery job. A double kick is harmless: delivery claims the row. */
export function subscribeOutbox(db: Db, queue: Queue): () => void {
  return subscribe(db, 'outbox.queued', ({ id, kind }) => queue.send(deliverJob(kind), { outboxId: id }).then(() => {}));
}

/** One delivery job per transport kind, and one sweep for rows whose job got lost. */
export function outboxJobs(deps: { db: Db; queue: Queue; clock: Clock; log: Logger; transports: Transport<unknown>[] }): JobDefinition[] {
  const deliveries = deps.transports.map((transport) =>
    defineJob({
      ...deliverJob(transport.kind),
      // Idempotent: the row is claimed with a conditional UPDATE, so two workers (or a retry after
      // a crash) never send the same item twice; a claim older than 10 minutes counts as abandoned.
      handler: async ({ outboxId }) => {
        const row = await claim(deps.db, deps.clock, outboxId);
        if (!row) return;
        try {
          const payload = transport.payload.parse(row.payload);
          const done = await transport.deliver(row, payload);
          await deps.db
            .update(outbox)
            .set({
              status: done.status,
              sentAt: deps.clock.now(),
              lastError: null,
              ...(done.externalRef ? { externalRef: done.externalRef } : {}),
            })
            .where(eq(outbox.id, outboxId));
        } catch (err) {
          const failed = row.attempts >= MAX_DELIVERY_ATTEMPTS || err instanceof z.ZodError;
          await deps.db
            .update(outbox)
            .set({ status: failed ? 'failed' : 'queued', lastError: (err as Error).message.slice(0, 500) })
            .where(eq(outbox.id, outboxId));
          // The error goes through the log's serialiser, which masks addresses a transport error may quote.
          deps.log.warn({ outboxId, kind: row.kind, attempt: row.attempts, err }, 'outbox delivery failed');
          if (!failed) throw err;
        }
      },
    }),
  );
  const sweep = defineJob({
    name: 'outbox.sweep',
    schema: z.object({}).passthrough(),
    cron: '* * * * *',
    handler: async () => {
      const cutoff = new Date(deps.clock.now().getTime() - 60_000);
      const stuck = await deps.db
        .select({ id: outbox.id, kind: outbox.kind })
        .from(outbox)
        .where(and(inArray(outbox.status, ['queued', 'sending']), lt(outbox.createdAt, cutoff)))
        .limit(500);
      for (const row of stuck) await deps.queue.send(deliverJob(row.kind), { outboxId: row.id });
    },
  });
  return [...deliveries, sweep] as JobDefinition[];
}

async function claim(db: Db, clock: Clock, id: number): Promise<OutboxRow | null> {
  const now = clock.now();
  const [row] = await db
    .update(outbox)
    .set({ status: 'sending', claimedAt: now, attempts: sql`${outbox.attempts} + 1` })
    .where(
      and(
        eq(outbox.id, id),
        or(eq(outbox.status, 'queued'), and(eq(outbox.status, 'sending'), lt(outbox.claimedAt, new Date(now.getTime() - STALE_CLAIM_MS)))),
      ),
    )
    .returning();
  return row ?? null;
}
