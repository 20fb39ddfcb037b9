import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { requireAdmin } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { AppError, notFound } from '../../infra/errors.ts';
import { allLeads, allOfficeHours, findPolicy, leadChoices, listPolicies, teamsForSla } from './admin-queries.ts';
import {
  createPolicy,
  deletePolicy,
  type RecomputeOutcome,
  resetOfficeHours,
  type SlaAdminDeps,
  saveOfficeHours,
  updatePolicy,
} from './admin-service.ts';
import { bundeslandNames, DEFAULT_OFFICE_HOURS, publicHolidays } from './holidays.ts';
import { formatClosedDays, formatDayHours } from './hours.ts';
import { OfficeHoursPage, type OfficeHoursValues } from './views/office-hours.tsx';
import { EditPolicyPage, type PolicyFormValues, policyValues, type SlaNotice, SlaOverviewPage, slaNotices } from './views/policies.tsx';

const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
const textValues = (raw: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'));
const isFormError = (err: unknown): err is AppError => err instanceof AppError && (err.code === 'Invalid' || err.code === 'Conflict');

function idOf(request: FastifyRequest): number {
  const raw = (request.params as { id?: string }).id ?? '';
  if (!/^\d{1,9}$/.test(raw)) throw notFound();
  return Number(raw);
}

/** "standard" is the town's default; otherwise a team id. */
function teamParam(request: FastifyRequest): number | null {
  const raw = (request.params as { team?: string }).team ?? '';
  if (raw === 'standard') return null;
  if (!/^\d{1,9}$/.test(raw)) throw notFound();
  return Number(raw);
}

function noticeOf(query: unknown): { key: SlaNotice; recomputed?: RecomputeOutcome } | undefined {
  const q = (query ?? {}) as { hinweis?: unknown; fristen?: unknown; spaeter?: unknown };
  if (typeof q.hinweis !== 'string' || !(q.hinweis in slaNotices)) return undefined;
  const key = q.hinweis as SlaNotice;
  if (typeof q.fristen !== 'string' || !/^\d{1,7}$/.test(q.fristen)) return { key };
  return { key, recomputed: { count: Number(q.fristen), later: q.spaeter === '1' } };
}

/** The overview's address after a change, telling how many running clocks moved with it. */
function afterChange(key: SlaNotice, recomputed: RecomputeOutcome): string {
  const count = recomputed.count > 0 || key === 'angewendet' ? `&fristen=${recomputed.count}${recomputed.later ? '&spaeter=1' : ''}` : '';
  return `/admin/fristen?hinweis=${key}${count}`;
}

/** Admin pages of the SLA feature under /admin/fristen: policies, office hours and team leads. */
export function registerSlaAdminRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const service: SlaAdminDeps = {
    db,
    log: deps.log.child({ module: 'sla' }),
    queue: deps.queue,
    state: deps.config.bundesland,
    now: () => deps.clock.now(),
  };
  const guarded = { preHandler: [requireAdmin, app.csrfProtection] };

  const overview = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    form?: { values: PolicyFormValues; errors: Record<string, string> },
  ) => {
    const [policies, teams, hours, leads] = [await listPolicies(db), await teamsForSla(db), await allOfficeHours(db), await allLeads(db)];
    const hoursOf = (teamId: number | null) => hours.find((h) => h.teamId === teamId);
    const standard = hoursOf(null) ?? DEFAULT_OFFICE_HOURS;
    const rows = [
      {
        teamId: null,
        name: 'Standard (alle Teams ohne eigene Zeiten)',
        own: true,
        week: standard.week,
        closedDays: standard.closedDays,
        leads: [],
      },
      ...teams.map((t) => {
        const own = hoursOf(t.id);
        return {
          teamId: t.id,
          name: t.name,
          own: Boolean(own),
          week: own?.week ?? [],
          closedDays: own?.closedDays ?? [],
          leads: leads.filter((l) => l.teamId === t.id).map((l) => l.name),
        };
      }),
    ];
    const today = deps.clock.now().toISOString().slice(0, 10);
    const year = Number(today.slice(0, 4));
    const holidays = [...publicHolidays(deps.config.bundesland, year), ...publicHolidays(deps.config.bundesland, year + 1)]
      .filter(([date]) => date >= today)
      .slice(0, 6)
      .map(([date, name]) => ({ date, name }));
    return sendPage(
      reply,
      <SlaOverviewPage
        ctx={pageContext(request, reply)}
        policies={policies}
        teams={teams}
        hours={rows}
        bundesland={bundeslandNames[deps.config.bundesland]}
        holidays={holidays}
        notice={noticeOf(request.query)}
        {...(form ?? {})}
      />,
      status,
    );
  };

  app.get('/admin/fristen', { preHandler: requireAdmin }, (request, reply) => overview(request, reply));

  app.post('/admin/fristen', guarded, async (request, reply) => {
    try {
      await createPolicy(service, body(request));
      return reply.redirect('/admin/fristen?hinweis=angelegt', 303);
    } catch (err) {
      if (!isFormError(err)) throw err;
      return overview(request, reply, err.status, { values: textValues(body(request)), errors: err.fields });
    }
  });

  const loadPolicy = async (id: number) => {
    const policy = await findPolicy(db, id);
    if (!policy) throw notFound('Diese Frist gibt es nicht (mehr).');
    return policy;
  };

  app.get('/admin/fristen/:id', { preHandler: requireAdmin }, async (request, reply) => {
    const policy = await loadPolicy(idOf(request));
    return sendPage(
      reply,
      <EditPolicyPage ctx={pageContext(request, reply)} policy={policy} teams={await teamsForSla(db)} values={policyValues(policy)} />,
    );
  });

  app.post('/admin/fristen/:id', guarded, async (request, reply) => {
    const id = idOf(request);
    try {
      const applyToRunning = body(request).laufende === 'yes';
      const recomputed = await updatePolicy(service, id, body(request), { applyToRunning });
      return reply.redirect(afterChange(applyToRunning ? 'angewendet' : 'gespeichert', recomputed), 303);
    } catch (err) {
      if (!isFormError(err)) throw err;
      const policy = await loadPolicy(id);
      return sendPage(
        reply,
        <EditPolicyPage
          ctx={pageContext(request, reply)}
          policy={policy}
          teams={await teamsForSla(db)}
          values={textValues(body(request))}
          errors={err.fields}
        />,
        err.status,
      );
    }
  });

  app.post('/admin/fristen/:id/loeschen', guarded, async (request, reply) => {
    await deletePolicy(service, idOf(request));
    return reply.redirect('/admin/fristen?hinweis=geloescht', 303);
  });

  const hoursPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    teamId: number | null,
    status = 200,
    form?: { values: OfficeHoursValues; errors: Record<string, string> },
  ) => {
    const team = teamId === null ? null : ((await teamsForSla(db)).find((t) => t.id === teamId) ?? null);
    if (teamId !== null && !team) throw notFound('Dieses Team gibt es nicht (mehr).');
    const all = await allOfficeHours(db);
    const own = all.find((h) => h.teamId === teamId);
    const shown = own ?? all.find((h) => h.teamId === null) ?? DEFAULT_OFFICE_HOURS;
    const values: OfficeHoursValues = form?.values ?? {
      ...Object.fromEntries(shown.week.map((d, i) => [`day${i}`, formatDayHours(d)])),
      closedDays: formatClosedDays(shown.closedDays),
    };
    let leads = teamId === null ? [] : await leadChoices(db, teamId);
    const chosen = form ? new Set(([] as unknown[]).concat(body(request).lead ?? []).map(String)) : null;
    if (chosen) leads = leads.map((u) => ({ ...u, lead: chosen.has(String(u.id)) }));
    return sendPage(
      reply,
      <OfficeHoursPage
        ctx={pageContext(request, reply)}
        team={team}
        own={Boolean(own)}
        values={values}
        leads={leads}
        errors={form?.errors ?? {}}
      />,
      status,
    );
  };

  app.get('/admin/fristen/zeiten/:team', { preHandler: requireAdmin }, (request, reply) => hoursPage(request, reply, teamParam(request)));

  app.post('/admin/fristen/zeiten/:team', guarded, async (request, reply) => {
    const teamId = teamParam(request);
    try {
      return reply.redirect(afterChange('zeiten', await saveOfficeHours(service, teamId, body(request))), 303);
    } catch (err) {
      if (!isFormError(err)) throw err;
      return hoursPage(request, reply, teamId, err.status, { values: textValues(body(request)), errors: err.fields });
    }
  });

  app.post('/admin/fristen/zeiten/:team/standard', guarded, async (request, reply) => {
    const teamId = teamParam(request);
    if (teamId === null) throw notFound();
    return reply.redirect(afterChange('standard', await resetOfficeHours(service, teamId)), 303);
  });
}
