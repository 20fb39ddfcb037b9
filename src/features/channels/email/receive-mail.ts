import { and, eq, inArray } from 'drizzle-orm';
import type { AppDeps } from '../../../http/deps.ts';
import { mailThreadKey } from '../../../infra/outbox-mail.ts';
import { contacts, heldMessages, messages, outbox } from '../../../infra/schema/index.ts';
import { recordAudit, SYSTEM } from '../../cases/audit.ts';
import type { Inbound, StoredFile, StoredPhoto } from '../../intake/inbound.ts';
import { clipDescription, LIMITS } from '../../intake/inbound.ts';
import { processPhoto, removeStoredPhotos } from '../../intake/photos.ts';
import { type IntakeDeps, type IntakeResult, receive } from '../../intake/service.ts';
import { type AccountRow, findAccount } from '../accounts/queries.ts';
import { isFaxMail } from '../fax/detect.ts';
import { faxInboundOf } from '../fax/inbound.ts';
import { FAX_MAX_PAGES, faxHeadline, storeFaxPages } from '../fax/pages.ts';
import { mailInboundBase } from './inbound-base.ts';
import type { MailHandler, MailHandlerResult, TooLargeHook } from './intake-types.ts';
import type { ParsedAttachment, ParsedMail } from './parse.ts';
import { parseMail } from './parse.ts';

/** The pipeline's dependencies from a process's infrastructure. */
export function intakeDepsOf(infra: AppDeps): IntakeDeps {
  const { queue, storage, clock, log, channels, config } = infra;
  return { db: infra.database.db, queue, storage, clock, log: log.child({ module: 'mail-intake' }), channels, config };
}

const MAX_PHOTOS = 10;
const MAX_FILES = 10;

/**
 * Turns one raw mail of a town mailbox into what the pipeline takes, and hands it over: a bounce
 * marks the address undeliverable, spam and newsletters wait in "Nicht zugeordnet", everything else
 * becomes a case or joins one (intake/service.ts). Resolves only after the commit, and is idempotent
 * on the Message-ID (or the raw hash), so the IMAP intake may flag the mail afterwards (ADR 8).
 */
export function mailHandler(deps: IntakeDeps): MailHandler {
  return async (raw, meta) => {
    const account = await findAccount(deps.db, meta.accountId);
    if (!account) throw new Error(`channel account ${meta.accountId} is gone`);
    const mail = await parseMail(raw, { ownDomains: ownDomainsOf(deps, account) });
    if (mail.bounce) return recordBounce(deps, mail, meta.accountId);
    // The gateway is configured by the town: its mails are faxes even when they look like bulk mail
    // (telephone systems send with List-Unsubscribe or Precedence: bulk, spam filters distrust them).
    const fax = isFaxMail(account.settings.fax, { fromAddress: mail.from?.address ?? null, subject: mail.subject });
    if (!fax && mail.unassigned) return hold(deps, raw, mail, meta.accountId, mail.unassigned);
    if (!fax && !mail.from) return hold(deps, raw, mail, meta.accountId, 'Kein Absender, dem wir antworten könnten.');
    const result = await intakeMail(deps, mail, account, { fax });
    return result.outcome === 'duplicate' ? 'duplicate' : 'stored';
  };
}

/** Our own domains for a mailbox: mail from them is never answered automatically. */
export function ownDomainsOf(deps: Pick<IntakeDeps, 'config'>, account: AccountRow): string[] {
  return [new URL(deps.config.publicUrl).hostname, account.settings.from.split('@')[1] ?? ''].filter(Boolean);
}

/** How "Als Anliegen übernehmen" differs from the mail's first arrival (held/service.ts). */
export interface TakeOver {
  externalId: string;
  notes: string[];
  autoReply: boolean;
}

/**
 * A parsed mail of a town mailbox into the pipeline: photos through the photo pipeline, files and
 * fax pages to storage, then a new case or a follow-up of the case its thread keys name. The same
 * for a mail just fetched and for one taken over from "Nicht zugeordnet" (`takeOver`).
 */
