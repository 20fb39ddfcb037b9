import { eq } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Tx } from '../../infra/db.ts';
import { categories } from '../../infra/schema/index.ts';
import { type Actor, recordAudit } from '../cases/audit.ts';
import { contactRef } from '../cases/contacts.ts';
import type { ResolvedCase } from '../cases/events.ts';
import { trackingUrl } from '../cases/links.ts';
import type { ChannelRegistry } from '../channels/registry.ts';
import type { CaseForChannel } from '../channels/types.ts';
import { reportersOf } from './queries.ts';
import { resolvedForFollower, resolvedForMerged, resolvedForReporter } from './texts.ts';

export const followUrl = (publicUrl: string, token: string) => `${publicUrl}/folgen/${token}`;

/**
 * A case was just resolved: everyone who reported it hears so once, through the way their own
 * report came (mail for web and e-mail). The case's own reporter is skipped when the same step
 * already answered them (the clerk's "Antworten und erledigen" reply is their one mail).
 * Runs inside the resolving transaction, so the mails exist exactly when the resolution does;
 * they are delivered after commit.
 */
export async function notifyResolution(
  tx: Tx,
  deps: { channels: ChannelRegistry; config: Pick<Config, 'publicUrl'> },
  kase: ResolvedCase,
  p: { actor: Actor; staffName: string; teamName: string | null; ownReporterAnswered: boolean; now: Date },
): Promise<void> {
  let notified = 0;
  const send = async (c: CaseForChannel, body: string, link: string) => {
    // A channel without a way back yet (e.g. Mastodon before it is connected) simply gets no notice.
    const adapter = deps.channels(c);
    if (!adapter) return;
    const sent = await adapter.reply(tx, c, { body, trackingUrl: link, staffName: p.staffName, teamName: p.teamName, automatic: true });
    if (sent.delivered) notified++;
  };

  if (!p.ownReporterAnswered) {
    await send(
      {
        id: kase.id,
        number: kase.number,
        channel: kase.channel,
        channelAccountId: kase.channelAccountId,
        reporterName: kase.reporterName,
        contact: await contactRef(tx, kase.contactId),
      },
      resolvedForReporter(),
      trackingUrl(deps.config.publicUrl, kase.trackingToken),
    );
  }
  const others = await reportersOf(tx, kase.id);
  if (others.length > 0) {
    const categoryName = kase.categoryId === null ? null : await categoryNameOf(tx, kase.categoryId);
    for (const r of others) {
      // The follower's contact carries the daily cap of automatic mail and a bounce's "undeliverable".
      const contact = await contactRef(tx, r.contactId);
      if (!contact) continue;
      if (r.kind === 'merged' && r.originCaseId !== null && r.originNumber && r.originChannel && r.originToken) {
        // Threaded into the conversation of their own report, with their own link.
        await send(
          {
            id: r.originCaseId,
            number: r.originNumber,
            channel: r.originChannel,
            channelAccountId: null,
            reporterName: r.name,
            contact,
          },
          resolvedForMerged({ ownNumber: r.originNumber, number: kase.number }),
          trackingUrl(deps.config.publicUrl, r.originToken),
        );
      } else if (r.trackingToken) {
        await send(
          {
            id: kase.id,
            number: kase.number,
            channel: 'web',
            channelAccountId: null,
            reporterName: r.name,
            contact,
          },
          resolvedForFollower({ number: kase.number, categoryName }),
          followUrl(deps.config.publicUrl, r.trackingToken),
        );
      }
    }
  }
  if (notified > 0) {
    await recordAudit(tx, {
      caseId: kase.id,
      actor: p.actor,
      action: 'reporters_notified',
      details: { count: notified, reason: notified === 1 ? '1 Person per E-Mail' : `${notified} Personen per E-Mail` },
      at: p.now,
    });
  }
}

async function categoryNameOf(tx: Tx, id: number): Promise<string | null> {
  const [row] = await tx.select({ name: categories.name }).from(categories).where(eq(categories.id, id));
  return row?.name ?? null;
}
