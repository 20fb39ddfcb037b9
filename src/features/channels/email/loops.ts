import type { HeaderLines } from 'mailparser';
import { domainOf, headerLine, isOwnDomain, rawHeader } from './headers.ts';

/**
 * Two questions about a mail that only its headers answer. `automatedReason`: may we send an
 * acknowledgement? RFC 3834 says never to answer machines, lists or ourselves, or two autoresponders
 * mail each other forever. `unassignedReason`: should a person look first, before any team gets it?
 * Both give a German sentence for staff, or null.
 */

/** Senders that by name take no answers (RFC 3834 §2 and what the big providers use). */
const NO_REPLY_LOCAL = /^(?:mailer-daemon|postmaster|no-?reply|do-?not-?reply|donotreply|bounces?|noreply-.*|no-reply-.*)$/i;

export interface LoopContext {
  headerLines: HeaderLines;
  fromAddress: string | null;
  ownDomains: string[];
  /** The X-Loop value our own outgoing mail carries; a mail that has it has been through us already. */
  loopMarker?: string;
}

export function automatedReason({ headerLines, fromAddress, ownDomains, loopMarker }: LoopContext): string | null {
  const first = (name: string) => rawHeader(headerLines, name)[0];
  const shown = (value: string) => headerLine(value, 60);

  const autoSubmitted = first('auto-submitted');
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted)) {
    return `Die Mail wurde automatisch erzeugt (Auto-Submitted: ${shown(autoSubmitted)}); darauf antworten wir nicht automatisch.`;
  }
  const precedence = first('precedence');
  if (precedence && /^(bulk|list|junk)\b/i.test(precedence)) {
    return `Die Mail ist als Massen- oder Listenmail gekennzeichnet (Precedence: ${shown(precedence)}); darauf antworten wir nicht automatisch.`;
  }
  if (first('list-id') !== undefined || first('list-unsubscribe') !== undefined) {
    return 'Die Mail kommt von einer Mailingliste oder einem Newsletter; darauf antworten wir nicht automatisch.';
  }
  const suppress = first('x-auto-response-suppress');
  if (suppress && !/^none$/i.test(suppress)) {
    return 'Das Programm des Absenders bittet, nicht automatisch zu antworten (X-Auto-Response-Suppress).';
  }
  if (fromAddress && NO_REPLY_LOCAL.test(fromAddress.slice(0, fromAddress.lastIndexOf('@')))) {
    return `Der Absender ${fromAddress} ist eine Adresse, die keine Antworten annimmt.`;
  }
  if (fromAddress && isOwnDomain(domainOf(fromAddress), ownDomains)) {
    return `Die Mail kommt von einer eigenen Adresse (${fromAddress}); eine automatische Antwort könnte eine Mailschleife auslösen.`;
  }
  const loops = rawHeader(headerLines, 'x-loop').map((v) => v.toLowerCase());
  const markers = [loopMarker, ...ownDomains].filter((m): m is string => !!m?.trim()).map((m) => m.trim().toLowerCase());
  if (loops.some((v) => markers.some((m) => v.includes(m)))) {
    return 'Die Mail ist schon einmal durch unser System gelaufen (X-Loop); eine automatische Antwort würde eine Mailschleife auslösen.';
  }
  if (!fromAddress) return 'Die Mail hat keinen verwendbaren Absender; eine Antwort käme nirgends an.';
  return null;
}

export interface UnassignedContext {
  headerLines: HeaderLines;
  hasText: boolean;
  hasAttachments: boolean;
}

export function unassignedReason({ headerLines, hasText, hasAttachments }: UnassignedContext): string | null {
  const first = (name: string) => rawHeader(headerLines, name)[0];
  // SpamAssassin writes X-Spam-Flag/X-Spam-Status, rspamd X-Spam/X-Spamd-Result, Microsoft its SCL (5 and above is spam).
  if (/^yes\b/i.test(first('x-spam-flag') ?? '') || /^yes\b/i.test(first('x-spam-status') ?? '') || /^yes\b/i.test(first('x-spam') ?? '')) {
    return 'Der Spamfilter hat die Mail als Spam markiert.';
  }
  if (Number(first('x-ms-exchange-organization-scl')) >= 5) return 'Der Spamfilter hat die Mail als Spam markiert.';
  if (first('list-unsubscribe') !== undefined || first('list-id') !== undefined)
    return 'Die Mail sieht nach einem Newsletter oder einer Listenmail aus.';
  if (/^(bulk|list)\b/i.test(first('precedence') ?? '')) return 'Die Mail ist als Massen- oder Listenmail gekennzeichnet.';
  if (!hasText && !hasAttachments) return 'Die Mail enthält weder Text noch einen verwendbaren Anhang.';
  return null;
}
