import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { composeMail, OWN, rawMail } from '../../../../test/helpers/raw-mail.ts';
import { textProblem } from '../../../infra/text-input.ts';
import { parseMail, TEXT_MAX } from './parse.ts';

describe('parseMail: headers and plain bodies', () => {
  it('reads a plain mail into one clean shape', async () => {
    const raw = await composeMail({
      subject: 'Laterne defekt',
      text: 'Guten Tag,\n\ndie Laterne vor Hausnummer 12 ist seit Tagen dunkel.\n\nErika Mustermann',
      messageId: '<abc.123@example.org>',
      date: new Date('2026-12-01T09:00:00Z'),
    });
    const mail = await parseMail(raw, OWN);
    expect(mail.messageId).toBe('<abc.123@example.org>');
    expect(mail.externalId).toBe('<abc.123@example.org>');
    expect(mail.rawHash).toBe(createHash('sha256').update(raw).digest('hex'));
    expect(mail.subject).toBe('Laterne defekt');
    expect(mail.from).toEqual({ address: 'erika@example.org', name: 'Erika Mustermann' });
    expect(mail.date?.toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(mail.text).toBe('Guten Tag,\n\ndie Laterne vor Hausnummer 12 ist seit Tagen dunkel.\n\nErika Mustermann');
    expect(mail.visibleText).toBe(mail.text);
    expect(mail).toMatchObject({ html: null, attachments: [], automated: null, bounce: null, unassigned: null, problems: [] });
  });

  it('takes the text part of multipart/alternative and keeps the HTML for the original view', async () => {
    const mail = await parseMail(await composeMail({ subject: 'Müll', text: 'Müll am Bach', html: '<p>Müll am <b>Bach</b></p>' }), OWN);
    expect(mail.text).toBe('Müll am Bach');
    expect(mail.html).toBe('<p>Müll am <b>Bach</b></p>');
  });

  it('decodes quoted-printable and base64 bodies', async () => {
    const qp = await composeMail({ text: { content: 'Straße – ärgerlich ✓\n'.repeat(3) }, textEncoding: 'quoted-printable' });
    expect(qp.toString()).toContain('quoted-printable');
    expect((await parseMail(qp, OWN)).text).toBe('Straße – ärgerlich ✓\n'.repeat(3).trim());
    const b64 = await composeMail({ text: 'Straße – ärgerlich ✓', textEncoding: 'base64' });
    expect(b64.toString()).toContain('base64');
    expect((await parseMail(b64, OWN)).text).toBe('Straße – ärgerlich ✓');
  });

  it.each([
    ['ISO-8859-1', 'iso-8859-1', 'Grüße aus der Straße'],
    ['Windows-1252 (€ and „quotes“ are not in Latin-1)', 'windows-1252', '„Gehweg“ kostet 5 €'],
  ])('reads %s', async (_name, charset, text) => {
    const bytes = charset === 'iso-8859-1' ? Buffer.from(text, 'latin1') : Buffer.from(encode1252(text));
    const raw = Buffer.concat([
      rawMail(`From: a@example.org\nSubject: x\nContent-Type: text/plain; charset=${charset}\nContent-Transfer-Encoding: 8bit\n\n`),
      bytes,
    ]);
    const mail = await parseMail(raw, OWN);
    expect(mail.text).toBe(text);
    expect(mail.problems).toEqual([]);
  });

  it('reads an unknown charset as well as it can and says so', async () => {
    const raw = Buffer.concat([
      rawMail('From: a@example.org\nSubject: x\nContent-Type: text/plain; charset=x-foo\n\n'),
      Buffer.from('Grüße aus der Straße', 'latin1'),
    ]);
    const mail = await parseMail(raw, OWN);
    expect(mail.text).toBe('Grüße aus der Straße');
    expect(mail.problems).toEqual(['Unbekannter Zeichensatz „x-foo“: Der Text wurde so gut wie möglich gelesen.']);
  });

  it.each([
    ['AW: [2026-00042] Ihre Meldung', '2026-00042'],
    ['Re: Anliegen 2026-00042 – Nachtrag', '2026-00042'],
    ['WG: anliegen Nr. 2025-123456', '2025-123456'],
    ['Meldung vom 2026-12-01', null],
  ])('finds the case number in %j', async (subject, number) => {
    expect((await parseMail(await composeMail({ subject, text: 'x' }), OWN)).caseNumberInSubject).toBe(number);
  });

  it('keeps an injected header out of the subject and the sender name, as one line', async () => {
    const encoded = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;
    const raw = rawMail(
      `From: ${encoded('Erika\r\nBcc: x@y.example')} <erika@example.org>\nSubject: ${encoded('Hallo\r\nBcc: x@y.example\u0000\u202E')}\n\nText`,
    );
    const mail = await parseMail(raw, OWN);
    expect(mail.subject).toBe('Hallo Bcc: x@y.example');
    expect(mail.from).toEqual({ address: 'erika@example.org', name: 'Erika Bcc: x@y.example' });
  });

  it('caps a long subject at 300 characters', async () => {
    expect((await parseMail(await composeMail({ subject: 'a'.repeat(1000), text: 'x' }), OWN)).subject).toHaveLength(300);
  });

  it('normalises Message-ID, In-Reply-To and References and drops garbage', async () => {
    const refs = ['<r1@x>', 'garbage', '<r2@x>', '<r1@x>', '<no-at-sign>', ...Array.from({ length: 60 }, (_, i) => `<n${i}@x>`)];
    const raw = rawMail(
      `From: a@example.org\nMessage-ID:   <  >\nIn-Reply-To: Ihre Mail <r2@x> vom Montag\nReferences: ${refs.join('\n ')}\nSubject: x\n\nText`,
    );
    const mail = await parseMail(raw, OWN);
    expect(mail.messageId).toBeNull();
    expect(mail.externalId).toBe(`sha256:${mail.rawHash}`);
    expect(mail.inReplyTo).toBe('<r2@x>');
    expect(mail.references).toHaveLength(50);
    expect(mail.references.at(-1)).toBe('<n59@x>');
    expect(new Set(mail.references).size).toBe(50);
    expect(mail.references.every((r) => /^<[^<>\s]+@[^<>\s]+>$/.test(r))).toBe(true);

    const bare = await parseMail(rawMail('From: a@example.org\nMessage-ID: abc@example.org\nReferences: <r1@x> <r2@x> <r1@x>\n\nx'), OWN);
    expect(bare.messageId).toBe('<abc@example.org>');
    expect(bare.references).toEqual(['<r1@x>', '<r2@x>']);
  });

  it('gives no date for a missing or unreadable Date header', async () => {
    expect((await parseMail(rawMail('From: a@example.org\nDate: gestern irgendwann\n\nx'), OWN)).date).toBeNull();
    expect((await parseMail(rawMail('From: a@example.org\n\nx'), OWN)).date).toBeNull();
    const postfix = await parseMail(rawMail('From: a@example.org\nDate: Tue,  1 Dec 2026 10:00:05 +0100 (CET)\n\nx'), OWN);
    expect(postfix.date?.toISOString()).toBe('2026-12-01T09:00:05.000Z');
  });

  it('refuses a sender it could not answer to', async () => {
    const mail = await parseMail(rawMail('From: Erika <nicht-gueltig>\nSubject: x\n\nText'), OWN);
    expect(mail.from).toBeNull();
  });
});

describe('parseMail: never throws', () => {
  it('returns an empty mail for an empty buffer, with notes', async () => {
    const mail = await parseMail(Buffer.alloc(0), OWN);
    expect(mail.text).toBe('');
    expect(mail.externalId).toBe(`sha256:${createHash('sha256').digest('hex')}`);
    expect(mail.problems).toEqual(['Die Mail war leer (0 Bytes).']);
    expect(mail.unassigned).toBe('Die Mail enthält weder Text noch einen verwendbaren Anhang.');
  });

  it('survives random bytes and returns text the intake accepts', async () => {
    for (let i = 0; i < 20; i++) {
      const mail = await parseMail(randomBytes(4096), OWN);
      expect(textProblem(mail.text)).toBeNull();
      expect(textProblem(mail.subject)).toBeNull();
      expect(mail.visibleText === '').toBe(mail.text === '');
    }
  });

  it('notes broken MIME: parts announced but missing, or a mail that ends in the middle', async () => {
    const missing = await parseMail(
      rawMail('From: a@example.org\nContent-Type: multipart/mixed; boundary="b1"\n\nnur Text, keine Teile'),
      OWN,
    );
    expect(missing.problems[0]).toMatch(/^Die Mail war nicht sauber aufgebaut \(MIME\): Die angekündigten Teile fehlen/);
    expect(missing.text).toContain('nur Text');
    const cut = await parseMail(
      rawMail('From: a@example.org\nContent-Type: multipart/mixed; boundary="b1"\n\n--b1\nContent-Type: text/plain\n\nAnfang'),
      OWN,
    );
    expect(cut.problems[0]).toMatch(/unvollständig übertragen/);
    expect(cut.text).toBe('Anfang');
  });

  it('returns a 30 MB mail within a couple of seconds, the text cut with a note', async () => {
    const raw = await composeMail({ subject: 'Riesig', text: `${'Zeile mit Text, immer wieder.\n'.repeat(1_000_000)}` });
    expect(raw.length).toBeGreaterThan(30_000_000);
    const started = performance.now();
    const mail = await parseMail(raw, OWN);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(5000);
    expect(mail.text.length).toBeLessThanOrEqual(TEXT_MAX);
    expect(mail.text.length).toBeGreaterThan(TEXT_MAX - 100);
    expect(mail.problems).toContain('Der Text der Mail war länger als 20.000 Zeichen und wurde danach abgeschnitten.');
  });

  it('does not choke on HTML nested 20,000 levels deep or on a run of "<" without ">"', async () => {
    const deep = await parseMail(rawMail(`From: a@example.org\nContent-Type: text/html\n\n${'<div>'.repeat(20_000)}Hallo`), OWN);
    expect(deep.html).toBeNull();
    expect(deep.text).toBe('Hallo');
    expect(deep.problems).toEqual([
      'Die HTML-Fassung der Mail war zu tief verschachtelt und wird nicht angezeigt; der Text wurde übernommen.',
    ]);
    const open = await parseMail(rawMail(`From: a@example.org\nContent-Type: text/html\n\n${'<a'.repeat(200_000)}`), OWN);
    expect(textProblem(open.text)).toBeNull();
  });

  it('drops control characters and broken bytes from the text, and brings it to NFC', async () => {
    const raw = Buffer.concat([
      rawMail('From: a@example.org\nContent-Type: text/plain; charset=utf-8\n\n'),
      Buffer.from('A\u0000B\u001bC a\u0308 '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(' Ende'),
    ]);
    const mail = await parseMail(raw, OWN);
    expect(mail.text).toBe('ABC ä  Ende');
    expect(textProblem(mail.text)).toBeNull();
  });
});

/** Windows-1252 bytes for the few characters the test uses beyond Latin-1. */
function encode1252(text: string): Uint8Array {
  const extra: Record<string, number> = { '€': 0x80, '„': 0x84, '“': 0x93 };
  return Uint8Array.from([...text].map((c) => extra[c] ?? c.charCodeAt(0)));
}
