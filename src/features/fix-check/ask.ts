import type { Config } from '../../config.ts';
import type { Clock } from '../../infra/clock.ts';
import type { Db, Tx } from '../../infra/db.ts';
import type { Logger } from '../../infra/log.ts';
import { recordAudit, SYSTEM } from '../cases/audit.ts';
import { contactRef } from '../cases/contacts.ts';
import { trackingUrl } from '../cases/links.ts';
import type { ChannelRegistry } from '../channels/registry.ts';
import { claimDueCheck, deleteCheck, dueFixChecks, markAsked, postponeCheck } from './queries.ts';
import { canAsk } from './schedule.ts';
import { fixCheckUrl, QUESTION_SUBJECT, questionText } from './texts.ts';

export interface AskDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  channels: ChannelRegistry;
  config: Pick<Config, 'publicUrl' | 'townName'>;
}

const DAY_MS = 24 * 3_600_000;
/** Questions asked per run; the rest wait for the next tick. */
const BATCH = 100;

type Outcome = 'asked' | 'dropped' | 'postponed' | 'skipped';

/** Asks every due question, each in its own transaction (a failure costs one question, not the batch). */
export async function askDueChecks(deps: AskDeps): Promise<Record<Outcome, number>> {
  const now = deps.clock.now();
  const counts: Record<Outcome, number> = { asked: 0, dropped: 0, postponed: 0, skipped: 0 };
  for (const id of await dueFixChecks(deps.db, now, BATCH)) {
    const outcome = await deps.db.transaction((tx) => askOne(tx, deps, id, now));
    counts[outcome]++;
  }
  if (counts.asked + counts.dropped + counts.postponed > 0) deps.log.info(counts, 'fix checks asked');
  return counts;
}

/**
 * The question goes through the way back of the case (mail for web and e-mail reports), marked
 * automatic, with the check's own idempotency key; `asked_at` is set in the same transaction, so
 * a retried or doubled job sends it once.
 */
async function askOne(tx: Tx, deps: AskDeps, id: number, now: Date): Promise<Outcome> {
  const row = await claimDueCheck(tx, id, now);
  if (!row) return 'skipped';
  const forChannel = {
    id: row.caseId,
    number: row.number,
    channel: row.channel,
    channelAccountId: row.channelAccountId,
    reporterName: row.reporterName,
    contact: await contactRef(tx, row.contactId),
  };
  // Reopened or merged without the subscriber seeing it, or the address bounced since: nobody to ask.
  const adapter = deps.channels(forChannel);
  if (row.status !== 'resolved' || row.mergedIntoId !== null || !adapter || !canAsk(deps.channels, forChannel)) {
    await deleteCheck(tx, row.id);
    return 'dropped';
  }
  const sent = await adapter.reply(tx, forChannel, {
    body: questionText({ number: row.number, url: fixCheckUrl(deps.config.publicUrl, row.token) }),
    trackingUrl: trackingUrl(deps.config.publicUrl, row.trackingToken),
    staffName: row.teamName ?? 'Ihre Stadtverwaltung',
    teamName: null,
    automatic: true,
    idempotencyKey: `fix-check:${row.id}`,
    subject: QUESTION_SUBJECT,
  });
  if (!sent.delivered) {
    // The address has had its share of automatic mail today (the outbox's daily cap): ask tomorrow.
    await postponeCheck(tx, row.id, new Date(now.getTime() + DAY_MS));
    return 'postponed';
  }
  await markAsked(tx, row.id, now);
  await recordAudit(tx, { caseId: row.caseId, actor: SYSTEM, action: 'fix_check_asked', details: { reason: sent.note }, at: now });
  return 'asked';
}
