import type { Config } from '../../config.ts';
import type { Clock } from '../../infra/clock.ts';
import type { Db, Tx } from '../../infra/db.ts';
import { notFound } from '../../infra/errors.ts';
import { emit } from '../../infra/events.ts';
import { enqueueMail, newMessageId } from '../../infra/outbox-mail.ts';
import { CITIZEN, recordAudit } from '../cases/audit.ts';
import { citizenFollowUp } from '../cases/service.ts';
import './events.ts';
import type { AnswerInput } from './forms.ts';
import { checkByToken, type FixCheckRow, recordAnswer, teamOfCase } from './queries.ts';
import { ANSWER_DAYS, teamNoticeSubject, teamNoticeText } from './texts.ts';

export interface FixCheckDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'publicUrl'>;
}

const DAY_MS = 24 * 3_600_000;
export const NOT_FIXED_REASON = 'Bürger/in sagt: nicht behoben';

export type AnswerOutcome =
  | { kind: 'answered'; answer: 'yes' | 'no'; reopened: boolean }
  | { kind: 'already'; answer: 'yes' | 'no'; answeredAt: Date | null }
  | { kind: 'expired' };

export const unknownLink = () =>
  notFound('Zu diesem Link finden wir keine Nachfrage. Bitte prüfen Sie, ob Sie den Link aus der E-Mail vollständig kopiert haben.');

/** Past ANSWER_DAYS after the question the case has moved on; the answer would mislead. */
export function isExpired(check: Pick<FixCheckRow, 'askedAt' | 'createdAt'>, now: Date): boolean {
  return now.getTime() - (check.askedAt ?? check.createdAt).getTime() > ANSWER_DAYS * DAY_MS;
}

/** What the page of a link shows before anyone presses a button (reads only). */
export async function checkForPage(db: Db, token: string): Promise<FixCheckRow> {
  const check = await checkByToken(db, token);
  if (!check) throw unknownLink();
  return check;
}

/**
 * The reporter's answer, once: "ja" counts as confirmed and shows on the public case; "nein" puts
 * the case back to work with their comment in the thread, an audit entry and a mail to the team's
 * address. Replays (a second click, the back button, two tabs) find it answered and change nothing.
 */
export async function answerFixCheck(deps: FixCheckDeps, token: string, input: AnswerInput): Promise<AnswerOutcome> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const check = await checkByToken(tx, token);
    if (!check) throw unknownLink();
    if (check.answer) return { kind: 'already', answer: check.answer, answeredAt: check.answeredAt };
    if (isExpired(check, now)) return { kind: 'expired' };
    if (!(await recordAnswer(tx, check.id, input.answer, input.comment, now))) {
      const again = await checkByToken(tx, token);
      return { kind: 'already', answer: again?.answer ?? input.answer, answeredAt: again?.answeredAt ?? null };
    }
    return applyAnswer(tx, deps, check, input, now);
  });
}

/** What an answer does, once it is recorded as the first (also used by the demo seed). */
export async function applyAnswer(
  tx: Tx,
  deps: Pick<FixCheckDeps, 'config'>,
  check: Pick<FixCheckRow, 'id' | 'caseId' | 'number'>,
  input: AnswerInput,
  now: Date,
): Promise<AnswerOutcome> {
  const yes = input.answer === 'yes';
  await recordAudit(tx, {
    caseId: check.caseId,
    actor: CITIZEN,
    action: yes ? 'fix_check_yes' : 'fix_check_no',
    details: { reason: input.comment ? 'Kommentar im Verlauf' : 'ohne Kommentar' },
    at: now,
  });
  const followed = await citizenFollowUp(tx, check.caseId, {
    comment: input.comment,
    reopenWith: yes ? null : NOT_FIXED_REASON,
    at: now,
  });
  if (!yes) await tellTeam(tx, deps, check, input.comment);
  await emit(tx, 'fix_check.answered', { caseId: check.caseId, answer: input.answer, at: now });
  return { kind: 'answered', answer: input.answer, reopened: followed?.reopened ?? false };
}

/** The team hears at its shared address (teams.email) when it has one; the case page shows it either way. */
async function tellTeam(
  tx: Tx,
  deps: Pick<FixCheckDeps, 'config'>,
  check: Pick<FixCheckRow, 'caseId' | 'number' | 'id'>,
  comment: string | null,
): Promise<void> {
  const team = await teamOfCase(tx, check.caseId);
  if (!team?.email) return;
  await enqueueMail(tx, {
    caseId: check.caseId,
    to: team.email,
    subject: teamNoticeSubject(check.number),
    text: teamNoticeText({ number: check.number, caseUrl: `${deps.config.publicUrl}/staff/faelle/${check.number}`, comment }),
    messageId: newMessageId(deps.config.publicUrl, check.number),
    idempotencyKey: `fix-check-team:${check.id}`,
  });
}
