import { execFileSync } from 'node:child_process';
import PDFDocument from 'pdfkit';

/** A real PDF of `pages` A4 pages, each with a line of text, as a fax gateway would attach it. */
export function makePdf(pages: number, options: { userPassword?: string } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', ...options });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    for (let n = 1; n <= pages; n++) {
      if (n > 1) doc.addPage();
      doc.fontSize(24).text(`Seite ${n}: Die Straßenlaterne vor Hausnummer 12 ist seit einer Woche dunkel.`);
    }
    doc.end();
  });
}

/**
 * False when Poppler (pdftoppm, Debian package poppler-utils) is missing: outside CI the caller
 * skips, after a loud warning; with CI=true this throws, since CI installs it (.ci/run).
 */
export function popplerAvailable(): boolean {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    const message = 'pdftoppm fehlt (Debian-Paket poppler-utils): die Tests der Fax-Seiten werden übersprungen.';
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`\n⚠ ${message}\n`);
    return false;
  }
}
