import { createHash } from 'node:crypto';
import { type Attachment, type ParsedMail as MailparserResult, simpleParser } from 'mailparser';
import { cleanText } from '../../../infra/text-input.ts';
import { type AttachmentLimits, DEFAULT_ATTACHMENT_LIMITS, keptAttachments, type ParsedAttachment } from './attachments.ts';
import { type Bounce, REPORT_TYPES, readBounce } from './bounce.ts';
import { charsetDecoder } from './charsets.ts';
import { caseNumberIn, firstMessageId, headerLine, rawHeader, references, SUBJECT_MAX, sender } from './headers.ts';
import { HTML_MAX, roughText, safeHtml } from './html.ts';
import { automatedReason, unassignedReason } from './loops.ts';
import { visiblePart } from './quoted.ts';

/**
 * One raw inbound mail → a clean, typed ParsedMail, without a database and without throwing:
 * the fetcher hands over whatever the mailbox holds, and a mail we cannot read well is still a
 * citizen's message that staff should see, with notes on what went wrong.
 */

export type { ParsedAttachment } from './attachments.ts';

export interface ParsedMail {
  /** '<x@y>' (angle brackets, trimmed), null when missing or not a Message-ID. */
  messageId: string | null;
  /** sha256 hex of the raw bytes. */
  rawHash: string;
  /** messageId ?? `sha256:${rawHash}`: the intake idempotency key. */
  externalId: string;
  inReplyTo: string | null;
  /** Oldest first, deduplicated, each '<…>', the newest 50. */
  references: string[];
  /** One line, no control characters, NFC, at most 300 characters. */
  subject: string;
  /** "[2026-00042]" or "Anliegen 2026-00042" in the subject → "2026-00042". */
  caseNumberInSubject: string | null;
  /** Lower-cased address; null when there is none we could answer to. */
  from: { address: string; name: string | null } | null;
  date: Date | null;
  /** The whole plain text (the text part, else the HTML as text), cleaned like the web forms' text, at most TEXT_MAX characters. */
  text: string;
  /** `text` without quoted history and signature; never empty when `text` is not. */
  visibleText: string;
  /** Sanitised HTML for the "Originalansicht"; null when the mail had none (or only HTML too deeply nested to show, with a note). */
  html: string | null;
  attachments: ParsedAttachment[];
  /** Why we must not answer automatically (RFC 3834), in German; null when we may. */
  automated: string | null;
  /** Set when the mail reports that one of ours could not be delivered. */
  bounce: Bounce | null;
  /** Why the mail belongs in "Nicht zugeordnet" rather than with a team, in German; else null. */
  unassigned: string | null;
  /** German notes for staff about what could not be taken over as sent. */
  problems: string[];
}

export interface ParseOptions extends Partial<AttachmentLimits> {
  /** Our own mail domains: mail from them is never answered automatically. */
  ownDomains: string[];
  /** The X-Loop value our outgoing mail carries. */
  loopMarker?: string;
}

/** Longer texts are cut: the intake keeps 5,000 characters of a description, and a case is no archive. */
export const TEXT_MAX = 20_000;

const MIME_NOTE = 'Die Mail war nicht sauber aufgebaut (MIME)';

export async function parseMail(raw: Buffer, options: ParseOptions): Promise<ParsedMail> {
  const rawHash = createHash('sha256').update(raw).digest('hex');
  try {
    return await parseOrFallBack(raw, rawHash, options);
  } catch {
    // Only a bug of ours gets here (mailparser's own failures are handled inside); the mail is kept anyway.
    return bodyAsText(raw, rawHash, `${MIME_NOTE}; sie wurde als reiner Text übernommen.`);
  }
}

