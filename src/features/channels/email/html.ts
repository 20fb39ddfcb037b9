import sanitizeHtml from 'sanitize-html';

/**
 * The HTML of a mail, made safe to show staff as "Originalansicht": no scripts, styles, frames,
 * forms or event handlers; no images from the internet (a remote image tells the sender when and
 * where the mail was opened, the 1×1 "tracking pixel"), only `cid:` images of the mail itself;
 * links lead out without referrer and without lending our reputation (nofollow).
 */

/** Longer HTML is cut before sanitising: the parser's time grows with it and nobody reads 1 MB of markup. */
export const HTML_MAX = 1_000_000;

const SAFE: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img'],
  allowedAttributes: {
    // rel and target always come from the transform below, which overwrites the mail's own.
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid'] },
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
  // An <img> whose remote src was dropped is an empty box at best and a pixel at worst.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

export function safeHtml(html: string): string {
  return sanitizeHtml(html.slice(0, HTML_MAX), SAFE);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/**
 * Text of HTML that mailparser's converter refused (too long or nested too deep): tags dropped,
 * block ends as line breaks. Rough, but the citizen's words are in it.
 */
export function roughText(html: string): string {
  // The text is cut at 20,000 characters anyway; markup rarely outweighs its text more than tenfold.
  const marked = html.slice(0, 300_000).replace(/<(?:br|\/p|\/div|\/tr|\/h\d|\/li)\b[^>]*>/gi, '\n');
  const stripped = sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {} });
  return stripped.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) => ENTITIES[e] ?? '');
}
