import { oneLine } from '../../../../infra/text-input.ts';
import { kindLabels, noticeLabel } from '../labels.ts';
import { excerpt } from '../markdown.ts';
import type { PublicPost } from '../queries.ts';

export interface MailText {
  subject: string;
  text: string;
}

/** What a subscription covers, in words: "alle Beiträge" or "Amtliche Bekanntmachung, Termin; Schlagwörter: park". */
export function choiceLabel(kinds: string[], tags: string[]): string {
  const k = kinds.length === 0 ? 'alle Arten' : kinds.map((x) => kindLabels[x as keyof typeof kindLabels] ?? x).join(', ');
  return tags.length === 0 ? k : `${k}; Schlagwörter: ${tags.join(', ')}`;
}

export function confirmationMail(p: { townName: string; confirmUrl: string; choice: string }): MailText {
  return {
    subject: `Bitte bestätigen Sie den Newsletter des Amtsblatts ${p.townName}`,
    text: [
      'Guten Tag,',
      '',
      `jemand – hoffentlich Sie – möchte mit dieser E-Mail-Adresse den Newsletter des Amtsblatts der Stadt ${p.townName} erhalten (${p.choice}).`,
      '',
      'Bitte bestätigen Sie das über diesen Link:',
      p.confirmUrl,
      '',
      'Wenn Sie das nicht waren, müssen Sie nichts tun: Ohne Bestätigung bekommen Sie keine weiteren E-Mails, und die Anmeldung wird nach sieben Tagen gelöscht.',
      '',
      `Ihre Stadt ${p.townName}`,
    ].join('\n'),
  };
}

export function alreadySubscribedMail(p: { townName: string; unsubscribeUrl: string }): MailText {
  return {
    subject: `Sie erhalten den Newsletter des Amtsblatts ${p.townName} bereits`,
    text: [
      'Guten Tag,',
      '',
      'jemand hat den Newsletter für diese E-Mail-Adresse noch einmal bestellt. Sie erhalten ihn bereits; es ändert sich nichts.',
      '',
      'Abbestellen können Sie ihn jederzeit hier:',
      p.unsubscribeUrl,
      '',
      `Ihre Stadt ${p.townName}`,
    ].join('\n'),
  };
}

/** One post as a mail: title, kind (and number), an excerpt and the link to the whole text. */
export function postMail(p: { townName: string; post: PublicPost; url: string; unsubscribeUrl: string }): MailText {
  const n = noticeLabel(p.post);
  const kind = n ? `${kindLabels[p.post.kind]} ${n}` : kindLabels[p.post.kind];
  return {
    subject: oneLine(`Amtsblatt ${p.townName}: ${p.post.title}`).slice(0, 200),
    text: [
      `${kind}`,
      '',
      p.post.title,
      '',
      excerpt(p.post.body, 1200),
      '',
      `Ganzer Beitrag: ${p.url}`,
      '',
      '—',
      `Sie erhalten diese E-Mail, weil Sie den Newsletter des Amtsblatts der Stadt ${p.townName} bestellt haben.`,
      `Abbestellen: ${p.unsubscribeUrl}`,
    ].join('\n'),
  };
}