export async function intakeMail(
  deps: IntakeDeps,
  mail: ParsedMail,
  account: AccountRow,
  opts: { fax: boolean; takeOver?: TakeOver },
): Promise<IntakeResult> {
  const { photos, files, notes } = await storeAttachments(deps, mail.attachments);
  try {
    const common = { accountId: account.id, defaultType: account.defaultType, files };
    let inbound: Inbound;
    if (opts.fax) {
      const pdfs = mail.attachments.filter((a) => a.kind === 'pdf');
      const pages = await storeFaxPages(deps, pdfs, FAX_MAX_PAGES - photos.length);
      photos.push(...pages.photos);
      inbound = faxInboundOf(mail, { ...common, headline: faxHeadline(pages, pdfs.length), photos, notes: [...notes, ...pages.notes] });
    } else {
      inbound = inboundOf(mail, { ...common, photos, notes });
    }
    const take = opts.takeOver;
    if (take) {
      inbound = {
        ...inbound,
        externalId: take.externalId,
        intakeNotes: [...take.notes, ...(inbound.intakeNotes ?? [])].slice(0, 20).map((n) => n.slice(0, 500)),
        autoReply: take.autoReply && inbound.autoReply !== false,
      };
    }
    const result = await receive(deps, { ...inbound, defaultTeamId: account.defaultTeamId });
    if (result.outcome === 'duplicate') await removeStored(deps, photos, files);
    return result;
  } catch (err) {
    await removeStored(deps, photos, files);
    throw err;
  }
}

/** A mail too large to fetch stays in the mailbox; "Nicht zugeordnet" tells staff to open it there. */
export function tooLargeHook(deps: IntakeDeps): TooLargeHook {
  return async (meta) => {
    const mb = (meta.size / 1024 / 1024).toLocaleString('de-DE', { maximumFractionDigits: 1 });
    await deps.db
      .insert(heldMessages)
      .values({
        channelAccountId: meta.accountId,
        externalId: `imap-uid:${meta.uidValidity}:${meta.uid}`,
        reason: `Mail mit ${mb} MB ist zu groß zum Abrufen: Bitte öffnen Sie sie im Postfach (sie bleibt dort ungelesen).`,
        body: '(nicht abgerufen)',
        receivedAt: deps.clock.now(),
      })
      .onConflictDoNothing();
  };
}

/** A citizen's mail; without a sender (only a take-over from "Nicht zugeordnet" gets here) there is no contact and no answer. */
function inboundOf(
  mail: ParsedMail,
  p: { accountId: number; defaultType: Inbound['type']; photos: StoredPhoto[]; files: StoredFile[]; notes: string[] },
): Inbound {
  const body = [mail.subject && !/^(re|aw|wg|fw|fwd):?\s*$/i.test(mail.subject) ? `Betreff: ${mail.subject}` : '', mail.visibleText]
    .filter(Boolean)
    .join('\n\n');
  const notes = [...mail.problems, ...p.notes];
  const description = clipDescription(
    body || (p.photos.length + p.files.length > 0 ? 'Die Mail enthielt nur Anhänge.' : '(Die Mail war leer.)'),
    notes,
  );
  if (mail.visibleText !== mail.text) notes.push('Zitierter Verlauf und Signatur der Mail sind in der Beschreibung ausgeblendet.');
  if (mail.automated) notes.push(`Keine automatische Eingangsbestätigung: ${mail.automated}`);
  const from = mail.from;
  return {
    ...mailInboundBase(mail, p, description, notes),
    channel: 'email',
    threadKeys: [...new Set([mail.inReplyTo, ...mail.references].filter((k): k is string => Boolean(k)))].slice(-50).map(mailThreadKey),
    caseNumber: mail.caseNumberInSubject,
    contact: from && { kind: 'email', address: from.address, displayName: from.name },
    reporterName: from?.name?.slice(0, LIMITS.name) ?? null,
    reporterEmail: from && from.address.length <= LIMITS.email ? from.address : null,
    autoReply: from !== null && mail.automated === null,
    ...originalOf(mail, description),
  };
}

/**
 * What the "Originalansicht" keeps beside the description: the whole text only when the description
 * does not already hold it (quoted history, signature or a cut folded away), the HTML whenever there is one.
 */
function originalOf(mail: ParsedMail, description: string): { originalText: string | null; originalHtml: string | null } {
  return { originalText: mail.text && !description.includes(mail.text) ? mail.text : null, originalHtml: mail.html };
}

/** Photos through the photo pipeline (metadata stripped); PDFs and documents stored as sent. */
async function storeAttachments(deps: IntakeDeps, attachments: ParsedAttachment[]) {
  const photos: StoredPhoto[] = [];
  const files: StoredFile[] = [];
  const notes: string[] = [];
  for (const a of attachments) {
    if (a.kind === 'image' && photos.length < MAX_PHOTOS) {
      try {
        const p = await processPhoto(a.content, photos.length);
        const storageKey = await deps.storage.put(p.full, p.extension);
        const thumbKey = await deps.storage.put(p.thumb, p.extension);
        photos.push({ storageKey, thumbKey, mimeType: p.mimeType, width: p.width, height: p.height, bytes: p.full.length });
        continue;
      } catch {
        // Not an image we can read: keep it as a file, so nothing the citizen sent is lost.
      }
    }
    if (files.length >= MAX_FILES) {
      notes.push(`Anhang „${a.filename}“ wurde nicht übernommen: Mehr als ${MAX_FILES} Anhänge nehmen wir je Mail nicht an.`);
      continue;
    }
    const extension = (/\.([a-z0-9]{1,8})$/i.exec(a.filename)?.[1] ?? 'bin').toLowerCase();
    const storageKey = await deps.storage.put(a.content, extension);
    files.push({ storageKey, filename: a.filename, mimeType: a.contentType.slice(0, 200), bytes: a.size });
  }
  return { photos, files, notes };
}

