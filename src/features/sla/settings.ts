import { asc } from 'drizzle-orm';
import type { Bundesland } from '../../config.ts';
import type { DbOrTx } from '../../infra/db.ts';
import { officeHours, slaPolicies } from '../../infra/schema/index.ts';
import type { BusinessCalendar } from './business-time.ts';
import type { PolicyLike } from './case-clock.ts';
import { businessCalendar, DEFAULT_OFFICE_HOURS, type OfficeHoursSetting } from './holidays.ts';

/** Policies and office hours: read on every new report and case change, changed a few times a year. */
export interface SlaSettings {
  policies: PolicyLike[];
  /** Office hours by team id; the key null holds the town's default. */
  hours: ReadonlyMap<number | null, OfficeHoursSetting>;
}

/** Same idea as the routing reference data: other app processes see an admin's change within this time. */
export const SLA_SETTINGS_TTL_MS = 30_000;

// One copy per database handle, so a transaction (the demo seed) sees the policies it just inserted.
const cache = new WeakMap<DbOrTx, { data: Promise<SlaSettings>; loadedAt: number }>();

async function load(db: DbOrTx): Promise<SlaSettings> {
  const policies = await db
    .select({
      id: slaPolicies.id,
      name: slaPolicies.name,
      teamId: slaPolicies.teamId,
      caseType: slaPolicies.caseType,
      priority: slaPolicies.priority,
      responseMinutes: slaPolicies.responseMinutes,
      resolutionMinutes: slaPolicies.resolutionMinutes,
      warnPercent: slaPolicies.warnPercent,
      overridesTeam: slaPolicies.overridesTeam,
    })
    .from(slaPolicies)
    .orderBy(asc(slaPolicies.id));
  const hours = await db
    .select({ teamId: officeHours.teamId, week: officeHours.week, closedDays: officeHours.closedDays })
    .from(officeHours);
  return { policies, hours: new Map(hours.map((h) => [h.teamId, { week: h.week, closedDays: h.closedDays }])) };
}

export function slaSettings(db: DbOrTx): Promise<SlaSettings> {
  const now = performance.now();
  const entry = cache.get(db);
  if (entry && now - entry.loadedAt < SLA_SETTINGS_TTL_MS) return entry.data;
  const next = { data: load(db), loadedAt: now };
  cache.set(db, next);
  next.data.catch(() => {
    if (cache.get(db) === next) cache.delete(db);
  });
  return next.data;
}

/** Forget the loaded copy after an admin changed a policy or office hours. */
export function invalidateSlaSettings(db: DbOrTx): void {
  cache.delete(db);
}

/** The office hours a team's clocks run on: its own, else the town's default, else Mo–Do 8–16, Fr 8–12. */
export function officeHoursOf(settings: SlaSettings, teamId: number | null): OfficeHoursSetting {
  return (teamId !== null ? settings.hours.get(teamId) : undefined) ?? settings.hours.get(null) ?? DEFAULT_OFFICE_HOURS;
}

// One calendar object per loaded settings, team and state, so its remembered days are reused.
const calendars = new WeakMap<SlaSettings, Map<string, BusinessCalendar>>();

export function calendarOf(settings: SlaSettings, teamId: number | null, state: Bundesland): BusinessCalendar {
  let byTeam = calendars.get(settings);
  if (!byTeam) {
    byTeam = new Map();
    calendars.set(settings, byTeam);
  }
  const key = `${teamId ?? 'standard'}:${state}`;
  let cal = byTeam.get(key);
  if (!cal) {
    cal = businessCalendar(officeHoursOf(settings, teamId), state);
    byTeam.set(key, cal);
  }
  return cal;
}
