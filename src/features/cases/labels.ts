import type { CaseStatus, CaseType, ChannelName, ContactKind, OutboxStatus, Priority } from '../../infra/schema/index.ts';

/** The German UI word for each domain value (DESIGN.md: code English, UI German). */
export const caseTypeLabels: Record<CaseType, string> = {
  defect: 'Störung',
  idea: 'Idee / Vorschlag',
  complaint: 'Beschwerde',
  question: 'Frage',
  praise: 'Lob',
};

export const caseStatusLabels: Record<CaseStatus, string> = {
  new: 'neu',
  in_progress: 'in Bearbeitung',
  waiting: 'wartet auf Rückmeldung',
  resolved: 'erledigt',
  rejected: 'abgelehnt',
  forwarded: 'weitergeleitet',
};

export const channelLabels: Record<ChannelName, string> = {
  web: 'Webformular',
  email: 'E-Mail',
  phone: 'Telefon',
  fax: 'Fax',
  walk_in: 'Vor Ort',
  letter: 'Brief',
  mastodon: 'Mastodon',
  fediverse: 'Fediverse',
  bluesky: 'Bluesky',
  telegram: 'Telegram',
  open311: 'Open311-Schnittstelle',
};

/** The kind of a contact address, as the case page names it. */
export const contactKindLabels: Record<ContactKind, string> = {
  email: 'E-Mail',
  phone: 'Telefon',
  postal: 'Post',
  fediverse: 'Fediverse',
  bluesky: 'Bluesky',
  telegram: 'Telegram',
};

export const priorityLabels: Record<Priority, string> = {
  low: 'niedrig',
  normal: 'normal',
  high: 'hoch',
  urgent: 'dringend',
};

/**
 * Allowed status moves: neu → in Bearbeitung → erledigt | abgelehnt | weitergeleitet, and reopening.
 * "wartet auf Rückmeldung" stops the SLA clock until the citizen answers or staff resume it.
 */
export const statusTransitions: Record<CaseStatus, CaseStatus[]> = {
  new: ['in_progress', 'resolved', 'rejected', 'forwarded'],
  in_progress: ['waiting', 'resolved', 'rejected', 'forwarded', 'new'],
  waiting: ['in_progress', 'resolved', 'rejected'],
  resolved: ['in_progress'],
  rejected: ['in_progress'],
  forwarded: ['in_progress'],
};

export const closedStatuses: readonly CaseStatus[] = ['resolved', 'rejected', 'forwarded'];

/** Outbox states as staff read them on the outbox page. */
export const outboxStatusLabels: Record<OutboxStatus, string> = {
  queued: 'wartet auf Versand',
  sending: 'wird gesendet',
  sent: 'gesendet',
  stored: 'gespeichert (ohne Mailserver)',
  failed: 'fehlgeschlagen',
};
