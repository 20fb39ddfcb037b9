import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff, type SessionUser } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { AppError, fieldErrors, notFound } from '../../infra/errors.ts';
import { renderFragment } from '../../ui/render.ts';
import { townClassifier } from '../routing/classifier/intake-step.ts';
import { caseSuggestions } from '../routing/classifier/suggestions.ts';
import { CASE_NUMBER, casePageData, fileOf, photoOf, readableCase, readOnlyPageData, visibleCase } from './case-view.ts';
import { linkToCaseContact, unlinkFromCasePerson } from './contact-links.ts';
import { attachmentDisposition, downloadType } from './files.ts';
import { assignSchema, contactLinkSchema, contactUnlinkSchema, editSchema, noteSchema, replySchema } from './forms.ts';
import { inboxContacts } from './inbox-contacts.ts';
import { parseInboxFilters } from './inbox-filters.ts';
import { inboxRowFor, loadInbox } from './inbox-query.ts';
import { caseNumberJump } from './inbox-search.ts';
import { casePanels } from './panels.ts';
import { latestReplyNote } from './queries.ts';
import { categoryList, teamList } from './reference-data.ts';
import { replyAidsFor } from './reply-aids.ts';
import { addNote, assignCase, assigneeChoices, type CasesDeps, editCase, replyToCitizen } from './service.ts';
import type { CaseFormState } from './views/case-forms.tsx';
import { CasePage } from './views/case-page.tsx';
import { InboxRowView, InboxView } from './views/inbox.tsx';

type NumberParams = { Params: { number: string } };
type PhotoParams = { Params: { number: string; attachmentId: string } };

/** requireStaff ran before every route here; this narrows the type and guards a wiring mistake. */
function staff(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
  return request.user;
}

