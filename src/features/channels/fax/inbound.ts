import { clipDescription, type Inbound, type StoredFile, type StoredPhoto } from '../../intake/inbound.ts';
import { mailInboundBase } from '../email/inbound-base.ts';
import type { ParsedMail } from '../email/parse.ts';
import { faxNumberFrom } from './detect.ts';

/**
 * A fax gateway's mail as the pipeline takes it. The mail's sender is the town's telephone system,
 * not the citizen: no e-mail contact, no acknowledgement (it would go to the gateway), no threading
 * into a case by the gateway's subject or references. The sender's fax number, when the gateway
 * names it, is the contact, so staff can fax or call back.
 */
export function faxInboundOf(
  mail: ParsedMail,
  p: {
    accountId: number;
    defaultType: Inbound['type'];
    headline: string;
    photos: StoredPhoto[];
    files: StoredFile[];
    notes: string[];
  },
): Inbound {
  const notes = [...mail.problems, ...p.notes];
  const description = clipDescription(
    [p.headline, mail.subject && `Betreff: ${mail.subject}`, mail.visibleText].filter(Boolean).join('\n\n'),
    notes,
  );
  const number = faxNumberFrom(mail.subject);
  if (!number) notes.push('Die Faxnummer des Absenders stand nicht im Betreff der Mail; sie steht vielleicht auf der ersten Seite.');
  return {
    ...mailInboundBase(mail, p, description, notes),
    channel: 'fax',
    threadKeys: [],
    caseNumber: null,
    contact: number ? { kind: 'phone', address: number, displayName: null } : null,
    reporterName: null,
    reporterEmail: null,
    autoReply: false,
  };
}
