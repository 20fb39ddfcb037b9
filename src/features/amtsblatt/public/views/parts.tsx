import { dateTimeLabel, dayLabel } from '../dates.ts';
import { kindLabels, kindSlugs, noticeLabel } from '../labels.ts';
import { FEED_TYPES, type FeedFormat, feedPath, TIMELINE_PATH } from '../links.ts';
import type { PublicPost } from '../queries.ts';

export interface FeedLink {
  href: string;
  type: string;
  title: string;
}

const FORMAT_NAMES: Record<FeedFormat, string> = { atom: 'Atom', rss: 'RSS', json: 'JSON Feed' };

/** The three formats of one feed scope, for <link rel="alternate"> and the visible links. */
export function feedLinks(title: string, scope: { art?: string | undefined; schlagwort?: string | undefined } = {}): FeedLink[] {
  return (['atom', 'rss', 'json'] as const).map((f) => ({
    href: feedPath(f, scope),
    type: FEED_TYPES[f],
    title: `${title} (${FORMAT_NAMES[f]})`,
  }));
}

export function FeedHead({ feeds }: { feeds: FeedLink[] }) {
  return (
    <>
      {feeds.map((f) => (
        <link rel="alternate" type={f.type} title={f.title} href={f.href} key={f.href} />
      ))}
    </>
  );
}

/** The kind, as a link to the timeline of that kind. */
export function KindLink({ post }: { post: PublicPost }) {
  return (
    <a class="kern-link" href={`${TIMELINE_PATH}?art=${kindSlugs[post.kind]}`}>
      {kindLabels[post.kind]}
    </a>
  );
}

export function TagList({ tags }: { tags: string[] }) {
  if (tags.length === 0) return null;
  return (
    <ul class="tag-list" aria-label="Schlagwörter">
      {tags.map((t) => (
        <li key={t}>
          <a class="kern-link" href={`${TIMELINE_PATH}?schlagwort=${encodeURIComponent(t)}`}>
            {t}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** "Amtliche Bekanntmachung 2026/17 · 2. März 2026" above a title. */
export function PostMeta({ post }: { post: PublicPost }) {
  const number = noticeLabel(post);
  return (
    <p class="kern-body kern-body--small post-meta">
      <KindLink post={post} />
      {number && ` ${number}`} · <time dateTime={post.publishedAt.toISOString()}>{dayLabel(post.publishedAt)}</time>
    </p>
  );
}

/** When and where an event takes place. */
export function EventFacts({ post }: { post: PublicPost }) {
  if (!post.eventStartsAt) return null;
  const place = post.eventPlace ?? post.locationText;
  return (
    <>
      <dt>Wann</dt>
      <dd>
        <time dateTime={post.eventStartsAt.toISOString()}>{dateTimeLabel(post.eventStartsAt)}</time>
        {post.eventEndsAt && (
          <>
            {' bis '}
            <time dateTime={post.eventEndsAt.toISOString()}>{dateTimeLabel(post.eventEndsAt)}</time>
          </>
        )}
      </dd>
      {place && (
        <>
          <dt>Wo</dt>
          <dd>{place}</dd>
        </>
      )}
    </>
  );
}
