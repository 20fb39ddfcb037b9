import type { Attachment } from 'mailparser';
import { domainOf, firstMessageId, isOwnDomain } from './headers.ts';

/**
 * A mail that says one of ours could not be delivered. Standard reports (RFC 3464,
 * multipart/report; report-type=delivery-status) are read field by field; the servers that still
 * write prose (older Exim, qmail, some Exchange set-ups: "Mail delivery failed", "Unzustellbar")
 * are recognised by sender and subject and read as well as prose allows. Either way the original
 * Message-ID, when the returned headers show it, names the case whose reply bounced.
 */

export interface Bounce {
  /** The addresses that failed (Final-Recipient, else Original-Recipient), lower-cased. */
  recipients: string[];
  /** The enhanced status code, e.g. "5.1.1". */
  status: string | null;
  /** What the receiving server said, one line. */
  diagnostic: string | null;
  /** The Message-ID of our mail that bounced. */
  originalMessageId: string | null;
}

/** Report parts: they feed the bounce and never become attachments of a case. */
export const REPORT_TYPES = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'text/rfc822-headers',
  'message/rfc822-headers',
]);

const BOUNCE_SENDER = /^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;
const BOUNCE_SUBJECT =
  /undeliver|returned mail|delivery (?:status notification|failure|has failed)|mail delivery failed|failure notice|unzustellbar|nicht zustellbar|unzustellbare|zustellung (?:fehlgeschlagen|gescheitert)|rückläufer/i;
const ADDRESS = /[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
const STATUS = /\b([245]\.\d{1,3}\.\d{1,3})\b/;
const SMTP_REPLY = /^\s*(?:.*?\s)?([45]\d\d[ -].{3,})$/m;

export interface BounceInput {
  contentType: { value: string; params: Record<string, string> } | null;
  fromAddress: string | null;
  subject: string;
  text: string;
  reportParts: Attachment[];
  returnedMessage: Attachment | null;
  ownDomains: string[];
}

export function readBounce(input: BounceInput): Bounce | null {
  const status = input.reportParts.find((p) => /delivery-status$/.test(p.contentType));
  if (status) return fromReport(status.content.toString('utf8'), input);
  const isReport =
    input.contentType?.value === 'multipart/report' && /delivery-status/i.test(input.contentType.params['report-type'] ?? '');
  const bySender = input.fromAddress !== null && BOUNCE_SENDER.test(input.fromAddress) && BOUNCE_SUBJECT.test(input.subject);
  // Exchange sends its prose bounces from addresses like MicrosoftExchange3…@, but always with this subject.
  const bySubject = /^(?:unzustellbar|undeliverable|nicht zustellbar)\s*:/i.test(input.subject);
  return isReport || bySender || bySubject ? fromProse(input) : null;
}

function fromReport(report: string, input: BounceInput): Bounce {
  // Blocks are separated by blank lines: the first is about the message, each further one about one recipient.
  const blocks = report
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map(fields);
  const recipients: string[] = [];
  let status: string | null = null;
  let diagnostic: string | null = null;
  for (const block of blocks) {
    const action = (block.get('action') ?? '').toLowerCase();
    const address = addressOf(block.get('final-recipient') ?? block.get('original-recipient'));
    if (!address || (action !== 'failed' && !(action === '' && /^5/.test(block.get('status') ?? '')))) continue;
    if (!recipients.includes(address)) recipients.push(address);
    status ??= STATUS.exec(block.get('status') ?? '')?.[1] ?? null;
    diagnostic ??= oneLine(block.get('diagnostic-code')?.replace(/^[a-z-]+;\s*/i, ''));
  }
  return { recipients, status, diagnostic, originalMessageId: originalId(input) };
}

/** Header-like "Name: value" lines of one block, continuation lines unfolded, names lower-cased. */
function fields(block: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m?.[1] && !map.has(m[1].toLowerCase())) map.set(m[1].toLowerCase(), (m[2] ?? '').trim());
  }
  return map;
}

function addressOf(value: string | undefined): string | null {
  const m = value?.replace(/^[a-z0-9-]+;\s*/i, '').match(ADDRESS);
  return m?.[0]?.toLowerCase() ?? null;
}

function oneLine(value: string | undefined): string | null {
  const line = value?.replace(/\s+/g, ' ').trim().slice(0, 500);
  return line ? line : null;
}

/** Where prose bounces start the returned copy; addresses below it are the original's, not the failed ones. */
const COPY_START =
  /^.*(?:This is a copy of the message|Original message follows|Below this line is a copy|Kopie der Nachricht|Originalnachricht|Ursprüngliche Nachricht|Nachrichtenkopf|Original message headers).*$|^(?:Return-Path|Received|Message-ID|From|Von):/im;

function fromProse(input: BounceInput): Bounce {
  const text = input.text.slice(0, 200_000);
  const m = COPY_START.exec(text);
  const notice = m ? text.slice(0, m.index) : text;
  const ignore = (a: string) => a === input.fromAddress || isOwnDomain(domainOf(a), input.ownDomains);
  const recipients = [...new Set((notice.match(ADDRESS) ?? []).map((a) => a.toLowerCase()))].filter((a) => !ignore(a));
  return {
    recipients,
    status: STATUS.exec(notice)?.[1] ?? null,
    diagnostic: oneLine(SMTP_REPLY.exec(notice)?.[1]),
    originalMessageId: originalId(input) ?? (m ? firstMessageId(/^Message-ID:\s*(.*)$/im.exec(text.slice(m.index))?.[1]) : null),
  };
}

/** The Message-ID in the returned headers (text/rfc822-headers) or the returned message (message/rfc822). */
function originalId(input: BounceInput): string | null {
  const returned = [
    ...input.reportParts.filter((p) => /headers$/.test(p.contentType)),
    ...(input.returnedMessage ? [input.returnedMessage] : []),
  ];
  for (const part of returned) {
    const head =
      part.content
        .subarray(0, 64 * 1024)
        .toString('utf8')
        .split(/\r?\n\r?\n/)[0] ?? '';
    const id = firstMessageId(/^Message-ID:[ \t]*(.*(?:\r?\n[ \t]+.*)*)/im.exec(head)?.[1]);
    if (id) return id;
  }
  return null;
}
