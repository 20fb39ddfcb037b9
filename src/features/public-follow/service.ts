import type { Config } from '../../config.ts';
import type { Clock } from '../../infra/clock.ts';
import type { Db, DbOrTx } from '../../infra/db.ts';
import { notFound } from '../../infra/errors.ts';
import { type ConfirmOutcome, confirmDecision, newLinkToken } from '../../infra/opt-in.ts';
import { enqueueMail, newMessageId } from '../../infra/outbox-mail.ts';
import { upsertContact } from '../cases/contacts.ts';
import { referenceData } from '../cases/reference-data.ts';
import { publicCaseById, publicCaseByNumber } from '../transparency/projection/read.ts';
import { confirmPath, unsubscribePath } from './links.ts';
import {
  type Area,
  confirmByToken,
  insertSubscription,
  liveAreaSubscription,
  liveCaseSubscription,
  pendingCount,
  type Subscription,
  subscriptionByToken,
  unsubscribeByToken,
} from './queries.ts';
import { alreadySubscribedMail, areaLabel, confirmationMail, type Topic } from './texts.ts';

export interface FollowDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'publicUrl' | 'townName'>;
}

export type Target = { kind: 'case'; number: string } | { kind: 'area'; area: Area };

/** One answer for unknown and unpublished numbers alike (the same words as the public case page). */
export const noSuchCase = () =>
  notFound('Diese Meldung gibt es nicht oder sie ist nicht öffentlich. Alle öffentlichen Meldungen finden Sie unter „Meldungen“.');

/**
 * New unconfirmed subscriptions one address may collect per day. Past it nothing is written and
 * nothing mailed, with the same answer as always: the per-address limit of this form, on top of
 * the outbox's daily cap of automatic mail per address (which also covers repeated asking).
 */
export const PENDING_PER_ADDRESS_PER_DAY = 10;

/** Asking again within the same hour writes no second mail (a double click, a reload). */
const hourOf = (now: Date) => Math.floor(now.getTime() / 3_600_000);

/**
 * Double opt-in: writes a pending subscription and the confirmation mail, or, for an address that
 * already gets these mails, a short note saying so. The caller answers the same in every case, so
 * nobody learns from the page whether an address is subscribed. The mails are automatic: the
 * outbox's daily cap per address stops anyone from flooding a stranger's inbox through this form.
 */
export async function subscribe(deps: FollowDeps, email: string, target: Target): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    let caseId: number | null = null;
    let topic: Topic;
    if (target.kind === 'case') {
      const item = await publicCaseByNumber(tx, target.number);
      if (!item) throw noSuchCase();
      caseId = item.caseId;
      topic = { kind: 'case', number: item.number };
    } else {
      topic = { kind: 'area', label: await areaLabelOf(tx, target.area) };
    }
    // The upsert locks the contact's row until commit, so two requests for the same address run one
    // after the other and the second finds the first one's subscription.
    const contactId = await upsertContact(tx, { kind: 'email', address: email, displayName: null });
    const existing =
      target.kind === 'area'
        ? await liveAreaSubscription(tx, contactId, target.area)
        : await liveCaseSubscription(tx, contactId, caseId ?? 0);
    const mail = (key: string, text: { subject: string; text: string }) =>
      enqueueMail(tx, {
        caseId: null,
        to: email,
        ...text,
        messageId: newMessageId(deps.config.publicUrl, null),
        automatic: true,
        contactId,
        idempotencyKey: `public-follow:${key}:${hourOf(now)}`,
      });
    if (existing?.confirmedAt) {
      const unsubscribeUrl = `${deps.config.publicUrl}${unsubscribePath(existing.token)}`;
      await mail(`already:${existing.id}`, alreadySubscribedMail({ topic, unsubscribeUrl, townName: deps.config.townName }));
      return;
    }
    if (!existing && (await pendingCount(tx, contactId, new Date(now.getTime() - 86_400_000))) >= PENDING_PER_ADDRESS_PER_DAY) return;
    const sub =
      existing ?? (await insertSubscription(tx, { ...rowOf(target), caseId, contactId, token: newLinkToken(), createdAt: now }))[0];
    if (!sub) throw new Error('subscription not written');
    const confirmUrl = `${deps.config.publicUrl}${confirmPath(sub.token)}`;
    await mail(`confirm:${sub.id}`, confirmationMail({ topic, confirmUrl, townName: deps.config.townName }));
  });
}

function rowOf(target: Target) {
  if (target.kind === 'case') return { kind: 'case' as const };
  const a = target.area;
  return 'districtId' in a
    ? { kind: 'area' as const, districtId: a.districtId, categoryId: a.categoryId }
    : { kind: 'area' as const, lat: a.lat, lon: a.lon, radiusM: a.radiusM, categoryId: a.categoryId };
}

/** The area in words, with the names as they are now. */
export async function areaLabelOf(db: DbOrTx, area: Area): Promise<string> {
  const ref = await referenceData(db);
  const categoryName = area.categoryId === null ? null : (ref.categoriesById.get(area.categoryId)?.name ?? null);
  if ('districtId' in area) {
    return areaLabel({ districtName: ref.districts.find((d) => d.id === area.districtId)?.name ?? null, categoryName });
  }
  return areaLabel({ point: area, categoryName });
}

/** The area a stored subscription watches; null for a case subscription. */
export function storedArea(s: Subscription): Area | null {
  if (s.kind !== 'area') return null;
  if (s.districtId !== null) return { districtId: s.districtId, categoryId: s.categoryId };
  if (s.lat !== null && s.lon !== null && s.radiusM !== null)
    return { lat: s.lat, lon: s.lon, radiusM: s.radiusM, categoryId: s.categoryId };
  return null;
}

/** What a subscription is about, for its pages; null when its case is no longer public. */
export async function topicOf(db: DbOrTx, s: Subscription): Promise<Topic | null> {
  if (s.kind === 'case') {
    const item = s.caseId === null ? null : await publicCaseById(db, s.caseId);
    return item ? { kind: 'case', number: item.number } : null;
  }
  const area = storedArea(s);
  return area ? { kind: 'area', label: await areaLabelOf(db, area) } : null;
}

/** Confirms by the mail's token; a second click says "confirmed" again. Expired or unknown: 'unknown'. */
export async function confirm(deps: FollowDeps, token: string): Promise<ConfirmOutcome> {
  const now = deps.clock.now();
  const sub = await subscriptionByToken(deps.db, token);
  const decision = confirmDecision(sub, now);
  if (decision !== 'confirm') return decision;
  // Conditional: a confirmation racing an unsubscribe does not bring the subscription back.
  return (await confirmByToken(deps.db, token, now)) ? 'confirmed' : 'ended';
}

/** Ends a subscription by its token; false when there is none. */
export function unsubscribe(deps: FollowDeps, token: string): Promise<boolean> {
  return unsubscribeByToken(deps.db, token, deps.clock.now());
}

/** The subscription behind a token, for the pages that show a button before anything changes. */
export function subscriptionOf(deps: FollowDeps, token: string): Promise<Subscription | null> {
  return subscriptionByToken(deps.db, token);
}
