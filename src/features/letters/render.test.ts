import { describe, expect, it } from 'vitest';
import { type LetterInput, letterDocument } from './render.tsx';

const base: LetterInput = {
  letterhead: {
    lines: ['Stadt Musterstadt', 'Bürgerservice', 'Marktstätte 1', '78462 Musterstadt'],
    phone: '07531 900-0',
    email: 'anliegen@musterstadt.example',
  },
  recipient: { name: 'Jürgen Müßig', lines: ['Hafenstraße 3', '78462 Musterstadt'] },
  date: new Date('2026-03-12T09:00:00Z'),
  subject: 'Ihr Anliegen 2026-00042: Straßenbeleuchtung – Äpfel Öl Übel ß',
  caseNumber: '2026-00042',
  body: 'die Laterne vor Ihrem Haus leuchtet wieder.\n\nDanke für Ihren Hinweis.',
  signer: { name: 'Lea Leitstelle', team: 'Tiefbauamt' },
};

/** The text a PDF shows, from its uncompressed content streams: hex strings of Tj/TJ, WinAnsi. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  for (const m of raw.matchAll(/\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj/g)) {
    const hexes = m[1] ? [...m[1].matchAll(/<([0-9a-fA-F]+)>/g)].map((h) => h[1] ?? '') : [m[2] ?? ''];
    lines.push(hexes.map((h) => Buffer.from(h, 'hex').toString('latin1')).join(''));
  }
  return lines.join('\n');
}
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

describe('letterDocument: DIN 5008 Form B', () => {
  it('places the print view in millimetres: address field at 45 mm in an 85 × 45 mm window, info block, marks, @page A4', () => {
    const { html } = letterDocument(base);
    expect(html).toContain('@page { size: A4;');
    expect(html).toMatch(/\.address-field \{ position: absolute; top: 45mm; left: 20mm; width: 85mm; height: 45mm; \}/);
    expect(html).toMatch(/\.info-block \{ position: absolute; top: 50mm; left: 125mm;/);
    expect(html).toContain('style="top: 105mm"');
    expect(html).toContain('style="top: 210mm"');
    expect(html).toContain('class="mark mark--hole" style="top: 148.5mm"');
    expect(html).toMatch(/\.sheet \{ position: relative; width: 210mm; padding: 98.46mm 20mm 0 25mm; \}/);
  });

  it('shows letterhead, return line, recipient, reference, date, contact, bold subject without "Betreff:", greeting, closing, signer', () => {
    const { html } = letterDocument(base);
    expect(html).toContain('<p class="return-line">Stadt Musterstadt · Bürgerservice · Marktstätte 1 · 78462 Musterstadt</p>');
    expect(html).toContain('Jürgen Müßig</span><span><br/>Hafenstraße 3</span><span><br/>78462 Musterstadt');
    expect(html).toContain('<dt>Ihr/Unser Zeichen</dt><dd>2026-00042</dd>');
    expect(html).toContain('<dt>Datum</dt><dd>12.03.2026</dd>');
    expect(html).toContain('<dt>Ansprechpartner</dt><dd>Lea Leitstelle</dd>');
    expect(html).toContain(`<h1 class="subject">${base.subject}</h1>`);
    expect(html).not.toContain('Betreff');
    expect(html).toContain('<p>Guten Tag Jürgen Müßig,</p>');
    expect(html).toContain('<p class="closing">Mit freundlichen Grüßen</p>');
    expect(html).toContain('<p class="signature">Lea Leitstelle\nTiefbauamt</p>');
  });

  it('escapes what the letter says and keeps a greeting or closing the reply already has', () => {
    const { html, parts } = letterDocument({
      ...base,
      recipient: { name: '', lines: ['<b>Weg</b> 1'] },
      body: 'Sehr geehrte Frau Müßig,\n\n<script>alert(1)</script>\n\nMit freundlichen Grüßen\nIhr Tiefbauamt',
    });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(html).toContain('&lt;b>Weg&lt;/b> 1');
    expect(parts.salutation).toBe('Sehr geehrte Frau Müßig,');
    expect(parts.closing).toBeNull();
    expect(parts.signature).toEqual([]);
    expect(letterDocument({ ...base, recipient: { name: '', lines: ['Weg 1'] } }).parts.salutation).toBe('Sehr geehrte Damen und Herren,');
  });

  it('makes a PDF of one page for a short letter with the subject and the umlauts in WinAnsi', async () => {
    const pdf = await letterDocument(base).pdf({ compress: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pageCount(pdf)).toBe(1);
    const text = pdfText(pdf);
    expect(text).toContain('Ihr Anliegen 2026-00042: Straßenbeleuchtung');
    expect(text).toContain('Äpfel Öl Übel ß');
    expect(text).toContain('Jürgen Müßig');
    expect(text).toContain('Mit freundlichen Grüßen');
    expect(text).not.toContain('Seite 1 von');
  });

  it('makes two pages for a long letter, numbered', async () => {
    const long = Array.from(
      { length: 14 },
      (_, i) => `Absatz ${i + 1}: ${'Die Arbeiten an der Straße dauern länger als geplant. '.repeat(4)}`,
    );
    const pdf = await letterDocument({ ...base, body: long.join('\n\n') }).pdf({ compress: false });
    expect(pageCount(pdf)).toBe(2);
    expect(pdfText(pdf)).toContain('Seite 2 von 2');
    expect((await letterDocument(base).pdf()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
