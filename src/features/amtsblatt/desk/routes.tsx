import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireAdmin, requireStaff, type SessionUser } from '../../../http/guards.ts';
import { pageContext, sendPage } from '../../../http/page.ts';
import { AppError, notFound } from '../../../infra/errors.ts';
import { postKinds, postStatuses } from '../../../infra/schema/index.ts';
import { uploadedFiles } from '../../intake/form.ts';
import { editPublished } from './edit-published.ts';
import { renderMarkdown } from './markdown.ts';
import { type DeskDeps, findPost, savePost } from './posts.ts';
import { publishScheduled, retryTarget } from './publish.ts';
import { commentsOf, consentOf, eventsOf, imageById, imagesOf, kindSettings, listPosts, staffWithRoles, userName } from './queries.ts';
import { deskRoleOf } from './roles.ts';
import { localDateTimeValue, parseLocalDateTime, versionOf } from './schemas.ts';
import { saveDeskSettings } from './settings.ts';
import { shorten } from './shorten.ts';
import { targetKey, targetOptions, targetsOf } from './targets.ts';
import type { EditorValues } from './views/editor.tsx';
import { DeskListPage, DeskSettingsPage, NewPostPage, PostPage, type PostPageData } from './views/pages.tsx';
import { addComment, approvePost, publishNow, revokeConsent, schedulePost, sendBack, submitPost } from './workflow.ts';

type IdParams = { Params: { id: string } };

const notices: Record<string, string> = {
  angelegt: 'Der Entwurf ist gespeichert.',
  gespeichert: 'Die Änderungen sind gespeichert.',
  eingereicht: 'Der Beitrag liegt zur Freigabe vor.',
  freigegeben: 'Der Beitrag ist freigegeben.',
  zurueck: 'Der Beitrag ist zurück im Entwurf.',
  geplant: 'Der Beitrag ist geplant.',
  veroeffentlicht: 'Der Beitrag ist veröffentlicht.',
  kommentiert: 'Ihr Kommentar ist gespeichert.',
  erneut: 'Das Ziel wird erneut gesendet.',
  widerrufen: 'Die Einwilligung ist widerrufen; das Porträt ist nicht mehr öffentlich.',
  einstellungen: 'Die Einstellungen sind gespeichert.',
};

