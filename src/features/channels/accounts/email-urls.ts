import { invalid } from '../../../infra/errors.ts';
import type { EmailAccountFields } from './email-settings.ts';

/**
 * The command line's short form of a mailbox:
 *   imaps://user:pass@host[:993][/Mailbox]     TLS from the start
 *   imap://user:pass@host[:143][/Mailbox]      STARTTLS, required (refused if the server lacks it)
 *   imap://…?tls=none                          unencrypted: only when asked for by name (a server in the town's own network)
 *   smtps://user:pass@host[:465], smtp://[user:pass@]host[:587] (STARTTLS required), smtp://…:25?tls=none
 * User and password are URL-encoded ("%40" for "@"); the mailbox defaults to INBOX. `starttls=true`
 * (the older spelling) still means STARTTLS.
 */
type ImapFields = Pick<EmailAccountFields, 'imapHost' | 'imapPort' | 'imapSecurity' | 'imapUser' | 'imapPassword' | 'mailbox'>;
type SmtpFields = Pick<EmailAccountFields, 'smtpHost' | 'smtpPort' | 'smtpSecurity' | 'smtpUser' | 'smtpPassword'>;

interface Parsed {
  secure: boolean;
  /** Only `?tls=none` makes a connection unencrypted: a plain scheme alone means STARTTLS. */
  plain: boolean;
  host: string;
  port: number | null;
  user: string;
  password: string;
  path: string;
}

function parse(field: 'imap' | 'smtp', raw: string): Parsed {
  const label = field.toUpperCase();
  const example = field === 'imap' ? 'imaps://benutzer:passwort@mail.example.org/INBOX' : 'smtps://benutzer:passwort@mail.example.org';
  const bad = (why: string) => invalid(`${label}: ${why} Beispiel: ${example}`, { [field]: `${label}: ${why}` });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw bad('Die Angabe ist keine gültige Adresse.');
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== field && scheme !== `${field}s`) throw bad(`Die Adresse muss mit ${field}:// oder ${field}s:// beginnen.`);
  const tls = url.searchParams.get('tls');
  if (tls !== null && tls !== 'none') throw bad('tls= kennt nur den Wert none (unverschlüsselt).');
  const plain = tls === 'none';
  if (plain && scheme === `${field}s`) throw bad(`tls=none passt nur zu ${field}://, ${field}s:// ist immer verschlüsselt.`);
  if (plain && url.searchParams.has('starttls')) throw bad('starttls und tls=none widersprechen sich.');
  if (url.searchParams.has('starttls') && scheme === `${field}s`) {
    throw bad(`starttls passt nur zu ${field}://, ${field}s:// ist schon verschlüsselt.`);
  }
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw bad('Benutzername oder Passwort sind nicht richtig URL-kodiert (z. B. %40 für @).');
    }
  };
  return {
    secure: scheme === `${field}s`,
    plain,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : null,
    user: decode(url.username),
    password: decode(url.password),
    path: decode(url.pathname.replace(/^\/+/, '')),
  };
}

export function imapFieldsFromUrl(raw: string): ImapFields {
  const p = parse('imap', raw);
  if (!p.user || !p.password) {
    const why = 'Benutzername und Passwort fehlen (imap://benutzer:passwort@…).';
    throw invalid(`IMAP: ${why}`, { imap: `IMAP: ${why}` });
  }
  return {
    imapHost: p.host,
    imapPort: p.port ?? (p.secure ? 993 : 143),
    imapSecurity: p.secure ? 'imaps' : p.plain ? 'plain' : 'starttls',
    imapUser: p.user,
    imapPassword: p.password,
    mailbox: p.path || 'INBOX',
  };
}

export function smtpFieldsFromUrl(raw: string): SmtpFields {
  const p = parse('smtp', raw);
  return {
    smtpHost: p.host,
    smtpPort: p.port ?? (p.secure ? 465 : p.plain ? 25 : 587),
    smtpSecurity: p.secure ? 'smtps' : p.plain ? 'plain' : 'starttls',
    smtpUser: p.user || undefined,
    smtpPassword: p.password || undefined,
  };
}