/** Staff inbox and the case page with its forms. Routes translate HTTP; rules live in service.ts. */
export function registerCaseRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const serviceDeps: CasesDeps = { db, queue: deps.queue, clock: deps.clock, channels: deps.channels, config: deps.config };
  const linkDeps = { db, clock: deps.clock, log: deps.log.child({ module: 'contacts' }) };
  const classifier = townClassifier(db, deps.config.classifierMinConfidence, deps.log.child({ module: 'classifier' }));
  const panels = casePanels();
  const panelOkMessages = Object.assign({}, ...panels.map((p) => p.okMessages)) as Record<string, string>;

  app.get('/staff', { preHandler: requireStaff }, async (request, reply) => {
    const user = staff(request);
    const { filters, errors } = parseInboxFilters(request.query);
    const failed = Object.keys(errors).length > 0;
    const firstPage = !failed && !filters.nach && !filters.vor;
    // A case number in the search box opens that case, as staff expect from a number they were told on the phone.
    const jump = firstPage ? await caseNumberJump(db, user, filters.q) : null;
    if (jump) {
      const target = `/staff/faelle/${jump}`;
      // htmx follows a redirect itself and would swap a part of the case page into the inbox.
      if (request.headers['hx-request']) return reply.header('hx-redirect', target).code(204).send();
      return reply.redirect(target, 303);
    }
    const page = failed ? null : await loadInbox(db, user, filters);
    const contacts = firstPage && filters.q ? await inboxContacts(db, user, filters.q) : [];
    const teams = (await teamList(db)).filter((t) => user.role === 'admin' || user.teamIds.includes(t.id));
    const categories = await categoryList(db);
    const { ok, fall } = request.query as Record<string, unknown>;
    // After a hand-off: name the team it went to (as this viewer may still read it).
    const moved =
      ok === 'verschoben' && typeof fall === 'string' && CASE_NUMBER.test(fall)
        ? await readableCase(db, user, fall).then(
            (r) => (r.readOnly ? { number: r.kase.number, ...r.readOnly } : null),
            () => null,
          )
        : null;
    return sendPage(
      reply,
      <InboxView
        ctx={pageContext(request, reply)}
        filters={filters}
        errors={errors}
        page={page}
        contacts={contacts}
        options={{ teams, categories, assignees: await assigneeChoices(db, user, null) }}
        now={deps.clock.now()}
        ok={typeof ok === 'string' ? ok : undefined}
        moved={moved}
      />,
      failed ? 400 : 200,
    );
  });

  const renderCase = async (request: FastifyRequest, reply: FastifyReply, number: string, status: number, form?: CaseFormState) => {
    const user = staff(request);
    const { kase, readOnly } = await readableCase(db, user, number);
    const query = (request.query ?? {}) as Record<string, unknown>;
    if (readOnly) {
      // The team that handed it on: what it may read, no forms, no panels (forwards.ts).
      const data = await readOnlyPageData(db, kase, readOnly);
      return sendPage(
        reply,
        <CasePage ctx={pageContext(request, reply)} kase={kase} {...data} userId={user.id} now={deps.clock.now()} readOnly={readOnly} />,
        status,
      );
    }
    const search = typeof query.kontakt === 'string' ? query.kontakt : undefined;
    const data = await casePageData(db, user, kase, deps.clock.now(), search);
    const ok = query.ok;
    const okCode = status === 200 && typeof ok === 'string' ? ok : undefined;
    const replyNote = okCode === 'antwort-offen' ? await latestReplyNote(db, kase.id) : null;
    // Features put their aids above the reply box (Textbausteine: ?vorlage=ID fills it without JavaScript).
    const aids = await replyAidsFor(db, { db, viewer: user, kase, query, formShown: form !== undefined });
    const suggestions = await caseSuggestions({ db, classifier, log: deps.log }, kase);
    const text = aids.find((a) => a.text !== undefined)?.text;
    const aidError = aids.find((a) => a.error !== undefined)?.error;
    const replyForm: CaseFormState | undefined = text !== undefined ? { name: 'reply', values: { body: text }, errors: {} } : form;
    const panelInput = { db, viewer: user, kase, now: deps.clock.now(), csrf: pageContext(request, reply).csrfToken, form };
    const extraPanels = [];
    for (const panel of panels) extraPanels.push({ id: panel.id, body: await panel.render(panelInput) });
    return sendPage(
      reply,
      <CasePage
        ctx={pageContext(request, reply)}
        kase={kase}
        {...data}
        userId={user.id}
        now={deps.clock.now()}
        ok={okCode}
        replyNote={replyNote}
        replyAids={aids}
        suggestions={suggestions}
        panels={extraPanels}
        panelOkMessages={panelOkMessages}
        {...(replyForm ? { form: replyForm } : {})}
      />,
      aidError ? 400 : status,
    );
  };

  app.get<NumberParams>('/staff/faelle/:number', { preHandler: requireStaff }, (request, reply) =>
    renderCase(request, reply, request.params.number, 200),
  );

  /**
   * The inbox row of a case that just arrived, for the view the live inbox shows (its filters in
   * the query string): 204 when that view would not list it on top (other filters, a later page,
   * sorted by deadline), so the browser falls back to its notice.
   */
  app.get<NumberParams>('/staff/faelle/:number/zeile', { preHandler: requireStaff }, async (request, reply) => {
    const user = staff(request);
    const kase = await visibleCase(db, user, request.params.number);
    const { filters, errors } = parseInboxFilters(request.query);
    const onTop = Object.keys(errors).length === 0 && !filters.nach && !filters.vor && filters.sortierung !== 'faelligkeit';
    const row = onTop ? await inboxRowFor(db, user, filters, kase.number) : null;
    reply.header('cache-control', 'no-store');
    if (!row) return reply.code(204).send();
    return reply.type('text/html; charset=utf-8').send(renderFragment(<InboxRowView r={row} filters={filters} now={deps.clock.now()} />));
  });

  /**
   * One shape for every form on the case page: validate, run the service, 303 back with a success
   * code. A form with bad input or a stale version comes back (400/409) with what was typed.
   */
  function caseForm<S extends z.ZodType>(
    path: string,
    name: CaseFormState['name'],
    schema: S,
    run: (user: SessionUser, kase: { id: number; number: string }, input: z.infer<S>) => Promise<string>,
  ) {
    app.post<NumberParams>(`/staff/faelle/:number/${path}`, { preHandler: [requireStaff, app.csrfProtection] }, async (request, reply) => {
      const user = staff(request);
      const kase = await visibleCase(db, user, request.params.number);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = Object.fromEntries(
        Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'),
      );
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        return renderCase(request, reply, kase.number, 400, { name, values, errors: fieldErrors(parsed.error) });
      }
      try {
        const target = await run(user, kase, parsed.data);
        return reply.redirect(target, 303);
      } catch (err) {
        if (err instanceof AppError && (err.code === 'Invalid' || err.code === 'Conflict')) {
          request.log.info({ code: err.code, case: kase.number }, 'case form rejected');
          return renderCase(request, reply, kase.number, err.status, { name, values, errors: err.fields, message: err.message });
        }
        throw err;
      }
    });
  }

  const back = (number: string, ok: string) => `/staff/faelle/${number}?ok=${ok}`;

  for (const panel of panels) {
    for (const f of panel.forms) {
      caseForm(f.path, `panel:${f.path}`, f.schema, async (user, kase, input) => {
        const outcome = await f.run(user, kase, input);
        return outcome.startsWith('/') ? outcome : back(kase.number, outcome);
      });
    }
  }

  caseForm('bearbeiten', 'edit', editSchema, async (user, kase, input) => {
    const result = await editCase(serviceDeps, user, kase.id, input);
    if (!result.stillVisible) return `/staff?ok=verschoben&fall=${kase.number}`;
    return back(kase.number, result.changed ? 'gespeichert' : 'unveraendert');
  });
  caseForm('zuweisen', 'assign', assignSchema, async (user, kase, input) => {
    const result = await assignCase(serviceDeps, user, kase.id, input);
    return back(kase.number, result.changed ? 'zugewiesen' : 'unveraendert');
  });
  caseForm('notiz', 'note', noteSchema, async (user, kase, input) => {
    await addNote(serviceDeps, user, kase.id, input);
    return back(kase.number, 'notiz');
  });
  caseForm('antwort', 'reply', replySchema, async (user, kase, input) => {
    const result = await replyToCitizen(serviceDeps, user, kase.id, input);
    const ok = !result.delivered ? 'antwort-offen' : input.resolve ? 'antwort-erledigt' : 'antwort';
    return back(kase.number, ok);
  });

  // Linking contacts changes no field of the case (no version): it says who the person is.
  caseForm('kontakt-verknuepfen', 'contact', contactLinkSchema, async (user, kase, input) => {
    const done = await linkToCaseContact(linkDeps, user, { userId: user.id, label: user.displayName }, kase.id, input.other);
    return `${back(kase.number, done.outcome === 'linked' ? 'kontakt-verknuepft' : 'kontakt-schon-verknuepft')}#contact-title`;
  });
  caseForm('kontakt-loesen', 'contact', contactUnlinkSchema, async (user, kase, input) => {
    const done = await unlinkFromCasePerson(linkDeps, user, { userId: user.id, label: user.displayName }, kase.id, input.contact);
    return `${back(kase.number, done.outcome === 'unlinked' ? 'kontakt-geloest' : 'unveraendert')}#contact-title`;
  });

  const photo = (thumb: boolean) => async (request: FastifyRequest<PhotoParams>, reply: FastifyReply) => {
    const id = /^\d{1,9}$/.test(request.params.attachmentId) ? Number(request.params.attachmentId) : 0;
    const found = await photoOf(db, staff(request), request.params.number, id, thumb);
    let data: Buffer;
    try {
      data = await deps.storage.get(found.key);
    } catch (err) {
      request.log.warn({ err, key: found.key }, 'photo missing in storage');
      throw notFound('Dieses Foto ist nicht mehr vorhanden.');
    }
    return reply.type(found.mimeType).header('cache-control', 'private, max-age=3600').send(data);
  };
  app.get<PhotoParams>('/staff/faelle/:number/fotos/:attachmentId', { preHandler: requireStaff }, photo(false));

  // A file as the citizen sent it: always a download, never rendered by the browser on our origin.
  app.get<PhotoParams>('/staff/faelle/:number/dateien/:attachmentId', { preHandler: requireStaff }, async (request, reply) => {
    const id = /^\d{1,9}$/.test(request.params.attachmentId) ? Number(request.params.attachmentId) : 0;
    const found = await fileOf(db, staff(request), request.params.number, id);
    let data: Buffer;
    try {
      data = await deps.storage.get(found.key);
    } catch (err) {
      request.log.warn({ err, key: found.key }, 'file missing in storage');
      throw notFound('Diese Datei ist nicht mehr vorhanden.');
    }
    return reply
      .type(downloadType(found.mimeType))
      .header('content-disposition', attachmentDisposition(found.filename, found.fallbackName))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(data);
  });
  app.get<PhotoParams>('/staff/faelle/:number/fotos/:attachmentId/vorschau', { preHandler: requireStaff }, photo(true));
}
