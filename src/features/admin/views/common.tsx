import { Alert } from '../../../ui/forms.tsx';
import { noticeKeyFrom } from '../../../ui/notices.ts';

export const roleLabels = { admin: 'Verwaltung', staff: 'Mitarbeitende' } as const;

const dateTime = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' });
export const formatDateTime = (d: Date) => `${dateTime.format(d)} Uhr`;

/** Fixed confirmation texts, picked by a key in the URL after a redirect (never echoing the URL itself). */
export const notices = {
  angelegt: 'Der Zugang ist angelegt.',
  gespeichert: 'Die Änderungen sind gespeichert.',
  deaktiviert: 'Der Zugang ist deaktiviert. Alle Sitzungen dieser Person sind beendet.',
  aktiviert: 'Der Zugang ist wieder aktiv.',
  passwort: 'Das neue Passwort ist gesetzt. Offene Sitzungen dieser Person sind beendet.',
  team: 'Das Team ist angelegt.',
  anmeldeschutz: 'Die Wartezeit ist aufgehoben, die Fehlversuche sind vergessen.',
} as const;
export type NoticeKey = keyof typeof notices;

export const noticeFrom = (query: unknown): NoticeKey | undefined => noticeKeyFrom(query, notices);

export function Notice({ notice }: { notice: NoticeKey | undefined }) {
  return notice ? <Alert kind="success" title={notices[notice]} /> : null;
}