async function parseOrFallBack(raw: Buffer, rawHash: string, options: ParseOptions): Promise<ParsedMail> {
  const unknownCharsets = new Set<string>();
  let parsed: MailparserResult;
  try {
    parsed = await simpleParser(raw, {
      keepDeliveryStatus: true,
      ignoreEmbedded: true,
      keepCidLinks: true,
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      maxHtmlLengthToParse: HTML_MAX,
      checksumAlgo: false,
      Iconv: charsetDecoder(unknownCharsets),
    });
  } catch {
    return bodyAsText(raw, rawHash, `${MIME_NOTE}; sie konnte nicht in ihre Teile zerlegt werden und wurde als reiner Text übernommen.`);
  }
  const structure = structureProblems(raw, parsed);
  const problems: string[] = [...structure.problems];
  for (const charset of unknownCharsets) {
    problems.push(`Unbekannter Zeichensatz „${headerLine(charset, 40)}“: Der Text wurde so gut wie möglich gelesen.`);
  }

  const lines = parsed.headerLines ?? [];
  const messageId = firstMessageId(rawHeader(lines, 'message-id')[0]);
  const inReplyTo = firstMessageId(rawHeader(lines, 'in-reply-to')[0]);
  const subject = headerLine(parsed.subject ?? '', SUBJECT_MAX);
  const from = sender(parsed.from);
  const date = dateOf(rawHeader(lines, 'date')[0]);

  const html = typeof parsed.html === 'string' ? parsed.html : null;
  if (html && html.length > HTML_MAX) problems.push('Die HTML-Fassung der Mail war sehr lang und wurde gekürzt.');
  const rawText = parsed.text || (html ? roughText(html) : structure.partsMissing ? decodeBytes(bodyOf(raw)) : '');
  const text = cappedText(rawText, problems);

  const { reportParts, returnedMessage, files } = splitParts(parsed.attachments ?? []);
  const bounce = readBounce({
    contentType: contentTypeOf(parsed),
    fromAddress: from?.address ?? null,
    subject,
    text,
    reportParts,
    returnedMessage,
    ownDomains: options.ownDomains,
  });
  // A bounce's returned copy is our own mail; as an attachment of a case it would only confuse.
  const kept = keptAttachments(bounce ? files.filter((f) => f !== returnedMessage) : files, html, {
    maxAttachmentBytes: options.maxAttachmentBytes ?? DEFAULT_ATTACHMENT_LIMITS.maxAttachmentBytes,
    maxTotalBytes: options.maxTotalBytes ?? DEFAULT_ATTACHMENT_LIMITS.maxTotalBytes,
  });
  problems.push(...kept.problems);

  const visibleText = visiblePart(text);
  const safeView = html === null ? null : safeHtml(html);
  if (html !== null && safeView === null)
    problems.push('Die HTML-Fassung der Mail war zu tief verschachtelt und wird nicht angezeigt; der Text wurde übernommen.');
  const automated =
    automatedReason({
      headerLines: lines,
      fromAddress: from?.address ?? null,
      ownDomains: options.ownDomains,
      loopMarker: options.loopMarker,
    }) ?? (bounce ? 'Die Mail ist eine Unzustellbarkeitsmeldung; darauf antworten wir nicht.' : null);
  return {
    messageId,
    rawHash,
    externalId: messageId ?? `sha256:${rawHash}`,
    inReplyTo,
    references: references(rawHeader(lines, 'references')),
    subject,
    caseNumberInSubject: caseNumberIn(subject),
    from,
    date,
    text,
    visibleText,
    html: safeView,
    attachments: kept.attachments,
    automated,
    bounce,
    // A logo in the signature is no message; a mail with nothing else is empty.
    unassigned: unassignedReason({
      headerLines: lines,
      hasText: visibleText !== '',
      hasAttachments: kept.attachments.some((a) => !a.inline),
    }),
    problems,
  };
}

/** mailparser puts "now" where the Date header is unreadable; staff should rather see that there was none. */
function dateOf(value: string | undefined): Date | null {
  const date = value ? new Date(value.replace(/\([^)]*\)/g, ' ').trim()) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/** Cut before cleaning, so a 30 MB body costs no more than 20,000 characters of work. */
