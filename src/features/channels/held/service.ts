import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { conflict, invalid, notFound } from '../../../infra/errors.ts';
import { mailThreadKey } from '../../../infra/outbox-mail.ts';
import { cases } from '../../../infra/schema/index.ts';
import { canSeeTeam, type Viewer } from '../../cases/access.ts';
import { formatDateTime } from '../../cases/time.ts';
import { LIMITS } from '../../intake/inbound.ts';
import { type IntakeDeps, receive } from '../../intake/service.ts';
import { findAccount } from '../accounts/queries.ts';
import { discardHeld, findHeld, type HeldRow, markTakenOver } from './queries.ts';

export type HeldDeps = IntakeDeps;
type Staff = Viewer & { displayName: string };

const GONE = 'Diese Nachricht gibt es nicht (mehr) in „Nicht zugeordnet“.';

/** What the mail adapter kept beside the text (receive-mail.ts `hold`); older rows have less. */
const heldDetails = z
  .object({ senderName: z.string().nullable().catch(null), automated: z.string().nullable().catch(null) })
  .catch({ senderName: null, automated: null });

/**
 * Reasons that say a machine wrote the mail (newsletter, list or bulk mail, a bounce). An
 * acknowledgement to it would answer nobody, or start a mail loop (RFC 3834). Items held before
 * `automated` was kept in the details are judged by their reason alone.
 */
const AUTOMATED_REASON = /newsletter|listenmail|massen|automatisch|unzustellbar/i;

export function wasAutomated(held: Pick<HeldRow, 'reason' | 'details'>): boolean {
  return heldDetails.parse(held.details).automated !== null || AUTOMATED_REASON.test(held.reason);
}

const emailSchema = z.email().max(LIMITS.email);

/**
 * "Als Anliegen übernehmen": the held mail goes through the intake pipeline like any mail, as a
 * new case with the sender as its e-mail contact. Its external id is the held one prefixed
 * `held:`, so a double click (or two clerks at once) makes one case.
 */
export async function takeOverHeld(deps: HeldDeps, user: Staff, id: number): Promise<{ number: string; visible: boolean }> {
  const held = await findHeld(deps.db, id);
  if (!held) throw notFound(GONE);
  if (held.decidedAt) throw conflict(await alreadyDecided(deps, held));
  const details = heldDetails.parse(held.details);
  const account = held.channelAccountId === null ? undefined : await findAccount(deps.db, held.channelAccountId);
  const sender = held.sender?.trim().toLowerCase() || null;
  const subject = held.subject?.trim();
  const notes = [
    `Aus „Nicht zugeordnet“ übernommen von ${user.displayName}. Eingegangen am ${formatDateTime(held.receivedAt)}; zurückgehalten, weil: ${held.reason}`,
  ];
  let description = [subject ? `Betreff: ${subject}` : '', held.body].filter(Boolean).join('\n\n');
  if (description.length > LIMITS.description) {
    description = description.slice(0, LIMITS.description);
    notes.push(`Der Text war länger als ${LIMITS.description.toLocaleString('de-DE')} Zeichen und wurde gekürzt.`);
  }
  const automated = wasAutomated(held);
  if (automated) notes.push('Keine automatische Eingangsbestätigung: Die Mail wurde offenbar automatisch verschickt.');
  let result: Awaited<ReturnType<typeof receive>>;
  try {
    result = await receive(deps, {
      channel: 'email',
      externalId: `held:${held.externalId}`.slice(0, 500),
      threadKey: held.externalId.includes('@') ? mailThreadKey(held.externalId) : null,
      channelAccountId: held.channelAccountId,
      defaultTeamId: account?.defaultTeamId ?? null,
      contact: sender ? { kind: 'email', address: sender, displayName: details.senderName?.slice(0, LIMITS.name) ?? null } : null,
      reporterName: details.senderName?.slice(0, LIMITS.name) ?? null,
      reporterEmail: sender && emailSchema.safeParse(sender).success ? sender : null,
      type: account?.defaultType ?? null,
      categoryId: null,
      description,
      locationText: null,
      lat: null,
      lon: null,
      consentAt: null,
      intakeNotes: notes.map((n) => n.slice(0, 500)),
      autoReply: !automated && sender !== null,
    });
  } catch (err) {
    if (err instanceof z.ZodError) {
      deps.log.info({ held: held.id }, 'held message does not pass the intake schema');
      throw invalid(
        'Diese Nachricht lässt sich nicht als Anliegen übernehmen: Absender oder Text sind unbrauchbar. Bitte verwerfen Sie sie.',
      );
    }
    throw err;
  }
  await markTakenOver(deps.db, held.id, user.id, result.caseId, deps.clock.now());
  const [kase] = await deps.db.select({ teamId: cases.teamId }).from(cases).where(eq(cases.id, result.caseId));
  return { number: result.number, visible: canSeeTeam(user, kase?.teamId ?? null) };
}

/** "Verwerfen": hidden from the list, kept with who decided and when. */
export async function discardHeldMessage(deps: Pick<HeldDeps, 'db' | 'clock'>, user: Staff, id: number): Promise<void> {
  if (await discardHeld(deps.db, id, user.id, deps.clock.now())) return;
  const held = await findHeld(deps.db, id);
  if (!held) throw notFound(GONE);
  throw conflict(await alreadyDecided(deps, held));
}

async function alreadyDecided(deps: Pick<HeldDeps, 'db'>, held: HeldRow): Promise<string> {
  if (held.caseId === null) return 'Diese Nachricht wurde schon verworfen.';
  const [kase] = await deps.db.select({ number: cases.number }).from(cases).where(eq(cases.id, held.caseId));
  return kase ? `Diese Nachricht ist schon als Anliegen ${kase.number} übernommen.` : 'Diese Nachricht ist schon übernommen.';
}
