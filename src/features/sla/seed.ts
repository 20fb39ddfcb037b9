import { and, eq, min } from 'drizzle-orm';
import type { Bundesland } from '../../config.ts';
import type { Tx } from '../../infra/db.ts';
import { cases, messages, officeHours, slaPolicies, teamLeads } from '../../infra/schema/index.ts';
import { computeClock, pickPolicy, runningStatuses } from './case-clock.ts';
import { DEFAULT_OFFICE_HOURS } from './holidays.ts';
import { lockCaseSla, updateCaseSla } from './queries.ts';
import { calendarOf, invalidateSlaSettings, slaSettings } from './settings.ts';

const H = 60;

/**
 * Musterstadt's deadlines: Störungen fast, ideas with time to think, urgent things within the day.
 * The Leitstelle is staffed longer than the town hall; every office closes on 24 and 31 December.
 */
export async function seedSlaDefaults(tx: Tx, teamIds: ReadonlyMap<string, number>, leads: ReadonlyMap<string, number>): Promise<void> {
  const team = (slug: string) => teamIds.get(slug) ?? null;
  await tx.insert(slaPolicies).values([
    { name: 'Standard', responseMinutes: 16 * H, resolutionMinutes: 72 * H },
    { name: 'Störungen', caseType: 'defect', responseMinutes: 8 * H, resolutionMinutes: 40 * H },
    { name: 'Beschwerden', caseType: 'complaint', responseMinutes: 8 * H, resolutionMinutes: 32 * H },
    // Entered in working days (8 hours of office time each): 3 days to answer, 20 to finish.
    { name: 'Ideen und Vorschläge', caseType: 'idea', responseMinutes: 24 * H, resolutionMinutes: 160 * H, targetUnit: 'working_days' },
    // "Vorrang vor Team-Fristen": an urgent Störung gets 2 h/8 h, not the Leitstelle's 4 h/24 h.
    { name: 'Dringend', priority: 'urgent', responseMinutes: 2 * H, resolutionMinutes: 8 * H, warnPercent: 50, overridesTeam: true },
    { name: 'Leitstelle: Störungen', teamId: team('leitstelle'), caseType: 'defect', responseMinutes: 4 * H, resolutionMinutes: 24 * H },
  ]);
  const leitstelle = team('leitstelle');
  const weekday: [number, number][] = [[7 * H, 18 * H]];
  await tx.insert(officeHours).values([
    {
      teamId: null,
      week: DEFAULT_OFFICE_HOURS.week.map((d) => d.map(([o, c]): [number, number] => [o, c])),
      closedDays: ['12-24', '12-31'],
    },
    ...(leitstelle !== null
      ? [{ teamId: leitstelle, week: [weekday, weekday, weekday, weekday, weekday, [], []], closedDays: ['12-24', '12-31'] }]
      : []),
  ]);
  const leadRows = [...leads].flatMap(([slug, userId]) => {
    const teamId = team(slug);
    return teamId === null ? [] : [{ teamId, userId }];
  });
  if (leadRows.length > 0) await tx.insert(teamLeads).values(leadRows);
  invalidateSlaSettings(tx);
}

/**
 * The demo plays six weeks of history straight into the tables, past the case workflow; this
 * brings a demo case's clock in line with that history: the first reply, closing, a later priority.
 * Deadlines that passed in the played history count as warned and escalated already, so the first
 * start of the worker does not send a flood of reminders about weeks-old demo cases.
 */
export async function settleSeededClock(tx: Tx, caseId: number, now: Date, state: Bundesland): Promise<void> {
  const clock = await lockCaseSla(tx, caseId);
  const [c] = await tx
    .select({
      status: cases.status,
      closedAt: cases.closedAt,
      updatedAt: cases.updatedAt,
      teamId: cases.teamId,
      type: cases.type,
      priority: cases.priority,
    })
    .from(cases)
    .where(eq(cases.id, caseId));
  if (!clock || !c) return;
  const [reply] = await tx
    .select({ at: min(messages.createdAt) })
    .from(messages)
    .where(and(eq(messages.caseId, caseId), eq(messages.kind, 'reply')));
  const settings = await slaSettings(tx);
  const policy = pickPolicy(settings.policies, c);
  const next = { ...clock, updatedAt: now, firstResponseAt: reply?.at ?? null };
  if (policy && policy.id !== clock.policyId) {
    Object.assign(next, {
      policyId: policy.id,
      policyName: policy.name,
      responseMinutes: policy.responseMinutes,
      resolutionMinutes: policy.resolutionMinutes,
      warnPercent: policy.warnPercent,
    });
  }
  next.pausedSince = runningStatuses.includes(c.status) ? null : (c.closedAt ?? c.updatedAt);
  Object.assign(next, computeClock(next, calendarOf(settings, c.teamId, state)));
  if (!next.firstResponseAt && next.responseDueAt <= now) {
    next.responseWarnedAt = next.responseDueAt;
    next.responseEscalatedAt = next.responseDueAt;
  }
  if (next.resolutionDueAt <= now) {
    next.resolutionWarnedAt = next.resolutionDueAt;
    next.resolutionEscalatedAt = next.resolutionDueAt;
  }
  if (next.warnAt && next.warnAt <= now && next.dueKind) {
    if (next.dueKind === 'response') next.responseWarnedAt ??= next.warnAt;
    else next.resolutionWarnedAt ??= next.warnAt;
  }
  await updateCaseSla(tx, next);
}