/** What a mail stored before the pipeline refused it or found it known already. */
async function removeStored(deps: IntakeDeps, photos: readonly StoredPhoto[], files: readonly StoredFile[]): Promise<void> {
  await removeStoredPhotos(deps, photos);
  for (const f of files) await deps.storage.remove(f.storageKey).catch(() => {});
}

/**
 * "Nicht zugeordnet": kept once per Message-ID, for staff to take over or discard. The raw mail is
 * stored beside it (`details.rawKey`), so a take-over reads it again like a fresh intake: with its
 * attachments, photos through the photo pipeline, and its thread keys.
 */
async function hold(deps: IntakeDeps, raw: Buffer, mail: ParsedMail, accountId: number, reason: string): Promise<MailHandlerResult> {
  const rawKey = await deps.storage.put(raw, 'eml');
  const [row] = await insertHeld(deps, rawKey, {
    channelAccountId: accountId,
    externalId: mail.externalId,
    reason,
    sender: mail.from?.address ?? null,
    subject: mail.subject || null,
    body: mail.visibleText || mail.text || '(leer)',
    // senderName and automated: what "Als Anliegen übernehmen" needs (contact name, no acknowledgement to machines).
    details: {
      threadKeys: [mail.inReplyTo, ...mail.references].filter(Boolean),
      problems: mail.problems,
      senderName: mail.from?.name ?? null,
      automated: mail.automated,
      rawKey,
    },
    receivedAt: deps.clock.now(),
  });
  if (!row) await deps.storage.remove(rawKey).catch(() => {});
  return row ? 'held' : 'duplicate';
}

/** Inserts a held row once per Message-ID; its raw mail goes again when the insert fails. */
async function insertHeld(deps: IntakeDeps, rawKey: string, values: typeof heldMessages.$inferInsert) {
  try {
    return await deps.db.insert(heldMessages).values(values).onConflictDoNothing().returning({ id: heldMessages.id });
  } catch (err) {
    await deps.storage.remove(rawKey).catch(() => {});
    throw err;
  }
}

/**
 * A bounce (RFC 3464) makes no case: the failed addresses are marked undeliverable, so no adapter
 * writes to them again, and the case whose mail came back says so to staff.
 */
async function recordBounce(deps: IntakeDeps, mail: ParsedMail, accountId: number): Promise<MailHandlerResult> {
  const bounce = mail.bounce;
  if (!bounce) return 'held';
  const now = deps.clock.now();
  const reason = [bounce.status, bounce.diagnostic].filter(Boolean).join(' ').slice(0, 300) || 'unzustellbar';
  return deps.db.transaction(async (tx) => {
    const [seen] = await tx
      .select({ id: messages.id })
      .from(messages)
      .where(eq(messages.threadKey, mailThreadKey(mail.externalId)))
      .limit(1);
    if (seen) return 'duplicate';
    if (bounce.recipients.length > 0) {
      await tx
        .update(contacts)
        .set({ undeliverableAt: now, undeliverableReason: reason, updatedAt: now })
        .where(and(eq(contacts.kind, 'email'), inArray(contacts.address, bounce.recipients)));
    }
    const [original] = bounce.originalMessageId
      ? await tx.select({ caseId: outbox.caseId }).from(outbox).where(eq(outbox.externalRef, bounce.originalMessageId)).limit(1)
      : [];
    if (!original?.caseId) {
      const [held] = await tx
        .insert(heldMessages)
        .values({
          channelAccountId: accountId,
          externalId: mail.externalId,
          reason: `Unzustellbar: ${reason}`,
          sender: null,
          subject: mail.subject || null,
          body: mail.text || '(leer)',
          receivedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: heldMessages.id });
      return held ? 'held' : 'duplicate';
    }
    const who = bounce.recipients.join(', ') || 'die Empfängeradresse';
    await tx.insert(messages).values({
      caseId: original.caseId,
      kind: 'note',
      channel: 'email',
      body: `Unsere Mail an ${who} kam unzustellbar zurück (${reason}). Bitte erreichen Sie die Person auf anderem Weg.`,
      threadKey: mailThreadKey(mail.externalId),
      channelAccountId: accountId,
      createdAt: now,
    });
    await recordAudit(tx, { caseId: original.caseId, actor: SYSTEM, action: 'bounced', details: { reason }, at: now });
    return 'stored';
  });
}
