import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { conflict, invalid, notFound } from '../../../infra/errors.ts';
import { mailThreadKey } from '../../../infra/outbox-mail.ts';
import { cases } from '../../../infra/schema/index.ts';
import { canSeeTeam, type Viewer } from '../../cases/access.ts';
import { formatDateTime } from '../../cases/time.ts';
import { LIMITS } from '../../intake/inbound.ts';
import { type IntakeDeps, type IntakeResult, receive } from '../../intake/service.ts';
import { type AccountRow, findAccount } from '../accounts/queries.ts';
import { parseMail } from '../email/parse.ts';
import { intakeMail, ownDomainsOf, type TakeOver } from '../email/receive-mail.ts';
import { discardHeld, findHeld, type HeldRow, markTakenOver } from './queries.ts';

export type HeldDeps = IntakeDeps;
type Staff = Viewer & { displayName: string };

const GONE = 'Diese Nachricht gibt es nicht (mehr) in „Nicht zugeordnet“.';

/** What the mail adapter kept beside the text (receive-mail.ts `hold`); older rows have less. */
const heldDetails = z
  .object({
    senderName: z.string().nullable().catch(null),
    automated: z.string().nullable().catch(null),
    /** The raw mail in storage: a take-over reads it like a fresh intake (attachments, threading). */
    rawKey: z.string().nullable().catch(null),
    /** The mail's In-Reply-To and References, for rows without a raw mail. */
    threadKeys: z.array(z.string()).catch([]),
  })
  .catch({ senderName: null, automated: null, rawKey: null, threadKeys: [] });

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
 * "Als Anliegen übernehmen": the held mail goes through the intake pipeline like any mail: read
 * again from its stored raw copy, with its attachments and thread keys, so it joins the case it
 * answers or becomes a new one with the sender as its e-mail contact. Its external id is the held
 * one prefixed `held:`, so a double click (or two clerks at once) makes one case. Rows without a
 * raw copy (held before it was kept, a mail too large to fetch) are taken over from their text.
 */
export async function takeOverHeld(deps: HeldDeps, user: Staff, id: number): Promise<{ number: string; visible: boolean }> {
  const held = await findHeld(deps.db, id);
  if (!held) throw notFound(GONE);
  if (held.decidedAt) throw conflict(await alreadyDecided(deps, held));
  const details = heldDetails.parse(held.details);
  const account = held.channelAccountId === null ? undefined : await findAccount(deps.db, held.channelAccountId);
  const sender = held.sender?.trim().toLowerCase() || null;
  const notes = [
    `Aus „Nicht zugeordnet“ übernommen von ${user.displayName}. Eingegangen am ${formatDateTime(held.receivedAt)}; zurückgehalten, weil: ${held.reason}`,
  ];
  const automated = wasAutomated(held);
  if (automated) notes.push('Keine automatische Eingangsbestätigung: Die Mail wurde offenbar automatisch verschickt.');
  const takeOver: TakeOver = { externalId: `held:${held.externalId}`.slice(0, 500), notes, autoReply: !automated && sender !== null };
  let result: IntakeResult;
  try {
    const raw = details.rawKey && account ? await deps.storage.get(details.rawKey).catch(() => null) : null;
    result =
      raw && account
        ? await intakeMail(deps, await parseMail(raw, { ownDomains: ownDomainsOf(deps, account) }), account, { fax: false, takeOver })
        : await receiveFromText(deps, held, details, account, takeOver);
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
  // Its attachments are the case's files now; the raw copy has done its work.
  if (details.rawKey) await deps.storage.remove(details.rawKey).catch(() => {});
  const [kase] = await deps.db.select({ teamId: cases.teamId }).from(cases).where(eq(cases.id, result.caseId));
  return { number: result.number, visible: canSeeTeam(user, kase?.teamId ?? null) };
}

/** A held row without its raw mail: the text it kept, the sender as contact, the thread keys it noted. */
async function receiveFromText(
  deps: HeldDeps,
  held: HeldRow,
  details: z.infer<typeof heldDetails>,
  account: AccountRow | undefined,
  takeOver: TakeOver,
): Promise<IntakeResult> {
  const sender = held.sender?.trim().toLowerCase() || null;
  const subject = held.subject?.trim();
  const notes = [...takeOver.notes];
  let description = [subject ? `Betreff: ${subject}` : '', held.body].filter(Boolean).join('\n\n');
  if (description.length > LIMITS.description) {
    description = description.slice(0, LIMITS.description);
    notes.push(`Der Text war länger als ${LIMITS.description.toLocaleString('de-DE')} Zeichen und wurde gekürzt.`);
  }
  return receive(deps, {
    channel: 'email',
    externalId: takeOver.externalId,
    threadKey: held.externalId.includes('@') ? mailThreadKey(held.externalId) : null,
    threadKeys: details.threadKeys.slice(-50).map(mailThreadKey),
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
    autoReply: takeOver.autoReply,
  });
}

/** "Verwerfen": hidden from the list, kept with who decided and when; its stored raw mail is deleted. */
export async function discardHeldMessage(deps: Pick<HeldDeps, 'db' | 'clock' | 'storage'>, user: Staff, id: number): Promise<void> {
  const discarded = await discardHeld(deps.db, id, user.id, deps.clock.now());
  if (discarded) {
    const { rawKey } = heldDetails.parse(discarded.details);
    if (rawKey) await deps.storage.remove(rawKey).catch(() => {});
    return;
  }
  const held = await findHeld(deps.db, id);
  if (!held) throw notFound(GONE);
  throw conflict(await alreadyDecided(deps, held));
}

async function alreadyDecided(deps: Pick<HeldDeps, 'db'>, held: HeldRow): Promise<string> {
  if (held.caseId === null) return 'Diese Nachricht wurde schon verworfen.';
  const [kase] = await deps.db.select({ number: cases.number }).from(cases).where(eq(cases.id, held.caseId));
  return kase ? `Diese Nachricht ist schon als Anliegen ${kase.number} übernommen.` : 'Diese Nachricht ist schon übernommen.';
}
