import { XMLBuilder } from 'fast-xml-parser';
import { xmlSafe } from '../../../infra/xml.ts';
import { kindLabels, kindSlugs, noticeLabel } from './labels.ts';
import { FEED_TYPES, type FeedFormat, feedPath, postPath, TIMELINE_PATH } from './links.ts';
import { excerpt, renderMarkdown } from './markdown.ts';
import type { PublicPost } from './queries.ts';

/** Entries per feed: the newest posts; a reader that polls keeps the older ones itself. */
export const FEED_SIZE = 50;

export interface FeedInput {
  rows: readonly PublicPost[];
  scope: { art?: string | undefined; schlagwort?: string | undefined };
  title: string;
  townName: string;
  publicUrl: string;
}

const builder = new XMLBuilder({
  format: true,
  indentBy: '  ',
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressEmptyNode: true,
  processEntities: true,
  // isPermaLink="true" must keep its value: XML has no attributes without one.
  suppressBooleanAttributes: false,
});

/** The feed's date: the newest change among its entries; an empty feed a fixed instant, so its ETag stays. */
export const feedUpdated = (rows: readonly PublicPost[]) => new Date(Math.max(0, ...rows.map((r) => r.updatedAt.getTime())));

/** Title with the notice's number in front ("2026/17: …"), so readers of any format see it. */
const entryTitle = (p: PublicPost) => {
  const n = noticeLabel(p);
  return n ? `Bekanntmachung ${n}: ${p.title}` : p.title;
};

/** The HTML the feeds carry: the post's sanitised Markdown (readers show it as HTML, escaped in XML). */
const contentHtml = (p: PublicPost) => xmlSafe(renderMarkdown(p.body));

/** Atom 1.0 (RFC 4287): feed id = its own canonical URL, entry id = the post's permanent page. */
export function atomFeed(f: FeedInput): { body: string; updated: Date } {
  const self = `${f.publicUrl}${feedPath('atom', f.scope)}`;
  const updated = feedUpdated(f.rows);
  const text = (s: string) => ({ '#text': xmlSafe(s), '@type': 'text' });
  const feed = {
    '@xmlns': 'http://www.w3.org/2005/Atom',
    '@xml:lang': 'de',
    id: self,
    title: text(f.title),
    subtitle: text(`Das Amtsblatt der Stadt ${f.townName}: Nachrichten, amtliche Bekanntmachungen und Termine.`),
    updated: updated.toISOString(),
    author: { name: xmlSafe(`Stadt ${f.townName}`), uri: f.publicUrl },
    link: [
      { '@rel': 'self', '@type': FEED_TYPES.atom, '@href': self },
      { '@rel': 'alternate', '@type': 'text/html', '@href': `${f.publicUrl}${TIMELINE_PATH}` },
    ],
    generator: 'Amtsblatt 2.0',
    entry: f.rows.map((p) => {
      const url = `${f.publicUrl}${postPath(p.slug)}`;
      return {
        id: url,
        title: text(entryTitle(p)),
        link: { '@rel': 'alternate', '@type': 'text/html', '@href': url },
        published: p.publishedAt.toISOString(),
        updated: p.updatedAt.toISOString(),
        category: [
          { '@term': kindSlugs[p.kind], '@label': kindLabels[p.kind], '@scheme': `${f.publicUrl}${TIMELINE_PATH}#art` },
          ...p.tags.map((t) => ({ '@term': xmlSafe(t), '@scheme': `${f.publicUrl}${TIMELINE_PATH}#schlagwort` })),
        ],
        summary: text(excerpt(p.body)),
        content: { '#text': contentHtml(p), '@type': 'html' },
      };
    }),
  };
  return { body: `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ feed })}`, updated };
}

/** RSS 2.0 with atom:link rel="self" (as the RSS Advisory Board recommends). */
export function rssFeed(f: FeedInput): { body: string; updated: Date } {
  const self = `${f.publicUrl}${feedPath('rss', f.scope)}`;
  const updated = feedUpdated(f.rows);
  const rss = {
    '@version': '2.0',
    '@xmlns:atom': 'http://www.w3.org/2005/Atom',
    channel: {
      title: xmlSafe(f.title),
      link: `${f.publicUrl}${TIMELINE_PATH}`,
      description: xmlSafe(`Das Amtsblatt der Stadt ${f.townName}: Nachrichten, amtliche Bekanntmachungen und Termine.`),
      language: 'de-de',
      lastBuildDate: updated.toUTCString(),
      generator: 'Amtsblatt 2.0',
      'atom:link': { '@href': self, '@rel': 'self', '@type': FEED_TYPES.rss },
      item: f.rows.map((p) => {
        const url = `${f.publicUrl}${postPath(p.slug)}`;
        return {
          title: xmlSafe(entryTitle(p)),
          link: url,
          guid: { '#text': url, '@isPermaLink': 'true' },
          pubDate: p.publishedAt.toUTCString(),
          category: [kindLabels[p.kind], ...p.tags.map(xmlSafe)],
          description: contentHtml(p),
        };
      }),
    },
  };
  return { body: `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ rss })}`, updated };
}

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1): `authors` and `language`, not 1.0's `author`. */
export function jsonFeed(f: FeedInput): { body: string; updated: Date } {
  const updated = feedUpdated(f.rows);
  const author = { name: `Stadt ${f.townName}`, url: f.publicUrl };
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: f.title,
    home_page_url: `${f.publicUrl}${TIMELINE_PATH}`,
    feed_url: `${f.publicUrl}${feedPath('json', f.scope)}`,
    description: `Das Amtsblatt der Stadt ${f.townName}: Nachrichten, amtliche Bekanntmachungen und Termine.`,
    language: 'de',
    authors: [author],
    items: f.rows.map((p) => {
      const url = `${f.publicUrl}${postPath(p.slug)}`;
      return {
        id: url,
        url,
        title: entryTitle(p),
        content_html: renderMarkdown(p.body),
        summary: excerpt(p.body),
        date_published: p.publishedAt.toISOString(),
        date_modified: p.updatedAt.toISOString(),
        tags: [kindLabels[p.kind], ...p.tags],
        authors: [author],
        language: 'de',
      };
    }),
  };
  return { body: JSON.stringify(feed), updated };
}

export const feedWriters: Record<FeedFormat, (f: FeedInput) => { body: string; updated: Date }> = {
  atom: atomFeed,
  rss: rssFeed,
  json: jsonFeed,
};
