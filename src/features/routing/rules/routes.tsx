import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireAdmin } from '../../../http/guards.ts';
import { pageContext, sendPage } from '../../../http/page.ts';
import { AppError, notFound } from '../../../infra/errors.ts';
import { findTemplate } from '../../templates/queries.ts';
import { namesOf } from './describe.ts';
import { dryRun } from './dry-run.ts';
import { applyRowOp, emptyForm, formFromBody, formFromRule, opOf, type RuleForm, ruleFromForm, withTemplateText } from './form.ts';
import { type Directory, directory, findRule, listRules } from './queries.ts';
import {
  createRule,
  deleteRule,
  exportRules,
  importRules,
  moveRule,
  type RulesActor,
  type RulesDeps,
  setRuleEnabled,
  updateRule,
} from './service.ts';
import { shadowsOf } from './shadows.ts';
import { RuleEditPage } from './views/edit.tsx';
import { type RuleNotice, RulesListPage, ruleNotices } from './views/list.tsx';

const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

function ruleId(request: FastifyRequest): number {
  const raw = (request.params as { id?: string }).id ?? '';
  if (!/^\d{1,9}$/.test(raw)) throw notFound('Diese Regel gibt es nicht (mehr).');
  return Number(raw);
}

const noticeOf = (query: unknown): RuleNotice | undefined => {
  const key = (query as { hinweis?: unknown })?.hinweis;
  return typeof key === 'string' && key in ruleNotices ? (key as RuleNotice) : undefined;
};

/** Text of the uploaded file (a Buffer with multipart keyValues) or of the pasted field. */
function importText(b: Record<string, unknown>): string {
  const file = b.file;
  if (Buffer.isBuffer(file) && file.length > 0) return file.toString('utf8');
  return typeof b.json === 'string' ? b.json : '';
}

/** /admin/regeln: the rules, their form with dry run, export and import; admins only. */
export function registerRuleRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const service: RulesDeps = { db, clock: deps.clock, log: deps.log.child({ module: 'rules' }) };
  const guarded = { preHandler: [requireAdmin, app.csrfProtection] };
  const actorOf = (request: FastifyRequest): RulesActor => (request.user ? { userId: request.user.id } : null);

  const listPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { importErrors?: Record<string, string>; importText?: string } = {},
    status = 200,
  ) => {
    const [rules, dir] = [await listRules(db), await directory(db)];
    return sendPage(
      reply,
      <RulesListPage
        ctx={pageContext(request, reply)}
        rules={rules}
        names={namesOf(dir)}
        shadows={shadowsOf(rules.filter((r) => r.valid))}
        notice={noticeOf(request.query)}
        {...extra}
      />,
      status,
    );
  };

  const editPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number | null,
    form: RuleForm,
    extra: { errors?: Record<string, string>; dryRun?: Awaited<ReturnType<typeof dryRun>>; dir?: Directory } = {},
    status = 200,
  ) =>
    sendPage(
      reply,
      <RuleEditPage
        ctx={pageContext(request, reply)}
        ruleId={id}
        form={form}
        dir={extra.dir ?? (await directory(db))}
        saved={noticeOf(request.query) === 'gespeichert'}
        {...extra}
      />,
      status,
    );

  /** One handler for the create and edit forms: row changes re-render, dry run evaluates, save stores. */
  const submit = async (request: FastifyRequest, reply: FastifyReply, id: number | null) => {
    const form = formFromBody(body(request));
    const op = opOf(body(request));
    if (op.op === 'useTemplate') {
      const picked = Number(form.actions[op.index]?.text.pick);
      const template = Number.isInteger(picked) && picked > 0 ? await findTemplate(db, picked) : null;
      if (!template)
        return editPage(
          request,
          reply,
          id,
          form,
          { errors: { [`a-${op.index}`]: 'Bitte wählen Sie einen Textbaustein aus der Liste.' } },
          400,
        );
      return editPage(request, reply, id, withTemplateText(form, op.index, template.body));
    }
    const changed = applyRowOp(form, op);
    if (changed) return editPage(request, reply, id, changed);
    const { input, errors } = ruleFromForm(form);
    if (!input) return editPage(request, reply, id, form, { errors }, 400);
    if (op.op === 'dryrun') {
      const dir = await directory(db);
      const stored = (await listRules(db)).filter((r) => r.valid);
      return editPage(request, reply, id, form, { dryRun: await dryRun(db, input, dir, { ruleId: id, rules: stored }), dir });
    }
    try {
      let savedId = id;
      if (savedId === null) savedId = await createRule(service, actorOf(request), input);
      else await updateRule(service, actorOf(request), savedId, input);
      return reply.redirect(`/admin/regeln/${savedId}?hinweis=gespeichert`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'Invalid') throw err;
      return editPage(request, reply, id, form, { errors: { form: err.message } }, 400);
    }
  };

  app.get('/admin/regeln', { preHandler: requireAdmin }, (request, reply) => listPage(request, reply));
  app.get('/admin/regeln/neu', { preHandler: requireAdmin }, (request, reply) => editPage(request, reply, null, emptyForm()));
  app.post('/admin/regeln/neu', guarded, (request, reply) => submit(request, reply, null));

  app.get('/admin/regeln/export', { preHandler: requireAdmin }, async (_request, reply) =>
    reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="regeln.json"')
      .header('cache-control', 'no-store')
      .send(`${JSON.stringify(await exportRules(db), null, 2)}\n`),
  );

  app.post('/admin/regeln/import', guarded, async (request, reply) => {
    const text = importText(body(request));
    try {
      await importRules(service, actorOf(request), text);
      return reply.redirect('/admin/regeln?hinweis=importiert', 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'Invalid') throw err;
      const pasted = typeof body(request).json === 'string' ? (body(request).json as string) : '';
      return listPage(request, reply, { importErrors: { file: err.fields.file ?? err.message }, importText: pasted }, 400);
    }
  });

  app.get('/admin/regeln/:id', { preHandler: requireAdmin }, async (request, reply) => {
    const rule = await findRule(db, ruleId(request));
    if (!rule) throw notFound('Diese Regel gibt es nicht (mehr).');
    return editPage(request, reply, rule.id, rule.valid ? formFromRule(rule) : { ...emptyForm(), name: rule.name });
  });
  app.post('/admin/regeln/:id', guarded, async (request, reply) => {
    const id = ruleId(request);
    if (!(await findRule(db, id))) throw notFound('Diese Regel gibt es nicht (mehr).');
    return submit(request, reply, id);
  });

  app.post('/admin/regeln/:id/loeschen', guarded, async (request, reply) => {
    await deleteRule(service, actorOf(request), ruleId(request));
    return reply.redirect('/admin/regeln?hinweis=geloescht', 303);
  });
  app.post('/admin/regeln/:id/verschieben', guarded, async (request, reply) => {
    await moveRule(service, actorOf(request), ruleId(request), body(request).richtung === 'hoch' ? 'up' : 'down');
    return reply.redirect('/admin/regeln', 303);
  });
  app.post('/admin/regeln/:id/schalten', guarded, async (request, reply) => {
    const enabled = body(request).enabled === 'yes';
    await setRuleEnabled(service, actorOf(request), ruleId(request), enabled);
    return reply.redirect(`/admin/regeln?hinweis=${enabled ? 'an' : 'aus'}`, 303);
  });
}
