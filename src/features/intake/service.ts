import { randomBytes } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Clock } from '../../infra/clock.ts';
import type { Db, Tx } from '../../infra/db.ts';
import type { Logger } from '../../infra/log.ts';
import type { Queue } from '../../infra/queue.ts';
import { attachments, caseNumberSeq, cases, messages } from '../../infra/schema/index.ts';
import type { Storage } from '../../infra/storage.ts';
import { CITIZEN, recordAudit, SYSTEM } from '../cases/audit.ts';
import { closedStatuses } from '../cases/labels.ts';
import { kickOutbox } from '../channels/outbox.ts';
import type { ChannelRegistry } from '../channels/registry.ts';
import { routeNewCase } from '../routing/service.ts';
import { type Inbound, inboundSchema } from './inbound.ts';

export interface IntakeDeps {
  db: Db;
  queue: Queue;
  storage: Storage;
  clock: Clock;
  log: Logger;
  channels: ChannelRegistry;
  config: Pick<Config, 'publicUrl'>;
}

export type IntakeResult =
  | { outcome: 'created'; caseId: number; number: string; trackingToken: string }
  /** The same item came in again (double submit, replayed mail): nothing new was stored. */
  | { outcome: 'duplicate'; caseId: number; number: string; trackingToken: string }
  /** A follow-up to an existing case (reply to one of our mails): appended to its thread. */
  | { outcome: 'followup'; caseId: number; number: string; trackingToken: string };

export const trackingUrl = (publicUrl: string, token: string) => `${publicUrl}/verfolgen/${token}`;

/**
 * The single pipeline every inbound message passes, whatever its channel:
 * normalise → idempotency → threading → routing → store in one transaction → acknowledge.
 * (Duplicate detection of similar reports nearby comes with the routing workflows.)
 */
export async function receive(deps: IntakeDeps, raw: Inbound): Promise<IntakeResult> {
  const input = inboundSchema.parse(raw);
  const now = input.receivedAt ?? deps.clock.now();
  try {
    const { result, outboxIds } = await deps.db.transaction(async (tx) => {
      if (input.externalId) {
        const [existing] = await tx
          .select({ id: cases.id, number: cases.number, token: cases.trackingToken })
          .from(cases)
          .where(and(eq(cases.channel, input.channel), eq(cases.externalId, input.externalId)));
        if (existing)
          return {
            result: { outcome: 'duplicate', caseId: existing.id, number: existing.number, trackingToken: existing.token } as const,
            outboxIds: [],
          };
      }
      if (input.threadKeys.length > 0) {
        const followup = await appendFollowup(tx, input, now);
        if (followup) return { result: followup, outboxIds: [] };
      }
      return createCase(deps, tx, input, now);
    });
    await kickOutbox(deps.queue, outboxIds);
    if (result.outcome !== 'created') await removePhotos(deps, input.photos);
    return result;
  } catch (err) {
    // Nothing half-saved: the transaction rolled back, so the files it would have referenced go too.
    await removePhotos(deps, input.photos);
    throw err;
  }
}

