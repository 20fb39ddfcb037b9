import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../infra/db.ts';
import { invalid } from '../../infra/errors.ts';
import { categories, type ServiceAttribute } from '../../infra/schema/index.ts';
import { singleLine, validText } from '../../infra/text-input.ts';
import type { Value } from './format.ts';

/**
 * A category's further questions (GeoReport v2 "service attributes"): what the admin defines, what
 * services/{code} describes, and how a client's `attribute[code]` answers are checked. The answers
 * go into the case as one intake note each, named by the question, so staff read them in the thread.
 */

export const datatypeLabels: Record<ServiceAttribute['datatype'], string> = {
  string: 'Text (eine Zeile)',
  text: 'Längerer Text',
  number: 'Zahl',
  datetime: 'Datum und Uhrzeit',
  singlevaluelist: 'Auswahl: eine Antwort',
  multivaluelist: 'Auswahl: mehrere Antworten',
};
export const datatypes = Object.keys(datatypeLabels) as ServiceAttribute['datatype'][];
const isList = (t: ServiceAttribute['datatype']) => t === 'singlevaluelist' || t === 'multivaluelist';

export const MAX_ATTRIBUTES = 20;
export const MAX_VALUES = 50;
const ANSWER_LIMIT = 500;

const attributeSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, 'Die Kennung besteht aus Kleinbuchstaben, Ziffern und _ und beginnt mit einem Buchstaben.'),
    description: z
      .string()
      .trim()
      .min(1, 'Bitte schreiben Sie die Frage auf.')
      .max(200, 'Die Frage darf höchstens 200 Zeichen lang sein.')
      .superRefine(validText('Die Frage'))
      .superRefine(singleLine('Die Frage')),
    datatype: z.enum(datatypes, { message: 'Bitte wählen Sie die Art der Antwort.' }),
    required: z.boolean(),
    values: z
      .array(
        z.object({
          key: z.string().regex(/^[a-z0-9_-]{1,40}$/),
          name: z.string().trim().min(1).max(100).superRefine(validText('Eine Antwort')).superRefine(singleLine('Eine Antwort')),
        }),
      )
      .max(MAX_VALUES, `Höchstens ${MAX_VALUES} Antworten.`)
      .optional(),
  })
  .superRefine((a, ctx) => {
    const count = a.values?.length ?? 0;
    if (isList(a.datatype) && count === 0)
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'Eine Auswahl braucht mindestens eine Antwort.' });
    if (!isList(a.datatype) && count > 0)
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'Antworten gibt es nur bei einer Auswahl.' });
    const keys = new Set(a.values?.map((v) => v.key));
    if (keys.size !== count) ctx.addIssue({ code: 'custom', path: ['values'], message: 'Zwei Antworten haben dieselbe Kennung.' });
  });

export const attributesSchema = z
  .array(attributeSchema)
  .max(MAX_ATTRIBUTES, `Höchstens ${MAX_ATTRIBUTES} Fragen je Kategorie.`)
  .superRefine((list, ctx) => {
    const codes = list.map((a) => a.code);
    const twice = codes.find((c, i) => codes.indexOf(c) !== i);
    if (twice) ctx.addIssue({ code: 'custom', message: `Die Kennung „${twice}“ kommt zweimal vor.` });
  });

/** A stored list read back: anything that no longer passes the schema is left out, never half-used. */
export function storedAttributes(raw: unknown): ServiceAttribute[] {
  const parsed = attributesSchema.safeParse(raw);
  return parsed.success ? (parsed.data as ServiceAttribute[]) : [];
}

/** The category's questions and keywords, for services.json and the definition. */
export async function serviceExtras(db: DbOrTx) {
  const rows = await db
    .select({ slug: categories.slug, keywords: categories.keywords, attributes: categories.attributes })
    .from(categories)
    .orderBy(asc(categories.id));
  return new Map(rows.map((r) => [r.slug, { keywords: r.keywords, attributes: storedAttributes(r.attributes) }]));
}

export async function attributesOfCategory(db: DbOrTx, categoryId: number): Promise<ServiceAttribute[]> {
  const [row] = await db.select({ attributes: categories.attributes }).from(categories).where(eq(categories.id, categoryId));
  return storedAttributes(row?.attributes);
}

/** services/{code}: the attributes in the spec's shape (variable, order, values as key/name). */
export function definitionOf(attributes: ServiceAttribute[]): Value[] {
  return attributes.map((a, i) => ({
    variable: true,
    code: a.code,
    datatype: a.datatype,
    required: a.required,
    datatype_description: datatypeLabels[a.datatype],
    order: i + 1,
    description: a.description,
    values: (a.values ?? []).map((v) => ({ key: v.key, name: v.name })),
  }));
}

const fail = (code: string, message: string) => invalid(message, { [`attribute[${code}]`]: message });

/**
 * Checks a client's answers against the category's questions and returns one note per answer
 * ("Mastnummer: 12"); a required question left out, a value not in the list, a number that is no
 * number, a date that is no date is a 400. Answers to questions the category does not ask (a
 * FixMyStreet id, say) are kept as notes under their code, as before.
 */
export function answerNotes(attributes: ServiceAttribute[], given: Record<string, string | string[]>): string[] {
  const notes: string[] = [];
  for (const a of attributes) {
    const raw = given[a.code];
    const answers = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => v.trim()).filter((v) => v !== '');
    if (answers.length === 0) {
      if (a.required) throw fail(a.code, `Bitte beantworten Sie attribute[${a.code}]: „${a.description}“.`);
      continue;
    }
    if (answers.length > 1 && a.datatype !== 'multivaluelist') throw fail(a.code, `attribute[${a.code}] darf nur eine Antwort haben.`);
    for (const v of answers) {
      if (v.length > ANSWER_LIMIT) throw fail(a.code, `attribute[${a.code}] ist zu lang (höchstens ${ANSWER_LIMIT} Zeichen).`);
      const textProblem = z
        .string()
        .superRefine(validText(`attribute[${a.code}]`))
        .safeParse(v);
      if (!textProblem.success) throw fail(a.code, textProblem.error.issues[0]?.message ?? `attribute[${a.code}] ist ungültig.`);
    }
    if (a.datatype === 'number' && !answers.every((v) => /^-?\d+([.,]\d+)?$/.test(v))) {
      throw fail(a.code, `attribute[${a.code}] muss eine Zahl sein.`);
    }
    if (a.datatype === 'datetime' && !answers.every((v) => !Number.isNaN(Date.parse(v)))) {
      throw fail(a.code, `attribute[${a.code}] muss ein Datum nach ISO 8601 sein, z. B. 2026-12-01T09:30:00+01:00.`);
    }
    let shown = answers;
    if (isList(a.datatype)) {
      const names = new Map((a.values ?? []).map((v) => [v.key, v.name]));
      const unknown = answers.find((v) => !names.has(v));
      if (unknown !== undefined) {
        throw fail(
          a.code,
          `attribute[${a.code}] kennt die Antwort „${unknown.slice(0, 40)}“ nicht; gültig: ${[...names.keys()].join(', ')}.`,
        );
      }
      shown = answers.map((v) => names.get(v) ?? v);
    }
    notes.push(`${a.description.replace(/[?:]\s*$/, '')}: ${shown.join(', ')}`);
  }
  const asked = new Set(attributes.map((a) => a.code));
  for (const [code, raw] of Object.entries(given)) {
    if (asked.has(code)) continue;
    const value = (Array.isArray(raw) ? raw.join(', ') : raw).trim();
    if (value !== '') notes.push(`Angabe ${code}: ${value}`);
  }
  return notes;
}
