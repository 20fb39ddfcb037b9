import { eq } from 'drizzle-orm';
import type { Tx } from '../../infra/db.ts';
import { cases } from '../../infra/schema/index.ts';
import { contactRef } from '../cases/contacts.ts';
import type { CaseChanged, CaseResolved } from '../cases/events.ts';
import type { ChannelRegistry } from '../channels/registry.ts';
import type { ContactRef } from '../channels/types.ts';
import { categoryFixCheckDays, dropPendingChecks, insertFixCheck } from './queries.ts';

const DAY_MS = 24 * 3_600_000;

/**
 * Whether the reporter can be asked at all: the way back their report came (or their e-mail
 * address) can send something by itself. Phone, letter and an address that bounced cannot.
 */
export function canAsk(channels: ChannelRegistry, c: { channel: Parameters<ChannelRegistry>[0]['channel']; contact: ContactRef | null }) {
  if (!c.contact || c.contact.undeliverable) return false;
  const adapter = channels(c);
  if (!adapter) return false;
  return adapter.writesAcknowledgement ? adapter.writesAcknowledgement(c) : true;
}

/**
 * A case was just resolved (in its transaction): the question is planned for `fix_check_days`
 * calendar days later, unless the category never asks, the case was merged into another, or its
 * reporter cannot be reached. Each resolution is a round of its own.
 */
export async function planFixCheck(tx: Tx, channels: ChannelRegistry, e: CaseResolved): Promise<void> {
  const [kase] = await tx
    .select({ categoryId: cases.categoryId, mergedIntoId: cases.mergedIntoId, contactId: cases.contactId, channel: cases.channel })
    .from(cases)
    .where(eq(cases.id, e.case.id));
  if (!kase || kase.mergedIntoId !== null) return;
  await dropPendingChecks(tx, e.case.id);
  const days = await categoryFixCheckDays(tx, kase.categoryId);
  if (days === null) return;
  if (!canAsk(channels, { channel: kase.channel, contact: await contactRef(tx, kase.contactId) })) return;
  await insertFixCheck(tx, e.case.id, new Date(e.at.getTime() + days * DAY_MS), e.at);
}

/** Reopened (or closed another way) before the question went out: it is not asked. */
export async function followStatus(tx: Tx, change: CaseChanged): Promise<void> {
  if (change.before.status === 'resolved' && change.after.status !== 'resolved') await dropPendingChecks(tx, change.caseId);
}
