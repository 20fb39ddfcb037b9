import { postKinds } from '../../../../infra/schema/index.ts';
import { Button, SelectField, TextField } from '../../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../../ui/layout.tsx';
import { kindLabels, kindSlugs, monthNames } from '../labels.ts';
import { archivePath, CALENDAR_PATH, NEWSLETTER_PATH, postPath, TIMELINE_PATH } from '../links.ts';
import { excerpt } from '../markdown.ts';
import type { PublicImage, PublicPost } from '../queries.ts';
import { FeedHead, type FeedLink, PostMeta, TagList } from './parts.tsx';

export interface TimelineView {
  ctx: PageContext;
  heading: string;
  /** The filters as they came in (for the form and the next page's link). */
  values: { art?: string | undefined; schlagwort?: string | undefined; q?: string | undefined };
  error: string | null;
  rows: PublicPost[];
  images: Map<number, PublicImage>;
  /** The next page's address, null on the last. */
  nextHref: string | null;
  /** The archive: months with posts, newest first. */
  months: { year: number; month: number; count: number }[];
  tags: { tag: string; count: number }[];
  feeds: FeedLink[];
}

export function TimelinePage(v: TimelineView) {
  return (
    <Layout ctx={v.ctx} title={v.heading} head={<FeedHead feeds={v.feeds} />}>
      <h1 class="kern-heading-large">{v.heading}</h1>
      <p class="kern-body">
        Nachrichten, amtliche Bekanntmachungen, Termine und Erklärungen der Stadt {v.ctx.townName}, die neuesten zuerst.
      </p>
      <form method="get" action={TIMELINE_PATH} class="form-stack" aria-label="Amtsblatt durchsuchen und filtern">
        <div class="filters">
          <TextField name="q" type="search" label="Suchbegriff" value={v.values.q} maxLength={200} error={v.error ?? undefined} />
          <SelectField
            name="art"
            label="Art"
            value={v.values.art}
            emptyLabel="alle"
            options={postKinds.map((k) => ({ value: kindSlugs[k], label: kindLabels[k] }))}
          />
          <SelectField
            name="schlagwort"
            label="Schlagwort"
            value={v.values.schlagwort}
            emptyLabel="alle"
            options={v.tags.map((t) => ({ value: t.tag, label: t.tag }))}
          />
        </div>
        <div class="filters">
          <Button>Suchen</Button>
          <a class="kern-link" href={TIMELINE_PATH}>
            Alle Beiträge
          </a>
        </div>
      </form>
      {v.rows.length === 0 ? (
        <p class="kern-body" role="status">
          {v.values.q ? `Zu „${v.values.q}“ wurde nichts gefunden.` : 'Hier gibt es noch keine Beiträge.'}
        </p>
      ) : (
        <ol class="post-list" aria-label="Beiträge">
          {v.rows.map((p) => (
            <PostItem post={p} image={v.images.get(p.id)} key={p.id} />
          ))}
        </ol>
      )}
      {v.nextHref && (
        <nav aria-label="Weitere Beiträge">
          <a class="kern-link" href={v.nextHref} rel="next">
            Ältere Beiträge
          </a>
        </nav>
      )}
      <Subscribe feeds={v.feeds} />
      <Archive months={v.months} />
    </Layout>
  );
}

function PostItem({ post, image }: { post: PublicPost; image: PublicImage | undefined }) {
  const href = postPath(post.slug);
  return (
    <li class="post-item">
      <article>
        <PostMeta post={post} />
        <h2 class="kern-heading-small">
          <a class="kern-link" href={href}>
            {post.title}
          </a>
        </h2>
        {image && <img class="post-thumb" src={`${href}/bilder/${image.id}/vorschau`} alt={image.alt} loading="lazy" />}
        <p class="kern-body">{excerpt(post.body)}</p>
        <TagList tags={post.tags} />
      </article>
    </li>
  );
}

function Subscribe({ feeds }: { feeds: FeedLink[] }) {
  return (
    <section aria-labelledby="abonnieren">
      <h2 class="kern-heading-medium" id="abonnieren">
        Abonnieren
      </h2>
      <ul class="kern-list">
        <li>
          <a class="kern-link" href={NEWSLETTER_PATH}>
            Newsletter per E-Mail
          </a>
        </li>
        {feeds.map((f) => (
          <li key={f.href}>
            <a class="kern-link" href={f.href} type={f.type}>
              {f.title}
            </a>
          </li>
        ))}
        <li>
          <a class="kern-link" href={CALENDAR_PATH}>
            Termine als Kalender (iCalendar)
          </a>
        </li>
      </ul>
    </section>
  );
}

function Archive({ months }: { months: { year: number; month: number; count: number }[] }) {
  if (months.length === 0) return null;
  const years = [...new Set(months.map((m) => m.year))];
  return (
    <section aria-labelledby="archiv">
      <h2 class="kern-heading-medium" id="archiv">
        Archiv
      </h2>
      {years.map((year) => (
        <div key={year}>
          <h3 class="kern-heading-small">
            <a class="kern-link" href={archivePath(year)}>
              {year}
            </a>
          </h3>
          <ul class="tag-list archive-months">
            {months
              .filter((m) => m.year === year)
              .map((m) => (
                <li key={m.month}>
                  <a class="kern-link" href={archivePath(year, m.month)}>
                    {monthNames[m.month - 1]} ({m.count})
                  </a>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
