import nodemailer from 'nodemailer';
import { createImapClient } from '../email/imap-client.ts';
import type { EmailSecrets, EmailSettings } from './email-settings.ts';

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
  const client = createImapClient(settings.imap, secrets.imapPassword, { timeoutMs, autoIdle: false });
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
  if (e.tlsFailed || e.code === 'EREQUIRETLS' || /STARTTLS/i.test(message)) {
    return `der Server bietet kein STARTTLS an (${where}); bitte Verschlüsselung prüfen`;
  }
  if (/certificate|self[- ]signed|CERT_|unable to verify/i.test(`${message} ${e.code ?? ''}`)) {
    return `das Zertifikat des Servers ist nicht vertrauenswürdig (${where})`;
  }
  if (/wrong version number|ssl|tls/i.test(`${message} ${e.code ?? ''}`)) {
    return `verschlüsselte Verbindung gescheitert (${where}); passt die Verschlüsselung zum Port?`;
  }
  if (e.code === 'ECONNRESET' || /ECONNRESET|closed|socket hang up/i.test(message)) {
    return `der Server hat die Verbindung abgebrochen (${where})`;
  }
  return `Verbindung gescheitert (${where}${e.code ? `, Code ${e.code}` : ''})`;
}
