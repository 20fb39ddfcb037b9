/**
 * A varied box of citizen mails for the mail benchmarks (mail-crash.ts, mail-intake.ts), built the
 * way mail programs write them (nodemailer's composer), with what each one should become:
 * plain text, HTML, a small JPEG photo, a PDF, replies to earlier mails (In-Reply-To/References),
 * a few without Message-ID, a few resent with a Message-ID seen before, and a few newsletters
 * and spam that wait in "Nicht zugeordnet".
 */
import sharp from 'sharp';
import { composeMail } from '../test/helpers/raw-mail.ts';

export type MailKind = 'plain' | 'html' | 'jpeg' | 'pdf' | 'reply' | 'no-id' | 'repeat' | 'newsletter' | 'spam';

export interface CorpusMail {
  n: number;
  kind: MailKind;
  raw: Buffer;
  /** The Message-ID with its brackets (as parseMail gives it), or null when the mail has none. */
  messageId: string | null;
  /** Unique text in the body (how a mail without Message-ID is found again). */
  token: string;
  /** What the intake should make of it: a new case, a follow-up in the case of `root`, held, or nothing (a repeat). */
  expect: { fate: 'case' } | { fate: 'followup'; root: string; parent: string } | { fate: 'held' } | { fate: 'repeat'; of: string };
}

const STREETS = ['Hauptstraße', 'Bahnhofstraße', 'Gartenweg', 'Lindenallee', 'Am Markt', 'Schulstraße', 'Mühlenweg'];
const ISSUES = [
  'Die Straßenlaterne ist seit Tagen dunkel.',
  'Ein Schlagloch auf der Fahrbahn, etwa 20 cm tief.',
  'Der Mülleimer an der Bushaltestelle quillt über.',
  'Auf dem Spielplatz ist die Schaukel kaputt.',
  'Wilder Müll am Straßenrand: Sperrmüll und Farbeimer.',
  'Die Ampel an der Kreuzung zeigt dauerhaft Rot.',
];

/** A valid one-page PDF of a few hundred bytes (xref offsets computed, so readers accept it). */
export function tinyPdf(text: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length + 30} >>\nstream\nBT /F1 12 Tf 72 770 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A 320×240 JPEG (about 2 KB): a photo the photo pipeline decodes, strips and re-encodes. */
export async function smallJpeg(seed: number): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r: (seed * 37) % 256, g: 120, b: 80 } } })
    .jpeg({ quality: 70 })
    .toBuffer();
}

const withoutMessageId = (raw: Buffer): Buffer => {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = text
    .slice(0, end)
    .replace(/^Message-ID:[^\r\n]*(\r\n[ \t][^\r\n]*)*\r\n/im, '')
    .replace(/\r\nMessage-ID:[^\r\n]*(\r\n[ \t][^\r\n]*)*/i, '');
  return Buffer.from(head + text.slice(end), 'latin1');
};

/**
 * `count` mails; the mix repeats every 20: 7 plain, 2 HTML, 2 with a JPEG, 2 with a PDF, 7 replies
 * to an earlier case mail (or to a reply, so threads grow), then per 100 one without Message-ID,
 * two resent (one byte for byte, one with other text), one newsletter and one spam mail.
 */
export async function buildCorpus(count: number, domain = 'buerger.example'): Promise<CorpusMail[]> {
  const jpeg = await smallJpeg(1);
  const mails: CorpusMail[] = [];
  const threadable: { id: string; root: string; subject: string; refs: string[] }[] = [];
  let randomState = 42;
  const random = () => {
    randomState = (randomState * 1103515245 + 12345) % 2 ** 31;
    return randomState / 2 ** 31;
  };
  for (let n = 1; n <= count; n++) {
    const slot = n % 100;
    const kind: MailKind =
      slot === 13
        ? 'no-id'
        : slot === 37 || slot === 71
          ? 'repeat'
          : slot === 55
            ? 'newsletter'
            : slot === 89
              ? 'spam'
              : ((['plain', 'plain', 'plain', 'plain', 'plain', 'plain', 'plain', 'html', 'html', 'jpeg', 'jpeg', 'pdf', 'pdf'] as const)[
                  n % 20
                ] ?? (threadable.length > 0 ? 'reply' : 'plain'));
    const token = `Kennung-M${n}.${domain}`;
    const issue = `${ISSUES[n % ISSUES.length]} ${STREETS[n % STREETS.length]} ${(n % 90) + 1}. ${token}`;
    const from = `Bürgerin ${n % 300} <person${n % 300}@${domain}>`;
    const messageId = `<m${n}.${domain}@mail.${domain}>`;
    const base = { from, date: new Date(Date.UTC(2026, 10, 1, 8, 0, n % 60)), messageId };

    if (kind === 'repeat') {
      const earlier = mails.filter((m) => m.expect.fate === 'case' && m.messageId)[Math.floor(random() * (n / 2))] ?? mails[0];
      if (!earlier?.messageId) throw new Error('no mail to repeat');
      const raw =
        slot === 37
          ? earlier.raw
          : await composeMail({ ...base, messageId: earlier.messageId, subject: 'Nochmal gesendet', text: `Ein zweites Mal. ${token}` });
      mails.push({ n, kind, raw, messageId: earlier.messageId, token, expect: { fate: 'repeat', of: earlier.messageId } });
      continue;
    }
    if (kind === 'reply') {
      const parent = threadable[Math.floor(random() * threadable.length)];
      if (!parent) throw new Error('no mail to answer');
      const refs = [...parent.refs, parent.id];
      const raw = await composeMail({
        ...base,
        subject: `Re: ${parent.subject}`,
        inReplyTo: parent.id,
        references: refs,
        text: `Nachtrag: es ist immer noch so. ${token}\n\nAm 01.11.2026 schrieb ich:\n> ${parent.subject}\n`,
      });
      mails.push({ n, kind, raw, messageId, token, expect: { fate: 'followup', root: parent.root, parent: parent.id } });
      threadable.push({ id: messageId, root: parent.root, subject: parent.subject, refs });
      continue;
    }
    const subject = `Meldung ${n}: ${STREETS[n % STREETS.length]}`;
    const options =
      kind === 'html'
        ? { html: `<html><body><p><b>Hallo,</b></p><p>${issue}</p><p>Mit freundlichen Grüßen</p></body></html>` }
        : kind === 'jpeg'
          ? { text: issue, attachments: [{ filename: `foto-${n}.jpg`, content: jpeg, contentType: 'image/jpeg' }] }
          : kind === 'pdf'
            ? {
                text: issue,
                attachments: [{ filename: `schreiben-${n}.pdf`, content: tinyPdf(`Schreiben ${n}`), contentType: 'application/pdf' }],
              }
            : { text: issue };
    const headers =
      kind === 'newsletter'
        ? { 'List-Unsubscribe': `<mailto:abmelden@${domain}>`, 'List-Id': `<news.${domain}>` }
        : kind === 'spam'
          ? { 'X-Spam-Flag': 'YES' }
          : {};
    const composed = await composeMail({ ...base, subject, headers, ...options });
    if (kind === 'no-id') {
      mails.push({ n, kind, raw: withoutMessageId(composed), messageId: null, token, expect: { fate: 'case' } });
      continue;
    }
    const held = kind === 'newsletter' || kind === 'spam';
    mails.push({ n, kind, raw: composed, messageId, token, expect: held ? { fate: 'held' } : { fate: 'case' } });
    if (!held) threadable.push({ id: messageId, root: messageId, subject, refs: [] });
  }
  return mails;
}
