import { oneLine } from '../../infra/text-input.ts';

/**
 * The words of our mails: friendly, at eye level, short. One place, so the tone stays one voice.
 * Every inserted name, number and link is one line (`oneLine`), so a value with line breaks that
 * slipped past the forms cannot add lines of its own choosing to a mail; the reply text, a rule's
 * confirmation text and the team signature are meant to be several lines and stay so.
 */

export function greeting(name: string | null): string {
  return name ? `Hallo ${oneLine(name)},` : 'Hallo,';
}

export function acknowledgementText(p: {
  name: string | null;
  number: string;
  trackingUrl: string;
  townName: string;
  body?: string;
}): string {
  // A routing rule may bring its own words (e.g. "Die Stadtwerke kümmern sich um Straßenlaternen");
  // greeting, link and sign-off stay the same, so every confirmation keeps its essentials.
  const middle = p.body
    ? [p.body.trim(), '', 'Was daraus wird, sehen Sie jederzeit hier:']
    : [
        `danke, dass Sie sich die Zeit genommen haben! Ihre Meldung ist bei uns angekommen und hat die Vorgangsnummer ${oneLine(p.number)}.`,
        '',
        'Wir schauen sie uns an und geben sie an das Team weiter, das sich darum kümmern kann. Was daraus wird, sehen Sie jederzeit hier:',
      ];
  return [
    greeting(p.name),
    '',
    ...middle,
    oneLine(p.trackingUrl),
    '',
    'Der Link ist persönlich: Wer ihn hat, kann den Stand und unsere Antworten lesen.',
    '',
    'Viele Grüße',
    `Ihre Stadt ${oneLine(p.townName)}`,
    '',
    '--',
    'Diese Bestätigung wurde automatisch verschickt. Sie können einfach auf diese E-Mail antworten, wenn Sie noch etwas ergänzen möchten.',
  ].join('\n');
}

export function replyText(p: {
  name: string | null;
  body: string;
  staffName: string;
  teamName: string | null;
  /** The team's signature, if it set one: it replaces the generic "Team, Stadt" line. */
  signature?: string | null;
  townName: string;
  trackingUrl: string | null;
  number: string;
}): string {
  return [
    greeting(p.name),
    '',
    p.body.trim(),
    '',
    'Viele Grüße',
    oneLine(p.staffName),
    p.signature?.trim() || oneLine(p.teamName ? `${p.teamName}, Stadt ${p.townName}` : `Stadt ${p.townName}`),
    '',
    '--',
    oneLine(`Vorgang ${p.number}${p.trackingUrl ? ` · Stand jederzeit hier: ${p.trackingUrl}` : ''}`),
    'Antworten Sie einfach auf diese E-Mail, wenn Sie Fragen haben.',
  ].join('\n');
}

export const subjects = {
  acknowledgement: (number: string) => oneLine(`[${number}] Ihre Meldung ist angekommen`),
  reply: (number: string) => oneLine(`[${number}] Antwort auf Ihr Anliegen`),
};
