import { AppError } from '../../../infra/errors.ts';
import type { Logger } from '../../../infra/log.ts';
import { type PdfPages, renderPdfPages } from '../../../infra/pdf-pages.ts';
import type { Storage } from '../../../infra/storage.ts';
import type { StoredPhoto } from '../../intake/inbound.ts';
import { processAndStorePhotos } from '../../intake/photos.ts';

/**
 * A fax's PDF as page images, drawn once when the mail comes in and stored as the case's photos
 * (with thumbnails, through the photo pipeline), so the case page shows the pages like any photo
 * and nothing renders while staff wait. The PDF itself stays attached as sent.
 */

/** Pages shown as images per fax; the PDF holds all of them. */
export const FAX_MAX_PAGES = 20;

export interface FaxPages {
  photos: StoredPhoto[];
  /** Pages of the PDFs Poppler could read; null when none could be read. */
  pageCount: number | null;
  notes: string[];
}

const pagesText = (n: number) => `${n.toLocaleString('de-DE')} ${n === 1 ? 'Seite' : 'Seiten'}`;

function problemNote(problem: Exclude<PdfPages, { ok: true }>['problem'], filename: string): string {
  const kept = 'Das PDF liegt dem Anliegen bei.';
  switch (problem) {
    case 'encrypted':
      return `Das Fax „${filename}“ ist mit einem Passwort geschützt, seine Seiten lassen sich nicht als Bilder zeigen. ${kept}`;
    case 'broken':
      return `Das Fax „${filename}“ ist beschädigt oder kein lesbares PDF, seine Seiten lassen sich nicht als Bilder zeigen. ${kept}`;
    case 'timeout':
      return `Die Seiten des Faxes „${filename}“ ließen sich nicht rechtzeitig als Bilder aufbereiten. ${kept}`;
    case 'missing':
      return `Die Seiten des Faxes lassen sich nicht als Bilder zeigen: Auf dem Server fehlt das Programm pdftoppm (Debian-Paket poppler-utils). ${kept}`;
  }
}

export async function storeFaxPages(
  deps: { storage: Storage; log: Logger },
  pdfs: readonly { filename: string; content: Buffer }[],
  maxPages = FAX_MAX_PAGES,
): Promise<FaxPages> {
  const photos: StoredPhoto[] = [];
  const notes: string[] = [];
  let pageCount: number | null = null;
  for (const pdf of pdfs) {
    const room = maxPages - photos.length;
    const rendered = await renderPdfPages(pdf.content, { maxPages: Math.max(1, room) });
    if (!rendered.ok) {
      if (rendered.problem === 'missing') {
        deps.log.error('pdftoppm/pdfinfo not found: install poppler-utils, fax pages are not shown as images');
      } else {
        deps.log.warn({ problem: rendered.problem }, 'fax PDF not rendered');
      }
      notes.push(problemNote(rendered.problem, pdf.filename));
      continue;
    }
    pageCount = (pageCount ?? 0) + rendered.pageCount;
    const pages = room > 0 ? rendered.pages.slice(0, room) : [];
    try {
      photos.push(...(await processAndStorePhotos(deps.storage, pages)).photos);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'Invalid')) throw err;
      notes.push(`Die Seiten des Faxes „${pdf.filename}“ ließen sich nicht als Bilder speichern. Das PDF liegt dem Anliegen bei.`);
      continue;
    }
    if (pages.length < rendered.pageCount) {
      const shown = pages.length > 0 ? `als Bilder gezeigt werden die ersten ${pages.length}` : 'als Bilder gezeigt wird keine mehr';
      notes.push(
        `Das Fax „${pdf.filename}“ hat ${pagesText(rendered.pageCount)}; ${shown} (höchstens ${maxPages} je Fax). Alle Seiten stehen im PDF.`,
      );
    }
  }
  return { photos, pageCount, notes };
}

/** The first line of a fax's description: "Fax mit 2 Seiten". */
export function faxHeadline(pages: FaxPages, pdfCount: number): string {
  if (pdfCount === 0) return 'Fax ohne PDF';
  if (pages.pageCount === null) return 'Fax (die Seiten ließen sich nicht lesen, siehe PDF im Anhang)';
  return `Fax mit ${pagesText(pages.pageCount)}`;
}
