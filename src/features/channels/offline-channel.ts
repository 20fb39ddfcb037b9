import type { ChannelName } from '../../infra/schema/index.ts';
import type { ChannelAdapter } from './types.ts';

const howToAnswer: Record<'phone' | 'fax' | 'walk_in', string> = {
  phone: 'Eingang per Telefon: Bitte rufen Sie zurück; die Antwort ist hier dokumentiert.',
  fax: 'Eingang per Fax: Bitte antworten Sie per Fax oder Brief; die Antwort ist hier dokumentiert.',
  walk_in: 'Eingang vor Ort: Bitte antworten Sie persönlich oder per Brief; die Antwort ist hier dokumentiert.',
};

/**
 * Phone, fax and walk-in have no machine way back. The answer is recorded on the case (and shown on
 * the tracking page); if the citizen left an e-mail address the mail channel is used instead.
 */
export function offlineChannel(name: Extract<ChannelName, 'phone' | 'fax' | 'walk_in'>): ChannelAdapter {
  const result = () => ({ delivered: false, note: howToAnswer[name], outboxIds: [] });
  return { name, acknowledge: async () => result(), writesAcknowledgement: () => false, reply: async () => result() };
}
