import { and, desc, eq, isNotNull, like } from 'drizzle-orm';
import type { Tx } from '../../infra/db.ts';
import { enqueueMail, mailThreadKey, newMessageId } from '../../infra/outbox-mail.ts';
import { messages } from '../../infra/schema/index.ts';
import { oneLine } from '../../infra/text-input.ts';
import { acknowledgementText, replyText, subjects } from './mail-texts.ts';
import type { CaseForChannel, ChannelAdapter, ContactRef, OutboundResult } from './types.ts';

/**
 * Answers by mail to the contact's address, from the town mailbox the case came in on (or the
 * platform's sender). Every mail carries a Message-ID of ours plus In-Reply-To/References to the
 * thread so far, so the citizen's mail program shows one conversation and their answer can be
 * matched to the case.
 */
export function mailChannel(env: { publicUrl: string; townName: string }): ChannelAdapter {
  const send = async (
    tx: Tx,
    c: CaseForChannel,
    mail: { subject: string; text: string; automatic: boolean; key: string },
    note: (address: string) => string,
  ): Promise<OutboundResult> => {
    const to = reachable(c.contact);
    if (!to.ok) return { delivered: false, note: to.note };
    const { references: thread, lastFromCitizen } = await threadOf(tx, c);
    const messageId = newMessageId(env.publicUrl, c.number);
    const written = await enqueueMail(tx, {
      caseId: c.id,
      to: to.address,
      contactId: c.contact?.id ?? null,
      channelAccountId: c.channelAccountId,
      subject: mail.subject,
      text: mail.text,
      messageId,
      // RFC 5322: In-Reply-To names the mail being answered, the citizen's latest; References the whole thread.
      inReplyTo: lastFromCitizen ?? thread.at(-1) ?? null,
      references: thread,
      automatic: mail.automatic,
      ...(mail.key ? { idempotencyKey: mail.key } : {}),
    });
    if (written.outcome === 'capped') {
      return {
        delivered: false,
        note: `Keine automatische Mail an ${to.address}: Diese Adresse hat heute schon die Höchstzahl automatischer Antworten bekommen.`,
      };
    }
    if (written.outcome === 'repeat') return { delivered: false, note: `Bereits an ${to.address} geschickt.` };
    return { delivered: true, note: note(to.address), threadKey: mailThreadKey(messageId) };
  };
  return {
    name: 'email',
    writesAcknowledgement: (c) => reachable(c.contact).ok,
    acknowledge(tx, c, { trackingUrl, body }) {
      const text = acknowledgementText({
        name: c.reporterName,
        number: c.number,
        trackingUrl,
        townName: env.townName,
        ...(body ? { body } : {}),
      });
      return send(
        tx,
        c,
        { subject: subjects.acknowledgement(c.number), text, automatic: true, key: `ack:${c.id}:${c.contact?.address ?? ''}` },
        (address) => `Bestätigung an ${address}`,
      );
    },
    reply(tx, c, p) {
      const text = replyText({
        name: c.reporterName,
        body: p.body,
        staffName: p.staffName,
        teamName: p.teamName,
        signature: p.signature ?? null,
        townName: env.townName,
        trackingUrl: p.trackingUrl,
        number: c.number,
      });
      return send(
        tx,
        c,
        {
          subject: p.subject ? oneLine(`[${c.number}] ${p.subject}`) : subjects.reply(c.number),
          text,
          automatic: p.automatic ?? false,
          key: p.idempotencyKey ?? '',
        },
        (address) => `per E-Mail an ${address}`,
      );
    },
  };
}

function reachable(contact: ContactRef | null): { ok: true; address: string } | { ok: false; note: string } {
  if (contact?.kind !== 'email') {
    return {
      ok: false,
      note: 'Keine E-Mail-Adresse angegeben: Die Antwort ist nur über den persönlichen Link der meldenden Person zu lesen.',
    };
  }
  if (contact.undeliverable) {
    return {
      ok: false,
      note: `Die Adresse ${contact.address} nimmt keine Mails an (unzustellbar zurückgekommen): Bitte antworten Sie auf anderem Weg.`,
    };
  }
  return { ok: true, address: contact.address };
}

/** Message-IDs of the mail thread so far, oldest first (RFC 5322 References, capped to stay short), and the citizen's latest. */
async function threadOf(tx: Tx, c: CaseForChannel): Promise<{ references: string[]; lastFromCitizen: string | null }> {
  const rows = await tx
    .select({ key: messages.threadKey, kind: messages.kind })
    .from(messages)
    .where(and(eq(messages.caseId, c.id), isNotNull(messages.threadKey), like(messages.threadKey, 'email:%')))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(20);
  const idOf = (key: string | null) => key?.slice('email:'.length) ?? '';
  const fromCitizen = rows.find((r) => r.kind === 'inbound');
  return {
    references: rows
      .map((r) => idOf(r.key))
      .filter(Boolean)
      .reverse(),
    lastFromCitizen: fromCitizen ? idOf(fromCitizen.key) : null,
  };
}