function cappedText(value: string, problems: string[]): string {
  const cleaned = cleanText(value.slice(0, TEXT_MAX + 1000)).trim();
  if (value.length <= TEXT_MAX + 1000 && cleaned.length <= TEXT_MAX) return cleaned;
  problems.push(`Der Text der Mail war länger als ${TEXT_MAX.toLocaleString('de-DE')} Zeichen und wurde danach abgeschnitten.`);
  return cleaned.slice(0, TEXT_MAX).trimEnd();
}

function splitParts(parts: Attachment[]): { reportParts: Attachment[]; returnedMessage: Attachment | null; files: Attachment[] } {
  const reportParts = parts.filter((p) => REPORT_TYPES.has(p.contentType));
  const files = parts.filter((p) => !REPORT_TYPES.has(p.contentType));
  return { reportParts, returnedMessage: files.find((p) => p.contentType === 'message/rfc822') ?? null, files };
}

function contentTypeOf(parsed: MailparserResult): { value: string; params: Record<string, string> } | null {
  const value = parsed.headers?.get('content-type');
  if (!value || typeof value !== 'object' || !('value' in value) || typeof value.value !== 'string') return null;
  const params = 'params' in value && value.params && typeof value.params === 'object' ? (value.params as Record<string, string>) : {};
  return { value: value.value.toLowerCase(), params };
}

/** What mailparser reads past without complaint but staff should know: a mail without headers, or with parts announced and missing. */
function structureProblems(raw: Buffer, parsed: MailparserResult): { problems: string[]; partsMissing: boolean } {
  const found = (problem: string, partsMissing = false) => ({ problems: [`${MIME_NOTE}: ${problem}`], partsMissing });
  if (raw.length === 0) return { problems: ['Die Mail war leer (0 Bytes).'], partsMissing: false };
  if ((parsed.headerLines ?? []).length === 0) return found('Kopfzeilen fehlen; der Inhalt wurde als Text gelesen.');
  const type = contentTypeOf(parsed);
  if (!type?.value.startsWith('multipart/')) return { problems: [], partsMissing: false };
  const boundary = type.params.boundary;
  // mailparser drops everything outside the announced parts; without them that is the whole text.
  if (!boundary) return found('Die Trennmarke der Teile fehlt; der Inhalt wurde als Text gelesen.', true);
  if (!raw.includes(`--${boundary}`)) return found('Die angekündigten Teile fehlen; der Inhalt wurde als Text gelesen.', true);
  if (!raw.includes(`--${boundary}--`)) return found('Sie endet mitten in einem Teil, wohl unvollständig übertragen.');
  return { problems: [], partsMissing: false };
}

/** The bytes after the header block. */
function bodyOf(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (end < 0 && lf < 0) return Buffer.alloc(0);
  return end >= 0 && (lf < 0 || end < lf) ? raw.subarray(end + 4) : raw.subarray(lf + 2);
}

/** UTF-8 when the bytes are, else Windows-1252; only as much as the text cap can use. */
function decodeBytes(raw: Buffer): string {
  const bytes = raw.subarray(0, (TEXT_MAX + 1000) * 4);
  try {
    // stream: a character cut in half at the end is no reason to call the whole text Windows-1252.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The last resort: the bytes as text (UTF-8 when they are, else Windows-1252), nothing else known. */
function bodyAsText(raw: Buffer, rawHash: string, note: string): ParsedMail {
  const problems = [note];
  const text = cappedText(decodeBytes(raw), problems);
  return {
    messageId: null,
    rawHash,
    externalId: `sha256:${rawHash}`,
    inReplyTo: null,
    references: [],
    subject: '',
    caseNumberInSubject: null,
    from: null,
    date: null,
    text,
    visibleText: text,
    html: null,
    attachments: [],
    automated: 'Die Mail hat keinen verwendbaren Absender; eine Antwort käme nirgends an.',
    bounce: null,
    unassigned:
      text === '' ? 'Die Mail enthält weder Text noch einen verwendbaren Anhang.' : 'Die Mail konnte nicht sauber gelesen werden.',
    problems,
  };
}
