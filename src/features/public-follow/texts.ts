import type { PublicStatus } from '../../infra/schema/index.ts';
import { oneLine } from '../../infra/text-input.ts';
import { greeting } from '../channels/mail-texts.ts';
import { publicStatusLabels } from '../transparency/projection/read.ts';

/**
 * The words of the follow mails. Only public facts go in (the projection's masked text, status,
 * number, category, district) and links; every value is one line, so nobody can write a mail of
 * their choice through a report.
 */

const dateTime = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' });
const day = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'Europe/Berlin' });

/** At most this many cases in one area digest; the rest are counted and linked. */
export const AREA_DIGEST_ITEMS = 20;
const EXCERPT_CHARS = 160;

export interface MailText {
  subject: string;
  text: string;
}

const excerpt = (text: string) => {
  const line = oneLine(text).trim();
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS - 1).trimEnd()}…` : line;
};

const closing = (townName: string) => ['Viele Grüße', `Ihre Stadt ${oneLine(townName)}`];

function footer(p: { why: string; unsubscribeUrl: string }): string[] {
  return ['', '--', oneLine(p.why), 'Abmelden mit einem Klick:', p.unsubscribeUrl];
}

/** What a subscription is about, in a sentence's words: "der Meldung 2026-00042", "im Stadtteil Altstadt". */
export type Topic = { kind: 'case'; number: string } | { kind: 'area'; label: string };

const topicWords = (t: Topic) => (t.kind === 'case' ? `zur Meldung ${t.number}` : `zu neuen Meldungen ${oneLine(t.label)}`);

/** The area in words: "im Stadtteil Altstadt (Kategorie Straßenbeleuchtung)". */
export function areaLabel(p: {
  districtName?: string | null;
  point?: { lat: number; lon: number; radiusM: number } | null;
  categoryName: string | null;
}): string {
  const where = p.point
    ? `im Umkreis von ${p.point.radiusM.toLocaleString('de-DE')} m um ${p.point.lat.toFixed(5)}, ${p.point.lon.toFixed(5)}`
    : `im Stadtteil ${p.districtName ?? 'unbekannt'}`;
  return p.categoryName ? `${where} (Kategorie ${p.categoryName})` : where;
}

export function confirmationMail(p: { topic: Topic; confirmUrl: string; townName: string }): MailText {
  const what = topicWords(p.topic);
  return {
    subject: oneLine(`Bitte bestätigen: E-Mail-Benachrichtigungen ${what}`),
    text: [
      greeting(null),
      '',
      oneLine(`jemand – hoffentlich Sie – möchte per E-Mail Benachrichtigungen ${what} bekommen.`),
      'Bitte bestätigen Sie das mit einem Klick auf diesen Link:',
      p.confirmUrl,
      '',
      'Waren Sie das nicht, müssen Sie nichts tun: Ohne Bestätigung schicken wir nichts weiter, und die Anmeldung wird nach sieben Tagen gelöscht.',
      '',
      ...closing(p.townName),
      '',
      '--',
      'Diese Nachricht wurde automatisch verschickt.',
    ].join('\n'),
  };
}

/** Sent instead of a second confirmation when the address already gets these mails. */
export function alreadySubscribedMail(p: { topic: Topic; unsubscribeUrl: string; townName: string }): MailText {
  const what = topicWords(p.topic);
  return {
    subject: oneLine(`Sie sind bereits angemeldet: Benachrichtigungen ${what}`),
    text: [
      greeting(null),
      '',
      oneLine(`Sie bekommen schon E-Mail-Benachrichtigungen ${what}. Sie müssen nichts weiter tun.`),
      '',
      ...closing(p.townName),
      ...footer({ why: 'Möchten Sie diese Nachrichten nicht mehr bekommen?', unsubscribeUrl: p.unsubscribeUrl }),
    ].join('\n'),
  };
}

export interface CaseChange {
  status: PublicStatus;
  text: string | null;
  createdAt: Date;
}

function changeLines(c: CaseChange, townName: string): string[] {
  const lines = [`${dateTime.format(c.createdAt)}: Status „${publicStatusLabels[c.status]}“`];
  if (c.text) lines.push(`  ${oneLine(`Antwort der Stadt ${townName}: ${c.text}`)}`);
  return lines;
}

/** One mail about one case: a plain notice for one change, a digest for several, oldest first. */
export function caseChangesMail(p: {
  number: string;
  categoryName: string | null;
  changes: CaseChange[];
  caseUrl: string;
  unsubscribeUrl: string;
  townName: string;
}): MailText {
  const last = p.changes[p.changes.length - 1];
  if (!last) throw new Error('a case mail needs at least one change');
  const about = `der Meldung ${p.number}${p.categoryName ? ` (${p.categoryName})` : ''}`;
  const single = p.changes.length === 1;
  return {
    subject: oneLine(
      single
        ? `Meldung ${p.number}: jetzt „${publicStatusLabels[last.status]}“`
        : `Meldung ${p.number}: ${p.changes.length} Änderungen, jetzt „${publicStatusLabels[last.status]}“`,
    ),
    text: [
      greeting(null),
      '',
      oneLine(single ? `an ${about} hat sich etwas geändert:` : `an ${about} hat sich einiges geändert:`),
      '',
      ...p.changes.flatMap((c) => changeLines(c, p.townName)),
      '',
      'Die ganze Meldung mit ihrem Verlauf:',
      p.caseUrl,
      '',
      ...closing(p.townName),
      ...footer({
        why: `Sie bekommen diese Nachricht, weil Sie Benachrichtigungen ${about} bestellt haben.`,
        unsubscribeUrl: p.unsubscribeUrl,
      }),
    ].join('\n'),
  };
}

export interface NewCase {
  number: string;
  categoryName: string | null;
  districtName: string | null;
  text: string;
  reportedAt: Date;
  url: string;
}

/** One mail about new cases in an area: one case as a notice, several as a digest (at most 20 listed). */
export function areaCasesMail(p: { label: string; cases: NewCase[]; listUrl: string; unsubscribeUrl: string; townName: string }): MailText {
  const first = p.cases[0];
  if (!first) throw new Error('an area mail needs at least one case');
  const label = oneLine(p.label);
  const shown = p.cases.slice(0, AREA_DIGEST_ITEMS);
  const more = p.cases.length - shown.length;
  const caseLines = (c: NewCase) => [
    oneLine(`Meldung ${c.number}${c.categoryName ? ` – ${c.categoryName}` : ''}${c.districtName ? `, ${c.districtName}` : ''}`),
    `  gemeldet am ${day.format(c.reportedAt)}: ${excerpt(c.text)}`,
    `  ${c.url}`,
  ];
  return {
    subject: p.cases.length === 1 ? `Neue Meldung ${label}: ${first.number}` : `${p.cases.length} neue Meldungen ${label}`,
    text: [
      greeting(null),
      '',
      p.cases.length === 1
        ? `es gibt eine neue öffentliche Meldung ${label}:`
        : `es gibt ${p.cases.length} neue öffentliche Meldungen ${label}:`,
      '',
      ...shown.flatMap((c, i) => (i === 0 ? caseLines(c) : ['', ...caseLines(c)])),
      ...(more > 0 ? ['', `… und ${more} weitere. Alle Meldungen:`, p.listUrl] : []),
      '',
      ...closing(p.townName),
      ...footer({
        why: `Sie bekommen diese Nachricht, weil Sie Benachrichtigungen zu neuen Meldungen ${label} bestellt haben.`,
        unsubscribeUrl: p.unsubscribeUrl,
      }),
    ].join('\n'),
  };
}
