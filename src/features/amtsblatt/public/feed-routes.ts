import type { FastifyInstance } from 'fastify';
import { sendConditional } from '../../../http/conditional.ts';
import { invalid } from '../../../infra/errors.ts';
import { FEED_SIZE, feedWriters } from './feeds.ts';
import { eventsCalendar, ICAL_TYPE } from './ical.ts';
import { feedTitle, kindOfSlug } from './labels.ts';
import { CALENDAR_PATH, FEED_TYPES, type FeedFormat } from './links.ts';
import { type PublicDeps, publishedBySlug } from './page-routes.tsx';
import { timelinePage, upcomingEvents } from './queries.ts';

/** Events in the calendar: from a month back (so today's and yesterday's stay), the next 500. */
const CALENDAR_SIZE = 500;
const CALENDAR_BACK_MS = 31 * 86_400_000;
const FILES: Record<string, FeedFormat> = { 'feed.atom': 'atom', 'feed.rss': 'rss', 'feed.json': 'json' };

/** Atom, RSS 2.0 and JSON Feed 1.1 of all posts, one kind or one tag; the events as iCalendar. */
export function feedRoutes(app: FastifyInstance, { db, publicUrl }: PublicDeps, clock: { now(): Date }): void {
  for (const [file, format] of Object.entries(FILES)) {
    app.get<{ Querystring: { art?: string; schlagwort?: string } }>(`/amtsblatt/${file}`, async (request, reply) => {
      const art = typeof request.query.art === 'string' && request.query.art ? request.query.art : undefined;
      const tag =
        typeof request.query.schlagwort === 'string' && request.query.schlagwort ? request.query.schlagwort.slice(0, 60) : undefined;
      const kind = art ? kindOfSlug(art) : undefined;
      if (art && !kind) throw invalid('Diese Art von Beiträgen gibt es nicht. Die Feeds sind im Amtsblatt verlinkt.');
      const scope = { art: kind ? art : undefined, schlagwort: tag };
      const { rows } = await timelinePage(db, { kind, tag }, { limit: FEED_SIZE });
      const { body, updated } = feedWriters[format]({
        rows,
        scope,
        title: feedTitle(app.townName, scope),
        townName: app.townName,
        publicUrl,
      });
      return sendConditional(request, reply, {
        body,
        contentType: `${FEED_TYPES[format]}; charset=utf-8`,
        lastModified: updated,
        // Short: a withdrawn post leaves every cached feed within minutes.
        cacheControl: 'public, max-age=300',
      });
    });
  }

  const host = new URL(publicUrl).host;
  app.get(CALENDAR_PATH, async (request, reply) => {
    const rows = await upcomingEvents(db, new Date(clock.now().getTime() - CALENDAR_BACK_MS), CALENDAR_SIZE);
    const body = eventsCalendar({ rows, townName: app.townName, publicUrl, host });
    return sendConditional(request, reply, {
      body,
      contentType: ICAL_TYPE,
      lastModified: new Date(Math.max(0, ...rows.map((r) => r.updatedAt.getTime()))),
      cacheControl: 'public, max-age=300',
    });
  });

  app.get<{ Params: { slug: string } }>('/amtsblatt/:slug/termin.ics', async (request, reply) => {
    const post = await publishedBySlug(db, request.params.slug);
    if (post.kind !== 'event' || !post.eventStartsAt) throw invalid('Dieser Beitrag ist kein Termin.');
    const body = eventsCalendar({ rows: [post], townName: app.townName, publicUrl, host });
    return sendConditional(request, reply, {
      body,
      contentType: ICAL_TYPE,
      lastModified: post.updatedAt,
      cacheControl: 'public, max-age=300',
    });
  });
}
