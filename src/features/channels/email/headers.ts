import type { AddressObject, HeaderLines } from 'mailparser';
import { cleanText, oneLine } from '../../../infra/text-input.ts';

/**
 * Header values as one clean line each. Decoded encoded-words may carry CR/LF, NUL or bidi
 * controls ("=?UTF-8?B?…?=" hiding "\r\nBcc: x@y"); whatever comes out here can be put into a
 * reply header or a page without another check.
 */

export const SUBJECT_MAX = 300;
const NAME_MAX = 120;
/** The pipeline's own limits for an external id and each thread key. */
const MESSAGE_ID_MAX = 500;
export const REFERENCES_MAX = 50;

/** One line: no control characters, no line breaks, runs of white space as one space, NFC. */
export function headerLine(value: string, max: number): string {
  return oneLine(cleanText(value)).replace(/\s+/g, ' ').trim().slice(0, max).trim();
}

/**
 * The raw values of a header (unfolded, not decoded), for the flags that mailparser turns into
 * objects or leaves out: the classification wants the text as the sender's software wrote it.
 */
export function rawHeader(lines: HeaderLines, name: string): string[] {
  const key = name.toLowerCase();
  return lines
    .filter((l) => l.key === key)
    .map((l) =>
      l.line
        .slice(l.line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    );
}

const ID_IN_BRACKETS = /<([^<>\s@]+@[^<>\s@]+)>/g;
const BARE_ID = /^[^<>\s@]+@[^<>\s@]+$/;

/** Every well-formed `<left@right>` in a header, in order. A bare `left@right` alone counts too. */
export function messageIds(value: string): string[] {
  const found = [...value.matchAll(ID_IN_BRACKETS)].map((m) => `<${m[1]}>`);
  if (found.length === 0 && BARE_ID.test(value.trim())) found.push(`<${value.trim()}>`);
  return found.filter((id) => id.length <= MESSAGE_ID_MAX && cleanText(id) === id);
}

export function firstMessageId(value: string | undefined): string | null {
  return value ? (messageIds(value)[0] ?? null) : null;
}

/** References oldest first as sent, duplicates dropped, the newest 50 kept (they thread best). */
export function references(values: string[]): string[] {
  return [...new Set(values.flatMap(messageIds))].slice(-REFERENCES_MAX);
}

const CASE_NUMBER = /\[(\d{4}-\d{5,6})\]|\bAnliegen\s*(?:Nr\.?\s*)?(\d{4}-\d{5,6})\b/i;

/** Our replies carry "[2026-00042]"; citizens also type "Anliegen 2026-00042". */
export function caseNumberIn(subject: string): string | null {
  const m = CASE_NUMBER.exec(subject);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

const ADDRESS = /^[^\s@<>()",;:[\]\\]+@[^\s@<>()",;:[\]\\]+\.[^\s@<>()",;:[\]\\]+$/;

/** The first usable sender; an address we could not answer to counts as none. */
export function sender(from: AddressObject | undefined): { address: string; name: string | null } | null {
  const entries = (from?.value ?? []).flatMap((e) => (e.group ? e.group : [e]));
  for (const entry of entries) {
    const address = headerLine(entry.address ?? '', 255).toLowerCase();
    if (address.length > 254 || !ADDRESS.test(address)) continue;
    const name = headerLine(entry.name ?? '', NAME_MAX);
    return { address, name: name && name.toLowerCase() !== address ? name : null };
  }
  return null;
}

/** Domain of an address, lower-cased, or '' when there is none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}

/** Whether a domain is one of ours or a subdomain of one (mail.musterstadt.de belongs to musterstadt.de). */
export function isOwnDomain(domain: string, ownDomains: string[]): boolean {
  return ownDomains.some((own) => {
    const d = own.trim().toLowerCase();
    return d !== '' && (domain === d || domain.endsWith(`.${d}`));
  });
}