const staff = (request: FastifyRequest): SessionUser => {
  if (!request.user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
  return request.user;
};
const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
const idOf = (raw: string): number => {
  if (!/^\d{1,9}$/.test(raw)) throw notFound();
  return Number(raw);
};
const noticeOf = (request: FastifyRequest) => {
  const key = (request.query as { hinweis?: unknown }).hinweis;
  return typeof key === 'string' && Object.hasOwn(notices, key) ? notices[key] : undefined;
};
const formError = (err: unknown): AppError | null =>
  err instanceof AppError && (err.code === 'Invalid' || err.code === 'Conflict') ? err : null;

/** The body's string fields, for showing the form again as it was sent (files are dropped). */
function bodyValues(body: Record<string, unknown>): EditorValues {
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'));
}

/** The staff desk of the Amtsblatt under /redaktion. */
export function registerDeskRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const desk: DeskDeps = {
    db,
    clock: deps.clock,
    log: deps.log.child({ module: 'amtsblatt-desk' }),
    storage: deps.storage,
    publishers: deps.publishers,
    publicUrl: deps.config.publicUrl,
  };
  const guarded = { preHandler: [requireStaff, app.csrfProtection] };

  /** "Vorschau" and "kürzen" without JavaScript: the form comes back changed, nothing is saved. */
  async function previewAction(body: Record<string, unknown>): Promise<EditorValues | null> {
    const action = typeof body.action === 'string' ? body.action : 'save';
    if (action === 'save') return null;
    const values = bodyValues(body);
    if (action.startsWith('shorten:')) {
      const key = action.slice('shorten:'.length);
      const option = (await targetOptions(db, deps.publishers)).find((o) => o.key === key);
      if (option?.limit.max) {
        const source = values[`text_${key}`] || values.body || '';
        values[`text_${key}`] = shorten(source, option.limit.max, { countsGraphemes: option.limit.countsGraphemes });
      }
    }
    return values;
  }

  app.get('/redaktion', { preHandler: requireStaff }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const status = postStatuses.find((s) => s === q.status);
    const kind = postKinds.find((k) => k === q.kind);
    return sendPage(
      reply,
      <DeskListPage
        ctx={pageContext(request, reply)}
        rows={await listPosts(db, { status, kind })}
        filter={{ status, kind }}
        isAdmin={staff(request).role === 'admin'}
      />,
    );
  });

  const newPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: EditorValues,
    errors: Record<string, string>,
    status: number,
  ) =>
    sendPage(
      reply,
      <NewPostPage ctx={pageContext(request, reply)} values={values} errors={errors} options={await targetOptions(db, deps.publishers)} />,
      status,
    );

  app.get('/redaktion/neu', { preHandler: requireStaff }, (request, reply) =>
    newPage(request, reply, { kind: 'news', target_newsletter: 'yes' }, {}, 200),
  );

  app.post('/redaktion', guarded, async (request, reply) => {
    const body = bodyOf(request);
    const preview = await previewAction(body);
    if (preview) return newPage(request, reply, preview, {}, 200);
    try {
      const id = await savePost(desk, staff(request), body, uploadedFiles(body.photos));
      return reply.redirect(`/redaktion/${id}?hinweis=angelegt`, 303);
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      return newPage(request, reply, bodyValues(body), Object.keys(e.fields).length ? e.fields : { title: e.message }, e.status);
    }
  });

  async function pageData(user: SessionUser, id: number): Promise<{ data: PostPageData; values: EditorValues }> {
    const post = await findPost(db, id);
    const [targets, options, images, comments, events, consent, role] = await Promise.all([
      targetsOf(db, id),
      targetOptions(db, deps.publishers),
      imagesOf(db, id),
      commentsOf(db, id),
      eventsOf(db, id),
      consentOf(db, post.portraitConsentId),
      deskRoleOf(db, user),
    ]);
    const values: EditorValues = {
      version: String(post.version),
      kind: post.kind,
      title: post.title,
      body: post.body,
      tags: post.tags.join(', '),
      locationText: post.locationText ?? '',
      eventStartsAt: localDateTimeValue(post.eventStartsAt),
      eventEndsAt: localDateTimeValue(post.eventEndsAt),
      eventPlace: post.eventPlace ?? '',
      councilDocumentName: post.councilDocumentName ?? '',
      councilDocumentUrl: post.councilDocumentUrl ?? '',
      portraitPerson: consent?.personName ?? '',
      scheduledAt: localDateTimeValue(post.scheduledAt),
    };
    for (const t of targets) {
      const key = targetKey(t.target, t.channelAccountId);
      values[`target_${key}`] = 'yes';
      values[`text_${key}`] = t.text;
    }
    for (const img of images) values[`alt_${img.id}`] = img.alt;
    const mayApprove = (role === 'approver' || role === 'admin') && post.authorId !== user.id;
    const data: PostPageData = {
      post: {
        ...post,
        authorName: await userName(db, post.authorId),
        approvedByName: await userName(db, post.approvedById),
        consentId: post.portraitConsentId,
        consentRevoked: Boolean(consent?.revokedAt),
      },
      targets,
      options,
      images: images.map((i) => ({ id: i.id, alt: i.alt })),
      comments,
      events,
      may: {
        edit: role !== null,
        approve: mayApprove,
        approveReason:
          post.authorId === user.id
            ? 'Eine zweite Person mit Freigaberecht gibt Ihren Beitrag frei.'
            : mayApprove
              ? null
              : 'Freigeben dürfen nur Personen mit Freigaberecht.',
      },
    };
    return { data, values };
  }

  const postPage = async (
    request: FastifyRequest<IdParams>,
    reply: FastifyReply,
    status: number,
    form?: { values?: EditorValues; errors?: Record<string, string>; warning?: string },
  ) => {
    const { data, values } = await pageData(staff(request), idOf(request.params.id));
    return sendPage(
      reply,
      <PostPage
        ctx={pageContext(request, reply)}
        data={data}
        values={{ ...values, ...(form?.values ?? {}) }}
        errors={form?.errors ?? {}}
        notice={status === 200 ? noticeOf(request) : undefined}
        warning={form?.warning ?? (request.query as { warnung?: string }).warnung?.slice(0, 300)}
      />,
      status,
    );
  };

  app.get<IdParams>('/redaktion/:id', { preHandler: requireStaff }, (request, reply) => postPage(request, reply, 200));

  app.post<IdParams>('/redaktion/:id', guarded, async (request, reply) => {
    const id = idOf(request.params.id);
    const body = bodyOf(request);
    const preview = await previewAction(body);
    if (preview) return postPage(request, reply, 200, { values: preview });
    try {
      const post = await findPost(db, id);
      if (post.status === 'published') {
        const { cannotEdit } = await editPublished(desk, staff(request), id, versionOf(body.version), body);
        const warning = cannotEdit.length
          ? `Auf ${cannotEdit.join(', ')} lässt sich der Beitrag nicht ändern; dort bleibt die alte Fassung.`
          : '';
        return reply.redirect(`/redaktion/${id}?hinweis=gespeichert${warning ? `&warnung=${encodeURIComponent(warning)}` : ''}`, 303);
      }
      await savePost(desk, staff(request), body, uploadedFiles(body.photos), { id, version: versionOf(body.version) });
      return reply.redirect(`/redaktion/${id}?hinweis=gespeichert`, 303);
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      return postPage(request, reply, e.status, {
        values: bodyValues(body),
        errors: Object.keys(e.fields).length ? e.fields : {},
        warning: e.message,
      });
    }
  });

  /** A workflow step: on success back to the page with its notice; a refusal shows the page with the reason. */
  const step = (path: string, notice: string, run: (user: SessionUser, id: number, body: Record<string, unknown>) => Promise<unknown>) =>
    app.post<IdParams>(`/redaktion/:id/${path}`, guarded, async (request, reply) => {
      const id = idOf(request.params.id);
      try {
        await run(staff(request), id, bodyOf(request));
        return reply.redirect(`/redaktion/${id}?hinweis=${notice}`, 303);
      } catch (err) {
        const e = formError(err);
        if (!e) throw err;
        return postPage(request, reply, e.status, { errors: e.fields, warning: e.message, values: bodyValues(bodyOf(request)) });
      }
    });

  step('einreichen', 'eingereicht', (u, id, b) => submitPost(desk, u, id, versionOf(b.version)));
  step('freigeben', 'freigegeben', (u, id, b) => approvePost(desk, u, id, versionOf(b.version)));
  step('zurueck', 'zurueck', (u, id, b) => sendBack(desk, u, id, versionOf(b.version), b.comment));
  step('planen', 'geplant', (u, id, b) =>
    schedulePost(desk, u, id, versionOf(b.version), parseLocalDateTime(typeof b.scheduledAt === 'string' ? b.scheduledAt : '')),
  );
  step('jetzt', 'veroeffentlicht', async (u, id, b) => {
    await publishNow(desk, u, id, versionOf(b.version));
    await publishScheduled(desk, id);
  });
  step('kommentare', 'kommentiert', (u, id, b) => addComment(desk, u, id, b.comment));

  app.post<{ Params: { id: string; targetId: string } }>('/redaktion/:id/ziele/:targetId/erneut', guarded, async (request, reply) => {
    const id = idOf(request.params.id);
    const user = staff(request);
    if (!(await deskRoleOf(db, user))) throw new AppError('Forbidden', 'Dafür fehlen Ihnen die Rechte in der Redaktion.');
    await retryTarget(desk, user.id, id, idOf(request.params.targetId));
    return reply.redirect(`/redaktion/${id}?hinweis=erneut`, 303);
  });

  app.post<IdParams>('/redaktion/einwilligungen/:id/widerrufen', guarded, async (request, reply) => {
    const ids = await revokeConsent(desk, staff(request), idOf(request.params.id));
    return reply.redirect(ids[0] ? `/redaktion/${ids[0]}?hinweis=widerrufen` : '/redaktion', 303);
  });

  /** The live preview of the island: the same rendering as the page, as an HTML fragment. */
  app.post('/redaktion/vorschau', guarded, async (request, reply) => {
    const body = bodyOf(request);
    const html = renderMarkdown(typeof body.body === 'string' ? body.body.slice(0, 20_000) : '');
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(html || '<p>(noch kein Text)</p>');
  });

  app.get<IdParams>('/redaktion/bilder/:id', { preHandler: requireStaff }, async (request, reply) => {
    const image = await imageById(db, idOf(request.params.id));
    if (!image) throw notFound();
    return reply
      .type(image.mimeType)
      .header('cache-control', 'private, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .send(await deps.storage.get(image.thumbKey));
  });

  app.get('/redaktion/einstellungen', { preHandler: requireAdmin }, async (request, reply) => {
    const settings = await kindSettings(db);
    return sendPage(
      reply,
      <DeskSettingsPage
        ctx={pageContext(request, reply)}
        staff={await staffWithRoles(db)}
        approval={Object.fromEntries(settings.map((s) => [s.kind, s.requiresApproval]))}
        notice={noticeOf(request)}
      />,
    );
  });

  app.post('/redaktion/einstellungen', { preHandler: [requireAdmin, app.csrfProtection] }, async (request, reply) => {
    await saveDeskSettings(db, bodyOf(request), deps.clock.now());
    return reply.redirect('/redaktion/einstellungen?hinweis=einstellungen', 303);
  });
}
