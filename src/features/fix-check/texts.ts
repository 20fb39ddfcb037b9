import { oneLine } from '../../infra/text-input.ts';

/** How long the links of the question take an answer: after that the case has moved on. */
export const ANSWER_DAYS = 60;

export const fixCheckUrl = (publicUrl: string, token: string) => `${publicUrl}/behoben/${token}`;

export const QUESTION_SUBJECT = 'Ist es wirklich behoben?';

/** The question in the reporter's mail: two links, each opening a page where the answer is confirmed. */
export function questionText(p: { number: string; url: string }): string {
  return [
    `vor einigen Tagen haben wir Ihr Anliegen ${oneLine(p.number)} als erledigt abgeschlossen. Ist es aus Ihrer Sicht wirklich behoben?`,
    '',
    `Ja, behoben: ${oneLine(p.url)}?antwort=ja`,
    `Nein, noch nicht: ${oneLine(p.url)}?antwort=nein`,
    '',
    'Der Link öffnet eine Seite, auf der Sie Ihre Antwort mit einem Klick bestätigen und, wenn Sie möchten, noch etwas dazuschreiben. Ist es noch nicht behoben, nehmen wir die Arbeit wieder auf.',
    `Die Links gelten ${ANSWER_DAYS} Tage. Danke, dass Sie uns helfen, besser zu werden!`,
  ].join('\n');
}

/** The team's notice when a reporter says "nein": short, with the way to the case. */
export function teamNoticeText(p: { number: string; caseUrl: string; comment: string | null }): string {
  return [
    'Hallo,',
    '',
    `die meldende Person sagt zum erledigten Anliegen ${oneLine(p.number)}: nicht behoben. Das Anliegen ist wieder in Bearbeitung.`,
    '',
    ...(p.comment ? ['Ihr Kommentar:', p.comment.trim(), ''] : ['Einen Kommentar hat sie nicht geschrieben.', '']),
    `Zum Anliegen: ${oneLine(p.caseUrl)}`,
    '',
    '--',
    'Diese Nachricht wurde automatisch verschickt.',
  ].join('\n');
}

export const teamNoticeSubject = (number: string) => oneLine(`[${number}] Bürger/in sagt: nicht behoben`);
