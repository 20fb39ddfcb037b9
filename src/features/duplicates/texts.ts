import { oneLine } from '../../infra/text-input.ts';
import { greeting } from '../channels/mail-texts.ts';

/**
 * Words for the people who follow a report or whose report was merged into another. The same
 * voice as the channel's mail texts (greeting from there); resolution notices travel through the
 * channel adapter's reply, which adds the signature and the tracking link.
 */

export const followSubject = (number: string) => `[${number}] Sie folgen dieser Meldung`;

export function followConfirmationText(p: {
  name: string | null;
  number: string;
  categoryName: string | null;
  followUrl: string;
  townName: string;
}): string {
  return [
    greeting(p.name),
    '',
    oneLine(
      `danke! Statt dasselbe noch einmal zu melden, folgen Sie jetzt der Meldung ${p.number}${p.categoryName ? ` (${p.categoryName})` : ''}. Das spart uns doppelte Arbeit – und Ihnen das Warten auf zwei Antworten.`,
    ),
    '',
    'Wie es weitergeht, sehen Sie jederzeit hier:',
    oneLine(p.followUrl),
    '',
    'Wenn die Sache erledigt ist, schreiben wir Ihnen noch einmal. Folgen beenden können Sie unter dem Link.',
    '',
    'Viele Grüße',
    `Ihre Stadt ${oneLine(p.townName)}`,
    '',
    '--',
    'Diese Bestätigung wurde automatisch verschickt.',
  ].join('\n');
}

/** Body for the case's own reporter when it is closed as resolved without a reply in the same step. */
export function resolvedForReporter(): string {
  return [
    'gute Nachricht: Ihr Anliegen ist erledigt.',
    '',
    'Danke, dass Sie sich gemeldet haben – ohne Hinweise wie Ihren bliebe manches länger liegen, als uns lieb ist. Den ganzen Verlauf finden Sie unter dem Link unten.',
  ].join('\n');
}

export function resolvedForFollower(p: { number: string; categoryName: string | null }): string {
  return [
    `gute Nachricht: Die Meldung ${p.number}${p.categoryName ? ` (${p.categoryName})` : ''}, der Sie folgen, ist erledigt.`,
    '',
    'Danke, dass Sie mit hingeschaut haben. Doppelt gemeldet hält besser – repariert wird trotzdem nur einmal.',
    '',
    'Das war unsere letzte Mail zu dieser Meldung.',
  ].join('\n');
}

export function resolvedForMerged(p: { ownNumber: string; number: string }): string {
  return [
    `gute Nachricht: Ihre Meldung ${p.ownNumber} betraf dasselbe wie die Meldung ${p.number}. Wir haben beide zusammen bearbeitet – und jetzt ist die Sache erledigt.`,
    '',
    'Danke, dass Sie sich gemeldet haben!',
  ].join('\n');
}
