import { Layout, type PageContext } from '../../../../ui/layout.tsx';
import { dateTimeLabel } from '../dates.ts';
import { noticeLabel } from '../labels.ts';
import { postPath, TIMELINE_PATH } from '../links.ts';
import { renderMarkdown } from '../markdown.ts';
import type { PublicImage, PublicPost } from '../queries.ts';
import { EventFacts, FeedHead, type FeedLink, PostMeta, TagList } from './parts.tsx';

export interface PostView {
  ctx: PageContext;
  post: PublicPost;
  images: PublicImage[];
  /** The notice this one corrects ("Berichtigung von …"). */
  corrects: PublicPost | null;
  /** Notices that correct this one ("berichtigt durch …"). */
  correctedBy: PublicPost[];
  feeds: FeedLink[];
}

const numbered = (p: PublicPost) => {
  const n = noticeLabel(p);
  return n ? `${n}: ${p.title}` : p.title;
};

/** The permanent page of one published post. */
export function PostPage(v: PostView) {
  const { post } = v;
  const base = postPath(post.slug);
  const isNotice = post.kind === 'notice';
  return (
    <Layout ctx={v.ctx} title={post.title} head={<FeedHead feeds={v.feeds} />}>
      <p class="kern-body">
        <a class="kern-link" href={TIMELINE_PATH}>
          ← Zum Amtsblatt
        </a>
      </p>
      <article class="post">
        <PostMeta post={post} />
        <h1 class="kern-heading-large">{post.title}</h1>
        {v.correctedBy.length > 0 && (
          <div class="kern-alert kern-alert--warning" role="note">
            <div class="kern-alert__header">
              <span class="kern-title">Diese Bekanntmachung wurde berichtigt</span>
            </div>
            <div class="kern-alert__body">
              <ul class="kern-list">
                {v.correctedBy.map((c) => (
                  <li key={c.id}>
                    berichtigt durch{' '}
                    <a class="kern-link" href={postPath(c.slug)}>
                      {numbered(c)}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          </div>
        )}
        {v.corrects && (
          <p class="kern-body">
            Berichtigung von{' '}
            <a class="kern-link" href={postPath(v.corrects.slug)}>
              {numbered(v.corrects)}
            </a>
          </p>
        )}
        <dl class="facts">
          {isNotice && noticeLabel(post) && (
            <>
              <dt>Nummer</dt>
              <dd>{noticeLabel(post)}</dd>
            </>
          )}
          <dt>Veröffentlicht</dt>
          <dd>
            <time dateTime={post.publishedAt.toISOString()}>{dateTimeLabel(post.publishedAt)}</time>
          </dd>
          <EventFacts post={post} />
          {post.councilDocumentUrl && (
            <>
              <dt>Vorlage</dt>
              <dd>
                <a class="kern-link" href={post.councilDocumentUrl} rel="noopener noreferrer">
                  {post.councilDocumentName ?? 'Vorlage im Ratsinformationssystem'}
                </a>
              </dd>
            </>
          )}
          {!post.eventStartsAt && post.locationText && (
            <>
              <dt>Ort</dt>
              <dd>{post.locationText}</dd>
            </>
          )}
        </dl>
        {/* Markdown rendered by marked and reduced by sanitize-html to text structure and links (markdown.ts). */}
        <div class="post-body kern-body" dangerouslySetInnerHTML={{ __html: renderMarkdown(post.body) }} />
        {v.images.length > 0 && (
          <ul class="photo-grid" aria-label="Bilder">
            {v.images.map((img) => (
              <li key={img.id}>
                <a class="kern-link" href={`${base}/bilder/${img.id}`}>
                  <img src={`${base}/bilder/${img.id}/vorschau`} alt={img.alt} loading="lazy" />
                </a>
              </li>
            ))}
          </ul>
        )}
        <TagList tags={post.tags} />
        {post.kind === 'event' && post.eventStartsAt && (
          <p class="kern-body">
            <a class="kern-link" href={`${base}/termin.ics`}>
              Termin in den Kalender übernehmen (iCalendar)
            </a>
          </p>
        )}
        {isNotice && <NoticeProof post={post} base={base} />}
      </article>
    </Layout>
  );
}

function NoticeProof({ post, base }: { post: PublicPost; base: string }) {
  return (
    <section aria-labelledby="pruefsumme">
      <h2 class="kern-heading-medium" id="pruefsumme">
        Echtheit prüfen
      </h2>
      <p class="kern-body">Prüfsumme (SHA-256) des veröffentlichten Titels, Textes und Zeitpunkts:</p>
      <p class="kern-body code hash">{post.contentSha256 ?? 'nicht vorhanden'}</p>
      <ul class="kern-list">
        <li>
          <a class="kern-link" href={`${base}/pruefen`}>
            Prüfsumme nachrechnen
          </a>
        </li>
        <li>
          <a class="kern-link" href={`${base}/druck`}>
            Druckansicht
          </a>
        </li>
        <li>
          <a class="kern-link" href={`${base}/pdf`} type="application/pdf">
            Als PDF herunterladen
          </a>
        </li>
      </ul>
    </section>
  );
}
