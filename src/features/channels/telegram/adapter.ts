import type { Tx } from '../../../infra/db.ts';
import { enqueueOutbound } from '../../../infra/outbox.ts';
import type { CaseForChannel, ChannelAdapter, OutboundResult } from '../types.ts';
import { lastCitizenMessageId } from './queries.ts';
import { texts } from './texts.ts';
import { TELEGRAM_TEXT_MAX, type TelegramPayload } from './transport.ts';

/**
 * Answers in the citizen's private chat with the bot the case came in on, as a bot message quoting
 * their latest message. Written to the one outbox in the caller's transaction; transport.ts sends it.
 */
export function telegramChannel(): ChannelAdapter {
  const send = async (tx: Tx, c: CaseForChannel, text: string, p: { key: string; automatic: boolean }): Promise<OutboundResult> => {
    const contact = c.contact;
    if (contact?.kind !== 'telegram' || !c.channelAccountId) {
      return { delivered: false, note: 'Kein Telegram-Chat bekannt: Bitte antworten Sie auf anderem Weg.' };
    }
    if (contact.undeliverable) {
      return {
        delivered: false,
        note: 'Der Telegram-Chat nimmt keine Nachrichten mehr an (Bot blockiert): Bitte antworten Sie auf anderem Weg.',
      };
    }
    const replyTo = await lastCitizenMessageId(tx, c.id, contact.address);
    const payload: TelegramPayload = { method: 'sendMessage', text: text.slice(0, TELEGRAM_TEXT_MAX), replyTo };
    const written = await enqueueOutbound(tx, {
      kind: 'telegram',
      channelAccountId: c.channelAccountId,
      contactId: contact.id,
      address: contact.address,
      caseId: c.id,
      payload,
      automatic: p.automatic,
      ...(p.key ? { idempotencyKey: p.key } : {}),
    });
    if (written.outcome === 'capped')
      return { delivered: false, note: 'Keine automatische Nachricht: Dieser Chat hat heute schon genug bekommen.' };
    if (written.outcome === 'repeat') return { delivered: false, note: 'Bereits per Telegram geschickt.' };
    const who = contact.displayName ? ` an ${contact.displayName}` : '';
    return { delivered: true, note: `per Telegram${who}` };
  };
  return {
    name: 'telegram',
    writesAcknowledgement: (c) => c.contact?.kind === 'telegram' && !c.contact.undeliverable,
    acknowledge(tx, c, { trackingUrl, body }) {
      const text = texts.acknowledgement({ number: c.number, trackingUrl, ...(body ? { body } : {}) });
      return send(tx, c, text, { key: `ack:${c.id}:telegram`, automatic: true });
    },
    reply(tx, c, p) {
      const text = texts.reply({
        number: c.number,
        body: p.body,
        staffName: p.staffName,
        teamName: p.teamName,
        signature: p.signature ?? null,
        trackingUrl: p.trackingUrl,
      });
      return send(tx, c, text, { key: p.idempotencyKey ?? '', automatic: p.automatic ?? false });
    },
  };
}
