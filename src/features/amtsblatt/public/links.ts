/**
 * The public addresses of the Amtsblatt, in one place: pages link with these, the feeds and mails
 * use them with the town's public URL in front, and the home page announces the feeds from here.
 */
export const TIMELINE_PATH = '/amtsblatt';
export const postPath = (slug: string) => `/amtsblatt/${encodeURIComponent(slug)}`;
export const archivePath = (year: number, month?: number) =>
  month === undefined ? `/amtsblatt/archiv/${year}` : `/amtsblatt/archiv/${year}/${String(month).padStart(2, '0')}`;

export type FeedFormat = 'atom' | 'rss' | 'json';
export const FEED_TYPES: Record<FeedFormat, string> = {
  atom: 'application/atom+xml',
  rss: 'application/rss+xml',
  json: 'application/feed+json',
};
const FEED_FILES: Record<FeedFormat, string> = { atom: 'feed.atom', rss: 'feed.rss', json: 'feed.json' };

/** A feed: all posts, or those of one kind (URL slug) or one tag. */
export function feedPath(format: FeedFormat, scope: { art?: string | undefined; schlagwort?: string | undefined } = {}): string {
  const q = new URLSearchParams();
  if (scope.art) q.set('art', scope.art);
  if (scope.schlagwort) q.set('schlagwort', scope.schlagwort);
  const qs = q.toString();
  return `/amtsblatt/${FEED_FILES[format]}${qs ? `?${qs}` : ''}`;
}

export const CALENDAR_PATH = '/amtsblatt/termine.ics';
export const NEWSLETTER_PATH = '/amtsblatt/newsletter';
