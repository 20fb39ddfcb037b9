import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makePdf, popplerAvailable } from '../../test/helpers/pdf.ts';
import { parsePdfInfo, renderPdfPages } from './pdf-pages.ts';

const hasPoppler = popplerAvailable();

/** One page of 200 × 200 inches, the largest a PDF may declare. */
function hugePage(): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: [14_400, 14_400] });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.fontSize(400).text('Plakat');
    doc.end();
  });
}

describe('renderPdfPages (Poppler)', () => {
  it('reads the page count and the largest page edge from pdfinfo', () => {
    const out =
      'Pages:           2\nEncrypted:       no\nPage    1 size:  595.28 x 841.89 pts (A4)\nPage    2 size:  1190.55 x 841.89 pts (A3)\n';
    expect(parsePdfInfo(out)).toEqual({ pageCount: 2, longestEdge: 1190.55 });
    expect(parsePdfInfo('Syntax Error')).toBeNull();
  });

  it.skipIf(!hasPoppler)('draws A4 pages at 100 dpi (827 × 1170 pixels), one PNG per page, and no more than asked for', async () => {
    const result = await renderPdfPages(await makePdf(3), { maxPages: 2 });
    if (!result.ok) throw new Error(result.problem);
    expect(result.pageCount).toBe(3);
    expect(result.pages).toHaveLength(2);
    expect(await sharp(result.pages[0]).metadata()).toMatchObject({ format: 'png', width: 827, height: 1170 });
  });

  it.skipIf(!hasPoppler)('draws a giant page at a lower resolution, within the photo edge', async () => {
    const result = await renderPdfPages(await hugePage());
    if (!result.ok) throw new Error(result.problem);
    const meta = await sharp(result.pages[0]).metadata();
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(2560);
  });

  it.skipIf(!hasPoppler)('tells an encrypted PDF from a broken one, and stops at the time limit', async () => {
    expect(await renderPdfPages(await makePdf(1, { userPassword: 'geheim' }))).toEqual({ ok: false, problem: 'encrypted' });
    expect(await renderPdfPages(Buffer.from('%PDF-1.7\nkaputt'))).toEqual({ ok: false, problem: 'broken' });
    expect(await renderPdfPages(await makePdf(20), { timeoutMs: 1 })).toEqual({ ok: false, problem: 'timeout' });
  });
});
