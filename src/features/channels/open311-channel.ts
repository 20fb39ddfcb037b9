import type { ChannelAdapter } from './types.ts';

const note = {
  delivered: false,
  note: 'Eingang über die Open311-Schnittstelle ohne E-Mail-Adresse: Die Antwort ist hier dokumentiert; die App sieht den Stand, sobald die Meldung öffentlich ist.',
};

/**
 * Reports from another app over Open311 without an e-mail address have no way back but the
 * public status the app reads; with an address, the mail channel answers (see registry.ts).
 */
export const open311Channel: ChannelAdapter = {
  name: 'open311',
  acknowledge: async () => note,
  writesAcknowledgement: () => false,
  reply: async () => note,
};