async function createCase(deps: IntakeDeps, tx: Tx, input: ReturnType<typeof inboundSchema.parse>, now: Date) {
  const route = await routeNewCase(tx, { type: input.type, categoryId: input.categoryId, lat: input.lat, lon: input.lon });
  const [{ seq } = { seq: 0 }] = await tx.select({ seq: sql<number>`nextval(${caseNumberSeq.seqName})::int` }).from(sql`(select 1) as one`);
  const number = `${now.getFullYear()}-${String(seq).padStart(5, '0')}`;
  const token = randomBytes(24).toString('base64url');
  const [row] = await tx
    .insert(cases)
    .values({
      number,
      trackingToken: token,
      channel: input.channel,
      externalId: input.externalId,
      type: input.type,
      categoryId: input.categoryId,
      teamId: route.teamId,
      districtId: route.districtId,
      description: input.description,
      locationText: input.locationText,
      lat: input.lat,
      lon: input.lon,
      reporterName: input.reporterName,
      reporterEmail: input.reporterEmail,
      consentAt: input.consentAt,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: cases.id });
  if (!row) throw new Error('case insert returned nothing');
  const inboundMessageId = input.channel === 'email' ? input.externalId : null;
  const [message] = await tx
    .insert(messages)
    .values({
      caseId: row.id,
      kind: 'inbound',
      channel: input.channel,
      body: input.description,
      mailMessageId: inboundMessageId,
      createdAt: now,
    })
    .returning({ id: messages.id });
  if (input.photos.length > 0) {
    await tx
      .insert(attachments)
      .values(input.photos.map((p) => ({ ...p, caseId: row.id, messageId: message?.id ?? null, createdAt: now })));
  }
  await recordAudit(tx, {
    caseId: row.id,
    actor: CITIZEN,
    action: 'created',
    details: { channel: input.channel, ...(input.locationSource ? { locationSource: input.locationSource } : {}) },
    at: now,
  });
  await recordAudit(tx, {
    caseId: row.id,
    actor: { userId: null, label: 'Automatische Zuweisung' },
    action: 'routed',
    details: { teamId: route.teamId, reason: route.reason },
    at: now,
  });

  const forChannel = { id: row.id, number, channel: input.channel, reporterName: input.reporterName, reporterEmail: input.reporterEmail };
  const ack = await deps.channels(forChannel).acknowledge(tx, forChannel, { trackingUrl: trackingUrl(deps.config.publicUrl, token) });
  if (ack.mailMessageId) {
    await tx.insert(messages).values({
      caseId: row.id,
      kind: 'auto',
      channel: input.channel,
      body: `Eingangsbestätigung: ${ack.note}`,
      mailMessageId: ack.mailMessageId,
      createdAt: now,
    });
  }
  return { result: { outcome: 'created', caseId: row.id, number, trackingToken: token } as const, outboxIds: ack.outboxIds };
}

/** A reply to one of our mails joins its case; a closed case reopens, as the citizen is still talking. */
async function appendFollowup(tx: Tx, input: ReturnType<typeof inboundSchema.parse>, now: Date): Promise<IntakeResult | null> {
  const [hit] = await tx
    .select({ caseId: messages.caseId, number: cases.number, token: cases.trackingToken, status: cases.status })
    .from(messages)
    .innerJoin(cases, eq(cases.id, messages.caseId))
    .where(inArray(messages.mailMessageId, input.threadKeys))
    .limit(1);
  if (!hit) return null;
  const [message] = await tx
    .insert(messages)
    .values({
      caseId: hit.caseId,
      kind: 'inbound',
      channel: input.channel,
      body: input.description,
      mailMessageId: input.externalId,
      createdAt: now,
    })
    .returning({ id: messages.id });
  if (input.photos.length > 0) {
    await tx
      .insert(attachments)
      .values(input.photos.map((p) => ({ ...p, caseId: hit.caseId, messageId: message?.id ?? null, createdAt: now })));
  }
  const reopen = closedStatuses.includes(hit.status);
  await tx
    .update(cases)
    .set({ updatedAt: now, version: sql`${cases.version} + 1`, ...(reopen ? { status: 'in_progress' as const, closedAt: null } : {}) })
    .where(eq(cases.id, hit.caseId));
  await recordAudit(tx, { caseId: hit.caseId, actor: CITIZEN, action: 'followup_received', details: { channel: input.channel }, at: now });
  if (reopen)
    await recordAudit(tx, {
      caseId: hit.caseId,
      actor: SYSTEM,
      action: 'status_changed',
      details: { from: hit.status, to: 'in_progress', reason: 'Neue Nachricht zu einem abgeschlossenen Anliegen' },
      at: now,
    });
  return { outcome: 'followup', caseId: hit.caseId, number: hit.number, trackingToken: hit.token };
}

async function removePhotos(deps: IntakeDeps, photos: { storageKey: string; thumbKey: string }[]): Promise<void> {
  for (const p of photos) {
    await deps.storage.remove(p.storageKey).catch((err) => deps.log.warn({ err }, 'photo cleanup failed'));
    await deps.storage.remove(p.thumbKey).catch((err) => deps.log.warn({ err }, 'photo cleanup failed'));
  }
}
