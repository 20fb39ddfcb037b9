import ICAL from 'ical.js';
import { postPath } from './links.ts';
import { excerpt } from './markdown.ts';
import type { PublicPost } from './queries.ts';

export const ICAL_TYPE = 'text/calendar; charset=utf-8';

/**
 * The events of the Amtsblatt as iCalendar (RFC 5545), written by ical.js (escaping, line folding,
 * CRLF). Times are in UTC ("Z"), which every calendar converts to its own zone, so no VTIMEZONE is
 * needed. DTSTAMP is the post's last change, so an unchanged calendar keeps its ETag.
 */
export function eventsCalendar(p: { rows: readonly PublicPost[]; townName: string; publicUrl: string; host: string }): string {
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.updatePropertyWithValue('prodid', '-//Amtsblatt 2.0//Amtsblatt//DE');
  cal.updatePropertyWithValue('version', '2.0');
  cal.updatePropertyWithValue('calscale', 'GREGORIAN');
  cal.updatePropertyWithValue('x-wr-calname', `Termine der Stadt ${p.townName}`);
  for (const post of p.rows) {
    if (!post.eventStartsAt) continue;
    const vevent = new ICAL.Component('vevent');
    const event = new ICAL.Event(vevent);
    event.uid = `post-${post.id}@${p.host}`;
    event.summary = post.title;
    event.startDate = ICAL.Time.fromJSDate(post.eventStartsAt, true);
    if (post.eventEndsAt && post.eventEndsAt > post.eventStartsAt) event.endDate = ICAL.Time.fromJSDate(post.eventEndsAt, true);
    const place = post.eventPlace ?? post.locationText;
    if (place) event.location = place;
    const url = `${p.publicUrl}${postPath(post.slug)}`;
    event.description = `${excerpt(post.body, 1000)}\n\n${url}`;
    vevent.updatePropertyWithValue('url', url);
    vevent.updatePropertyWithValue('dtstamp', ICAL.Time.fromJSDate(post.updatedAt, true));
    cal.addSubcomponent(vevent);
  }
  return cal.toString();
}
