import { textTable } from '../../../infra/commands.ts';
import { caseTypeLabels } from '../../cases/labels.ts';
import type { FetchRoundResult } from '../email/intake-types.ts';
import type { EmailTestResult } from './connection-test.ts';
import { type EmailSettings, securityLabels } from './email-settings.ts';
import type { AccountRow } from './queries.ts';

/** Texts of an account for the command line and the admin page: settings and status, never a secret. */

const dateTime = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' });
export const formatDateTime = (d: Date) => `${dateTime.format(d)} Uhr`;

export const imapSummary = (s: EmailSettings) =>
  `${s.imap.user} @ ${s.imap.host}:${s.imap.port}, Ordner ${s.imap.mailbox} (${s.imap.security})`;
export const smtpSummary = (s: EmailSettings) =>
  `${s.smtp.user ? `${s.smtp.user} @ ` : ''}${s.smtp.host}:${s.smtp.port} (${s.smtp.security})`;
/** Which side of the account goes over the network unencrypted, in words; null when both are encrypted. */
export function plaintextWarning(s: EmailSettings): string | null {
  const sides = [s.imap.security === 'plain' && 'der Abruf (IMAP)', s.smtp.security === 'plain' && 'der Versand (SMTP)'].filter(Boolean);
  if (sides.length === 0) return null;
  return `Unverschlüsselt: ${sides.join(' und ')}. Passwort und Mails gehen lesbar über das Netz; das ist nur im internen Netz der Stadt vertretbar.`;
}
export const caText = (s: EmailSettings) =>
  s.caCertificate
    ? 'eigene Zertifizierungsstelle der Stadt hinterlegt (zusätzlich zu den üblichen)'
    : 'die üblichen Zertifizierungsstellen';
export const afterIntakeText = (s: EmailSettings) =>
  s.afterIntake.action === 'move' ? `in den Ordner „${s.afterIntake.folder}“ verschieben` : 'als gelesen markieren und liegen lassen';
/** Which mails of the box count as faxes, in words. */
export function faxText(s: EmailSettings): string {
  if (s.fax.all) return 'alle Mails dieses Postfachs';
  const parts = [s.fax.sender && `deren Absender auf ${s.fax.sender} passt`, s.fax.subject && `deren Betreff auf ${s.fax.subject} passt`];
  const set = parts.filter(Boolean);
  return set.length ? `Mails, ${set.join(' und ')}` : 'keine (kein Fax-Eingang)';
}
export const lastContactText = (a: AccountRow) => (a.lastSuccessAt ? formatDateTime(a.lastSuccessAt) : 'noch nie');
export const lastErrorText = (a: AccountRow) =>
  a.lastError && a.lastErrorAt ? `${formatDateTime(a.lastErrorAt)}: ${a.lastError}` : 'keiner';

export function accountTable(rows: AccountRow[]): string {
  if (rows.length === 0) return 'Noch keine Postfächer. Anlegen mit: amtsblatt channel add email --name … --imap … --smtp … --from …\n';
  const header = ['Name', 'Art', 'Status', 'Absender', 'IMAP', 'Letzter Kontakt', 'Letzter Fehler'];
  const table = rows.map((a) => [
    a.name,
    'E-Mail',
    a.enabled ? 'aktiv' : 'deaktiviert',
    a.settings.from,
    imapSummary(a.settings),
    lastContactText(a),
    a.lastError ?? '–',
  ]);
  return textTable(header, table);
}

export function accountDetails(a: AccountRow): string {
  const s = a.settings;
  return [
    `Name:              ${a.name}`,
    `Status:            ${a.enabled ? 'aktiv' : 'deaktiviert'}`,
    `Absender:          ${s.from}`,
    `IMAP:              ${imapSummary(s)} – ${securityLabels[s.imap.security]}`,
    `Nach dem Abruf:    ${afterIntakeText(s)}`,
    `SMTP:              ${smtpSummary(s)} – ${securityLabels[s.smtp.security]}`,
    `Zertifikate:       geprüft; ${caText(s)}`,
    ...(plaintextWarning(s) ? [`Achtung:           ${plaintextWarning(s)}`] : []),
    `Faxe:              ${faxText(s)}`,
    `Team:              ${a.teamName ? `${a.teamName} (${a.teamSlug})` : 'nach den Regeln'}`,
    `Art:               ${a.defaultType ? caseTypeLabels[a.defaultType] : 'nach den Regeln'}`,
    `Signatur:          ${a.signature ? a.signature.replace(/\n/g, '\n                   ') : 'keine'}`,
    `Letzter Kontakt:   ${lastContactText(a)}`,
    `Letzter Fehler:    ${lastErrorText(a)}`,
    `Passwörter:        verschlüsselt gespeichert, werden nicht angezeigt`,
    '',
  ].join('\n');
}

export const testReport = (r: EmailTestResult) => `${r.imap.text}\n${r.smtp.text}\n`;

const messagesText = (n: number) => `${n} ${n === 1 ? 'Nachricht' : 'Nachrichten'}`;

/** The answer to "Jetzt abrufen": what the round took in, and what is left. */
export function fetchResultText(r: FetchRoundResult): string {
  if (!r.ok) return r.error ?? 'Der Abruf ist gescheitert.';
  const parts = [`${messagesText(r.stored)} neu aufgenommen`];
  const one = (n: number, singular: string, plural: string) => `${messagesText(n)} ${n === 1 ? singular : plural}`;
  if (r.duplicate) parts.push(one(r.duplicate, 'war schon aufgenommen', 'waren schon aufgenommen'));
  if (r.held) parts.push(`${messagesText(r.held)} zurückgehalten`);
  if (r.failed) {
    parts.push(
      one(
        r.failed,
        'ließ sich nicht aufnehmen und wird später erneut versucht',
        'ließen sich nicht aufnehmen und werden später erneut versucht',
      ),
    );
  }
  const reset = r.uidValidityReset ? ' Der Ordner wurde auf dem Server neu angelegt und darum ganz neu gelesen.' : '';
  return `Abruf abgeschlossen: ${parts.join(', ')}. Rückstand: ${messagesText(r.backlog)}.${reset}${r.notice ? ` ${r.notice}` : ''}`;
}
