import type { Config } from '../../../../config.ts';
import type { Clock } from '../../../../infra/clock.ts';
import type { Db } from '../../../../infra/db.ts';
import { type ConfirmOutcome, confirmDecision, newLinkToken } from '../../../../infra/opt-in.ts';
import { enqueueMail, newMessageId } from '../../../../infra/outbox-mail.ts';
import { newsletterSubscriptions } from '../../../../infra/schema/index.ts';
import { upsertContact } from '../../../cases/contacts.ts';
import { confirmPath, unsubscribePath } from './links.ts';
import { confirmByToken, liveSubscriptionOf, pendingCount, subscriptionByToken, unsubscribeByToken } from './queries.ts';
import { alreadySubscribedMail, choiceLabel, confirmationMail } from './texts.ts';

export interface NewsletterDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'publicUrl' | 'townName'>;
}

/** New subscriptions one address may collect per day; past it nothing is written or mailed, the answer stays the same. */
export const PENDING_PER_ADDRESS_PER_DAY = 5;

const hourOf = (now: Date) => Math.floor(now.getTime() / 3_600_000);

/**
 * Double opt-in, as the follow mails do it: a pending subscription and the confirmation mail, or
 * for an address already subscribed a short note saying so. The caller answers the same in every
 * case, so the page never tells whether an address is known. Asking again replaces the choice of a
 * still unconfirmed subscription; a confirmed one keeps its choice until it is ended.
 */
export async function subscribe(deps: NewsletterDeps, email: string, choice: { kinds: string[]; tags: string[] }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    // The upsert locks the contact's row until commit: two requests for one address run one after the other.
    const contactId = await upsertContact(tx, { kind: 'email', address: email, displayName: null });
    const existing = await liveSubscriptionOf(tx, contactId);
    const mail = (key: string, text: { subject: string; text: string }) =>
      enqueueMail(tx, {
        caseId: null,
        to: email,
        ...text,
        messageId: newMessageId(deps.config.publicUrl, null),
        automatic: true,
        contactId,
        idempotencyKey: `newsletter:${key}:${hourOf(now)}`,
      });
    if (existing?.confirmedAt) {
      const unsubscribeUrl = `${deps.config.publicUrl}${unsubscribePath(existing.token)}`;
      await mail(`already:${existing.id}`, alreadySubscribedMail({ townName: deps.config.townName, unsubscribeUrl }));
      return;
    }
    if (!existing && (await pendingCount(tx, contactId, new Date(now.getTime() - 86_400_000))) >= PENDING_PER_ADDRESS_PER_DAY) return;
    const [sub] = existing
      ? [existing]
      : await tx
          .insert(newsletterSubscriptions)
          .values({ contactId, kinds: choice.kinds, tags: choice.tags, token: newLinkToken(), createdAt: now })
          .returning();
    if (!sub) throw new Error('newsletter subscription not written');
    const confirmUrl = `${deps.config.publicUrl}${confirmPath(sub.token)}`;
    await mail(
      `confirm:${sub.id}`,
      confirmationMail({ townName: deps.config.townName, confirmUrl, choice: choiceLabel(sub.kinds, sub.tags) }),
    );
  });
}

export async function confirm(deps: NewsletterDeps, token: string): Promise<ConfirmOutcome> {
  const now = deps.clock.now();
  const sub = await subscriptionByToken(deps.db, token);
  const decision = confirmDecision(sub, now);
  if (decision !== 'confirm') return decision;
  return (await confirmByToken(deps.db, token, now)) ? 'confirmed' : 'ended';
}

export const unsubscribe = (deps: NewsletterDeps, token: string) => unsubscribeByToken(deps.db, token, deps.clock.now());
export const subscriptionOf = (deps: NewsletterDeps, token: string) => subscriptionByToken(deps.db, token);
