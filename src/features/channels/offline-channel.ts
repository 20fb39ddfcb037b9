import type { ChannelName } from '../../infra/schema/index.ts';
import type { ChannelAdapter } from './types.ts';

export type OfflineChannel = Extract<ChannelName, 'phone' | 'fax' | 'walk_in' | 'letter'>;

const howToAnswer: Record<OfflineChannel, string> = {
  phone: 'Eingang per Telefon: Bitte rufen Sie zurück; die Antwort ist hier dokumentiert.',
  fax: 'Eingang per Fax: Bitte antworten Sie per Fax oder Brief; die Antwort ist hier dokumentiert.',
  walk_in: 'Eingang vor Ort: Bitte antworten Sie persönlich oder per Brief; die Antwort ist hier dokumentiert.',
  letter: 'Eingang per Brief: Bitte drucken Sie die Antwort als Brief aus; sie ist hier dokumentiert.',
};

/**
 * Phone, fax, walk-in and letter have no machine way back. The answer is recorded on the case (and
 * shown on the tracking page); if the citizen left an e-mail address the mail channel is used instead.
 */
export function offlineChannel(name: OfflineChannel): ChannelAdapter {
  const result = () => ({ delivered: false, note: howToAnswer[name] });
  return { name, acknowledge: async () => result(), writesAcknowledgement: () => false, reply: async () => result() };
}
