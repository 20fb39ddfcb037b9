import PDFDocument from 'pdfkit';
import { A4, DIN5008 as D, pt } from './layout.ts';
import type { LetterParts } from './letter.ts';

/** Helvetica's built-in WinAnsi encoding covers the German letters (ä ö ü ß Ä Ö Ü „ “ –), so no font file is needed. */
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const SIZE = 11;
const PARAGRAPH_GAP = pt(4.2);

/** The letter as a PDF (A4, DIN 5008 Form B), laid out by the same numbers as the print view. */
export function letterPdf(parts: LetterParts, opts: { title: string; author: string; compress?: boolean }): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: pt(D.followingPageTop), bottom: pt(D.text.bottom), left: pt(D.text.left), right: pt(D.text.right) },
    bufferPages: true,
    compress: opts.compress ?? true,
    info: { Title: opts.title, Author: opts.author },
    lang: 'de-DE',
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  firstPageFrame(doc, parts);
  const width = pt(A4.width - D.text.left - D.text.right);
  doc.font(BOLD).fontSize(SIZE).text(parts.subject, pt(D.text.left), pt(D.subject.top), { width });
  doc.moveDown(1.5).font(REGULAR);
  const paragraph = (text: string) => doc.text(text, { width, paragraphGap: PARAGRAPH_GAP, lineGap: 1.5 });
  if (parts.salutation) paragraph(parts.salutation);
  for (const p of parts.paragraphs) paragraph(p);
  if (parts.closing) {
    paragraph(parts.closing);
    doc.moveDown(2);
  }
  for (const line of parts.signature) doc.text(line, { width });
  pageNumbers(doc);
  doc.end();
  return done;
}

/** Letterhead, return line, recipient, information block and the fold and hole marks of page one. */
function firstPageFrame(doc: PDFKit.PDFDocument, parts: LetterParts): void {
  const [town = '', ...head] = parts.letterhead;
  const headWidth = pt(A4.width - D.letterhead.left - D.letterhead.right);
  doc.font(BOLD).fontSize(16).text(town, pt(D.letterhead.left), pt(D.letterhead.top), { width: headWidth, align: 'right' });
  doc.font(REGULAR).fontSize(9);
  for (const line of head) doc.text(line, { width: headWidth, align: 'right' });

  doc.fontSize(7).text(parts.returnLine, pt(D.returnLine.left), pt(D.returnLine.top), {
    width: pt(D.returnLine.width),
    underline: true,
    lineBreak: false,
    ellipsis: true,
  });
  doc.fontSize(SIZE).text(parts.recipient.join('\n'), pt(D.recipient.left), pt(D.recipient.top), { width: pt(D.recipient.width) });

  doc.fontSize(9);
  let y = pt(D.infoBlock.top);
  const labelWidth = pt(28);
  for (const [label, value] of parts.info) {
    doc.text(label, pt(D.infoBlock.left), y, { width: labelWidth });
    doc.text(value, pt(D.infoBlock.left) + labelWidth, y, { width: pt(D.infoBlock.width) - labelWidth });
    y = doc.y + 1;
  }

  doc.lineWidth(0.5);
  for (const at of D.foldMarks) mark(doc, at, D.marks.foldLength);
  mark(doc, D.holeMark, D.marks.holeLength);
}

function mark(doc: PDFKit.PDFDocument, topMm: number, lengthMm: number): void {
  doc
    .moveTo(pt(D.marks.left), pt(topMm))
    .lineTo(pt(D.marks.left + lengthMm), pt(topMm))
    .stroke();
}

/** "Seite 1 von 2" at the foot of each page, when there is more than one (DIN 5008). */
function pageNumbers(doc: PDFKit.PDFDocument): void {
  const { start, count } = doc.bufferedPageRange();
  if (count < 2) return;
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing into the bottom margin would start a new page; lift the margin for this one line.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(REGULAR)
      .fontSize(8)
      .text(`Seite ${i - start + 1} von ${count}`, pt(D.text.left), pt(A4.height - 12), {
        width: pt(A4.width - D.text.left - D.text.right),
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
}
