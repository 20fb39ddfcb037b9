import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

// One parser of our own, so another module's marked options never change how posts render.
const marked = new Marked({ gfm: true, breaks: true, async: false });

/** What a post's Markdown may become: text structure, links and nothing that runs or loads. */
const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'del',
    'a',
    'ul',
    'ol',
    'li',
    'blockquote',
    'h2',
    'h3',
    'h4',
    'code',
    'pre',
    'hr',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['https', 'http', 'mailto', 'tel'],
  transformTags: {
    // Headings of a post sit below the page's own h1.
    h1: 'h2',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow noopener' } }),
  },
};

/** A post's Markdown as safe HTML: raw HTML in the text is dropped or escaped, never run. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return sanitizeHtml(html, { ...ALLOWED, allowedAttributes: { a: ['href', 'rel'] } });
}
