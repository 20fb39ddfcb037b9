import type { DbOrTx } from '../../../infra/db.ts';
import { enqueueMail, newMessageId } from '../../../infra/outbox-mail.ts';
import type { RuleTrigger } from '../../../infra/schema/index.ts';
import { renderTemplate, valuesForCase } from '../../templates/render.ts';
import type { NewCaseDecision, NotifyEffect } from './apply.ts';

const EXCERPT = 600;

/** The note a team gets when a rule says so: short, with the way to the case. */
export function notificationText(p: {
  teamName: string;
  ruleName: string;
  number: string;
  description: string;
  caseUrl: string;
  trigger: RuleTrigger;
}): string {
  const text = p.description.length > EXCERPT ? `${p.description.slice(0, EXCERPT)} …` : p.description;
  const what =
    p.trigger === 'created' ? 'ein neues Anliegen ist bei Ihnen gelandet' : `das Anliegen ${p.number} wurde geändert und betrifft Sie`;
  return [
    `Hallo ${p.teamName},`,
    '',
    `${what} (Regel „${p.ruleName}“):`,
    '',
    text,
    '',
    `Zum Anliegen: ${p.caseUrl}`,
    '',
    '--',
    'Automatische Nachricht von Amtsblatt 2.0. Wer sie nicht mehr bekommen möchte, bittet die Verwaltung, die Regel anzupassen.',
  ].join('\n');
}

/**
 * Writes the team notifications a rule asked for into the outbox, inside the caller's transaction
 * (so no mail without its case); the caller kicks delivery after commit.
 */
export async function enqueueNotifications(
  tx: DbOrTx,
  c: { id: number; number: string; description: string },
  notify: NotifyEffect[],
  env: { publicUrl: string },
  trigger: RuleTrigger = 'created',
): Promise<void> {
  for (const n of notify) {
    await enqueueMail(tx, {
      caseId: c.id,
      to: n.email,
      subject: `[${c.number}] ${trigger === 'created' ? 'Neues Anliegen' : 'Geändertes Anliegen'} für ${n.teamName}`,
      text: notificationText({
        teamName: n.teamName,
        ruleName: n.ruleName,
        number: c.number,
        description: c.description,
        caseUrl: `${env.publicUrl}/staff/faelle/${c.number}`,
        trigger,
      }),
      messageId: newMessageId(env.publicUrl, null),
      automatic: true,
    });
  }
}

/** Mails beyond the standard confirmation: the one-statement store cannot write them. */
export const hasRuleMails = (d: NewCaseDecision): boolean => d.notify.length > 0 || d.acknowledgement !== null;

/**
 * A rule's confirmation text with the Textbausteine placeholders filled in: `{{frist}}` is the new
 * case's resolution deadline when a policy applies (else "bald"), `{{mitarbeiter}}` the team.
 */
export function acknowledgementBody(
  d: NewCaseDecision,
  c: { number: string; reporterName: string | null },
  resolutionDueAt: Date | null,
): string | undefined {
  if (!d.acknowledgement) return undefined;
  const values = valuesForCase({
    reporterName: c.reporterName,
    number: c.number,
    categoryName: d.names.category,
    teamName: d.names.team,
    dueAt: resolutionDueAt,
    staffName: d.names.team ?? 'Ihr Bürgerservice',
  });
  return renderTemplate(d.acknowledgement.template, values);
}
