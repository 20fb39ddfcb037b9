import PDFDocument from 'pdfkit';
import { dateTimeLabel } from './dates.ts';
import { noticeLabel } from './labels.ts';
import { plainParagraphs } from './markdown.ts';
import type { PublicPost } from './queries.ts';

/** Helvetica's built-in WinAnsi encoding covers the German letters, so no font file is needed (as for letters). */
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MM = 72 / 25.4;

/**
 * An official notice as an A4 PDF: the town, number, title, publication time, the text, and the
 * SHA-256 with the address where anyone can check it. The same facts as the print view.
 */
export function noticePdf(p: { post: PublicPost; townName: string; url: string; checkUrl: string; compress?: boolean }): Promise<Buffer> {
  const number = noticeLabel(p.post);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 25 * MM, bottom: 20 * MM, left: 25 * MM, right: 20 * MM },
    bufferPages: true,
    compress: p.compress ?? true,
    info: { Title: `Amtliche Bekanntmachung ${number ?? ''}: ${p.post.title}`, Author: `Stadt ${p.townName}` },
    lang: 'de-DE',
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font(BOLD).fontSize(10).text(`Stadt ${p.townName} · Amtsblatt`);
  doc.moveDown(1.5);
  doc
    .font(BOLD)
    .fontSize(12)
    .text(`Amtliche Bekanntmachung ${number ?? ''}`);
  doc.font(BOLD).fontSize(16).text(p.post.title);
  doc.moveDown(0.5);
  doc
    .font(REGULAR)
    .fontSize(10)
    .text(`Veröffentlicht am ${dateTimeLabel(p.post.publishedAt)}`);
  doc.moveDown(1);
  doc.fontSize(11);
  for (const para of plainParagraphs(p.post.body)) doc.text(para, { paragraphGap: 6, lineGap: 1.5 });
  doc.moveDown(1.5);
  doc.fontSize(8).font(BOLD).text('Prüfsumme (SHA-256) des veröffentlichten Inhalts');
  doc.font('Courier').text(p.post.contentSha256 ?? '—');
  doc.font(REGULAR).text(`Prüfen: ${p.checkUrl}`);
  doc.text(`Dauerhafte Adresse: ${p.url}`);
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.height - 12 * MM;
    doc
      .fontSize(8)
      .font(REGULAR)
      .text(`Seite ${i - range.start + 1} von ${range.count}`, 25 * MM, bottom, {
        width: doc.page.width - 45 * MM,
        align: 'right',
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}
