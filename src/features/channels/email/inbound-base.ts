import { mailThreadKey } from '../../../infra/outbox-mail.ts';
import type { Inbound, StoredFile, StoredPhoto } from '../../intake/inbound.ts';
import type { ParsedMail } from './parse.ts';

/**
 * What every mail of a town mailbox hands the pipeline, whatever it turns out to be (a citizen's
 * mail, a fax): its ids, the account, the stored attachments and the notes for staff. The caller
 * adds channel, contact, threading and whether to acknowledge.
 */
export function mailInboundBase(
  mail: ParsedMail,
  p: { accountId: number; defaultType: Inbound['type']; photos: StoredPhoto[]; files: StoredFile[] },
  description: string,
  notes: string[],
) {
  return {
    externalId: mail.externalId,
    threadKey: mailThreadKey(mail.messageId ?? mail.externalId),
    channelAccountId: p.accountId,
    type: p.defaultType,
    categoryId: null,
    description,
    locationText: null,
    lat: null,
    lon: null,
    consentAt: null,
    photos: p.photos,
    files: p.files,
    intakeNotes: notes.slice(0, 20).map((n) => n.slice(0, 500)),
  } satisfies Partial<Inbound>;
}
