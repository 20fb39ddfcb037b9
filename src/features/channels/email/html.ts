import sanitizeHtml from 'sanitize-html';

/**
 * The HTML of a mail, made safe to show staff as "Originalansicht": no scripts, styles, frames,
 * forms or event handlers; no images from the internet (a remote image tells the sender when and
 * where the mail was opened, the 1×1 "tracking pixel"), only `cid:` images of the mail itself;
 * links lead out without referrer and without lending our reputation (nofollow).
 */

/** Longer HTML is cut before sanitising: the parser's time grows with it and nobody reads half a megabyte of markup. */
export const HTML_MAX = 500_000;

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

/**
 * sanitize-html (like most HTML parsers) takes time growing with the square of the nesting depth:
 * 40,000 nested <div>s cost seconds. Real mails stay far below this depth, even with unclosed <p>s.
 */
export const MAX_NESTING = 2000;

/** The sanitised HTML, or null when it is nested too deep to sanitise in reasonable time. */
export function safeHtml(html: string): string | null {
  const cut = html.slice(0, HTML_MAX);
  return nestingDepth(cut) > MAX_NESTING ? null : sanitizeHtml(cut, SAFE);
}

const VOID = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));

/** Open minus closed elements at the deepest point; one pass, no parser. */
function nestingDepth(html: string): number {
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(\/?)>/g)) {
    if (VOID.has((m[2] ?? '').toLowerCase()) || m[3]) continue;
    depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
    if (depth > max) max = depth;
  }
  return max;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Text of HTML that mailparser's converter refused (too long or nested too deep): head, scripts
 * and styles dropped, block ends as line breaks, tags removed. Rough, but the citizen's words are
 * in it, and every step is one linear pass, whatever the markup (`[^<>]`, not `[^>]`: a run of
 * "<" without ">" must not make each "<" scan to the end).
 */
export function roughText(html: string): string {
  // The text is cut at 20,000 characters anyway; markup rarely outweighs its text more than tenfold.
  let rest = html.slice(0, 300_000);
  for (const tag of ['head', 'script', 'style']) rest = withoutElement(rest, tag);
  return rest
    .replace(/<(?:br|\/p|\/div|\/tr|\/h\d|\/li)\b[^<>]*>/gi, '\n')
    .replace(/<[^<>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|apos|nbsp);|&#(\d{1,6});/g, (_m, name: string | undefined, code: string | undefined) =>
      name ? (ENTITIES[name] ?? '') : safeCodePoint(Number(code)),
    )
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
}

/** Removes <tag …>…</tag> blocks with indexOf, so an unclosed one costs one scan, not one per opening. */
function withoutElement(html: string, tag: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let at = 0;
  for (;;) {
    const open = lower.indexOf(`<${tag}`, at);
    if (open < 0) return out + html.slice(at);
    out += html.slice(at, open);
    const close = lower.indexOf(`</${tag}`, open);
    if (close < 0) return out;
    const end = lower.indexOf('>', close);
    at = end < 0 ? html.length : end + 1;
  }
}

function safeCodePoint(code: number): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}
