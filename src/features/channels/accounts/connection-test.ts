import nodemailer from 'nodemailer';
import { createImapClient } from '../email/imap-client.ts';
import type { EmailSecrets, EmailSettings } from './email-settings.ts';
import { tlsOptions } from './tls.ts';

/** One side of a connection test, in words for the admin. */
export interface CheckResult {
  ok: boolean;
  text: string;
}
export interface EmailTestResult {
  imap: CheckResult;
  smtp: CheckResult;
}

/** A test must answer quickly: the admin waits for it at the page or the terminal. */
export const TEST_TIMEOUT_MS = 10_000;

/**
 * Logs into the IMAP mailbox (opening it read-only and counting its messages) and asks the SMTP
 * server to accept the login, both at once. Never throws: every failure becomes a German sentence.
 */
export async function testEmailConnection(
  settings: EmailSettings,
  secrets: EmailSecrets,
  timeoutMs = TEST_TIMEOUT_MS,
): Promise<EmailTestResult> {
  const [imap, smtp] = await Promise.all([checkImap(settings, secrets, timeoutMs), checkSmtp(settings, secrets, timeoutMs)]);
  return { imap, smtp };
}

async function checkImap(settings: EmailSettings, secrets: EmailSecrets, timeoutMs: number): Promise<CheckResult> {
  const { host, port, mailbox } = settings.imap;
  const client = createImapClient(settings, secrets.imapPassword, { timeoutMs, autoIdle: false });
  client.on('error', () => {}); // reported through the rejected promise below
  try {
    await withDeadline(client.connect(), timeoutMs);
  } catch (err) {
    client.close();
    return { ok: false, text: `IMAP: ${reasonOf(err, host, port, timeoutMs)}` };
  }
  try {
    const opened = await withDeadline(client.mailboxOpen(mailbox, { readOnly: true }), timeoutMs);
    const count = opened.exists;
    return {
      ok: true,
      text: `IMAP: Anmeldung erfolgreich, Ordner „${mailbox}“ enthält ${count} ${count === 1 ? 'Nachricht' : 'Nachrichten'}.`,
    };
  } catch (err) {
    const why = isTimeout(err) ? 'der Server antwortet nicht' : 'es gibt ihn nicht oder er ist nicht freigegeben';
    return { ok: false, text: `IMAP: Anmeldung erfolgreich, aber der Ordner „${mailbox}“ lässt sich nicht öffnen (${why}).` };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function checkSmtp(settings: EmailSettings, secrets: EmailSecrets, timeoutMs: number): Promise<CheckResult> {
  const { host, port, user } = settings.smtp;
  const transporter = nodemailer.createTransport(smtpOptions(settings, secrets, timeoutMs));
  try {
    await withDeadline(transporter.verify(), timeoutMs);
    return {
      ok: true,
      text: user ? 'SMTP: Anmeldung erfolgreich, der Server nimmt Mails an.' : 'SMTP: Server erreichbar, er nimmt Mails an.',
    };
  } catch (err) {
    return { ok: false, text: `SMTP: ${reasonOf(err, host, port, timeoutMs)}` };
  } finally {
    transporter.close();
  }
}

/** The nodemailer options of an account's SMTP side; used by the test and by the mail transport. */
export function smtpOptions(settings: EmailSettings, secrets: EmailSecrets, timeoutMs: number) {
  const { host, port, security, user } = settings.smtp;
  return {
    host,
    port,
    secure: security === 'smtps',
    requireTLS: security === 'starttls',
    ignoreTLS: security === 'plain',
    tls: tlsOptions(settings),
    ...(user ? { auth: { user, pass: secrets.smtpPassword ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
  };
}

class DeadlineError extends Error {
  code = 'DEADLINE';
}

/** A last guard beside the libraries' own timeouts, so no phase can keep the admin waiting. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError('deadline')), ms + 500);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

type LibraryError = Error & { code?: string; authenticationFailed?: boolean; tlsFailed?: boolean; responseCode?: number };

const TIMEOUT_CODES = new Set(['DEADLINE', 'ETIMEDOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'ESOCKETTIMEDOUT']);
const isTimeout = (err: unknown) =>
  TIMEOUT_CODES.has(String((err as LibraryError)?.code)) || /timed? ?out/i.test(String((err as Error)?.message));

/** What went wrong, for an admin: names the cause and what to check, never the library's English. */
export function reasonOf(err: unknown, host: string, port: number, timeoutMs: number): string {
  const e = (err ?? {}) as LibraryError;
  const message = String(e.message ?? '');
  const where = `${host}:${port}`;
  if (e.authenticationFailed || e.code === 'EAUTH' || /AUTHENTICATIONFAILED|authentication failed|invalid credentials/i.test(message)) {
    return 'Anmeldung abgelehnt (Benutzername oder Passwort falsch)';
  }
  if (e.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) return `Server nicht erreichbar (${where})`;
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(message)) {
    return `Servername unbekannt (${host})`;
  }
  if (isTimeout(err)) return `keine Antwort innerhalb von ${Math.round(timeoutMs / 1000)} Sekunden (${where})`;
  const certificate = certificateProblem(`${message} ${e.code ?? ''}`, host, where);
  if (certificate) return certificate;
  if (e.tlsFailed || e.code === 'EREQUIRETLS' || e.code === 'ETLS' || /STARTTLS/i.test(message)) {
    return `der Server bietet kein STARTTLS an (${where}); die Zugangsdaten wurden deshalb nicht gesendet. Bitte prüfen Sie die Verschlüsselung`;
  }
  if (/wrong version number|packet length too long|ssl|tls/i.test(`${message} ${e.code ?? ''}`)) {
    return `verschlüsselte Verbindung gescheitert (${where}); passt die Verschlüsselung zum Port?`;
  }
  if (e.code === 'ECONNRESET' || /ECONNRESET|closed|socket hang up/i.test(message)) {
    return `der Server hat die Verbindung abgebrochen (${where})`;
  }
  return `Verbindung gescheitert (${where}${e.code ? `, Code ${e.code}` : ''})`;
}

/**
 * A certificate the connection refused, in words an admin can act on. OpenSSL's codes (Node's
 * `err.code`) are matched in the message too: the mail libraries wrap the socket's error.
 */
function certificateProblem(text: string, host: string, where: string): string | null {
  if (/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate|altnames/i.test(text)) {
    return `Zertifikat des Servers passt nicht zum Servernamen „${host}“ (${where}); bitte den Namen angeben, auf den das Zertifikat lautet`;
  }
  if (/CERT_HAS_EXPIRED|certificate has expired/i.test(text)) return `Zertifikat des Servers ist abgelaufen (${where})`;
  if (/CERT_NOT_YET_VALID|certificate is not yet valid/i.test(text)) return `Zertifikat des Servers ist noch nicht gültig (${where})`;
  if (
    /SELF_SIGNED|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE|certificate|unable to verify/i.test(
      text,
    )
  ) {
    return `Zertifikat des Servers ist nicht vertrauenswürdig (${where}): Es stammt von keiner bekannten Zertifizierungsstelle. Hat die Stadt eine eigene, tragen Sie deren Zertifikat (PEM) beim Postfach ein`;
  }
  return null;
}
