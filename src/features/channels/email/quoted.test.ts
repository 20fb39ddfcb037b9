import { describe, expect, it } from 'vitest';
import { composeMail, OWN } from '../../../../test/helpers/raw-mail.ts';
import { parseMail } from './parse.ts';
import { visiblePart } from './quoted.ts';

const answer = 'Guten Tag,\n\ndie Laterne ist schon wieder dunkel.\n\nViele Grüße\nErika Mustermann';

describe('visible text of a reply', () => {
  it('folds out a Thunderbird quote ("Am … um … schrieb …:" and "> " lines) and the "-- " signature', async () => {
    const text = `${answer}\n\n-- \nErika Mustermann\nLindenstraße 12, 12345 Musterstadt\n\nAm 01.12.2026 um 10:00 schrieb Stadt Musterstadt:\n> Ihre Meldung [2026-00042] ist bei uns eingegangen.\n> Wir kümmern uns darum.`;
    const mail = await parseMail(await composeMail({ subject: 'Re: [2026-00042] Ihre Meldung', text }), OWN);
    expect(mail.text).toBe(text);
    expect(mail.visibleText).toBe(answer);
  });

  it('folds out a quote header wrapped over two lines with the address', () => {
    const text = `${answer}\n\nAm 01.12.2026 um 10:00 schrieb Stadt Musterstadt\n<buergerservice@musterstadt.de>:\n> Ihre Meldung ist eingegangen.`;
    expect(visiblePart(text)).toBe(answer);
  });

  it('folds out an Outlook block "Von: … Gesendet: …" even without an address, and the underscore rule', () => {
    const outlook = `${answer}\n\n________________________________\nVon: Stadt Musterstadt\nGesendet: Dienstag, 1. Dezember 2026 10:00\nAn: Erika Mustermann\nBetreff: [2026-00042] Ihre Meldung\n\nIhre Meldung ist eingegangen.`;
    expect(visiblePart(outlook)).toBe(answer);
    const noRule = `${answer}\n\nVon: Stadt Musterstadt\nGesendet: Dienstag, 1. Dezember 2026 10:00\nAn: Erika Mustermann\nBetreff: Ihre Meldung\n\nIhre Meldung ist eingegangen.`;
    expect(visiblePart(noRule)).toBe(answer);
    const bare = `${answer}\n\nVon: Stadt Musterstadt <buergerservice@musterstadt.de>\nGesendet: Dienstag, 1. Dezember 2026 10:00\nAn: erika@example.org\nBetreff: AW: Ihre Meldung\n\nIhre Meldung ist eingegangen.`;
    expect(visiblePart(bare)).toBe(answer);
  });

  it('folds out the quoted block of an HTML-only Outlook reply', async () => {
    const html = `<div><p>Danke, die Laterne brennt wieder.</p><p>Erika Mustermann</p></div>
<div style="border-top:solid #E1E1E1 1pt"><p><b>Von:</b> Stadt Musterstadt &lt;buergerservice@musterstadt.de&gt;<br>
<b>Gesendet:</b> Dienstag, 1. Dezember 2026 10:00<br><b>An:</b> Erika Mustermann<br><b>Betreff:</b> [2026-00042] Ihre Meldung</p></div>
<p>Ihre Meldung ist eingegangen.</p>`;
    const mail = await parseMail(await composeMail({ subject: 'AW: [2026-00042] Ihre Meldung', html }), OWN);
    expect(mail.text).toContain('Ihre Meldung ist eingegangen.');
    expect(mail.visibleText).toBe('Danke, die Laterne brennt wieder.\n\nErika Mustermann');
  });

  it('folds out "-----Original Message-----" and "-----Ursprüngliche Nachricht-----"', () => {
    for (const marker of ['-----Original Message-----', '-----Ursprüngliche Nachricht-----']) {
      expect(visiblePart(`${answer}\n\n${marker}\nFrom: Stadt Musterstadt\nSent: Tuesday\n\nIhre Meldung ist eingegangen.`)).toBe(answer);
    }
  });

  it('keeps a "Von:" line that is part of what the citizen wrote', () => {
    const text = 'Die Beschwerde kommt nicht von mir.\nVon: meinem Nachbarn, der es mir erzählt hat.';
    expect(visiblePart(text)).toBe(text);
  });

  it('is never empty when the text is not: a mail that is all quote or all signature shows all of it', () => {
    expect(visiblePart('> nur ein Zitat\n> sonst nichts')).toBe('> nur ein Zitat\n> sonst nichts');
    expect(visiblePart('-- \nnur eine Signatur')).toBe('-- \nnur eine Signatur');
    expect(visiblePart('   ')).toBe('');
  });
});
