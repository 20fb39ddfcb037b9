import { describe, expect, it } from 'vitest';
import { composeMail, OWN, rawMail } from '../../../../test/helpers/raw-mail.ts';
import { parseMail } from './parse.ts';

const withHeaders = (headers: string, from = 'Erika <erika@example.org>') =>
  rawMail(
    `From: ${from}\nTo: buergerservice@musterstadt.de\nSubject: Laterne\n${headers}\nContent-Type: text/plain; charset=utf-8\n\nDie Laterne ist dunkel.`,
  );

describe('automated: when we must not answer (RFC 3834)', () => {
  it('answers an ordinary citizen mail, also one that says Auto-Submitted: no', async () => {
    expect((await parseMail(withHeaders('X-Mailer: Thunderbird'), OWN)).automated).toBeNull();
    expect((await parseMail(withHeaders('Auto-Submitted: no'), OWN)).automated).toBeNull();
    expect((await parseMail(withHeaders('X-Auto-Response-Suppress: None'), OWN)).automated).toBeNull();
  });

  it.each([
    ['Auto-Submitted: auto-replied', /Auto-Submitted: auto-replied/],
    ['Auto-Submitted: auto-generated; owner-email="x@y"', /automatisch erzeugt/],
    ['Precedence: bulk', /Precedence: bulk/],
    ['Precedence: list', /Precedence: list/],
    ['Precedence: junk', /Precedence: junk/],
    ['List-Id: Stadtnachrichten <news.musterstadt.example>', /Mailingliste/],
    ['List-Unsubscribe: <mailto:leave@news.example>', /Newsletter/],
    ['X-Auto-Response-Suppress: All', /X-Auto-Response-Suppress/],
    ['X-Loop: amtsblatt-musterstadt', /X-Loop/],
    ['X-Loop: buergerservice@musterstadt.de', /X-Loop/],
  ])('%s', async (header, reason) => {
    const mail = await parseMail(withHeaders(header), { ...OWN, loopMarker: 'amtsblatt-musterstadt' });
    expect(mail.automated).toMatch(reason);
  });

  it.each([
    'MAILER-DAEMON@mx.example.org',
    'postmaster@example.org',
    'no-reply@shop.example',
    'noreply@shop.example',
    'do-not-reply@shop.example',
  ])('does not answer %s', async (address) => {
    expect((await parseMail(withHeaders('', address), OWN)).automated).toBe(
      `Der Absender ${address.toLowerCase()} ist eine Adresse, die keine Antworten annimmt.`,
    );
  });

  it('does not answer mail from our own domains, subdomains included', async () => {
    for (const address of ['leitstelle@musterstadt.de', 'system@mail.musterstadt.de']) {
      expect((await parseMail(withHeaders('', address), OWN)).automated).toMatch(/eigenen Adresse .* Mailschleife/);
    }
    expect((await parseMail(withHeaders('', 'erika@nicht-musterstadt.de'), OWN)).automated).toBeNull();
  });

  it('does not answer a mail without a usable sender', async () => {
    expect((await parseMail(withHeaders('', 'kaputt'), OWN)).automated).toMatch(/keinen verwendbaren Absender/);
  });
});

describe('unassigned: a person looks first', () => {
  it.each([
    ['X-Spam-Flag: YES', 'Der Spamfilter hat die Mail als Spam markiert.'],
    ['X-Spam-Status: Yes, score=9.1 required=5.0', 'Der Spamfilter hat die Mail als Spam markiert.'],
    ['X-Spam: Yes', 'Der Spamfilter hat die Mail als Spam markiert.'],
    ['X-MS-Exchange-Organization-SCL: 7', 'Der Spamfilter hat die Mail als Spam markiert.'],
    ['List-Unsubscribe: <https://news.example/abmelden>', 'Die Mail sieht nach einem Newsletter oder einer Listenmail aus.'],
    ['Precedence: bulk', 'Die Mail ist als Massen- oder Listenmail gekennzeichnet.'],
  ])('%s', async (header, reason) => {
    expect((await parseMail(withHeaders(header), OWN)).unassigned).toBe(reason);
  });

  it('leaves ordinary mail and a spam check that said no to the teams', async () => {
    expect((await parseMail(withHeaders('X-Spam-Status: No, score=0.3'), OWN)).unassigned).toBeNull();
    expect((await parseMail(withHeaders('X-Spam-Flag: NO\nX-MS-Exchange-Organization-SCL: 1'), OWN)).unassigned).toBeNull();
  });

  it('sends an empty mail there, but not an empty mail with a PDF', async () => {
    const empty = await parseMail(await composeMail({ subject: 'Leer', text: '   \n\n' }), OWN);
    expect(empty.text).toBe('');
    expect(empty.visibleText).toBe('');
    expect(empty.unassigned).toBe('Die Mail enthält weder Text noch einen verwendbaren Anhang.');
    const pdfOnly = await parseMail(
      await composeMail({
        subject: 'Antrag',
        attachments: [{ filename: 'antrag.pdf', content: Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n%%EOF') }],
      }),
      OWN,
    );
    expect(pdfOnly.unassigned).toBeNull();
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const logoOnly = await parseMail(
      await composeMail({ html: '<img src="cid:logo@x">', attachments: [{ filename: 'logo.png', content: png, cid: 'logo@x' }] }),
      OWN,
    );
    expect(logoOnly.attachments).toMatchObject([{ inline: true }]);
    expect(logoOnly.unassigned).toBe('Die Mail enthält weder Text noch einen verwendbaren Anhang.');
  });
});
