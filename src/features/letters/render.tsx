import { renderPage } from '../../ui/render.ts';
import { type LetterInput, letterParts } from './letter.ts';
import { letterPdf } from './pdf.ts';
import { LetterPrintView } from './views/print.tsx';

export type { LetterInput } from './letter.ts';

/**
 * A letter after DIN 5008 Form B: the print view as HTML and the same letter as a PDF. Pure: it
 * reads nothing and writes nothing, so a case reply, a notice or a test can print a letter alike.
 */
export function letterDocument(input: LetterInput, opts: { links?: { href: string; label: string }[] } = {}) {
  const parts = letterParts(input);
  const title = `${input.subject} – ${input.caseNumber}`;
  return {
    parts,
    html: renderPage(<LetterPrintView parts={parts} title={title} links={opts.links ?? []} />),
    pdf: (pdfOpts: { compress?: boolean } = {}) => letterPdf(parts, { title, author: input.letterhead.lines[0] ?? '', ...pdfOpts }),
  };
}
