import { z } from 'zod';
import { caseTypes, priorities } from '../../infra/schema/index.ts';
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

/** Hours as typed ("8", "1,5", "0.5"); stored as whole business minutes. */
const hours = (what: string) =>
  z
    .string({ message: `Bitte geben Sie die Stunden bis zur ${what} ein.` })
    .trim()
    .min(1, `Bitte geben Sie die Stunden bis zur ${what} ein.`)
    .regex(/^\d{1,4}([.,]\d{1,2})?$/, `Bitte geben Sie die Stunden bis zur ${what} als Zahl ein, z. B. 8 oder 1,5.`)
    .transform((v) => Math.round(Number(v.replace(',', '.')) * 60))
    .pipe(
      z
        .number()
        .min(15, `Die Zeit bis zur ${what} muss mindestens eine Viertelstunde sein.`)
        .max(2000 * 60, `Die Zeit bis zur ${what} darf höchstens 2.000 Stunden sein.`),
    );

export const policySchema = z
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
    responseMinutes: hours('ersten Antwort'),
    resolutionMinutes: hours('Erledigung'),
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
    message: 'Erledigt sein kann ein Anliegen nicht vor der ersten Antwort: Bitte mindestens so viele Stunden wie bei der ersten Antwort.',
  });
export type PolicyInput = z.output<typeof policySchema>;

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
