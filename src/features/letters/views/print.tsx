import { DIN5008 as D } from '../layout.ts';
import type { LetterParts } from '../letter.ts';

const mm = (n: number) => `${n}mm`;

/**
 * The print CSS. The first page has no page margin, so every box sits at its DIN 5008 distance
 * from the sheet's edge; later pages get a top and bottom margin and the text flows on. Left and
 * right page margins stay 0 on every page, so the text keeps one width across the break.
 */
export const printCss = `
@page { size: A4; margin: ${mm(D.followingPageTop)} 0 ${mm(D.text.bottom)} 0; }
@page :first { margin: 0 0 ${mm(D.text.bottom)} 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: "Fira Sans", Helvetica, Arial, sans-serif; font-size: 11pt; line-height: 1.35; color: #000; }
.sheet { position: relative; width: 210mm; padding: ${mm(D.subject.top)} ${mm(D.text.right)} 0 ${mm(D.text.left)}; }
.letterhead { position: absolute; top: ${mm(D.letterhead.top)}; left: ${mm(D.letterhead.left)}; right: ${mm(D.letterhead.right)}; height: ${mm(D.letterhead.height)}; text-align: right; margin: 0; }
.letterhead p { margin: 0; }
.letterhead .town { font-size: 16pt; font-weight: bold; }
.address-field { position: absolute; top: ${mm(D.addressField.top)}; left: ${mm(D.addressField.left)}; width: ${mm(D.addressField.width)}; height: ${mm(D.addressField.height)}; }
.return-line { position: absolute; top: ${mm(D.returnLine.top - D.addressField.top)}; left: ${mm(D.returnLine.left - D.addressField.left)}; width: ${mm(D.returnLine.width)}; font-size: 7pt; text-decoration: underline; white-space: nowrap; overflow: hidden; margin: 0; }
.recipient { position: absolute; top: ${mm(D.recipient.top - D.addressField.top)}; left: ${mm(D.recipient.left - D.addressField.left)}; width: ${mm(D.recipient.width)}; margin: 0; font-style: normal; }
.info-block { position: absolute; top: ${mm(D.infoBlock.top)}; left: ${mm(D.infoBlock.left)}; width: ${mm(D.infoBlock.width)}; margin: 0; font-size: 9pt; display: grid; grid-template-columns: auto 1fr; column-gap: 3mm; }
.info-block dt, .info-block dd { margin: 0; }
.subject { font-size: 11pt; font-weight: bold; margin: 0 0 8mm; }
.text p { margin: 0 0 4.2mm; white-space: pre-line; }
.closing { margin-top: 4.2mm; }
.signature { margin-top: 12mm; }
.mark { position: absolute; left: ${mm(D.marks.left)}; width: ${mm(D.marks.foldLength)}; border-top: 0.25mm solid #000; height: 0; }
.mark--hole { width: ${mm(D.marks.holeLength)}; }
.screen-only { font-family: "Fira Sans", Arial, sans-serif; max-width: 210mm; margin: 1rem auto; }
@media screen {
  body { background: #e9eaee; padding-bottom: 2rem; }
  .sheet { min-height: 297mm; background: #fff; margin: 0 auto; box-shadow: 0 1px 6px rgba(0, 0, 0, 0.25); }
}
@media print { .screen-only { display: none; } }
`;

export interface LetterPrintProps {
  parts: LetterParts;
  title: string;
  /** Links above the sheet on screen (back to the case, PDF); never printed. */
  links?: { href: string; label: string }[];
}

/** The letter as one HTML document for the browser's print dialog (A4, DIN 5008 Form B). */
export function LetterPrintView({ parts, title, links = [] }: LetterPrintProps) {
  const [town, ...head] = parts.letterhead;
  return (
    <html lang="de">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="stylesheet" href="/assets/kern/fonts/fira-sans.css" />
        {/* A static string of this module, no user input: the CSP allows inline styles. */}
        <style dangerouslySetInnerHTML={{ __html: printCss }} />
      </head>
      <body>
        {links.length > 0 && (
          <nav class="screen-only" aria-label="Brief">
            {links.map((l, i) => (
              <span key={l.href}>
                {i > 0 && ' · '}
                <a href={l.href}>{l.label}</a>
              </span>
            ))}
          </nav>
        )}
        <main class="sheet">
          <header class="letterhead">
            <p class="town">{town}</p>
            {head.map((line) => (
              <p key={line}>{line}</p>
            ))}
          </header>
          <div class="address-field">
            <p class="return-line">{parts.returnLine}</p>
            <address class="recipient">
              {parts.recipient.map((line, i) => (
                <span key={`${i}-${line}`}>
                  {i > 0 && <br />}
                  {line}
                </span>
              ))}
            </address>
          </div>
          <dl class="info-block">
            {parts.info.map(([label, value]) => (
              <>
                <dt key={`${label}-t`}>{label}</dt>
                <dd key={`${label}-d`}>{value}</dd>
              </>
            ))}
          </dl>
          {D.foldMarks.map((top) => (
            <span class="mark" style={`top: ${mm(top)}`} aria-hidden="true" key={top} />
          ))}
          <span class="mark mark--hole" style={`top: ${mm(D.holeMark)}`} aria-hidden="true" />
          <h1 class="subject">{parts.subject}</h1>
          <div class="text">
            {parts.salutation && <p>{parts.salutation}</p>}
            {parts.paragraphs.map((p, i) => (
              <p key={`${i}-${p.slice(0, 20)}`}>{p}</p>
            ))}
            {parts.closing && <p class="closing">{parts.closing}</p>}
            {parts.signature.length > 0 && <p class="signature">{parts.signature.join('\n')}</p>}
          </div>
        </main>
      </body>
    </html>
  );
}
