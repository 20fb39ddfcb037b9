import type { FastifyInstance } from 'fastify';
import { pageContext, sendPage } from '../../../http/page.ts';
import { notFound } from '../../../infra/errors.ts';
import { renderPage } from '../../../ui/render.ts';
import { noticeHash, noticeHashInput } from '../notice-hash.ts';
import { postPath } from './links.ts';
import { noticePdf } from './notice-pdf.ts';
import { type PublicDeps, publishedBySlug } from './page-routes.tsx';
import type { PublicPost } from './queries.ts';
import { HashCheckPage, NoticePrintView } from './views/notice.tsx';

type SlugParams = { Params: { slug: string } };

const notANotice = () => notFound('Nur amtliche Bekanntmachungen haben eine Druckansicht und eine Prüfsumme.');

/** The official notice's own views: hash check, print view and PDF. */
export function noticeRoutes(app: FastifyInstance, { db, publicUrl }: PublicDeps): void {
  const notice = async (slug: string): Promise<PublicPost> => {
    const post = await publishedBySlug(db, slug);
    if (post.kind !== 'notice') throw notANotice();
    return post;
  };

  app.get<SlugParams & { Querystring: { sha256?: string } }>('/amtsblatt/:slug/pruefen', async (request, reply) => {
    const post = await notice(request.params.slug);
    const recomputed = noticeHash(post);
    const raw = typeof request.query.sha256 === 'string' ? request.query.sha256.trim().toLowerCase().slice(0, 100) : '';
    const check = {
      stored: post.contentSha256,
      recomputed,
      input: noticeHashInput(post),
      given: raw ? { value: raw, matches: raw === recomputed && raw === post.contentSha256 } : null,
    };
    return sendPage(reply, <HashCheckPage ctx={pageContext(request, reply)} post={post} check={check} />);
  });

  app.get<SlugParams>('/amtsblatt/:slug/druck', async (request, reply) => {
    const post = await notice(request.params.slug);
    const url = `${publicUrl}${postPath(post.slug)}`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(renderPage(<NoticePrintView townName={app.townName} post={post} url={url} />));
  });

  app.get<SlugParams>('/amtsblatt/:slug/pdf', async (request, reply) => {
    const post = await notice(request.params.slug);
    const url = `${publicUrl}${postPath(post.slug)}`;
    const pdf = await noticePdf({ post, townName: app.townName, url, checkUrl: `${url}/pruefen` });
    const name = `Bekanntmachung-${post.noticeYear ?? ''}-${post.noticeNumber ?? post.id}.pdf`;
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });
}
