import Holidays from 'date-holidays';
import type { Bundesland } from '../../config.ts';
import type { BusinessCalendar, DayHours } from './business-time.ts';

export const SLA_ZONE = 'Europe/Berlin';

export const bundeslandNames: Record<Bundesland, string> = {
  BB: 'Brandenburg',
  BE: 'Berlin',
  BW: 'Baden-Württemberg',
  BY: 'Bayern',
  HB: 'Bremen',
  HE: 'Hessen',
  HH: 'Hamburg',
  MV: 'Mecklenburg-Vorpommern',
  NI: 'Niedersachsen',
  NW: 'Nordrhein-Westfalen',
  RP: 'Rheinland-Pfalz',
  SH: 'Schleswig-Holstein',
  SL: 'Saarland',
  SN: 'Sachsen',
  ST: 'Sachsen-Anhalt',
  TH: 'Thüringen',
};

const cache = new Map<string, Map<string, string>>();

/**
 * Statutory public holidays of a Bundesland in one year, date ("YYYY-MM-DD") → name. Only the
 * type "public": date-holidays also lists observances (Rosenmontag) and half bank holidays
 * (Heiligabend), which are working days by law; a town that closes then adds them as closing days.
 */
export function publicHolidays(state: Bundesland, year: number): Map<string, string> {
  const key = `${state}:${year}`;
  let days = cache.get(key);
  if (!days) {
    const source = new Holidays('DE', state, { types: ['public'] });
    days = new Map((source.getHolidays(year) || []).filter((h) => h.type === 'public').map((h) => [h.date.slice(0, 10), h.name] as const));
    cache.set(key, days);
  }
  return days;
}

export interface OfficeHoursSetting {
  week: readonly DayHours[];
  /** Yearly closing days as "MM-DD". */
  closedDays: readonly string[];
}

/** Mo–Do 8–16, Fr 8–12: the usual opening of a German town hall, used until an admin sets others. */
export const DEFAULT_OFFICE_HOURS: OfficeHoursSetting = {
  week: [[[480, 960]], [[480, 960]], [[480, 960]], [[480, 960]], [[480, 720]], [], []],
  closedDays: [],
};

export function businessCalendar(setting: OfficeHoursSetting, state: Bundesland, zone = SLA_ZONE): BusinessCalendar {
  const closed = new Set(setting.closedDays);
  return {
    zone,
    week: setting.week,
    isClosedDay: (isoDate) => closed.has(isoDate.slice(5)) || publicHolidays(state, Number(isoDate.slice(0, 4))).has(isoDate),
  };
}
