import { distanceMeters } from '../../infra/geo.ts';
import type { Logger } from '../../infra/log.ts';
import { enqueueMail, newMessageId } from '../../infra/outbox-mail.ts';
import { type PublicCase, publicCasesPublishedBetween, publicUpdatesOfCasesBetween } from '../transparency/projection/read.ts';
import { caseLink, unsubscribeHeaders, unsubscribePath } from './links.ts';
import { type ActiveSubscription, activeSubscriptions, advance, lockIfUnchanged } from './queries.ts';
import { areaLabelOf, type FollowDeps, storedArea } from './service.ts';
import { areaCasesMail, caseChangesMail, type MailText } from './texts.ts';

/**
 * Public changes are mailed only once they are this old. A change's row carries the instant its
 * transaction began; one still uncommitted when the job reads would otherwise fall behind
 * `notified_until` and never be mailed. Case changes commit within milliseconds.
 */
export const COMMIT_LAG_MS = 60_000;
const BATCH = 200;
/** Newly public cases read per run for the area alerts; more wait for the next run. */
const AREA_SCAN = 1000;

interface Notice {
  sub: ActiveSubscription;
  mail: MailText;
  /** What the mail covers up to: the subscription moves on to here. */
  until: Date;
}

/**
 * One run of the follow mails: every confirmed, running subscription gets one mail with what became
 * public since its `notified_until` (one change: a notice; several, or several new cases of an area:
 * a digest), written to the outbox in the same transaction that moves `notified_until` on, under a
 * key of the subscription and the window's start: a retry or a second worker never mails twice.
 * Subscriptions with nothing new just move on.
 */
export async function sendDueNotices(deps: FollowDeps & { log: Logger }): Promise<{ mails: number }> {
  const until = new Date(deps.clock.now().getTime() - COMMIT_LAG_MS);
  let afterId = 0;
  let mails = 0;
  for (;;) {
    const batch = await activeSubscriptions(deps.db, afterId, BATCH);
    const last = batch[batch.length - 1];
    if (!last) break;
    afterId = last.id;
    const due = batch.filter((s) => s.notifiedUntil < until);
    const byCase = await caseNotices(
      deps,
      due.filter((s) => s.kind === 'case' && !s.undeliverable),
      until,
    );
    const byArea = await areaNotices(
      deps,
      due.filter((s) => s.kind === 'area' && !s.undeliverable),
      until,
    );
    const notices = [...byCase, ...byArea.notices];
    const noticed = new Set(notices.map((n) => n.sub.id));
    // Nothing new (or an address that bounced): move on, so the next run reads a short window.
    const idle = (kind: ActiveSubscription['kind']) => due.filter((s) => s.kind === kind && !noticed.has(s.id)).map((s) => s.id);
    await advance(deps.db, idle('case'), until);
    await advance(deps.db, idle('area'), byArea.upTo);
    for (const notice of notices) if (await write(deps, notice)) mails++;
    if (batch.length < BATCH) break;
  }
  if (mails > 0) deps.log.info({ mails }, 'follow mails written');
  return { mails };
}

async function write(deps: FollowDeps, { sub, mail, until }: Notice): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    if (!(await lockIfUnchanged(tx, sub.id, sub.notifiedUntil))) return false;
    const written = await enqueueMail(tx, {
      caseId: null,
      to: sub.address,
      subject: mail.subject,
      text: mail.text,
      messageId: newMessageId(deps.config.publicUrl, null),
      automatic: true,
      contactId: sub.contactId,
      idempotencyKey: `public-follow:notice:${sub.id}:${sub.notifiedUntil.getTime()}`,
      headers: unsubscribeHeaders(deps.config.publicUrl, sub.token),
    });
    // Over the address's daily cap: the window stays open and the next run after it sends one digest.
    if (written.outcome === 'capped') return false;
    await advance(tx, [sub.id], until);
    return written.outcome === 'queued';
  });
}

const unsubscribeUrl = (deps: FollowDeps, sub: ActiveSubscription) => `${deps.config.publicUrl}${unsubscribePath(sub.token)}`;
const earliest = (subs: ActiveSubscription[]) => new Date(Math.min(...subs.map((s) => s.notifiedUntil.getTime())));

async function caseNotices(deps: FollowDeps, subs: ActiveSubscription[], until: Date): Promise<Notice[]> {
  if (subs.length === 0) return [];
  const caseIds = [...new Set(subs.flatMap((s) => (s.caseId === null ? [] : [s.caseId])))];
  // The projection holds only published cases: a withdrawn case has no updates to mail.
  const updates = await publicUpdatesOfCasesBetween(deps.db, { caseIds, after: earliest(subs), until });
  return subs.flatMap((sub) => {
    const changes = updates.filter((u) => u.caseId === sub.caseId && u.createdAt > sub.notifiedUntil);
    const first = changes[0];
    if (!first) return [];
    const mail = caseChangesMail({
      number: first.number,
      categoryName: first.categoryName,
      changes,
      caseUrl: caseLink(deps.config.publicUrl, first.number),
      unsubscribeUrl: unsubscribeUrl(deps, sub),
      townName: deps.config.townName,
    });
    return [{ sub, mail, until }];
  });
}

async function areaNotices(deps: FollowDeps, subs: ActiveSubscription[], until: Date): Promise<{ notices: Notice[]; upTo: Date }> {
  if (subs.length === 0) return { notices: [], upTo: until };
  const after = earliest(subs);
  const fresh = await publicCasesPublishedBetween(deps.db, { after, until, limit: AREA_SCAN });
  // A full read may have left cases of its last instant unread: stop before that instant this time.
  const lastRead = fresh[fresh.length - 1];
  const upTo =
    fresh.length === AREA_SCAN && lastRead && lastRead.publishedAt.getTime() - 1 > after.getTime()
      ? new Date(lastRead.publishedAt.getTime() - 1)
      : until;
  const notices: Notice[] = [];
  for (const sub of subs) {
    const area = storedArea(sub);
    if (!area) continue;
    const inside = fresh.filter((c) => c.publishedAt > sub.notifiedUntil && c.publishedAt <= upTo && inArea(area, c));
    if (inside.length === 0) continue;
    const mail = areaCasesMail({
      label: await areaLabelOf(deps.db, area),
      cases: inside.map((c) => ({
        number: c.number,
        categoryName: c.categoryName,
        districtName: c.districtName,
        text: c.text,
        reportedAt: c.reportedAt,
        url: caseLink(deps.config.publicUrl, c.number),
      })),
      listUrl: `${deps.config.publicUrl}/meldungen${'districtId' in area ? `?bezirk=${area.districtId}` : ''}`,
      unsubscribeUrl: unsubscribeUrl(deps, sub),
      townName: deps.config.townName,
    });
    notices.push({ sub, mail, until: upTo });
  }
  return { notices, upTo };
}

function inArea(area: NonNullable<ReturnType<typeof storedArea>>, c: PublicCase): boolean {
  if (area.categoryId !== null && c.categoryId !== area.categoryId) return false;
  if ('districtId' in area) return c.districtId === area.districtId;
  return c.lat !== null && c.lon !== null && distanceMeters(area, { lat: c.lat, lon: c.lon }) <= area.radiusM;
}
