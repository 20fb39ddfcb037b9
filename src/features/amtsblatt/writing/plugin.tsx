import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireAdmin, requireStaff } from '../../../http/guards.ts';
import { pageContext, sendPage } from '../../../http/page.ts';
import { AppError, notFound } from '../../../infra/errors.ts';
import { renderFragment } from '../../../ui/render.ts';
import { WritingHelp } from './fragment.tsx';
import { sentenceHints } from './hints.ts';
import { readabilityOf } from './readability.ts';
import { addTerm, deleteTerm, detectPlainLanguage, townTerms } from './terms.ts';
import { TermsPage } from './terms-page.tsx';

/** Longer texts are cut for the live help: it answers while the editor types. */
const HELP_MAX_CHARS = 20_000;

/** Schreibhilfe: POST /redaktion/schreibhilfe (an htmx fragment) and the town's Behördendeutsch terms. */
export const writingPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  const db = deps.database.db;

  app.post('/redaktion/schreibhilfe', { preHandler: [requireStaff, app.csrfProtection] }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const raw = typeof body.text === 'string' ? body.text : typeof body.body === 'string' ? body.body : '';
    const text = raw.slice(0, HELP_MAX_CHARS);
    const html = renderFragment(
      <WritingHelp readability={readabilityOf(text)} hints={sentenceHints(text)} plain={await detectPlainLanguage(db, text)} />,
    );
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });

  const termsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    form?: { values: Record<string, string>; errors: Record<string, string> },
  ) =>
    sendPage(
      reply,
      <TermsPage ctx={pageContext(request, reply)} terms={await townTerms(db)} values={form?.values ?? {}} errors={form?.errors ?? {}} />,
      status,
    );

  app.get('/redaktion/schreibhilfe/begriffe', { preHandler: requireAdmin }, (request, reply) => termsPage(request, reply));

  app.post('/redaktion/schreibhilfe/begriffe', { preHandler: [requireAdmin, app.csrfProtection] }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      await addTerm(db, request.user?.id ?? 0, body);
      return reply.redirect('/redaktion/schreibhilfe/begriffe', 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'Invalid') throw err;
      const values = { term: String(body.term ?? ''), suggestion: String(body.suggestion ?? '') };
      return termsPage(request, reply, 400, { values, errors: err.fields });
    }
  });

  app.post<{ Params: { id: string } }>(
    '/redaktion/schreibhilfe/begriffe/:id/loeschen',
    { preHandler: [requireAdmin, app.csrfProtection] },
    async (request, reply) => {
      if (!/^\d{1,9}$/.test(request.params.id)) throw notFound();
      await deleteTerm(db, Number(request.params.id));
      return reply.redirect('/redaktion/schreibhilfe/begriffe', 303);
    },
  );
};
