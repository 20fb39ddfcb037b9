import { z } from 'zod';
import { caseTypes, priorities, slaTargetUnits } from '../../infra/schema/index.ts';
import { singleLine } from '../../infra/text-input.ts';
import type { OfficeInterval } from './business-time.ts';
import { parseClosedDays, parseDayHours, weekdayNames } from './hours.ts';

/** The admin forms of the SLA feature: raw form values in, validated values out, a German message per field. */

const optionalId = z
  .string()
  .trim()
  .regex(/^(\d{1,9})?$/, 'Bitte wählen Sie einen Eintrag aus der Liste.')
  .optional()
  .transform((v) => (v ? Number(v) : null));

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .union([z.literal(''), z.enum(values)], { message })
    .optional()
    .transform((v) => (v ? (v as T[number]) : null));

/**
 * A working day ("Arbeitstag") is 8 hours of working time, counted on the team's office hours like
 * every other minute of a deadline: "2 Arbeitstage" are 16 business hours, whether the office is
 * open 8 hours a day or 4 on Fridays. Stored in minutes like hours, so the clocks never change.
 */
export const WORKING_DAY_MINUTES = 8 * 60;
export const minutesPerUnit = { hours: 60, working_days: WORKING_DAY_MINUTES } as const;

const MAX_MINUTES = 2000 * 60;

/** A number as typed ("8", "1,5", "0.5") in the unit chosen beside it; stored as whole business minutes. */
const target = (what: string, per: number) =>
  z
    .string({ message: `Bitte geben Sie die Zeit bis zur ${what} ein.` })
    .trim()
    .min(1, `Bitte geben Sie die Zeit bis zur ${what} ein.`)
    .regex(/^\d{1,4}([.,]\d{1,2})?$/, `Bitte geben Sie die Zeit bis zur ${what} als Zahl ein, z. B. 8 oder 1,5.`)
    .transform((v) => Math.round(Number(v.replace(',', '.')) * per))
    .pipe(
      z
        .number()
        .min(15, `Die Zeit bis zur ${what} muss mindestens eine Viertelstunde sein.`)
        .max(MAX_MINUTES, `Die Zeit bis zur ${what} darf höchstens 2.000 Stunden (250 Arbeitstage) sein.`),
    );

/** The policy form; the targets are read in the unit the form names, so each field gets its own message. */
const policySchemaIn = (per: number) =>
  z
    .object({
      name: z
        .string({ message: 'Bitte geben Sie der Frist einen Namen.' })
        .trim()
        .min(1, 'Bitte geben Sie der Frist einen Namen.')
        .max(120, 'Der Name darf höchstens 120 Zeichen lang sein.')
        .superRefine(singleLine('Der Name')),
      teamId: optionalId,
      caseType: optionalEnum(caseTypes, 'Diese Art gibt es nicht.'),
      priority: optionalEnum(priorities, 'Diese Priorität gibt es nicht.'),
      targetUnit: z
        .union([z.literal(''), z.enum(slaTargetUnits)], { message: 'Bitte wählen Sie Stunden oder Arbeitstage.' })
        .optional()
        .transform((v) => (v ? v : 'hours')),
      responseMinutes: target('ersten Antwort', per),
      resolutionMinutes: target('Erledigung', per),
      /** "Vorrang vor Team-Fristen": a checkbox, "yes" when ticked. */
      overridesTeam: z
        .union([z.literal('yes'), z.literal('')], { message: 'Bitte setzen oder entfernen Sie den Haken.' })
        .optional()
        .transform((v) => v === 'yes'),
      warnPercent: z
        .string({ message: 'Bitte geben Sie an, ab wie viel Prozent gewarnt wird.' })
        .trim()
        .regex(/^\d{1,3}$/, 'Bitte geben Sie eine ganze Zahl zwischen 50 und 95 ein.')
        .transform(Number)
        .pipe(
          z
            .number()
            .min(50, 'Bitte geben Sie eine Zahl zwischen 50 und 95 ein.')
            .max(95, 'Bitte geben Sie eine Zahl zwischen 50 und 95 ein.'),
        ),
    })
    .refine((p) => p.resolutionMinutes >= p.responseMinutes, {
      path: ['resolutionMinutes'],
      message: 'Erledigt sein kann ein Anliegen nicht vor der ersten Antwort: Bitte mindestens so viel Zeit wie bei der ersten Antwort.',
    });

const schemas = { hours: policySchemaIn(minutesPerUnit.hours), working_days: policySchemaIn(minutesPerUnit.working_days) };

/** Parses the policy form in the unit it names (an unknown unit is reported by the schema itself). */
export function parsePolicyForm(raw: Record<string, unknown>) {
  return schemas[raw.targetUnit === 'working_days' ? 'working_days' : 'hours'].safeParse(raw);
}

export type PolicyInput = z.output<ReturnType<typeof policySchemaIn>>;

/** The seven weekday fields are named day0 … day6 (Monday first). */
export const dayFields = weekdayNames.map((_, i) => `day${i}`);

export function parseOfficeHoursForm(
  body: Record<string, unknown>,
): { ok: true; week: OfficeInterval[][]; closedDays: string[] } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const week: OfficeInterval[][] = [];
  dayFields.forEach((field, i) => {
    const raw = body[field];
    const text = typeof raw === 'string' ? raw.slice(0, 200) : '';
    const parsed = parseDayHours(text);
    if (parsed.ok) week.push(parsed.value);
    else errors[field] = `${weekdayNames[i]}: ${parsed.message}`;
  });
  const rawClosed = typeof body.closedDays === 'string' ? body.closedDays : '';
  const closed = rawClosed.length > 500 ? { ok: false as const, message: 'Bitte höchstens 500 Zeichen.' } : parseClosedDays(rawClosed);
  if (!closed.ok) errors.closedDays = closed.message;
  if (Object.keys(errors).length === 0 && week.every((d) => d.length === 0)) {
    errors.day0 = 'An mindestens einem Tag muss geöffnet sein, sonst läuft keine Frist je ab.';
  }
  if (Object.keys(errors).length > 0 || !closed.ok) return { ok: false, errors };
  return { ok: true, week, closedDays: closed.value };
}

/** Lead checkboxes are named "lead" with the user id as value: one string, several, or none. */
export function parseLeadIds(raw: unknown): number[] | null {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (list.length > 200 || !list.every((v) => typeof v === 'string' && /^\d{1,9}$/.test(v))) return null;
  return [...new Set(list.map(Number))];
}
