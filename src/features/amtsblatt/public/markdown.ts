import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Markdown without GitHub's raw-HTML extras; whatever HTML it lets through, sanitize-html decides. */
const marked = new Marked({ gfm: true, breaks: false, async: false });

/**
 * What a post's Markdown may become: text structure and links, nothing that runs or loads. Images
 * are not part of the text (they come with their alt text from post_images); headings start at h2,
 * since the page's h1 is the post's title.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'p',
    'br',
    'hr',
    'ul',
    'ol',
    'li',
    'blockquote',
    'strong',
    'em',
    'del',
    'code',
    'pre',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'rel', 'class'], th: ['scope'] },
  allowedClasses: { a: ['kern-link'] },
  allowedSchemes: ['https', 'http', 'mailto', 'tel'],
  allowProtocolRelative: false,
  transformTags: {
    h1: 'h2',
    h5: 'h4',
    h6: 'h4',
    // Links leave the town's site: no referrer, no opener.
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', class: 'kern-link' }),
  },
};

/** A post's body as safe HTML for the page and the feeds. */
export function renderMarkdown(body: string): string {
  return sanitizeHtml(marked.parse(body) as string, OPTIONS);
}

/** A plain-text excerpt for lists and feed summaries: the first `max` characters, cut at a word. */
export function excerpt(body: string, max = 280): string {
  const text = decodeEntities(sanitizeHtml(marked.parse(body) as string, { allowedTags: [], allowedAttributes: {} }))
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut} …`;
}

/** sanitize-html leaves text entity-encoded; plain-text uses (JSX, XML builders) encode again themselves. */
function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The text as plain paragraphs (for the PDF): block elements become paragraph breaks, list items keep a dash. */
export function plainParagraphs(body: string): string[] {
  const html = sanitizeHtml(marked.parse(body) as string, {
    allowedTags: ['p', 'li', 'h2', 'h3', 'h4', 'blockquote', 'pre', 'tr'],
    allowedAttributes: {},
    transformTags: { h1: 'h2' },
  });
  return html
    .replace(/<li>/g, '– ')
    .split(/<\/(?:p|li|h2|h3|h4|blockquote|pre|tr)>/)
    .map((part) =>
      decodeEntities(part.replace(/<[^>]*>/g, ''))
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((part) => part.length > 0);
}
